#pragma once
/// \file
/// distributed::KMeans: Lloyd's k-means over the rows of every rank, k-means++ seeding across the
/// ranks, the per-cluster sums and counts reduced each iteration.

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include <mpi.h>

#include <Eigen/Core>

#include "../cluster/kmeans.hpp"
#include "../core/concepts.hpp"
#include "../core/random.hpp"
#include "../core/types.hpp"
#include "communicator.hpp"
#include "detail/shard.hpp"

namespace kestrel {
namespace detail {

/// Sets a KMeans's fitted state.
template <class T>
struct distributed_access<cluster::KMeans<T>> {
    static void set(cluster::KMeans<T>& km, cluster::detail::run_result<T> run, Index d) {
        km.centers_ = std::move(run.centers);
        km.labels_ = std::move(run.labels);
        km.inertia_ = static_cast<T>(run.inertia);
        km.n_iter_ = run.n_iter;
        km.converged_ = run.converged;
        km.n_features_in_ = d;
    }
};

}  // namespace detail

namespace distributed {
namespace detail {

namespace cd = cluster::detail;

/// One k-means fit's view of the rows of every rank: this rank's rows, weights and place.
template <class T>
struct kmeans_shard {
    const communicator& comm;  ///< the ranks
    row_major_ref<T> X;        ///< this rank's rows
    Vector<T> w;        ///< this rank's weights (ones when none were given)
    bool unit_weights;  ///< every rank's weights are all 1
    row_layout layout;  ///< where this rank's rows sit among all ranks' rows
    int n_threads;      ///< threads on this rank

    /// The rows at the given global indices, in that order, on every rank: each owner writes its
    /// rows into a zero matrix and the sum over the ranks is exact.
    [[nodiscard]] Matrix<T> rows_at(const std::vector<Index>& global) const {
        Matrix<double> out = Matrix<double>::Zero(static_cast<Index>(global.size()), X.cols());
        for (std::size_t r = 0; r < global.size(); ++r) {
            const Index local = global[r] - layout.first;
            if (local >= 0 && local < layout.local) out.row(static_cast<Index>(r)) = X.row(local).template cast<double>();
        }
        comm.sum(out);
        return out.template cast<T>();
    }

    /// Greedy k-means++ over every rank's rows with the single-process fit's random draws: the
    /// same first row, the same uniform targets located in the ranks' cumulative potentials (in
    /// rank order), the same 2 + ⌊ln k⌋ candidates, the one lowering the reduced potential kept.
    [[nodiscard]] Matrix<T> kmeans_plus_plus(Index k, random_engine& rng) const {
        const Index n = layout.local, d = X.cols();
        const Index trials = 2 + static_cast<Index>(std::log(static_cast<double>(k)));
        std::vector<Index> chosen{rng.index_below(layout.total)};
        Matrix<T> centers(k, d);
        centers.row(0) = rows_at(chosen).row(0);
        std::vector<double> closest(static_cast<std::size_t>(n)), cumulative(static_cast<std::size_t>(n));
        for (Index i = 0; i < n; ++i) {
            closest[static_cast<std::size_t>(i)] =
                static_cast<double>(cd::squared_distance(X.row(i).data(), centers.row(0).data(), d));
        }
        std::vector<double> candidate_closest(static_cast<std::size_t>(n * trials));
        const std::vector<std::int64_t> counts = comm.gather(static_cast<std::int64_t>(n));
        for (Index c = 1; c < k; ++c) {
            std::partial_sum(closest.begin(), closest.end(), cumulative.begin());
            const double local_total = n > 0 ? cumulative.back() : 0.0;
            const std::vector<double> totals = comm.gather(local_total);
            double potential = 0;
            std::vector<double> offsets(totals.size());
            for (std::size_t r = 0; r < totals.size(); ++r) {
                offsets[r] = potential;
                potential += totals[r];
            }
            // Each target's global row: the first rank whose cumulative potential reaches it, then
            // the first of its rows that does (the last row of all when rounding overshoots).
            std::vector<Index> candidates(static_cast<std::size_t>(trials));
            for (Index t = 0; t < trials; ++t) {
                const double target = rng.uniform() * potential;
                Index global = layout.total - 1, first = 0;
                for (std::size_t r = 0; r < totals.size(); ++r) {
                    const auto rows = static_cast<Index>(counts[r]);
                    if (rows > 0 && offsets[r] + totals[r] >= target) {
                        global = first + rows - 1;
                        if (static_cast<int>(r) == comm.rank()) {
                            const auto it = std::lower_bound(cumulative.begin(), cumulative.end(), target - offsets[r]);
                            global = first + std::min<Index>(static_cast<Index>(it - cumulative.begin()), rows - 1);
                        }
                        break;
                    }
                    first += rows;
                }
                candidates[static_cast<std::size_t>(t)] = global;
            }
            // The owner's index is the one that counts: the others only know the owning rank.
            std::vector<std::int64_t> owned(static_cast<std::size_t>(trials), 0);
            for (Index t = 0; t < trials; ++t) {
                const Index g = candidates[static_cast<std::size_t>(t)];
                if (g >= layout.first && g < layout.first + n) owned[static_cast<std::size_t>(t)] = g + 1;
            }
            // Rows outside every rank's range only arise at the last row of all; the owner claims it.
            comm.sum(owned.data(), trials);
            for (Index t = 0; t < trials; ++t) {
                const std::int64_t g = owned[static_cast<std::size_t>(t)];
                candidates[static_cast<std::size_t>(t)] = g > 0 ? static_cast<Index>(g - 1) : layout.total - 1;
            }
            const Matrix<T> rows = rows_at(candidates);
            Eigen::VectorXd sums(trials);
            for (Index t = 0; t < trials; ++t) {
                double* out = candidate_closest.data() + t * n;
                double sum = 0;
                for (Index i = 0; i < n; ++i) {
                    const double dist = static_cast<double>(cd::squared_distance(X.row(i).data(), rows.row(t).data(), d));
                    out[i] = std::min(closest[static_cast<std::size_t>(i)], dist);
                    sum += out[i];
                }
                sums[t] = sum;
            }
            comm.sum(sums);
            Index best = 0;
            for (Index t = 1; t < trials; ++t) {
                if (sums[t] < sums[best]) best = t;
            }
            std::copy_n(candidate_closest.begin() + best * n, n, closest.begin());
            centers.row(c) = rows.row(best);
        }
        return centers;
    }

