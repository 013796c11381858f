#pragma once
/// \file
/// Elkan's accelerated k-means (Elkan, "Using the triangle inequality to accelerate k-means",
/// ICML 2003), with scikit-learn's bound bookkeeping: an upper bound on each sample's distance to
/// its centre, a lower bound per sample and centre, half the centre-to-centre distances and each
/// centre's nearest other centre. Distances are computed by the SIMD kernels.

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "../../core/detail/validation.hpp"
#include "../../core/types.hpp"
#include "inertia.hpp"
#include "lloyd.hpp"
#include "m_step.hpp"
#include "segments.hpp"
#include "sums.hpp"

namespace kestrel::cluster::detail {

/// The state Elkan's algorithm carries between iterations.
template <class T>
struct elkan_bounds {
    Vector<T> upper;          // ≥ distance of each sample to its centre
    Matrix<T> lower;          // ≤ distance of each sample to each centre
    Matrix<T> half_distance;  // ½ distance between centres
    Vector<T> next_center;    // ½ distance of each centre to its nearest other centre

    void set_centers(const Matrix<T>& centers) {
        const Index k = centers.rows(), d = centers.cols();
        half_distance.resize(k, k);
        for (Index a = 0; a < k; ++a) {
            half_distance(a, a) = 0;
            for (Index b = a + 1; b < k; ++b) {
                const T h = std::sqrt(squared_distance(centers.row(a).data(), centers.row(b).data(), d)) / 2;
                half_distance(a, b) = half_distance(b, a) = h;
            }
        }
        next_center.resize(k);
        for (Index a = 0; a < k; ++a) {
            T m = std::numeric_limits<T>::infinity();
            for (Index b = 0; b < k; ++b) {
                if (b != a) m = std::min(m, half_distance(a, b));
            }
            next_center[a] = m;
        }
    }
};

template <class T>
T distance(const row_major_ref<T>& X, Index i, const Matrix<T>& centers, Index j) noexcept {
    return std::sqrt(squared_distance(X.row(i).data(), centers.row(j).data(), X.cols()));
}

/// First bounds: each sample's centre found with the half-distance test, its exact distance as
/// upper bound and the distances computed on the way as lower bounds.
template <class T>
void init_elkan_bounds(const row_major_ref<T>& X, const Matrix<T>& centers, elkan_bounds<T>& bounds, int* labels,
                       int n_threads) {
    const Index n = X.rows(), k = centers.rows();
    bounds.set_centers(centers);
    bounds.upper.resize(n);
    bounds.lower = Matrix<T>::Zero(n, k);
    const segments seg(n, 1);
    seg.for_each(n_threads, [&](Index, Index begin, Index end) {
        for (Index i = begin; i < end; ++i) {
            int best = 0;
            T nearest = distance(X, i, centers, 0);
            bounds.lower(i, 0) = nearest;
            for (Index j = 1; j < k; ++j) {
                if (nearest > bounds.half_distance(best, j)) {
                    const T dist = distance(X, i, centers, j);
                    bounds.lower(i, j) = dist;
                    if (dist < nearest) {
                        nearest = dist;
                        best = static_cast<int>(j);
                    }
                }
            }
            labels[i] = best;
            bounds.upper[i] = nearest;
        }
    });
}

/// One Elkan E-step over every sample (scikit-learn's `elkan_iter_chunked_dense`); with `acc`
/// given, the per-cluster sums of the new assignment too. Returns how many labels changed.
template <class T>
Index elkan_assign(const row_major_ref<T>& X, const Vector<T>& sample_weight, const Matrix<T>& centers,
                   elkan_bounds<T>& bounds, int* labels, cluster_sums* acc, int n_threads) {
    const Index n = X.rows(), k = centers.rows(), d = centers.cols();
    const segments seg(n, acc ? k * (d + 1) : 1);
    std::vector<cluster_sums> partial;
    if (acc) partial.assign(static_cast<std::size_t>(seg.count()), cluster_sums(k, d));
    std::vector<Index> changed(static_cast<std::size_t>(seg.count()), 0);
    seg.for_each(n_threads, [&](Index s, Index begin, Index end) {
        for (Index i = begin; i < end; ++i) {
            int label = labels[i];
            T upper = bounds.upper[i];
            if (!(bounds.next_center[label] >= upper)) {
                bool tight = false;
                for (Index j = 0; j < k; ++j) {
                    if (j == label || !(upper > bounds.lower(i, j)) || !(upper > bounds.half_distance(label, j)))
                        continue;
                    if (!tight) {
                        upper = distance(X, i, centers, label);
                        bounds.lower(i, label) = upper;
                        tight = true;
                    }
                    if (upper > bounds.lower(i, j) || upper > bounds.half_distance(label, j)) {
                        const T dist = distance(X, i, centers, j);
                        bounds.lower(i, j) = dist;
                        if (dist < upper) {
                            label = static_cast<int>(j);
                            upper = dist;
                        }
                    }
                }
                changed[static_cast<std::size_t>(s)] += labels[i] != label;
                labels[i] = label;
                bounds.upper[i] = upper;
            }
            if (acc) partial[static_cast<std::size_t>(s)].add(label, X.row(i).data(), sample_weight[i]);
        }
    });
    if (acc) {
        for (const auto& p : partial) acc->add(p);
    }
    return std::accumulate(changed.begin(), changed.end(), Index{0});
}

/// Loosens the bounds by how far the centres moved.
template <class T>
void shift_elkan_bounds(elkan_bounds<T>& bounds, const Vector<T>& center_shift, const int* labels, int n_threads) {
    const Index n = bounds.lower.rows(), k = bounds.lower.cols();
    const segments seg(n, 1);
    seg.for_each(n_threads, [&](Index, Index begin, Index end) {
        for (Index i = begin; i < end; ++i) {
            bounds.upper[i] += center_shift[labels[i]];
            for (Index j = 0; j < k; ++j) bounds.lower(i, j) = std::max(T(0), bounds.lower(i, j) - center_shift[j]);
        }
    });
}

/// One run of Elkan's algorithm from `centers_init` (scikit-learn's `_kmeans_single_elkan`).
template <class T>
run_result<T> run_elkan(const row_major_ref<T>& X, const Vector<T>& sample_weight, const Matrix<T>& centers_init,
                        int max_iter, double tol, int n_threads, kestrel::detail::progress_reporter* progress) {
    Labels labels(X.rows());
    elkan_bounds<T> bounds;
    init_elkan_bounds(X, centers_init, bounds, labels.data(), n_threads);
    cluster_sums acc(centers_init.rows(), centers_init.cols());
    bool first = true;
    auto step = [&](const Matrix<T>& centers, int* labels_now, Matrix<T>& centers_new, Vector<T>& center_shift) {
        acc.set_zero();
        const Index changed = elkan_assign(X, sample_weight, centers, bounds, labels_now, &acc, n_threads);
        update_centers(X, sample_weight, centers, labels_now, acc, centers_new, center_shift);
        shift_elkan_bounds(bounds, center_shift, labels_now, n_threads);
        bounds.set_centers(centers_new);
        // scikit-learn compares the first step's labels with −1, not with the bounds' first
        // assignment, so its first step never counts as stable.
        const Index compared_to_minus_one = first ? X.rows() : changed;
        first = false;
        return compared_to_minus_one;
    };
    auto finish = [&](const Matrix<T>& centers, int* labels_now, bool relabel) {
        if (relabel) elkan_assign(X, sample_weight, centers, bounds, labels_now, nullptr, n_threads);
        return inertia(X, sample_weight, centers, labels_now, n_threads);
    };
    return iterate(centers_init, std::move(labels), max_iter, tol, step, finish, progress);
}

#if defined(KESTREL_SEPARATE_COMPILATION)
// Compiled once in kestrel::compiled (src/instantiations_*.cpp).
extern template run_result<float> run_elkan<float>(const row_major_ref<float>&, const Vector<float>&,
                                                   const Matrix<float>&, int, double, int,
                                                   kestrel::detail::progress_reporter*);
extern template run_result<double> run_elkan<double>(const row_major_ref<double>&, const Vector<double>&,
                                                     const Matrix<double>&, int, double, int,
                                                     kestrel::detail::progress_reporter*);
#endif

}  // namespace kestrel::cluster::detail
