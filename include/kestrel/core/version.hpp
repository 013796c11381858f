#pragma once
/// \file
/// kestrel's version. CMake reads it from here; model files record it.

/// kestrel's major version: model files of another major version may not load.
#define KESTREL_VERSION_MAJOR 0
/// kestrel's minor version.
#define KESTREL_VERSION_MINOR 2
/// kestrel's patch version.
#define KESTREL_VERSION_PATCH 0

namespace kestrel {

/// "major.minor.patch".
inline constexpr const char* version = "0.2.0";

}  // namespace kestrel
