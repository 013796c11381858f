#pragma once
/// \file
/// What the four forests share (RandomForestClassifier / Regressor, ExtraTreesClassifier /
/// Regressor): bootstrap samples, trees grown in parallel from one presorting of the data,
/// averaged predictions, out-of-bag estimates and warm starts.
///
/// Tree t draws everything from its own seed, the t-th output of a stream of `random_state`:
/// its bootstrap sample and its features' order and thresholds. Trees are independent, so the
/// forest is the same bit for bit for any n_jobs, and a warm start that adds trees gives the
/// forest one fit of the larger n_estimators would.

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "../../core/concepts.hpp"
#include "../../core/detail/estimator_base.hpp"
#include "../../core/detail/memory.hpp"
#include "../../core/detail/parallel.hpp"
#include "../../core/detail/validation.hpp"
#include "../../core/error.hpp"
#include "../../core/random.hpp"
#include "../../core/types.hpp"
#include "../../core/weights.hpp"
#include "../../metrics/regression.hpp"
#include "../../tree/detail/tree_base.hpp"
#include "../../tree/options.hpp"
#include "../../tree/structure.hpp"

namespace kestrel::tree::detail {

/// Installs forest-grown trees into their estimators.
struct forest_access {
    template <class E>
    static void adopt(E& e, Tree t, Labels classes, Index n_features) {
        e.adopt(std::move(t), std::move(classes), n_features);
    }
    template <class E>
    static const auto& packed(const E& e) {
        return e.packed_;
    }
};

}  // namespace kestrel::tree::detail

namespace kestrel::ensemble::detail {

using tree::Criterion;
using tree::MaxFeatures;
using tree::Size;

/// The seed of tree t of a forest seeded `random_state`.
inline std::uint64_t tree_seed(std::uint64_t random_state, Index t) {
    return random_engine::for_stream(random_state, static_cast<std::uint64_t>(t))();
}

/// How many times each of n rows is drawn into tree `seed`'s bootstrap sample of `draws` rows.
inline std::vector<int> bootstrap_counts(std::uint64_t seed, Index n, Index draws) {
    random_engine rng = random_engine::for_stream(seed, 0);
    std::vector<int> counts(static_cast<std::size_t>(n), 0);
    for (Index k = 0; k < draws; ++k) ++counts[static_cast<std::size_t>(rng.index_below(n))];
    return counts;
}

/// The rules of every forest's own parameters, then the trees'.
template <class P>
constexpr void validate_forest(const P& p, std::string_view name) {
    require_param(p.n_estimators >= 1, name, "n_estimators", p.n_estimators, "must be >= 1");
    require_param(p.n_jobs >= 0, name, "n_jobs", p.n_jobs, "must be >= 0 (0: every core)");
    require_param(
        !p.max_samples || (p.max_samples->is_fraction() ? p.max_samples->value() > 0 && p.max_samples->value() <= 1
                                                        : p.max_samples->value() >= 1),
        name, "max_samples", p.max_samples ? p.max_samples->value() : 0.0,
        "must be a count >= 1 or a fraction in (0, 1]");
    require_param(p.bootstrap || !p.oob_score, name, "oob_score", p.oob_score,
                  "needs bootstrap = true (out-of-bag samples exist only with bootstrap samples)");
    require_param(p.bootstrap || !p.max_samples, name, "max_samples", p.max_samples ? p.max_samples->value() : 0.0,
                  "must be empty when bootstrap = false");
    tree::detail::validate_structure(p, name);
}

/// The base of the forests. P holds the forest's parameters, Tree the estimator of each tree.
template <class Derived, std::floating_point T, class P, class TreeEstimator>
class forest_base : public estimator_base<Derived, T, P> {
    using base = estimator_base<Derived, T, P>;

public:
    /// Whether the forest classifies (its Params have class_weight), rather than regresses.
    static constexpr bool is_classifier = tree::detail::classifier_params<P>;
    /// Whether X may hold NaN: as the forest's trees (RandomForest yes, ExtraTrees no).
    static constexpr bool allow_nan = TreeEstimator::allow_nan;
    using tree_type = TreeEstimator;  ///< the estimator of each tree, as estimators() holds them
    using base::base;
    using base::fit;

