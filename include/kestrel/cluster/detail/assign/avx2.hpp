#pragma once
/// \file
/// The AVX2 float kernels of the nearest-centre assignment, in raw intrinsics for what the
/// portable batches lack: 8×4 transposes in registers and three row registers kept in registers
/// across the centre broadcasts. The portable twin of each is in generic.hpp;
/// tests/cluster/test_kmeans_kernels.cpp also runs -march=native. Compiled only for AVX2 + FMA
/// targets without AVX-512; assign.hpp chooses these hooks there.

#if defined(__AVX2__) && defined(__FMA__) && !defined(__AVX512F__)

#include <immintrin.h>

#include <algorithm>
#include <limits>
#include <type_traits>

#include "../../../core/simd/batch.hpp"
#include "../../../core/types.hpp"
#include "generic.hpp"

namespace kestrel::cluster::detail::assign::avx2 {

// Features [0, 4) of 8 rows at X (`stride` apart) with one row per lane: r[f] lane l is feature f
// of row l. Rows l and l + 4 are loaded into the two 128-bit halves of one register, so a 4×4
// transpose within each half does the rest.
inline void transpose8x4(const float* X, Index stride, __m256 (&r)[4]) noexcept {
    __m256 z[4];
    KESTREL_UNROLL
    for (int m = 0; m < 4; ++m) {
        z[m] = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(X + m * stride)),
                                    _mm_loadu_ps(X + (m + 4) * stride), 1);
    }
    const __m256 t0 = _mm256_unpacklo_ps(z[0], z[1]), t1 = _mm256_unpackhi_ps(z[0], z[1]);
    const __m256 t2 = _mm256_unpacklo_ps(z[2], z[3]), t3 = _mm256_unpackhi_ps(z[2], z[3]);
    r[0] = _mm256_shuffle_ps(t0, t2, 0x44);
    r[1] = _mm256_shuffle_ps(t0, t2, 0xEE);
    r[2] = _mm256_shuffle_ps(t1, t3, 0x44);
    r[3] = _mm256_shuffle_ps(t1, t3, 0xEE);
}

/// Stores lanes [0, rows) of `index` as labels[0..rows); returns how many of them changed.
inline Index store_labels(int* labels, Index rows, __m256i index) noexcept {
    if (rows == 8) {
        const __m256i old = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(labels));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(labels), index);
        const int same = _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(old, index)));
        return 8 - __builtin_popcount(static_cast<unsigned>(same));
    }
    alignas(32) int lanes[8];
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), index);
    Index changed = 0;
    for (Index r = 0; r < rows; ++r) {
        changed += labels[r] != lanes[r];
        labels[r] = lanes[r];
    }
    return changed;
}

// Pins a register value loaded once to a register: without it, GCC reloads it as a memory operand
// of every FMA that uses it, which on AVX2 cores makes the loads, not the FMAs, set the pace.
template <class R>
inline void keep_in_register(R& reg) noexcept {
#if defined(__GNUC__)
    __asm__("" : "+x"(reg));
#else
    (void)reg;
#endif
}

// The AVX2 row kernels work on blocks of `tiles` tiles of 8 rows, one row per lane: three
// registers of rows, so that each broadcast coordinate feeds three FMAs.
inline constexpr int tiles = 3;
inline constexpr Index block_rows = 8 * tiles;

// block_rows rows of X from row 0 (`rows` of them exist) into `tile` feature by feature, as the
// shift − x that the scoring loops multiply: tile[f·block_rows + 8·t + lane] for row 8·t + lane.
// Full tiles are transposed 4 features at a time in registers, features past the last multiple
// of 4 gathered one at a time; lanes past the last row hold 0.
inline void fill_tiles(const float* X, Index rows, Index stride, Index d, const float* shift, float* tile) noexcept {
    constexpr Index S = block_rows;
    const Index full = d / 4 * 4;
    for (Index t = 0; t < tiles; ++t) {
        const float* x = X + 8 * t * stride;
        float* out = tile + 8 * t;
        const Index in_tile = std::clamp<Index>(rows - 8 * t, 0, 8);
        if (in_tile == 8) {
            for (Index f0 = 0; f0 < full; f0 += 4) {
                __m256 r[4];
                transpose8x4(x + f0, stride, r);
                KESTREL_UNROLL
                for (int j = 0; j < 4; ++j)
                    _mm256_store_ps(out + (f0 + j) * S, _mm256_sub_ps(_mm256_set1_ps(shift[f0 + j]), r[j]));
            }
            for (Index f = full; f < d; ++f) {
                const float* c = x + f;
                const Index s = stride;
                const __m256 column =
                    _mm256_setr_ps(c[0], c[s], c[2 * s], c[3 * s], c[4 * s], c[5 * s], c[6 * s], c[7 * s]);
                _mm256_store_ps(out + f * S, _mm256_sub_ps(_mm256_set1_ps(shift[f]), column));
            }
            continue;
        }
        for (Index f = 0; f < d; ++f) {
            for (Index lane = 0; lane < 8; ++lane)
                out[f * S + lane] = lane < in_tile ? shift[f] - x[lane * stride + f] : 0.0f;
        }
    }
}

