#pragma once
/// \file
/// The target types the readers fill: a regression target or integer class labels.

#include <concepts>

#include "../core/types.hpp"

namespace kestrel::io {

/// The target type a reader may return: `Vector<T>` (regression: the target read as T) or
/// `Labels` (classification: integer labels).
template <class Target, class T>
concept target_for = std::same_as<Target, Vector<T>> || std::same_as<Target, Labels>;

}  // namespace kestrel::io
