#pragma once
/// \file
/// Lasso: least squares with an L1 penalty, by coordinate descent.

#include <concepts>
#include <string_view>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/dataset.hpp"
#include "../core/params.hpp"
#include "../core/types.hpp"
#include "detail/coordinate_descent.hpp"
#include "options.hpp"

namespace kestrel::linear_model {

/// Lasso's hyperparameters, in scikit-learn's order.
struct LassoParams {
    /// The estimator's name, as scikit-learn spells it: in messages, printing and model files.
    static constexpr std::string_view name = "Lasso";
    double alpha = 1.0;                         ///< L1 penalty strength, ≥ 0
    bool fit_intercept = true;                  ///< centre X and y and fit b
    Precompute precompute = Precompute::auto_;  ///< descend on XᵀX instead of X
    int max_iter = 1000;                        ///< passes over the coordinates, ≥ 1
    double tol = 1e-4;                          ///< duality-gap tolerance, relative to ‖y − ȳ‖²
    bool warm_start = false;                    ///< start from the previous fit's coefficients
    bool positive = false;                      ///< constrain the coefficients to be ≥ 0
    int n_jobs = 0;                             ///< threads forming XᵀX; 0 = all cores
    friend constexpr bool operator==(const LassoParams&, const LassoParams&) = default;
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static constexpr void fields(Self& p, F&& field) {
        field("alpha", p.alpha);
        field("fit_intercept", p.fit_intercept);
        field("precompute", p.precompute);
        field("max_iter", p.max_iter);
        field("tol", p.tol);
        field("warm_start", p.warm_start);
        field("positive", p.positive);
        field("n_jobs", p.n_jobs);
    }
    /// Throws invalid_parameter naming the first field out of its range; constexpr, so a constant
    /// Params with a bad value does not compile.
    constexpr void validate() const {
        require_param(alpha >= 0, name, "alpha", alpha, "must be >= 0");
        require_param(max_iter >= 1, name, "max_iter", max_iter, "must be >= 1");
        require_param(tol >= 0, name, "tol", tol, "must be >= 0");
    }
};

/// L1-penalised least squares, as scikit-learn's `Lasso`: minimises
/// (1/2n) Σ wᵢ (yᵢ − xᵢ·w − b)² + α‖w‖₁, sample weights rescaled to sum to n.
///
/// Cyclic coordinate descent (Friedman, Hastie and Tibshirani 2010) with scikit-learn's stopping
/// rule: after a pass whose largest coefficient change is below tol·max|w|, the duality gap is
/// computed and the fit stops once it is below tol·‖y − ȳ‖². With `precompute` (default auto:
/// when n > d, unlike scikit-learn's default False, which reaches the same answer more slowly)
/// it works on the Gram matrix XᵀX, formed in one parallel pass. Non-convergence is reported by
/// converged() and n_iter() == max_iter, not thrown. Throws invalid_parameter for α < 0,
/// max_iter < 1, tol < 0; invalid_input on NaN/inf, empty X or mismatched lengths.
template <std::floating_point T = double>
class Lasso : public detail::coordinate_descent_regressor<Lasso<T>, T, LassoParams> {
    using base = detail::coordinate_descent_regressor<Lasso<T>, T, LassoParams>;

public:
    /// The class's name in messages, in its printed repr and in model files.
    static constexpr std::string_view name = LassoParams::name;
    using base::base;
    using base::fit;
};

}  // namespace kestrel::linear_model
