#pragma once
/// \file
/// KFold: K consecutive (or shuffled) folds, each the test set once.

#include <string>
#include <string_view>
#include <vector>

#include "../core/concepts.hpp"
#include "../core/error.hpp"
#include "../core/random.hpp"
#include "../core/types.hpp"
#include "detail/folds.hpp"

namespace kestrel::model_selection {

/// K-fold cross-validation splitter, as scikit-learn's `KFold`: the samples (shuffled first when
/// `shuffle`) are cut into n_splits consecutive folds, the first n % n_splits of them one sample
/// larger. Without shuffling the folds are exactly scikit-learn's; with it they follow kestrel's
/// random_engine. Each Split's train and test lists are ascending.
class KFold : public detail::fold_splitter<KFold> {
public:
    /// The class's name in messages.
    static constexpr std::string_view name = "KFold";
    using fold_splitter::fold_splitter;

    /// The n_splits {train, test} splits of n_samples samples. Throws invalid_parameter
    /// (n_splits < 2), invalid_input (n_splits > n_samples).
    [[nodiscard]] std::vector<Split> split(Index n_samples) const {
        params_.validate();
        if (params_.n_splits > n_samples) {
            throw invalid_input("KFold: cannot have number of splits n_splits = " + std::to_string(params_.n_splits) +
                                " greater than the number of samples: n_samples = " + std::to_string(n_samples));
        }
        std::vector<Index> order(static_cast<std::size_t>(n_samples));
        for (Index i = 0; i < n_samples; ++i) order[static_cast<std::size_t>(i)] = i;
        if (params_.shuffle) {
            random_engine rng(params_.random_state);
            rng.shuffle(order.begin(), order.end());
        }
        std::vector<int> fold(order.size());
        const Index base = n_samples / params_.n_splits, larger = n_samples % params_.n_splits;
        Index position = 0;
        for (int f = 0; f < params_.n_splits; ++f) {
            const Index size = base + (f < larger ? 1 : 0);
            for (Index j = 0; j < size; ++j)
                fold[static_cast<std::size_t>(order[static_cast<std::size_t>(position++)])] = f;
        }
        return detail::splits_from_folds(fold, params_.n_splits);
    }

    /// The splits of X's rows (only the row count matters).
    template <dense_matrix M>
    [[nodiscard]] std::vector<Split> split(const M& X) const {
        return split(X.rows());
    }
};

}  // namespace kestrel::model_selection
