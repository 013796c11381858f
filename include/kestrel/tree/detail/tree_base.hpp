#pragma once
/// \file
/// What the four trees share (DecisionTreeClassifier / Regressor, ExtraTreeClassifier /
/// Regressor): checking and resolving the parameters against the data, growing, pruning, and the
/// methods that walk the fitted tree.

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstdint>
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
#include "../../core/random.hpp"
#include "../../core/types.hpp"
#include "../../core/weights.hpp"
#include "../options.hpp"
#include "../structure.hpp"
#include "criteria.hpp"
#include "exact.hpp"
#include "grow.hpp"
#include "histogram.hpp"
#include "walk.hpp"

namespace kestrel::tree::detail {

struct forest_access;  // kestrel::ensemble's forests fit their trees through it

template <class P>
concept classifier_params = requires(const P& p) {
    p.class_weight;
};

/// p.monotonic_cst checked against d features and k classes (0: a regressor): one constraint a
/// feature, two classes at most (invalid_parameter), as scikit-learn 1.4 checks any
/// monotonic_cst that is not None, all zeros included; empty when no feature is constrained.
template <class P>
std::vector<signed char> monotonic_settings(const P& p, Index d, Index k, std::string_view name) {
    const std::vector<int>& m = p.monotonic_cst;
    if (m.empty()) return {};
    if (static_cast<Index>(m.size()) != d) {
        throw invalid_parameter(std::string(name) + ": parameter monotonic_cst holds " + std::to_string(m.size()) +
                                " constraints; it needs one per feature (" + std::to_string(d) + ")");
    }
    if (k > 2) {
        throw invalid_parameter(std::string(name) +
                                ": monotonic constraints are not supported for multiclass classification");
    }
    if (std::all_of(m.begin(), m.end(), [](int c) { return c == 0; })) return {};
    return std::vector<signed char>(m.begin(), m.end());
}

/// Whether p sets monotonic_cst (then X may not hold NaN, as in scikit-learn 1.4, which refuses
/// it whenever monotonic_cst is not None).
template <class P>
bool sets_monotonic(const P& p) {
    return !p.monotonic_cst.empty();
}

/// The structure rules of `p` resolved for n training rows of d features and total weight W
/// (scikit-learn's BaseDecisionTree.fit), for k classes (0: a regressor).
template <class P>
grow_settings resolve_settings(const P& p, Index n, Index d, double total_weight, std::string_view name, Index k) {
    grow_settings s;
    s.criterion = p.criterion == Criterion::log_loss ? Criterion::entropy : p.criterion;
    s.splitter = p.splitter;
    if (p.max_depth) s.max_depth = *p.max_depth;
    s.min_samples_leaf = p.min_samples_leaf.count(n, 1);
    s.min_samples_split = std::max(p.min_samples_split.count(n, 2), 2 * s.min_samples_leaf);
    s.min_weight_leaf = p.min_weight_fraction_leaf * total_weight;
    s.max_features = p.max_features ? p.max_features->resolve(d) : d;
    if (s.max_features < 1 || s.max_features > d) {
        throw invalid_parameter(std::string(name) + ": parameter max_features = " + std::to_string(s.max_features) +
                                " is invalid: it must be in [1, n_features = " + std::to_string(d) + "]");
    }
    if (p.max_leaf_nodes) s.max_leaf_nodes = *p.max_leaf_nodes;
    s.min_impurity_decrease = p.min_impurity_decrease;
    s.monotonic = monotonic_settings(p, d, k, name);
    return s;
}

/// What trees grow from: the features presorted (exact splits) or binned (histogram splits).
template <class T>
struct training_data {
    std::optional<presorted<T>> sorted;
    std::optional<binned> bins;

