#pragma once
/// \file
/// LinearRegression: ordinary least squares.

#include <concepts>
#include <string_view>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/dataset.hpp"
#include "../core/params.hpp"
#include "../core/types.hpp"
#include "detail/linear_regressor.hpp"

namespace kestrel::linear_model {

/// LinearRegression's hyperparameters, in scikit-learn's order.
struct LinearRegressionParams {
    static constexpr std::string_view name = "LinearRegression";
    bool fit_intercept = true;  ///< centre X and y and fit b
    int n_jobs = 0;             ///< threads forming XᵀX; 0 = all cores
    friend constexpr bool operator==(const LinearRegressionParams&, const LinearRegressionParams&) = default;
    constexpr void validate() const noexcept {}
};

/// Ordinary least squares, as scikit-learn's `LinearRegression`: minimises Σ wᵢ (yᵢ − xᵢ·w − b)².
///
/// Forms the centred normal equations XᵀX in one pass over X (parallel over fixed row chunks, so
/// the answer does not depend on the thread count) and solves them by Cholesky. When X is rank
/// deficient or so ill conditioned that the normal equations would lose accuracy, it solves the
/// centred problem by a complete orthogonal decomposition instead and returns the minimum-norm
/// coefficients, the answer of scikit-learn's `scipy.linalg.lstsq`. With more features than
/// samples it solves the n × n kernel system. `fit` also takes a matrix Y of several targets
/// (see `coef_matrix()`). Throws invalid_input on NaN/inf, empty X or mismatched lengths.
template <std::floating_point T = double>
class LinearRegression : public detail::linear_regressor<LinearRegression<T>, T, LinearRegressionParams> {
    using base = detail::linear_regressor<LinearRegression<T>, T, LinearRegressionParams>;

public:
    static constexpr std::string_view name = LinearRegressionParams::name;
    using base::base;
    using base::fit;

    /// Fits y ≈ X w + b with per-sample weights (non-negative, not all zero).
    template <matrix_of<T> M, vector_of<T> V, vector_of<T> W>
    LinearRegression& fit(const M& X, const V& y, const W& sample_weight) {
        return fit_targets(X, Vector<T>(y), sample_weight);
    }
    /// Fits several targets at once, one per column of Y; read the answer with coef_matrix().
    template <matrix_of<T> M, matrix_of<T> Y>
        requires(Y::ColsAtCompileTime != 1)
    LinearRegression& fit(const M& X, const Y& targets) {
        return fit_targets(X, detail::ColMatrix<T>(targets), Vector<T>());
    }

private:
    template <class M, class W>
    LinearRegression& fit_targets(const M& X, const detail::ColMatrix<T>& Y, const W& sample_weight) {
        this->fit_closed_form(X, Y, sample_weight, this->params_.fit_intercept, T(0), this->params_.n_jobs);
        return *this;
    }
};

}  // namespace kestrel::linear_model
