#pragma once
/// \file
/// The k-means objective: squared distances to the centres, the (weighted) inertia, and the
/// comparison of runs by it.

#include <cstddef>
#include <numeric>
#include <vector>

#include "../../core/detail/validation.hpp"
#include "../../core/simd/blas1.hpp"
#include "../../core/types.hpp"
#include "segments.hpp"

namespace kestrel::cluster::detail {

using kestrel::detail::row_major_ref;

/// Squared Euclidean distance of two rows of d values.
template <class T>
T squared_distance(const T* a, const T* b, Index d) noexcept {
    return kestrel::detail::simd::squared_distance(a, b, d);
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

/// How many of the k clusters hold at least one sample.
inline Index distinct_labels(const Labels& labels, Index k) {
    Eigen::VectorXi used = Eigen::VectorXi::Zero(k);
    for (Index i = 0; i < labels.size(); ++i) used[labels[i]] = 1;
    return used.sum();
}

}  // namespace kestrel::cluster::detail