    /// Prepares X for trees of `max_bins` (0: exact).
    template <class M>
    training_data(const M& X, int max_bins, int n_jobs) {
        if (max_bins == 0) {
            sorted.emplace(X, n_jobs);
        } else {
            bins.emplace(X, max_bins, n_jobs);
        }
    }
};

/// Grows one tree on the rows of positive weight, then prunes it when ccp_alpha > 0.
template <class T>
Tree grow_tree(const training_data<T>& data, const targets& target, const std::vector<double>& weight,
               const grow_settings& settings, double ccp_alpha, random_engine& rng) {
    Tree t;
    if (data.sorted) {
        t = exact_grower<T>(*data.sorted, target, weight, settings, rng).grow();
    } else {
        t = histogram_grower(*data.bins, target, weight, settings, rng).grow();
    }
    if (ccp_alpha > 0) t = pruned_copy(t, prune(t, ccp_alpha, nullptr));
    return t;
}

/// Checks X for a tree's or forest's fit or predict: samples, features, no infinity, and NaN
/// (a missing value) only when `nan_ok`. `what` says where NaN is supported.
template <class M>
void check_matrix(const M& X, std::string_view name, bool nan_ok, std::string_view what) {
    kestrel::detail::check_values_or_missing(X, name, nan_ok, what);
}

/// What a tree's fit needs for missing values.
inline constexpr std::string_view missing_values_rule =
    "by the best splitter with exact splits (max_bins = 0) and a criterion other than absolute_error";

/// The checks of every method that reads a fitted tree or forest: fitted, X as wide as in fit,
/// no infinity, NaN only when the estimator takes missing values.
template <class M>
void check_predict(const M& X, bool fitted, Index n_features_in, std::string_view name, bool nan_ok) {
    kestrel::detail::check_fitted(fitted, name);
    check_matrix(X, name, nan_ok, "by the best splitter, not by the Extra-Trees' random thresholds");
    kestrel::detail::check_n_features(X.cols(), n_features_in, name);
}

/// Throws invalid_input when the weights sum to 0 (class weights can zero every row).
inline void check_total_weight(const std::vector<double>& weight, std::string_view name) {
    double total = 0;
    for (double w : weight) total += w;
    if (!(total > 0)) {
        throw invalid_input(std::string(name) +
                            ": every sample weighs 0 once class_weight is applied; no tree can be grown");
    }
}

/// The checks every tree's and forest's fit starts with: the criterion's family, the Params, X
/// (NaN only when `nan_ok`; `nan_rule` says where it is supported), y's length and values; returns
/// the checked sample weights.
template <class T, class P, class M, class Y, class W>
sample_weights<T> check_fit(const P& p, bool classifier, std::string_view name, const M& X, const Y& y,
                            const W& sample_weight, bool nan_ok, std::string_view nan_rule) {
    if (classifier) {
        require_param(is_classification(p.criterion), name, "criterion", enum_name(p.criterion),
                      "must be gini, entropy or log_loss");
    } else {
        require_param(!is_classification(p.criterion), name, "criterion", enum_name(p.criterion),
                      "must be squared_error, friedman_mse, absolute_error or poisson");
    }
    p.validate();
    if (nan_ok && sets_monotonic(p)) {
        check_matrix(X, name, false, "without monotonic constraints (monotonic_cst)");
    } else {
        check_matrix(X, name, nan_ok, nan_rule);
    }
    kestrel::detail::check_same_length(X.rows(), y.rows(), name, "y");
    if constexpr (std::floating_point<typename Y::Scalar>) kestrel::detail::check_finite(y, name, "y");
    return kestrel::detail::checked_sample_weights<T>(sample_weight, X.rows(), name);
}

/// A fit's targets and each row's weight (its sample weight times its class weight), and whether
/// any weight differs from 1 (min_weight_fraction_leaf then counts weights, not rows).
struct fit_target {
    targets target;
    std::vector<double> weight;
    bool weighted = false;
};

/// Class codes of y in `classes` (sorted, distinct) with class_weight applied. Throws
/// invalid_input when every row weighs 0.
template <class T, class L>
fit_target classification_target(const L& y, const Labels& classes, const ClassWeight& class_weight,
                                 const sample_weights<T>& sw, std::string_view name) {
    fit_target out;
    const Eigen::VectorXi codes = kestrel::detail::encode_labels(y, classes);
    const Eigen::VectorXd per_class = class_weight.weights(classes, codes, name);
    out.target.n_classes = classes.size();
    out.target.codes.assign(codes.data(), codes.data() + codes.size());
    out.weight.resize(static_cast<std::size_t>(y.size()));
    for (Index i = 0; i < y.size(); ++i) {
        out.weight[static_cast<std::size_t>(i)] = static_cast<double>(sw[i]) * per_class[codes[i]];
    }
    out.weighted = !sw.uniform() || !class_weight.is_none();
    check_total_weight(out.weight, name);
    return out;
}

/// Real targets; with criterion poisson, y must be ≥ 0 with a positive sum (invalid_input).
template <class T, class V>
fit_target regression_target(const V& y, Criterion criterion, const sample_weights<T>& sw, std::string_view name) {
    fit_target out;
    out.target.y.resize(static_cast<std::size_t>(y.size()));
    out.weight.resize(static_cast<std::size_t>(y.size()));
    double total = 0;
    for (Index i = 0; i < y.size(); ++i) {
        const double v = static_cast<double>(y[i]);
        out.target.y[static_cast<std::size_t>(i)] = v;
        out.weight[static_cast<std::size_t>(i)] = static_cast<double>(sw[i]);
        total += v;
        if (criterion == Criterion::poisson && v < 0) {
            throw invalid_input(std::string(name) + ": y has negative values, which criterion poisson does not allow");
        }
    }
    if (criterion == Criterion::poisson && !(total > 0)) {
        throw invalid_input(std::string(name) + ": the sum of y is not positive, which criterion poisson needs");
    }
    out.weighted = !sw.uniform();
    return out;
}

/// The rows of X as pointers to T (no copy for a row-major matrix).
template <class T>
using rows_of = kestrel::detail::row_major_ref<T>;

/// Runs body(begin, end) over blocks of `block` rows, in parallel when there are several.
template <class Body>
void for_row_blocks(Index n, Index block, Body&& body) {
    const Index n_blocks = (n + block - 1) / block;
    kestrel::detail::parallel_for(n_blocks, n_blocks > 1 ? kestrel::detail::resolve_n_jobs(0) : 1,
                                  [&](Index b) { body(b * block, std::min(n, (b + 1) * block)); });
}

/// Runs body(i) for every row i, in parallel over blocks of rows when there are many.
template <class Body>
void for_rows(Index n, Body&& body) {
    for_row_blocks(n, 4096, [&](Index begin, Index end) {
        for (Index i = begin; i < end; ++i) body(i);
    });
}

/// Pointers to rows [begin, end) of a row-major matrix.
template <class T, class Rows>
void row_pointers(const Rows& rows, Index begin, Index end, std::vector<const T*>& out) {
    out.resize(static_cast<std::size_t>(end - begin));
    for (Index i = begin; i < end; ++i) out[static_cast<std::size_t>(i - begin)] = rows.row(i).data();
}

/// The base of the four trees; P's fields decide classifier (class_weight) or regressor.
template <class Derived, std::floating_point T, class P>
class tree_base : public estimator_base<Derived, T, P> {
    using base = estimator_base<Derived, T, P>;

public:
    /// Whether the tree classifies (its Params have class_weight), rather than regresses.
    static constexpr bool is_classifier = classifier_params<P>;
    /// Whether X may hold NaN (a missing value): at fit with the default splitter, best (not for
    /// the Extra-Trees), and then at every method that reads the fitted tree.
    static constexpr bool allow_nan = P{}.splitter == Splitter::best;
    using base::base;
    using base::fit;

