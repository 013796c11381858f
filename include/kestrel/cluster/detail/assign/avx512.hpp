#pragma once
/// \file
/// The AVX-512 float kernels of the nearest-centre assignment, in raw intrinsics for what the
/// portable batches lack: 16×16 transposes in registers, masked loads and gathers. The portable
/// twin of each is in generic.hpp; tests/cluster/test_kmeans_kernels.cpp also runs -march=native.
/// Compiled only for AVX-512 targets; assign.hpp chooses these hooks there.

#if defined(__AVX512F__)

#include <immintrin.h>

#include <algorithm>
#include <limits>
#include <type_traits>

#include "../../../core/simd/batch.hpp"
#include "../../../core/types.hpp"
#include "generic.hpp"

// GCC 12's AVX-512 intrinsics start their results from a self-initialised undefined register,
// which -Wuninitialized reports wherever they inline: the kernels below turn it off.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace kestrel::cluster::detail::assign::avx512 {

/// Transposes the 16×16 block r in registers: on entry r[i] is row i, on return r[f] is column f.
/// Interleaves 32-bit then 64-bit elements within 128-bit lanes, then moves 128-bit lanes twice.
inline void transpose16(__m512 (&r)[16]) noexcept {
    __m512 t[16];
    KESTREL_UNROLL
    for (int i = 0; i < 8; ++i) {
        t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    KESTREL_UNROLL
    for (int i = 0; i < 4; ++i) {
        r[4 * i] = _mm512_shuffle_ps(t[4 * i], t[4 * i + 2], 0x44);
        r[4 * i + 1] = _mm512_shuffle_ps(t[4 * i], t[4 * i + 2], 0xEE);
        r[4 * i + 2] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0x44);
        r[4 * i + 3] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0xEE);
    }
    KESTREL_UNROLL
    for (int j = 0; j < 4; ++j) {
        t[j] = _mm512_shuffle_f32x4(r[j], r[4 + j], 0x88);
        t[4 + j] = _mm512_shuffle_f32x4(r[j], r[4 + j], 0xDD);
        t[8 + j] = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0x88);
        t[12 + j] = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0xDD);
    }
    KESTREL_UNROLL
    for (int j = 0; j < 4; ++j) {
        r[j] = _mm512_shuffle_f32x4(t[j], t[8 + j], 0x88);
        r[j + 8] = _mm512_shuffle_f32x4(t[j], t[8 + j], 0xDD);
        r[j + 4] = _mm512_shuffle_f32x4(t[4 + j], t[12 + j], 0x88);
        r[j + 12] = _mm512_shuffle_f32x4(t[4 + j], t[12 + j], 0xDD);
    }
}

/// transpose16 of 16 full rows of 16 floats at X (rows `stride` apart), with the moves between
/// 128-bit lanes done by the loads: lane a of z[b][m] holds features 4b..4b+3 of row 4a + m, so
/// only the 4×4 transposes within lanes are left to shuffles, which share one port with the FMAs.
inline void transpose16_rows(const float* X, Index stride, __m512 (&r)[16]) noexcept {
    KESTREL_UNROLL
    for (int b = 0; b < 4; ++b) {
        __m512 z[4];
        KESTREL_UNROLL
        for (int m = 0; m < 4; ++m) {
            const float* x = X + m * stride + 4 * b;
            z[m] = _mm512_broadcast_f32x4(_mm_loadu_ps(x));
            z[m] = _mm512_mask_broadcast_f32x4(z[m], 0x00F0, _mm_loadu_ps(x + 4 * stride));
            z[m] = _mm512_mask_broadcast_f32x4(z[m], 0x0F00, _mm_loadu_ps(x + 8 * stride));
            z[m] = _mm512_mask_broadcast_f32x4(z[m], 0xF000, _mm_loadu_ps(x + 12 * stride));
        }
        const __m512 t0 = _mm512_unpacklo_ps(z[0], z[1]), t1 = _mm512_unpackhi_ps(z[0], z[1]);
        const __m512 t2 = _mm512_unpacklo_ps(z[2], z[3]), t3 = _mm512_unpackhi_ps(z[2], z[3]);
        r[4 * b] = _mm512_shuffle_ps(t0, t2, 0x44);
        r[4 * b + 1] = _mm512_shuffle_ps(t0, t2, 0xEE);
        r[4 * b + 2] = _mm512_shuffle_ps(t1, t3, 0x44);
        r[4 * b + 3] = _mm512_shuffle_ps(t1, t3, 0xEE);
    }
}

