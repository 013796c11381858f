#pragma once
/// \file
/// Sample weights as the k-means kernels read them, without a stream of ones for unit weights.

#include "../../core/types.hpp"

namespace kestrel::cluster::detail {

/// The weights of consecutive rows: data[i·step], step 0 for unit weights (one shared 1), so that
/// unweighted data adds no stream of ones to the memory traffic.
template <class T>
struct row_weights {
    const T* data;
    Index step;

    const T& operator[](Index i) const noexcept { return data[i * step]; }
    [[nodiscard]] row_weights from(Index i) const noexcept { return {data + i * step, step}; }
};

}  // namespace kestrel::cluster::detail