    /// Fits on samples X and class labels y (any integers, at least two distinct), with
    /// per-sample weights (samples of weight 0 are left out of the tree).
    template <matrix_of<T> M, label_vector L, vector_of<T> W>
    requires(is_classifier) Derived& fit(const M& X, const L& y, const W& sample_weight) {
        const sample_weights<T> sw = start_fit(X, y, sample_weight);
        classes_ = kestrel::detail::unique_labels(y, Derived::name);
        return finish_fit(X, classification_target(y, classes_, this->params_.class_weight, sw, Derived::name));
    }

    /// Fits on samples X and real targets y, with per-sample weights (samples of weight 0 are
    /// left out of the tree).
    template <matrix_of<T> M, vector_of<T> V, vector_of<T> W>
    requires(!is_classifier) Derived& fit(const M& X, const V& y, const W& sample_weight) {
        const sample_weights<T> sw = start_fit(X, y, sample_weight);
        return finish_fit(X, regression_target(y, this->params_.criterion, sw, Derived::name));
    }

    /// The class of each sample: the class of largest weighted count in its leaf (the first on
    /// ties).
    template <matrix_of<T> M>
    requires(is_classifier) [[nodiscard]] Labels predict(const M& X) const {
        const Eigen::VectorXi leaves = apply(X);
        Labels out(leaves.size());
        for (Index i = 0; i < leaves.size(); ++i) {
            Index best = 0;
            tree_.value.row(leaves[i]).maxCoeff(&best);
            out[i] = classes_[best];
        }
        return out;
    }