    /// Moves each empty cluster onto one of the rows farthest from their centre over all ranks,
    /// farthest first (ties: the lower global row), as the single-process M-step does: each rank
    /// offers its farthest rows, every rank ranks all offers the same way.
    void relocate_empty_clusters(const Matrix<T>& centers_old, const int* labels, cd::cluster_sums& acc) const {
        std::vector<Index> empty;
        for (Index j = 0; j < acc.weights.size(); ++j) {
            if (acc.weights[j] == 0) empty.push_back(j);
        }
        if (empty.empty()) return;
        const Index n = layout.local, d = X.cols(), m = std::min<Index>(static_cast<Index>(empty.size()), n);
        std::vector<Index> order(static_cast<std::size_t>(n));
        std::vector<T> distance(static_cast<std::size_t>(n));
        for (Index i = 0; i < n; ++i) {
            order[static_cast<std::size_t>(i)] = i;
            distance[static_cast<std::size_t>(i)] = cd::squared_distance(X.row(i).data(), centers_old.row(labels[i]).data(), d);
        }
        const auto farther = [&](Index a, Index b) {
            const T da = distance[static_cast<std::size_t>(a)], db = distance[static_cast<std::size_t>(b)];
            return da > db || (da == db && a < b);
        };
        std::partial_sort(order.begin(), order.begin() + m, order.end(), farther);
        // One offer: distance, global row, weight, old label, the row's values.
        const Index width = 4 + d;
        std::vector<double> offers;
        for (Index e = 0; e < m; ++e) {
            const Index i = order[static_cast<std::size_t>(e)];
            offers.push_back(static_cast<double>(distance[static_cast<std::size_t>(i)]));
            offers.push_back(static_cast<double>(layout.first + i));
            offers.push_back(static_cast<double>(w[i]));
            offers.push_back(static_cast<double>(labels[i]));
            for (Index f = 0; f < d; ++f) offers.push_back(static_cast<double>(X(i, f)));
        }
        const std::vector<double> all = comm.gather(offers);
        std::vector<Index> ranked(all.size() / static_cast<std::size_t>(width));
        for (std::size_t o = 0; o < ranked.size(); ++o) ranked[o] = static_cast<Index>(o);
        std::sort(ranked.begin(), ranked.end(), [&](Index a, Index b) {
            const double* x = all.data() + a * width;
            const double* y = all.data() + b * width;
            return x[0] > y[0] || (x[0] == y[0] && x[1] < y[1]);
        });
        for (std::size_t e = 0; e < empty.size() && e < ranked.size(); ++e) {
            const double* offer = all.data() + ranked[e] * width;
            const Index new_label = empty[e];
            const auto old_label = static_cast<Index>(offer[3]);
            const double weight = offer[2];
            const Eigen::Map<const Eigen::RowVectorXd> x(offer + 4, d);
            acc.sums.row(old_label) -= weight * x;
            acc.sums.row(new_label) = weight * x;
            acc.weights[new_label] = weight;
            acc.weights[old_label] -= weight;
        }
    }