/// scalar::transpose_tile<16> for float, 16 features at a time through registers; the masked
/// loads read nothing past a row's last feature.
inline void transpose_tile(const float* X, Index rows, Index stride, Index d, float* out) noexcept {
    for (Index f0 = 0; f0 < d; f0 += 16) {
        const auto cols = static_cast<unsigned>(std::min<Index>(16, d - f0));
        const auto mask = static_cast<__mmask16>((1u << cols) - 1u);
        __m512 r[16];
        for (Index i = 0; i < 16; ++i)
            r[i] = i < rows ? _mm512_maskz_loadu_ps(mask, X + i * stride + f0) : _mm512_setzero_ps();
        transpose16(r);
        for (unsigned j = 0; j < cols; ++j) _mm512_storeu_ps(out + (f0 + j) * 16, r[j]);
    }
}

// Folds 16 features of a 16-row tile into the scores of C centres: the rows' features
// [f0, f0 + 16) (mask: those that exist) are transposed in registers, then each feature f meets
// every centre, acc[c] += (shift[f] − x_f)·coords[f·16 + c]: score_centers' arithmetic.
template <int C>
inline void score_chunk(const float* X, Index rows, Index stride, __mmask16 mask, const float* shift,
                        const float* coords, __m512 (&acc)[C]) noexcept {
    __m512 r[16];
    if (rows == 16 && mask == 0xFFFF) {
        transpose16_rows(X, stride, r);
    } else {
        KESTREL_UNROLL
        for (Index i = 0; i < 16; ++i)
            r[i] = i < rows ? _mm512_maskz_loadu_ps(mask, X + i * stride) : _mm512_setzero_ps();
        transpose16(r);
    }
    // Unrolled, so that r and acc stay in registers.
    KESTREL_UNROLL
    for (int f = 0; f < 16; ++f) {
        const __m512 x = _mm512_sub_ps(_mm512_set1_ps(shift[f]), r[f]);
        KESTREL_UNROLL
        for (int c = 0; c < C; ++c) acc[c] = _mm512_fmadd_ps(x, _mm512_set1_ps(coords[f * 16 + c]), acc[c]);
    }
}

/// Folds the C centres held in lanes [0, C) of one packed group (`group`: their half norms, then
/// their coordinates 16 to a feature; lanes past the last centre hold +inf norms) into the best
/// score and centre of each of `rows` rows of X, one row per lane, numbering them from `first`.
/// Each score is score_groups' FMA chain, so a centre scores the same in either layout; features
/// past the last multiple of 16 are gathered one at a time. Strict comparisons keep the earlier
/// centre on a tie. Needs 15·stride to fit an int.
template <int C>
inline void fold_group_by_rows(const float* X, Index rows, Index stride, Index d, const float* group,
                               const float* shift, float first, __m512& best, __m512& best_index) noexcept {
    const float* coords = group + 16;
    const Index full = d / 16 * 16;
    __m512 acc[C];
    KESTREL_UNROLL
    for (int c = 0; c < C; ++c) acc[c] = _mm512_set1_ps(group[c]);
    for (Index f0 = 0; f0 < full; f0 += 16)
        score_chunk<C>(X + f0, rows, stride, 0xFFFF, shift + f0, coords + f0 * 16, acc);
    if (full < d) {
        const auto in_rows = static_cast<__mmask16>((1u << rows) - 1u);
        const __m512i offsets =
            _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                               _mm512_set1_epi32(static_cast<int>(stride)));
        for (Index f = full; f < d; ++f) {
            const __m512 column = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), in_rows, offsets, X + f, 4);
            const __m512 x = _mm512_sub_ps(_mm512_set1_ps(shift[f]), column);
            KESTREL_UNROLL
            for (int c = 0; c < C; ++c) acc[c] = _mm512_fmadd_ps(x, _mm512_set1_ps(coords[f * 16 + c]), acc[c]);
        }
    }
    KESTREL_UNROLL
    for (int c = 0; c < C; ++c) {
        const __mmask16 better = _mm512_cmp_ps_mask(acc[c], best, _CMP_LT_OQ);
        best = _mm512_mask_blend_ps(better, best, acc[c]);
        best_index = _mm512_mask_blend_ps(better, best_index, _mm512_set1_ps(first + static_cast<float>(c)));
    }
}

