#pragma once
/// \file
/// Per-cluster sums of the rows and their weights, as the M-step needs them: accumulated in
/// double, with buffers in T that keep the rows' adds fast for few or many clusters.

#include <algorithm>
#include <cstddef>
#include <vector>

#include <Eigen/Core>

#include "../../core/simd/batch.hpp"
#include "../../core/types.hpp"
#include "weights.hpp"

namespace kestrel::cluster::detail {

namespace sums_detail {

// dst[label_c·d ...] (+ c·copy_size) += weight_c · x_c for Rows rows at once, one to each copy;
// every row's features are loaded before any of the sums is stored, so that no load has to wait
// for those stores. Loading float into double lanes converts (vcvtps2pd).
template <Index Rows, class Acc, class T>
inline void add_group(Acc* sum_data, Acc* weight_data, Index copy_size, Index d, const T* const (&x)[Rows],
                      row_weights<T> weights, const int* labels) noexcept {
    using batch = kestrel::detail::simd::batch<Acc>;
    constexpr Index w = kestrel::detail::simd::width<Acc>;
    Acc* dst[Rows];
    Acc weight[Rows];
    for (Index c = 0; c < Rows; ++c) {
        dst[c] = sum_data + c * copy_size + labels[c] * d;
        weight[c] = static_cast<Acc>(weights[c]);
    }
    Index f = 0;
    for (; f + w <= d; f += w) {
        batch values[Rows];
        for (Index c = 0; c < Rows; ++c) values[c] = batch::load_unaligned(x[c] + f);
        for (Index c = 0; c < Rows; ++c)
            (batch::load_unaligned(dst[c] + f) + batch(weight[c]) * values[c]).store_unaligned(dst[c] + f);
    }
    for (; f < d; ++f) {
        for (Index c = 0; c < Rows; ++c) dst[c][f] += weight[c] * static_cast<Acc>(x[c][f]);
    }
    for (Index c = 0; c < Rows; ++c) weight_data[c * copy_size + labels[c]] += weight[c];
}

}  // namespace sums_detail

/// Per-cluster weighted sums of the rows and their weights, accumulated in double.
struct cluster_sums {
    Matrix<double> sums;
    Eigen::VectorXd weights;

    cluster_sums(Index k, Index d) : sums(Matrix<double>::Zero(k, d)), weights(Eigen::VectorXd::Zero(k)) {}

    /// Adds row x (d values of T) with the given weight to cluster `label`'s sums.
    template <class T>
    void add(int label, const T* x, T weight) noexcept {
        const T* const row[1] = {x};
        sums_detail::add_group<1>(sums.data(), weights.data(), 0, sums.cols(), row, row_weights<T>{&weight, 0}, &label);
    }
    /// sums += the k·d values at `values` (T, row by row), weights += the k that follow them.
    template <class T>
    void add_values(const T* values) noexcept {
        using sum_batch = kestrel::detail::simd::batch<double>;
        constexpr Index w = kestrel::detail::simd::width<double>;
        double* const sum_data = sums.data();
        const Index n_sums = sums.size();
        Index j = 0;
        for (; j + w <= n_sums; j += w)
            (sum_batch::load_unaligned(sum_data + j) + sum_batch::load_unaligned(values + j))
                .store_unaligned(sum_data + j);
        for (; j < n_sums; ++j) sum_data[j] += static_cast<double>(values[j]);
        for (Index c = 0; c < weights.size(); ++c) weights[c] += static_cast<double>(values[n_sums + c]);
    }
    void add(const cluster_sums& other) {
        sums += other.sums;
        weights += other.weights;
    }
    void set_zero() {
        sums.setZero();
        weights.setZero();
    }
};

/// Rows summed in T into one k×d buffer, for many clusters, added to a cluster_sums in double
/// whenever `flush_rows` rows have gone in (and at fold_into): T then sums few rows per cluster,
/// and in float the buffer is half the cache footprint of the doubles.
template <class T>
class pending_sums {
public:
    static constexpr Index flush_rows = 2048;

    pending_sums(Index k, Index d) : k_(k), d_(d), data_(static_cast<std::size_t>(k * (d + 1)), T(0)) {}

    /// Adds `rows` rows of X (`stride` apart) with their weights and labels, flushing into `acc`
    /// when flush_rows rows are pending.
    void add(const T* X, Index stride, row_weights<T> sample_weight, const int* labels, Index rows,
             cluster_sums& acc) noexcept {
        T* const sum_data = data_.data();
        T* const weight_data = sum_data + k_ * d_;
        for (Index r = 0; r < rows; ++r) {
            const T* const x[1] = {X + r * stride};
            sums_detail::add_group<1>(sum_data, weight_data, 0, d_, x, sample_weight.from(r), labels + r);
        }
        pending_ += rows;
        if (pending_ >= flush_rows) fold_into(acc);
    }

