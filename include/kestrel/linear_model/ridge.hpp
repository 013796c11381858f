#pragma once
/// \file
/// Ridge: least squares with an L2 penalty, in closed form.

#include <concepts>
#include <string_view>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/dataset.hpp"
#include "../core/params.hpp"
#include "../core/types.hpp"
#include "detail/linear_regressor.hpp"

namespace kestrel::linear_model {

/// Ridge's hyperparameters, in scikit-learn's order.
struct RidgeParams {
    /// The estimator's name, as scikit-learn spells it: in messages, printing and model files.
    static constexpr std::string_view name = "Ridge";
    double alpha = 1.0;         ///< L2 penalty strength, ≥ 0
    bool fit_intercept = true;  ///< centre X and y and fit b
    int n_jobs = 0;             ///< threads forming XᵀX; 0 = all cores
    friend constexpr bool operator==(const RidgeParams&, const RidgeParams&) = default;
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static constexpr void fields(Self& p, F&& field) {
        field("alpha", p.alpha);
        field("fit_intercept", p.fit_intercept);
        field("n_jobs", p.n_jobs);
    }
    /// Throws invalid_parameter naming the first field out of its range; constexpr, so a constant
    /// Params with a bad value does not compile.
    constexpr void validate() const { require_param(alpha >= 0, name, "alpha", alpha, "must be >= 0"); }
};

/// L2-penalised least squares, as scikit-learn's `Ridge` with its Cholesky solver: minimises
/// Σ wᵢ (yᵢ − xᵢ·w − b)² + α‖w‖² (the intercept is not penalised).
///
/// Solves (XᵀX + αI) w = Xᵀy by Cholesky on the centred, weighted normal equations, or, with more
/// features than samples, the kernel system (XXᵀ + αI) c = y with w = Xᵀc. α = 0 falls back to the
/// minimum-norm least-squares answer when X is rank deficient. Float data too ill conditioned for
/// float's normal equations has them formed in double, as LinearRegression. `fit` takes y as a vector, or a
/// matrix Y of several targets sharing α (read coef_matrix(), intercept_vector(), predict_matrix()).
/// Throws invalid_parameter for α < 0; invalid_input on NaN/inf, empty X or mismatched lengths.
template <std::floating_point T = double>
class Ridge : public detail::closed_form_regressor<Ridge<T>, T, RidgeParams> {
    using base = detail::closed_form_regressor<Ridge<T>, T, RidgeParams>;

public:
    /// The class's name in messages, in its printed repr and in model files.
    static constexpr std::string_view name = RidgeParams::name;
    using base::base;
    using base::fit;
};

}  // namespace kestrel::linear_model
