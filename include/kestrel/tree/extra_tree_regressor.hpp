#pragma once
/// \file
/// ExtraTreeRegressor: the randomised regression tree (shared machinery: detail/tree_base.hpp).

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

/// ExtraTreeRegressor's hyperparameters, in scikit-learn 1.2's order with 1.4's monotonic_cst; kestrel adds
/// max_bins.
struct ExtraTreeRegressorParams {
    /// The estimator's name, as scikit-learn spells it: in messages, printing and model files.
    static constexpr std::string_view name = "ExtraTreeRegressor";
    Criterion criterion = Criterion::squared_error;     ///< the impurity splits lower
    Splitter splitter = Splitter::random;               ///< best threshold, or one drawn at random, per feature
    std::optional<int> max_depth{};                     ///< deepest leaf allowed; empty: no limit
    Size min_samples_split = 2;                         ///< fewest samples a node needs to be split
    Size min_samples_leaf = 1;                          ///< fewest samples a leaf may hold
    double min_weight_fraction_leaf = 0.0;              ///< least share of the total weight in a leaf
    std::optional<MaxFeatures> max_features = 1.0;      ///< features examined per split; empty: all
    std::uint64_t random_state = default_random_state;  ///< seeds the features' order and thresholds
    std::optional<int> max_leaf_nodes{};                ///< grow best-first to this many leaves; empty: no limit
    double min_impurity_decrease = 0.0;                 ///< least weighted impurity decrease of a split
    double ccp_alpha = 0.0;                             ///< minimal cost-complexity pruning's α; 0: none
    std::vector<int> monotonic_cst{};  ///< per feature −1, 0, 1: the prediction falls / free / rises with it
    int max_bins = 0;  ///< 0: exact splits on sorted values; 2..256: splits on bin edges of this many bins
    friend bool operator==(const ExtraTreeRegressorParams&, const ExtraTreeRegressorParams&) = default;
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

/// An extremely randomised tree regressor, as scikit-learn 1.2's `ExtraTreeRegressor`: at each
/// node, for each of max_features features drawn at random (every feature by default), one
/// threshold drawn uniformly between the node's smallest and largest value of it; the best of
/// those splits is taken. Otherwise as DecisionTreeRegressor. The draws are kestrel's own, from
/// random_state.
template <std::floating_point T = double>
class ExtraTreeRegressor : public detail::tree_base<ExtraTreeRegressor<T>, T, ExtraTreeRegressorParams>,
                           public regressor_mixin<ExtraTreeRegressor<T>, T> {
    using base = detail::tree_base<ExtraTreeRegressor<T>, T, ExtraTreeRegressorParams>;

public:
    /// The class's name in messages, in its printed repr and in model files.
    static constexpr std::string_view name = ExtraTreeRegressorParams::name;
    using base::base;
    using base::fit;
};

}  // namespace kestrel::tree
