#pragma once
/// \file
/// What HistGradientBoostingRegressor and HistGradientBoostingClassifier share: checking the
/// parameters and the data, binning, the boosting loop with early stopping and warm starts,
/// raw scores (staged or not) and model files.

#include <algorithm>
#include <array>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "../../core/concepts.hpp"
#include "../../core/detail/estimator_base.hpp"
#include "../../core/detail/parallel.hpp"
#include "../../core/detail/validation.hpp"
#include "../../core/error.hpp"
#include "../../core/params.hpp"
#include "../../core/random.hpp"
#include "../../core/types.hpp"
#include "../../core/weights.hpp"
#include "../../tree/detail/radix.hpp"
#include "../../tree/detail/walk.hpp"
#include "../../tree/structure.hpp"
#include "../gradient_boosting_options.hpp"
#include "hgb_binning.hpp"
#include "hgb_grower.hpp"
#include "hgb_loss.hpp"

namespace kestrel::ensemble::detail {

template <class P>
concept hgb_classifier_params = requires(const P& p) {
    p.class_weight;
};

namespace hgb {

/// The rows of a fit when this process holds them all. A distributed fit
/// (kestrel::distributed::HistGradientBoosting*) passes instead its ranks' rows: the same members
/// over its communicator, so that the fit below sums and gathers what it needs of every rank's
/// rows. Rows of lower ranks come first among all rows.
struct rows_here {
    /// Whether other processes hold rows of the fit.
    static constexpr bool spread = false;
    /// The index of this process's first row among all rows.
    [[nodiscard]] static Index first_row() noexcept { return 0; }
    /// Every process's `values`, concatenated in process order.
    template <class V>
    [[nodiscard]] static const std::vector<V>& gather(const std::vector<V>& values) noexcept {
        return values;
    }
    /// Replaces values[0..n) by their sums over the processes.
    static void sum(double*, std::size_t) noexcept {}
    /// Runs work, which may throw (every process then throws, in a distributed fit).
    template <class Work>
    static void agree(Work&& work) {
        work();
    }
};

}  // namespace hgb

/// The rules both estimators' parameters share.
template <class P>
void validate_hgb(const P& p, std::string_view name) {
    require_param(p.learning_rate > 0, name, "learning_rate", p.learning_rate, "must be > 0");
    require_param(p.max_iter >= 1, name, "max_iter", p.max_iter, "must be >= 1");
    require_param(!p.max_leaf_nodes || *p.max_leaf_nodes >= 2, name, "max_leaf_nodes",
                  p.max_leaf_nodes ? *p.max_leaf_nodes : 0, "must be >= 2 (or empty: no limit)");
    require_param(!p.max_depth || *p.max_depth >= 1, name, "max_depth", p.max_depth ? *p.max_depth : 0,
                  "must be >= 1 (or empty: no limit)");
    require_param(p.min_samples_leaf >= 1, name, "min_samples_leaf", p.min_samples_leaf, "must be >= 1");
    require_param(p.l2_regularization >= 0, name, "l2_regularization", p.l2_regularization, "must be >= 0");
    require_param(p.max_bins >= 2 && p.max_bins <= 255, name, "max_bins", p.max_bins,
                  "must be in [2, 255] (a 256th bin is kept for missing values)");
    for (int c : p.monotonic_cst) {
        require_param(c >= -1 && c <= 1, name, "monotonic_cst", c, "must hold only -1, 0 and 1");
    }
    for (const std::vector<int>& group : p.interaction_cst) {
        for (int f : group) require_param(f >= 0, name, "interaction_cst", f, "must hold feature indices >= 0");
    }
    for (int f : p.categorical_features) {
        require_param(f >= 0, name, "categorical_features", f, "must hold feature indices >= 0");
    }
    require_param(!p.validation_fraction || (*p.validation_fraction > 0 && *p.validation_fraction < 1), name,
                  "validation_fraction", p.validation_fraction ? *p.validation_fraction : 0.0,
                  "must be in (0, 1) (or empty: early stopping on the training loss)");
    require_param(p.n_iter_no_change >= 1, name, "n_iter_no_change", p.n_iter_no_change, "must be >= 1");
    require_param(p.tol >= 0, name, "tol", p.tol, "must be >= 0");
    require_param(p.n_jobs >= 0, name, "n_jobs", p.n_jobs, "must be >= 0 (0: every core)");
}

/// The base of the two estimators. Raw scores are n × K (K = 1 except for the multinomial loss).
template <class Derived, std::floating_point T, class P>
class hgb_base : public estimator_base<Derived, T, P> {
    using base = estimator_base<Derived, T, P>;

public:
    /// Whether the model classifies (HistGradientBoostingClassifier), rather than regresses.
    static constexpr bool is_classifier = hgb_classifier_params<P>;
    /// X may hold NaN (missing values) in fit and predict.
    static constexpr bool allow_nan = true;
    using base::base;
    using base::fit;

    /// The number of boosting iterations run (fewer than max_iter when early stopping stopped).
    [[nodiscard]] int n_iter() const { return this->fitted(n_iter_); }
    /// Trees grown per iteration: 1, or the number of classes for more than two.
    [[nodiscard]] Index n_trees_per_iteration() const { return this->fitted(K_); }
    /// With early stopping: minus the training loss before the first iteration and after each;
    /// empty otherwise.
    [[nodiscard]] const Eigen::VectorXd& train_score() const { return this->fitted(train_score_); }
    /// With early stopping on a validation split: minus its loss, as train_score; empty otherwise.
    [[nodiscard]] const Eigen::VectorXd& validation_score() const { return this->fitted(validation_score_); }
    /// Whether each feature was fitted as categorical.
    [[nodiscard]] std::vector<bool> is_categorical() const {
        this->fitted(K_);
        return std::vector<bool>(mapper_.is_categorical.begin(), mapper_.is_categorical.end());
    }
    /// Each feature's bin thresholds (numeric features: the bin edges; categorical features:
    /// their known categories), as scikit-learn's `_bin_mapper.bin_thresholds_`.
    [[nodiscard]] const std::vector<std::vector<double>>& bin_thresholds() const {
        return this->fitted(mapper_.thresholds);
    }
    /// Whether fit used early stopping (scikit-learn's do_early_stopping_).
    [[nodiscard]] bool do_early_stopping() const { return this->fitted(early_stopping_); }

protected:
    friend struct kestrel::detail::persistence_access;
    friend struct kestrel::detail::one_row_access;
    friend struct kestrel::detail::export_access;

    /// Classes up to which one row's raw scores stay on the stack (more: computed again when read).
    static constexpr Index row_classes = 64;

