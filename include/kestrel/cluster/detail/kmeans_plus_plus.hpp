#pragma once
/// \file
/// Initial centres: greedy k-means++ (Arthur and Vassilvitskii, "k-means++: the advantages of
/// careful seeding", SODA 2007, with scikit-learn's 2 + ⌊ln k⌋ local trials per centre keeping
/// the candidate that lowers the potential most) and random distinct rows, as `Init` chooses.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <vector>

#include <Eigen/Core>

#include "../../core/detail/validation.hpp"
#include "../../core/random.hpp"
#include "../../core/types.hpp"
#include "../options.hpp"
#include "inertia.hpp"
#include "segments.hpp"

namespace kestrel::cluster::detail {

/// The rows `rows` of X (in that order) as a matrix.
template <class T>
Matrix<T> gather_rows(const row_major_ref<T>& X, const std::vector<Index>& rows) {
    Matrix<T> out(static_cast<Index>(rows.size()), X.cols());
    for (std::size_t r = 0; r < rows.size(); ++r) out.row(static_cast<Index>(r)) = X.row(rows[r]);
    return out;
}

/// k centres by greedy k-means++. Sample weights do not enter (as in scikit-learn 1.2).
template <class T>
Matrix<T> kmeans_plus_plus(const row_major_ref<T>& X, Index k, random_engine& rng, int n_threads) {
    const Index n = X.rows(), d = X.cols();
    const Index trials = 2 + static_cast<Index>(std::log(static_cast<double>(k)));
    const segments seg(n, trials);
    std::vector<Index> chosen;
    chosen.push_back(rng.index_below(n));

    // closest[i]: squared distance of row i to the nearest chosen centre.
    std::vector<double> closest(static_cast<std::size_t>(n));
    std::vector<double> partial(static_cast<std::size_t>(seg.count() * trials));
    seg.for_each(n_threads, [&](Index s, Index begin, Index end) {
        double sum = 0;
        for (Index i = begin; i < end; ++i) {
            closest[static_cast<std::size_t>(i)] =
                static_cast<double>(squared_distance(X.row(i).data(), X.row(chosen[0]).data(), d));
            sum += closest[static_cast<std::size_t>(i)];
        }
        partial[static_cast<std::size_t>(s)] = sum;
    });
    double potential = std::accumulate(partial.begin(), partial.begin() + seg.count(), 0.0);

    std::vector<double> cumulative(static_cast<std::size_t>(n));
    std::vector<Index> candidates(static_cast<std::size_t>(trials));
    std::vector<double> candidate_closest(static_cast<std::size_t>(n * trials));
    for (Index c = 1; c < k; ++c) {
        // Candidates drawn with probability proportional to closest[i].
        std::partial_sum(closest.begin(), closest.end(), cumulative.begin());
        for (Index t = 0; t < trials; ++t) {
            const double target = rng.uniform() * potential;
            const auto it = std::lower_bound(cumulative.begin(), cumulative.end(), target);
            candidates[static_cast<std::size_t>(t)] =
                std::min<Index>(static_cast<Index>(it - cumulative.begin()), n - 1);
        }
        seg.for_each(n_threads, [&](Index s, Index begin, Index end) {
            for (Index t = 0; t < trials; ++t) {
                const T* candidate = X.row(candidates[static_cast<std::size_t>(t)]).data();
                double* out = candidate_closest.data() + t * n;
                double sum = 0;
                for (Index i = begin; i < end; ++i) {
                    const double dist = static_cast<double>(squared_distance(X.row(i).data(), candidate, d));
                    out[i] = std::min(closest[static_cast<std::size_t>(i)], dist);
                    sum += out[i];
                }
                partial[static_cast<std::size_t>(s * trials + t)] = sum;
            }
        });
        Index best = 0;
        double best_potential = 0;
        for (Index t = 0; t < trials; ++t) {
            double sum = 0;
            for (Index s = 0; s < seg.count(); ++s) sum += partial[static_cast<std::size_t>(s * trials + t)];
            if (t == 0 || sum < best_potential) {
                best = t;
                best_potential = sum;
            }
        }
        potential = best_potential;
        std::copy_n(candidate_closest.begin() + best * n, n, closest.begin());
        chosen.push_back(candidates[static_cast<std::size_t>(best)]);
    }
    return gather_rows(X, chosen);
}

/// k distinct rows of X chosen uniformly at random.
template <class T>
Matrix<T> random_rows(const row_major_ref<T>& X, Index k, random_engine& rng) {
    return gather_rows(X, rng.sample_without_replacement(X.rows(), k));
}

/// Centres to start from: k-means++ or k random rows.
template <class T>
Matrix<T> initial_centers(const row_major_ref<T>& X, Index k, Init init, random_engine& rng, int n_threads) {
    return init == Init::k_means_plus_plus ? kmeans_plus_plus(X, k, rng, n_threads) : random_rows(X, k, rng);
}

#if defined(KESTREL_SEPARATE_COMPILATION)
// Compiled once in kestrel::compiled (src/instantiations_*.cpp).
extern template Matrix<float> initial_centers<float>(const row_major_ref<float>&, Index, Init, random_engine&, int);
extern template Matrix<double> initial_centers<double>(const row_major_ref<double>&, Index, Init, random_engine&, int);
#endif

}  // namespace kestrel::cluster::detail