    /// Fits n_estimators trees on samples X and class labels y, with per-sample weights.
    template <matrix_of<T> M, label_vector L, vector_of<T> W>
    requires(is_classifier) Derived& fit(const M& X, const L& y, const W& sample_weight) {
        const sample_weights<T> sw = start_fit(X, y, sample_weight);
        const Labels classes = kestrel::detail::unique_labels(y, Derived::name);
        if (warm() && classes != classes_) {
            throw invalid_input(std::string(Derived::name) +
                                ": with warm_start, y must hold the classes of the first fit");
        }
        const tree::detail::fit_target fit =
            tree::detail::classification_target(y, classes, this->params_.class_weight, sw, Derived::name);
        const tree::detail::targets& target = fit.target;
        classes_ = classes;
        grow(X, fit);
        if (this->params_.oob_score) {
            oob_decision_function_ = oob_average(X, target);
            Index correct = 0;
            for (Index i = 0; i < X.rows(); ++i) {
                Index best = 0;
                oob_decision_function_.row(i).maxCoeff(&best);
                if (classes_[best] == y[i]) ++correct;
            }
            oob_score_ = static_cast<double>(correct) / static_cast<double>(X.rows());
        }
        return this->derived();
    }

    /// Fits n_estimators trees on samples X and real targets y, with per-sample weights.
    template <matrix_of<T> M, vector_of<T> V, vector_of<T> W>
    requires(!is_classifier) Derived& fit(const M& X, const V& y, const W& sample_weight) {
        const sample_weights<T> sw = start_fit(X, y, sample_weight);
        const tree::detail::fit_target fit =
            tree::detail::regression_target(y, this->params_.criterion, sw, Derived::name);
        const tree::detail::targets& target = fit.target;
        grow(X, fit);
        if (this->params_.oob_score) {
            const Matrix<double> oob = oob_average(X, target);
            oob_prediction_ = oob.col(0);
            oob_score_ = static_cast<double>(
                metrics::r2_score(Eigen::Map<const Eigen::VectorXd>(target.y.data(), X.rows()), oob_prediction_));
        }
        return this->derived();
    }

    /// The mean of the trees' class probabilities (n × n_classes).
    template <matrix_of<T> M>
    requires(is_classifier) [[nodiscard]] Matrix<T> predict_proba(const M& X) const {
        return average(X).template cast<T>();
    }

    /// The class of largest mean probability (the first on ties).
    template <matrix_of<T> M>
    requires(is_classifier) [[nodiscard]] Labels predict(const M& X) const {
        const Matrix<double> proba = average(X);
        Labels out(proba.rows());
        for (Index i = 0; i < proba.rows(); ++i) {
            Index best = 0;
            proba.row(i).maxCoeff(&best);
            out[i] = classes_[best];
        }
        return out;
    }

    /// The logarithm of predict_proba.
    template <matrix_of<T> M>
    requires(is_classifier) [[nodiscard]] Matrix<T> predict_log_proba(const M& X) const {
        return kestrel::detail::log_of_entries(predict_proba(X));
    }

    /// The mean of the trees' predictions.
    template <matrix_of<T> M>
    requires(!is_classifier) [[nodiscard]] Vector<T> predict(const M& X) const {
        return average(X).col(0).template cast<T>();
    }

    /// The leaf of each sample in each tree (n × n_estimators).
    template <matrix_of<T> M>
    [[nodiscard]] Eigen::MatrixXi apply(const M& X) const {
        this->validate_predict(X);
        const tree::detail::rows_of<T> rows = X;
        Eigen::MatrixXi out(rows.rows(), static_cast<Index>(trees_.size()));
        tree::detail::for_rows(rows.rows(), [&](Index i) {
            for (std::size_t t = 0; t < trees_.size(); ++t) {
                out(i, static_cast<Index>(t)) = static_cast<int>(trees_[t].tree().leaf(rows.row(i).data()));
            }
        });
        return out;
    }

