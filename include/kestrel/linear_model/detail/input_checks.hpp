#pragma once
/// \file
/// Input checks of the linear models, on top of the core's.

#include <string_view>

#include <Eigen/Core>

#include "../../core/detail/validation.hpp"
#include "../../core/types.hpp"

namespace kestrel::linear_model::detail {

using kestrel::detail::check_finite;
using kestrel::detail::check_predict_matrix;

/// Checks X and the targets Y (one column per target) of a regression fit and returns the sample
/// weights to use: empty for uniform weights, otherwise checked ones.
template <class T, class M, class Y, class W>
Vector<T> checked_regression_input(const M& X, const Y& y, const W& sample_weight, std::string_view estimator) {
    kestrel::detail::check_not_empty(X, estimator);
    check_finite(X, estimator);
    kestrel::detail::check_same_length(X.rows(), y.rows(), estimator, "y");
    check_finite(y, estimator, "y");
    if (sample_weight.size() == 0) return Vector<T>();
    return kestrel::detail::checked_sample_weight<T>(sample_weight, X.rows(), estimator);
}

}  // namespace kestrel::linear_model::detail
