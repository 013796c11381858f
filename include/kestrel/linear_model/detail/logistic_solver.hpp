#pragma once
/// \file
/// One entry to the logistic regression solvers, so that kestrel::compiled can instantiate the
/// objective's derivatives, L-BFGS and the Newton solver once per scalar.

#include <Eigen/Core>

#include "lbfgs.hpp"
#include "logistic_loss.hpp"
#include "newton_cholesky.hpp"

namespace kestrel::linear_model::detail {

/// Minimises `objective` from x (updated in place) by Newton–Cholesky steps (`newton`, binary
/// objectives only) or L-BFGS, within max_iter iterations and tolerance tol, reporting each
/// iteration to `progress` (which may be null).
template <class T>
lbfgs_result solve_logistic(const logistic_objective<T>& objective, Eigen::VectorXd& x, bool newton, int max_iter,
                            double tol, kestrel::detail::progress_reporter* progress) {
    return newton ? minimize_newton_cholesky(objective, x, tol, max_iter, progress)
                  : minimize_lbfgs(objective, x, {.max_iter = max_iter, .gtol = tol, .progress = progress});
}

#if defined(KESTREL_SEPARATE_COMPILATION)
// Compiled once in kestrel::compiled (src/instantiations_*.cpp).
extern template lbfgs_result solve_logistic<float>(const logistic_objective<float>&, Eigen::VectorXd&, bool, int,
                                                   double, kestrel::detail::progress_reporter*);
extern template lbfgs_result solve_logistic<double>(const logistic_objective<double>&, Eigen::VectorXd&, bool, int,
                                                    double, kestrel::detail::progress_reporter*);
#endif

}  // namespace kestrel::linear_model::detail
