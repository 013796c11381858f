#pragma once
/// \file
/// The fixed row segmentation that makes k-means' parallel sums reproducible.

#include <algorithm>

#include "../../core/detail/parallel.hpp"
#include "../../core/types.hpp"

namespace kestrel::cluster::detail {

/// k-means' partition of the rows (see core/detail/parallel.hpp): one segment per started 2,048
/// rows, at most 64, and no more than 4 M doubles of per-segment partial results. Per-segment
/// partial sums added in segment order give the same bits however many threads ran them.
class segments : public kestrel::detail::partition {
public:
    /// `state_per_segment`: the doubles one segment's partial result holds (bounds the memory).
    segments(Index n_rows, Index state_per_segment) : partition(n_rows, count_for(n_rows, state_per_segment)) {}

    /// Runs body(segment, first_row, end_row) for every segment, spread over n_threads.
    template <class Body>
    void for_each(int n_threads, Body&& body) const {
        kestrel::detail::parallel_for(*this, n_threads, body);
    }

private:
    static Index count_for(Index n_rows, Index state_per_segment) noexcept {
        constexpr Index min_rows = 2048, max_count = 64, state_budget = Index{1} << 22;
        const Index count = std::clamp<Index>((n_rows + min_rows - 1) / min_rows, 1, max_count);
        return std::clamp<Index>(state_budget / std::max<Index>(1, state_per_segment), 1, count);
    }
};

}  // namespace kestrel::cluster::detail
