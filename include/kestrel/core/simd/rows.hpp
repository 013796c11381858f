#pragma once
/// \file
/// The two products of a loss gradient over a few rows of a row-major matrix, which together read
/// the rows once from memory: zᵢ = xᵢ·w for each row (rows_dot), then g += Σᵢ rᵢ xᵢ (rows_axpy)
/// over the same rows, now in the first-level cache. Each beside its plain-loop twin in `scalar`.

#include <algorithm>

#include "../types.hpp"
#include "batch.hpp"

namespace kestrel::detail::simd {

namespace scalar {

/// z[i] = Σⱼ X[i·ld + j]·w[j] for i < m, j < d.
template <class T>
void rows_dot(const T* X, Index ld, Index m, Index d, const T* w, T* z) noexcept {
    for (Index i = 0; i < m; ++i) {
        T sum = 0;
        for (Index j = 0; j < d; ++j) sum += X[i * ld + j] * w[j];
        z[i] = sum;
    }
}

/// g[j] += Σᵢ r[i]·X[i·ld + j] for i < m, j < d.
template <class T>
void rows_axpy(const T* X, Index ld, Index m, Index d, const T* r, T* g) noexcept {
    for (Index j = 0; j < d; ++j) {
        T sum = 0;
        for (Index i = 0; i < m; ++i) sum += r[i] * X[i * ld + j];
        g[j] += sum;
    }
}

}  // namespace scalar

namespace rows_detail {

// Vector registers the target has: 32 with 64-byte registers (AVX-512), 16 otherwise (a floor:
// NEON's 32 are counted as 16).
template <class T>
inline constexpr int registers = width<T> * static_cast<Index>(sizeof(T)) == 64 ? 32 : 16;

// Lanes ≥ W − tail set: the last `tail` lanes of a register loaded at column d − W, the columns
// after the whole registers that start at 0.
template <class T>
auto last_lanes(Index tail) noexcept {
    return lane_numbers<T>() >= batch<T>(static_cast<T>(width<T> - tail));
}

// z[0 … R) for R rows at x, one register of partial sums a row (R chains hide the FMA latency
// and share each load of w); the d % W last columns ride as one more register loaded at d − W,
// its lanes before column vd zeroed in both x and w (`keep`, `wt`: 0·0, whatever they held).
// Sixteen-lane registers reduce by lane_sums trees (a quarter of the row's work for float rows
// of 100), fewer rows than a register padded with zero registers, so that every row's sum has
// the same order wherever it falls (kernel_cache splits rows among threads); narrower registers,
// where the tree measured no faster, reduce lane by lane.
template <int R, class T, class Mask>
void dot_rows(const T* x, Index ld, Index vd, Index d, const Mask& keep, const batch<T>& wt,
              const lane_halves<T>& halves, const T* w, T* z) noexcept {
    constexpr Index W = width<T>;
    batch<T> acc[R];
    KESTREL_UNROLL
    for (int r = 0; r < R; ++r) acc[r] = batch<T>(T(0));
    for (Index j = 0; j < vd; j += W) {
        const auto wj = batch<T>::load_unaligned(w + j);
        KESTREL_UNROLL
        for (int r = 0; r < R; ++r) acc[r] = fma(batch<T>::load_unaligned(x + r * ld + j), wj, acc[r]);
    }
    if (vd < d) {
        const batch<T> zero(T(0));
        KESTREL_UNROLL
        for (int r = 0; r < R; ++r) {
            acc[r] = fma(select(keep, batch<T>::load_unaligned(x + r * ld + d - W), zero), wt, acc[r]);
        }
    }
    if constexpr (W >= 16 && R == W) {
        lane_sums(acc, halves).store_unaligned(z);
    } else if constexpr (W >= 16) {
        batch<T> all[W];
        KESTREL_UNROLL
        for (Index r = 0; r < W; ++r) all[r] = r < R ? acc[r] : batch<T>(T(0));
        alignas(64) T sums[W];
        lane_sums(all, halves).store_aligned(sums);
        for (int r = 0; r < R; ++r) z[r] = sums[r];
    } else {
        KESTREL_UNROLL
        for (int r = 0; r < R; ++r) z[r] = reduce_sum(acc[r]);
    }
}

}  // namespace rows_detail

/// z[i] = xᵢ·w for m rows of X (row stride ld) of d columns: eight rows at a time (a register's
/// width of rows when that is more), each with its own register of partial sums, so that the FMA
/// latency is hidden and each load of w serves all of them. The d % W last columns are one more
/// register loaded at d − W with the lanes already counted zeroed (rows narrower than a register
/// take the plain loop).
template <class T>
void rows_dot(const T* X, Index ld, Index m, Index d, const T* w, T* z) noexcept {
    using rows_detail::dot_rows;
    constexpr Index W = width<T>;
    if (d < W) {
        scalar::rows_dot(X, ld, m, d, w, z);
        return;
    }
    const Index vd = d - d % W;
    const auto keep = rows_detail::last_lanes<T>(d - vd);
    const batch<T> wt = select(keep, batch<T>::load_unaligned(w + d - W), batch<T>(T(0)));
    const lane_halves<T> halves;
    constexpr int group = W > 8 ? static_cast<int>(W) : 8;
    Index i = 0;
    for (; i + group <= m; i += group) dot_rows<group>(X + i * ld, ld, vd, d, keep, wt, halves, w, z + i);
    for (; i + 4 <= m; i += 4) dot_rows<4>(X + i * ld, ld, vd, d, keep, wt, halves, w, z + i);
    for (; i < m; ++i) dot_rows<1>(X + i * ld, ld, vd, d, keep, wt, halves, w, z + i);
}

namespace rows_detail {

// g[0 … NV·W) += Σᵢ r[i]·X[i·ld + …]: NV registers of g, each summed over the rows in order; with
// tail > 0, g[NV·W … NV·W + tail) too, through one more register loaded at NV·W + tail − W whose
// first W − tail lanes (columns the registers before it hold) are dropped.
template <int NV, class T>
void axpy_registers(const T* X, Index ld, Index m, const T* r, T* g, Index tail) noexcept {
    constexpr Index W = width<T>;
    batch<T> acc[NV];
    KESTREL_UNROLL
    for (int v = 0; v < NV; ++v) acc[v] = batch<T>::load_unaligned(g + v * W);
    batch<T> last(T(0));
    const Index last_column = NV * W + tail - W;
    for (Index i = 0; i < m; ++i) {
        const batch<T> ri(r[i]);
        const T* x = X + i * ld;
        KESTREL_UNROLL
        for (int v = 0; v < NV; ++v) acc[v] = fma(ri, batch<T>::load_unaligned(x + v * W), acc[v]);
        if (tail > 0) last = fma(ri, batch<T>::load_unaligned(x + last_column), last);
    }
    KESTREL_UNROLL
    for (int v = 0; v < NV; ++v) acc[v].store_unaligned(g + v * W);
    if (tail > 0) {
        alignas(64) T lanes[batch<T>::size];
        last.store_aligned(lanes);
        for (Index l = W - tail; l < W; ++l) g[last_column + l] += lanes[l];
    }
}

// axpy_registers<nv> for a run-time nv in [1, Max].
template <int Max, class T>
void axpy_pass(int nv, const T* X, Index ld, Index m, const T* r, T* g, Index tail) noexcept {
    if constexpr (Max > 1) {
        if (nv < Max) {
            axpy_pass<Max - 1>(nv, X, ld, m, r, g, tail);
            return;
        }
    }
    axpy_registers<Max>(X, ld, m, r, g, tail);
}

}  // namespace rows_detail

/// g += Σᵢ r[i]·xᵢ over m rows of X (row stride ld) of d columns: passes over the rows of up to
/// `widest` registers of g (15 with AVX-512's 32 registers, 11 with 16), each summed over the
/// rows in order, so that many FMA chains overlap; the d % W last columns ride in the last pass
/// as one more register loaded at d − W (rows narrower than a register take the plain loop).
template <class T>
void rows_axpy(const T* X, Index ld, Index m, Index d, const T* r, T* g) noexcept {
    constexpr Index W = width<T>;
    constexpr int widest = rows_detail::registers<T> == 32 ? 15 : 11;
    if (d < W) {
        scalar::rows_axpy(X, ld, m, d, r, g);
        return;
    }
    const auto whole = static_cast<int>(d / W);
    int done = 0;
    for (; whole - done > widest; done += 8) rows_detail::axpy_registers<8>(X + done * W, ld, m, r, g + done * W, 0);
    rows_detail::axpy_pass<widest>(whole - done, X + done * W, ld, m, r, g + done * W, d % W);
}

}  // namespace kestrel::detail::simd
