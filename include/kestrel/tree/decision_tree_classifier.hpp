#pragma once
/// \file
/// DecisionTreeClassifier: the exact classification tree (shared machinery: detail/tree_base.hpp).

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

/// DecisionTreeClassifier's hyperparameters, in scikit-learn 1.2's order with 1.4's monotonic_cst; kestrel adds
/// max_bins.
struct DecisionTreeClassifierParams {
    /// The estimator's name, as scikit-learn spells it: in messages, printing and model files.
    static constexpr std::string_view name = "DecisionTreeClassifier";
    Criterion criterion = Criterion::gini;              ///< the impurity splits lower
    Splitter splitter = Splitter::best;                 ///< best threshold, or one drawn at random, per feature
    std::optional<int> max_depth{};                     ///< deepest leaf allowed; empty: no limit
    Size min_samples_split = 2;                         ///< fewest samples a node needs to be split
    Size min_samples_leaf = 1;                          ///< fewest samples a leaf may hold
    double min_weight_fraction_leaf = 0.0;              ///< least share of the total weight in a leaf
    std::optional<MaxFeatures> max_features{};          ///< features examined per split; empty: all
    std::uint64_t random_state = default_random_state;  ///< seeds the features' order and thresholds
    std::optional<int> max_leaf_nodes{};                ///< grow best-first to this many leaves; empty: no limit
    double min_impurity_decrease = 0.0;                 ///< least weighted impurity decrease of a split
    ClassWeight class_weight = ClassWeight::none;       ///< multiplies the sample weights per class
    double ccp_alpha = 0.0;                             ///< minimal cost-complexity pruning's α; 0: none
    std::vector<int> monotonic_cst{};  ///< per feature −1, 0, 1: class 1's share falls / free / rises with it
    int max_bins = 0;  ///< 0: exact splits on sorted values; 2..256: splits on bin edges of this many bins
    friend bool operator==(const DecisionTreeClassifierParams&, const DecisionTreeClassifierParams&) = default;
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
        field("class_weight", p.class_weight);
        field("ccp_alpha", p.ccp_alpha);
        field("monotonic_cst", p.monotonic_cst);
        field("max_bins", p.max_bins);
    }
    /// Throws invalid_parameter naming the first field out of its range; constexpr, so a constant
    /// Params with a bad value does not compile.
    constexpr void validate() const { detail::validate_structure(*this, name); }
};

/// A decision tree classifier, as scikit-learn 1.2's `DecisionTreeClassifier`: binary splits
/// x[feature] ≤ threshold chosen to lower the criterion's impurity most (gini, entropy), grown
/// depth-first (best-first with max_leaf_nodes), then pruned by minimal cost-complexity when
/// ccp_alpha > 0. Where the best split at every node is unique the tree equals scikit-learn's
/// node for node (detail/grow.hpp says how ties are broken). Leaves hold the weighted class
/// counts; predict takes their largest (the first class on ties), predict_proba their shares.
/// With monotonic_cst (two classes only; scikit-learn 1.4's rule, as DecisionTreeRegressor
/// describes) the constrained value is the share of the second class.
///
/// Throws invalid_parameter for max_depth < 1, min_samples_split < 2 or a fraction outside
/// (0, 1], min_samples_leaf < 1 or a fraction outside (0, 1), min_weight_fraction_leaf outside
/// [0, 0.5], max_features outside [1, n_features] once resolved, max_leaf_nodes < 2, negative
/// min_impurity_decrease or ccp_alpha, a regression criterion, monotonic_cst holding other than
/// −1, 0 and 1, not one per feature, or on more than two classes; invalid_input for one class
/// only, NaN with monotonic_cst, inf in X, negative or all-zero weights, mismatched lengths, a
/// wrong feature count at predict.
template <std::floating_point T = double>
class DecisionTreeClassifier : public detail::tree_base<DecisionTreeClassifier<T>, T, DecisionTreeClassifierParams>,
                               public classifier_mixin<DecisionTreeClassifier<T>, T> {
    using base = detail::tree_base<DecisionTreeClassifier<T>, T, DecisionTreeClassifierParams>;

public:
    /// The class's name in messages, in its printed repr and in model files.
    static constexpr std::string_view name = DecisionTreeClassifierParams::name;
    using base::base;
    using base::fit;
};

}  // namespace kestrel::tree
