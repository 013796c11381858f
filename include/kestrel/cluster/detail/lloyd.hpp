#pragma once
/// \file
/// Lloyd's k-means iteration (Lloyd 1982), the hot path: each block of rows is scored against
/// all centres with a register-blocked ‖c‖²/2 − x·c kernel fused with its argmin (no n×k matrix
/// is stored), and the rows just assigned are added into per-segment cluster sums while they are
/// still in cache. Segments run in parallel; their sums are combined in a fixed order.

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "../../core/detail/linear_rows.hpp"
#include "../../core/detail/validation.hpp"
#include "../../core/error.hpp"
#include "../../core/progress.hpp"
#include "../../core/types.hpp"
#include "../../core/weights.hpp"
#include "assign/assign.hpp"
#include "inertia.hpp"
#include "m_step.hpp"
#include "segments.hpp"
#include "sums.hpp"
#include "weights.hpp"

namespace kestrel::cluster::detail {

/// The shift of fitted centres for prediction: their mean, each feature's centres added in order
/// then divided by k (nearest_labels and nearest_center_row share it).
template <class T>
void center_shift(const Matrix<T>& centers, T* shift) noexcept {
    const Index k = centers.rows(), d = centers.cols();
    for (Index f = 0; f < d; ++f) {
        T sum = 0;
        for (Index j = 0; j < k; ++j) sum += centers(j, f);
        shift[f] = sum / static_cast<T>(k);
    }
}

/// The nearest centre of one row x, with the bits of assign::nearest_centers on packed centres:
/// each centre's half squared norm and score ½‖c‖² + Σ_f (shift_f − x_f)·c_f (c shifted) by
/// multiply_add in feature order, the first minimum kept. `shift` holds center_shift(centers).
template <class T>
[[nodiscard]] int nearest_center_row(const Matrix<T>& centers, const T* shift, const T* x) noexcept {
    using kestrel::detail::multiply_add;
    const Index k = centers.rows(), d = centers.cols();
    T best = std::numeric_limits<T>::infinity();
    int best_index = 0;
    for (Index j = 0; j < k; ++j) {
        const T* c = centers.row(j).data();
        T norm = 0;
        for (Index f = 0; f < d; ++f) {
            const T v = c[f] - shift[f];
            norm = multiply_add(v, v, norm);
        }
        T score = norm / 2;
        for (Index f = 0; f < d; ++f) score = multiply_add(shift[f] - x[f], c[f] - shift[f], score);
        if (score < best) {
            best = score;
            best_index = static_cast<int>(j);
        }
    }
    return best_index;
}

/// Features up to which predict_one keeps the centres' shift on the stack.
inline constexpr Index row_features = 512;

/// Refuses predict_one for centres wider than row_features.
template <class T>
void check_row_features(const Matrix<T>& centers, std::string_view estimator) {
    if (centers.cols() > row_features) {
        throw invalid_input(std::string(estimator) + ": predict_one takes models of up to " +
                            std::to_string(row_features) + " features; this one has " + std::to_string(centers.cols()) +
                            " (call predict with one row)");
    }
}

/// The nearest centre of one row, allocating nothing (centers.cols() ≤ row_features).
template <class T>
[[nodiscard]] int predict_center_row(const Matrix<T>& centers, const T* x) noexcept {
    T shift[row_features];
    center_shift(centers, shift);
    return nearest_center_row(centers, shift, x);
}

/// Centres packed for the assignment kernel, shifted by the data mean.
template <class T>
assign::center_groups<T> pack_centers(const Matrix<T>& centers, const Vector<T>& shift) {
    return assign::center_groups<T>(centers.data(), centers.rows(), centers.cols(), centers.cols(), shift.data());
}

/// labels[i] = the nearest centre of row i.
template <class T>
void assign_labels(const row_major_ref<T>& X, const Vector<T>& shift, const Matrix<T>& centers, int* labels,
                   int n_threads) {
    const auto packed = pack_centers(centers, shift);
    const segments seg(X.rows(), 1);
    seg.for_each(n_threads, [&](Index, Index begin, Index end) {
        assign::nearest_centers(X.row(begin).data(), end - begin, X.outerStride(), packed, labels + begin);
    });
}

/// assign_labels, returning the inertia of the new labels: each row's weighted squared distance
/// to its centre taken while the row is in cache, summed as inertia() sums them.
template <class T>
double assign_labels_inertia(const row_major_ref<T>& X, const Vector<T>& sample_weight, const Vector<T>& shift,
                             const Matrix<T>& centers, int* labels, int n_threads) {
    const Index d = X.cols(), stride = X.outerStride();
    const auto packed = pack_centers(centers, shift);
    const segments seg(X.rows(), 1);
    std::vector<double> partial(static_cast<std::size_t>(seg.count()), 0.0);
    seg.for_each(n_threads, [&](Index s, Index begin, Index end) {
        double sum = 0;
        assign::nearest_centers(
            X.row(begin).data(), end - begin, stride, packed, labels + begin,
            [&](Index first, Index rows, const int* row_labels) {
                for (Index r = 0; r < rows; ++r) {
                    const Index i = begin + first + r;
                    sum += static_cast<double>(sample_weight[i]) *
                           static_cast<double>(squared_distance(X.row(i).data(), centers.row(row_labels[r]).data(), d));
                }
            });
        partial[static_cast<std::size_t>(s)] = sum;
    });
    return std::accumulate(partial.begin(), partial.end(), 0.0);
}

/// Assigns every row to its nearest centre, summing the rows per cluster into `partial` (one
/// cluster_sums per segment, reused from step to step; on return partial[0] holds the total) and
/// returning how many labels changed (so no copy of the old labels is kept to compare). Each
/// block of rows is summed as soon as its labels are known, tile by tile where the kernel allows:
/// few clusters through a block_sums, many through a pending_sums.
template <class T>
Index assign_and_sum(const row_major_ref<T>& X, const Vector<T>& sample_weight, bool unit_weights,
                     const Vector<T>& shift, const Matrix<T>& centers, int* labels, std::vector<cluster_sums>& partial,
                     int n_threads) {
    static constexpr T one = T(1);
    const row_weights<T> weights = unit_weights ? row_weights<T>{&one, 0} : row_weights<T>{sample_weight.data(), 1};
    const Index k = centers.rows(), d = centers.cols(), stride = X.outerStride();
    const auto packed = pack_centers(centers, shift);
    const segments seg(X.rows(), k * (d + 1));
    partial.resize(static_cast<std::size_t>(seg.count()), cluster_sums(k, d));
    for (auto& p : partial) p.set_zero();
    std::vector<Index> changed(static_cast<std::size_t>(seg.count()), 0);
    const bool few_clusters = block_sums<T>::fits(k, d);
    seg.for_each(n_threads, [&](Index s, Index begin, Index end) {
        cluster_sums& acc = partial[static_cast<std::size_t>(s)];
        const T* x = X.row(begin).data();
        const row_weights<T> w = weights.from(begin);
        // One kernel call per segment, so that it fetches ahead across the blocks it hands over.
        auto& count = changed[static_cast<std::size_t>(s)];
        if (few_clusters) {
            block_sums<T> block(k, d);
            Index in_block = 0;
            count = assign::nearest_centers(x, end - begin, stride, packed, labels + begin,
                                            [&](Index first, Index rows, const int* row_labels) {
                                                block.add(x + first * stride, stride, w.from(first), row_labels, rows);
                                                in_block += rows;
                                                if (in_block >= block_sums<T>::max_rows) {
                                                    block.fold_into(acc);
                                                    in_block = 0;
                                                }
                                            });
            block.fold_into(acc);
        } else {
            pending_sums<T> pending(k, d);
            count = assign::nearest_centers(
                x, end - begin, stride, packed, labels + begin, [&](Index first, Index rows, const int* row_labels) {
                    pending.add(x + first * stride, stride, w.from(first), row_labels, rows, acc);
                });
            pending.fold_into(acc);
        }
    });
    for (std::size_t s = 1; s < partial.size(); ++s) partial[0].add(partial[s]);
    return std::accumulate(changed.begin(), changed.end(), Index{0});
}

/// What one k-means run leaves: final centres, labels consistent with them, inertia, iterations.
template <class T>
struct run_result {
    Matrix<T> centers;
    Labels labels;
    double inertia = 0;
    int n_iter = 0;
    bool converged = false;
};

/// The convergence rule scikit-learn applies after each iteration: strict when no label changed,
/// else when the squared centre shifts sum to at most `tol`.
struct convergence {
    bool strict = false;
    bool reached = false;

