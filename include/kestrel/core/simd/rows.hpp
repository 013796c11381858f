#pragma once
/// \file
/// The two products of a loss gradient over a few rows of a row-major matrix, which together read
/// the rows once from memory: zᵢ = xᵢ·w for each row (rows_dot), then g += Σᵢ rᵢ xᵢ (rows_axpy)
/// over the same rows, now in the first-level cache; and the inner products of rows laid out in
/// tiles with several vectors at once (tiles_dot), for kernel rows. Each beside its plain-loop twin
/// in `scalar`.

#include <algorithm>
#include <cmath>

#include "../types.hpp"
#include "batch.hpp"

namespace kestrel::detail::simd {

/// Rows of X in tiles of `lanes` rows, each tile column by column, for tiles_dot (a layout, no
/// arithmetic, so it has no twin): row r's column j at
/// out[((r / lanes)·d + j)·lanes + r % lanes]; the last tile's rows past m are zero.
template <class T>
void tile_rows(const T* X, Index ld, Index m, Index d, Index lanes, T* out) noexcept {
    const Index n_tiles = (m + lanes - 1) / lanes;
    for (Index b = 0; b < n_tiles; ++b) {
        for (Index j = 0; j < d; ++j) {
            for (Index l = 0; l < lanes; ++l) {
                const Index r = b * lanes + l;
                out[(b * d + j) * lanes + l] = r < m ? X[r * ld + j] : T(0);
            }
        }
    }
}

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

/// z[q][r] = Σⱼ xᵣ[j]·w[q][j] for the n_tiles·lanes rows of tiles laid out by tile_rows, each sum
/// a chain of fused multiply-adds in the order of j.
template <class T>
void tiles_dot(const T* tiles, Index n_tiles, Index d, Index lanes, const T* const* w, Index n_w,
               T* const* z) noexcept {
    for (Index q = 0; q < n_w; ++q) {
        for (Index b = 0; b < n_tiles; ++b) {
            for (Index l = 0; l < lanes; ++l) {
                T sum = 0;
                for (Index j = 0; j < d; ++j) sum = std::fma(tiles[(b * d + j) * lanes + l], w[q][j], sum);
                z[q][b * lanes + l] = sum;
            }
        }
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

namespace rows_detail {

// z[q][…] for Q queries over TT consecutive tiles: Q·TT registers of sums, one per tile and query,
// each a chain of FMAs in the order of j; each column of a tile is loaded once for all Q queries
// and each query's entry broadcast once for all TT tiles (TT·Q ≥ 8 chains hide the FMA latency).
template <int Q, int TT, class T>
void dot_tiles(const T* tiles, Index d, const T* const* w, T* const* z, Index first) noexcept {
    constexpr Index W = width<T>;
    batch<T> acc[TT][Q];
    KESTREL_UNROLL
    for (int t = 0; t < TT; ++t) {
        KESTREL_UNROLL
        for (int q = 0; q < Q; ++q) acc[t][q] = batch<T>(T(0));
    }
    const T* base = tiles + first * d * W;
    for (Index j = 0; j < d; ++j) {
        batch<T> x[TT];
        KESTREL_UNROLL
        for (int t = 0; t < TT; ++t) x[t] = batch<T>::load_unaligned(base + (t * d + j) * W);
        KESTREL_UNROLL
        for (int q = 0; q < Q; ++q) {
            const batch<T> wq(w[q][j]);
            KESTREL_UNROLL
            for (int t = 0; t < TT; ++t) acc[t][q] = fma(x[t], wq, acc[t][q]);
        }
    }
    KESTREL_UNROLL
    for (int t = 0; t < TT; ++t) {
        KESTREL_UNROLL
        for (int q = 0; q < Q; ++q) acc[t][q].store_unaligned(z[q] + (first + t) * W);
    }
}

template <int Q, class T>
void dot_all_tiles(const T* tiles, Index n_tiles, Index d, const T* const* w, T* const* z) noexcept {
    constexpr int TT = Q >= 8 ? 1 : (8 + Q - 1) / Q;
    Index b = 0;
    for (; b + TT <= n_tiles; b += TT) dot_tiles<Q, TT>(tiles, d, w, z, b);
    for (; b < n_tiles; ++b) dot_tiles<Q, 1>(tiles, d, w, z, b);
}

// dot_all_tiles<Q> for the first Q = count ≤ Max vectors.
template <int Max, class T>
void dot_pass(Index count, const T* tiles, Index n_tiles, Index d, const T* const* w, T* const* z) noexcept {
    if constexpr (Max > 1) {
        if (count < Max) {
            dot_pass<Max - 1>(count, tiles, n_tiles, d, w, z);
            return;
        }
    }
    dot_all_tiles<Max>(tiles, n_tiles, d, w, z);
}

}  // namespace rows_detail

/// The number of rows in a tile of tile_rows and tiles_dot: one register's width.
template <class T>
inline constexpr Index tile_lanes = width<T>;

/// z[q][r] = Σⱼ xᵣ[j]·w[q][j] for the n_tiles·tile_lanes<T> rows of tiles laid out by
/// tile_rows (with tile_lanes<T> lanes), for n_w vectors w[q] of d entries. Each sum is a chain
/// of fused multiply-adds (a multiply then an add where the target has none) in the order of j,
/// in one lane, so that a row's value does not
/// depend on the other rows or vectors computed with it, and Σⱼ xᵣ[j]·xₖ[j] is the same from
/// either side. Up to eight vectors share each load of a tile's column: where a lone product of
/// rows of 50 is bound by reading X, eight cost little more than one.
template <class T>
void tiles_dot(const T* tiles, Index n_tiles, Index d, const T* const* w, Index n_w, T* const* z) noexcept {
    for (Index q = 0; q < n_w; q += 8)
        rows_detail::dot_pass<8>(std::min<Index>(n_w - q, 8), tiles, n_tiles, d, w + q, z + q);
}

}  // namespace kestrel::detail::simd
