#pragma once
/// \file
/// A seeded random engine that gives the same stream on every platform and standard library.
///
/// The standard distributions (`std::uniform_int_distribution`, `std::normal_distribution`, ...)
/// are implementation-defined, so kestrel draws through its own: xoshiro256** (Blackman and
/// Vigna, 2018) seeded by SplitMix64, Lemire's unbiased bounded integers (2019), 53-bit uniform
/// doubles and the Marsaglia polar method for normals.

#include <array>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <numeric>
#include <tuple>
#include <utility>
#include <vector>

#include "types.hpp"

namespace kestrel {

/// The seed every estimator uses when `random_state` is left at its default.
inline constexpr std::uint64_t default_random_state = 0;

/// xoshiro256**; also a std::uniform_random_bit_generator.
class random_engine {
public:
    using result_type = std::uint64_t;  ///< each draw is 64 random bits

    /// An engine seeded from `seed` through splitmix64: equal seeds give equal streams on every
    /// platform.
    explicit constexpr random_engine(std::uint64_t seed = default_random_state) noexcept {
        std::uint64_t s = seed;
        for (auto& word : state_) word = splitmix64(s);
    }

    /// The generator's 256-bit state, and an engine resumed from it (model files keep it).
    [[nodiscard]] constexpr std::array<std::uint64_t, 4> state() const noexcept {
        return {state_[0], state_[1], state_[2], state_[3]};
    }
    /// The engine whose state() is `words`.
    [[nodiscard]] static constexpr random_engine from_state(const std::array<std::uint64_t, 4>& words) noexcept {
        random_engine out;
        for (std::size_t i = 0; i < 4; ++i) out.state_[i] = words[i];
        return out;
    }

    /// An independent engine for sub-task `stream` (a thread, a tree, an init run), reproducible
    /// whatever order the sub-tasks run in.
    [[nodiscard]] static constexpr random_engine for_stream(std::uint64_t seed, std::uint64_t stream) noexcept {
        std::uint64_t s = seed ^ (0x9e3779b97f4a7c15ULL * (stream + 1));
        return random_engine(splitmix64(s));
    }

    /// The smallest value a draw can take: 0.
    static constexpr result_type min() noexcept { return 0; }
    /// The largest value a draw can take: 2⁶⁴ − 1.
    static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

    /// The next 64 random bits; advances the state.
    constexpr result_type operator()() noexcept {
        const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
        const std::uint64_t t = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 45);
        return result;
    }

    /// Uniform in [0, 1), 53 random bits.
    constexpr double uniform() noexcept { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }

    /// Uniform in [low, high).
    template <std::floating_point T>
    constexpr T uniform(T low, T high) noexcept {
        return low + static_cast<T>(uniform()) * (high - low);
    }

    /// Uniform integer in [0, n); n must be positive. Unbiased (Lemire's multiply-and-reject).
    constexpr std::uint64_t below(std::uint64_t n) noexcept {
        auto [high, low] = multiply((*this)(), n);
        if (low < n) {
            const std::uint64_t threshold = (0 - n) % n;
            while (low < threshold) {
                std::tie(high, low) = multiply((*this)(), n);
            }
        }
        return high;
    }

    /// Uniform index in [0, n).
    constexpr Index index_below(Index n) noexcept { return static_cast<Index>(below(static_cast<std::uint64_t>(n))); }

    /// Standard normal, Marsaglia's polar method (one value kept for the next call).
    double normal() noexcept {
        if (has_spare_) {
            has_spare_ = false;
            return spare_;
        }
        double u = 0, v = 0, s = 0;
        do {
            u = 2.0 * uniform() - 1.0;
            v = 2.0 * uniform() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        const double factor = std::sqrt(-2.0 * std::log(s) / s);
        spare_ = v * factor;
        has_spare_ = true;
        return u * factor;
    }

    /// Normal with the given mean and standard deviation.
    template <std::floating_point T>
    T normal(T mean, T stddev) noexcept {
        return mean + stddev * static_cast<T>(normal());
    }

    /// Fisher-Yates shuffle of [first, last).
    template <std::random_access_iterator It>
    constexpr void shuffle(It first, It last) noexcept {
        const auto n = last - first;
        for (auto i = n - 1; i > 0; --i) {
            const auto j = static_cast<decltype(i)>(below(static_cast<std::uint64_t>(i) + 1));
            using std::swap;
            swap(first[i], first[j]);
        }
    }

    /// A random permutation of 0 .. n-1.
    std::vector<Index> permutation(Index n) {
        std::vector<Index> p(static_cast<std::size_t>(n));
        std::iota(p.begin(), p.end(), Index{0});
        shuffle(p.begin(), p.end());
        return p;
    }

    /// k distinct indices from 0 .. n-1 in random order (partial Fisher-Yates); requires k <= n.
    std::vector<Index> sample_without_replacement(Index n, Index k) {
        std::vector<Index> p(static_cast<std::size_t>(n));
        std::iota(p.begin(), p.end(), Index{0});
        for (Index i = 0; i < k; ++i) {
            const Index j = i + index_below(n - i);
            std::swap(p[static_cast<std::size_t>(i)], p[static_cast<std::size_t>(j)]);
        }
        p.resize(static_cast<std::size_t>(k));
        return p;
    }

private:
    // The full 128-bit product a·b as (high, low) words: in portable 32-bit pieces where the
    // compiler has no 128-bit integers.
    static constexpr std::pair<std::uint64_t, std::uint64_t> multiply(std::uint64_t a, std::uint64_t b) noexcept {
#if defined(__SIZEOF_INT128__)
        __extension__ using uint128 = unsigned __int128;
        const uint128 product = static_cast<uint128>(a) * b;
        return {static_cast<std::uint64_t>(product >> 64), static_cast<std::uint64_t>(product)};
#else
        const std::uint64_t a_lo = a & 0xffffffffULL, a_hi = a >> 32;
        const std::uint64_t b_lo = b & 0xffffffffULL, b_hi = b >> 32;
        const std::uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo, lo_hi = a_lo * b_hi, hi_hi = a_hi * b_hi;
        const std::uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xffffffffULL) + lo_hi;
        return {hi_hi + (hi_lo >> 32) + (cross >> 32), (cross << 32) | (lo_lo & 0xffffffffULL)};
#endif
    }

    static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }

    static constexpr std::uint64_t splitmix64(std::uint64_t& s) noexcept {
        std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    std::uint64_t state_[4]{};
    double spare_ = 0;
    bool has_spare_ = false;
};

}  // namespace kestrel
