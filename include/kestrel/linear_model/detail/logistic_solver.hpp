#pragma once
/// \file
/// One entry to the logistic regression solvers, so that kestrel::compiled can instantiate the
/// objective's derivatives, L-BFGS and the Newton solver once per scalar.

#include <string_view>

#include <Eigen/Core>

#include "../../core/detail/validation.hpp"
#include "../../core/progress.hpp"
#include "../../core/types.hpp"
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

/// The rows of a LogisticRegression fit held by this process alone: the classes are those of y,
/// the sums are what they are, and the solver runs on the objective as it stands.
struct local_rows {
    /// The sorted distinct labels (at least two).
    static Labels classes(const Labels& y, std::string_view estimator) {
        return kestrel::detail::unique_labels(y, estimator);
    }
    /// The total of a value over all rows' holders: here, the value.
    static double sum(double value) noexcept { return value; }
    /// Sums over all rows' holders, in place: here, nothing to add.
    static void sum(Eigen::VectorXd&) noexcept {}
    /// The L2 strength this holder's objective carries: all of it.
    static double local_l2(double l2) noexcept { return l2; }
    /// Minimises the objective (see solve_logistic).
    template <class T>
    static lbfgs_result solve(const logistic_objective<T>& objective, Eigen::VectorXd& x, bool newton, int max_iter,
                              double tol, kestrel::detail::progress_reporter* progress) {
        return solve_logistic(objective, x, newton, max_iter, tol, progress);
    }
    /// Throws invalid_input naming X's first NaN or infinity.
    template <class T>
    static void check_finite(const row_major_ref<T>& X, std::string_view estimator) {
        kestrel::detail::check_finite(X, estimator);
    }
};

#if defined(KESTREL_SEPARATE_COMPILATION)
// Compiled once in kestrel::compiled (src/instantiations_*.cpp).
extern template lbfgs_result solve_logistic<float>(const logistic_objective<float>&, Eigen::VectorXd&, bool, int,
                                                   double, kestrel::detail::progress_reporter*);
extern template lbfgs_result solve_logistic<double>(const logistic_objective<double>&, Eigen::VectorXd&, bool, int,
                                                    double, kestrel::detail::progress_reporter*);
#endif

}  // namespace kestrel::linear_model::detail
