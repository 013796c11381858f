#pragma once
/// \file
/// DecisionTreeRegressor: the exact regression tree (shared machinery: detail/tree_base.hpp).

#include <concepts>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "../core/detail/estimator_base.hpp"
#include "../core/params.hpp"
#include "../core/random.hpp"
#include "../core/weights.hpp"
#include "detail/tree_base.hpp"
#include "options.hpp"

namespace kestrel::tree {

/// DecisionTreeRegressor's hyperparameters, in scikit-learn 1.2's order with 1.4's monotonic_cst; kestrel adds
/// max_bins.
struct DecisionTreeRegressorParams {
    /// The estimator's name, as scikit-learn spells it: in messages, printing and model files.
    static constexpr std::string_view name = "DecisionTreeRegressor";
    Criterion criterion = Criterion::squared_error;     ///< the impurity splits lower
    Splitter splitter = Splitter::best;                 ///< best threshold, or one drawn at random, per feature
    std::optional<int> max_depth{};                     ///< deepest leaf allowed; empty: no limit
    Size min_samples_split = 2;                         ///< fewest samples a node needs to be split
    Size min_samples_leaf = 1;                          ///< fewest samples a leaf may hold
    double min_weight_fraction_leaf = 0.0;              ///< least share of the total weight in a leaf
    std::optional<MaxFeatures> max_features{};          ///< features examined per split; empty: all
    std::uint64_t random_state = default_random_state;  ///< seeds the features' order and thresholds
    std::optional<int> max_leaf_nodes{};                ///< grow best-first to this many leaves; empty: no limit
    double min_impurity_decrease = 0.0;                 ///< least weighted impurity decrease of a split
    double ccp_alpha = 0.0;                             ///< minimal cost-complexity pruning's α; 0: none
    std::vector<int> monotonic_cst{};  ///< per feature −1, 0, 1: the prediction falls / free / rises with it
    int max_bins = 0;  ///< 0: exact splits on sorted values; 2..256: splits on bin edges of this many bins
    friend bool operator==(const DecisionTreeRegressorParams&, const DecisionTreeRegressorParams&) = default;
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static void fields(Self& p, F&& field) {
        field("criterion", p.criterion);
        field("splitter", p.splitter);
        field("max_depth", p.max_depth);
        Size::field("min_samples_split", p.min_samples_split, field);
        Size::field("min_samples_leaf", p.min_samples_leaf, field);
        field("min_weight_fraction_leaf", p.min_weight_fraction_leaf);
        MaxFeatures::field("max_features", p.max_features, field);
        field("random_state", p.random_state);
        field("max_leaf_nodes", p.max_leaf_nodes);
        field("min_impurity_decrease", p.min_impurity_decrease);
        field("ccp_alpha", p.ccp_alpha);
        field("monotonic_cst", p.monotonic_cst);
        field("max_bins", p.max_bins);
    }
    /// Throws invalid_parameter naming the first field out of its range; constexpr, so a constant
    /// Params with a bad value does not compile.
    constexpr void validate() const { detail::validate_structure(*this, name); }
};

/// A decision tree regressor, as scikit-learn 1.2's `DecisionTreeRegressor`: binary splits
/// x[feature] ≤ threshold chosen to lower the criterion most (squared_error, friedman_mse,
/// absolute_error, poisson), grown depth-first (best-first with max_leaf_nodes), then pruned by
/// minimal cost-complexity when ccp_alpha > 0. Where the best split at every node is unique the
/// tree equals scikit-learn's node for node. Leaves predict the weighted mean of their targets
/// (the weighted median for absolute_error). absolute_error costs O(n²) per node and feature,
/// as scikit-learn's does. With monotonic_cst (scikit-learn 1.4's rule) a split on a constrained
/// feature must order its children's values as the constraint says and keep them inside the
/// node's bounds, which it then divides at their middle; every node's value is clipped to its
/// bounds, so the prediction only rises (1) or falls (−1) along that feature.
///
/// Throws invalid_parameter as DecisionTreeClassifier, and for a classification criterion;
/// invalid_input for NaN/inf, negative y or Σy = 0 with poisson, negative or all-zero weights,
/// mismatched lengths, a wrong feature count at predict.
template <std::floating_point T = double>
class DecisionTreeRegressor : public detail::tree_base<DecisionTreeRegressor<T>, T, DecisionTreeRegressorParams>,
                              public regressor_mixin<DecisionTreeRegressor<T>, T> {
    using base = detail::tree_base<DecisionTreeRegressor<T>, T, DecisionTreeRegressorParams>;

public:
    /// The class's name in messages, in its printed repr and in model files.
    static constexpr std::string_view name = DecisionTreeRegressorParams::name;
    using base::base;
    using base::fit;
};

}  // namespace kestrel::tree
