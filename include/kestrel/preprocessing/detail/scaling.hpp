#pragma once
/// \file
/// Helpers of the robust and max-abs scalers: NumPy's percentile (linear interpolation), the
/// standard normal quantile function, scikit-learn's `_handle_zeros_in_scale`, and the observed
/// (non-NaN) values of a column.

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <string_view>
#include <vector>

#include "../../core/detail/validation.hpp"
#include "../../core/error.hpp"
#include "../../core/types.hpp"

namespace kestrel::detail {

/// The `q`-th percentile (0..100) of ascending `sorted` (not empty), as NumPy's default
/// (method='linear'): position (n − 1)·q/100, interpolated as NumPy's `_lerp`, from the upper
/// neighbour when the weight is at least one half.
inline double percentile_of_sorted(const std::vector<double>& sorted, double q) {
    const std::size_t n = sorted.size();
    const double position = static_cast<double>(n - 1) * (q / 100.0);
    const double below = std::floor(position);
    const std::size_t lo = std::min(static_cast<std::size_t>(below), n - 1);
    const std::size_t hi = std::min(lo + 1, n - 1);
    const double t = position - below;
    const double a = sorted[lo], b = sorted[hi], diff = b - a;
    return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/// The quantile function of the standard normal distribution (scipy.stats.norm.ppf) for p in
/// (0, 1): Acklam's rational approximation, refined by two Halley steps on erfc to full precision.
inline double normal_ppf(double p) {
    constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                            1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                            6.680131188771972e+01, -1.328068155288572e+01};
    constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                            -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
    constexpr double low = 0.02425;
    double x;
    if (p < low) {
        const double q = std::sqrt(-2 * std::log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p > 1 - low) {
        const double q = std::sqrt(-2 * std::log1p(-p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else {
        const double q = p - 0.5, r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
    for (int step = 0; step < 2; ++step) {
        const double e = 0.5 * std::erfc(-x / std::numbers::sqrt2) - p;
        const double u = e * std::sqrt(2 * std::numbers::pi) * std::exp(x * x / 2);
        x -= u / (1 + x * u / 2);
    }
    return x;
}

/// scikit-learn's `_handle_zeros_in_scale`: a scale below 10·epsilon (of T) becomes 1.
template <class T>
T nonzero_scale(T scale) {
    return scale < T(10) * std::numeric_limits<T>::epsilon() ? T(1) : scale;
}

/// The non-NaN values of column j of X, ascending, in double; throws invalid_input when there is
/// none (scikit-learn would fit NaN statistics there).
template <class M>
std::vector<double> sorted_observed(const M& X, Index j, std::string_view estimator) {
    std::vector<double> values;
    values.reserve(static_cast<std::size_t>(X.rows()));
    for (Index i = 0; i < X.rows(); ++i) {
        const double x = static_cast<double>(X(i, j));
        if (x == x) values.push_back(x);
    }
    if (values.empty()) {
        throw invalid_input(prefixed(
            estimator, "feature " + std::to_string(j) + " has no value but NaN; it needs at least one to fit"));
    }
    std::sort(values.begin(), values.end());
    return values;
}

}  // namespace kestrel::detail
