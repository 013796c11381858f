#pragma once
/// \file
/// Rows of the training kernel matrix on demand, kept in a least-recently-used cache of float rows
/// bounded by `cache_size` megabytes, as libsvm's Cache: the n × n matrix is never formed.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include <Eigen/Core>

#include "../../core/detail/parallel.hpp"
#include "../../core/simd/blas1.hpp"
#include "../../core/simd/rows.hpp"
#include "../../core/types.hpp"
#include "../kernels.hpp"

namespace kestrel::svm::detail {

/// K(xᵢ, xⱼ) for the rows of a training matrix: whole rows (float, as libsvm's Qfloat) through
/// an LRU cache, and the diagonal (double).
template <std::floating_point T>
class kernel_cache {
public:
    /// `X` must outlive the cache; with Kernel::precomputed it is the kernel matrix itself. `cache_mb` bounds the cached rows (at least two are kept: the
    /// solver holds two rows at once). Rows are computed over fixed parts of X, in parallel on
    /// up to `n_threads` threads, each entry the same for any thread count.
    kernel_cache(const Matrix<T>& X, const kernel_function& kernel, double cache_mb, int n_threads)
        : X_(X), kernel_(kernel), norms_(X.rows()), n_threads_(n_threads) {
        const Index n = X.rows();
        // The same dot product as the rows', so that rbf's K(xᵢ, xᵢ) in a row is exactly 1.
        for (Index i = 0; i < n; ++i)
            norms_[i] = kestrel::detail::simd::dot(X.row(i).data(), X.row(i).data(), X.cols());
        const double row_bytes = static_cast<double>(n) * sizeof(float);
        const double budget = cache_mb * 1024.0 * 1024.0 / row_bytes;
        capacity_ = std::clamp<Index>(budget >= static_cast<double>(n) ? n : static_cast<Index>(budget), 2, n);
        storage_.resize(static_cast<std::size_t>(capacity_ * n));
        owner_.assign(static_cast<std::size_t>(capacity_), -1);
        last_use_.assign(static_cast<std::size_t>(capacity_), 0);
        slot_of_.assign(static_cast<std::size_t>(n), -1);
        diagonal_.resize(n);
        scratch_.resize(n);
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

    /// Row i of K (size() entries). The pointer stays valid until the next call of row() that
    /// misses the cache twice after it, so two rows can be held at once.
    const float* row(Index i) {
        const Index n = X_.rows();
        Index slot = slot_of_[static_cast<std::size_t>(i)];
        if (slot < 0) {
            slot = static_cast<Index>(std::min_element(last_use_.begin(), last_use_.end()) - last_use_.begin());
            if (owner_[static_cast<std::size_t>(slot)] >= 0) slot_of_[static_cast<std::size_t>(owner_[slot])] = -1;
            owner_[static_cast<std::size_t>(slot)] = i;
            slot_of_[static_cast<std::size_t>(i)] = slot;
            compute(i, storage_.data() + slot * n);
        }
        last_use_[static_cast<std::size_t>(slot)] = ++clock_;
        return storage_.data() + slot * n;
    }

private:
    void compute(Index i, float* out) const {
        const Index n = X_.rows(), d = X_.cols();
        if (kernel_.kernel == Kernel::precomputed) {
            for (Index k = 0; k < n; ++k) out[k] = static_cast<float>(X_(i, k));
            return;
        }
        // A row of at least 2^18 multiply-adds (X of 2 MB in double: a row reads all of X, from
        // the last-level cache at best) is split among the threads, one part each; shorter rows
        // stay on one thread, where waking the others cost more than it saved. The kernel values
        // do not depend on the split. Each part takes its inner products eight rows at a time
        // (rows_dot: one register of partial sums a row, every row's sum in the same order;
        // Eigen's matrix-vector products were 1.5 times slower on rows of 50), then the kernel function
        // over the whole part with vectorised exp and tanh (scalar exp had taken a third of an
        // RBF fit), in the part's own segment of a scratch vector (a fresh vector a row, through
        // mmap and its page faults, had cost more than the kernel values).
        const T* xi = X_.row(i).data();
        const kestrel::detail::partition parts(n, n * d >= (Index{1} << 18) ? n_threads_ : 1);
        kestrel::detail::parallel_for(parts, n_threads_, [&](Index, Index begin, Index end) {
            auto values = scratch_.segment(begin, end - begin);
            kestrel::detail::simd::rows_dot(X_.row(begin).data(), d, end - begin, d, xi, values.data());
            kernel_.apply_row(values, norms_[i], norms_.segment(begin, end - begin));
            for (Index k = begin; k < end; ++k) out[k] = static_cast<float>(values[k - begin]);
        });
    }

    const Matrix<T>& X_;
    kernel_function kernel_;
    Vector<T> norms_;
    Eigen::VectorXd diagonal_;
    int n_threads_ = 1;
    Index capacity_ = 0;
    std::vector<float> storage_;
    std::vector<Index> owner_;  // the row each slot holds, −1 when empty
    std::vector<std::uint64_t> last_use_;
    std::vector<Index> slot_of_;  // the slot of each row, −1 when not cached
    std::uint64_t clock_ = 0;
    mutable Vector<T> scratch_;  // the kernel values of the row being computed
};

}  // namespace kestrel::svm::detail
