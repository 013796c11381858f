#pragma once
/// \file
/// The AVX-512 step of binning float data (hgb_binning.hpp's `float_thresholds`): a value's bin,
/// the number of a feature's thresholds below it, from two comparisons of sixteen lanes, first
/// against every sixteenth threshold (which block of sixteen the value falls in), then against
/// that block. Its portable twin is `float_thresholds::bin_by_blocks`, the same two counts one
/// threshold at a time; tests/ensemble/test_hgb_kernels.cpp holds both to the binary search of
/// `padded_thresholds`, portable and with -march=native. Compiled only for AVX-512 targets.

#if defined(__AVX512F__)

#include <immintrin.h>

#include <bit>

namespace kestrel::ensemble::detail::hgb::avx512 {

/// The number of coarse[k] < x (k < 16), then that count c's block, edge[16c … 16c + 15] < x,
/// added: 16c + the block's count. x is not NaN, and coarse[15] is +∞ (float_thresholds'), so
/// that c < 16.
inline unsigned bin_by_blocks(const float* coarse, const float* edge, float x) noexcept {
    const __m512 v = _mm512_set1_ps(x);
    const auto block = static_cast<unsigned>(
        std::popcount(static_cast<unsigned>(_mm512_cmp_ps_mask(_mm512_load_ps(coarse), v, _CMP_LT_OQ))));
    const auto within = static_cast<unsigned>(
        std::popcount(static_cast<unsigned>(_mm512_cmp_ps_mask(_mm512_load_ps(edge + 16 * block), v, _CMP_LT_OQ))));
    return 16 * block + within;
}

}  // namespace kestrel::ensemble::detail::hgb::avx512

#endif