    /// Tree t's leaf for one row x.
    [[nodiscard]] std::int32_t row_leaf(std::size_t t, const T* x) const noexcept {
        if (!packed_[t].nodes.empty()) return packed_[t].original[static_cast<std::size_t>(packed_[t].leaf(x))];
        return trees_[t].leaf_raw([x](int f) { return x[f]; }, known_);
    }
    /// One row's raw score for tree k of each iteration, as raw_scores() computes it: the baseline,
    /// then each of those trees' leaf values added in order.
    [[nodiscard]] double row_raw(const T* x, Index k) const noexcept {
        double r = baseline_[static_cast<std::size_t>(k)];
        const auto K = static_cast<std::size_t>(K_);
        const tree::detail::packed_forest<T>& pool = row_pools_[static_cast<std::size_t>(k)];
        if (pool.size() > 0) {  // every one of those trees packed: sixteen walked side by side, added in order
            pool.add_outputs(
                x, &r, [&](Index i) -> const auto& {
                    return packed_[static_cast<std::size_t>(k) + static_cast<std::size_t>(i) * K];
                });
            return r;
        }
        for (auto t = static_cast<std::size_t>(k); t < trees_.size(); t += K) {
            r += trees_[t].value[static_cast<std::size_t>(row_leaf(t, x))];
        }
        return r;
    }
    /// The number of raw scores per row.
    [[nodiscard]] Index decision_width() const noexcept { return K_; }
    void decision_row(const T* x, T* out) const noexcept {
        for (Index k = 0; k < K_; ++k) out[k] = static_cast<T>(row_raw(x, k));
    }

    /// Fits on X and targets y (class codes for the classifier) with weights w (empty: uniform),
    /// this process's rows among those of `shards` (hgb::rows_here: all of them).
    template <class M, class Shards = hgb::rows_here>
    void fit_codes(const M& X, const std::vector<double>& y, const std::vector<double>& w, Index K,
                   const Shards& shards = {}) {
        const P& p = this->params_;
        const Index n = X.rows(), d = X.cols();
        const int threads = kestrel::detail::resolve_n_jobs(p.n_jobs);
        const bool warm = p.warm_start && this->is_fitted();
        if (warm) {
            kestrel::detail::check_n_features(d, this->n_features_in_, Derived::name);
            if (p.max_iter < n_iter_) {
                throw invalid_parameter(std::string(Derived::name) + ": parameter max_iter = " +
                                        std::to_string(p.max_iter) + " is invalid: with warm_start it must be >= the " +
                                        std::to_string(n_iter_) + " iterations already fitted");
            }
            if (K != K_) {
                throw invalid_input(std::string(Derived::name) + ": with warm_start, y must hold the classes of the first fit");
            }
        }
        hgb::loss_function loss;
        loss.kind = p.loss;
        if constexpr (!is_classifier) loss.quantile = p.quantile ? *p.quantile : 0.5;
        loss.K = K;
        const std::vector<std::uint8_t> categorical = categorical_mask(d);
        std::vector<hgb::bitset256> known;
        shards.agree([&] { known = known_categories(X, categorical); });
        if constexpr (Shards::spread) merge_categories(known, categorical, shards);
        const std::vector<signed char> monotonic = monotonic_constraints(d, categorical, K);
        const std::vector<std::vector<int>> interaction = interaction_constraints(d);

        // Every row's target and weight (this process's, unless the rows are spread).
        const std::vector<double>& y_all = shards.gather(y);
        const std::vector<double>& w_all = shards.gather(w);
        const auto n_all = static_cast<Index>(y_all.size());
        const Index first = shards.first_row();
        const bool weighted = !w_all.empty();

        // The validation split, of all rows; this process's training and validation rows.
        const bool stopping = p.early_stopping ? *p.early_stopping : n_all > 10000;
        const bool use_validation = stopping && p.validation_fraction.has_value();
        std::vector<Index> train_all, val_all, train_rows, val_rows;
        Index train_first = 0;  // the position of this process's first training row among all
        if (use_validation) {
            split_rows(y_all, n_all, K, train_all, val_all);
            for (Index i : train_all) {
                if (i < first) ++train_first;
                if (i >= first && i < first + n) train_rows.push_back(i - first);
            }
            for (Index i : val_all) {
                if (i >= first && i < first + n) val_rows.push_back(i - first);
            }
        } else {
            train_rows.resize(static_cast<std::size_t>(n));
            for (Index i = 0; i < n; ++i) train_rows[static_cast<std::size_t>(i)] = i;
            train_first = first;
        }
        const Index n_train_all = use_validation ? static_cast<Index>(train_all.size()) : n_all;
        const auto pick = [](const std::vector<double>& v, const std::vector<Index>& rows) {
            std::vector<double> out;
            if (v.empty()) return out;
            out.reserve(rows.size());
            for (Index i : rows) out.push_back(v[static_cast<std::size_t>(i)]);
            return out;
        };
        const std::vector<double> y_train = pick(y, train_rows), w_train = pick(w, train_rows);
        const std::vector<double> y_val = pick(y, val_rows), w_val = pick(w, val_rows);
        const Index n_train = static_cast<Index>(train_rows.size()), n_val = static_cast<Index>(val_rows.size());

        // Bins.
        hgb::bin_mapper mapper = fit_bins(X, train_rows, train_first, n_train_all, categorical, known, threads, shards);
        std::vector<std::uint8_t> bins_train = transform(mapper, X, train_rows, threads);
        std::vector<std::uint8_t> bins_val = transform(mapper, X, val_rows, threads);
        std::vector<double> missing_rows(static_cast<std::size_t>(d), 0);
        for (Index f = 0; f < d; ++f) {
            const std::uint8_t* col = bins_train.data() + f * n_train;
            missing_rows[static_cast<std::size_t>(f)] =
                std::find(col, col + n_train, static_cast<std::uint8_t>(mapper.missing_bin())) != col + n_train;
        }
        shards.sum(missing_rows.data(), missing_rows.size());
        std::vector<std::uint8_t> has_missing(static_cast<std::size_t>(d), 0);
        for (Index f = 0; f < d; ++f) has_missing[static_cast<std::size_t>(f)] = missing_rows[static_cast<std::size_t>(f)] > 0;

        if (!warm) {
            trees_.clear();
            n_iter_ = 0;
            K_ = K;
            if (use_validation) {
                baseline_ = loss.baseline(pick(y_all, train_all), pick(w_all, train_all));
            } else {
                baseline_ = loss.baseline(y_all, w_all);
            }
            train_scores_.clear();
            validation_scores_.clear();
        }
        mapper_ = std::move(mapper);
        known_ = known;
        loss_ = loss;
        early_stopping_ = stopping;
        this->n_features_in_ = d;

        std::vector<double> raw = binned_raw(bins_train, n_train);
        std::vector<double> raw_val = binned_raw(bins_val, n_val);
        const auto mean_loss = [&](const std::vector<double>& yy, const std::vector<double>& ww,
                                   const std::vector<double>& r) {
            std::array<double, 2> sums = loss.loss_sums(yy, ww, r);
            shards.sum(sums.data(), 2);
            return sums[0] / sums[1];
        };
        const auto record = [&]() {
            train_scores_.push_back(-mean_loss(y_train, w_train, raw));
            if (use_validation) {
                validation_scores_.push_back(-mean_loss(y_val, w_val, raw_val));
                return should_stop(validation_scores_);
            }
            return should_stop(train_scores_);
        };
        if (!warm && stopping) record();

        hgb::grower_settings settings;
        settings.n_bins = p.max_bins + 1;
        settings.n_bins_non_missing = &mapper_.n_bins_non_missing;
        settings.has_missing = &has_missing;
        settings.is_categorical = &mapper_.is_categorical;
        settings.thresholds = &mapper_.thresholds;
        settings.monotonic = monotonic;
        settings.interaction = interaction;
        settings.max_leaf_nodes = p.max_leaf_nodes;
        settings.max_depth = p.max_depth;
        settings.min_samples_leaf = p.min_samples_leaf;
        settings.l2 = p.l2_regularization;
        settings.shrinkage = p.learning_rate;
        settings.threads = threads;
        if constexpr (Shards::spread) {
            settings.sum_over_shards = [&shards](double* values, std::size_t count) { shards.sum(values, count); };
        }

        const bool constant = loss.constant_hessian(weighted);
        std::vector<float> g(static_cast<std::size_t>(n_train * K)), h(constant ? 1 : static_cast<std::size_t>(n_train * K), 1.0f);
        // What a grower reuses from tree to tree (its partition holds a tree's samples by leaf),
        // and each sample's leaf.
        struct tree_scratch {
            hgb::grower_scratch grow;
            std::vector<std::uint8_t> leaf_of;
        };
        tree_scratch scratch;
        // Several classes' trees on several threads: each worker grows whole trees on one thread
        // with its own scratch (not over processes, whose reductions must come in one order).
        const bool trees_by_thread = K > 1 && threads > 1 && !Shards::spread;
        hgb::grower_settings one_thread = settings;
        one_thread.threads = 1;
        std::vector<tree_scratch> class_scratch(trees_by_thread ? static_cast<std::size_t>(std::min<Index>(K, threads))
                                                                : 0);
        const hgb::binned_matrix binned{bins_train.data(), n_train, d};
        const hgb::binned_matrix binned_val{bins_val.data(), n_val, d};
        auto progress = this->start_progress(p.max_iter - n_iter_, stopping ? "train score" : "");
        for (int iteration = n_iter_; iteration < p.max_iter; ++iteration) {
            loss.gradients(y_train, w_train, raw, g, h, constant, threads);
            // One tree a class. The classes' trees of an iteration read the same bins and targets
            // and each its own column of the gradients, and write each its own column of the raw
            // scores: with several classes and threads, each thread grows whole trees on one
            // thread and its own scratch (a tree grown on one thread is the same bits as on any).
            const auto grow_class = [&](Index k, const hgb::grower_settings& with, tree_scratch& own, int raw_threads) {
                std::vector<std::uint32_t>& part = own.grow.partition;
                const std::size_t offset = static_cast<std::size_t>(k * n_train);
                hgb::grower grower(binned, g.data() + offset, constant ? h.data() : h.data() + offset, constant, with,
                                   own.grow);
                grower.grow();
                double* r = raw.data() + offset;
                if (loss.updates_leaves()) {
                    for (int leaf : grower.leaves()) {
                        const auto& nd = grower.nodes()[static_cast<std::size_t>(leaf)];
                        std::vector<double> residual, weight;
                        for (Index i = nd.start; i < nd.stop; ++i) {
                            const std::uint32_t s = part[static_cast<std::size_t>(i)];
                            residual.push_back(y_train[s] - r[s]);
                            if (weighted) weight.push_back(w_train[s]);
                        }
                        if constexpr (Shards::spread) {
                            residual = shards.gather(residual);
                            weight = shards.gather(weight);
                        }
                        grower.set_value(leaf, p.learning_rate * hgb::loss_percentile(residual, weight, loss.percent()));
                    }
                }
                // Leaves hold disjoint samples: they mark their samples' leaf in parallel (a byte a
                // sample, which stays in cache), then the raw scores add their leaves' values in
                // order; trees of more than 256 leaves add them leaf by leaf.
                const std::vector<int>& leaves = grower.leaves();
                const auto leaf_count = static_cast<Index>(leaves.size());
                const int leaf_threads = n_train >= 65536 ? raw_threads : 1;
                if (leaf_count > 256) {
                    kestrel::detail::parallel_for(leaf_count, leaf_threads, [&](Index l) {
                        const auto& nd = grower.nodes()[static_cast<std::size_t>(leaves[static_cast<std::size_t>(l)])];
                        for (Index i = nd.start; i < nd.stop; ++i) r[part[static_cast<std::size_t>(i)]] += nd.value;
                    });
                } else {
                    own.leaf_of.resize(static_cast<std::size_t>(n_train));
                    std::uint8_t* const leaf_of = own.leaf_of.data();
                    std::array<double, 256> value{};
                    for (Index l = 0; l < leaf_count; ++l) {
                        value[static_cast<std::size_t>(l)] =
                            grower.nodes()[static_cast<std::size_t>(leaves[static_cast<std::size_t>(l)])].value;
                    }
                    kestrel::detail::parallel_for(leaf_count, leaf_threads, [&](Index l) {
                        const auto& nd = grower.nodes()[static_cast<std::size_t>(leaves[static_cast<std::size_t>(l)])];
                        for (Index i = nd.start; i < nd.stop; ++i) {
                            leaf_of[part[static_cast<std::size_t>(i)]] = static_cast<std::uint8_t>(l);
                        }
                    });
                    const kestrel::detail::partition parts(n_train, std::max<Index>(1, n_train / 65536));
                    kestrel::detail::parallel_for(parts, leaf_threads, [&](Index, Index begin, Index end) {
                        for (Index i = begin; i < end; ++i) r[i] += value[leaf_of[i]];
                    });
                }
                return grower.predictor();
            };
            if (trees_by_thread) {
                std::vector<hgb::tree_nodes> grown(static_cast<std::size_t>(K));
                const auto workers = static_cast<Index>(class_scratch.size());
                kestrel::detail::parallel_for(workers, threads, [&](Index t) {
                    for (Index k = t; k < K; k += workers) {
                        grown[static_cast<std::size_t>(k)] =
                            grow_class(k, one_thread, class_scratch[static_cast<std::size_t>(t)], 1);
                    }
                });
                for (hgb::tree_nodes& tree : grown) trees_.push_back(std::move(tree));
            } else {
                for (Index k = 0; k < K; ++k) trees_.push_back(grow_class(k, settings, scratch, threads));
            }
            ++n_iter_;
            if (stopping) {
                if (use_validation) add_binned(binned_val, n_iter_ - 1, raw_val, threads);
                if (record()) break;
            }
            if (progress.tick(stopping ? train_scores_.back() : std::numeric_limits<double>::quiet_NaN())) break;
        }
        pack();
        train_score_ = Eigen::Map<const Eigen::VectorXd>(train_scores_.data(), static_cast<Index>(train_scores_.size()));
        validation_score_ =
            Eigen::Map<const Eigen::VectorXd>(validation_scores_.data(), static_cast<Index>(validation_scores_.size()));
        this->end_progress(progress);
    }