    /// The value of each sample's leaf: the mean (the weighted median for absolute_error).
    template <matrix_of<T> M>
    requires(!is_classifier) [[nodiscard]] Vector<T> predict(const M& X) const {
        const Eigen::VectorXi leaves = apply(X);
        Vector<T> out(leaves.size());
        for (Index i = 0; i < leaves.size(); ++i) out[i] = static_cast<T>(tree_.value(leaves[i], 0));
        return out;
    }

    /// The class shares of each sample's leaf (n × n_classes, columns in the order of classes()).
    template <matrix_of<T> M>
    requires(is_classifier) [[nodiscard]] Matrix<T> predict_proba(const M& X) const {
        const Eigen::VectorXi leaves = packed_leaves(X);
        const Index k = classes_.size();
        Matrix<T> out(leaves.size(), k);
        for (Index i = 0; i < leaves.size(); ++i) {
            const double* shares = packed_.out(leaves[i]);
            for (Index c = 0; c < k; ++c) out(i, c) = static_cast<T>(shares[c]);
        }
        return out;
    }

    /// The logarithm of predict_proba (−inf where a class is absent from the leaf).
    template <matrix_of<T> M>
    requires(is_classifier) [[nodiscard]] Matrix<T> predict_log_proba(const M& X) const {
        return kestrel::detail::log_of_entries(predict_proba(X));
    }

    /// The leaf each sample ends in (scikit-learn's `apply`).
    template <matrix_of<T> M>
    [[nodiscard]] Eigen::VectorXi apply(const M& X) const {
        Eigen::VectorXi out = packed_leaves(X);
        for (Index i = 0; i < out.size(); ++i) out[i] = packed_.original[static_cast<std::size_t>(out[i])];
        return out;
    }

    /// The nodes each sample passes through, root first, as a CSR indicator matrix.
    template <matrix_of<T> M>
    [[nodiscard]] DecisionPath decision_path(const M& X) const {
        this->validate_predict(X);
        const rows_of<T> rows = X;
        DecisionPath out;
        out.indptr.resize(rows.rows() + 1);
        out.indptr[0] = 0;
        std::vector<int> nodes;
        for (Index i = 0; i < rows.rows(); ++i) {
            const T* x = rows.row(i).data();
            Index node = 0;
            nodes.push_back(0);
            while (tree_.children_left[node] >= 0) {
                node = tree_.goes_left(node, static_cast<double>(x[tree_.feature[node]])) ? tree_.children_left[node]
                                                                                          : tree_.children_right[node];
                nodes.push_back(static_cast<int>(node));
            }
            out.indptr[i + 1] = static_cast<int>(nodes.size());
        }
        out.indices = Eigen::Map<const Eigen::VectorXi>(nodes.data(), static_cast<Index>(nodes.size()));
        return out;
    }

    /// The pruning path of the tree these parameters grow on (X, y) without pruning: the
    /// effective alphas at which minimal cost-complexity pruning removes each subtree, and the
    /// total leaf impurity after each step.
    template <matrix_of<T> M, class Y, vector_of<T> W = Vector<T>>
    [[nodiscard]] PruningPath cost_complexity_pruning_path(const M& X, const Y& y, const W& sample_weight = W()) const {
        Derived unpruned(this->params_);
        P params = this->params_;
        params.ccp_alpha = 0;
        unpruned.set_params(params);
        unpruned.fit(X, y, sample_weight);
        PruningPath path;
        prune(unpruned.tree(), 0.0, &path);
        return path;
    }

    /// The fitted tree's node arrays (scikit-learn's `tree_`).
    [[nodiscard]] const Tree& tree() const { return this->fitted(tree_); }
    /// Each feature's share of the total impurity decrease (sums to 1 unless the tree is a leaf).
    [[nodiscard]] const Eigen::VectorXd& feature_importances() const { return this->fitted(importances_); }
    /// The depth of the deepest leaf.
    [[nodiscard]] Index get_depth() const { return this->fitted(tree_).max_depth; }
    /// The number of leaves.
    [[nodiscard]] Index get_n_leaves() const { return this->fitted(tree_).n_leaves(); }
    /// The class labels, sorted.
    [[nodiscard]] const Labels& classes() const requires is_classifier { return this->fitted(classes_); }

protected:
    /// The leaf each sample ends in, in packed_'s numbering.
    template <class M>
    [[nodiscard]] Eigen::VectorXi packed_leaves(const M& X) const {
        this->validate_predict(X);
        const rows_of<T> rows = X;
        Eigen::VectorXi out(rows.rows());
        for_row_blocks(rows.rows(), 4096, [&](Index begin, Index end) {
            std::vector<const T*> pointers;
            row_pointers<T>(rows, begin, end, pointers);
            leaves_of_rows(packed_, pointers.data(), end - begin, out.data() + begin,
                           rows_hold_nan(pointers.data(), end - begin, packed_.features));
        });
        return out;
    }

