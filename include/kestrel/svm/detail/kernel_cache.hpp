#pragma once
/// \file
/// Rows of the training kernel matrix on demand, kept in a least-recently-used cache of float rows
/// bounded by `cache_size` megabytes, as libsvm's Cache: the n × n matrix is never formed.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include <Eigen/Core>

#include "../../core/detail/memory.hpp"
#include "../../core/detail/parallel.hpp"
#include "../../core/simd/rows.hpp"
#include "../../core/types.hpp"
#include "../kernels.hpp"
#include "smo_kernels.hpp"

namespace kestrel::svm::detail {

/// K(xᵢ, xⱼ) for the rows of a training matrix: whole rows (float, as libsvm's Qfloat) through
/// an LRU cache, and the diagonal (double).
template <std::floating_point T>
class kernel_cache {
public:
    /// `X` must outlive the cache; with Kernel::precomputed it is the kernel matrix itself.
    /// `cache_mb` bounds the cached rows (at least two are kept: the solver holds two rows at
    /// once); besides them the cache keeps a copy of X in tiles (as many bytes as X). Rows are
    /// computed over fixed parts of X, in parallel on up to `n_threads` threads, each entry the
    /// same for any thread count.
    kernel_cache(const Matrix<T>& X, const kernel_function& kernel, double cache_mb, int n_threads)
        : X_(X), kernel_(kernel), n_threads_(n_threads) {
        const Index n = X.rows(), d = X.cols();
        n_tiles_ = (n + lanes - 1) / lanes;
        // Padded to whole tiles with zeros, so that the kernel function takes whole registers.
        norms_ = Vector<T>::Zero(n_tiles_ * lanes);
        if (kernel_.kernel != Kernel::precomputed) {
            tiles_.resize(static_cast<std::size_t>(n_tiles_ * d * lanes));
            kestrel::detail::simd::tile_rows(X.data(), d, n, d, lanes, tiles_.data());
            // Each row's squared norm as its own entry of its kernel row, so that rbf's K(xᵢ, xᵢ)
            // in a row is exactly 1: each tile against its own rows, keeping the diagonal.
            Vector<T> own(lanes * lanes);
            for (Index b = 0; b < n_tiles_; ++b) {
                const T* w[lanes];
                T* z[lanes];
                const Index rows_here = std::min(lanes, n - b * lanes);
                for (Index l = 0; l < rows_here; ++l) {
                    w[l] = X.row(b * lanes + l).data();
                    z[l] = own.data() + l * lanes;
                }
                kestrel::detail::simd::tiles_dot(tiles_.data() + b * d * lanes, 1, d, w, rows_here, z);
                for (Index l = 0; l < rows_here; ++l) norms_[b * lanes + l] = own[l * lanes + l];
            }
        }
        const double row_bytes = static_cast<double>(n) * sizeof(float);
        const double budget = cache_mb * 1024.0 * 1024.0 / row_bytes;
        capacity_ = std::clamp<Index>(budget >= static_cast<double>(n) ? n : static_cast<Index>(budget), 2, n);
        // Not zeroed: every row is written before it is read, and the pages are first touched by
        // the threads computing the rows (a vector's zeroing had written all of cache_size at
        // the start of every fit, and of every one-vs-one pair's).
        storage_ = kestrel::detail::allocate_large<float>(static_cast<std::size_t>(capacity_ * n));
        owner_.assign(static_cast<std::size_t>(capacity_), -1);
        last_use_.assign(static_cast<std::size_t>(capacity_), 0);
        slot_of_.assign(static_cast<std::size_t>(n), -1);
        diagonal_.resize(n);
        for (Index i = 0; i < n; ++i) {
            diagonal_[i] = kernel_.kernel == Kernel::precomputed
                               ? static_cast<double>(X(i, i))
                               : static_cast<double>(kernel_(T(norms_[i]), norms_[i], norms_[i]));
        }
    }

    kernel_cache(const kernel_cache&) = delete;
    kernel_cache& operator=(const kernel_cache&) = delete;

    [[nodiscard]] Index size() const noexcept { return X_.rows(); }
    /// K(xᵢ, xᵢ).
    [[nodiscard]] double diagonal(Index i) const noexcept { return diagonal_[i]; }

    /// Row i of K (size() entries). The row last returned by row() or row_with() stays valid
    /// through the next call of either, so two rows can be held at once; an earlier row may be
    /// evicted by any call that misses the cache.
    const float* row(Index i) {
        Index slot = slot_of_[static_cast<std::size_t>(i)];
        if (slot < 0) {
            const Index one[1] = {i};
            compute_rows(one, 1);
            slot = slot_of_[static_cast<std::size_t>(i)];
        }
        last_use_[static_cast<std::size_t>(slot)] = ++clock_;
        return storage_.get() + slot * X_.rows();
    }

    /// The threads rows are computed on (at most); the SMO solver splits its scans among as many.
    [[nodiscard]] int threads() const noexcept { return n_threads_; }

    /// Whether row i is cached.
    [[nodiscard]] bool cached(Index i) const noexcept { return slot_of_[static_cast<std::size_t>(i)] >= 0; }

    /// How many rows one call of row_with() computes at most: rows that would evict each other
    /// (or the row last returned) are not computed together.
    [[nodiscard]] Index batch_limit() const noexcept { return std::min<Index>(max_batch, capacity_ - 1); }