    /// Raw scores of X (n × K, column-major): the baseline plus each tree's leaf value, tree
    /// after tree. Rows go through the trees in blocks of 2048, so that a block reuses a tree's
    /// nodes from cache, eight rows walked at a time; fewer than eight rows go one at a time
    /// through sixteen trees side by side (row_raw). The sums run in the same order either way.
    template <class M>
    std::vector<double> raw_scores(const M& X) const {
        const Index n = X.rows();
        const kestrel::detail::row_major_ref<T> rows = X;
        std::vector<double> raw = baseline_scores(n);
        if (n < 8) {
            for (Index i = 0; i < n; ++i) {
                for (Index k = 0; k < K_; ++k) raw[static_cast<std::size_t>(k * n + i)] = row_raw(rows.row(i).data(), k);
            }
            return raw;
        }
        const Index blocks = (n + block_rows - 1) / block_rows;
        kestrel::detail::parallel_for(blocks, kestrel::detail::resolve_n_jobs(this->params_.n_jobs), [&](Index b) {
            const Index begin = b * block_rows, end = std::min(n, begin + block_rows);
            std::vector<const T*> pointers;
            std::vector<std::int32_t> leaves;
            row_pointers(rows, begin, end, pointers, leaves);
            const bool nan = tree::detail::rows_hold_nan(pointers.data(), end - begin, this->n_features_in_);
            for (std::size_t t = 0; t < trees_.size(); ++t) add_tree(t, pointers, leaves, raw.data() + static_cast<Index>(t % static_cast<std::size_t>(K_)) * n + begin, nan);
        });
        return raw;
    }