// Scores centres [first, first + CB) of `group` (their half norms, then their coordinates 8 to a
// feature) against the tiles of fill_tiles and folds them, in centre order, into each lane's best
// score and centre (numbered from `base`): acc += (shift − x)·c feature by feature from the half
// norm, score_centers' FMA chain.
template <int CB>
inline void score_tiles(const float* tile, Index d, const float* group, int first, float base, __m256 (&best)[tiles],
                        __m256 (&best_index)[tiles]) noexcept {
    constexpr Index S = block_rows;
    const float* coords = group + 8 + first;
    __m256 acc[tiles][CB];
    KESTREL_UNROLL
    for (int c = 0; c < CB; ++c) {
        const __m256 half_norm = _mm256_set1_ps(group[first + c]);
        KESTREL_UNROLL
        for (int t = 0; t < tiles; ++t) acc[t][c] = half_norm;
    }
    // The three registers of rows are named, not an array, so that they stay in registers.
    static_assert(tiles == 3, "one named register per tile");
    for (Index f = 0; f < d; ++f) {
        __m256 x0 = _mm256_load_ps(tile + f * S), x1 = _mm256_load_ps(tile + f * S + 8),
               x2 = _mm256_load_ps(tile + f * S + 16);
        keep_in_register(x0);
        keep_in_register(x1);
        keep_in_register(x2);
        KESTREL_UNROLL
        for (int c = 0; c < CB; ++c) {
            const __m256 b = _mm256_broadcast_ss(coords + f * 8 + c);
            acc[0][c] = _mm256_fmadd_ps(x0, b, acc[0][c]);
            acc[1][c] = _mm256_fmadd_ps(x1, b, acc[1][c]);
            acc[2][c] = _mm256_fmadd_ps(x2, b, acc[2][c]);
        }
    }
    KESTREL_UNROLL
    for (int c = 0; c < CB; ++c) {
        const __m256 index = _mm256_set1_ps(base + static_cast<float>(first + c));
        KESTREL_UNROLL
        for (int t = 0; t < tiles; ++t) {
            const __m256 better = _mm256_cmp_ps(acc[t][c], best[t], _CMP_LT_OQ);
            best[t] = _mm256_blendv_ps(best[t], acc[t][c], better);
            best_index[t] = _mm256_blendv_ps(best_index[t], index, better);
        }
    }
}

// Stores the centres of a block's `rows` rows (best_index, as float) as labels[0..rows); returns
// how many of them changed.
inline Index store_block_labels(int* labels, Index rows, const __m256 (&best_index)[tiles]) noexcept {
    Index changed = 0;
    for (Index t = 0; 8 * t < rows; ++t)
        changed += store_labels(labels + 8 * t, std::min<Index>(8, rows - 8 * t), _mm256_cvttps_epi32(best_index[t]));
    return changed;
}

/// The last `count` (1 to 4) centres, lanes [0, count) of `group`, folded into the best scores and
/// centres so far of `rows` (at most block_rows) rows of X (score[r], center[r]), with the rows in
/// the lanes (`tile`: block_rows·d floats); stores each row's centre as its label and returns how
/// many labels changed.
inline Index fold_last_centers(const float* X, Index rows, Index stride, Index d, const float* group, Index count,
                               const float* shift, float first, const float* score, const float* center, int* labels,
                               float* tile) noexcept {
    fill_tiles(X, rows, stride, d, shift, tile);
    __m256 best[tiles], best_index[tiles];
    for (int t = 0; t < tiles; ++t) {
        best[t] = _mm256_load_ps(score + 8 * t);
        best_index[t] = _mm256_load_ps(center + 8 * t);
    }
    if (count == 1) {
        score_tiles<1>(tile, d, group, 0, first, best, best_index);
    } else if (count == 2) {
        score_tiles<2>(tile, d, group, 0, first, best, best_index);
    } else {
        score_tiles<4>(tile, d, group, 0, first, best, best_index);
    }
    return store_block_labels(labels, rows, best_index);
}

