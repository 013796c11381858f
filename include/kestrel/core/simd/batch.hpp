#pragma once
/// \file
/// The rule for vector code: xsimd is named only in the headers under core/simd/, which hide its
/// version differences behind the names below. Raw intrinsics appear only in a file named for its
/// instruction set (cluster/detail/assign/avx512.hpp), guarded once at its top, with a portable
/// twin built on these batches and a test that is also built with -march=native. Every kernel
/// has a plain-loop twin of the same name in a nested `scalar` namespace, in the same file.
///
/// The register type `batch<T>` of the compile-time architecture (`-march=native` gives AVX2 or
/// AVX-512), the operations on it that kestrel uses, lane helpers and a prefetch hint.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include <xsimd/xsimd.hpp>


#include "../detail/memory.hpp"
#include "../types.hpp"
#include "fma3.hpp"

// Register tiles live in registers only when their short loops are unrolled, which -O2 does not
// do by itself.
#if defined(__clang__)
#define KESTREL_UNROLL _Pragma("unroll")
#elif defined(__GNUC__)
#define KESTREL_UNROLL _Pragma("GCC unroll 16")
#else
#define KESTREL_UNROLL
#endif

namespace kestrel::detail::simd {

template <class T>
using batch = xsimd::batch<T>;

/// Lanes in one register of T on the compile-time architecture.
template <class T>
inline constexpr Index width = static_cast<Index>(batch<T>::size);

/// A std::vector whose data starts on a cache line, so register loads never straddle two.
template <class T>
using aligned_vector = std::vector<T, xsimd::aligned_allocator<T, 64>>;

using xsimd::abs;
using xsimd::any;
using xsimd::fma;
using xsimd::max;
using xsimd::min;
using xsimd::select;

/// a·b + c per lane, rounded once where the target has a fused multiply-add and twice where it
/// has none, as kestrel::detail::multiply_add does for one value, so that the two give the same
/// bits. (xsimd 8's fma is a·b + c on AVX-512, which GCC fuses from -O2 on but not at -O1:
/// fma3.hpp.)
template <class T>
batch<T> multiply_add(const batch<T>& a, const batch<T>& b, const batch<T>& c) noexcept {
#if defined(__FMA__) && (defined(__x86_64__) || defined(__i386__))
    return fma3::multiply_add<T>(a, b, c);
#elif defined(__ARM_FEATURE_FMA)
    return xsimd::fma(a, b, c);  // NEON's fused vfmaq
#else
    return a * b + c;
#endif
}

/// b's bits as a register of To's lanes (To of b's lane size): xsimd names the target by its
/// batch type before version 11 and by its scalar type from 11 on.
template <class To, class From>
batch<To> bitwise_cast(const batch<From>& b) noexcept {
    static_assert(sizeof(To) == sizeof(From), "lanes of one size");
#if XSIMD_VERSION_MAJOR >= 11
    return xsimd::bitwise_cast<To>(b);
#else
    return xsimd::bitwise_cast<batch<To>>(b);
#endif
}

/// The sum of b's lanes.
template <class T>
T reduce_sum(const batch<T>& b) noexcept {
#if XSIMD_VERSION_MAJOR >= 9
    return xsimd::reduce_add(b);
#else
    return xsimd::hadd(b);
#endif
}

/// The smallest of b's lanes.
template <class T>
T reduce_min(const batch<T>& b) noexcept {
    alignas(64) T lanes[batch<T>::size];
    b.store_aligned(lanes);
    return *std::min_element(lanes, lanes + batch<T>::size);
}

namespace lanes_detail {

// Lane i ↔ lane i ^ Half: one level of a butterfly reduction.
template <std::size_t Half>
struct partner_lane {
    static constexpr unsigned get(std::size_t i, std::size_t) noexcept { return static_cast<unsigned>(i ^ Half); }
};

template <std::size_t Half, class T>
batch<T> swap_lanes(const batch<T>& b) noexcept {
    using index_type = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    using arch = typename batch<T>::arch_type;
#if XSIMD_VERSION_MAJOR >= 13
    return xsimd::swizzle(b, xsimd::make_batch_constant<index_type, arch, partner_lane<Half>>());
#else
    return xsimd::swizzle(b, xsimd::make_batch_constant<xsimd::batch<index_type, arch>, partner_lane<Half>>());
#endif
}

}  // namespace lanes_detail

/// Every lane ends up holding the smallest lane of b (a butterfly, unrolled so it inlines).
template <class T>
batch<T> all_lanes_min(batch<T> b) noexcept {
    using lanes_detail::swap_lanes;
    constexpr std::size_t lanes = batch<T>::size;
    static_assert(lanes <= 16, "wider registers need another butterfly level");
    if constexpr (lanes >= 16) b = xsimd::min(b, swap_lanes<8>(b));
    if constexpr (lanes >= 8) b = xsimd::min(b, swap_lanes<4>(b));
    if constexpr (lanes >= 4) b = xsimd::min(b, swap_lanes<2>(b));
    if constexpr (lanes >= 2) b = xsimd::min(b, swap_lanes<1>(b));
    return b;
}

/// A register holding 0, 1, …, W − 1 in its lanes.
template <class T>
batch<T> lane_numbers() noexcept {
    alignas(64) T index[batch<T>::size];
    for (std::size_t l = 0; l < batch<T>::size; ++l) index[l] = static_cast<T>(l);
    return batch<T>::load_aligned(index);
}

/// The lane masks of lane_sums: level k (half-width h = W >> (k + 1)) sets the lanes whose bit h
/// is clear. Made once, outside the loops that reduce.
template <class T>
struct lane_halves {
    static constexpr std::size_t lanes = batch<T>::size;
    static_assert(lanes >= 2 && lanes <= 16, "registers of other widths need other levels");
    static constexpr std::size_t levels = lanes >= 16 ? 4 : lanes >= 8 ? 3 : lanes >= 4 ? 2 : 1;
    typename batch<T>::batch_bool_type low[levels];