    /// Raw scores after each iteration: calls visit(iteration, raw) for each.
    template <class M, class Visit>
    void staged_raw_scores(const M& X, Visit&& visit) const {
        const Index n = X.rows();
        const kestrel::detail::row_major_ref<T> rows = X;
        std::vector<double> raw = baseline_scores(n);
        const Index blocks = (n + block_rows - 1) / block_rows;
        for (int it = 0; it < n_iter_; ++it) {
            kestrel::detail::parallel_for(blocks, kestrel::detail::resolve_n_jobs(this->params_.n_jobs), [&](Index b) {
                const Index begin = b * block_rows, end = std::min(n, begin + block_rows);
                std::vector<const T*> pointers;
                std::vector<std::int32_t> leaves;
                row_pointers(rows, begin, end, pointers, leaves);
                const bool nan = tree::detail::rows_hold_nan(pointers.data(), end - begin, this->n_features_in_);
                for (Index k = 0; k < K_; ++k) {
                    add_tree(static_cast<std::size_t>(it * K_ + k), pointers, leaves, raw.data() + k * n + begin, nan);
                }
            });
            visit(it, raw);
        }
    }

    static constexpr Index block_rows = 2048;

    [[nodiscard]] std::vector<double> baseline_scores(Index n) const {
        std::vector<double> raw(static_cast<std::size_t>(n * K_));
        for (Index k = 0; k < K_; ++k) {
            std::fill(raw.begin() + k * n, raw.begin() + (k + 1) * n, baseline_[static_cast<std::size_t>(k)]);
        }
        return raw;
    }

    static void row_pointers(const kestrel::detail::row_major_ref<T>& rows, Index begin, Index end,
                             std::vector<const T*>& pointers, std::vector<std::int32_t>& leaves) {
        pointers.resize(static_cast<std::size_t>(end - begin));
        for (Index i = begin; i < end; ++i) pointers[static_cast<std::size_t>(i - begin)] = rows.row(i).data();
        leaves.resize(pointers.size());
    }

    /// Adds tree t's leaf values for the rows `pointers` to out[0..count); `nan`: some of those
    /// rows may hold NaN.
    void add_tree(std::size_t t, const std::vector<const T*>& pointers, std::vector<std::int32_t>& leaves,
                  double* out, bool nan) const {
        const hgb::tree_nodes& tree = trees_[t];
        const auto count = static_cast<Index>(pointers.size());
        if (!packed_[t].nodes.empty()) {
            tree::detail::leaves_of_rows(packed_[t], pointers.data(), count, leaves.data(), nan);
            const std::vector<double>& value = packed_[t].output;  // in packed node order
            for (Index i = 0; i < count; ++i) out[i] += value[static_cast<std::size_t>(leaves[static_cast<std::size_t>(i)])];
            return;
        }
        for (Index i = 0; i < count; ++i) {
            const T* x = pointers[static_cast<std::size_t>(i)];
            leaves[static_cast<std::size_t>(i)] = tree.leaf_raw([x](int f) { return x[f]; }, known_);
        }
        for (Index i = 0; i < count; ++i) out[i] += tree.value[static_cast<std::size_t>(leaves[static_cast<std::size_t>(i)])];
    }

    /// Packs the trees without categorical splits for prediction's branch-free walks.
    void pack() {
        packed_.clear();
        for (const hgb::tree_nodes& t : trees_) {
            packed_.emplace_back();
            if (std::find(t.categorical.begin(), t.categorical.end(), std::uint8_t{1}) != t.categorical.end()) continue;
            tree::Tree plain;
            const Index count = t.size();
            plain.node_count = count;
            plain.children_left.resize(count);
            plain.children_right.resize(count);
            plain.feature.resize(count);
            plain.threshold.resize(count);
            plain.missing_go_to_left.resize(count);
            plain.value.resize(count, 1);
            std::vector<Index> depth(static_cast<std::size_t>(count), 0);
            for (Index i = 0; i < count; ++i) {
                const auto s = static_cast<std::size_t>(i);
                const bool leaf = t.is_leaf[s] != 0;
                plain.children_left[i] = leaf ? -1 : t.left[s];
                plain.children_right[i] = leaf ? -1 : t.right[s];
                plain.feature[i] = leaf ? -2 : t.feature[s];
                plain.threshold[i] = leaf ? -2.0 : t.threshold[s];
                plain.missing_go_to_left[i] = leaf ? 0 : t.missing_left[s];
                plain.value(i, 0) = t.value[s];
                if (!leaf) {
                    depth[static_cast<std::size_t>(t.left[s])] = depth[s] + 1;
                    depth[static_cast<std::size_t>(t.right[s])] = depth[s] + 1;
                }
                plain.max_depth = std::max(plain.max_depth, depth[s]);
            }
            packed_.back() = tree::detail::packed_tree<T>(plain, false);
        }
        // Tree k of each iteration in one pool per k, when all of them are packed.
        const auto K = static_cast<std::size_t>(K_);
        row_pools_.assign(K, {});
        for (std::size_t k = 0; k < K; ++k) {
            bool all_packed = true;
            for (std::size_t t = k; t < packed_.size() && all_packed; t += K) all_packed = !packed_[t].nodes.empty();
            if (!all_packed) continue;
            std::vector<const tree::detail::packed_tree<T>*> trees;
            for (std::size_t t = k; t < packed_.size(); t += K) trees.push_back(&packed_[t]);
            row_pools_[k].assign(trees, 1);
        }
    }

    template <class M>
    void validate_predict(const M& X) const {
        kestrel::detail::check_fitted(this->is_fitted(), Derived::name);
        check_values(X);
        kestrel::detail::check_n_features(X.cols(), this->n_features_in_, Derived::name);
    }

    /// X may hold NaN, not infinity.
    template <class M>
    static void check_values(const M& X) {
        kestrel::detail::check_values_or_missing(X, Derived::name, true, "");
    }