/// Stores lanes [0, rows) of `index` as labels[0..rows); returns how many of them changed.
inline Index store_labels(int* labels, Index rows, __m512i index) noexcept {
    const auto in_rows = static_cast<__mmask16>((1u << rows) - 1u);
    const __m512i old = _mm512_maskz_loadu_epi32(in_rows, labels);
    _mm512_mask_storeu_epi32(labels, in_rows, index);
    return __builtin_popcount(_mm512_mask_cmpneq_epi32_mask(in_rows, old, index));
}

/// The last `count` (1 to 4) centres, lanes [0, count) of `group`, folded into the best scores and
/// centres so far of `rows` rows of X (score[r], center[r]); stores each row's centre as its
/// label and returns how many labels changed.
inline Index fold_last_centers(const float* X, Index rows, Index stride, Index d, const float* group, Index count,
                               const float* shift, float first, const float* score, const float* center,
                               int* labels) noexcept {
    __m512 best = _mm512_load_ps(score), best_index = _mm512_load_ps(center);
    if (count == 1) {
        fold_group_by_rows<1>(X, rows, stride, d, group, shift, first, best, best_index);
    } else if (count == 2) {
        fold_group_by_rows<2>(X, rows, stride, d, group, shift, first, best, best_index);
    } else {
        fold_group_by_rows<4>(X, rows, stride, d, group, shift, first, best, best_index);
    }
    return store_labels(labels, rows, _mm512_cvttps_epi32(best_index));
}

// generic::by_rows for float with the tile never leaving the registers, for C ≥ k centres (lanes
// past k hold +inf half norms and never win). Features past the last multiple of 16 are scored
// from a zero-padded copy: a padded feature adds 0·0, which leaves every score as it is.
// After each tile, tile_done(first_row, rows, their labels) runs while the rows are in cache.
template <int C, class Tile>
Index by_rows(const float* X, Index n, Index stride, const center_groups<float>& centers, int* labels,
              Tile&& tile_done) noexcept {
    const Index d = centers.n_features(), full = d / 16 * 16, rest = d - full;
    const float* group = centers.group(0);
    const float* coords = group + 16;
    const float* shift = centers.shift();
    alignas(64) float rest_coords[16 * 16] = {};
    float rest_shift[16] = {};
    for (Index f = 0; f < rest; ++f) {
        rest_shift[f] = shift[full + f];
        for (int c = 0; c < 16; ++c) rest_coords[f * 16 + c] = coords[(full + f) * 16 + c];
    }
    const auto rest_mask = static_cast<__mmask16>((1u << rest) - 1u);
    Index changed = 0;
    // Rows fetched four tiles ahead: the hardware prefetcher alone leaves the loads waiting on
    // memory. Contiguous rows are fetched as one span, a line at a time.
    constexpr Index ahead = 64;
    alignas(64) int tile_labels[2][16];
    Index last_rows = 0;
    for (Index i0 = 0; i0 < n; i0 += 16) {
        const Index rows = std::min<Index>(16, n - i0);
        prefetch_rows(X, i0 + ahead, 16, n, stride, d);
        __m512 acc[C];
        for (int c = 0; c < C; ++c) acc[c] = _mm512_set1_ps(group[c]);
        const float* tile = X + i0 * stride;
        for (Index f0 = 0; f0 < full; f0 += 16)
            score_chunk<C>(tile + f0, rows, stride, 0xFFFF, shift + f0, coords + f0 * 16, acc);
        if (rest > 0) score_chunk<C>(tile + full, rows, stride, rest_mask, rest_shift, rest_coords, acc);
        __m512 best = _mm512_set1_ps(std::numeric_limits<float>::infinity());
        __m512i index = _mm512_setzero_si512();
        for (int c = 0; c < C; ++c) {
            const __mmask16 better = _mm512_cmp_ps_mask(acc[c], best, _CMP_LT_OQ);
            best = _mm512_mask_blend_ps(better, best, acc[c]);
            index = _mm512_mask_blend_epi32(better, index, _mm512_set1_epi32(c));
        }
        changed += store_labels(labels + i0, rows, index);
        // The caller gets each tile's labels one tile later, from a whole-register store long
        // since written: reading single lanes right after it would wait for it, and scoring the
        // next tile meanwhile keeps the loads from memory going.
        if (i0 > 0) tile_done(i0 - 16, Index{16}, static_cast<const int*>(tile_labels[(i0 / 16 + 1) & 1]));
        _mm512_store_si512(tile_labels[(i0 / 16) & 1], index);
        last_rows = rows;
    }
    if (n > 0) tile_done((n - 1) / 16 * 16, last_rows, static_cast<const int*>(tile_labels[((n - 1) / 16) & 1]));
    return changed;
}

