#pragma once
/// \file
/// Missing-value masks and the input check of estimators that take them (scikit-learn's
/// `_get_mask` and `force_all_finite="allow-nan"`).

#include <string_view>

#include <Eigen/Core>

#include "../../core/detail/validation.hpp"
#include "../../core/types.hpp"

namespace kestrel::impute::detail {

/// What marks a missing entry: NaN, or one number (any NaN is then an error, not a marker).
template <class T>
struct missing_marker {
    bool nan = true;  ///< NaN marks missing entries
    T value = 0;      ///< the marker when `nan` is false

    /// Whether `x` is missing.
    [[nodiscard]] bool operator()(T x) const noexcept { return nan ? x != x : x == value; }
};

/// Checks X of an estimator that takes missing values: samples and features, no infinity, and NaN
/// only when NaN is the marker (scikit-learn rejects NaN when another value marks missing entries).
template <class T, class M>
void check_missing_input(const M& X, const missing_marker<T>& marker, std::string_view estimator) {
    kestrel::detail::check_values_or_missing(X, estimator, marker.nan,
                                             "only when missing_values is NaN (left empty); here it is a number");
}

}  // namespace kestrel::impute::detail