    template <class Archive>
    void persist(Archive& a) {
        const Index d = a.n_features();
        a.value("n_iter_", n_iter_);
        a.require(n_iter_ >= 1 && n_iter_ <= this->params_.max_iter, "n_iter_ must be in [1, max_iter]");
        Index K = K_;
        a.value("n_trees_per_iteration_", K);
        a.require(K >= 1 && K <= 1000000, "n_trees_per_iteration_ must be >= 1");
        K_ = K;
        a.value("do_early_stopping_", early_stopping_);
        Eigen::VectorXd baseline = Eigen::Map<const Eigen::VectorXd>(baseline_.data(), static_cast<Index>(baseline_.size()));
        a.vector("baseline_prediction_", baseline, K);
        a.vector("train_score_", train_score_, -1);
        a.vector("validation_score_", validation_score_, -1);
        // Bins.
        int n_bins = this->params_.max_bins + 1;
        std::vector<int> categorical(mapper_.is_categorical.begin(), mapper_.is_categorical.end());
        a.integers("is_categorical_", categorical, d);
        std::vector<int> sizes;
        Eigen::VectorXd edges;
        if constexpr (!Archive::loading) {
            std::vector<double> all;
            for (const std::vector<double>& t : mapper_.thresholds) {
                sizes.push_back(static_cast<int>(t.size()));
                all.insert(all.end(), t.begin(), t.end());
            }
            edges = Eigen::Map<const Eigen::VectorXd>(all.data(), static_cast<Index>(all.size()));
        }
        a.integers("bin_thresholds_sizes_", sizes, d);
        a.vector("bin_thresholds_", edges, -1);
        a.integers("n_bins_non_missing_", mapper_.n_bins_non_missing, d);
        // Trees: every node array concatenated, tree after tree.
        std::vector<int> node_counts, feature, bin_threshold, missing_left, is_leaf, categorical_split, left, right,
            bitset, count, bitset_counts, bitset_words;
        Eigen::VectorXd value;
        if constexpr (!Archive::loading) {
            std::vector<double> values;
            for (const hgb::tree_nodes& t : trees_) {
                node_counts.push_back(t.size());
                values.insert(values.end(), t.value.begin(), t.value.end());
                feature.insert(feature.end(), t.feature.begin(), t.feature.end());
                bin_threshold.insert(bin_threshold.end(), t.bin_threshold.begin(), t.bin_threshold.end());
                missing_left.insert(missing_left.end(), t.missing_left.begin(), t.missing_left.end());
                is_leaf.insert(is_leaf.end(), t.is_leaf.begin(), t.is_leaf.end());
                categorical_split.insert(categorical_split.end(), t.categorical.begin(), t.categorical.end());
                left.insert(left.end(), t.left.begin(), t.left.end());
                right.insert(right.end(), t.right.begin(), t.right.end());
                bitset.insert(bitset.end(), t.bitset.begin(), t.bitset.end());
                count.insert(count.end(), t.count.begin(), t.count.end());
                bitset_counts.push_back(static_cast<int>(t.binned_bitsets.size()));
                for (const hgb::bitset256& b : t.binned_bitsets) {
                    for (std::uint32_t w : b) bitset_words.push_back(static_cast<int>(w));
                }
            }
            value = Eigen::Map<const Eigen::VectorXd>(values.data(), static_cast<Index>(values.size()));
        }
        const Index n_trees = static_cast<Index>(n_iter_) * K_;
        a.integers("predictors_/node_count", node_counts, n_trees);
        a.vector("predictors_/value", value, -1);
        a.integers("predictors_/feature_idx", feature, value.size());
        a.integers("predictors_/bin_threshold", bin_threshold, value.size());
        a.integers("predictors_/missing_go_to_left", missing_left, value.size());
        a.integers("predictors_/is_leaf", is_leaf, value.size());
        a.integers("predictors_/is_categorical", categorical_split, value.size());
        a.integers("predictors_/left", left, value.size());
        a.integers("predictors_/right", right, value.size());
        a.integers("predictors_/bitset_idx", bitset, value.size());
        a.integers("predictors_/count", count, value.size());
        a.integers("predictors_/bitset_count", bitset_counts, n_trees);
        a.integers("predictors_/binned_left_cat_bitsets", bitset_words, -1);
        if constexpr (Archive::loading) {
            a.require(n_bins >= 3 && n_bins <= 256, "max_bins must be in [2, 255]");
            hgb::bin_mapper m;
            m.n_bins = n_bins;
            m.is_categorical.assign(categorical.begin(), categorical.end());
            std::size_t at = 0;
            for (Index f = 0; f < d; ++f) {
                const int size = sizes[static_cast<std::size_t>(f)];
                a.require(size >= 0 && at + static_cast<std::size_t>(size) <= static_cast<std::size_t>(edges.size()),
                          "bin_thresholds_sizes_ must add up to bin_thresholds_'s length");
                std::vector<double> t(edges.data() + at, edges.data() + at + size);
                at += static_cast<std::size_t>(size);
                a.require(std::is_sorted(t.begin(), t.end()) && static_cast<int>(t.size()) < n_bins,
                          "each feature's bin thresholds must be sorted, fewer than max_bins + 1");
                const bool cat = categorical[static_cast<std::size_t>(f)] != 0;
                a.require(categorical[static_cast<std::size_t>(f)] == 0 || categorical[static_cast<std::size_t>(f)] == 1,
                          "is_categorical_ must hold 0 and 1");
                for (double c : t) a.require(!cat || (c >= 0 && c < 256 && c == std::floor(c)), "categories must be integers in [0, 255]");
                const int non_missing = mapper_.n_bins_non_missing[static_cast<std::size_t>(f)];
                a.require(non_missing == (cat ? size : size + 1), "n_bins_non_missing_ must match the thresholds");
                m.thresholds.push_back(std::move(t));
            }
            a.require(at == static_cast<std::size_t>(edges.size()), "bin_thresholds_sizes_ must add up to bin_thresholds_'s length");
            m.n_bins_non_missing = mapper_.n_bins_non_missing;
            std::vector<hgb::bitset256> known(static_cast<std::size_t>(d));
            for (Index f = 0; f < d; ++f) {
                if (!m.is_categorical[static_cast<std::size_t>(f)]) continue;
                for (double c : m.thresholds[static_cast<std::size_t>(f)]) hgb::set_bit(known[static_cast<std::size_t>(f)], static_cast<unsigned>(c));
            }
            trees_.clear();
            std::size_t node_at = 0, word_at = 0;
            for (Index t = 0; t < n_trees; ++t) {
                const int size = node_counts[static_cast<std::size_t>(t)];
                a.require(size >= 1 && node_at + static_cast<std::size_t>(size) <= static_cast<std::size_t>(value.size()),
                          "predictors_/node_count must add up to the node arrays' length");
                const int n_bitsets = bitset_counts[static_cast<std::size_t>(t)];
                a.require(n_bitsets >= 0 && word_at + 8 * static_cast<std::size_t>(n_bitsets) <= bitset_words.size(),
                          "predictors_/bitset_count must add up to the bitsets' length");
                hgb::tree_nodes tree;
                for (int b = 0; b < n_bitsets; ++b) {
                    hgb::bitset256 bits{};
                    for (std::size_t w = 0; w < 8; ++w) bits[w] = static_cast<std::uint32_t>(bitset_words[word_at++]);
                    tree.binned_bitsets.push_back(bits);
                }
                for (int j = 0; j < size; ++j) {
                    const std::size_t s = node_at + static_cast<std::size_t>(j);
                    const int node = tree.add();
                    const auto o = static_cast<std::size_t>(node);
                    tree.value[o] = value[static_cast<Index>(s)];
                    tree.is_leaf[o] = static_cast<std::uint8_t>(is_leaf[s] != 0);
                    tree.count[o] = count[s];
                    if (tree.is_leaf[o]) continue;
                    const int f = feature[s];
                    a.require(f >= 0 && f < d, "predictors_/feature_idx must name a feature");
                    a.require(left[s] > j && left[s] < size && right[s] > j && right[s] < size,
                              "predictors_/left and right must point to later nodes of the same tree");
                    tree.feature[o] = f;
                    tree.left[o] = left[s];
                    tree.right[o] = right[s];
                    tree.missing_left[o] = static_cast<std::uint8_t>(missing_left[s] != 0);
                    tree.categorical[o] = static_cast<std::uint8_t>(categorical_split[s] != 0);
                    const std::vector<double>& th = m.thresholds[static_cast<std::size_t>(f)];
                    if (tree.categorical[o]) {
                        a.require(m.is_categorical[static_cast<std::size_t>(f)] != 0, "a categorical split must be on a categorical feature");
                        a.require(bitset[s] >= 0 && bitset[s] < n_bitsets, "predictors_/bitset_idx must name a bitset of its tree");
                        tree.bitset[o] = bitset[s];
                    } else {
                        const int b = bin_threshold[s];
                        const int non_missing = m.n_bins_non_missing[static_cast<std::size_t>(f)];
                        a.require(b >= 0 && b < non_missing, "predictors_/bin_threshold must be a bin of its feature");
                        tree.bin_threshold[o] = b;
                        tree.threshold[o] = b == non_missing - 1 ? std::numeric_limits<double>::infinity()
                                                                 : th[static_cast<std::size_t>(b)];
                    }
                }
                tree.raw_bitsets.resize(tree.binned_bitsets.size());
                for (int j = 0; j < size; ++j) {
                    const auto o = static_cast<std::size_t>(j);
                    if (tree.is_leaf[o] || !tree.categorical[o]) continue;
                    const auto b = static_cast<std::size_t>(tree.bitset[o]);
                    tree.raw_bitsets[b] = hgb::raw_bitset(tree.binned_bitsets[b],
                                                          m.thresholds[static_cast<std::size_t>(tree.feature[o])]);
                }
                const auto node = [](Index j) { return static_cast<std::size_t>(j); };
                a.require(kestrel::tree::detail::one_parent_each(
                              size, [&](Index j) { return tree.is_leaf[node(j)] ? -1 : tree.left[node(j)]; },
                              [&](Index j) { return tree.right[node(j)]; }),
                          "predictors_: every node but the root must be the child of exactly one node");
                node_at += static_cast<std::size_t>(size);
                trees_.push_back(std::move(tree));
            }
            a.require(node_at == static_cast<std::size_t>(value.size()), "predictors_/node_count must add up to the node arrays' length");
            mapper_ = std::move(m);
            known_ = std::move(known);
            pack();
            baseline_.assign(baseline.data(), baseline.data() + baseline.size());
            loss_.kind = this->params_.loss;
            loss_.K = K_;
            train_scores_.assign(train_score_.data(), train_score_.data() + train_score_.size());
            validation_scores_.assign(validation_score_.data(), validation_score_.data() + validation_score_.size());
        }
    }