    friend struct kestrel::detail::persistence_access;
    friend struct detail::forest_access;
    friend struct kestrel::detail::one_row_access;

    // One row x (kestrel::one_row_methods): predict's and predict_proba's arithmetic on it.
    [[nodiscard]] auto predict_row(const T* x) const noexcept {
        const std::int32_t leaf = packed_.original[static_cast<std::size_t>(packed_.leaf(x))];
        if constexpr (is_classifier) {
            Index best = 0;
            tree_.value.row(leaf).maxCoeff(&best);
            return classes_[best];
        } else {
            return static_cast<T>(tree_.value(leaf, 0));
        }
    }
    void proba_row(const T* x, T* out) const noexcept requires(is_classifier) {
        const double* shares = packed_.out(packed_.leaf(x));
        for (Index c = 0; c < classes_.size(); ++c) out[c] = static_cast<T>(shares[c]);
    }

    template <class M, class Y, class W>
    sample_weights<T> start_fit(const M& X, const Y& y, const W& sample_weight) {
        this->n_features_in_ = 0;
        const P& p = this->params_;
        return check_fit<T>(p, is_classifier, Derived::name, X, y, sample_weight,
                            p.splitter == Splitter::best && p.max_bins == 0 && p.criterion != Criterion::absolute_error,
                            missing_values_rule);
    }

    template <class M>
    void validate_predict(const M& X) const {
        check_predict(X, this->is_fitted(), this->n_features_in_, Derived::name, allow_nan);
    }

    template <class M>
    Derived& finish_fit(const M& X, const fit_target& fit) {
        const P& p = this->params_;
        const Index n = X.rows(), d = X.cols();
        double total = 0;
        for (double w : fit.weight) total += w;
        const grow_settings settings =
            resolve_settings(p, n, d, fit.weighted ? total : static_cast<double>(n), Derived::name,
                             fit.target.classification() ? fit.target.n_classes : 0);
        const training_data<T> data(X, p.max_bins, kestrel::detail::resolve_n_jobs(0));
        random_engine rng(p.random_state);
        tree_ = grow_tree(data, fit.target, fit.weight, settings, p.ccp_alpha, rng);
        importances_ = detail::feature_importances(tree_, d);
        packed_ = packed_tree<T>(tree_, is_classifier);
        this->n_features_in_ = d;
        return this->derived();
    }

    template <class Archive>
    void persist(Archive& a) {
        if constexpr (is_classifier) {
            a.labels("classes_", classes_);
            a.require(classes_.size() >= 2, "classes_ must hold at least two classes");
        }
        std::vector<Tree> trees;
        if constexpr (!Archive::loading) trees.push_back(tree_);
        persist_trees(a, "tree_/", trees, is_classifier ? classes_.size() : 1, a.n_features());
        if constexpr (Archive::loading) {
            a.require(trees.size() == 1, "tree_/node_count must hold one tree");
            tree_ = std::move(trees.front());
            importances_ = detail::feature_importances(tree_, a.n_features());
            packed_ = packed_tree<T>(tree_, is_classifier);
        }
    }

    /// Installs a tree grown elsewhere (a forest's).
    void adopt(Tree t, Labels classes, Index n_features) {
        tree_ = std::move(t);
        classes_ = std::move(classes);
        importances_ = detail::feature_importances(tree_, n_features);
        packed_ = packed_tree<T>(tree_, is_classifier);
        this->n_features_in_ = n_features;
    }

    Tree tree_;
    Labels classes_;
    Eigen::VectorXd importances_;
    packed_tree<T> packed_;  // tree_ packed for prediction's walks
};

}  // namespace kestrel::tree::detail
