#pragma once
/// \file
/// RandomForestClassifier (shared machinery: detail/forest_base.hpp).

#include <concepts>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "../core/detail/estimator_base.hpp"
#include "../core/params.hpp"
#include "../core/random.hpp"
#include "../core/weights.hpp"
#include "../tree/decision_tree_classifier.hpp"
#include "../tree/options.hpp"
#include "detail/forest_base.hpp"

namespace kestrel::ensemble {

/// RandomForestClassifier's hyperparameters, in scikit-learn 1.2's order with 1.4's monotonic_cst; kestrel adds
/// max_bins.
struct RandomForestClassifierParams {
    /// The estimator's name, as scikit-learn spells it: in messages, printing and model files.
    static constexpr std::string_view name = "RandomForestClassifier";
    int n_estimators = 100;                             ///< trees, ≥ 1
    tree::Criterion criterion = tree::Criterion::gini;  ///< the impurity splits lower
    std::optional<int> max_depth{};                     ///< deepest leaf allowed; empty: no limit
    tree::Size min_samples_split = 2;                   ///< fewest samples a node needs to be split
    tree::Size min_samples_leaf = 1;                    ///< fewest samples a leaf may hold
    double min_weight_fraction_leaf = 0.0;              ///< least share of the total weight in a leaf
    std::optional<tree::MaxFeatures> max_features =
        tree::MaxFeatures::sqrt;                        ///< features examined per split; empty: all
    std::optional<int> max_leaf_nodes{};                ///< grow each tree best-first to this many leaves
    double min_impurity_decrease = 0.0;                 ///< least weighted impurity decrease of a split
    bool bootstrap = true;                              ///< grow each tree on a bootstrap sample
    bool oob_score = false;                             ///< estimate the score on out-of-bag samples
    int n_jobs = 0;                                     ///< threads growing trees; 0 = all cores
    std::uint64_t random_state = default_random_state;  ///< seeds every tree's draws
    bool warm_start = false;                            ///< fit adds trees to the fitted ones
    ClassWeight class_weight = ClassWeight::none;       ///< multiplies the sample weights per class
    double ccp_alpha = 0.0;                             ///< each tree's cost-complexity pruning α
    std::optional<tree::Size> max_samples{};            ///< bootstrap sample size; empty: n
    std::vector<int> monotonic_cst{};  ///< per feature −1, 0, 1: class 1's share falls / free / rises with it
    int max_bins = 0;  ///< 0: exact splits on sorted values; 2..256: splits on bin edges of this many bins
    friend bool operator==(const RandomForestClassifierParams&, const RandomForestClassifierParams&) = default;
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static void fields(Self& p, F&& field) {
        field("n_estimators", p.n_estimators);
        field("criterion", p.criterion);
        field("max_depth", p.max_depth);
        tree::Size::field("min_samples_split", p.min_samples_split, field);
        tree::Size::field("min_samples_leaf", p.min_samples_leaf, field);
        field("min_weight_fraction_leaf", p.min_weight_fraction_leaf);
        tree::MaxFeatures::field("max_features", p.max_features, field);
        field("max_leaf_nodes", p.max_leaf_nodes);
        field("min_impurity_decrease", p.min_impurity_decrease);
        field("bootstrap", p.bootstrap);
        field("oob_score", p.oob_score);
        field("n_jobs", p.n_jobs);
        field("random_state", p.random_state);
        field("warm_start", p.warm_start);
        field("class_weight", p.class_weight);
        field("ccp_alpha", p.ccp_alpha);
        tree::Size::optional_field("max_samples", p.max_samples, field);
        field("monotonic_cst", p.monotonic_cst);
        field("max_bins", p.max_bins);
    }
    /// Throws invalid_parameter naming the first field out of its range; constexpr, so a constant
    /// Params with a bad value does not compile.
    constexpr void validate() const { detail::validate_forest(*this, name); }
};

/// A random forest classifier (Breiman, 2001), as scikit-learn 1.2's `RandomForestClassifier`:
/// n_estimators decision trees, each grown on a bootstrap sample of the rows (without
/// bootstrap: on all of them) examining max_features features drawn at random per split;
/// predict_proba is the mean of the trees' class shares, predict its largest class. The trees
/// grow in parallel on n_jobs threads from one presorting of the data; each tree's draws come
/// from its own seed (detail/forest_base.hpp), so any n_jobs gives the same forest. scikit-learn
/// draws differently: the same data give forests of the same accuracy, not the same trees.
/// With oob_score, each sample is also predicted by the trees it was out of bag of.
///
/// Throws invalid_parameter as DecisionTreeClassifier, and for n_estimators < 1, n_jobs < 0,
/// max_samples outside [1, n] or (0, 1], oob_score or max_samples without bootstrap, a smaller
/// n_estimators than the trees already fitted with warm_start; invalid_input as
/// DecisionTreeClassifier, and for oob_score() without oob_score.
template <std::floating_point T = double>
class RandomForestClassifier : public detail::forest_base<RandomForestClassifier<T>, T, RandomForestClassifierParams,
                                                          tree::DecisionTreeClassifier<T>>,
                               public classifier_mixin<RandomForestClassifier<T>, T> {
    using base = detail::forest_base<RandomForestClassifier<T>, T, RandomForestClassifierParams,
                                     tree::DecisionTreeClassifier<T>>;

public:
    /// The class's name in messages, in its printed repr and in model files.
    static constexpr std::string_view name = RandomForestClassifierParams::name;
    using base::base;
    using base::fit;
};

}  // namespace kestrel::ensemble