    /// One run of Lloyd's algorithm from `centers_init`, `shift` the data mean.
    [[nodiscard]] cd::run_result<T> lloyd(const Matrix<T>& centers_init, const Vector<T>& shift, int max_iter,
                                          double tol) const {
        std::vector<cd::cluster_sums> partial;
        const Index k = centers_init.rows(), d = centers_init.cols();
        auto step = [&](const Matrix<T>& centers, int* labels, Matrix<T>& centers_new, Vector<T>& center_shift) {
            Index changed = 0;
            if (layout.local > 0) {
                changed = cd::assign_and_sum(X, w, unit_weights, shift, centers, labels, partial, n_threads);
            } else {
                partial.assign(1, cd::cluster_sums(k, d));
            }
            // The sums, the weights and the count of changed labels: one reduction.
            cd::cluster_sums& acc = partial[0];
            Eigen::VectorXd buffer(k * d + k + 1);
            Eigen::Map<Matrix<double>>(buffer.data(), k, d) = acc.sums;
            buffer.segment(k * d, k) = acc.weights;
            buffer[k * d + k] = static_cast<double>(changed);
            comm.sum(buffer);
            acc.sums = Eigen::Map<const Matrix<double>>(buffer.data(), k, d);
            acc.weights = buffer.segment(k * d, k);
            relocate_empty_clusters(centers, labels, acc);
            cd::centers_from_sums(acc, centers, centers_new, center_shift);
            return static_cast<Index>(buffer[k * d + k]);
        };
        auto finish = [&](const Matrix<T>& centers, int* labels, bool relabel) {
            double local = 0;
            if (layout.local > 0) {
                local = relabel ? cd::assign_labels_inertia(X, w, shift, centers, labels, n_threads)
                                : cd::inertia(X, w, centers, labels, n_threads);
            }
            return comm.total(local);
        };
        return cd::iterate(centers_init, Labels::Constant(layout.local, -1), max_iter, tol, step, finish, nullptr);
    }

    /// Whether two labellings of every rank's rows are the same partition up to renaming.
    [[nodiscard]] bool same_clustering(const Labels& a, const Labels& b, Index k) const {
        std::vector<int> mapping(static_cast<std::size_t>(k), -1);
        bool same = true;
        for (Index i = 0; i < a.size() && same; ++i) {
            int& to = mapping[static_cast<std::size_t>(a[i])];
            if (to == -1) to = b[i];
            same = to == b[i];
        }
        if (!comm.all(same)) return false;
        const std::vector<int> all = comm.gather(mapping);
        for (Index j = 0; j < k; ++j) {
            int to = -1;
            for (int r = 0; r < comm.size(); ++r) {
                const int m = all[static_cast<std::size_t>(r * k + j)];
                if (m == -1) continue;
                if (to != -1 && m != to) return false;
                to = m;
            }
        }
        return true;
    }
};

}  // namespace detail

/// KMeans over the rows of every rank of an MPI communicator, as cluster::KMeans fitted on all of
/// them with `algorithm = lloyd`: the data mean and the tolerance's variances reduced once, the
/// k-means++ seeding done across the ranks with the single-process fit's random draws (each
/// candidate row sent by its rank), then per iteration one reduction of the k × d cluster sums,
/// the k weights and the count of changed labels ((k·d + k + 1) doubles). Every rank takes the same
/// steps on the same reduced numbers, so every rank holds the same centres, inertia and n_iter;
/// labels() holds this rank's rows' labels. An empty cluster moves onto the farthest row of all
/// ranks, as in the single-process fit. `algorithm = elkan` runs Lloyd's iteration too (the same
/// centres: Elkan's bounds only skip distance computations).
///
/// The centres and the inertia equal the single-process fit of the same rows up to the order of
/// the sums (1e-12 relative), bit-identical from run to run for a given split. A seeding draw that
/// falls within rounding of a boundary between two rows' shares of the potential may pick the
/// neighbouring row where the single-process sum, grouped otherwise, picks this one. Every rank
/// must call fit; a rank may hold no rows. predict, transform and score work on any rank's rows.
template <std::floating_point T = double>
class KMeans : public cluster::KMeans<T> {
    using Base = cluster::KMeans<T>;

public:
    using Params = typename Base::Params;  ///< cluster::KMeansParams<T>

    /// A clusterer fitting over the ranks of `comm` (which must outlive the fits).
    explicit KMeans(MPI_Comm comm, Params params = {}) : Base(std::move(params)), comm_(comm) {}

