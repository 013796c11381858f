#pragma once
/// \file
/// Newton's method with Cholesky-solved steps and a backtracking line search, for a binary
/// logistic objective, as scikit-learn 1.2's NewtonCholeskySolver.

#include <cmath>
#include <limits>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include "lbfgs.hpp"
#include "logistic_loss.hpp"

namespace kestrel::linear_model::detail {

/// Minimises a binary logistic objective (a logistic_objective, or one that answers as it does:
/// f and ∇f, and binomial_hessian) from x (updated in place). Each iteration solves
/// H·step = −g by Cholesky and backtracks (halving, Armijo constant 2⁻¹¹, at most 21 tries) until
/// the objective decreases enough, or, at round-off level, until Σ|g| shrinks. Converged when
/// max|g| ≤ tol and half the Newton decrement stepᵀH·step is ≤ tol. A Hessian that is not
/// numerically positive definite, an ascent step or a failed line search hands over to L-BFGS
/// (SciPy's settings for this fallback: 50 line-search steps, ftol 64ε). `progress` hears of each
/// iteration's objective and may end the run early (not converged).
template <class Objective>
lbfgs_result minimize_newton_cholesky(const Objective& objective, Eigen::VectorXd& x, double tol,
                                      int max_iter, kestrel::detail::progress_reporter* progress = nullptr) {
    using Eigen::VectorXd;
    const double eps = std::numeric_limits<double>::epsilon();
    lbfgs_result result;
    VectorXd g(x.size()), g_new(x.size());
    double f = objective(x, g);
    result.n_evaluations = 1;
    if (!std::isfinite(f) || !g.allFinite()) {
        result.finite_start = false;
        return result;
    }
    for (int iteration = 1; iteration <= max_iter; ++iteration) {
        const Eigen::MatrixXd H = objective.binomial_hessian(x);
        ++result.n_hessians;
        const Eigen::LLT<Eigen::MatrixXd> llt(H);
        bool fallback = llt.info() != Eigen::Success || !(llt.rcond() > eps);
        VectorXd step;
        double slope = 0;
        if (!fallback) {
            step = llt.solve(-g);
            slope = g.dot(step);
            fallback = !(slope <= 0);
        }
        bool accepted = false;
        if (!fallback) {
            double t = 1;
            for (int trial = 0; trial < 21 && !accepted; ++trial, t *= 0.5) {
                const VectorXd candidate = x + t * step;
                const double f_new = objective(candidate, g_new);
                ++result.n_evaluations;
                const double improvement = f_new - f;
                accepted = improvement <= t * 0x1p-11 * slope ||
                           (std::abs(improvement) <= 16 * eps * std::abs(f) && g_new.lpNorm<1>() < g.lpNorm<1>());
                if (accepted) {
                    x = candidate;
                    f = f_new;
                    g = g_new;
                }
            }
        }
        if (!accepted) {
            const lbfgs_result rescue = minimize_lbfgs(objective, x, {max_iter, tol, 64 * eps, 50, 10, progress});
            result.converged = rescue.converged;
            result.n_evaluations += rescue.n_evaluations;
            return result;
        }
        result.n_iter = iteration;
        if (g.lpNorm<Eigen::Infinity>() <= tol && 0.5 * step.dot(H * step) <= tol) {
            result.converged = true;
            return result;
        }
        if (progress != nullptr && progress->tick(f)) return result;
    }
    return result;
}

}  // namespace kestrel::linear_model::detail
