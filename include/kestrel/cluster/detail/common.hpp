#pragma once
/// \file
/// Pieces every k-means variant shares: the fixed row segmentation that makes parallel sums
/// reproducible, the M-step (weighted means, empty clusters, centre shifts), inertia and the
/// tolerance scale.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <vector>

#include <Eigen/Core>

#include "../../core/detail/simd.hpp"
#include "../../core/detail/validation.hpp"
#include "../../core/types.hpp"

namespace kestrel::cluster::detail {

using kestrel::detail::row_major_ref;

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

/// The weights of consecutive rows: data[i·step], step 0 for unit weights (one shared 1), so that
/// unweighted data adds no stream of ones to the memory traffic.
template <class T>
struct row_weights {
    const T* data;
    Index step;

    const T& operator[](Index i) const noexcept { return data[i * step]; }
    [[nodiscard]] row_weights from(Index i) const noexcept { return {data + i * step, step}; }
};

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
        sums_detail::add_group<1>(sums.data(), weights.data(), 0, sums.cols(), row, row_weights<T>{&weight, 0},
                                  &label);
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
            (sum_batch::load_unaligned(sum_data + j) + sum_batch::load_unaligned(values + j)).store_unaligned(sum_data + j);
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
            const T* const x[copies] = {X + r * stride, X + (r + 1) * stride, X + (r + 2) * stride, X + (r + 3) * stride};
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
        for (Index j = 0; j < copies * size_; j += kestrel::detail::simd::width<T>) batch(T(0)).store_aligned(data_ + j);
    }

    alignas(64) T data_[copies * capacity];
    Index k_, d_, size_;
};

/// Squared Euclidean distance of two rows of d values.
template <class T>
T squared_distance(const T* a, const T* b, Index d) noexcept {
    return kestrel::detail::simd::squared_distance(a, b, d);
}

/// Moves each empty cluster (zero weight) onto one of the samples farthest from their centre,
/// farthest first, taking that sample's weight out of its old cluster, as scikit-learn does.
/// Labels are left as they are.
template <class T>
void relocate_empty_clusters(const row_major_ref<T>& X, const Vector<T>& sample_weight, const Matrix<T>& centers_old,
                             const int* labels, cluster_sums& acc) {
    std::vector<Index> empty;
    for (Index j = 0; j < acc.weights.size(); ++j) {
        if (acc.weights[j] == 0) empty.push_back(j);
    }
    if (empty.empty()) return;
    const Index n = X.rows(), d = X.cols();
    std::vector<T> distance(static_cast<std::size_t>(n));
    for (Index i = 0; i < n; ++i)
        distance[static_cast<std::size_t>(i)] = squared_distance(X.row(i).data(), centers_old.row(labels[i]).data(), d);
    std::vector<Index> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), Index{0});
    const auto n_empty = static_cast<std::ptrdiff_t>(empty.size());
    std::partial_sort(order.begin(), order.begin() + n_empty, order.end(), [&](Index a, Index b) {
        const T da = distance[static_cast<std::size_t>(a)], db = distance[static_cast<std::size_t>(b)];
        return da > db || (da == db && a < b);
    });
    for (std::size_t e = 0; e < empty.size(); ++e) {
        const Index far = order[e];
        const Index new_label = empty[e];
        const int old_label = labels[far];
        const double weight = static_cast<double>(sample_weight[far]);
        const Eigen::RowVectorXd x = X.row(far).template cast<double>();
        acc.sums.row(old_label) -= weight * x;
        acc.sums.row(new_label) = weight * x;
        acc.weights[new_label] = weight;
        acc.weights[old_label] -= weight;
    }
}

