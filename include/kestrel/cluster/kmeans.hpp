#pragma once
/// \file
/// KMeans: Lloyd's and Elkan's k-means with k-means++ or random starts, as scikit-learn's `KMeans`.

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/dataset.hpp"
#include "../core/detail/estimator_base.hpp"
#include "../core/detail/parallel.hpp"
#include "../core/detail/validation.hpp"
#include "../core/error.hpp"
#include "../core/params.hpp"
#include "../core/random.hpp"
#include "../core/types.hpp"
#include "detail/checks.hpp"
#include "detail/elkan.hpp"
#include "detail/inertia.hpp"
#include "detail/kmeans_plus_plus.hpp"
#include "detail/lloyd.hpp"
#include "detail/tolerance.hpp"
#include "options.hpp"

namespace kestrel::cluster {

/// KMeans's hyperparameters, in scikit-learn's order.
template <std::floating_point T>
struct KMeansParams {
    /// The estimator's name, as scikit-learn spells it: in messages, printing and model files.
    static constexpr std::string_view name = "KMeans";
    int n_clusters = 8;                   ///< number of clusters k
    Init init = Init::k_means_plus_plus;  ///< how fit chooses its first centres
    int n_init = 1;                       ///< runs from different starts; the best is kept
    int max_iter = 300;                   ///< iterations per run
    double tol = 1e-4;                    ///< relative to the mean feature variance
    /// The seed of k-means++ and of the random init.
    std::uint64_t random_state = default_random_state;
    Algorithm algorithm = Algorithm::lloyd;  ///< lloyd or elkan (elkan with k = 1 runs lloyd)
    int n_jobs = 0;                          ///< threads; 0 = all available

    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static constexpr void fields(Self& p, F&& field) {
        field("n_clusters", p.n_clusters);
        field("init", p.init);
        field("n_init", p.n_init);
        field("max_iter", p.max_iter);
        field("tol", p.tol);
        field("random_state", p.random_state);
        field("algorithm", p.algorithm);
        field("n_jobs", p.n_jobs);
    }
    /// Throws invalid_parameter naming the first field out of its range; constexpr, so a constant
    /// Params with a bad value does not compile.
    constexpr void validate() const {
        detail::validate_n_clusters<T>(n_clusters, name);
        require_param(n_init >= 1, name, "n_init", n_init, "must be >= 1");
        require_param(max_iter >= 1, name, "max_iter", max_iter, "must be >= 1");
        require_param(tol >= 0 && tol <= 1e300, name, "tol", tol, "must be finite and >= 0");
        require_param(n_jobs >= 0, name, "n_jobs", n_jobs, "must be >= 0");
    }
    friend constexpr bool operator==(const KMeansParams&, const KMeansParams&) = default;
};

/// k-means clustering as scikit-learn 1.2's `KMeans`: minimises the (weighted) within-cluster sum
/// of squared distances by Lloyd's iteration or Elkan's triangle-inequality variant, started
/// `n_init` times (independent random streams) keeping the run of lowest inertia. Convergence:
/// no label changed, or the squared centre shifts sum to at most `tol` times the mean feature
/// variance (`tol = 0`: until no label changes or `max_iter`). An empty cluster is moved onto the
/// sample farthest from its centre. The final labels always belong to the final centres.
/// `n_jobs`: threads (0 = all); results are bit-identical for any thread count.
/// Throws invalid_parameter for bad Params, invalid_input for bad data (NaN/inf, fewer samples
/// than clusters, wrong feature count, initial centres of the wrong shape), not_fitted.
template <std::floating_point T = double>
class KMeans : public estimator_base<KMeans<T>, T, KMeansParams<T>>,
               public cluster_mixin<KMeans<T>, T>,
               public transformer_mixin<KMeans<T>, T> {
    using base = estimator_base<KMeans<T>, T, KMeansParams<T>>;

public:
    /// The class's name in messages, in its printed repr and in model files.
    static constexpr std::string_view name = KMeansParams<T>::name;
    using base::base;
    using base::fit;

    /// Clusters the rows of X, each weighted by `sample_weight` (in the centres and the inertia).
    template <matrix_of<T> M, vector_of<T> W>
    KMeans& fit(const M& X, const W& sample_weight) {
        return fit_rows(X, sample_weight, nullptr);
    }

    /// One run from the given k × d starting centres (scikit-learn's `init=ndarray`).
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

    /// The index of the nearest cluster centre of each row.
    template <matrix_of<T> M>
    [[nodiscard]] Labels predict(const M& X) const {
        this->validate_predict(X);
        return detail::nearest_labels<T>(X, centers_, threads());
    }

    /// Distances of each row to every centre (n × k).
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> transform(const M& X) const {
        this->validate_predict(X);
        return detail::center_distances<T>(X, centers_, threads());
    }


    /// −inertia of X for the fitted centres: the opposite of the k-means objective.
    template <matrix_of<T> M>
    [[nodiscard]] T score(const M& X) const {
        return score(X, Vector<T>());
    }
    /// −inertia of X, each row weighted by `sample_weight` (one non-negative weight per row).
    /// Throws not_fitted; invalid_input for a wrong feature count, NaN/inf or a weight length.
    template <matrix_of<T> M, vector_of<T> W>
    [[nodiscard]] T score(const M& X, const W& sample_weight) const {
        this->validate_predict(X);
        const kestrel::detail::row_major_ref<T> rows(X);
        const Vector<T> w = kestrel::detail::checked_sample_weight<T>(sample_weight, rows.rows(), name);
        const Labels labels = detail::nearest_labels<T>(rows, centers_, threads());
        return static_cast<T>(-detail::inertia<T>(rows, w, centers_, labels.data(), threads()));
    }

    /// k × d cluster centres.
    [[nodiscard]] const Matrix<T>& cluster_centers() const { return this->fitted(centers_); }
    /// The cluster of each training sample (consistent with cluster_centers()).
    [[nodiscard]] const Labels& labels() const { return this->fitted(labels_); }
    /// Weighted sum of squared distances of the training samples to their centres.
    [[nodiscard]] T inertia() const { return this->fitted(inertia_); }
    /// Iterations of the kept run.
    [[nodiscard]] int n_iter() const { return this->fitted(n_iter_); }
    /// Whether the kept run met the convergence rule before max_iter.
    [[nodiscard]] bool converged() const { return this->fitted(converged_); }

private:
    friend struct kestrel::detail::one_row_access;

    void check_one_row_model() const { detail::check_row_features(centers_, name); }
    [[nodiscard]] int predict_row(const T* x) const noexcept { return detail::predict_center_row(centers_, x); }
    friend struct kestrel::detail::persistence_access;
    template <class>
    friend struct kestrel::detail::distributed_access;

    template <class Archive>
    void persist(Archive& a) {
        detail::persist_clustering(a, this->params_.n_clusters, centers_, labels_, inertia_, n_iter_);
        a.value("converged_", converged_);
    }

    [[nodiscard]] int threads() const { return kestrel::detail::resolve_n_jobs(this->params_.n_jobs); }

    template <class W>
    KMeans& fit_rows(const kestrel::detail::row_major_ref<T>& X, const W& sample_weight, const Matrix<T>* start) {
        this->params_.validate();
        kestrel::detail::check_not_empty(X, name);
        const int n_threads = threads();
        const Eigen::RowVectorXd mean = detail::column_means(X, n_threads);
        // A NaN or an infinity leaves its column's sum non-finite (float data sums in double
        // cannot overflow), so finite means spare the separate pass that finds the culprit.
        if (!mean.allFinite()) kestrel::detail::check_finite(X, name);
        const Index n = X.rows(), d = X.cols(), k = this->params_.n_clusters;
        detail::check_n_clusters(k, n, name);
        const sample_weights<T> weights = kestrel::detail::checked_sample_weights<T>(sample_weight, n, name);
        const Vector<T> w = weights.dense();
        if (start) detail::check_initial_centers(*start, k, d, name);
        const double tol = detail::scaled_tolerance(X, mean, this->params_.tol, n_threads);
        const Vector<T> shift = mean.transpose().template cast<T>();
        const bool elkan = this->params_.algorithm == Algorithm::elkan && k > 1;

        detail::run_result<T> best;
        const int runs = start ? 1 : this->params_.n_init;
        auto progress = this->start_progress(Index{runs} * this->params_.max_iter, "center shift");
        for (int run = 0; run < runs && !progress.stopped(); ++run) {
            random_engine rng = random_engine::for_stream(this->params_.random_state, static_cast<std::uint64_t>(run));
            const Matrix<T> centers =
                start ? *start : detail::initial_centers(X, k, this->params_.init, rng, n_threads);
            detail::run_result<T> result =
                elkan ? detail::run_elkan(X, w, centers, this->params_.max_iter, tol, n_threads, &progress)
                      : detail::run_lloyd(X, weights, w, shift, centers, this->params_.max_iter, tol, n_threads,
                                          &progress);
            // As scikit-learn: a lower inertia that only relabels the same partition is rounding.
            if (run == 0 ||
                (result.inertia < best.inertia && !detail::same_clustering(result.labels, best.labels, k))) {
                best = std::move(result);
            }
        }
        centers_ = std::move(best.centers);
        labels_ = std::move(best.labels);
        inertia_ = static_cast<T>(best.inertia);
        n_iter_ = best.n_iter;
        converged_ = best.converged && !progress.stopped();
        this->n_features_in_ = d;
        this->end_progress(progress);
        detail::warn_if_fewer_clusters(detail::distinct_labels(labels_, k), k, name);
        return *this;
    }

    Matrix<T> centers_;
    Labels labels_;
    T inertia_ = 0;
    int n_iter_ = 0;
    bool converged_ = false;
};

}  // namespace kestrel::cluster
