#pragma once
/// \file
/// The scans of an SMO iteration over the active variables, on the register batches of core/simd,
/// and their plain-loop twins in `scalar`. The solver keeps its per-variable state by position
/// (the active variables first, as libsvm swaps them), so each scan reads contiguous arrays:
/// - `g`: y·∇f of each position (the gradient with the label's sign folded in);
/// - a penalty per position, 0 where the variable may take part in the scan and +∞ where it may
///   not (at the wrong bound, of the wrong sign for ν's scans), subtracted from the value scanned;
/// - `k`: the kernel row of the first variable of the pair, gathered into position order;
/// and the scans for the rows the solver computes ahead (the largest violators, the best
/// partners after the chosen one); besides them, rbf's kernel function over a row of inner
/// products, for the kernel cache.
/// Ties go to the last position, as libsvm's loops (`>=` and `<=` in position order) break them,
/// and every scan picks what its twin picks, with the same bits (but for the sign of a zero
/// gmax2, which only enters a sum compared with tol).

#include <algorithm>
#include <limits>

#include "../../core/simd/batch.hpp"
#include "../../core/simd/math.hpp"
#include "../../core/types.hpp"

namespace kestrel::svm::detail::smo_kernels {

namespace simd = kestrel::detail::simd;

/// Positions a scan takes at a time: a scan split at multiples of it puts every position in
/// the lane (or the plain-loop tail) it has in one scan.
inline constexpr Index block = simd::width<double>;

/// The position a scan chose (−1: none was eligible with a finite value) and the value there.
struct pick {
    double value = 0;
    Index position = -1;
};

/// What the partner scan gives: the largest eligible g (libsvm's Gmax2) and the position whose
/// two-variable step decreases the objective most, with that change (≤ 0).
struct partner {
    double gmax2 = -std::numeric_limits<double>::infinity();
    double objective_change = std::numeric_limits<double>::infinity();
    Index position = -1;
};

namespace scalar {

/// The largest −g[s] − pen[s] over s < n and its last position: the maximal violator of the
/// pair's "up" set (libsvm's Gmax and i).
inline pick max_violation(const double* g, const double* pen, Index n) noexcept {
    constexpr double inf = std::numeric_limits<double>::infinity();
    pick best{-inf, -1};
    for (Index s = 0; s < n; ++s) {
        const double v = -g[s] - pen[s];
        if (v >= best.value) best = {v, s};
    }
    if (best.value == -inf) best.position = -1;
    return best;
}

/// libsvm's second-order choice of the partner of a first variable whose violation is `gmax`,
/// diagonal `qd_first` and kernel row `k` (in position order): over the eligible s < n
/// (e = g[s] − pen[s] > −∞), the largest e, and the last position of the least
/// −(gmax + e)² / curvature among those with gmax + e > 0, the curvature
/// qd_first + qd[s] − 2·k[s] (`tau` where it is not positive).
inline partner best_partner(double gmax, double qd_first, const double* g, const double* pen, const double* qd,
                            const double* k, Index n, double tau) noexcept {
    partner best;
    for (Index s = 0; s < n; ++s) {
        const double e = g[s] - pen[s];
        if (e > best.gmax2) best.gmax2 = e;
        const double gd = gmax + e;
        if (!(gd > 0)) continue;
        const double curvature = (qd_first + qd[s]) - 2.0 * k[s];
        const double change = -(gd * gd) / (curvature > 0 ? curvature : tau);
        if (change <= best.objective_change) {
            best.objective_change = change;
            best.position = s;
        }
    }
    return best;
}

/// g[s] += a·ki[s] + b·kj[s] for s < n: the gradient's change when the pair moves.
inline void update(double* g, double a, const double* ki, double b, const double* kj, Index n) noexcept {
    for (Index s = 0; s < n; ++s) g[s] += a * ki[s] + b * kj[s];
}

/// For each s < n in order, the violation v = max(−g[s] − min(up[s], up2[s]), g[s] − min(low[s],
/// low2[s])) (how far the variable breaks the optimality conditions on the side it may move to;
/// −∞ where it may move to none), and take(s, v) where v > floor, which take may raise.
template <class Take>
void violations_above(const double* g, const double* up, const double* up2, const double* low, const double* low2,
                      Index n, double& floor, Take&& take) {
    // a < b ? a : b and a > b ? a : b, the vector min and max's choice between equal values
    // (zeros of either sign) too.
    const auto least = [](double a, double b) { return a < b ? a : b; };
    const auto most = [](double a, double b) { return a > b ? a : b; };
    for (Index s = 0; s < n; ++s) {
        const double v = most(-g[s] - least(up[s], up2[s]), g[s] - least(low[s], low2[s]));
        if (v > floor) take(s, v);
    }
}

/// For each s < n in order that best_partner would consider (gmax + e > 0, e = g[s] − pen[s]),
/// the gain (gmax + e)² / curvature (best_partner's objective change, negated), and take(s, gain)
/// where the gain exceeds floor, which take may raise.
template <class Take>
void gains_above(double gmax, double qd_first, const double* g, const double* pen, const double* qd, const double* k,
                 Index n, double tau, double& floor, Take&& take) {
    for (Index s = 0; s < n; ++s) {
        const double gd = gmax + (g[s] - pen[s]);
        if (!(gd > 0)) continue;
        const double curvature = (qd_first + qd[s]) - 2.0 * k[s];
        const double gain = (gd * gd) / (curvature > 0 ? curvature : tau);
        if (gain > floor) take(s, gain);
    }
}

/// dots[k] ← e^(−γ(row_norm + col_norms[k] − 2·dots[k])) for k < n: rbf's kernel values from the
/// inner products of one row with n others and their squared norms, in the order of operations of
/// kernel_function's (libsvm's ‖x‖² + ‖x'‖² − 2⟨x, x'⟩).
template <class T>
void rbf_values(T gamma, T row_norm, const T* col_norms, T* dots, Index n) noexcept {
    for (Index k = 0; k < n; ++k)
        dots[k] = kestrel::detail::simd::scalar::exp(-gamma * (row_norm + col_norms[k] - T(2) * dots[k]));
}

}  // namespace scalar

/// scalar::max_violation, W positions at a time (each lane keeps its own last maximum).
inline pick max_violation(const double* g, const double* pen, Index n) noexcept {
    using B = simd::batch<double>;
    constexpr Index W = simd::width<double>;
    constexpr double inf = std::numeric_limits<double>::infinity();
    // −x as (−1)·x, which keeps the sign of zero as the scalar negation does (xsimd's negation of
    // a register is 0 − x on some targets).
    const B minus_one(-1.0);
    B best(-inf), where(-1.0);
    B at = simd::lane_numbers<double>();  // the positions of the register's lanes, as doubles (exact)
    const B step(static_cast<double>(W));
    Index s = 0;
    for (; s + W <= n; s += W) {
        const B v = minus_one * B::load_unaligned(g + s) - B::load_unaligned(pen + s);
        const auto take = v >= best;
        best = simd::select(take, v, best);
        where = simd::select(take, at, where);
        at = at + step;
    }
    alignas(64) double values[W];
    alignas(64) double positions[W];
    best.store_aligned(values);
    where.store_aligned(positions);
    pick out{-inf, -1};
    for (Index w = 0; w < W; ++w) {
        const auto p = static_cast<Index>(positions[w]);
        if (values[w] > out.value || (values[w] == out.value && p > out.position)) out = {values[w], p};
    }
    for (; s < n; ++s) {
        const double v = -g[s] - pen[s];
        if (v >= out.value) out = {v, s};
    }
    if (out.value == -inf) out.position = -1;
    return out;
}

/// scalar::best_partner, W positions at a time.
inline partner best_partner(double gmax, double qd_first, const double* g, const double* pen, const double* qd,
                            const double* k, Index n, double tau) noexcept {
    using B = simd::batch<double>;
    constexpr Index W = simd::width<double>;
    constexpr double inf = std::numeric_limits<double>::infinity();
    const B vgmax(gmax), vqd(qd_first), vtau(tau), two(2.0), zero(0.0), minus_one(-1.0);
    B gmax2(-inf), best(inf), where(-1.0);
    B at = simd::lane_numbers<double>();
    const B step(static_cast<double>(W));
    Index s = 0;
    for (; s + W <= n; s += W) {
        const B e = B::load_unaligned(g + s) - B::load_unaligned(pen + s);
        gmax2 = simd::select(e > gmax2, e, gmax2);  // as the twin: a NaN e is passed over
        const B gd = vgmax + e;
        const B curvature = (vqd + B::load_unaligned(qd + s)) - two * B::load_unaligned(k + s);
        const B change = minus_one * (gd * gd) / simd::select(curvature > zero, curvature, vtau);
        const auto take = (gd > zero) && (change <= best);
        best = simd::select(take, change, best);
        where = simd::select(take, at, where);
        at = at + step;
    }
    alignas(64) double maxima[W];
    alignas(64) double values[W];
    alignas(64) double positions[W];
    gmax2.store_aligned(maxima);
    best.store_aligned(values);
    where.store_aligned(positions);
    partner out;
    for (Index w = 0; w < W; ++w) {
        if (maxima[w] > out.gmax2) out.gmax2 = maxima[w];
        const auto p = static_cast<Index>(positions[w]);
        if (p < 0) continue;
        if (values[w] < out.objective_change || (values[w] == out.objective_change && p > out.position)) {
            out.objective_change = values[w];
            out.position = p;
        }
    }
    const partner tail = scalar::best_partner(gmax, qd_first, g + s, pen + s, qd + s, k + s, n - s, tau);
    if (tail.gmax2 > out.gmax2) out.gmax2 = tail.gmax2;
    if (tail.position >= 0 && tail.objective_change <= out.objective_change) {
        out.objective_change = tail.objective_change;
        out.position = tail.position + s;
    }
    return out;
}

/// scalar::update, W positions at a time.
inline void update(double* g, double a, const double* ki, double b, const double* kj, Index n) noexcept {
    using B = simd::batch<double>;
    constexpr Index W = simd::width<double>;
    const B va(a), vb(b);
    Index s = 0;
    for (; s + W <= n; s += W) {
        (B::load_unaligned(g + s) + (va * B::load_unaligned(ki + s) + vb * B::load_unaligned(kj + s)))
            .store_unaligned(g + s);
    }
    scalar::update(g + s, a, ki + s, b, kj + s, n - s);
}

/// scalar::violations_above, W positions at a time: the positions whose violation exceeds the
/// floor (a few in a hundred once the floor is the third largest) go to take one by one, in order.
template <class Take>
void violations_above(const double* g, const double* up, const double* up2, const double* low, const double* low2,
                      Index n, double& floor, Take&& take) {
    using B = simd::batch<double>;
    constexpr Index W = simd::width<double>;
    const B minus_one(-1.0);
    alignas(64) double values[W];
    Index s = 0;
    for (; s + W <= n; s += W) {
        const B gs = B::load_unaligned(g + s);
        const B v = simd::max(minus_one * gs - simd::min(B::load_unaligned(up + s), B::load_unaligned(up2 + s)),
                              gs - simd::min(B::load_unaligned(low + s), B::load_unaligned(low2 + s)));
        if (!simd::any(v > B(floor))) continue;
        v.store_aligned(values);
        for (Index w = 0; w < W; ++w) {
            if (values[w] > floor) take(s + w, values[w]);
        }
    }
    scalar::violations_above(g + s, up + s, up2 + s, low + s, low2 + s, n - s, floor,
                             [&](Index t, double v) { take(t + s, v); });
}

/// scalar::gains_above, W positions at a time (the positions past floor go to take in order).
template <class Take>
void gains_above(double gmax, double qd_first, const double* g, const double* pen, const double* qd, const double* k,
                 Index n, double tau, double& floor, Take&& take) {
    using B = simd::batch<double>;
    constexpr Index W = simd::width<double>;
    const B vgmax(gmax), vqd(qd_first), vtau(tau), two(2.0), zero(0.0);
    alignas(64) double values[W];
    Index s = 0;
    for (; s + W <= n; s += W) {
        const B gd = vgmax + (B::load_unaligned(g + s) - B::load_unaligned(pen + s));
        const B curvature = (vqd + B::load_unaligned(qd + s)) - two * B::load_unaligned(k + s);
        const B gain = (gd * gd) / simd::select(curvature > zero, curvature, vtau);
        const auto past = (gd > zero) && (gain > B(floor));
        if (!simd::any(past)) continue;
        simd::select(past, gain, B(-std::numeric_limits<double>::infinity())).store_aligned(values);
        for (Index w = 0; w < W; ++w) {
            if (values[w] > floor) take(s + w, values[w]);
        }
    }
    scalar::gains_above(gmax, qd_first, g + s, pen + s, qd + s, k + s, n - s, tau, floor,
                        [&](Index t, double v) { take(t + s, v); });
}

/// scalar::rbf_values, W entries at a time, with core/simd's exp (for double a polynomial without
/// a division, within 2.5 ε of std::exp, so the values differ from the twin's by as much; 2·dots[k]
/// is exact, so a fused multiply-subtract gives the twin's argument).
template <class T>
void rbf_values(T gamma, T row_norm, const T* col_norms, T* dots, Index n) noexcept {
    using B = simd::batch<T>;
    constexpr Index W = simd::width<T>;
    const B minus_gamma(-gamma), norm(row_norm), two(T(2));
    Index k = 0;
    for (; k + W <= n; k += W) {
        const B argument =
            minus_gamma * ((norm + B::load_unaligned(col_norms + k)) - two * B::load_unaligned(dots + k));
        simd::exp(argument).store_unaligned(dots + k);
    }
    scalar::rbf_values(gamma, row_norm, col_norms + k, dots + k, n - k);
}

}  // namespace kestrel::svm::detail::smo_kernels