    /// The fitted trees, in order.
    [[nodiscard]] const std::vector<TreeEstimator>& estimators() const { return this->fitted(trees_); }
    /// The mean of the trees' feature importances (of trees that split at least once),
    /// normalised to sum 1.
    [[nodiscard]] Eigen::VectorXd feature_importances() const {
        const Index d = this->n_features_in();
        Eigen::VectorXd total = Eigen::VectorXd::Zero(d);
        Index counted = 0;
        for (const TreeEstimator& e : trees_) {
            if (e.tree().node_count <= 1) continue;
            total += e.feature_importances();
            ++counted;
        }
        if (counted == 0) return total;
        total /= static_cast<double>(counted);
        const double sum = total.sum();
        return sum > 0 ? Eigen::VectorXd(total / sum) : total;
    }
    /// The out-of-bag score (accuracy, or R² for regression); needs oob_score = true.
    [[nodiscard]] double oob_score() const {
        check_oob();
        return oob_score_;
    }
    /// Each training sample's mean class probabilities over the trees it was out of bag of
    /// (zeros for a sample in every bootstrap sample).
    [[nodiscard]] const Matrix<double>& oob_decision_function() const requires(is_classifier) {
        check_oob();
        return oob_decision_function_;
    }
    /// Each training sample's mean prediction over the trees it was out of bag of (0 for a
    /// sample in every bootstrap sample).
    [[nodiscard]] const Eigen::VectorXd& oob_prediction() const requires(!is_classifier) {
        check_oob();
        return oob_prediction_;
    }
    /// The class labels, sorted.
    [[nodiscard]] const Labels& classes() const requires(is_classifier) { return this->fitted(classes_); }

protected:
    friend struct kestrel::detail::persistence_access;
    friend struct kestrel::detail::one_row_access;

    /// Classes up to which one row's sums stay on the stack (more: one walk of the trees per class).
    static constexpr Index row_classes = 64;

    /// The mean over the trees of one row's leaf values, as average() computes each row's: in
    /// double, in tree order from 0, times 1 / n_trees. Calls visit(k, mean) for k in [0, width).
    template <class Visit>
    void row_mean(const T* x, Visit&& visit) const noexcept {
        const Index width = is_classifier ? classes_.size() : 1;
        const Index n_trees = static_cast<Index>(trees_.size());
        const double scale = 1.0 / static_cast<double>(n_trees);
        const auto tree_of = [&](Index t) -> const auto& {
            return tree::detail::forest_access::packed(trees_[static_cast<std::size_t>(t)]);
        };
        if (width <= row_classes) {
            double sum[row_classes] = {};
            pool_.add_outputs(x, sum, tree_of);  // sixteen trees at a time
            for (Index k = 0; k < width; ++k) visit(k, sum[k] * scale);
            return;
        }
        for (Index k = 0; k < width; ++k) {
            double sum = 0;
            for (Index t = 0; t < n_trees; ++t) sum += tree_of(t).out(tree_of(t).leaf(x))[k];
            visit(k, sum * scale);
        }
    }
    [[nodiscard]] auto predict_row(const T* x) const noexcept {
        if constexpr (is_classifier) {
            Index best = 0;
            double top = 0;
            row_mean(x, [&](Index k, double p) {
                if (k == 0 || p > top) {
                    top = p;
                    best = k;
                }
            });
            return classes_[best];
        } else {
            T value = 0;
            row_mean(x, [&](Index, double v) { value = static_cast<T>(v); });
            return value;
        }
    }
    void proba_row(const T* x, T* out) const noexcept requires(is_classifier) {
        row_mean(x, [&](Index k, double p) { out[k] = static_cast<T>(p); });
    }

    template <class Archive>
    void persist(Archive& a) {
        const Index d = a.n_features();
        if constexpr (is_classifier) {
            a.labels("classes_", classes_);
            a.require(classes_.size() >= 2, "classes_ must hold at least two classes");
        }
        std::vector<tree::Tree> trees;
        if constexpr (!Archive::loading) {
            for (const TreeEstimator& e : trees_) trees.push_back(e.tree());
        }
        tree::detail::persist_trees(a, "estimators_/", trees, is_classifier ? classes_.size() : 1, d);
        if constexpr (Archive::loading) {
            a.require(static_cast<Index>(trees.size()) == this->params_.n_estimators,
                      "estimators_ must hold n_estimators trees");
            trees_.clear();
            for (std::size_t t = 0; t < trees.size(); ++t) {
                TreeEstimator e(tree_parameters(tree_seed(this->params_.random_state, static_cast<Index>(t))));
                tree::detail::forest_access::adopt(e, std::move(trees[t]), classes_, d);
                trees_.push_back(std::move(e));
            }
            repack();
        }
        if (this->params_.oob_score) {
            a.value("oob_score_", oob_score_);
            if constexpr (is_classifier) {
                a.matrix("oob_decision_function_", oob_decision_function_, -1, classes_.size());
            } else {
                a.vector("oob_prediction_", oob_prediction_, -1);
            }
        }
    }

    template <class M>
    void validate_predict(const M& X) const {
        tree::detail::check_predict(X, this->is_fitted(), this->n_features_in_, Derived::name, allow_nan);
    }

