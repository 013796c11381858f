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
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "../../core/detail/parallel.hpp"
#include "../../core/progress.hpp"
#include "../../core/types.hpp"
#include "../../core/warnings.hpp"
#include "kernel_cache.hpp"
#include "smo_kernels.hpp"

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
    const auto l_size = static_cast<std::size_t>(l);

    enum class bound : unsigned char { lower, upper, free };
    Eigen::VectorXd alpha = problem.alpha.size() == l ? problem.alpha : Eigen::VectorXd::Zero(l);
    std::vector<bound> status(l_size);
    const auto update_status = [&](Index t) {
        status[static_cast<std::size_t>(t)] = alpha[t] >= C[t] ? bound::upper
                                              : alpha[t] <= 0  ? bound::lower
                                                               : bound::free;
    };
    const auto is_upper = [&](Index t) { return status[static_cast<std::size_t>(t)] == bound::upper; };
    const auto is_lower = [&](Index t) { return status[static_cast<std::size_t>(t)] == bound::lower; };
    for (Index t = 0; t < l; ++t) update_status(t);

    // The state by position, as libsvm keeps it: the first active_size positions are the active
    // variables, the rest shrunk, and shrinking swaps positions as libsvm does, so that ties in the
    // selection break as in libsvm. var[s] is the variable at position s; g[s] = y·∇f and
    // g_bar[s] = y·Ḡ of that variable (Ḡ = Σ over variables at their upper bound of Cₜ Q₍ₜ₎, from
    // which the gradient of shrunk variables is rebuilt without their rows); qd[s] its Qₜₜ,
    // kernel_row[s] its kernel row. With y folded into the gradient, Q's signs drop out of the
    // scans (smo_kernels.hpp): yₜ·Qₜₖ·yₖ = K.
    std::vector<Index> var(l_size), kernel_row(l_size);
    std::vector<double> g(l_size), g_bar(l_size, 0.0), qd(l_size);
    for (Index t = 0; t < l; ++t) {
        const auto s = static_cast<std::size_t>(t);
        var[s] = t;
        kernel_row[s] = problem.row[s];
        qd[s] = kernel.diagonal(kernel_row[s]);
        g[s] = y[t] * problem.p[t];
    }
    Index active_size = l;
    const auto at = [&](Index position) { return var[static_cast<std::size_t>(position)]; };
    // ∇f of the variable at position s.
    const auto grad = [&](Index s) { return y[at(s)] * g[static_cast<std::size_t>(s)]; };

    // The scans' penalties (smo_kernels.hpp): 0 where the variable at an active position may be
    // the first of a pair (up) or its partner (low), +∞ where not. ν's scans keep one pair of
    // arrays per sign of y, since its pairs stay within one sign.
    const int n_signs = problem.nu ? 2 : 1;
    std::vector<double> pen_up[2], pen_low[2];
    for (int side = 0; side < n_signs; ++side) {
        pen_up[side].assign(l_size, inf);
        pen_low[side].assign(l_size, inf);
    }
    const auto refresh = [&](Index s) {
        const Index t = at(s);
        const bool positive = y[t] == 1;
        const bool up = positive ? !is_upper(t) : !is_lower(t);
        const bool low = positive ? !is_lower(t) : !is_upper(t);
        const auto p = static_cast<std::size_t>(s);
        for (int side = 0; side < n_signs; ++side) {
            const bool sign_ok = !problem.nu || positive == (side == 0);
            pen_up[side][p] = up && sign_ok ? 0.0 : inf;
            pen_low[side][p] = low && sign_ok ? 0.0 : inf;
        }
    };
    const auto refresh_active = [&] {
        for (Index s = 0; s < active_size; ++s) refresh(s);
    };

    // Kernel rows gathered into position order (the active positions), in double: the
    // first variable's of the pair (left by the selection), the second's (for the gradient's
    // update), and ν's first variable of the other sign.
    std::vector<double> k_first(l_size), k_second(l_size), k_other(l_size);
    const auto gather_range = [&](const float* row, Index begin, Index end, std::vector<double>& out) {
        for (auto s = static_cast<std::size_t>(begin); s < static_cast<std::size_t>(end); ++s)
            out[s] = row[kernel_row[s]];
    };

    // The active positions in parts, one a thread when they are many (each part's gathers read
    // rows from the last-level cache at random, the most of an iteration's own work), else one:
    // on the 20,000 × 50 benchmark set the pairs' selection (kernel rows included) went from 0.38
    // to 0.33 s and the gradient's update from 0.15 to 0.11 s on two threads.
    // Parts start at whole registers of the scans, so that every position falls in the same lane
    // or plain-loop tail as in one scan; each part's scan gives what the same positions give in
    // one scan, and the parts combine as the scan's lanes do: the pairs chosen and every bit of
    // the gradient do not depend on the split (but for the sign of a zero gmax2, which only
    // enters a sum compared with tol). At most one part a processor.
    constexpr Index split_from = 4096;
    const int max_parts = std::max(std::min(kernel.threads(), kestrel::detail::processors()), 1);
    const auto n_parts = [&] { return active_size >= split_from ? max_parts : 1; };
    const auto part_begin = [&](Index part, Index count) {
        return part == count ? active_size : (part * active_size / count) / smo_kernels::block * smo_kernels::block;
    };
    const auto for_parts = [&](auto&& body) {
        const Index count = n_parts();
        kestrel::detail::parallel_for(count, kernel.threads(), [&](Index part) {
            body(part, part_begin(part, count), part_begin(part + 1, count));
        });
        return count;
    };
    std::vector<smo_kernels::partner> part_partner(static_cast<std::size_t>(max_parts));
    // Gathers `row` into k and finds the partner of a first variable whose violation is gmax and
    // diagonal qd_first (smo_kernels::best_partner) among the positions pen allows.
    const auto partner_of = [&](double gmax, double qd_first, const float* row, const std::vector<double>& pen,
                                std::vector<double>& k) {
        const Index count = for_parts([&](Index part, Index begin, Index end) {
            gather_range(row, begin, end, k);
            smo_kernels::partner found =
                smo_kernels::best_partner(gmax, qd_first, g.data() + begin, pen.data() + begin, qd.data() + begin,
                                          k.data() + begin, end - begin, tau);
            if (found.position >= 0) found.position += begin;
            part_partner[static_cast<std::size_t>(part)] = found;
        });
        smo_kernels::partner out = part_partner[0];
        for (Index part = 1; part < count; ++part) {
            const smo_kernels::partner& found = part_partner[static_cast<std::size_t>(part)];
            if (found.gmax2 > out.gmax2) out.gmax2 = found.gmax2;
            if (found.position >= 0 && found.objective_change <= out.objective_change) {
                out.objective_change = found.objective_change;
                out.position = found.position;
            }
        }
        return out;
    };

    // The kernel row of the variable at a position. A row not cached is computed together with
    // others not cached either, in one pass over X (kernel_cache::row_with): SMO picks its pairs
    // among the largest violators, and most rows an RBF fit needs are computed once, each alone a
    // read of all of X for one row of inner products. For the second variable of a pair, the
    // first rows computed ahead are those of the next best partners of the first variable (the
    // first often stays the most violating for a few iterations), then those of the active
    // variables that violate the optimality conditions most. On the 20,000 × 50 benchmark set,
    // 3,865 rows computed one at a time had become 1,561 passes of up to four rows with the
    // violators alone (6,244 rows computed); with two partners' rows first, 1,047 passes of up
    // to six (6,282 rows computed). The rows computed do not change the fit.
    std::vector<Index> likely, picked;
    std::vector<double> picked_value;
    // Appends to `likely` the rows (not r, not cached, not yet in likely) of up to `limit`
    // positions that `scan(floor, take)` offers with the largest values.
    const auto collect = [&](Index r, Index limit, auto&& scan) {
        if (limit <= 0) return;
        picked.clear();
        picked_value.clear();
        double floor = -inf;  // the least value kept once `limit` are kept
        scan(floor, [&](Index s, double v) {
            const Index rs = kernel_row[static_cast<std::size_t>(s)];
            if (rs == r || kernel.cached(rs)) return;  // r: the position's own row
            if (std::find(likely.begin(), likely.end(), rs) != likely.end()) return;
            if (std::find(picked.begin(), picked.end(), rs) != picked.end()) return;
            // Insert in decreasing order of v, dropping the last past `limit`.
            const auto at_v = std::upper_bound(picked_value.begin(), picked_value.end(), v, std::greater<>());
            picked.insert(picked.begin() + (at_v - picked_value.begin()), rs);
            picked_value.insert(at_v, v);
            if (static_cast<Index>(picked.size()) > limit) {
                picked.pop_back();
                picked_value.pop_back();
            }
            if (static_cast<Index>(picked.size()) == limit) floor = picked_value.back();
        });
        likely.insert(likely.end(), picked.begin(), picked.end());
    };
    // What the last selection left for the partner's look-ahead: the first variable's violation
    // and diagonal, the penalties its partner was chosen under, and its row (gathered in k_first).
    struct partner_context {
        double gmax = 0, qd_first = 0;
        const std::vector<double>* pen = nullptr;
    } last_pair;
    constexpr Index partner_rows = 2;  // of the rows computed ahead for a partner, at most
    const auto fetch = [&](Index position, bool partner) {
        const Index r = kernel_row[static_cast<std::size_t>(position)];
        const Index wanted = kernel.batch_limit() - 1;
        if (kernel.cached(r) || wanted <= 0) return kernel.row(r);
        likely.clear();
        if (partner && last_pair.pen != nullptr) {
            collect(r, std::min(wanted, partner_rows), [&](double& floor, auto&& take) {
                smo_kernels::gains_above(last_pair.gmax, last_pair.qd_first, g.data(), last_pair.pen->data(), qd.data(),
                                         k_first.data(), active_size, tau, floor, take);
            });
        }
        const int other = n_signs - 1;  // ν's scans have a pair of penalties per sign
        collect(r, wanted - static_cast<Index>(likely.size()), [&](double& floor, auto&& take) {
            smo_kernels::violations_above(g.data(), pen_up[0].data(), pen_up[other].data(), pen_low[0].data(),
                                          pen_low[other].data(), active_size, floor, take);
        });
        return kernel.row_with(r, likely.data(), static_cast<Index>(likely.size()));
    };

    // The gradient of the starting point: the rows of the variables above 0, computed a batch at
    // a time.
    for (Index t = 0; t < l; ++t) {
        if (is_lower(t)) continue;
        const Index rt = kernel_row[static_cast<std::size_t>(t)];
        likely.clear();
        for (Index u = t + 1;
             !kernel.cached(rt) && u < l && static_cast<Index>(likely.size()) < kernel.batch_limit() - 1; ++u) {
            const Index ru = kernel_row[static_cast<std::size_t>(u)];
            if (!is_lower(u) && ru != rt && !kernel.cached(ru) &&
                std::find(likely.begin(), likely.end(), ru) == likely.end())
                likely.push_back(ru);
        }
        const float* kt = kernel.row_with(rt, likely.data(), static_cast<Index>(likely.size()));
        const double yt = y[t];
        for (Index k = 0; k < l; ++k) {
            const double K = kt[kernel_row[static_cast<std::size_t>(k)]];
            g[static_cast<std::size_t>(k)] += alpha[t] * (yt * K);
            if (is_upper(t)) g_bar[static_cast<std::size_t>(k)] += C[t] * (yt * K);
        }
    }
    refresh_active();
    bool unshrink = false;

    const auto reconstruct_gradient = [&] {
        if (active_size == l) return;
        for (Index s = active_size; s < l; ++s) {
            const auto p = static_cast<std::size_t>(s);
            g[p] = g_bar[p] + y[at(s)] * problem.p[at(s)];
        }
        Index n_free = 0;
        for (Index s = 0; s < active_size; ++s) n_free += status[static_cast<std::size_t>(at(s))] == bound::free;
        // Q is symmetric: read the rows of whichever set costs less, as libsvm chooses.
        if (n_free * l > 2 * active_size * (l - active_size)) {
            for (Index s = active_size; s < l; ++s) {
                const float* ks = kernel.row(kernel_row[static_cast<std::size_t>(s)]);
                for (Index r = 0; r < active_size; ++r) {
                    const Index j = at(r);
                    if (status[static_cast<std::size_t>(j)] != bound::free) continue;
                    g[static_cast<std::size_t>(s)] += alpha[j] * (y[j] * ks[kernel_row[static_cast<std::size_t>(r)]]);
                }
            }
        } else {
            for (Index r = 0; r < active_size; ++r) {
                const Index j = at(r);
                if (status[static_cast<std::size_t>(j)] != bound::free) continue;
                const float* kj = kernel.row(kernel_row[static_cast<std::size_t>(r)]);
                const double yj = y[j];
                for (Index s = active_size; s < l; ++s) {
                    g[static_cast<std::size_t>(s)] += alpha[j] * (yj * kj[kernel_row[static_cast<std::size_t>(s)]]);
                }
            }
        }
        active_size = l;
        refresh_active();
    };

    // Second-order working set selection over the active positions; false when the maximal
    // violation's gap is ≤ tol. The first position's kernel row is left gathered in k_first.
    const auto select_working_set = [&](Index& out_i, Index& out_j) {
        const smo_kernels::pick first = smo_kernels::max_violation(g.data(), pen_up[0].data(), active_size);
        if (first.position < 0) return false;
        const auto pi = static_cast<std::size_t>(first.position);
        const smo_kernels::partner second =
            partner_of(first.value, qd[pi], fetch(first.position, false), pen_low[0], k_first);
        if (first.value + second.gmax2 < tol || second.position < 0) return false;
        last_pair = {first.value, qd[pi], &pen_low[0]};
        out_i = first.position;
        out_j = second.position;
        return true;
    };

    // ν's selection: the first variable is the most violating of either sign, the second the best
    // partner of the same sign, since only such pairs keep both sums fixed. The chosen first
    // variable's row is left gathered in k_first.
    const auto select_working_set_nu = [&](Index& out_i, Index& out_j) {
        smo_kernels::pick first[2];
        smo_kernels::partner second[2];
        for (int side = 0; side < 2; ++side) {
            first[side] = smo_kernels::max_violation(g.data(), pen_up[side].data(), active_size);
            if (first[side].position < 0) continue;
            const auto p = static_cast<std::size_t>(first[side].position);
            std::vector<double>& k = side == 0 ? k_first : k_other;
            second[side] = partner_of(first[side].value, qd[p], fetch(first[side].position, false), pen_low[side], k);
        }
        // The later position wins a tie between the signs, as in one scan over both.
        const bool negative = second[1].position >= 0 &&
                              (second[0].position < 0 || second[1].objective_change < second[0].objective_change ||
                               (second[1].objective_change == second[0].objective_change &&
                                second[1].position > second[0].position));
        const Index j = negative ? second[1].position : second[0].position;
        if (std::max(first[0].value + second[0].gmax2, first[1].value + second[1].gmax2) < tol || j < 0) return false;
        if (negative) std::swap(k_first, k_other);
        const int side = negative ? 1 : 0;
        last_pair = {first[side].value, qd[static_cast<std::size_t>(first[side].position)], &pen_low[side]};
        out_i = first[side].position;
        out_j = j;
        return true;
    };

    // A variable at a bound whose gradient pushes it further out stays there (libsvm's
    // be_shrunk); Gmax1, Gmax2 are the current maximal violations (ν: Gmax1, Gmax2 of y = +1,
    // Gmax3, Gmax4 of y = −1).
    const auto be_shrunk = [&](Index s, double Gmax1, double Gmax2) {
        const Index t = at(s);
        if (is_upper(t)) return y[t] == 1 ? -grad(s) > Gmax1 : -grad(s) > Gmax2;
        if (is_lower(t)) return y[t] == 1 ? grad(s) > Gmax2 : grad(s) > Gmax1;
        return false;
    };
    const auto be_shrunk_nu = [&](Index s, double Gmax1, double Gmax2, double Gmax3, double Gmax4) {
        const Index t = at(s);
        if (is_upper(t)) return y[t] == 1 ? -grad(s) > Gmax1 : -grad(s) > Gmax4;
        if (is_lower(t)) return y[t] == 1 ? grad(s) > Gmax2 : grad(s) > Gmax3;
        return false;
    };
    const auto swap_positions = [&](Index a, Index b) {
        const auto pa = static_cast<std::size_t>(a), pb = static_cast<std::size_t>(b);
        std::swap(var[pa], var[pb]);
        std::swap(kernel_row[pa], kernel_row[pb]);
        std::swap(g[pa], g[pb]);
        std::swap(g_bar[pa], g_bar[pb]);
        std::swap(qd[pa], qd[pb]);
    };
    // Each shrunk variable swaps places with the last active one that stays.
    const auto shrink_where = [&](auto&& shrunk) {
        for (Index s = 0; s < active_size; ++s) {
            if (!shrunk(s)) continue;
            for (--active_size; active_size > s; --active_size) {
                if (!shrunk(active_size)) {
                    swap_positions(s, active_size);
                    break;
                }
            }
        }
        refresh_active();
    };
    const auto do_shrinking_nu = [&] {
        double Gmax1 = -inf, Gmax2 = -inf, Gmax3 = -inf, Gmax4 = -inf;
        for (Index s = 0; s < active_size; ++s) {
            const Index t = at(s);
            if (!is_upper(t)) {
                if (y[t] == 1) {
                    Gmax1 = std::max(Gmax1, -grad(s));
                } else {
                    Gmax4 = std::max(Gmax4, -grad(s));
                }
            }
            if (!is_lower(t)) {
                if (y[t] == 1) {
                    Gmax2 = std::max(Gmax2, grad(s));
                } else {
                    Gmax3 = std::max(Gmax3, grad(s));
                }
            }
        }
        if (!unshrink && std::max(Gmax1 + Gmax2, Gmax3 + Gmax4) <= tol * 10) {
            unshrink = true;
            reconstruct_gradient();
        }
        shrink_where([&](Index s) { return be_shrunk_nu(s, Gmax1, Gmax2, Gmax3, Gmax4); });
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
                if (!is_upper(t)) Gmax1 = std::max(Gmax1, -grad(s));
                if (!is_lower(t)) Gmax2 = std::max(Gmax2, grad(s));
            } else {
                if (!is_upper(t)) Gmax2 = std::max(Gmax2, -grad(s));
                if (!is_lower(t)) Gmax1 = std::max(Gmax1, grad(s));
            }
        }
        if (!unshrink && Gmax1 + Gmax2 <= tol * 10) {
            // Close to the end: bring every variable back once, with its exact gradient.
            unshrink = true;
            reconstruct_gradient();
        }
        shrink_where([&](Index s) { return be_shrunk(s, Gmax1, Gmax2); });
    };
    const auto select = [&](Index& i, Index& j) {
        return problem.nu ? select_working_set_nu(i, j) : select_working_set(i, j);
    };

    // y·Ḡ += change·K(t, ·) for the variable t whose row is k (gathered for the active positions).
    const auto follow = [&](const float* k, const std::vector<double>& gathered, double change) {
        for (std::size_t s = 0; s < static_cast<std::size_t>(active_size); ++s) g_bar[s] += change * gathered[s];
        for (Index s = active_size; s < l; ++s) {
            g_bar[static_cast<std::size_t>(s)] += change * k[kernel_row[static_cast<std::size_t>(s)]];
        }
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
        Index si = 0, sj = 0;  // positions
        if (!select(si, sj)) {
            // Optimal on the active set: check the whole problem before stopping.
            reconstruct_gradient();
            if (!select(si, sj)) break;
            counter = 1;  // shrink again at the next iteration
        }
        ++iter;

        const Index i = at(si), j = at(sj);
        const float* ki = kernel.row(kernel_row[static_cast<std::size_t>(si)]);
        const float* kj = fetch(sj, true);
        const double Kij = ki[kernel_row[static_cast<std::size_t>(sj)]];
        const double Gi = grad(si), Gj = grad(sj);
        const double QDi = qd[static_cast<std::size_t>(si)], QDj = qd[static_cast<std::size_t>(sj)];
        const double Ci = C[i], Cj = C[j];
        const double old_ai = alpha[i], old_aj = alpha[j];
        if (y[i] != y[j]) {
            // Qᵢⱼ = −K: QDᵢ + QDⱼ + 2Qᵢⱼ.
            double curvature = QDi + QDj - 2 * Kij;
            if (curvature <= 0) curvature = tau;
            const double delta = (-Gi - Gj) / curvature;
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
            // Qᵢⱼ = K: QDᵢ + QDⱼ − 2Qᵢⱼ.
            double curvature = QDi + QDj - 2 * Kij;
            if (curvature <= 0) curvature = tau;
            const double delta = (Gi - Gj) / curvature;
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

        // y·∇f changes by yₖ(Qₖᵢ Δαᵢ + Qₖⱼ Δαⱼ) = yᵢΔαᵢ·K(i, k) + yⱼΔαⱼ·K(j, k).
        const double dai = alpha[i] - old_ai, daj = alpha[j] - old_aj;
        for_parts([&](Index, Index begin, Index end) {
            gather_range(kj, begin, end, k_second);
            smo_kernels::update(g.data() + begin, y[i] * dai, k_first.data() + begin, y[j] * daj,
                                k_second.data() + begin, end - begin);
        });

        const bool i_was_upper = is_upper(i), j_was_upper = is_upper(j);
        update_status(i);
        update_status(j);
        refresh(si);
        refresh(sj);
        // Ḡ follows the variables that reach or leave their upper bound; it covers all l.
        if (i_was_upper != is_upper(i)) follow(ki, k_first, (i_was_upper ? -Ci : Ci) * y[i]);
        if (j_was_upper != is_upper(j)) follow(kj, k_second, (j_was_upper ? -Cj : Cj) * y[j]);
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
                lower[side] = std::max(lower[side], grad(s));
            } else if (is_lower(t)) {
                upper[side] = std::min(upper[side], grad(s));
            } else {
                ++n_free[side];
                sum_free[side] += grad(s);
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
            const double yG = g[static_cast<std::size_t>(s)];
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
    Eigen::VectorXd G(l);
    for (Index s = 0; s < l; ++s) G[at(s)] = grad(s);
    result.objective = 0.5 * alpha.dot(G + problem.p);
    result.alpha = std::move(alpha);
    result.n_iter = iter;
    return result;
}

}  // namespace kestrel::svm::detail