    /// Row i of K as row() gives it; when i is not cached, the rows `also` (up to batch_limit() − 1
    /// of them, none cached, all distinct and ≠ i) are computed with it, in one pass over X: each
    /// entry is the same as row() computes alone. The row last returned stays valid (see row()).
    const float* row_with(Index i, const Index* also, Index count) {
        if (cached(i)) return row(i);
        Index rows[max_batch];
        rows[0] = i;
        const Index n_rows = 1 + std::min<Index>(count, batch_limit() - 1);
        std::copy(also, also + (n_rows - 1), rows + 1);
        compute_rows(rows, n_rows);
        return row(i);
    }

private:
    // Computes rows[0 … count) (not cached) into the least recently used slots, the last one
    // returned excepted (count < capacity_).
    void compute_rows(const Index* rows, Index count) {
        const Index n = X_.rows(), d = X_.cols();
        float* out[max_batch];
        for (Index q = 0; q < count; ++q) {
            const auto slot =
                static_cast<Index>(std::min_element(last_use_.begin(), last_use_.end()) - last_use_.begin());
            if (owner_[static_cast<std::size_t>(slot)] >= 0) slot_of_[static_cast<std::size_t>(owner_[slot])] = -1;
            owner_[static_cast<std::size_t>(slot)] = rows[q];
            slot_of_[static_cast<std::size_t>(rows[q])] = slot;
            // Newer than every other slot but the row last returned, which keeps its turn.
            last_use_[static_cast<std::size_t>(slot)] = clock_;
            out[q] = storage_.get() + slot * n;
        }
        if (kernel_.kernel == Kernel::precomputed) {
            for (Index q = 0; q < count; ++q)
                for (Index k = 0; k < n; ++k) out[q][k] = static_cast<float>(X_(rows[q], k));
            return;
        }
        // A row of at least 2^18 multiply-adds (X of 2 MB in double: a row reads all of X, from
        // the last-level cache at best) is split among the threads, one part of X's tiles each;
        // shorter rows stay on one thread, where waking the others cost more than it saved. The
        // kernel values do not depend on the split. The inner products take X in tiles of a
        // register's width of rows, column by column (tiles_dot: one lane a row, no horizontal
        // sums), the rows computed together sharing each load of X; then the kernel function over
        // the part with vectorised exp and tanh (scalar exp had taken a third of an RBF fit), in
        // the part's own segment of a scratch vector (a fresh vector a row, through mmap and its
        // page faults, had cost more than the kernel values).
        const Index padded = n_tiles_ * lanes;
        if (scratch_.size() < padded * count) scratch_.resize(padded * count);
        const T* queries[max_batch];
        T* sums[max_batch];
        for (Index q = 0; q < count; ++q) {
            queries[q] = X_.row(rows[q]).data();
            sums[q] = scratch_.data() + q * padded;
        }
        const kestrel::detail::partition parts(n_tiles_, n * d >= (Index{1} << 18) ? n_threads_ : 1);
        kestrel::detail::parallel_for(parts, n_threads_, [&](Index, Index first, Index last) {
            T* part_sums[max_batch];
            for (Index q = 0; q < count; ++q) part_sums[q] = sums[q] + first * lanes;
            kestrel::detail::simd::tiles_dot(tiles_.data() + first * d * lanes, last - first, d, queries, count,
                                             part_sums);
            // rbf over whole registers (the tiles' padding included), so every entry takes the
            // same path wherever it falls.
            const Index begin = first * lanes, end = std::min(last * lanes, n);
            for (Index q = 0; q < count; ++q) {
                T* values = scratch_.data() + q * padded + begin;
                if (kernel_.kernel == Kernel::rbf) {
                    smo_kernels::rbf_values(static_cast<T>(kernel_.gamma), norms_[rows[q]], norms_.data() + begin,
                                            values, (last - first) * lanes);
                } else {
                    auto segment = scratch_.segment(q * padded + begin, end - begin);
                    kernel_.apply_row(segment, norms_[rows[q]], norms_.segment(begin, end - begin));
                }
                for (Index k = begin; k < end; ++k) out[q][k] = static_cast<float>(values[k - begin]);
            }
        });
    }

    // Rows computed together at most. On the 20,000 × 50 benchmark set, with the solver's choice
    // of rows (its next partners first, then its largest violators), six took 1,047 passes
    // computing 6,282 rows; eight, 917 passes but 7,336 rows, which measured slower (a row's
    // exp and float copy cost besides the pass); four, with the violators alone, had taken
    // 1,561 passes.
    static constexpr Index max_batch = 6;

    const Matrix<T>& X_;
    kernel_function kernel_;
    Vector<T> norms_;
    Eigen::VectorXd diagonal_;
    int n_threads_ = 1;
    Index capacity_ = 0;
    kestrel::detail::large_buffer<float> storage_;  // capacity_ rows of size() entries
    std::vector<Index> owner_;  // the row each slot holds, −1 when empty
    std::vector<std::uint64_t> last_use_;
    std::vector<Index> slot_of_;  // the slot of each row, −1 when not cached
    std::uint64_t clock_ = 1;     // above every empty slot's 0, so that a batch fills empty slots first
    static constexpr Index lanes = kestrel::detail::simd::tile_lanes<T>;
    Index n_tiles_ = 0;
    std::vector<T> tiles_;  // X's rows in tiles (core/simd/rows.hpp's tile_rows)
    Vector<T> scratch_;     // the kernel values of the rows being computed
};

}  // namespace kestrel::svm::detail