    /// Clusters every rank's rows (this rank passes its own).
    template <matrix_of<T> M>
    KMeans& fit(const M& X) {
        return fit_rows(X, Vector<T>(), nullptr);
    }
    /// As fit(X), each row weighted (non-negative; not all zero over all ranks).
    template <matrix_of<T> M, vector_of<T> W>
    KMeans& fit(const M& X, const W& sample_weight) {
        return fit_rows(X, sample_weight, nullptr);
    }
    /// One run from the given k × d starting centres (the same on every rank).
    template <matrix_of<T> M, matrix_of<T> C>
    KMeans& fit_from(const M& X, const C& initial_centers) {
        const Matrix<T> start = initial_centers;
        return fit_rows(X, Vector<T>(), &start);
    }
    /// As fit_from(X, initial_centers), with sample weights.
    template <matrix_of<T> M, matrix_of<T> C, vector_of<T> W>
    KMeans& fit_from(const M& X, const C& initial_centers, const W& sample_weight) {
        const Matrix<T> start = initial_centers;
        return fit_rows(X, sample_weight, &start);
    }

    /// The communicator the fits run over.
    [[nodiscard]] MPI_Comm comm() const noexcept { return comm_.get(); }

private:
    template <class M, class W>
    KMeans& fit_rows(const M& X_in, const W& sample_weight, const Matrix<T>* start) {
        const Params& p = this->params();
        p.validate();
        const kestrel::detail::row_major_ref<T> X(X_in);
        const detail::row_layout layout = detail::check_shard(comm_, X, Base::name);
        const Index d = X.cols(), k = p.n_clusters;
        cluster::detail::check_n_clusters(k, layout.total, Base::name);
        bool unit = sample_weight.size() == 0;
        if (!unit) unit = (Vector<T>(sample_weight).array() == T(1)).all();
        const Vector<T> w = detail::shard_weights<T>(comm_, sample_weight, X.rows(), Base::name);
        unit = comm_.all(unit);
        comm_.agree([&] {
            if (start) cluster::detail::check_initial_centers(*start, k, d, Base::name);
        });
        const int n_threads = kestrel::detail::resolve_n_jobs(p.n_jobs);

        // The data mean (which shifts the assignment kernel) and the tolerance's mean variance.
        Eigen::VectorXd mean = Eigen::VectorXd::Zero(d);
        if (X.rows() > 0) mean = cluster::detail::sum_rows(X, n_threads, [](Index, double x) { return x; }).transpose();
        comm_.sum(mean);
        mean /= static_cast<double>(layout.total);
        double tol = 0;
        if (p.tol > 0) {
            Eigen::VectorXd squares = Eigen::VectorXd::Zero(d);
            if (X.rows() > 0) {
                squares = cluster::detail::sum_rows(X, n_threads, [&](Index f, double x) {
                              const double centred = x - mean[f];
                              return centred * centred;
                          }).transpose();
            }
            comm_.sum(squares);
            tol = squares.mean() / static_cast<double>(layout.total) * p.tol;
        }
        const Vector<T> shift = mean.template cast<T>();
        const detail::kmeans_shard<T> shard{comm_, X, w, unit, layout, n_threads};

        cluster::detail::run_result<T> best;
        const int runs = start ? 1 : p.n_init;
        for (int run = 0; run < runs; ++run) {
            random_engine rng = random_engine::for_stream(p.random_state, static_cast<std::uint64_t>(run));
            Matrix<T> centers;
            if (start) {
                centers = *start;
            } else if (p.init == cluster::Init::k_means_plus_plus) {
                centers = shard.kmeans_plus_plus(k, rng);
            } else {
                centers = shard.rows_at(rng.sample_without_replacement(layout.total, k));
            }
            cluster::detail::run_result<T> result = shard.lloyd(centers, shift, p.max_iter, tol);
            // As the single-process fit: a lower inertia that only relabels the same partition is rounding.
            if (run == 0 || (result.inertia < best.inertia && !shard.same_clustering(result.labels, best.labels, k))) {
                best = std::move(result);
            }
        }
        Eigen::VectorXd used = Eigen::VectorXd::Zero(k);
        for (Index i = 0; i < best.labels.size(); ++i) used[best.labels[i]] = 1;
        comm_.sum(used);
        const auto distinct = static_cast<Index>((used.array() > 0).count());
        kestrel::detail::distributed_access<Base>::set(*this, std::move(best), d);
        cluster::detail::warn_if_fewer_clusters(distinct, k, Base::name);
        return *this;
    }

    detail::communicator comm_;
};

}  // namespace distributed
}  // namespace kestrel
