#pragma once
/// \file
/// Clustering metrics, as sklearn.metrics: silhouette coefficient and adjusted Rand index.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "../core/detail/parallel.hpp"
#include "../core/detail/validation.hpp"
#include "../core/error.hpp"
#include "../core/simd/blas1.hpp"
#include "../core/types.hpp"
#include "detail/inputs.hpp"

namespace kestrel::metrics {

/// Silhouette coefficient of each sample, (b − a) / max(a, b), with a the mean Euclidean distance
/// to the other members of its cluster and b the smallest mean distance to another cluster
/// (Rousseeuw, 1987; as scikit-learn's `silhouette_samples`). A sample alone in its cluster scores
/// 0. Distances are computed row by row, so memory stays O(n) per thread, time O(n²·d); float
/// input computes distances in float. `n_jobs`: 0 uses every core (with OpenMP).
/// Throws invalid_input (lengths, non-finite X, fewer than 2 or more than n − 1 clusters).
template <dense_matrix M>
requires std::floating_point<typename M::Scalar> Vector<typename M::Scalar> silhouette_samples(
    const M& X_in, const Eigen::Ref<const Labels>& labels, int n_jobs = 0) {
    using T = typename M::Scalar;
    constexpr std::string_view metric = "silhouette_samples";
    detail::check_lengths(X_in.rows(), labels.size(), metric, "X", "labels");
    kestrel::detail::check_training_matrix(X_in, metric);
    const kestrel::detail::row_major_ref<T> X(X_in);
    const std::vector<int> clusters = detail::sorted_labels(labels);
    const Index n = X.rows(), d = X.cols(), k = static_cast<Index>(clusters.size());
    if (k < 2 || k > n - 1) {
        throw invalid_input(detail::prefixed(
            metric, "number of labels is " + std::to_string(k) + "; valid values are 2 to n_samples - 1 (inclusive)"));
    }
    std::vector<int> code(static_cast<std::size_t>(n));
    Eigen::VectorXd size = Eigen::VectorXd::Zero(k);
    for (Index i = 0; i < n; ++i) {
        code[static_cast<std::size_t>(i)] = detail::label_code(clusters, labels[i]);
        size[code[static_cast<std::size_t>(i)]] += 1;
    }
    Vector<T> s(n);
    // Blocks of 16 rows, each with its own scratch; every row's score is its own, so any thread
    // count gives the same answer.
    constexpr Index block = 16;
    kestrel::detail::parallel_for((n + block - 1) / block, kestrel::detail::resolve_n_jobs(n_jobs), [&](Index b) {
        std::vector<T> squared(static_cast<std::size_t>(n));
        Eigen::VectorXd sums(k);
        for (Index i = b * block; i < std::min(n, (b + 1) * block); ++i) {
            kestrel::detail::simd::squared_distances(X.row(i).data(), X.data(), n, d, X.outerStride(), squared.data());
            sums.setZero();
            for (Index j = 0; j < n; ++j) {
                if (j != i)
                    sums[code[static_cast<std::size_t>(j)]] +=
                        std::sqrt(static_cast<double>(std::max(T(0), squared[static_cast<std::size_t>(j)])));
            }
            const int own = code[static_cast<std::size_t>(i)];
            double nearest = std::numeric_limits<double>::infinity();
            for (Index c = 0; c < k; ++c) {
                if (c != own) nearest = std::min(nearest, sums[c] / size[c]);
            }
            if (size[own] < 2) {
                s[i] = T(0);
                continue;
            }
            const double own_mean = sums[own] / (size[own] - 1);
            const double spread = std::max(own_mean, nearest);
            s[i] = spread > 0 ? static_cast<T>((nearest - own_mean) / spread) : T(0);
        }
    });
    return s;
}

/// Mean of silhouette_samples over all samples, in [−1, 1]; see silhouette_samples.
template <dense_matrix M>
requires std::floating_point<typename M::Scalar>
typename M::Scalar silhouette_score(const M& X, const Eigen::Ref<const Labels>& labels, int n_jobs = 0) {
    const auto s = silhouette_samples(X, labels, n_jobs);
    return static_cast<typename M::Scalar>(s.template cast<double>().mean());
}

/// Rand index adjusted for chance (Hubert and Arabie, 1985), from the pair confusion matrix as
/// scikit-learn's `adjusted_rand_score`: 1 for identical partitions (whatever the label values),
/// about 0 for independent ones. Exact integer pair counts (128-bit), so any n is safe.
/// Throws invalid_input on a length mismatch; empty inputs score 1, as in scikit-learn.
inline double adjusted_rand_score(const Eigen::Ref<const Labels>& labels_true,
                                  const Eigen::Ref<const Labels>& labels_pred) {
    if (labels_true.size() != labels_pred.size()) {
        detail::check_lengths(labels_true.size(), labels_pred.size(), "adjusted_rand_score", "labels_true",
                              "labels_pred");
    }
    __extension__ using int128 = __int128;
    const Index n = labels_true.size();
    const std::vector<int> rows = detail::sorted_labels(labels_true), cols = detail::sorted_labels(labels_pred);
    std::vector<std::pair<int, int>> pairs(static_cast<std::size_t>(n));
    std::vector<std::int64_t> row_sum(rows.size(), 0), col_sum(cols.size(), 0);
    for (Index i = 0; i < n; ++i) {
        const int r = detail::label_code(rows, labels_true[i]), c = detail::label_code(cols, labels_pred[i]);
        pairs[static_cast<std::size_t>(i)] = {r, c};
        ++row_sum[static_cast<std::size_t>(r)];
        ++col_sum[static_cast<std::size_t>(c)];
    }
    std::sort(pairs.begin(), pairs.end());
    // Σ n_ij², Σ n_ij·(column total), Σ n_ij·(row total) over the non-empty contingency cells.
    int128 sum_squares = 0, by_col = 0, by_row = 0;
    for (std::size_t start = 0; start < pairs.size();) {
        std::size_t end = start;
        while (end < pairs.size() && pairs[end] == pairs[start]) ++end;
        const int128 count = static_cast<int128>(end - start);
        sum_squares += count * count;
        by_col += count * col_sum[static_cast<std::size_t>(pairs[start].second)];
        by_row += count * row_sum[static_cast<std::size_t>(pairs[start].first)];
        start = end;
    }
    const int128 total = n;
    const int128 tp = sum_squares - total;
    const int128 fp = by_col - sum_squares;
    const int128 fn = by_row - sum_squares;
    const int128 tn = total * total - fp - fn - sum_squares;
    if (fn == 0 && fp == 0) return 1.0;
    const double numerator = 2.0 * static_cast<double>(tp * tn - fn * fp);
    return numerator / static_cast<double>((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}

}  // namespace kestrel::metrics
