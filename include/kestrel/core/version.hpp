#pragma once
/// \file
/// kestrel's version. CMake reads it from here; model files record it.

#define KESTREL_VERSION_MAJOR 0
#define KESTREL_VERSION_MINOR 2
#define KESTREL_VERSION_PATCH 0

namespace kestrel {

/// "major.minor.patch".
inline constexpr const char* version = "0.2.0";

}  // namespace kestrel
