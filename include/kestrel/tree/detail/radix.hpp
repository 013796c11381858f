#pragma once
/// \file
/// Sorting a column of floating-point values with its row numbers: a stable least-significant-
/// digit radix sort on the values' bits (11-bit digits: 3 passes for float, 6 for double), which
/// sorts the columns of a training set several times faster than comparison sorting.

#include <array>
#include <bit>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "../../core/types.hpp"

namespace kestrel::tree::detail {

/// An unsigned key ordered as the value x (−0 as +0; x must not be NaN).
template <class T>
auto radix_key(T x) noexcept {
    using U = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    const U bits = std::bit_cast<U>(static_cast<T>(x + T(0)));
    constexpr U sign = U{1} << (sizeof(U) * 8 - 1);
    return (bits & sign) ? static_cast<U>(~bits) : static_cast<U>(bits | sign);
}

/// Sorts (value, row) pairs by value, ties kept in their given order; `values` and `rows` are
/// sorted in place (`scratch_*` are work space of the same size).
template <class T>
void radix_sort(std::vector<T>& values, std::vector<std::int32_t>& rows) {
    using U = decltype(radix_key(T{}));
    constexpr int bits = 11, passes = (sizeof(U) * 8 + bits - 1) / bits;
    constexpr std::size_t buckets = std::size_t{1} << bits;
    const std::size_t n = values.size();
    std::vector<U> keys(n), keys_out(n);
    std::vector<std::int32_t> rows_out(n);
    for (std::size_t i = 0; i < n; ++i) keys[i] = radix_key(values[i]);
    std::vector<std::array<std::uint32_t, buckets>> counts(passes);
    for (auto& c : counts) c.fill(0);
    for (std::size_t i = 0; i < n; ++i) {
        for (int p = 0; p < passes; ++p) ++counts[static_cast<std::size_t>(p)][(keys[i] >> (p * bits)) & (buckets - 1)];
    }
    for (int p = 0; p < passes; ++p) {
        auto& c = counts[static_cast<std::size_t>(p)];
        if (c[(keys[0] >> (p * bits)) & (buckets - 1)] == n) continue;  // one digit value: nothing moves
        std::uint32_t total = 0;
        for (auto& x : c) {
            const std::uint32_t here = x;
            x = total;
            total += here;
        }
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint32_t at = c[(keys[i] >> (p * bits)) & (buckets - 1)]++;
            keys_out[at] = keys[i];
            rows_out[at] = rows[i];
        }
        keys.swap(keys_out);
        rows.swap(rows_out);
    }
    for (std::size_t i = 0; i < n; ++i) {
        const U k = keys[i];
        constexpr U sign = U{1} << (sizeof(U) * 8 - 1);
        values[i] = std::bit_cast<T>(static_cast<U>((k & sign) ? (k & ~sign) : ~k));
    }
}

}  // namespace kestrel::tree::detail