    [[nodiscard]] std::vector<std::uint8_t> categorical_mask(Index d) const {
        std::vector<std::uint8_t> out(static_cast<std::size_t>(d), 0);
        for (int f : this->params_.categorical_features) {
            if (f >= d) {
                throw invalid_parameter(std::string(Derived::name) + ": parameter categorical_features names feature " +
                                        std::to_string(f) + ", but X has " + std::to_string(d) + " features");
            }
            out[static_cast<std::size_t>(f)] = 1;
        }
        return out;
    }

    /// Each categorical feature's categories (its distinct non-missing values), checked.
    template <class M>
    [[nodiscard]] std::vector<hgb::bitset256> known_categories(const M& X, const std::vector<std::uint8_t>& categorical) const {
        const int max_bins = this->params_.max_bins;
        std::vector<hgb::bitset256> out(categorical.size());
        for (std::size_t f = 0; f < categorical.size(); ++f) {
            if (!categorical[f]) continue;
            for (Index i = 0; i < X.rows(); ++i) {
                const double v = static_cast<double>(X(i, static_cast<Index>(f)));
                if (v != v) continue;
                if (v >= 0 && v == std::floor(v) && v < max_bins) {
                    // Codes below max_bins: at most max_bins categories.
                    hgb::set_bit(out[f], static_cast<unsigned>(v));
                    continue;
                }
                // The message is made only for a bad value.
                std::string what(Derived::name);
                what += ": categorical feature ";
                what += std::to_string(f);
                what += " holds ";
                what += std::to_string(v);
                what += " (row ";
                what += std::to_string(i);
                what += "); ";
                if (v < 0) {
                    what += "categories must be integer codes >= 0 (NaN marks a missing value)";
                } else if (v != std::floor(v)) {
                    what += "categories must be integer codes";
                } else {
                    what += "categories must be encoded with values < max_bins = ";
                    what += std::to_string(max_bins);
                    what += " (re-encode them as 0, 1, ... or raise max_bins)";
                }
                throw invalid_input(what);
            }
        }
        return out;
    }

    /// Every process's categories of each categorical feature, in place of this process's.
    template <class Shards>
    static void merge_categories(std::vector<hgb::bitset256>& known, const std::vector<std::uint8_t>& categorical,
                                 const Shards& shards) {
        std::vector<double> seen;
        for (std::size_t f = 0; f < known.size(); ++f) {
            if (!categorical[f]) continue;
            for (unsigned c = 0; c < 256; ++c) seen.push_back(hgb::in_bitset(known[f], c) ? 1.0 : 0.0);
        }
        shards.sum(seen.data(), seen.size());
        const double* at = seen.data();
        for (std::size_t f = 0; f < known.size(); ++f) {
            if (!categorical[f]) continue;
            for (unsigned c = 0; c < 256; ++c, ++at) {
                if (*at > 0) hgb::set_bit(known[f], c);
            }
        }
    }

    [[nodiscard]] std::vector<signed char> monotonic_constraints(Index d, const std::vector<std::uint8_t>& categorical,
                                                                 Index K) const {
        const std::vector<int>& m = this->params_.monotonic_cst;
        if (m.empty()) return {};
        if (static_cast<Index>(m.size()) != d) {
            throw invalid_parameter(std::string(Derived::name) + ": parameter monotonic_cst holds " +
                                    std::to_string(m.size()) + " constraints; it needs one per feature (" +
                                    std::to_string(d) + ")");
        }
        bool any = false;
        for (std::size_t f = 0; f < m.size(); ++f) {
            if (m[f] != 0 && categorical[f]) {
                throw invalid_parameter(std::string(Derived::name) + ": feature " + std::to_string(f) +
                                        " is categorical and cannot have a monotonic constraint");
            }
            any = any || m[f] != 0;
        }
        if (any && K > 1) {
            throw invalid_parameter(std::string(Derived::name) +
                                    ": monotonic constraints are not supported for multiclass classification");
        }
        if (!any) return {};
        return std::vector<signed char>(m.begin(), m.end());
    }

    /// The groups of interaction_cst, each sorted, plus the features named by none as one more.
    [[nodiscard]] std::vector<std::vector<int>> interaction_constraints(Index d) const {
        const std::vector<std::vector<int>>& groups = this->params_.interaction_cst;
        if (groups.empty()) return {};
        std::vector<std::vector<int>> out;
        std::vector<char> listed(static_cast<std::size_t>(d), 0);
        for (const std::vector<int>& group : groups) {
            std::vector<int> g;
            for (int f : group) {
                if (f >= d) {
                    throw invalid_parameter(std::string(Derived::name) + ": parameter interaction_cst names feature " +
                                            std::to_string(f) + ", but X has " + std::to_string(d) +
                                            " features (indices in [0, " + std::to_string(d - 1) + "])");
                }
                g.push_back(f);
                listed[static_cast<std::size_t>(f)] = 1;
            }
            std::sort(g.begin(), g.end());
            g.erase(std::unique(g.begin(), g.end()), g.end());
            out.push_back(std::move(g));
        }
        std::vector<int> rest;
        for (Index f = 0; f < d; ++f) {
            if (!listed[static_cast<std::size_t>(f)]) rest.push_back(static_cast<int>(f));
        }
        if (!rest.empty()) out.push_back(std::move(rest));
        return out;
    }

