#pragma once
/// \file
/// Regression metrics, as sklearn.metrics: R², mean squared error, mean absolute error.

#include <cmath>
#include <string_view>

#include <Eigen/Core>

#include "../core/types.hpp"
#include "detail/inputs.hpp"

namespace kestrel::metrics {

namespace detail {

// Per-sample residuals y_true − y_pred in double, and the weights (ones when none are given).
struct Residuals {
    Eigen::VectorXd y_true, residual, w;
};

template <class V1, class V2, class W>
Residuals residuals(const V1& y_true, const V2& y_pred, const W& sample_weight, std::string_view metric) {
    check_lengths(y_true.size(), y_pred.size(), metric);
    kestrel::detail::check_finite(y_true, metric, "y_true");
    kestrel::detail::check_finite(y_pred, metric, "y_pred");
    Eigen::VectorXd t = y_true.template cast<double>();
    Eigen::VectorXd r = t - y_pred.template cast<double>();
    return {std::move(t), std::move(r), weights_or_ones(sample_weight, y_true.size(), metric)};
}

}  // namespace detail

/// Coefficient of determination 1 − Σw(y − ŷ)² / Σw(y − ȳ)², ȳ the weighted mean. A constant
/// y_true gives 1 when predicted exactly and 0 otherwise (scikit-learn's force_finite). Throws
/// invalid_input (lengths, fewer than two samples, non-finite values, bad weights).
template <real_vector V1, real_vector V2, real_vector W = Vector<value_of<V1>>>
requires std::same_as<value_of<V1>, value_of<V2>> value_of<V1> r2_score(const V1& y_true, const V2& y_pred,
                                                                        const W& sample_weight = W()) {
    using T = value_of<V1>;
    const detail::Residuals d = detail::residuals(y_true, y_pred, sample_weight, "r2_score");
    if (d.y_true.size() < 2) {
        throw invalid_input("r2_score: R^2 is not defined with fewer than two samples");
    }
    const double mean = d.y_true.dot(d.w) / d.w.sum();
    const double numerator = d.residual.array().square().matrix().dot(d.w);
    const double denominator = (d.y_true.array() - mean).square().matrix().dot(d.w);
    if (denominator == 0) return numerator == 0 ? T(1) : T(0);
    return static_cast<T>(1 - numerator / denominator);
}

/// Σw(y − ŷ)² / Σw. Throws invalid_input (lengths, no samples, non-finite values, bad weights).
template <real_vector V1, real_vector V2, real_vector W = Vector<value_of<V1>>>
requires std::same_as<value_of<V1>, value_of<V2>> value_of<V1> mean_squared_error(const V1& y_true, const V2& y_pred,
                                                                                  const W& sample_weight = W()) {
    const detail::Residuals d = detail::residuals(y_true, y_pred, sample_weight, "mean_squared_error");
    return static_cast<value_of<V1>>(d.residual.array().square().matrix().dot(d.w) / d.w.sum());
}

/// Σw|y − ŷ| / Σw. Throws invalid_input (lengths, no samples, non-finite values, bad weights).
template <real_vector V1, real_vector V2, real_vector W = Vector<value_of<V1>>>
requires std::same_as<value_of<V1>, value_of<V2>> value_of<V1> mean_absolute_error(const V1& y_true, const V2& y_pred,
                                                                                   const W& sample_weight = W()) {
    const detail::Residuals d = detail::residuals(y_true, y_pred, sample_weight, "mean_absolute_error");
    return static_cast<value_of<V1>>(d.residual.cwiseAbs().dot(d.w) / d.w.sum());
}

}  // namespace kestrel::metrics
