#pragma once
/// \file
/// libsvm's SMO solver for the duals of C-SVC and ε-SVR:
///
///     min_α ½ αᵀQα + pᵀα   subject to  yᵀα = 0,  0 ≤ αₜ ≤ Cₜ,   Qₜₖ = yₜ yₖ K(x_{s(t)}, x_{s(k)}),
///
/// yₜ = ±1 and s(t) the training row of variable t (ε-SVR has two variables per row). Each
/// iteration updates the pair chosen by second-order working-set selection (Fan, Chen and Lin,
/// "Working set selection using second order information for training SVM", JMLR 6, 2005), with
/// libsvm's shrinking of bound variables and gradient reconstruction; it stops when the maximal
/// violating pair's gap is below tol, and takes the bias as libsvm does (the mean of yₜ∇f over
/// free variables, else the middle of the feasible interval). Chang and Lin, "LIBSVM: a library
/// for support vector machines", ACM TIST 2, 2011, §4.1.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "../../core/progress.hpp"
#include "../../core/types.hpp"
#include "../../core/warnings.hpp"
#include "kernel_cache.hpp"

namespace kestrel::svm::detail {

/// The dual problem's data besides Q's kernel: one entry per variable.
struct smo_problem {
    Eigen::VectorXd p;       ///< linear term
    Eigen::VectorXi y;       ///< ±1
    Eigen::VectorXd C;       ///< upper bound of each variable (C times the sample's weights)
    std::vector<Index> row;  ///< the kernel row of each variable
    Eigen::VectorXd alpha;   ///< the feasible starting point; empty: α = 0
    /// ν's form (libsvm's Solver_NU): besides yᵀα = 0 the sum of α is fixed too, so pairs are
    /// chosen within one sign of y and the bias comes from each sign's free variables.
    bool nu = false;
};

/// scikit-learn's warning for a solver that stopped at max_iter.
inline void warn_terminated_early(std::string_view estimator, std::int64_t max_iter) {
    warn(warning_category::convergence, estimator,
         "the solver terminated early (max_iter=" + std::to_string(max_iter) +
             "); consider scaling the data with preprocessing::StandardScaler or MinMaxScaler");
}

/// What the solver found.
struct smo_result {
    Eigen::VectorXd alpha;  ///< the dual variables, ≥ 0 (callers multiply by y)
    double rho = 0;         ///< the bias: decision values are Σ yₜαₜ K(x_{s(t)}, x) − rho
    double objective = 0;   ///< ½αᵀQα + pᵀα
    double r = 0;           ///< ν's form: the mean of the two signs' biases (ν-SVC divides by it)
    std::int64_t n_iter = 0;
    bool reached_max_iter = false;
};

/// Solves the dual (see the file comment) from problem.alpha (α = 0 when empty). `max_iter` < 0 means libsvm's own cap,
/// max(10⁷, 100·l) iterations. `progress` (may be null, may be shared by solvers running in
/// parallel) hears of every 1000 iterations (or l, when fewer) and may stop the solver, which
/// then ends as at max_iter.
template <std::floating_point T>
smo_result solve_smo(kernel_cache<T>& kernel, const smo_problem& problem, double tol, bool shrinking,
                     std::int64_t max_iter, kestrel::detail::progress_reporter* progress = nullptr) {
    constexpr double tau = 1e-12;  // libsvm's TAU: the curvature used when Q's is not positive
    constexpr double inf = std::numeric_limits<double>::infinity();
    const Index l = problem.p.size();
    const Eigen::VectorXi& y = problem.y;
    const Eigen::VectorXd& C = problem.C;
    const std::vector<Index>& row = problem.row;

    enum class bound : unsigned char { lower, upper, free };
    Eigen::VectorXd alpha = problem.alpha.size() == l ? problem.alpha : Eigen::VectorXd::Zero(l);
    std::vector<bound> status(static_cast<std::size_t>(l));
    const auto update_status = [&](Index t) {
        status[static_cast<std::size_t>(t)] = alpha[t] >= C[t] ? bound::upper
                                              : alpha[t] <= 0  ? bound::lower
                                                               : bound::free;
    };
    const auto is_upper = [&](Index t) { return status[static_cast<std::size_t>(t)] == bound::upper; };
    const auto is_lower = [&](Index t) { return status[static_cast<std::size_t>(t)] == bound::lower; };
    for (Index t = 0; t < l; ++t) update_status(t);

    Eigen::VectorXd QD(l);
    for (Index t = 0; t < l; ++t) QD[t] = kernel.diagonal(row[t]);
    // Qₜₖ from the kernel row of t: yₜ yₖ K.
    const auto q = [&](Index t, const float* kt, Index k) {
        return static_cast<double>(y[t] * y[k]) * static_cast<double>(kt[row[k]]);
    };

    // ∇f = Qα + p, and Ḡ = Σ over variables at their upper bound of Cₜ Q₍ₜ₎, from which the
    // gradient of shrunk variables is rebuilt without their rows.
    Eigen::VectorXd G = problem.p;
    Eigen::VectorXd G_bar = Eigen::VectorXd::Zero(l);
    for (Index t = 0; t < l; ++t) {
        if (is_lower(t)) continue;
        const float* kt = kernel.row(row[t]);
        for (Index k = 0; k < l; ++k) G[k] += alpha[t] * q(t, kt, k);
        if (is_upper(t)) {
            for (Index k = 0; k < l; ++k) G_bar[k] += C[t] * q(t, kt, k);
        }
    }

    // Variables by position: the first active_size are active, the rest shrunk. Shrinking swaps
    // positions as libsvm does, so that ties in the selection break as in libsvm.
    std::vector<Index> order(static_cast<std::size_t>(l));
    for (Index t = 0; t < l; ++t) order[static_cast<std::size_t>(t)] = t;
    Index active_size = l;
    const auto at = [&](Index position) { return order[static_cast<std::size_t>(position)]; };
    bool unshrink = false;

    const auto reconstruct_gradient = [&] {
        if (active_size == l) return;
        for (Index s = active_size; s < l; ++s) G[at(s)] = G_bar[at(s)] + problem.p[at(s)];
        Index n_free = 0;
        for (Index s = 0; s < active_size; ++s) n_free += status[static_cast<std::size_t>(at(s))] == bound::free;
        // Q is symmetric: read the rows of whichever set costs less, as libsvm chooses.
        if (n_free * l > 2 * active_size * (l - active_size)) {
            for (Index s = active_size; s < l; ++s) {
                const Index i = at(s);
                const float* ki = kernel.row(row[i]);
                for (Index r = 0; r < active_size; ++r) {
                    const Index j = at(r);
                    if (status[static_cast<std::size_t>(j)] == bound::free) G[i] += alpha[j] * q(i, ki, j);
                }
            }
        } else {
            for (Index r = 0; r < active_size; ++r) {
                const Index j = at(r);
                if (status[static_cast<std::size_t>(j)] != bound::free) continue;
                const float* kj = kernel.row(row[j]);
                for (Index s = active_size; s < l; ++s) G[at(s)] += alpha[j] * q(j, kj, at(s));
            }
        }
        active_size = l;
    };

    // Second-order working set selection; false when the gap max violation is ≤ tol.
    const auto select_working_set = [&](Index& out_i, Index& out_j) {
        double Gmax = -inf, Gmax2 = -inf, obj_diff_min = inf;
        Index i = -1, j = -1;
        for (Index s = 0; s < active_size; ++s) {
            const Index t = at(s);
            if (y[t] == 1) {
                if (!is_upper(t) && -G[t] >= Gmax) {
                    Gmax = -G[t];
                    i = t;
                }
            } else if (!is_lower(t) && G[t] >= Gmax) {
                Gmax = G[t];
                i = t;
            }
        }
        if (i < 0) return false;
        const float* ki = kernel.row(row[i]);
        for (Index s = 0; s < active_size; ++s) {
            const Index t = at(s);
            // grad_diff > 0: moving the pair (i, t) decreases f; the decrease of the two-variable
            // Newton step is grad_diff² / (2·curvature).
            double grad_diff = 0, curvature = 0;
            if (y[t] == 1) {
                if (is_lower(t)) continue;
                Gmax2 = std::max(Gmax2, G[t]);
                grad_diff = Gmax + G[t];
                curvature = QD[i] + QD[t] - 2.0 * y[i] * q(i, ki, t);
            } else {
                if (is_upper(t)) continue;
                Gmax2 = std::max(Gmax2, -G[t]);
                grad_diff = Gmax - G[t];
                curvature = QD[i] + QD[t] + 2.0 * y[i] * q(i, ki, t);
            }
            if (grad_diff > 0) {
                const double obj_diff = -(grad_diff * grad_diff) / (curvature > 0 ? curvature : tau);
                if (obj_diff <= obj_diff_min) {
                    j = t;
                    obj_diff_min = obj_diff;
                }
            }
        }
        if (Gmax + Gmax2 < tol || j < 0) return false;
        out_i = i;
        out_j = j;
        return true;
    };

    // ν's selection: the first variable is the most violating of either sign, the second the best
    // partner of the same sign, since only such pairs keep both sums fixed.
    const auto select_working_set_nu = [&](Index& out_i, Index& out_j) {
        double Gmaxp = -inf, Gmaxp2 = -inf, Gmaxn = -inf, Gmaxn2 = -inf, obj_diff_min = inf;
        Index ip = -1, in = -1, j = -1;
        for (Index s = 0; s < active_size; ++s) {
            const Index t = at(s);
            if (y[t] == 1) {
                if (!is_upper(t) && -G[t] >= Gmaxp) {
                    Gmaxp = -G[t];
                    ip = t;
                }
            } else if (!is_lower(t) && G[t] >= Gmaxn) {
                Gmaxn = G[t];
                in = t;
            }
        }
        const float* kp = ip >= 0 ? kernel.row(row[ip]) : nullptr;
        const float* kn = in >= 0 ? kernel.row(row[in]) : nullptr;
        for (Index s = 0; s < active_size; ++s) {
            const Index t = at(s);
            double grad_diff = 0, curvature = 0;
            if (y[t] == 1) {
                if (is_lower(t)) continue;
                Gmaxp2 = std::max(Gmaxp2, G[t]);
                grad_diff = Gmaxp + G[t];
                if (grad_diff <= 0) continue;
                curvature = QD[ip] + QD[t] - 2.0 * q(ip, kp, t);
            } else {
                if (is_upper(t)) continue;
                Gmaxn2 = std::max(Gmaxn2, -G[t]);
                grad_diff = Gmaxn - G[t];
                if (grad_diff <= 0) continue;
                curvature = QD[in] + QD[t] - 2.0 * q(in, kn, t);
            }
            const double obj_diff = -(grad_diff * grad_diff) / (curvature > 0 ? curvature : tau);
            if (obj_diff <= obj_diff_min) {
                j = t;
                obj_diff_min = obj_diff;
            }
        }
        if (std::max(Gmaxp + Gmaxp2, Gmaxn + Gmaxn2) < tol || j < 0) return false;
        out_i = y[j] == 1 ? ip : in;
        out_j = j;
        return true;
    };

    // A variable at a bound whose gradient pushes it further out stays there (libsvm's
    // be_shrunk); Gmax1, Gmax2 are the current maximal violations (ν: Gmax1, Gmax2 of y = +1,
    // Gmax3, Gmax4 of y = −1).
    const auto be_shrunk = [&](Index t, double Gmax1, double Gmax2) {
        if (is_upper(t)) return y[t] == 1 ? -G[t] > Gmax1 : -G[t] > Gmax2;
        if (is_lower(t)) return y[t] == 1 ? G[t] > Gmax2 : G[t] > Gmax1;
        return false;
    };
    const auto be_shrunk_nu = [&](Index t, double Gmax1, double Gmax2, double Gmax3, double Gmax4) {
        if (is_upper(t)) return y[t] == 1 ? -G[t] > Gmax1 : -G[t] > Gmax4;
        if (is_lower(t)) return y[t] == 1 ? G[t] > Gmax2 : G[t] > Gmax3;
        return false;
    };
    // Each shrunk variable swaps places with the last active one that stays.
    const auto shrink_where = [&](auto&& shrunk) {
        for (Index s = 0; s < active_size; ++s) {
            if (!shrunk(at(s))) continue;
            for (--active_size; active_size > s; --active_size) {
                if (!shrunk(at(active_size))) {
                    std::swap(order[static_cast<std::size_t>(s)], order[static_cast<std::size_t>(active_size)]);
                    break;
                }
            }
        }
    };
    const auto do_shrinking_nu = [&] {
        double Gmax1 = -inf, Gmax2 = -inf, Gmax3 = -inf, Gmax4 = -inf;
        for (Index s = 0; s < active_size; ++s) {
            const Index t = at(s);
            if (!is_upper(t)) {
                if (y[t] == 1) {
                    Gmax1 = std::max(Gmax1, -G[t]);
                } else {
                    Gmax4 = std::max(Gmax4, -G[t]);
                }
            }
            if (!is_lower(t)) {
                if (y[t] == 1) {
                    Gmax2 = std::max(Gmax2, G[t]);
                } else {
                    Gmax3 = std::max(Gmax3, G[t]);
                }
            }
        }
        if (!unshrink && std::max(Gmax1 + Gmax2, Gmax3 + Gmax4) <= tol * 10) {
            unshrink = true;
            reconstruct_gradient();
        }
        shrink_where([&](Index t) { return be_shrunk_nu(t, Gmax1, Gmax2, Gmax3, Gmax4); });
    };
    const auto do_shrinking = [&] {
        if (problem.nu) {
            do_shrinking_nu();
            return;
        }
        double Gmax1 = -inf, Gmax2 = -inf;
        for (Index s = 0; s < active_size; ++s) {
            const Index t = at(s);
            if (y[t] == 1) {
                if (!is_upper(t)) Gmax1 = std::max(Gmax1, -G[t]);
                if (!is_lower(t)) Gmax2 = std::max(Gmax2, G[t]);
            } else {
                if (!is_upper(t)) Gmax2 = std::max(Gmax2, -G[t]);
                if (!is_lower(t)) Gmax1 = std::max(Gmax1, G[t]);
            }
        }
        if (!unshrink && Gmax1 + Gmax2 <= tol * 10) {
            // Close to the end: bring every variable back once, with its exact gradient.
            unshrink = true;
            reconstruct_gradient();
        }
        shrink_where([&](Index t) { return be_shrunk(t, Gmax1, Gmax2); });
    };
    const auto select = [&](Index& i, Index& j) {
        return problem.nu ? select_working_set_nu(i, j) : select_working_set(i, j);
    };

    const std::int64_t cap =
        max_iter >= 0 ? max_iter : std::max<std::int64_t>(10000000, l > (1LL << 31) / 100 ? (1LL << 31) : 100 * l);
    std::int64_t iter = 0;
    Index counter = std::min<Index>(l, 1000) + 1;
    bool stopped = progress != nullptr && progress->stopped();
    while (iter < cap && !stopped) {
        if (--counter == 0) {
            counter = std::min<Index>(l, 1000);
            if (progress != nullptr && progress->tick_shared()) {
                stopped = true;
                break;
            }
            if (shrinking) do_shrinking();
        }
        Index i = 0, j = 0;
        if (!select(i, j)) {
            // Optimal on the active set: check the whole problem before stopping.
            reconstruct_gradient();
            if (!select(i, j)) break;
            counter = 1;  // shrink again at the next iteration
        }
        ++iter;

        const float* ki = kernel.row(row[i]);
        const float* kj = kernel.row(row[j]);
        const double Ci = C[i], Cj = C[j];
        const double old_ai = alpha[i], old_aj = alpha[j];
        if (y[i] != y[j]) {
            double curvature = QD[i] + QD[j] + 2 * q(i, ki, j);
            if (curvature <= 0) curvature = tau;
            const double delta = (-G[i] - G[j]) / curvature;
            const double diff = alpha[i] - alpha[j];
            alpha[i] += delta;
            alpha[j] += delta;
            if (diff > 0) {
                if (alpha[j] < 0) {
                    alpha[j] = 0;
                    alpha[i] = diff;
                }
            } else if (alpha[i] < 0) {
                alpha[i] = 0;
                alpha[j] = -diff;
            }
            if (diff > Ci - Cj) {
                if (alpha[i] > Ci) {
                    alpha[i] = Ci;
                    alpha[j] = Ci - diff;
                }
            } else if (alpha[j] > Cj) {
                alpha[j] = Cj;
                alpha[i] = Cj + diff;
            }
        } else {
            double curvature = QD[i] + QD[j] - 2 * q(i, ki, j);
            if (curvature <= 0) curvature = tau;
            const double delta = (G[i] - G[j]) / curvature;
            const double sum = alpha[i] + alpha[j];
            alpha[i] -= delta;
            alpha[j] += delta;
            if (sum > Ci) {
                if (alpha[i] > Ci) {
                    alpha[i] = Ci;
                    alpha[j] = sum - Ci;
                }
            } else if (alpha[j] < 0) {
                alpha[j] = 0;
                alpha[i] = sum;
            }
            if (sum > Cj) {
                if (alpha[j] > Cj) {
                    alpha[j] = Cj;
                    alpha[i] = sum - Cj;
                }
            } else if (alpha[i] < 0) {
                alpha[i] = 0;
                alpha[j] = sum;
            }
        }

        const double dai = alpha[i] - old_ai, daj = alpha[j] - old_aj;
        for (Index s = 0; s < active_size; ++s) {
            const Index k = at(s);
            G[k] += q(i, ki, k) * dai + q(j, kj, k) * daj;
        }

        const bool i_was_upper = is_upper(i), j_was_upper = is_upper(j);
        update_status(i);
        update_status(j);
        // Ḡ follows the variables that reach or leave their upper bound; it covers all l.
        if (i_was_upper != is_upper(i)) {
            const double sign = i_was_upper ? -Ci : Ci;
            for (Index k = 0; k < l; ++k) G_bar[k] += sign * q(i, ki, k);
        }
        if (j_was_upper != is_upper(j)) {
            const double sign = j_was_upper ? -Cj : Cj;
            for (Index k = 0; k < l; ++k) G_bar[k] += sign * q(j, kj, k);
        }
    }

    smo_result result;
    result.reached_max_iter = iter >= cap || stopped;
    if (result.reached_max_iter) reconstruct_gradient();

    // The bias from the whole problem, summed in libsvm's order: ν's form takes each sign's
    // own from its free variables (else the middle of its feasible interval).
    if (problem.nu) {
        double upper[2] = {inf, inf}, lower[2] = {-inf, -inf}, sum_free[2] = {0, 0};
        Index n_free[2] = {0, 0};
        for (Index s = 0; s < l; ++s) {
            const Index t = at(s);
            const int side = y[t] == 1 ? 0 : 1;
            if (is_upper(t)) {
                lower[side] = std::max(lower[side], G[t]);
            } else if (is_lower(t)) {
                upper[side] = std::min(upper[side], G[t]);
            } else {
                ++n_free[side];
                sum_free[side] += G[t];
            }
        }
        double r[2];
        for (int side = 0; side < 2; ++side) {
            r[side] = n_free[side] > 0 ? sum_free[side] / static_cast<double>(n_free[side])
                                       : (upper[side] + lower[side]) / 2;
        }
        result.r = (r[0] + r[1]) / 2;
        result.rho = (r[0] - r[1]) / 2;
    } else {
        double upper = inf, lower = -inf, sum_free = 0;
        Index n_free = 0;
        for (Index s = 0; s < l; ++s) {
            const Index t = at(s);
            const double yG = y[t] * G[t];
            if (is_upper(t)) {
                if (y[t] == -1) {
                    upper = std::min(upper, yG);
                } else {
                    lower = std::max(lower, yG);
                }
            } else if (is_lower(t)) {
                if (y[t] == 1) {
                    upper = std::min(upper, yG);
                } else {
                    lower = std::max(lower, yG);
                }
            } else {
                ++n_free;
                sum_free += yG;
            }
        }
        result.rho = n_free > 0 ? sum_free / static_cast<double>(n_free) : (upper + lower) / 2;
    }
    result.objective = 0.5 * alpha.dot(G + problem.p);
    result.alpha = std::move(alpha);
    result.n_iter = iter;
    return result;
}

}  // namespace kestrel::svm::detail
