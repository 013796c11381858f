#pragma once
/// \file
/// Pieces the synthetic generators share: the destination of each generated row or column when
/// shuffling, and a standard-normal fill.

#include <cstdint>
#include <numeric>
#include <vector>

#include "../../core/random.hpp"
#include "../../core/types.hpp"

namespace kestrel::datasets::detail {

/// Where the i-th generated row (or column) goes: a random permutation when `shuffle`, the
/// identity otherwise. Scattering by a uniform permutation is a uniform shuffle, and it lets the
/// generators write each row once, straight into its final place.
inline std::vector<Index> destinations(Index n, bool shuffle, random_engine& rng) {
    if (shuffle) return rng.permutation(n);
    std::vector<Index> identity(static_cast<std::size_t>(n));
    std::iota(identity.begin(), identity.end(), Index{0});
    return identity;
}

/// Fills `out` with independent standard normals.
template <class Dense>
void fill_standard_normal(Dense& out, random_engine& rng) {
    for (Index i = 0; i < out.rows(); ++i) {
        for (Index j = 0; j < out.cols(); ++j) out(i, j) = rng.normal();
    }
}

}  // namespace kestrel::datasets::detail
