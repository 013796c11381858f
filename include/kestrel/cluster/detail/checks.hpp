#pragma once
/// \file
/// The parameter and input checks both k-means estimators share.

#include <string>
#include <string_view>

#include "../../core/detail/validation.hpp"
#include "../../core/error.hpp"
#include "../../core/params.hpp"
#include "../../core/types.hpp"
#include "../../core/warnings.hpp"

namespace kestrel::cluster::detail {

/// scikit-learn's ConvergenceWarning when a fit ends with fewer distinct clusters than asked for.
inline void warn_if_fewer_clusters(Index distinct, Index k, std::string_view estimator) {
    if (distinct >= k) return;
    warn(warning_category::convergence, estimator,
         "the number of distinct clusters (" + std::to_string(distinct) + ") found is smaller than n_clusters (" +
             std::to_string(k) + "), possibly because of duplicate points in X");
}

/// The n_clusters rule both k-means estimators share. The assignment kernel carries centre
/// indices in T, exact up to 2^24 for float.
template <class T>
constexpr void validate_n_clusters(int n_clusters, std::string_view estimator) {
    require_param(n_clusters >= 1, estimator, "n_clusters", n_clusters, "must be >= 1");
    require_param(sizeof(T) >= 8 || n_clusters <= (1 << 24), estimator, "n_clusters", n_clusters,
                  "must be <= 16777216 for float");
}

/// Throws invalid_input unless there are at least k samples.
inline void check_n_clusters(Index n_clusters, Index n_samples, std::string_view estimator) {
    if (n_samples < n_clusters) {
        throw invalid_input(kestrel::detail::prefixed(
            estimator,
            "n_samples=" + std::to_string(n_samples) + " should be >= n_clusters=" + std::to_string(n_clusters)));
    }
}

/// Throws invalid_input unless the initial centres are k × d and finite.
template <class C>
void check_initial_centers(const C& centers, Index k, Index d, std::string_view estimator) {
    if (centers.rows() != k || centers.cols() != d) {
        throw invalid_input(kestrel::detail::prefixed(
            estimator, "the initial centers have shape (" + std::to_string(centers.rows()) + ", " +
                           std::to_string(centers.cols()) + ") but n_clusters=" + std::to_string(k) +
                           " and the data has " + std::to_string(d) + " features"));
    }
    kestrel::detail::check_finite(centers, estimator, "initial_centers");
}

/// The fitted state both k-means estimators keep, in a model file: cluster_centers_ (k rows),
/// labels_ (empty, or each in [0, k)), inertia_ and n_iter_.
template <class Archive, class T>
void persist_clustering(Archive& a, Index k, Matrix<T>& centers, Labels& labels, T& inertia, int& n_iter) {
    a.matrix("cluster_centers_", centers, k, a.n_features());
    a.labels("labels_", labels, -1, false);
    a.value("inertia_", inertia);
    a.value("n_iter_", n_iter);
    a.require(labels.size() == 0 || (labels.minCoeff() >= 0 && labels.maxCoeff() < k),
              "labels_ must lie in [0, n_clusters)");
    a.require(inertia >= 0 && n_iter >= 0, "inertia_ and n_iter_ must be >= 0");
}

}  // namespace kestrel::cluster::detail