    /// The validation rows (a share validation_fraction, rounded up; stratified by class for the
    /// classifier) and the training rows, each in their order.
    void split_rows(const std::vector<double>& y, Index n, Index K, std::vector<Index>& train,
                    std::vector<Index>& val) const {
        const double fraction = *this->params_.validation_fraction;
        const Index n_val = std::clamp<Index>(static_cast<Index>(std::ceil(fraction * static_cast<double>(n))), 1, n - 1);
        random_engine rng(this->params_.random_state);
        std::vector<char> in_val(static_cast<std::size_t>(n), 0);
        if constexpr (is_classifier) {
            const Index classes = std::max<Index>(K, 2);
            std::vector<std::vector<Index>> members(static_cast<std::size_t>(classes));
            for (Index i = 0; i < n; ++i) members[static_cast<std::size_t>(y[static_cast<std::size_t>(i)])].push_back(i);
            std::vector<Index> take(static_cast<std::size_t>(classes));
            std::vector<std::pair<double, Index>> remainder;
            Index taken = 0;
            for (Index k = 0; k < classes; ++k) {
                const double exact = static_cast<double>(n_val) * static_cast<double>(members[static_cast<std::size_t>(k)].size()) /
                                     static_cast<double>(n);
                take[static_cast<std::size_t>(k)] = static_cast<Index>(std::floor(exact));
                taken += take[static_cast<std::size_t>(k)];
                remainder.emplace_back(-(exact - std::floor(exact)), k);
            }
            std::sort(remainder.begin(), remainder.end());
            for (std::size_t r = 0; taken < n_val && r < remainder.size(); ++r, ++taken) ++take[static_cast<std::size_t>(remainder[r].second)];
            for (Index k = 0; k < classes; ++k) {
                std::vector<Index>& m = members[static_cast<std::size_t>(k)];
                const Index t = std::min<Index>(take[static_cast<std::size_t>(k)], static_cast<Index>(m.size()));
                for (Index j = 0; j < t; ++j) {
                    std::swap(m[static_cast<std::size_t>(j)], m[static_cast<std::size_t>(j + rng.index_below(static_cast<Index>(m.size()) - j))]);
                    in_val[static_cast<std::size_t>(m[static_cast<std::size_t>(j)])] = 1;
                }
            }
        } else {
            std::vector<Index> order(static_cast<std::size_t>(n));
            for (Index i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
            for (Index j = 0; j < n_val; ++j) {
                std::swap(order[static_cast<std::size_t>(j)], order[static_cast<std::size_t>(j + rng.index_below(n - j))]);
                in_val[static_cast<std::size_t>(order[static_cast<std::size_t>(j)])] = 1;
            }
        }
        for (Index i = 0; i < n; ++i) (in_val[static_cast<std::size_t>(i)] ? val : train).push_back(i);
    }

    /// The bin thresholds from the training rows (at most 200,000 of them, drawn without
    /// replacement beyond that, as scikit-learn's subsample). `rows` are this process's training
    /// rows, at positions [first, first + rows.size()) among the `total` training rows of every
    /// process; the draw is over all of them, and the values drawn are gathered from each.
    template <class M, class Shards>
    hgb::bin_mapper fit_bins(const M& X, const std::vector<Index>& rows, Index first, Index total,
                             const std::vector<std::uint8_t>& categorical, const std::vector<hgb::bitset256>& known,
                             int threads, const Shards& shards) const {
        const Index d = X.cols();
        std::vector<Index> used;
        constexpr Index subsample = 200000;
        if (total > subsample) {
            std::vector<Index> positions(static_cast<std::size_t>(total));
            for (Index j = 0; j < total; ++j) positions[static_cast<std::size_t>(j)] = j;
            random_engine rng = random_engine::for_stream(this->params_.random_state, 1);
            for (Index j = 0; j < subsample; ++j) {
                std::swap(positions[static_cast<std::size_t>(j)],
                          positions[static_cast<std::size_t>(j + rng.index_below(total - j))]);
            }
            // This process's drawn positions in increasing order: all drawn ones marked, then its
            // own, first … first + mine − 1 (a range of the training rows' positions), read back.
            std::vector<std::uint8_t> chosen(static_cast<std::size_t>(total), 0);
            for (Index j = 0; j < subsample; ++j) {
                chosen[static_cast<std::size_t>(positions[static_cast<std::size_t>(j)])] = 1;
            }
            const auto mine = static_cast<Index>(rows.size());
            for (Index at = first; at < first + mine; ++at) {
                if (chosen[static_cast<std::size_t>(at)] != 0) {
                    used.push_back(rows[static_cast<std::size_t>(at - first)]);
                }
            }
        } else {
            used = rows;
        }
        hgb::bin_mapper m;
        m.n_bins = this->params_.max_bins + 1;
        m.thresholds.resize(static_cast<std::size_t>(d));
        m.n_bins_non_missing.resize(static_cast<std::size_t>(d));
        m.is_categorical = categorical;
        // The used rows' values, column by column (read row by row).
        std::vector<T> columns;
        const kestrel::detail::row_major_ref<T> data = X;
        Index u = static_cast<Index>(used.size());
        if constexpr (Shards::spread) {  // every process's used rows, in order
            std::vector<T> mine;
            mine.reserve(static_cast<std::size_t>(u * d));
            for (Index i : used) {
                const T* row = data.row(i).data();
                mine.insert(mine.end(), row, row + d);
            }
            const std::vector<T> all = shards.gather(mine);
            u = static_cast<Index>(all.size()) / d;
            columns.resize(all.size());
            for (Index j = 0; j < u; ++j) {
                for (Index f = 0; f < d; ++f) columns[static_cast<std::size_t>(f * u + j)] = all[static_cast<std::size_t>(j * d + f)];
            }
        } else {
            columns.resize(static_cast<std::size_t>(u * d));
            // Scattered rows, read on every thread; each part writes its own entries of the columns.
            const kestrel::detail::partition parts(u, std::max<Index>(1, u / 8192));
            kestrel::detail::parallel_for(parts, threads, [&](Index, Index begin, Index end) {
                for (Index j = begin; j < end; ++j) {
                    const T* row = data.row(used[static_cast<std::size_t>(j)]).data();
                    for (Index f = 0; f < d; ++f) columns[static_cast<std::size_t>(f * u + j)] = row[f];
                }
            });
        }
        kestrel::detail::parallel_for(d, threads, [&](Index f) {
            const auto fs = static_cast<std::size_t>(f);
            if (categorical[fs]) {
                std::vector<double> cats;
                for (unsigned c = 0; c < 256; ++c) {
                    if (hgb::in_bitset(known[fs], c)) cats.push_back(static_cast<double>(c));
                }
                m.n_bins_non_missing[fs] = static_cast<int>(cats.size());
                m.thresholds[fs] = std::move(cats);
                return;
            }
            std::vector<T> present;
            present.reserve(static_cast<std::size_t>(u));
            for (Index j = 0; j < u; ++j) {
                const T v = columns[static_cast<std::size_t>(f * u + j)];
                if (v == v) present.push_back(v);
            }
            std::vector<std::int32_t> order(present.size(), 0);
            if (!present.empty()) tree::detail::radix_sort(present, order);
            std::vector<double> values(present.begin(), present.end());
            m.thresholds[fs] = hgb::numeric_thresholds(values, this->params_.max_bins);
            m.n_bins_non_missing[fs] = static_cast<int>(m.thresholds[fs].size()) + 1;
        });
        return m;
    }

    /// The bins of the given rows of X, column-major.
    template <class M>
    static std::vector<std::uint8_t> transform(const hgb::bin_mapper& m, const M& X, const std::vector<Index>& rows,
                                               int threads) {
        const Index n = static_cast<Index>(rows.size()), d = X.cols();
        std::vector<std::uint8_t> out(static_cast<std::size_t>(n * d));
        const kestrel::detail::row_major_ref<T> data = X;  // rows read in order
        const auto missing = static_cast<std::uint8_t>(m.missing_bin());
        const kestrel::detail::partition parts(n, std::max<Index>(1, n / 8192));
        if constexpr (std::is_same_v<T, float> && hgb::float_thresholds::vectorised) {
            // Float data on AVX-512: each value's bin in two comparisons of sixteen lanes.
            std::vector<hgb::float_thresholds> edges;
            for (Index f = 0; f < d; ++f) edges.emplace_back(m.thresholds[static_cast<std::size_t>(f)]);
            kestrel::detail::parallel_for(parts, threads, [&](Index, Index begin, Index end) {
                // Pointers and sizes in the task's own locals: otherwise the compiler reads them
                // again, from the vectors or through the task's references, after each byte stored.
                std::uint8_t* const codes = out.data();
                const hgb::float_thresholds* const feature = edges.data();
                const Index stride = n, features = d;
                for (Index i = begin; i < end; ++i) {
                    const T* row = data.row(rows[static_cast<std::size_t>(i)]).data();
                    std::uint8_t* o = codes + i;
                    for (Index f = 0; f < features; ++f, o += stride) {
                        const float x = row[f];
                        *o = x != x ? missing : static_cast<std::uint8_t>(feature[f].bin(x));
                    }
                }
            });
            return out;
        }
        std::vector<hgb::padded_thresholds> edges;
        for (Index f = 0; f < d; ++f) edges.emplace_back(m.thresholds[static_cast<std::size_t>(f)]);
        kestrel::detail::parallel_for(parts, threads, [&](Index, Index begin, Index end) {
            Index i = begin;
            for (; i + 8 <= end; i += 8) {  // eight rows at a time, each feature's eight searches side by side
                const T* row[8];
                for (int j = 0; j < 8; ++j) row[j] = data.row(rows[static_cast<std::size_t>(i + j)]).data();
                for (Index f = 0; f < d; ++f) {
                    double x[8];
                    bool any_missing = false;
                    for (int j = 0; j < 8; ++j) {
                        x[j] = static_cast<double>(row[j][f]);
                        any_missing = any_missing || x[j] != x[j];
                    }
                    std::uint8_t* o = out.data() + f * n + i;
                    if (any_missing) {
                        for (int j = 0; j < 8; ++j) {
                            o[j] = x[j] != x[j] ? missing : static_cast<std::uint8_t>(edges[static_cast<std::size_t>(f)].bin(x[j]));
                        }
                    } else {
                        unsigned b[8];
                        edges[static_cast<std::size_t>(f)].bins8(x, b);
                        for (int j = 0; j < 8; ++j) o[j] = static_cast<std::uint8_t>(b[j]);
                    }
                }
            }
            for (; i < end; ++i) {
                const T* row = data.row(rows[static_cast<std::size_t>(i)]).data();
                for (Index f = 0; f < d; ++f) {
                    const auto x = static_cast<double>(row[f]);
                    out[static_cast<std::size_t>(f * n + i)] =
                        x != x ? missing : static_cast<std::uint8_t>(edges[static_cast<std::size_t>(f)].bin(x));
                }
            }
        });
        return out;
    }

    /// Raw scores of binned rows from the fitted trees (the baseline when there are none).
    std::vector<double> binned_raw(const std::vector<std::uint8_t>& bins, Index n) const {
        std::vector<double> raw(static_cast<std::size_t>(n * K_));
        for (Index k = 0; k < K_; ++k) {
            std::fill(raw.begin() + k * n, raw.begin() + (k + 1) * n, baseline_[static_cast<std::size_t>(k)]);
        }
        const hgb::binned_matrix X{bins.data(), n, this->n_features_in_};
        for (int it = 0; it < n_iter_; ++it) add_binned(X, it, raw, kestrel::detail::resolve_n_jobs(this->params_.n_jobs));
        return raw;
    }

    /// Adds iteration `it`'s trees to the raw scores of binned rows.
    void add_binned(const hgb::binned_matrix& X, int it, std::vector<double>& raw, int threads) const {
        const Index n = X.n;
        const int missing = mapper_.missing_bin();
        const kestrel::detail::partition parts(n, std::max<Index>(1, n / 4096));
        kestrel::detail::parallel_for(parts, threads, [&](Index, Index begin, Index end) {
            for (Index k = 0; k < K_; ++k) {
                const hgb::tree_nodes& t = trees_[static_cast<std::size_t>(it * K_ + k)];
                for (Index i = begin; i < end; ++i) {
                    const auto b = [&](int f) { return static_cast<unsigned>(X.bins[f * n + i]); };
                    raw[static_cast<std::size_t>(k * n + i)] += t.value[static_cast<std::size_t>(t.leaf_binned(b, missing))];
                }
            }
        });
    }

    /// scikit-learn's _should_stop: none of the last n_iter_no_change scores beats the one
    /// before them by more than tol.
    [[nodiscard]] bool should_stop(const std::vector<double>& scores) const {
        const auto reference_position = static_cast<std::size_t>(this->params_.n_iter_no_change) + 1;
        if (scores.size() < reference_position) return false;
        const double reference = scores[scores.size() - reference_position] + this->params_.tol;
        for (std::size_t i = scores.size() - reference_position + 1; i < scores.size(); ++i) {
            if (scores[i] > reference) return false;
        }
        return true;
    }

    hgb::bin_mapper mapper_;
    std::vector<hgb::bitset256> known_;
    std::vector<double> baseline_;
    std::vector<hgb::tree_nodes> trees_;  ///< iteration-major: tree k of iteration i at i·K + k
    std::vector<tree::detail::packed_tree<T>> packed_;  ///< trees_ packed (empty: a tree with categorical splits)
    /// Per k, the one-row walks of tree k of each iteration (empty unless all of them are packed)
    std::vector<tree::detail::packed_forest<T>> row_pools_;
    Index K_ = 0;
    int n_iter_ = 0;
    bool early_stopping_ = false;
    hgb::loss_function loss_;
    std::vector<double> train_scores_, validation_scores_;
    Eigen::VectorXd train_score_, validation_score_;
};

}  // namespace kestrel::ensemble::detail