    /// Adds the pending sums into `acc` and zeroes them.
    void fold_into(cluster_sums& acc) noexcept {
        acc.add_values(data_.data());
        std::fill(data_.begin(), data_.end(), T(0));
        pending_ = 0;
    }

private:
    Index k_, d_, pending_ = 0;
    std::vector<T> data_;
};

/// The sums of one block of rows, for few clusters (`fits`), in T, then added to a cluster_sums
/// in double. With few clusters, consecutive rows often share one, and each add would wait for
/// the previous one's store: consecutive rows go to four copies of the sums instead, added up
/// in a fixed order when the block is folded. Folding once about `max_rows` rows have gone in
/// leaves each copy a quarter of them to sum in T.
template <class T>
class block_sums {
public:
    static constexpr Index max_rows = 256;

    [[nodiscard]] static bool fits(Index k, Index d) noexcept { return padded(k * (d + 1)) <= capacity; }

    block_sums(Index k, Index d) : k_(k), d_(d), size_(padded(k * (d + 1))) { zero(); }

    /// Adds `rows` rows of X (`stride` apart) with their weights and labels; their first row is
    /// a multiple of 4 rows into the block, and row r of them goes to copy r mod 4.
    void add(const T* X, Index stride, row_weights<T> sample_weight, const int* labels, Index rows) noexcept {
        T* const sum_data = data_;
        T* const weight_data = data_ + k_ * d_;
        Index r = 0;
        // One or two registers per row, the common cases of few features, without the general loops.
        if (d_ == kestrel::detail::simd::width<T>) add_rows<1>(X, stride, sample_weight, labels, rows, r);
        if (d_ == 2 * kestrel::detail::simd::width<T>) add_rows<2>(X, stride, sample_weight, labels, rows, r);
        for (; r + copies <= rows; r += copies) {
            const T* const x[copies] = {X + r * stride, X + (r + 1) * stride, X + (r + 2) * stride,
                                        X + (r + 3) * stride};
            sums_detail::add_group<copies>(sum_data, weight_data, size_, d_, x, sample_weight.from(r), labels + r);
        }
        for (Index c = 0; r < rows; ++r, ++c) {
            const T* const x[1] = {X + r * stride};
            sums_detail::add_group<1>(sum_data + c * size_, weight_data + c * size_, 0, d_, x, sample_weight.from(r),
                                      labels + r);
        }
    }

    /// Adds the four copies, in order, into `acc` and zeroes them for the next block.
    void fold_into(cluster_sums& acc) noexcept {
        using batch = kestrel::detail::simd::batch<T>;
        constexpr Index w = kestrel::detail::simd::width<T>;
        for (Index c = 1; c < copies; ++c) {
            for (Index j = 0; j < size_; j += w)
                (batch::load_aligned(data_ + j) + batch::load_aligned(data_ + c * size_ + j)).store_aligned(data_ + j);
        }
        acc.add_values(data_);
        zero();
    }

private:
    static constexpr Index copies = 4, capacity = 512;  // values per copy, padding included
    static constexpr Index line = 64 / Index{sizeof(T)};
    static_assert(line % kestrel::detail::simd::width<T> == 0, "a copy is whole registers");

    // add's loop over whole groups of `copies` rows from row r for d = Regs registers, advancing r.
    template <int Regs>
    void add_rows(const T* X, Index stride, row_weights<T> sample_weight, const int* labels, Index rows,
                  Index& r) noexcept {
        using batch = kestrel::detail::simd::batch<T>;
        constexpr Index w = kestrel::detail::simd::width<T>;
        constexpr Index d = Regs * w;
        const Index size = size_;
        T* const sum_data = data_;
        T* const weight_data = sum_data + k_ * d;
        for (; r + copies <= rows; r += copies) {
            batch values[copies][Regs];
            for (Index c = 0; c < copies; ++c) {
                for (int g = 0; g < Regs; ++g) values[c][g] = batch::load_unaligned(X + (r + c) * stride + g * w);
            }
            for (Index c = 0; c < copies; ++c) {
                const T weight = sample_weight[r + c];
                T* dst = sum_data + c * size + labels[r + c] * d;
                for (int g = 0; g < Regs; ++g)
                    (batch::load_aligned(dst + g * w) + batch(weight) * values[c][g]).store_aligned(dst + g * w);
                weight_data[c * size + labels[r + c]] += weight;
            }
        }
    }

    // Each copy starts on a cache line and rows of one register stay within one: a store that
    // straddles two lines is not forwarded to the next load of it.
    static constexpr Index padded(Index values) noexcept { return (values + line - 1) / line * line; }

    // Register stores, which later loads of the same lines are forwarded from (a memset's string
    // stores are not, and each cluster's first add would wait for them).
    void zero() noexcept {
        using batch = kestrel::detail::simd::batch<T>;
        for (Index j = 0; j < copies * size_; j += kestrel::detail::simd::width<T>)
            batch(T(0)).store_aligned(data_ + j);
    }

    alignas(64) T data_[copies * capacity];
    Index k_, d_, size_;
};

}  // namespace kestrel::cluster::detail
