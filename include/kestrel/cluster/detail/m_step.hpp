#pragma once
/// \file
/// The M-step every k-means variant shares: weighted means, empty clusters moved, centre shifts.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <vector>

#include <Eigen/Core>

#include "../../core/detail/validation.hpp"
#include "../../core/types.hpp"
#include "inertia.hpp"
#include "sums.hpp"

namespace kestrel::cluster::detail {

using kestrel::detail::row_major_ref;

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

/// centres_new = sums / weights (the sum itself for a cluster of no weight) and
/// center_shift[j] = ‖centres_new[j] − centres_old[j]‖: the M-step once the sums are final.
template <class T>
void centers_from_sums(const cluster_sums& acc, const Matrix<T>& centers_old, Matrix<T>& centers_new,
                       Vector<T>& center_shift) {
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

/// The M-step: relocates empty clusters, then centres_new = sums / weights (the sum itself for a
/// cluster left with no weight) and center_shift[j] = ‖centres_new[j] − centres_old[j]‖.
template <class T>
void update_centers(const row_major_ref<T>& X, const Vector<T>& sample_weight, const Matrix<T>& centers_old,
                    const int* labels, cluster_sums& acc, Matrix<T>& centers_new, Vector<T>& center_shift) {
    relocate_empty_clusters(X, sample_weight, centers_old, labels, acc);
    centers_from_sums(acc, centers_old, centers_new, center_shift);
}

}  // namespace kestrel::cluster::detail