    lane_halves() noexcept {
        const batch<T> lane = lane_numbers<T>();
        for (std::size_t k = 0; k < levels; ++k) {
            const T h = static_cast<T>(lanes >> (k + 1));
            low[k] = lane - xsimd::floor(lane / (2 * h)) * (2 * h) < batch<T>(h);
        }
    }
};

namespace lanes_detail {

// One level of lane_sums: `count` registers become count / 2, register k taking the pair sums
// (lane l and lane l ^ Half) of register k in the lanes with bit Half clear and of register
// k + count / 2 in the others. Always inlined, as lane_sums: left to itself, GCC calls it with
// the registers spilled to memory (and a vzeroupper before the call), which made rows_dot on
// float rows of 100 half as slow again (3.6–4.5 ns a row in the first-level cache on AVX-512,
// 2.3–2.4 ns inlined).
template <std::size_t Half, std::size_t Level, class T>
[[gnu::always_inline]] inline void pair_sums(batch<T>* acc, const lane_halves<T>& masks) noexcept {
    constexpr std::size_t count = 2 * Half;
    const auto& low = masks.low[Level];
    KESTREL_UNROLL
    for (std::size_t k = 0; k < count / 2; ++k) {
        const batch<T>& a = acc[k];
        const batch<T>& b = acc[k + count / 2];
        acc[k] = xsimd::select(low, a, b) + swap_lanes<Half>(xsimd::select(low, b, a));
    }
    if constexpr (Half > 1) pair_sums<Half / 2, Level + 1>(acc, masks);
}

}  // namespace lanes_detail

/// Lane r of the result is the sum of the lanes of acc[r], for the W registers acc[0 … W): a
/// transposing tree of W − 1 pair sums (a select, a lane swap and an add each) instead of W
/// separate reductions. Overwrites acc.
template <class T>
[[gnu::always_inline]] inline batch<T> lane_sums(batch<T>* acc, const lane_halves<T>& masks) noexcept {
    lanes_detail::pair_sums<batch<T>::size / 2, 0>(acc, masks);
    return acc[0];
}

/// The index of b's smallest lane, the smallest index among equal ones: a butterfly for the
/// smallest score, then one for the smallest index holding it; `score` gets that smallest score.
template <class T>
T lane_argmin(const batch<T>& b, const batch<T>& index, T& score) noexcept {
    const auto lowest = all_lanes_min(b);
    const auto candidates = xsimd::select(b == lowest, index, batch<T>(std::numeric_limits<T>::max()));
    alignas(64) T lanes[batch<T>::size];
    all_lanes_min(candidates).store_aligned(lanes);
    score = lowest.get(0);
    return lanes[0];
}

/// lane_argmin without the score.
template <class T>
T lane_argmin(const batch<T>& b, const batch<T>& index) noexcept {
    T score;
    return lane_argmin(b, index, score);
}

using kestrel::detail::prefetch;

using kestrel::detail::prefetch_l2;

}  // namespace kestrel::detail::simd