/// The hooks generic.hpp's algorithms take (see portable_isa): float kernels for one register of
/// 16 centres with the rows in the lanes, and a last group of at most 4 centres folded in by rows.
struct isa {
    template <class T>
    static constexpr bool has_kernels = std::is_same_v<T, float>&& width<T> == 16;
    // The rows by_centers gathers before a last group by rows: one register of them.
    template <class T>
    static constexpr Index last_group_rows = width<T>;
    static constexpr bool last_group_tile = false;

    template <int C, class Tile>
    static Index by_rows(const float* X, Index n, Index stride, const center_groups<float>& centers, int* labels,
                         Tile&& tile_done) noexcept {
        return avx512::by_rows<C>(X, n, stride, centers, labels, tile_done);
    }

    // A last group at most a quarter full: the lanes it would leave empty cost more than moving
    // the rows into the lanes. The gathers need 15·stride to fit an int.
    template <class T>
    static bool last_group_by_rows(const center_groups<T>& centers, Index stride) noexcept {
        if constexpr (has_kernels<T>) {
            const Index groups = centers.n_groups();
            return groups > 1 && centers.n_centers() - (groups - 1) * 16 <= 4 &&
                   stride <= std::numeric_limits<int>::max() / 16;
        }
        (void)centers, (void)stride;
        return false;
    }

    // Centre group `group` (the last) with rows in the lanes, folded into the best scores and
    // centres so far of `rows` rows of X (score, center); stores their labels and returns how many
    // changed.
    static Index fold_last_group(const float* X, Index rows, Index stride, const center_groups<float>& centers,
                                 Index group, const float* score, const float* center, int* labels,
                                 float* tile) noexcept {
        const Index first = group * width<float>;
        (void)tile;
        return fold_last_centers(X, rows, stride, centers.n_features(), centers.group(group),
                                 centers.n_centers() - first, centers.shift(), static_cast<float>(first), score, center,
                                 labels);
    }

    template <class T>
    static void transpose_tile(const T* X, Index rows, Index stride, Index d, T* out) noexcept {
        if constexpr (has_kernels<T>) {
            avx512::transpose_tile(X, rows, stride, d, out);
            return;
        }
        scalar::transpose_tile<width<T>>(X, rows, stride, d, out);
    }

    template <class R>
    static void keep_in_register(R&) noexcept {}
};

}  // namespace kestrel::cluster::detail::assign::avx512

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#endif  // defined(__AVX512F__)
