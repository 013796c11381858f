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
    /// The estimator's name, as scikit-learn spells it: in messages, printing and model files.
    static constexpr std::string_view name = "LinearRegression";
    bool fit_intercept = true;  ///< centre X and y and fit b
    int n_jobs = 0;             ///< threads forming XᵀX; 0 = all cores
    friend constexpr bool operator==(const LinearRegressionParams&, const LinearRegressionParams&) = default;
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static constexpr void fields(Self& p, F&& field) {
        field("fit_intercept", p.fit_intercept);
        field("n_jobs", p.n_jobs);
    }
    /// Throws invalid_parameter naming the first field out of its range; constexpr, so a constant
    /// Params with a bad value does not compile.
    constexpr void validate() const noexcept {}
};

/// Ordinary least squares, as scikit-learn's `LinearRegression`: minimises Σ wᵢ (yᵢ − xᵢ·w − b)².
///
/// Forms the centred normal equations XᵀX in one pass over X (parallel over fixed row chunks, so
/// the answer does not depend on the thread count) and solves them by Cholesky. When X is rank
/// deficient or so ill conditioned that the normal equations would lose accuracy, it solves the
/// centred problem by a complete orthogonal decomposition instead and returns the minimum-norm
/// coefficients, the answer of scikit-learn's `scipy.linalg.lstsq`. Float data too ill conditioned
/// for float's normal equations has them formed in double from its float rows, so that its
/// coefficients are as accurate as double's on the same numbers. With more features than samples
/// it solves the n × n kernel system. `fit` also takes a matrix Y of several targets (see
/// `coef_matrix()`). Throws invalid_input on NaN/inf, empty X or mismatched lengths.
template <std::floating_point T = double>
class LinearRegression : public detail::closed_form_regressor<LinearRegression<T>, T, LinearRegressionParams> {
    using base = detail::closed_form_regressor<LinearRegression<T>, T, LinearRegressionParams>;

public:
    /// The class's name in messages, in its printed repr and in model files.
    static constexpr std::string_view name = LinearRegressionParams::name;
    using base::base;
    using base::fit;
};

}  // namespace kestrel::linear_model