    bool warm() const { return this->params_.warm_start && this->is_fitted() && !trees_.empty(); }

    template <class M, class Y, class W>
    sample_weights<T> start_fit(const M& X, const Y& y, const W& sample_weight) {
        const P& p = this->params_;
        const sample_weights<T> sw = tree::detail::check_fit<T>(
            p, is_classifier, Derived::name, X, y, sample_weight,
            allow_nan && p.max_bins == 0 && p.criterion != Criterion::absolute_error,
            allow_nan ? tree::detail::missing_values_rule : std::string_view("by RandomForest, not by ExtraTrees"));
        if (warm()) {
            kestrel::detail::check_n_features(X.cols(), this->n_features_in_, Derived::name);
            if (static_cast<std::size_t>(p.n_estimators) < trees_.size()) {
                throw invalid_parameter(std::string(Derived::name) +
                                        ": parameter n_estimators = " + std::to_string(p.n_estimators) +
                                        " is invalid: with warm_start it must be >= the " +
                                        std::to_string(trees_.size()) + " trees already fitted");
            }
        } else {
            trees_.clear();
            pool_.clear();
        }
        return sw;
    }

    /// The rows tree t is grown on: its bootstrap counts (all ones without bootstrap).
    [[nodiscard]] std::vector<int> tree_counts(Index t, Index n) const {
        const P& p = this->params_;
        if (!p.bootstrap) return std::vector<int>(static_cast<std::size_t>(n), 1);
        return bootstrap_counts(tree_seed(p.random_state, t), n, n_bootstrap(n));
    }

    [[nodiscard]] Index n_bootstrap(Index n) const {
        const auto& m = this->params_.max_samples;
        if (!m) return n;
        if (!m->is_fraction()) {
            if (m->value() > static_cast<double>(n)) {
                throw invalid_parameter(std::string(Derived::name) +
                                        ": parameter max_samples = " + std::to_string(static_cast<Index>(m->value())) +
                                        " is invalid: it must be <= the " + std::to_string(n) + " training samples");
            }
            return static_cast<Index>(m->value());
        }
        return std::max<Index>(1, static_cast<Index>(std::round(m->value() * static_cast<double>(n))));
    }

    /// The settings of every tree grown over X's rows (`fit`); checks max_samples too.
    template <class M>
    [[nodiscard]] tree::detail::grow_settings grow_settings_of(const M& X, const tree::detail::fit_target& fit) const {
        double total = 0;
        for (double w : fit.weight) total += w;
        const Index n = X.rows(), d = X.cols();
        typename TreeEstimator::Params tree_params = tree_parameters(0);
        const tree::detail::grow_settings settings = tree::detail::resolve_settings(
            tree_params, n, d, fit.weighted ? total : static_cast<double>(n), Derived::name,
            fit.target.classification() ? fit.target.n_classes : 0);
        if (this->params_.bootstrap) (void)n_bootstrap(n);  // checks max_samples before any work
        return settings;
    }

    /// Tree t of this forest grown over `data`'s rows (d features), from its seed
    /// tree_seed(random_state, t): its bootstrap sample of those rows, its features' order and
    /// its thresholds.
    [[nodiscard]] TreeEstimator grow_one(const tree::detail::training_data<T>& data,
                                         const tree::detail::fit_target& fit,
                                         const tree::detail::grow_settings& settings, Index t, Index d) const {
        const P& p = this->params_;
        const Index n = static_cast<Index>(fit.weight.size());
        const std::uint64_t seed = tree_seed(p.random_state, t);
        std::vector<double> tree_weight = fit.weight;
        if (p.bootstrap) {
            const std::vector<int> counts = bootstrap_counts(seed, n, n_bootstrap(n));
            for (Index i = 0; i < n; ++i) {
                tree_weight[static_cast<std::size_t>(i)] *= counts[static_cast<std::size_t>(i)];
            }
        }
        random_engine rng(seed);
        tree::Tree grown_tree = tree::detail::grow_tree(data, fit.target, tree_weight, settings, p.ccp_alpha, rng);
        TreeEstimator e(tree_parameters(seed));
        tree::detail::forest_access::adopt(e, std::move(grown_tree), classes_, d);
        return e;
    }

