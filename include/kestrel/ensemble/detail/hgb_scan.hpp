#pragma once
/// \file
/// A histogram's bins and the scan for a numeric feature's best threshold, bins left to right
/// (missing values, if any, going right): at every bin the loss reduction of scikit-learn's
/// _split_gain, the first bin of the largest reduction kept.
///
/// Each bin costs two divisions, whose throughput bounds a scan taken one bin at a time. The
/// scan here takes two registers' width of bins at a time, their divisions side by side, while
/// the running sums of the next ones (chains of additions in bin order, the same sums as one bin
/// at a time) run beside them: the same gains and the same bin as its plain twin,
/// `scalar::scan_left_to_right`, in about 0.6 of its time.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "../../core/detail/arithmetic.hpp"
#include "../../core/simd/batch.hpp"
#include "../../core/types.hpp"

namespace kestrel::ensemble::detail::hgb {

/// One bin of a node's histogram: the sums of gradients and hessians and the sample count (a
/// double, exact below 2⁵³), side by side so that one 4-wide addition updates all three.
struct alignas(32) hist_bin {
    double g = 0;
    double h = 0;
    double count = 0;
    double unused = 0;
};

/// scikit-learn's compute_node_value: −G / (H + λ), clipped to the monotonic bounds.
inline double node_value(double g, double h, double lower, double upper, double l2) noexcept {
    double v = -g / (h + l2 + 1e-15);
    if (v < lower) {
        v = lower;
    } else if (v > upper) {
        v = upper;
    }
    return v;
}

/// scikit-learn's _split_gain: the loss reduction of a split, −1 when it breaks a monotonic
/// constraint. The two products are subtracted each with one rounding where the target has a
/// fused multiply-add (kestrel::detail::multiply_add), so that every compiler and the scan's
/// registers give the same gain.
inline double split_gain(double gl, double hl, double gr, double hr, double loss_node, int monotonic, double lower,
                         double upper, double l2) noexcept {
    const double vl = node_value(gl, hl, lower, upper, l2);
    const double vr = node_value(gr, hr, lower, upper, l2);
    if ((monotonic == 1 && vl > vr) || (monotonic == -1 && vl < vr)) return -1;
    return kestrel::detail::multiply_add(-gr, vr, kestrel::detail::multiply_add(-gl, vl, loss_node));
}

/// What a scan reads of the node and of the grower's settings.
struct scan_setup {
    double sum_g = 0, sum_h = 0;  ///< the node's sums
    double loss_node = 0;         ///< the node's value times sum_g
    double lower = -std::numeric_limits<double>::infinity(), upper = std::numeric_limits<double>::infinity();
    double l2 = 0, min_hessian = 0;
    std::uint32_t count = 0, min_samples_leaf = 0;
    int monotonic = 0;
    bool constant_hessian = false;  ///< a bin's hessian is its count
};

/// The best threshold a scan found: bin −1 (gain −1) when no bin gains.
struct scan_result {
    double gain = -1;
    int bin = -1;
    double gl = 0, hl = 0;  ///< the left side's sums
    std::uint32_t nl = 0;   ///< and its count
};

namespace scalar {

/// Plain-loop twin of scan_left_to_right: bins one at a time, the sums running along.
inline scan_result scan_left_to_right(const hist_bin* hb, int end, const scan_setup& s) noexcept {
    double gl = 0, hl = 0;
    std::uint32_t nl = 0;
    scan_result best;
    for (int b = 0; b < end; ++b) {
        nl += static_cast<std::uint32_t>(hb[b].count);
        const std::uint32_t nr = s.count - nl;
        hl += s.constant_hessian ? hb[b].count : hb[b].h;
        const double hr = s.sum_h - hl;
        gl += hb[b].g;
        const double gr = s.sum_g - gl;
        if (nl < s.min_samples_leaf) continue;
        if (nr < s.min_samples_leaf) break;
        if (hl < s.min_hessian) continue;
        if (hr < s.min_hessian) break;
        const double gain = split_gain(gl, hl, gr, hr, s.loss_node, s.monotonic, s.lower, s.upper, s.l2);
        if (gain > best.gain && gain > 0) best = {gain, b, gl, hl, nl};
    }
    return best;
}

}  // namespace scalar

/// The best threshold among bins [0, end) (end ≤ 256), left to right: the left side of bin b
/// holds bins 0 … b. A bin is skipped while the left side is under min_samples_leaf or
/// min_hessian, and the scan ends at the first bin whose right side is (as the plain scan's
/// continue and break).
inline scan_result scan_left_to_right(const hist_bin* hb, int end, const scan_setup& s) noexcept {
    namespace simd = kestrel::detail::simd;
    using B = simd::batch<double>;
    constexpr int W = static_cast<int>(simd::width<double>);
    constexpr int step = 2 * W;
    constexpr int most = 256;
    if (end > most) return scalar::scan_left_to_right(hb, end, s);
    // The running sums at each bin; up to a step past `end` they repeat the last ones.
    alignas(64) double sum_gl[most + step], sum_hl[most + step], sum_nl[most + step];
    double gl = 0, hl = 0, nl = 0;
    const auto run_sums = [&](int b0) {
        for (int b = b0; b < b0 + step; ++b) {
            if (b < end) {
                nl += hb[b].count;
                hl += s.constant_hessian ? hb[b].count : hb[b].h;
                gl += hb[b].g;
            }
            sum_gl[b] = gl;
            sum_hl[b] = hl;
            sum_nl[b] = nl;
        }
    };
    alignas(64) double lane_index[W];
    for (int j = 0; j < W; ++j) lane_index[j] = j;
    const B lanes = B::load_aligned(lane_index);
    const B loss(s.loss_node), sum_g(s.sum_g), sum_h(s.sum_h), count(static_cast<double>(s.count));
    const B min_samples(static_cast<double>(s.min_samples_leaf)), min_hessian(s.min_hessian);
    const B lower(s.lower), upper(s.upper), l2(s.l2), tiny(1e-15), zero(0.0);
    B best(-1.0), best_bin(-1.0);
    int stop = end;
    if (end > 0) run_sums(0);
    for (int b1 = 0; b1 < stop; b1 += step) {
        if (b1 + step < end) run_sums(b1 + step);  // the next bins' sums beside these bins' divisions
        for (int b0 = b1; b0 < std::min(b1 + step, stop); b0 += W) {
            const B gl_b = B::load_aligned(sum_gl + b0), hl_b = B::load_aligned(sum_hl + b0);
            const B nl_b = B::load_aligned(sum_nl + b0);
            const B gr_b = sum_g - gl_b, hr_b = sum_h - hl_b, nr_b = count - nl_b;
            const B bins = lanes + B(static_cast<double>(b0));
            auto within = bins < B(static_cast<double>(stop));
            // Where the plain scan would break: the left side large enough, the right one not.
            const auto left_enough = nl_b >= min_samples;
            const auto ends =
                within && left_enough && ((nr_b < min_samples) || ((hl_b >= min_hessian) && (hr_b < min_hessian)));
            if (simd::any(ends)) {
                alignas(64) double at[W];
                simd::select(ends, bins, B(static_cast<double>(most))).store_aligned(at);
                for (int j = 0; j < W; ++j) stop = std::min(stop, static_cast<int>(at[j]));
                within = bins < B(static_cast<double>(stop));
            }
            const auto valid =
                within && left_enough && (nr_b >= min_samples) && (hl_b >= min_hessian) && (hr_b >= min_hessian);
            B vl = (-gl_b) / ((hl_b + l2) + tiny), vr = (-gr_b) / ((hr_b + l2) + tiny);
            vl = simd::select(vl < lower, lower, simd::select(vl > upper, upper, vl));
            vr = simd::select(vr < lower, lower, simd::select(vr > upper, upper, vr));
            const B gain = simd::multiply_add(-gr_b, vr, simd::multiply_add(-gl_b, vl, loss));
            auto better = valid && (gain > zero) && (gain > best);
            if (s.monotonic == 1) better = better && !(vl > vr);
            if (s.monotonic == -1) better = better && !(vl < vr);
            best = simd::select(better, gain, best);
            best_bin = simd::select(better, bins, best_bin);
        }
    }
    // Each lane holds the first bin of its own largest gain: the largest over the lanes, the
    // first bin among equals.
    alignas(64) double gains[W], at[W];
    best.store_aligned(gains);
    best_bin.store_aligned(at);
    scan_result out;
    for (int j = 0; j < W; ++j) {
        const int b = static_cast<int>(at[j]);
        if (b >= 0 && (gains[j] > out.gain || (gains[j] == out.gain && b < out.bin))) {
            out.gain = gains[j];
            out.bin = b;
        }
    }
    if (out.bin >= 0) {
        const auto b = static_cast<std::size_t>(out.bin);
        out.gl = sum_gl[b];
        out.hl = sum_hl[b];
        out.nl = static_cast<std::uint32_t>(sum_nl[b]);
    } else {
        out.gain = -1;
    }
    return out;
}

}  // namespace kestrel::ensemble::detail::hgb
