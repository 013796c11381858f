#pragma once
/// \file
/// MiniBatchKMeans: k-means on random mini-batches (Sculley, "Web-scale k-means clustering",
/// WWW 2010), as scikit-learn's `MiniBatchKMeans`.

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <numeric>
#include <optional>
#include <string_view>
#include <vector>

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
#include "detail/inertia.hpp"
#include "detail/kmeans_plus_plus.hpp"
#include "detail/lloyd.hpp"
#include "detail/sums.hpp"
#include "detail/tolerance.hpp"
#include "options.hpp"

namespace kestrel::cluster {

namespace detail {

/// Rows `rows` of X and their weights.
template <class T>
std::pair<Matrix<T>, Vector<T>> gather_batch(const row_major_ref<T>& X, const Vector<T>& w,
                                             const std::vector<Index>& rows) {
    Vector<T> wb(static_cast<Index>(rows.size()));
    for (std::size_t r = 0; r < rows.size(); ++r) wb[static_cast<Index>(r)] = w[rows[r]];
    return {gather_rows(X, rows), std::move(wb)};
}

/// n indices drawn uniformly from 0 .. range-1 with replacement.
inline std::vector<Index> draw_indices(random_engine& rng, Index range, Index n) {
    std::vector<Index> out(static_cast<std::size_t>(n));
    for (auto& i : out) i = rng.index_below(range);
    return out;
}

}  // namespace detail

/// MiniBatchKMeans's hyperparameters, in scikit-learn's order.
template <std::floating_point T>
struct MiniBatchKMeansParams {
    /// The estimator's name, as scikit-learn spells it: in messages, printing and model files.
    static constexpr std::string_view name = "MiniBatchKMeans";
    int n_clusters = 8;                   ///< number of clusters k
    Init init = Init::k_means_plus_plus;  ///< how the first centres are chosen (from init_size samples)
    int max_iter = 100;                   ///< passes over the data
    int batch_size = 1024;                ///< samples per mini-batch step
    bool compute_labels = true;           ///< label the whole training set after fit
    /// The seed of the initialisation and of the batches.
    std::uint64_t random_state = default_random_state;
    double tol = 0;                    ///< centre-change stop, relative to the mean feature variance
    int max_no_improvement = 10;       ///< 0: never stop on a stalled inertia
    Index init_size = 0;               ///< samples seen by the initialisation; 0: the default
    int n_init = 1;                    ///< initialisations tried; the one of least inertia is kept
    double reassignment_ratio = 0.01;  ///< how readily centres with few members are moved
    int n_jobs = 0;                    ///< threads; 0 = all available

    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static constexpr void fields(Self& p, F&& field) {
        field("n_clusters", p.n_clusters);
        field("init", p.init);
        field("max_iter", p.max_iter);
        field("batch_size", p.batch_size);
        field("compute_labels", p.compute_labels);
        field("random_state", p.random_state);
        field("tol", p.tol);
        field("max_no_improvement", p.max_no_improvement);
        field("init_size", p.init_size);
        field("n_init", p.n_init);
        field("reassignment_ratio", p.reassignment_ratio);
        field("n_jobs", p.n_jobs);
    }
    /// Throws invalid_parameter naming the first field out of its range; constexpr, so a constant
    /// Params with a bad value does not compile.
    constexpr void validate() const {
        detail::validate_n_clusters<T>(n_clusters, name);
        require_param(max_iter >= 1, name, "max_iter", max_iter, "must be >= 1");
        require_param(batch_size >= 1, name, "batch_size", batch_size, "must be >= 1");
        require_param(tol >= 0 && tol <= 1e300, name, "tol", tol, "must be finite and >= 0");
        require_param(max_no_improvement >= 0, name, "max_no_improvement", max_no_improvement, "must be >= 0");
        require_param(init_size >= 0, name, "init_size", init_size, "must be >= 0");
        require_param(n_init >= 1, name, "n_init", n_init, "must be >= 1");
        require_param(reassignment_ratio >= 0 && reassignment_ratio <= 1e300, name, "reassignment_ratio",
                      reassignment_ratio, "must be finite and >= 0");
        require_param(n_jobs >= 0, name, "n_jobs", n_jobs, "must be >= 0");
    }
    friend constexpr bool operator==(const MiniBatchKMeansParams&, const MiniBatchKMeansParams&) = default;
};

/// Mini-batch k-means as scikit-learn 1.2's `MiniBatchKMeans`: each step assigns a random batch
/// to its nearest centres and moves each centre towards its batch members with a per-centre
/// learning rate (1 / the weight it has seen); centres with few members are now and then moved
/// onto random batch samples (`reassignment_ratio`); fit stops early when the smoothed batch
/// inertia has not improved for `max_no_improvement` steps (0 disables this, scikit-learn's None)
/// or, with tol > 0, when the centres barely move. `init_size` = 0 means scikit-learn's default
/// (3 × batch_size, at least 3k). `n_init` defaults to 1 (scikit-learn 1.2 used 3).
/// Throws invalid_parameter for bad Params, invalid_input for bad data, not_fitted.
template <std::floating_point T = double>
class MiniBatchKMeans : public estimator_base<MiniBatchKMeans<T>, T, MiniBatchKMeansParams<T>>,
                        public cluster_mixin<MiniBatchKMeans<T>, T>,
                        public transformer_mixin<MiniBatchKMeans<T>, T> {
    using base = estimator_base<MiniBatchKMeans<T>, T, MiniBatchKMeansParams<T>>;

public:
    /// The class's name in messages, in its printed repr and in model files.
    static constexpr std::string_view name = MiniBatchKMeansParams<T>::name;
    using base::base;
    using base::fit;

    /// Fits the centres to X (samples × features) by mini-batch steps; returns *this. Throws
    /// invalid_parameter for bad Params; invalid_input for empty X, NaN/inf or fewer samples than
    /// n_clusters.
    template <matrix_of<T> M>
    MiniBatchKMeans& fit(const M& X) {
        return fit_rows(X, Vector<T>());
    }
    /// As fit(X), each row weighted by `sample_weight` (non-negative, one per row; empty = uniform).
    template <matrix_of<T> M, vector_of<T> W>
    MiniBatchKMeans& fit(const M& X, const W& sample_weight) {
        return fit_rows(X, sample_weight);
    }
    /// As fit(X, sample_weight) on a Dataset's X and sample_weight (its y is ignored).
    template <class Target>
    MiniBatchKMeans& fit(const Dataset<T, Target>& data) {
        return fit_rows(data.X, data.sample_weight);
    }

    /// One mini-batch step on X (initialising the centres from X on the first call).
    template <matrix_of<T> M>
    MiniBatchKMeans& partial_fit(const M& X) {
        return partial_fit_rows(X, Vector<T>());
    }
    /// As partial_fit(X), each row weighted by `sample_weight`. Throws invalid_input when X's
    /// feature count differs from the earlier calls'.
    template <matrix_of<T> M, vector_of<T> W>
    MiniBatchKMeans& partial_fit(const M& X, const W& sample_weight) {
        return partial_fit_rows(X, sample_weight);
    }

    /// The index of the nearest centre for each row of X. Throws not_fitted; invalid_input for a
    /// wrong feature count or NaN/inf.
    template <matrix_of<T> M>
    [[nodiscard]] Labels predict(const M& X) const {
        this->validate_predict(X);
        return detail::nearest_labels<T>(X, centers_, threads());
    }
    /// Euclidean distances from each row of X to each centre: samples × n_clusters. Throws as predict.
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> transform(const M& X) const {
        this->validate_predict(X);
        return detail::center_distances<T>(X, centers_, threads());
    }
    /// The training labels of fit(X, sample_weight) (predicted after the fit when compute_labels
    /// is false).
    template <matrix_of<T> M, vector_of<T> W = Vector<T>>
    Labels fit_predict(const M& X, const W& sample_weight = W()) {
        fit(X, sample_weight);
        return labels_.size() == X.rows() ? labels_ : predict(X);
    }
    /// −inertia of X for the fitted centres, each row weighted by `sample_weight` when given.
    template <matrix_of<T> M, vector_of<T> W = Vector<T>>
    [[nodiscard]] T score(const M& X, const W& sample_weight = W()) const {
        this->validate_predict(X);
        const kestrel::detail::row_major_ref<T> rows(X);
        const Vector<T> w = kestrel::detail::checked_sample_weight<T>(sample_weight, rows.rows(), name);
        const Labels labels = detail::nearest_labels<T>(rows, centers_, threads());
        return static_cast<T>(-detail::inertia<T>(rows, w, centers_, labels.data(), threads()));
    }

    /// The centres: n_clusters × features. Throws not_fitted.
    [[nodiscard]] const Matrix<T>& cluster_centers() const { return this->fitted(centers_); }
    /// Labels of the training samples (empty when compute_labels is false).
    [[nodiscard]] const Labels& labels() const { return this->fitted(labels_); }
    /// Inertia of the training set (estimated from the smoothed batch inertia without labels).
    [[nodiscard]] T inertia() const { return this->fitted(inertia_); }
    /// Passes over the data, ⌈steps × batch_size / n_samples⌉.
    [[nodiscard]] int n_iter() const { return this->fitted(n_iter_); }
    /// Mini-batch steps taken.
    [[nodiscard]] Index n_steps() const { return this->fitted(n_steps_); }
    /// Per-centre weight seen so far (the inverse learning rate).
    [[nodiscard]] const Vector<T>& counts() const { return this->fitted(counts_); }

private:
    friend struct kestrel::detail::one_row_access;

    void check_one_row_model() const { detail::check_row_features(centers_, name); }
    [[nodiscard]] int predict_row(const T* x) const noexcept { return detail::predict_center_row(centers_, x); }
    friend struct kestrel::detail::persistence_access;

    // Beside scikit-learn's attributes, the state partial_fit continues from: the per-centre
    // counts, the batch and initialisation sizes, the steps since the last reassignment and the
    // random stream.
    template <class Archive>
    void persist(Archive& a) {
        const Index k = this->params_.n_clusters;
        detail::persist_clustering(a, k, centers_, labels_, inertia_, n_iter_);
        a.value("n_steps_", n_steps_);
        a.vector("_counts", counts_, k);
        a.value("_batch_size", batch_);
        a.value("_init_size", init_size_);
        a.value("_n_since_last_reassign", since_reassign_);
        std::vector<std::int64_t> stream;
        if constexpr (!Archive::loading) {
            for (const std::uint64_t word : rng_.state()) stream.push_back(static_cast<std::int64_t>(word));
        }
        a.integers("_random_stream", stream, 4);
        if constexpr (Archive::loading) {
            std::array<std::uint64_t, 4> words{};
            for (std::size_t i = 0; i < 4; ++i) words[i] = static_cast<std::uint64_t>(stream[i]);
            a.require(words != std::array<std::uint64_t, 4>{}, "_random_stream is all zeros");
            rng_ = random_engine::from_state(words);
        }
        a.require((counts_.array() >= T(0)).all(), "_counts holds a negative count");
        // The bounds fit and partial_fit keep, so that continuing cannot overflow a counter:
        // the batch is at most batch_size, the steps since a reassignment are reset past 10·k,
        // and a step count beyond 2^53 is not one a fit reaches.
        a.require(batch_ >= 1 && batch_ <= this->params_.batch_size, "_batch_size must lie in [1, batch_size]");
        a.require(
            init_size_ >= 0 && init_size_ <= std::max({static_cast<Index>(this->params_.init_size), 3 * batch_, 3 * k}),
            "_init_size is out of range");
        a.require(since_reassign_ >= 0 && since_reassign_ < 10 * k + batch_, "_n_since_last_reassign is out of range");
        a.require(n_steps_ >= 0 && n_steps_ < (Index{1} << 53), "n_steps_ is out of range");
    }

    [[nodiscard]] int threads() const { return kestrel::detail::resolve_n_jobs(this->params_.n_jobs); }

    void check_input(const kestrel::detail::row_major_ref<T>& X) const {
        this->params_.validate();
        kestrel::detail::check_training_matrix(X, name);
        detail::check_n_clusters(this->params_.n_clusters, X.rows(), name);
    }

    // scikit-learn's _check_params_vs_input: effective batch and initialisation sizes.
    void set_sizes(Index n) {
        const Index k = this->params_.n_clusters;
        batch_ = std::min<Index>(this->params_.batch_size, n);
        Index init = this->params_.init_size;
        if (init == 0) {
            init = 3 * batch_;
            if (init < k) init = 3 * k;
        } else if (init < k) {
            init = 3 * k;
        }
        init_size_ = std::min(init, n);
    }

    // Centres from init_size random rows of X (all of them when init_size covers X).
    Matrix<T> init_centers(const kestrel::detail::row_major_ref<T>& X, random_engine& rng) const {
        const Index k = this->params_.n_clusters;
        if (init_size_ < X.rows()) {
            const Matrix<T> sample = detail::gather_rows(X, detail::draw_indices(rng, X.rows(), init_size_));
            return detail::initial_centers<T>(sample, k, this->params_.init, rng, threads());
        }
        return detail::initial_centers<T>(X, k, this->params_.init, rng, threads());
    }

    bool reassign_due() {
        since_reassign_ += batch_;
        if ((counts_.array() == T(0)).any() || since_reassign_ >= 10 * static_cast<Index>(this->params_.n_clusters)) {
            since_reassign_ = 0;
            return true;
        }
        return false;
    }

    // scikit-learn's _mini_batch_step: assign, per-centre count update, optional reassignment of
    // centres that have seen little weight. Returns the batch's inertia before the update.
    double step(const Matrix<T>& Xb, const Vector<T>& wb, bool reassign) {
        const Index k = centers_.rows(), n = Xb.rows();
        const Labels labels = detail::nearest_labels<T>(Xb, centers_, threads());
        const double batch_inertia = detail::inertia<T>(Xb, wb, centers_, labels.data(), threads());
        detail::cluster_sums acc(k, centers_.cols());
        for (Index i = 0; i < n; ++i) acc.add(labels[i], Xb.row(i).data(), wb[i]);
        for (Index j = 0; j < k; ++j) {
            if (!(acc.weights[j] > 0)) continue;
            const double count = static_cast<double>(counts_[j]) + acc.weights[j];
            centers_.row(j) =
                ((centers_.row(j).template cast<double>() * static_cast<double>(counts_[j]) + acc.sums.row(j)) / count)
                    .template cast<T>();
            counts_[j] = static_cast<T>(count);
        }
        if (reassign && this->params_.reassignment_ratio > 0) reassign_small(Xb);
        return batch_inertia;
    }

    void reassign_small(const Matrix<T>& Xb) {
        const Index k = centers_.rows(), n = Xb.rows();
        const T limit = static_cast<T>(this->params_.reassignment_ratio) * counts_.maxCoeff();
        std::vector<bool> move(static_cast<std::size_t>(k));
        Index n_move = 0;
        for (Index j = 0; j < k; ++j) n_move += (move[static_cast<std::size_t>(j)] = counts_[j] < limit);
        // At most half a batch of centres move: the ones with the smallest counts.
        if (static_cast<double>(n_move) > 0.5 * static_cast<double>(n)) {
            std::vector<Index> order(static_cast<std::size_t>(k));
            std::iota(order.begin(), order.end(), Index{0});
            std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return counts_[a] < counts_[b]; });
            for (auto it = order.begin() + static_cast<std::ptrdiff_t>(0.5 * static_cast<double>(n)); it != order.end();
                 ++it) {
                move[static_cast<std::size_t>(*it)] = false;
            }
            n_move = std::count(move.begin(), move.end(), true);
        }
        if (n_move == 0) return;
        const std::vector<Index> picks = rng_.sample_without_replacement(n, n_move);
        T kept_min = std::numeric_limits<T>::infinity();
        std::size_t p = 0;
        for (Index j = 0; j < k; ++j) {
            if (move[static_cast<std::size_t>(j)]) {
                centers_.row(j) = Xb.row(picks[p++]);
            } else {
                kept_min = std::min(kept_min, counts_[j]);
            }
        }
        // Not reset to zero, so the moved centres are not moved again at once.
        if (std::isfinite(kept_min)) {
            for (Index j = 0; j < k; ++j) {
                if (move[static_cast<std::size_t>(j)]) counts_[j] = kept_min;
            }
        }
    }

    template <class W>
    MiniBatchKMeans& fit_rows(const kestrel::detail::row_major_ref<T>& X, const W& sample_weight) {
        check_input(X);
        const Index n = X.rows(), k = this->params_.n_clusters;
        const Vector<T> w = kestrel::detail::checked_sample_weight<T>(sample_weight, n, name);
        set_sizes(n);
        const double tol =
            detail::scaled_tolerance(X, detail::column_means(X, threads()), this->params_.tol, threads());
        rng_ = random_engine(this->params_.random_state);

        const auto [X_valid, w_valid] = detail::gather_batch(X, w, detail::draw_indices(rng_, n, init_size_));
        double best_inertia = 0;
        for (int run = 0; run < this->params_.n_init; ++run) {
            random_engine init_rng =
                random_engine::for_stream(this->params_.random_state, static_cast<std::uint64_t>(run) + 1);
            Matrix<T> centers = init_centers(X, init_rng);
            const Labels valid_labels = detail::nearest_labels<T>(X_valid, centers, threads());
            const double valid_inertia = detail::inertia<T>(X_valid, w_valid, centers, valid_labels.data(), threads());
            if (run == 0 || valid_inertia < best_inertia) {
                centers_ = std::move(centers);
                best_inertia = valid_inertia;
            }
        }
        counts_ = Vector<T>::Zero(k);
        since_reassign_ = 0;
        this->n_features_in_ = X.cols();

        std::optional<double> ewa, ewa_min;
        int no_improvement = 0;
        const Index n_steps = (static_cast<Index>(this->params_.max_iter) * n) / batch_;
        Index i = 0;
        auto progress = this->start_progress(n_steps, "batch inertia");
        for (; i < n_steps; ++i) {
            const auto [Xb, wb] = detail::gather_batch(X, w, detail::draw_indices(rng_, n, batch_));
            const Matrix<T> before = tol > 0 ? centers_ : Matrix<T>();
            const double batch_inertia = step(Xb, wb, reassign_due()) / static_cast<double>(batch_);
            if (progress.tick(batch_inertia)) break;
            if (i == 0) continue;
            // Early stopping on the exponentially smoothed batch inertia, as scikit-learn.
            const double alpha = std::min(1.0, static_cast<double>(batch_) * 2.0 / static_cast<double>(n + 1));
            ewa = ewa ? *ewa * (1 - alpha) + batch_inertia * alpha : batch_inertia;
            if (tol > 0 && (centers_ - before).template cast<double>().squaredNorm() <= tol) break;
            if (!ewa_min || *ewa < *ewa_min) {
                no_improvement = 0;
                ewa_min = ewa;
            } else {
                ++no_improvement;
            }
            if (this->params_.max_no_improvement > 0 && no_improvement >= this->params_.max_no_improvement) break;
        }
        n_steps_ = std::min(i + 1, n_steps);
        n_iter_ = static_cast<int>((n_steps_ * batch_ + n - 1) / n);
        if (this->params_.compute_labels) {
            labels_ = detail::nearest_labels<T>(X, centers_, threads());
            inertia_ = static_cast<T>(detail::inertia<T>(X, w, centers_, labels_.data(), threads()));
        } else {
            labels_.resize(0);
            inertia_ = static_cast<T>(ewa.value_or(0) * static_cast<double>(n));
        }
        this->end_progress(progress);
        return *this;
    }

    template <class W>
    MiniBatchKMeans& partial_fit_rows(const kestrel::detail::row_major_ref<T>& X, const W& sample_weight) {
        if (!this->is_fitted()) {
            check_input(X);
            set_sizes(X.rows());
            rng_ = random_engine(this->params_.random_state);
            centers_ = init_centers(X, rng_);
            counts_ = Vector<T>::Zero(this->params_.n_clusters);
            since_reassign_ = 0;
            n_steps_ = 0;
            this->n_features_in_ = X.cols();
        } else {
            kestrel::detail::check_predict_matrix(X, true, this->n_features_in_, name);
        }
        const Vector<T> w = kestrel::detail::checked_sample_weight<T>(sample_weight, X.rows(), name);
        const Matrix<T> Xb = X;
        step(Xb, w, reassign_due());
        if (this->params_.compute_labels) {
            labels_ = detail::nearest_labels<T>(X, centers_, threads());
            inertia_ = static_cast<T>(detail::inertia<T>(X, w, centers_, labels_.data(), threads()));
        }
        ++n_steps_;
        return *this;
    }

    Matrix<T> centers_;
    Vector<T> counts_;
    Labels labels_;
    T inertia_ = 0;
    int n_iter_ = 0;
    Index n_steps_ = 0;
    Index batch_ = 0, init_size_ = 0, since_reassign_ = 0;
    random_engine rng_;
};

}  // namespace kestrel::cluster
