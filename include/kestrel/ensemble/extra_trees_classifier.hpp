#pragma once
/// \file
/// ExtraTreesClassifier (shared machinery: detail/forest_base.hpp).

#include <concepts>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "../core/detail/estimator_base.hpp"
#include "../core/params.hpp"
#include "../core/random.hpp"
#include "../core/weights.hpp"
#include "../tree/extra_tree_classifier.hpp"
#include "../tree/options.hpp"
#include "detail/forest_base.hpp"

namespace kestrel::ensemble {

/// ExtraTreesClassifier's hyperparameters, in scikit-learn 1.2's order with 1.4's monotonic_cst; kestrel adds
/// max_bins.
struct ExtraTreesClassifierParams {
    /// The estimator's name, as scikit-learn spells it: in messages, printing and model files.
    static constexpr std::string_view name = "ExtraTreesClassifier";
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
    bool bootstrap = false;                             ///< grow each tree on a bootstrap sample
    bool oob_score = false;                             ///< estimate the score on out-of-bag samples
    int n_jobs = 0;                                     ///< threads growing trees; 0 = all cores
    std::uint64_t random_state = default_random_state;  ///< seeds every tree's draws
    bool warm_start = false;                            ///< fit adds trees to the fitted ones
    ClassWeight class_weight = ClassWeight::none;       ///< multiplies the sample weights per class
    double ccp_alpha = 0.0;                             ///< each tree's cost-complexity pruning α
    std::optional<tree::Size> max_samples{};            ///< bootstrap sample size; empty: n
    std::vector<int> monotonic_cst{};  ///< per feature −1, 0, 1: class 1's share falls / free / rises with it
    int max_bins = 0;  ///< 0: exact splits on sorted values; 2..256: splits on bin edges of this many bins
    friend bool operator==(const ExtraTreesClassifierParams&, const ExtraTreesClassifierParams&) = default;
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

/// Extremely randomised trees (Geurts, Ernst and Wehenkel, 2006), as scikit-learn 1.2's
/// `ExtraTreesClassifier`: n_estimators ExtraTreeClassifier trees, on all the rows by default
/// (bootstrap = false), each split the best of one random threshold per examined feature;
/// predict_proba is the mean of the trees' class shares. Otherwise as RandomForestClassifier.
template <std::floating_point T = double>
class ExtraTreesClassifier
    : public detail::forest_base<ExtraTreesClassifier<T>, T, ExtraTreesClassifierParams, tree::ExtraTreeClassifier<T>>,
      public classifier_mixin<ExtraTreesClassifier<T>, T> {
    using base =
        detail::forest_base<ExtraTreesClassifier<T>, T, ExtraTreesClassifierParams, tree::ExtraTreeClassifier<T>>;

public:
    /// The class's name in messages, in its printed repr and in model files.
    static constexpr std::string_view name = ExtraTreesClassifierParams::name;
    using base::base;
    using base::fit;
};

}  // namespace kestrel::ensemble
