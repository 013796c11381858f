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

namespace kestrel::linear_model {

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
class Lasso : public detail::coordinate_descent_regressor<T> {
public:
    static constexpr std::string_view name = "Lasso";

    struct Params {
        double alpha = 1.0;                        ///< L1 penalty strength, ≥ 0
        bool fit_intercept = true;                 ///< centre X and y and fit b
        Precompute precompute = Precompute::auto_;  ///< descend on XᵀX instead of X
        int max_iter = 1000;                       ///< passes over the coordinates, ≥ 1
        double tol = 1e-4;                         ///< duality-gap tolerance, relative to ‖y − ȳ‖²
        bool warm_start = false;                   ///< start from the previous fit's coefficients
        bool positive = false;                     ///< constrain the coefficients to be ≥ 0
        int n_jobs = 0;                            ///< threads forming XᵀX; 0 = all cores
        friend constexpr bool operator==(const Params&, const Params&) = default;
        constexpr void validate() const {
            require_param(alpha >= 0, name, "alpha", alpha, "must be >= 0");
            require_param(max_iter >= 1, name, "max_iter", max_iter, "must be >= 1");
            require_param(tol >= 0, name, "tol", tol, "must be >= 0");
        }
    };

    explicit Lasso(Params params = {}) : detail::coordinate_descent_regressor<T>(name), params_(params) {}

    [[nodiscard]] const Params& params() const noexcept { return params_; }
    Lasso& set_params(const Params& params) {
        params_ = params;
        return *this;
    }

    template <matrix_of<T> M, vector_of<T> V>
    Lasso& fit(const M& X, const V& y) {
        return fit(X, y, Vector<T>());
    }
    /// Fits with per-sample weights (non-negative, not all zero).
    template <matrix_of<T> M, vector_of<T> V, vector_of<T> W>
    Lasso& fit(const M& X, const V& y, const W& sample_weight) {
        params_.validate();
        const Params& p = params_;
        this->fit_elastic_net(X, y, sample_weight,
                              {p.alpha, 1.0, p.fit_intercept, p.precompute, p.max_iter, p.tol, p.warm_start,
                               p.positive, p.n_jobs});
        return *this;
    }
    Lasso& fit(const Dataset<T, Vector<T>>& data) { return fit(data.X, data.y, data.sample_weight); }

private:
    Params params_;
};

}  // namespace kestrel::linear_model
