#pragma once
/// \file
/// The AVX-512 walk of float trees, in raw intrinsics for what the portable batches lack (xsimd 8
/// emulates gathers element by element): sixteen rows to a register, each step gathering every
/// lane's node and row value (chained_leaves both at once, paired_leaves one after the other, for
/// trees with too many nodes or features for chained pairs); and for one row, sixteen trees of a
/// forest to a register (forest_leaves). Its portable twin is packed_tree::leaves (walk.hpp), which
/// leaves_of_rows takes elsewhere; tests/tree/test_walk_kernels.cpp also runs -march=native.
/// Compiled only for AVX-512 targets. On AVX2 the gathers cost more than the scalar steps.

#if defined(__AVX512F__)

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "../../../core/types.hpp"

// GCC 12's AVX-512 intrinsics start their results from a self-initialised undefined register,
// which -Wuninitialized reports wherever they inline: the kernels below turn it off.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace kestrel::tree::detail::avx512 {

/// Each row's offset from rows[0] in floats, in `offsets` (m of them); false where one does not
/// fit in 32 bits with the `features` values after it.
inline bool row_offsets(const float* const* rows, Index m, Index features, std::vector<std::int32_t>& offsets) {
    constexpr auto largest = static_cast<std::intptr_t>(std::numeric_limits<std::int32_t>::max());
    offsets.resize(static_cast<std::size_t>(m));
    const float* base = rows[0];
    for (Index i = 0; i < m; ++i) {
        const std::intptr_t bytes = reinterpret_cast<std::intptr_t>(rows[i]) - reinterpret_cast<std::intptr_t>(base);
        const std::intptr_t o = bytes / static_cast<std::intptr_t>(sizeof(float));
        if (bytes < 0 || bytes % static_cast<std::intptr_t>(sizeof(float)) != 0 ||
            o + static_cast<std::intptr_t>(features) > largest) {
            return false;
        }
        offsets[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(o);
    }
    return true;
}

/// Walks the whole registers of sixteen rows in n (m of them), four registers side by side for
/// `depth` steps (fewer once every lane of the four stands on a leaf), `step(at, offset, feature)`
/// giving a register's next nodes (and, for chained pairs, the features it reads next: each lane's
/// starts at `first_feature`); stores the leaves in out and returns m, or −1 (nothing walked)
/// where the rows' offsets from rows[0] do not fit in 32 bits.
template <class Step>
Index walk_registers(Index depth, Index features, const float* const* rows, Index n, std::int32_t* out,
                     __m512i first_feature, Step&& step) {
    constexpr Index W = 16;
    constexpr int G = 4;
    const Index m = n - n % W;
    if (m == 0) return 0;
    thread_local std::vector<std::int32_t> offsets;
    if (!row_offsets(rows, m, features, offsets)) return -1;
    const auto walk = [&]<int R>(Index first) {
        __m512i at[R], offset[R], feature[R];
        for (int g = 0; g < R; ++g) {
            at[g] = _mm512_setzero_si512();
            offset[g] = _mm512_loadu_si512(offsets.data() + first + g * W);
            feature[g] = first_feature;
        }
        for (Index d = 0; d < depth; ++d) {
            __mmask16 moved = 0;
            for (int g = 0; g < R; ++g) {
                const __m512i next = step(at[g], offset[g], feature[g]);
                moved |= _mm512_cmpneq_epi32_mask(next, at[g]);
                at[g] = next;
            }
            if (moved == 0) break;  // every lane stands on a leaf
        }
        for (int g = 0; g < R; ++g) _mm512_storeu_si512(out + first + g * W, at[g]);
    };
    Index i = 0;
    for (; i + G * W <= m; i += G * W) walk.template operator()<G>(i);
    for (; i < m; i += W) walk.template operator()<1>(i);
    return m;
}

/// The nodes `at` of sixteen lanes from their 64-bit pairs: two gathers of eight, taken apart by
/// two permutes into the thresholds and the words above them.
struct gathered_pairs {
    __m512 threshold;
    __m512i word;
};
inline gathered_pairs gather_pairs(const std::uint64_t* pairs, __m512i at) {
    const __m512i low = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i high = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    const __m512i first = _mm512_i32gather_epi64(_mm512_castsi512_si256(at), pairs, 8);
    const __m512i second = _mm512_i32gather_epi64(_mm512_extracti64x4_epi64(at, 1), pairs, 8);
    return {_mm512_castsi512_ps(_mm512_permutex2var_epi32(first, low, second)),
            _mm512_permutex2var_epi32(first, high, second)};
}

/// The next nodes of sixteen lanes standing on `at`, nodes paired as left << feature_bits |
/// feature above the threshold's bits (`feature_mask`, `shift`: feature_bits'), each lane reading
/// base[offset + feature]: left + (value > threshold), the scalar step's arithmetic.
inline __m512i paired_step(const std::uint64_t* pairs, __m512i at, __m512i offset, const float* base,
                           __m512i feature_mask, __m128i shift) {
    const gathered_pairs node = gather_pairs(pairs, at);
    const __m512i feature = _mm512_and_si512(node.word, feature_mask);
    const __m512i left = _mm512_srl_epi32(node.word, shift);
    const __m512 value = _mm512_i32gather_ps(_mm512_add_epi32(offset, feature), base, 4);
    const __mmask16 right = _mm512_cmp_ps_mask(value, node.threshold, _CMP_GT_OQ);
    return _mm512_mask_add_epi32(left, right, left, _mm512_set1_epi32(1));
}

/// The leaves of rows[0..m) of a float tree, m the whole registers of sixteen rows in n: four
/// registers walked side by side for the tree's depth, each step gathering every lane's node and
/// the lane's row value of its feature, then moving the lane to left + (value > threshold), the
/// scalar step's arithmetic, so the leaves are the same. The nodes are 64-bit pairs (`pairs`: a
/// node's threshold's bits, then left << feature_bits | feature above them; a leaf its own left
/// child), so that a register's nodes are two gathers of eight pairs, taken apart by two permutes:
/// half the elements of gathering three 32-bit words a node. The rows hold no NaN (a walk reads
/// x[0..features)). Returns m; −1, with nothing walked, where the rows' offsets from rows[0] do
/// not fit in 32 bits. Deep trees walk this way too: refilling a register's finished lanes with new
/// rows (as walk_lanes does) cost more in each step's bookkeeping than the finished lanes' idle
/// steps. Trees whose pairs are chained walk by chained_leaves.
inline Index paired_leaves(const std::uint64_t* pairs, Index depth, int feature_bits, Index features,
                           const float* const* rows, Index n, std::int32_t* out) {
    const float* base = rows[0];
    const __m512i feature_mask = _mm512_set1_epi32(static_cast<int>((1U << feature_bits) - 1U));
    const __m128i shift = _mm_cvtsi32_si128(feature_bits);
    return walk_registers(depth, features, rows, n, out, _mm512_setzero_si512(),
                          [&](__m512i at, __m512i offset, __m512i&) {
                              return paired_step(pairs, at, offset, base, feature_mask, shift);
                          });
}

/// paired_leaves for chained pairs (packed_tree::chained: a node's word names its children's
/// features): each lane carries the feature of the node it stands on, so that a step gathers the
/// node and the row's value side by side and only then compares them, where paired_leaves gathers
/// the value after the node, whose feature it needs; the next feature is the child's taken by the
/// comparison. The same steps, so the same leaves; on T4's forest (depth 39, 50 features) a row's
/// 100 trees took 1.05–1.18 µs against 1.67–1.79 µs paired (median 1.10 against 1.70, five
/// alternations of 200,000 rows on two threads). `root_feature`: the root's
/// (0 when the root is a leaf). Returns m, or −1 as paired_leaves.
inline Index chained_leaves(const std::uint64_t* pairs, Index depth, int feature_bits, Index features,
                            std::uint32_t root_feature, const float* const* rows, Index n, std::int32_t* out) {
    const float* base = rows[0];
    const __m512i one = _mm512_set1_epi32(1);
    const __m512i feature_mask = _mm512_set1_epi32(static_cast<int>((1U << feature_bits) - 1U));
    const __m128i shift = _mm_cvtsi32_si128(feature_bits);
    const __m128i left_shift = _mm_cvtsi32_si128(2 * feature_bits);
    return walk_registers(depth, features, rows, n, out, _mm512_set1_epi32(static_cast<int>(root_feature)),
                          [&](__m512i at, __m512i offset, __m512i& feature) {
                              const __m512 value = _mm512_i32gather_ps(_mm512_add_epi32(offset, feature), base, 4);
                              const gathered_pairs node = gather_pairs(pairs, at);
                              const __mmask16 right = _mm512_cmp_ps_mask(value, node.threshold, _CMP_GT_OQ);
                              const __m512i left = _mm512_srl_epi32(node.word, left_shift);
                              const __m512i left_feature = _mm512_and_si512(node.word, feature_mask);
                              const __m512i right_feature =
                                  _mm512_and_si512(_mm512_srl_epi32(node.word, shift), feature_mask);
                              feature = _mm512_mask_mov_epi32(left_feature, right, right_feature);
                              return _mm512_mask_add_epi32(left, right, left, one);
                          });
}

/// The leaves of one row x in R·16 trees of a packed forest, sixteen trees to a register: lane
/// g of register r walks the tree whose root is roots[16·r + g], all for the deepest one's depth
/// `depth` (fewer once every lane stands on a leaf), each step gathering the lanes' nodes, then x's
/// value of each node's feature, and moving each lane to left + (value > threshold), the scalar
/// step's arithmetic, so the leaves are the same. `pairs`: the forest's nodes as paired_leaves
/// reads them (left << feature_bits | feature above the threshold's bits), indices from the
/// forest's first node. x holds no NaN. Its portable twin is packed_forest's scalar walk
/// (walk.hpp), which the forest takes elsewhere; tests/tree/test_walk_kernels.cpp compares them.
template <int R>
inline void forest_leaves(const std::uint64_t* pairs, int feature_bits, const std::int32_t* roots, Index depth,
                          const float* x, std::int32_t* out) {
    const __m512i feature_mask = _mm512_set1_epi32(static_cast<int>((1U << feature_bits) - 1U));
    const __m128i shift = _mm_cvtsi32_si128(feature_bits);
    const __m512i no_offset = _mm512_setzero_si512();
    __m512i at[R];
    for (int r = 0; r < R; ++r) at[r] = _mm512_loadu_si512(roots + 16 * r);
    for (Index d = 0; d < depth; ++d) {
        __mmask16 moved = 0;
        for (int r = 0; r < R; ++r) {
            const __m512i next = paired_step(pairs, at[r], no_offset, x, feature_mask, shift);
            moved |= _mm512_cmpneq_epi32_mask(next, at[r]);
            at[r] = next;
        }
        if (moved == 0) break;  // every lane stands on a leaf
    }
    for (int r = 0; r < R; ++r) _mm512_storeu_si512(out + 16 * r, at[r]);
}

}  // namespace kestrel::tree::detail::avx512

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#endif  // __AVX512F__