// generic::by_rows for float, for C ≥ k centres (lanes past k hold +inf half norms and never
// win): blocks of block_rows rows, one row per lane, are transposed into a buffer (fill_tiles),
// then scored 4 centres at a time, so that each broadcast coordinate feeds 3 FMAs and 12
// independent accumulators hide the FMA latency. After each block, tile_done(first_row, rows,
// their labels) runs while its rows are in cache.
template <int C, class Tile>
Index by_rows(const float* X, Index n, Index stride, const center_groups<float>& centers, int* labels,
              Tile&& tile_done) {
    constexpr int CB = C < 4 ? C : 4;
    const Index d = centers.n_features();
    const float* group = centers.group(0);
    const float* shift = centers.shift();
    simd::aligned_vector<float> tile(static_cast<std::size_t>(block_rows * d));
    // Rows fetched a few blocks ahead: the hardware prefetcher alone leaves loads waiting on memory.
    constexpr Index ahead = 3 * block_rows;
    Index changed = 0;
    for (Index i0 = 0; i0 < n; i0 += block_rows) {
        const Index rows = std::min(block_rows, n - i0);
        prefetch_rows(X, i0 + ahead, block_rows, n, stride, d);
        fill_tiles(X + i0 * stride, rows, stride, d, shift, tile.data());
        __m256 best[tiles], best_index[tiles];
        KESTREL_UNROLL
        for (int t = 0; t < tiles; ++t) {
            best[t] = _mm256_set1_ps(std::numeric_limits<float>::infinity());
            best_index[t] = _mm256_setzero_ps();
        }
        KESTREL_UNROLL
        for (int first = 0; first < C; first += CB)
            score_tiles<CB>(tile.data(), d, group, first, 0.0f, best, best_index);
        changed += store_block_labels(labels + i0, rows, best_index);
        tile_done(i0, rows, static_cast<const int*>(labels + i0));
    }
    return changed;
}

/// The hooks generic.hpp's algorithms take (see portable_isa): float kernels for one register of
/// 8 centres with the rows in the lanes, and a last group of at most 4 centres folded in by rows.
struct isa {
    template <class T>
    static constexpr bool has_kernels = std::is_same_v<T, float>&& width<T> == 8;
    // The rows by_centers gathers before a last group by rows: a block of fold_last_centers.
    template <class T>
    static constexpr Index last_group_rows = block_rows;
    static constexpr bool last_group_tile = true;

    template <int C, class Tile>
    static Index by_rows(const float* X, Index n, Index stride, const center_groups<float>& centers, int* labels,
                         Tile&& tile_done) {
        return avx2::by_rows<C>(X, n, stride, centers, labels, tile_done);
    }

    // A last group at most half full: the lanes it would leave empty cost more than moving the
    // rows into the lanes.
    template <class T>
    static bool last_group_by_rows(const center_groups<T>& centers, Index stride) noexcept {
        if constexpr (has_kernels<T>) {
            const Index groups = centers.n_groups();
            return groups > 1 && centers.n_centers() - (groups - 1) * 8 <= 4;
        }
        (void)centers, (void)stride;
        return false;
    }

    // Centre group `group` (the last) with rows in the lanes, folded into the best scores and
    // centres so far of `rows` rows of X (score, center); stores their labels and returns how many
    // changed. `tile` holds last_group_rows·d floats.
    static Index fold_last_group(const float* X, Index rows, Index stride, const center_groups<float>& centers,
                                 Index group, const float* score, const float* center, int* labels,
                                 float* tile) noexcept {
        const Index first = group * width<float>;
        return fold_last_centers(X, rows, stride, centers.n_features(), centers.group(group),
                                 centers.n_centers() - first, centers.shift(), static_cast<float>(first), score, center,
                                 labels, tile);
    }

    template <class T>
    static void transpose_tile(const T* X, Index rows, Index stride, Index d, T* out) noexcept {
        scalar::transpose_tile<width<T>>(X, rows, stride, d, out);
    }

    template <class R>
    static void keep_in_register(R& reg) noexcept {
        avx2::keep_in_register(reg);
    }
};

}  // namespace kestrel::cluster::detail::assign::avx2

#endif  // defined(__AVX2__) && defined(__FMA__) && !defined(__AVX512F__)
