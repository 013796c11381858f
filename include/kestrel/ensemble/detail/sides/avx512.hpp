#pragma once
/// \file
/// The AVX-512 steps of split_samples, count_left and place_consecutive (sides.hpp), in raw
/// intrinsics for what the portable batches lack (xsimd 8 has no compress and emulates gathers
/// element by element): sixteen samples a register, their bins read at once (one load where the
/// samples are consecutive, a gather where they are listed), tested against the 256 bits of the
/// bins that go left, and each side's samples compressed to the front of a register and stored
/// whole. Their portable twins are the plain loops of the same names in sides.hpp's `scalar`;
/// tests/ensemble/test_hgb_kernels.cpp also runs -march=native. Compiled only for AVX-512
/// targets.

#if defined(__AVX512F__)

#include <immintrin.h>

#include <algorithm>
#include <array>
#include <cstdint>

#include "../../../core/types.hpp"

// GCC 12's AVX-512 intrinsics start their results from a self-initialised undefined register,
// which -Wuninitialized reports wherever they inline: the kernels below turn it off.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace kestrel::ensemble::detail::hgb::avx512 {

/// The 256 bits of the bins that go left, in a register's low eight lanes.
inline __m512i load_bits(const std::array<std::uint32_t, 8>& left_bits) noexcept {
    return _mm512_castsi256_si512(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(left_bits.data())));
}

/// Which of sixteen bins, one a lane, go left: bit bin % 32 of word bin / 32 of `bits`.
inline __mmask16 goes_left(__m512i bin, __m512i bits) noexcept {
    const __m512i word = _mm512_permutexvar_epi32(_mm512_srli_epi32(bin, 5), bits);
    const __m512i bit = _mm512_srlv_epi32(word, _mm512_and_si512(bin, _mm512_set1_epi32(31)));
    return _mm512_test_epi32_mask(bit, _mm512_set1_epi32(1));
}

/// The bins of sixteen consecutive samples from col, one a lane.
inline __m512i consecutive_bins(const std::uint8_t* col) noexcept {
    return _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(col)));
}

/// The sample numbers first … first + 15, one a lane.
inline __m512i consecutive_samples(Index first) noexcept {
    return _mm512_add_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                            _mm512_set1_epi32(static_cast<int>(first)));
}

/// What a loop of registers has done: samples read, and how many of them went left.
struct split_progress {
    Index done = 0, left = 0;
};

/// The whole registers of sixteen of split_samples' m samples, in order: each sample s (idx[i],
/// or first + i where idx is null) goes to lefts when bit col[s] of `left_bits` is set, else to
/// rights. A register's store writes sixteen slots from its side's end, which is at most the
/// samples already read: both sides hold m slots. A gather reads four bytes at col + s: it stops,
/// for the caller to finish, at the first register holding a sample within three bytes of
/// col_size, which the caller keeps within the int32 offsets a gather takes.
inline split_progress split_registers(const std::uint32_t* idx, Index first, Index m, const std::uint8_t* col,
                                      Index col_size, const std::array<std::uint32_t, 8>& left_bits,
                                      std::uint32_t* lefts, std::uint32_t* rights) noexcept {
    constexpr Index W = 16;
    const __m512i bits = load_bits(left_bits);
    const __m512i low_byte = _mm512_set1_epi32(0xFF);
    const __m512i below = _mm512_set1_epi32(static_cast<int>(std::max<Index>(col_size - 3, 0)));
    Index i = 0, l = 0, r = 0;
    for (; i + W <= m; i += W) {
        __m512i s, bin;
        if (idx == nullptr) {
            s = consecutive_samples(first + i);
            bin = consecutive_bins(col + first + i);
        } else {
            s = _mm512_loadu_si512(idx + i);
            if (_mm512_cmplt_epu32_mask(s, below) != 0xFFFF) break;
            bin = _mm512_and_si512(_mm512_i32gather_epi32(s, col, 1), low_byte);
        }
        const __mmask16 left = goes_left(bin, bits);
        _mm512_storeu_si512(lefts + l, _mm512_maskz_compress_epi32(left, s));
        _mm512_storeu_si512(rights + r, _mm512_maskz_compress_epi32(static_cast<__mmask16>(~left), s));
        const int went_left = __builtin_popcount(static_cast<unsigned>(left));
        l += went_left;
        r += W - went_left;
    }
    return {i, l};
}

/// count_left's whole registers: how many of the consecutive samples first … first + done − 1
/// go left, done the largest multiple of sixteen up to m.
inline split_progress count_registers(Index first, Index m, const std::uint8_t* col,
                                      const std::array<std::uint32_t, 8>& left_bits) noexcept {
    const __m512i bits = load_bits(left_bits);
    Index i = 0, l = 0;
    for (; i + 16 <= m; i += 16) {
        l += __builtin_popcount(static_cast<unsigned>(goes_left(consecutive_bins(col + first + i), bits)));
    }
    return {i, l};
}

/// place_consecutive's whole registers, while each side has room for a whole register's store:
/// the lefts of the samples first … first + done − 1 at out[at_left …], their rights at
/// out[at_right …], where `left_count` and m − left_count slots wait for them; returns done and
/// how many went left.
inline split_progress place_registers(Index first, Index m, const std::uint8_t* col,
                                      const std::array<std::uint32_t, 8>& left_bits, Index left_count,
                                      std::uint32_t* out, Index at_left, Index at_right) noexcept {
    const __m512i bits = load_bits(left_bits);
    const Index right_count = m - left_count;
    Index i = 0, l = 0, r = 0;
    for (; i + 16 <= m && l + 16 <= left_count && r + 16 <= right_count; i += 16) {
        const __m512i s = consecutive_samples(first + i);
        const __mmask16 left = goes_left(consecutive_bins(col + first + i), bits);
        _mm512_storeu_si512(out + at_left + l, _mm512_maskz_compress_epi32(left, s));
        _mm512_storeu_si512(out + at_right + r, _mm512_maskz_compress_epi32(static_cast<__mmask16>(~left), s));
        const int went_left = __builtin_popcount(static_cast<unsigned>(left));
        l += went_left;
        r += 16 - went_left;
    }
    return {i, l};
}

}  // namespace kestrel::ensemble::detail::hgb::avx512

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#endif  // __AVX512F__
