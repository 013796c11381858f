#pragma once
/// \file
/// RandomForestRegressor (shared machinery: detail/forest_base.hpp).

#include <concepts>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "../core/detail/estimator_base.hpp"
#include "../core/params.hpp"
#include "../core/random.hpp"
#include "../core/weights.hpp"
#include "../tree/decision_tree_regressor.hpp"
#include "../tree/options.hpp"
#include "detail/forest_base.hpp"

namespace kestrel::ensemble {

/// RandomForestRegressor's hyperparameters, in scikit-learn 1.2's order with 1.4's monotonic_cst; kestrel adds
/// max_bins.
struct RandomForestRegressorParams {
    /// The estimator's name, as scikit-learn spells it: in messages, printing and model files.
    static constexpr std::string_view name = "RandomForestRegressor";
    int n_estimators = 100;                                      ///< trees, ≥ 1
    tree::Criterion criterion = tree::Criterion::squared_error;  ///< the impurity splits lower
    std::optional<int> max_depth{};                              ///< deepest leaf allowed; empty: no limit
    tree::Size min_samples_split = 2;                            ///< fewest samples a node needs to be split
    tree::Size min_samples_leaf = 1;                             ///< fewest samples a leaf may hold
    double min_weight_fraction_leaf = 0.0;                       ///< least share of the total weight in a leaf
    std::optional<tree::MaxFeatures> max_features = 1.0;         ///< features examined per split; empty: all
    std::optional<int> max_leaf_nodes{};                         ///< grow each tree best-first to this many leaves
    double min_impurity_decrease = 0.0;                          ///< least weighted impurity decrease of a split
    bool bootstrap = true;                                       ///< grow each tree on a bootstrap sample
    bool oob_score = false;                                      ///< estimate the score on out-of-bag samples
    int n_jobs = 0;                                              ///< threads growing trees; 0 = all cores
    std::uint64_t random_state = default_random_state;           ///< seeds every tree's draws
    bool warm_start = false;                                     ///< fit adds trees to the fitted ones
    double ccp_alpha = 0.0;                                      ///< each tree's cost-complexity pruning α
    std::optional<tree::Size> max_samples{};                     ///< bootstrap sample size; empty: n
    std::vector<int> monotonic_cst{};  ///< per feature −1, 0, 1: the prediction falls / free / rises with it
    int max_bins = 0;  ///< 0: exact splits on sorted values; 2..256: splits on bin edges of this many bins
    friend bool operator==(const RandomForestRegressorParams&, const RandomForestRegressorParams&) = default;
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
        field("ccp_alpha", p.ccp_alpha);
        tree::Size::optional_field("max_samples", p.max_samples, field);
        field("monotonic_cst", p.monotonic_cst);
        field("max_bins", p.max_bins);
    }
    /// Throws invalid_parameter naming the first field out of its range; constexpr, so a constant
    /// Params with a bad value does not compile.
    constexpr void validate() const { detail::validate_forest(*this, name); }
};

/// A random forest regressor (Breiman, 2001), as scikit-learn 1.2's `RandomForestRegressor`:
/// n_estimators regression trees, each grown on a bootstrap sample examining max_features
/// features per split (all by default); predict is the mean of the trees' predictions. Trees grow
/// in parallel, each from its own seed, so any n_jobs gives the same forest. With oob_score,
/// oob_prediction() holds each sample's mean over the trees it was out of bag of and
/// oob_score() their R².
///
/// Throws as RandomForestClassifier, with DecisionTreeRegressor's rules for criteria and targets.
template <std::floating_point T = double>
class RandomForestRegressor : public detail::forest_base<RandomForestRegressor<T>, T, RandomForestRegressorParams,
                                                         tree::DecisionTreeRegressor<T>>,
                              public regressor_mixin<RandomForestRegressor<T>, T> {
    using base =
        detail::forest_base<RandomForestRegressor<T>, T, RandomForestRegressorParams, tree::DecisionTreeRegressor<T>>;

public:
    /// The class's name in messages, in its printed repr and in model files.
    static constexpr std::string_view name = RandomForestRegressorParams::name;
    using base::base;
    using base::fit;
};

}  // namespace kestrel::ensemble