/// The M-step: relocates empty clusters, then centres_new = sums / weights (the sum itself for a
/// cluster left with no weight) and center_shift[j] = ‖centres_new[j] − centres_old[j]‖.
template <class T>
void update_centers(const row_major_ref<T>& X, const Vector<T>& sample_weight, const Matrix<T>& centers_old,
                    const int* labels, cluster_sums& acc, Matrix<T>& centers_new, Vector<T>& center_shift) {
    relocate_empty_clusters(X, sample_weight, centers_old, labels, acc);
    const Index k = centers_old.rows();
    centers_new.resize(k, centers_old.cols());
    center_shift.resize(k);
    for (Index j = 0; j < k; ++j) {
        const double scale = acc.weights[j] > 0 ? 1.0 / acc.weights[j] : 1.0;
        centers_new.row(j) = (acc.sums.row(j) * scale).template cast<T>();
        center_shift[j] = static_cast<T>(std::sqrt(
            (centers_new.row(j).template cast<double>() - centers_old.row(j).template cast<double>()).squaredNorm()));
    }
}

/// Σ w_i ‖x_i − c_{label_i}‖², summed in double segment by segment.
template <class T>
double inertia(const row_major_ref<T>& X, const Vector<T>& sample_weight, const Matrix<T>& centers, const int* labels,
               int n_threads) {
    const Index d = X.cols();
    const segments seg(X.rows(), 1);
    std::vector<double> partial(static_cast<std::size_t>(seg.count()), 0.0);
    seg.for_each(n_threads, [&](Index s, Index begin, Index end) {
        double sum = 0;
        for (Index i = begin; i < end; ++i) {
            sum += static_cast<double>(sample_weight[i]) *
                   static_cast<double>(squared_distance(X.row(i).data(), centers.row(labels[i]).data(), d));
        }
        partial[static_cast<std::size_t>(s)] = sum;
    });
    return std::accumulate(partial.begin(), partial.end(), 0.0);
}

/// Σ term(f, x_if) over the rows of X for every column f, in double, segment by segment then in
/// segment order.
template <class T, class Term>
Eigen::RowVectorXd sum_rows(const row_major_ref<T>& X, int n_threads, Term&& term) {
    const Index d = X.cols();
    const segments seg(X.rows(), d);
    Matrix<double> partial = Matrix<double>::Zero(seg.count(), d);
    seg.for_each(n_threads, [&](Index s, Index begin, Index end) {
        // A plain loop over contiguous sums, which the compiler vectorises.
        std::vector<double> sums(static_cast<std::size_t>(d), 0.0);
        double* const sum = sums.data();
        for (Index i = begin; i < end; ++i) {
            const T* x = X.row(i).data();
            for (Index f = 0; f < d; ++f) sum[f] += term(f, static_cast<double>(x[f]));
        }
        for (Index f = 0; f < d; ++f) partial(s, f) = sum[f];
    });
    return partial.colwise().sum();
}

/// Column means of X, in double: the shift that keeps ‖c‖² − 2x·c accurate.
template <class T>
Eigen::RowVectorXd column_means(const row_major_ref<T>& X, int n_threads) {
    return sum_rows(X, n_threads, [](Index, double x) { return x; }) / static_cast<double>(X.rows());
}

/// scikit-learn's `_tolerance`: tol times the mean of the features' (population) variances.
template <class T>
double scaled_tolerance(const row_major_ref<T>& X, const Eigen::RowVectorXd& mean, double tol, int n_threads) {
    if (tol == 0) return 0;
    const auto squares = sum_rows(X, n_threads, [&](Index f, double x) {
        const double centred = x - mean[f];
        return centred * centred;
    });
    return squares.mean() / static_cast<double>(X.rows()) * tol;
}

/// True when the two labellings are the same partition up to renaming the clusters.
inline bool same_clustering(const Labels& a, const Labels& b, Index k) {
    std::vector<int> mapping(static_cast<std::size_t>(k), -1);
    for (Index i = 0; i < a.size(); ++i) {
        int& m = mapping[static_cast<std::size_t>(a[i])];
        if (m == -1) {
            m = b[i];
        } else if (m != b[i]) {
            return false;
        }
    }
    return true;
}

}  // namespace kestrel::cluster::detail