    template <class T>
    bool check(Index labels_changed, const Vector<T>& center_shift, double tol) {
        if (labels_changed == 0) {
            strict = reached = true;
        } else if (center_shift.template cast<double>().squaredNorm() <= tol) {
            reached = true;
        }
        return reached;
    }
};

/// The loop Lloyd and Elkan share (scikit-learn's `_kmeans_single_*`): step(centres, labels,
/// centres_new, centre_shift) runs one E- and M-step and returns how many labels changed, then
/// the convergence rule is checked; finish(centres, labels, relabel) returns the inertia, after a
/// last E-step when `relabel` (the labels did not stand still), so that the labels belong to the
/// final centres. `tol` is already scaled by the data variance. `progress` (may be null) hears of
/// each iteration's squared centre shift and may end the run early (not converged).
template <class T, class Step, class Finish>
run_result<T> iterate(Matrix<T> centers, Labels labels, int max_iter, double tol, Step&& step, Finish&& finish,
                      kestrel::detail::progress_reporter* progress) {
    run_result<T> out;
    out.labels = std::move(labels);
    Matrix<T> centers_new;
    Vector<T> center_shift;
    convergence state;
    int iter = 0;
    while (iter < max_iter) {
        const Index changed = step(centers, out.labels.data(), centers_new, center_shift);
        std::swap(centers, centers_new);
        ++iter;
        if (state.check(changed, center_shift, tol)) break;
        if (progress != nullptr && progress->active() &&
            progress->tick(center_shift.template cast<double>().squaredNorm())) {
            break;
        }
    }
    out.inertia = finish(static_cast<const Matrix<T>&>(centers), out.labels.data(), !state.strict);
    out.centers = std::move(centers);
    out.n_iter = iter;
    out.converged = state.reached;
    return out;
}

/// One run of Lloyd's algorithm from `centers_init`; `shift` is the data mean, `sample_weight`
/// the weights as one value per row (`weights.dense()`). Uniform weights feed the E-step's sums one shared 1 instead of
/// a stream of ones.
template <class T>
run_result<T> run_lloyd(const row_major_ref<T>& X, const sample_weights<T>& weights, const Vector<T>& sample_weight,
                        const Vector<T>& shift, const Matrix<T>& centers_init, int max_iter, double tol, int n_threads,
                        kestrel::detail::progress_reporter* progress) {
    const bool unit_weights = weights.uniform();
    std::vector<cluster_sums> partial;
    auto step = [&](const Matrix<T>& centers, int* labels, Matrix<T>& centers_new, Vector<T>& center_shift) {
        const Index changed =
            assign_and_sum(X, sample_weight, unit_weights, shift, centers, labels, partial, n_threads);
        update_centers(X, sample_weight, centers, labels, partial[0], centers_new, center_shift);
        return changed;
    };
    auto finish = [&](const Matrix<T>& centers, int* labels, bool relabel) {
        if (relabel) return assign_labels_inertia(X, sample_weight, shift, centers, labels, n_threads);
        return inertia(X, sample_weight, centers, labels, n_threads);
    };
    // Labels start at −1, as scikit-learn's, so the first step always counts as a change.
    return iterate(centers_init, Labels::Constant(X.rows(), -1), max_iter, tol, step, finish, progress);
}

}  // namespace kestrel::cluster::detail