    /// Trees [first, first + count) of this forest grown over X's rows (`fit`) on n_jobs threads,
    /// in order; no progress reports.
    template <class M>
    [[nodiscard]] std::vector<TreeEstimator> grow_range(const M& X, const tree::detail::fit_target& fit, Index first,
                                                        Index count) const {
        const tree::detail::grow_settings settings = grow_settings_of(X, fit);
        std::vector<TreeEstimator> grown(static_cast<std::size_t>(count));
        if (count == 0) return grown;
        const int threads = kestrel::detail::resolve_n_jobs(this->params_.n_jobs);
        const tree::detail::training_data<T> data(X, this->params_.max_bins, threads);
        kestrel::detail::parallel_for(count, threads, [&](Index k) {
            grown[static_cast<std::size_t>(k)] = grow_one(data, fit, settings, first + k, X.cols());
        });
        return grown;
    }

    /// Installs `trees` as the forest's, tree t with tree t's seed, over d features.
    void adopt_trees(std::vector<tree::Tree> trees, Index d) {
        trees_.clear();
        for (std::size_t t = 0; t < trees.size(); ++t) {
            TreeEstimator e(tree_parameters(tree_seed(this->params_.random_state, static_cast<Index>(t))));
            tree::detail::forest_access::adopt(e, std::move(trees[t]), classes_, d);
            trees_.push_back(std::move(e));
        }
        this->n_features_in_ = d;
        repack();
    }

    template <class M>
    void grow(const M& X, const tree::detail::fit_target& fit) {
        const P& p = this->params_;
        const Index d = X.cols();
        const tree::detail::grow_settings settings = grow_settings_of(X, fit);
        const Index first = static_cast<Index>(trees_.size());
        const Index count = p.n_estimators - first;
        if (count == 0) return;
        const int threads = kestrel::detail::resolve_n_jobs(p.n_jobs);
        const tree::detail::training_data<T> data(X, p.max_bins, threads);
        std::vector<TreeEstimator> grown(static_cast<std::size_t>(count));
        // A stop asked by the progress callback leaves the trees grown so far (the first is
        // always grown); the forest keeps the unbroken run of them from the first, whose seeds
        // follow their positions, and n_estimators becomes their number.
        auto progress = this->start_progress(count, "");
        std::vector<char> done(static_cast<std::size_t>(count), 0);
        kestrel::detail::parallel_for(count, threads, [&](Index k) {
            if (k > 0 && progress.stopped()) return;
            grown[static_cast<std::size_t>(k)] = grow_one(data, fit, settings, first + k, X.cols());
            done[static_cast<std::size_t>(k)] = 1;
            progress.tick_shared();
        });
        Index kept = 0;
        while (kept < count && done[static_cast<std::size_t>(kept)] != 0) ++kept;
        for (Index k = 0; k < kept; ++k) trees_.push_back(std::move(grown[static_cast<std::size_t>(k)]));
        if (kept < count) this->params_.n_estimators = static_cast<int>(first + kept);
        this->n_features_in_ = d;
        repack();
        this->end_progress(progress);
    }

    /// The parameters of a tree of this forest, seeded `seed`.
    [[nodiscard]] typename TreeEstimator::Params tree_parameters(std::uint64_t seed) const {
        const P& p = this->params_;
        typename TreeEstimator::Params t{};
        t.criterion = p.criterion;
        t.max_depth = p.max_depth;
        t.min_samples_split = p.min_samples_split;
        t.min_samples_leaf = p.min_samples_leaf;
        t.min_weight_fraction_leaf = p.min_weight_fraction_leaf;
        t.max_features = p.max_features;
        t.random_state = seed;
        t.max_leaf_nodes = p.max_leaf_nodes;
        t.min_impurity_decrease = p.min_impurity_decrease;
        t.ccp_alpha = p.ccp_alpha;
        t.max_bins = p.max_bins;
        t.monotonic_cst = p.monotonic_cst;
        return t;
    }

