#pragma once
/// \file
/// Pieces shared by kestrel's splitters: the stratified allocation and fold bookkeeping.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "../../core/params.hpp"
#include "../../core/random.hpp"
#include "../../core/types.hpp"

namespace kestrel::model_selection {

/// One train/test split: sample indices, each list ascending unless a shuffled split says otherwise.
struct Split {
    std::vector<Index> train;  ///< the rows (sample indices, 0-based) to fit on
    std::vector<Index> test;   ///< the rows to score on; disjoint from train
};

namespace detail {

/// How many of `n_draws` draws fall on each class: the approximate mode of the multivariate
/// hypergeometric distribution, as scikit-learn's `_approximate_mode` (floor of the proportional
/// share, then the largest remainders, ties broken at random by `rng`).
inline std::vector<Index> approximate_mode(const std::vector<Index>& class_counts, Index n_draws, random_engine& rng) {
    double total = 0;
    for (const Index c : class_counts) total += static_cast<double>(c);
    const std::size_t k = class_counts.size();
    std::vector<double> remainder(k);
    std::vector<Index> drawn(k);
    Index need = n_draws;
    for (std::size_t i = 0; i < k; ++i) {
        const double continuous = static_cast<double>(class_counts[i]) / total * static_cast<double>(n_draws);
        const double floored = std::floor(continuous);
        drawn[i] = static_cast<Index>(floored);
        remainder[i] = continuous - floored;
        need -= drawn[i];
    }
    std::vector<double> values = remainder;
    std::sort(values.begin(), values.end(), std::greater<>());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    for (const double value : values) {
        if (need <= 0) break;
        std::vector<Index> tied;
        for (std::size_t i = 0; i < k; ++i) {
            if (remainder[i] == value) tied.push_back(static_cast<Index>(i));
        }
        const Index add = std::min(static_cast<Index>(tied.size()), need);
        for (const Index pick : rng.sample_without_replacement(static_cast<Index>(tied.size()), add)) {
            ++drawn[static_cast<std::size_t>(tied[static_cast<std::size_t>(pick)])];
        }
        need -= add;
    }
    return drawn;
}

/// What KFold and StratifiedKFold share: scikit-learn's `n_splits`, `shuffle`, `random_state`.
template <class Splitter>
class fold_splitter {
public:
    /// The splitter's hyperparameters, in scikit-learn's order.
    struct Params {
        int n_splits = 5;      ///< the number of folds, each the test set once; >= 2; default 5
        bool shuffle = false;  ///< shuffle the samples before cutting the folds; default false
        std::uint64_t random_state = default_random_state;  ///< used only when shuffle
        /// Throws invalid_parameter when n_splits < 2; constexpr, so a constant Params with a bad
        /// value does not compile.
        constexpr void validate() const {
            require_param(n_splits >= 2, Splitter::name, "n_splits", n_splits, "must be >= 2");
        }
        friend constexpr bool operator==(const Params&, const Params&) = default;
    };

    /// A splitter with the given parameters (checked when split() runs).
    explicit fold_splitter(Params params = {}) : params_(params) {}
    /// The hyperparameters, as given.
    [[nodiscard]] const Params& params() const noexcept { return params_; }
    /// Replaces the hyperparameters (checked when split() runs); returns the splitter.
    Splitter& set_params(const Params& params) {
        params_ = params;
        return static_cast<Splitter&>(*this);
    }
    /// The number of splits split() returns: n_splits.
    [[nodiscard]] int get_n_splits() const noexcept { return params_.n_splits; }

protected:
    Params params_;
};

/// One Split per fold: fold f's test set is the samples with `fold[i] == f`, its training set the
/// others, both ascending.
inline std::vector<Split> splits_from_folds(const std::vector<int>& fold, int n_splits) {
    std::vector<Split> splits(static_cast<std::size_t>(n_splits));
    for (std::size_t i = 0; i < fold.size(); ++i) {
        for (int f = 0; f < n_splits; ++f) {
            auto& split = splits[static_cast<std::size_t>(f)];
            (fold[i] == f ? split.test : split.train).push_back(static_cast<Index>(i));
        }
    }
    return splits;
}

}  // namespace detail

}  // namespace kestrel::model_selection