namespace kestrel::cluster::detail {

/// The nearest centre of each row of X, for centres fitted earlier (shifted by their own mean).
template <class T>
Labels nearest_labels(const row_major_ref<T>& X, const Matrix<T>& centers, int n_threads) {
    Vector<T> shift(centers.cols());
    center_shift(centers, shift.data());
    Labels labels(X.rows());
    assign_labels(X, shift, centers, labels.data(), n_threads);
    return labels;
}

/// Euclidean distance of every row of X to every centre (n × k).
template <class T>
Matrix<T> center_distances(const row_major_ref<T>& X, const Matrix<T>& centers, int n_threads) {
    const Index k = centers.rows(), d = centers.cols();
    Matrix<T> out(X.rows(), k);
    const segments seg(X.rows(), 1);
    seg.for_each(n_threads, [&](Index, Index begin, Index end) {
        for (Index i = begin; i < end; ++i) {
            for (Index j = 0; j < k; ++j)
                out(i, j) = std::sqrt(squared_distance(X.row(i).data(), centers.row(j).data(), d));
        }
    });
    return out;
}

#if defined(KESTREL_SEPARATE_COMPILATION)
// Compiled once in kestrel::compiled (src/instantiations_*.cpp).
extern template run_result<float> run_lloyd<float>(const row_major_ref<float>&, const sample_weights<float>&,
                                                   const Vector<float>&, const Vector<float>&, const Matrix<float>&,
                                                   int, double, int, kestrel::detail::progress_reporter*);
extern template run_result<double> run_lloyd<double>(const row_major_ref<double>&, const sample_weights<double>&,
                                                     const Vector<double>&, const Vector<double>&,
                                                     const Matrix<double>&, int, double, int,
                                                     kestrel::detail::progress_reporter*);
#endif

}  // namespace kestrel::cluster::detail
