#pragma once
/// \file
/// The fixed row segmentation that makes k-means' parallel sums reproducible.

#include <algorithm>

#include "../../core/types.hpp"

namespace kestrel::cluster::detail {

/// Rows cut into contiguous segments whose number depends on the problem size only, never on the
/// thread count: per-segment partial sums added in segment order give the same bits however many
/// threads ran them.
class segments {
public:
    /// `state_per_segment`: the doubles one segment's partial result holds (bounds the memory).
    segments(Index n_rows, Index state_per_segment) : n_rows_(n_rows) {
        constexpr Index min_rows = 2048, max_count = 64, state_budget = Index{1} << 22;
        count_ = std::clamp<Index>((n_rows + min_rows - 1) / min_rows, 1, max_count);
        count_ = std::clamp<Index>(state_budget / std::max<Index>(1, state_per_segment), 1, count_);
    }
    [[nodiscard]] Index count() const noexcept { return count_; }
    [[nodiscard]] Index begin(Index s) const noexcept { return s * n_rows_ / count_; }
    [[nodiscard]] Index end(Index s) const noexcept { return (s + 1) * n_rows_ / count_; }

    /// Runs body(segment, first_row, end_row) for every segment, spread over n_threads.
    template <class Body>
    void for_each(int n_threads, Body&& body) const {
        // No team for a single segment: waking idle threads costs more than small inputs take.
        const int threads = static_cast<int>(std::min<Index>(std::max(n_threads, 1), count_));
#if defined(_OPENMP)
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) if (threads > 1)
#endif
        for (Index s = 0; s < count_; ++s) body(s, begin(s), end(s));
        (void)threads;
    }

private:
    Index n_rows_ = 0, count_ = 1;
};

}  // namespace kestrel::cluster::detail
