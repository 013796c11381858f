#pragma once
/// \file
/// The sides of a node's samples at a split: the samples whose bin goes left, then the others,
/// each side in the samples' order (the partition of hgb_grower.hpp, a block of samples at a
/// time). Sixteen samples a register on AVX-512 (sides/avx512.hpp), one at a time elsewhere.

#include <array>
#include <cstdint>
#include <limits>

#include "../../core/types.hpp"
#include "sides/avx512.hpp"

namespace kestrel::ensemble::detail::hgb {

/// The bins a split sends left: a byte a bin (1: left) for the one-at-a-time steps, and the same
/// as 256 bits (bin b is bit b % 32 of word b / 32) for the registers'.
struct left_bins {
    std::array<std::uint8_t, 256> byte{};
    std::array<std::uint32_t, 8> bits{};

    void set(unsigned bin) noexcept {
        byte[bin] = 1;
        bits[bin >> 5] |= 1u << (bin & 31);
    }
};

namespace scalar {

/// Plain-loop twin of split_samples: each sample is written at the end of both sides and only
/// its own side's end advances (the other write lands on a slot still free, before the m-th),
/// so that the sides of samples that follow no pattern cost no mispredicted branch.
inline Index split_samples(const std::uint32_t* idx, Index first, Index m, const std::uint8_t* col,
                           const left_bins& left, std::uint32_t* lefts, std::uint32_t* rights) noexcept {
    Index l = 0, r = 0;
    for (Index i = 0; i < m; ++i) {
        const std::uint32_t s = idx != nullptr ? idx[i] : static_cast<std::uint32_t>(first + i);
        const Index goes_left = left.byte[col[s]];
        lefts[l] = s;
        rights[r] = s;
        l += goes_left;
        r += 1 - goes_left;
    }
    return l;
}

/// Plain-loop twin of count_left.
inline Index count_left(Index first, Index m, const std::uint8_t* col, const left_bins& left) noexcept {
    Index l = 0;
    for (Index i = 0; i < m; ++i) l += left.byte[col[first + i]];
    return l;
}

/// Plain-loop twin of place_consecutive: each sample written once, at the end of its side chosen
/// without a branch.
inline void place_consecutive(Index first, Index m, const std::uint8_t* col, const left_bins& left, std::uint32_t* out,
                              Index at_left, Index at_right) noexcept {
    for (Index i = 0; i < m; ++i) {
        const Index goes_left = left.byte[col[first + i]];
        const Index mask = -goes_left;
        out[(at_left & mask) | (at_right & ~mask)] = static_cast<std::uint32_t>(first + i);
        at_left += goes_left;
        at_right += 1 - goes_left;
    }
}

}  // namespace scalar

/// Splits m samples by their bins in col (col_size bytes): idx[0 … m), or first … first + m − 1
/// when idx is null. Those whose bin is in `left` go to lefts and the others to rights, each side
/// in the samples' order; returns how many went left. lefts and rights hold m slots each: a
/// side's end never passes the samples read, so a register's store (sixteen slots from its
/// side's end) never passes the m-th slot.
inline Index split_samples(const std::uint32_t* idx, Index first, Index m, const std::uint8_t* col, Index col_size,
                           const left_bins& left, std::uint32_t* lefts, std::uint32_t* rights) noexcept {
    Index done = 0, went_left = 0;
#if defined(__AVX512F__)
    if (col_size <= std::numeric_limits<std::int32_t>::max()) {
        const avx512::split_progress p =
            avx512::split_registers(idx, first, m, col, col_size, left.bits, lefts, rights);
        done = p.done;
        went_left = p.left;
    }
#else
    static_cast<void>(col_size);
#endif
    return went_left + scalar::split_samples(idx != nullptr ? idx + done : nullptr, first + done, m - done, col, left,
                                             lefts + went_left, rights + (done - went_left));
}

/// How many of the consecutive samples first … first + m − 1 go left.
inline Index count_left(Index first, Index m, const std::uint8_t* col, const left_bins& left) noexcept {
    Index done = 0, went_left = 0;
#if defined(__AVX512F__)
    if (first + m <= std::numeric_limits<std::int32_t>::max()) {
        const avx512::split_progress p = avx512::count_registers(first, m, col, left.bits);
        done = p.done;
        went_left = p.left;
    }
#endif
    return went_left + scalar::count_left(first + done, m - done, col, left);
}

/// The consecutive samples first … first + m − 1 to their sides in order, `left_count` of them
/// (count_left's) to out[at_left …] and the others to out[at_right …], writing no other slot:
/// blocks of one node's samples place their sides in one array at once.
inline void place_consecutive(Index first, Index m, const std::uint8_t* col, const left_bins& left, Index left_count,
                              std::uint32_t* out, Index at_left, Index at_right) noexcept {
    Index done = 0, went_left = 0;
#if defined(__AVX512F__)
    if (first + m <= std::numeric_limits<std::int32_t>::max()) {
        const avx512::split_progress p =
            avx512::place_registers(first, m, col, left.bits, left_count, out, at_left, at_right);
        done = p.done;
        went_left = p.left;
    }
#else
    static_cast<void>(left_count);
#endif
    scalar::place_consecutive(first + done, m - done, col, left, out, at_left + went_left,
                              at_right + (done - went_left));
}

}  // namespace kestrel::ensemble::detail::hgb
