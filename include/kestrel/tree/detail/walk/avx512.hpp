#pragma once
/// \file
/// The AVX-512 walk of float trees, in raw intrinsics for what the portable batches lack (xsimd 8
/// emulates gathers element by element): sixteen rows to a register, each step gathering every
/// lane's node and row value. Its portable twin is packed_tree::leaves (walk.hpp), which
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
// which -Wuninitialized reports wherever they inline: the kernel below turns it off.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace kestrel::tree::detail::avx512 {

/// The leaves of rows[0..m) of a float tree (`nodes`: node_count nodes of 12 bytes, threshold,
/// feature and left child as three 32-bit words; a leaf its own left child), m the whole registers
/// of sixteen rows in n: four registers walked side by side for the tree's depth, each step
/// gathering every lane's node and the lane's row value of its feature, then moving the lane to
/// left + (value > threshold), the scalar step's arithmetic, so the leaves are the same. The rows
/// hold no NaN (a walk reads x[0..features)). Returns m; −1, with nothing walked, where the rows'
/// offsets from rows[0] or three times the node indices do not fit in 32 bits. Deep trees walk
/// this way too: refilling a register's finished lanes with new rows (as walk_lanes does) cost
/// more in each step's bookkeeping than the finished lanes' idle steps.
inline Index gathered_leaves(const void* nodes, std::size_t node_count, Index depth, Index features,
                             const float* const* rows, Index n, std::int32_t* out) {
    constexpr Index W = 16;
    constexpr int G = 4;
    constexpr auto largest = static_cast<std::intptr_t>(std::numeric_limits<std::int32_t>::max());
    if (static_cast<std::intptr_t>(node_count) > largest / 3) return -1;  // 3 · node in 32 bits
    const Index m = n - n % W;
    if (m == 0) return 0;
    thread_local std::vector<std::int32_t> offsets;
    offsets.resize(static_cast<std::size_t>(m));
    const float* base = rows[0];
    for (Index i = 0; i < m; ++i) {
        const std::intptr_t bytes = reinterpret_cast<std::intptr_t>(rows[i]) - reinterpret_cast<std::intptr_t>(base);
        const std::intptr_t o = bytes / static_cast<std::intptr_t>(sizeof(float));
        if (bytes < 0 || bytes % static_cast<std::intptr_t>(sizeof(float)) != 0 ||
            o + static_cast<std::intptr_t>(features) > largest) {
            return -1;
        }
        offsets[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(o);
    }
    const __m512i one = _mm512_set1_epi32(1), two = _mm512_set1_epi32(2);
    const auto walk_registers = [&](Index first, int registers) {
        __m512i at[G], offset[G];
        for (int g = 0; g < registers; ++g) {
            at[g] = _mm512_setzero_si512();
            offset[g] = _mm512_loadu_si512(offsets.data() + first + g * W);
        }
        for (Index d = 0; d < depth; ++d) {
            __mmask16 moved = 0;
            for (int g = 0; g < registers; ++g) {
                const __m512i word = _mm512_add_epi32(at[g], _mm512_slli_epi32(at[g], 1));  // 3 · at
                const __m512 threshold = _mm512_i32gather_ps(word, nodes, 4);
                const __m512i feature = _mm512_i32gather_epi32(_mm512_add_epi32(word, one), nodes, 4);
                const __m512i left = _mm512_i32gather_epi32(_mm512_add_epi32(word, two), nodes, 4);
                const __m512 value = _mm512_i32gather_ps(_mm512_add_epi32(offset[g], feature), base, 4);
                const __mmask16 right = _mm512_cmp_ps_mask(value, threshold, _CMP_GT_OQ);
                const __m512i next = _mm512_mask_add_epi32(left, right, left, one);
                moved |= _mm512_cmpneq_epi32_mask(next, at[g]);
                at[g] = next;
            }
            if (moved == 0) break;  // every lane stands on a leaf
        }
        for (int g = 0; g < registers; ++g) _mm512_storeu_si512(out + first + g * W, at[g]);
    };
    Index i = 0;
    for (; i + G * W <= m; i += G * W) walk_registers(i, G);
    for (; i < m; i += W) walk_registers(i, 1);
    return m;
}

}  // namespace kestrel::tree::detail::avx512

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#endif  // __AVX512F__