    /// The mean over the trees of each sample's leaf values. Few rows walk sixteen trees at a
    /// time (pool_); many rows go through each tree in blocks of 2048 (so that a block reuses the
    /// tree's nodes from cache), by tree::detail::leaves_of_rows (eight rows at a time, or sixteen
    /// to a register in AVX-512 builds of float trees). Either way each sample's sum runs in tree
    /// order, so the results are the same bits.
    template <class M>
    Matrix<double> average(const M& X) const {
        this->validate_predict(X);
        const tree::detail::rows_of<T> rows = X;
        const Index width = is_classifier ? classes_.size() : 1, n = rows.rows();
        const Index n_trees = static_cast<Index>(trees_.size());
        Matrix<double> out = Matrix<double>::Zero(n, width);
        const auto tree_of = [&](Index t) -> const auto& {
            return tree::detail::forest_access::packed(trees_[static_cast<std::size_t>(t)]);
        };
        if (n < 8) {
            for (Index i = 0; i < n; ++i) pool_.add_outputs(rows.row(i).data(), out.row(i).data(), tree_of);
        } else {
            tree::detail::for_row_blocks(n, 2048, [&](Index begin, Index end) {
                std::vector<const T*> pointers;
                tree::detail::row_pointers<T>(rows, begin, end, pointers);
                std::vector<std::int32_t> leaves(pointers.size());
                const bool nan = tree::detail::rows_hold_nan(pointers.data(), end - begin, pool_.features);
                // The leaves' values lie anywhere in the tree's: each is fetched 64 rows ahead (T4's
                // forest, 200,000 rows, five alternations: a median 1.10 µs a row, 1.12 without; before
                // the chained walk 2.30–2.38 µs, 2.82–2.88 without).
                const auto add = [&]<Index Width>(const auto& tree) {
                    constexpr Index ahead = 64;
                    const Index w = Width > 0 ? Width : width;
                    for (Index i = begin; i < end; ++i) {
                        if (i + ahead < end) {
                            kestrel::detail::prefetch(tree.out(leaves[static_cast<std::size_t>(i + ahead - begin)]));
                        }
                        const double* o = tree.out(leaves[static_cast<std::size_t>(i - begin)]);
                        double* sum = out.data() + i * w;
                        for (Index k = 0; k < w; ++k) sum[k] += o[k];
                    }
                };
                for (Index t = 0; t < n_trees; ++t) {
                    const auto& tree = tree_of(t);
                    tree::detail::leaves_of_rows(tree, pointers.data(), end - begin, leaves.data(), nan);
                    tree::detail::with_fixed_width(width, [&]<Index Width>() { add.template operator()<Width>(tree); });
                }
            });
        }
        out *= 1.0 / static_cast<double>(n_trees);
        return out;
    }

    /// Each training sample's mean leaf values over the trees it is out of bag of.
    template <class M>
    Matrix<double> oob_average(const M& X, const tree::detail::targets& target) const {
        return oob_average(X, target, 0, static_cast<Index>(trees_.size()));
    }

    /// As oob_average(X, target), over trees [first, end) only.
    template <class M>
    Matrix<double> oob_average(const M& X, const tree::detail::targets& target, Index first, Index end) const {
        const Index n = X.rows();
        const Index width = target.classification() ? target.n_classes : 1;
        const tree::detail::rows_of<T> rows = X;
        Matrix<double> sum = Matrix<double>::Zero(n, width);
        Eigen::VectorXd count = Eigen::VectorXd::Zero(n);
        for (Index t = first; t < end; ++t) {
            const std::vector<int> counts = tree_counts(t, n);
            const auto& tree = tree::detail::forest_access::packed(trees_[static_cast<std::size_t>(t)]);
            for (Index i = 0; i < n; ++i) {
                if (counts[static_cast<std::size_t>(i)] != 0) continue;
                const double* o = tree.out(tree.leaf(rows.row(i).data()));
                for (Index k = 0; k < width; ++k) sum(i, k) += o[k];
                count[i] += 1;
            }
        }
        for (Index i = 0; i < n; ++i) sum.row(i) /= count[i] > 0 ? count[i] : 1.0;
        return sum;
    }

    void check_oob() const {
        kestrel::detail::check_fitted(this->is_fitted(), Derived::name);
        if (!this->params_.oob_score) {
            throw invalid_input(std::string(Derived::name) +
                                ": the out-of-bag estimates exist only when fitted with oob_score = true");
        }
    }

    /// Gives pool_ every tree (after trees_ changes), on n_jobs threads.
    void repack() {
        std::vector<const tree::detail::packed_tree<T>*> packed;
        packed.reserve(trees_.size());
        for (const TreeEstimator& e : trees_) packed.push_back(&tree::detail::forest_access::packed(e));
        pool_.assign(packed, kestrel::detail::resolve_n_jobs(this->params_.n_jobs));
    }

    std::vector<TreeEstimator> trees_;
    tree::detail::packed_forest<T> pool_;  ///< the walks of a few rows through trees_
    Labels classes_;
    double oob_score_ = 0;
    Matrix<double> oob_decision_function_;
    Eigen::VectorXd oob_prediction_;
};

}  // namespace kestrel::ensemble::detail
