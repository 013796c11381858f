#pragma once
/// \file
/// StratifiedKFold: K folds that keep each class's share of the samples.

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/error.hpp"
#include "../core/random.hpp"
#include "../core/types.hpp"
#include "detail/folds.hpp"

namespace kestrel::model_selection {

/// Stratified K-fold splitter, as scikit-learn's `StratifiedKFold` (1.2): classes are numbered in
/// order of first appearance, the samples sorted by class are dealt round-robin into the folds to
/// fix how many of each class every test fold gets (so each count is within one of the ideal),
/// and each class's samples, in their original order, fill the folds in order. Without shuffling
/// the folds are exactly scikit-learn's; with it each class's fold sequence is shuffled by
/// kestrel's random_engine. Each Split's train and test lists are ascending.
class StratifiedKFold : public detail::fold_splitter<StratifiedKFold> {
public:
    /// The class's name in messages.
    static constexpr std::string_view name = "StratifiedKFold";
    using fold_splitter::fold_splitter;

    /// The n_splits {train, test} splits of the samples labelled y. Throws invalid_parameter
    /// (n_splits < 2), invalid_input (n_splits above the sample count, or above every class's count).
    [[nodiscard]] std::vector<Split> split(const Eigen::Ref<const Labels>& y) const {
        params_.validate();
        const Index n = y.size();
        const int k = params_.n_splits;
        if (k > n) {
            throw invalid_input("StratifiedKFold: cannot have number of splits n_splits = " + std::to_string(k) +
                                " greater than the number of samples: n_samples = " + std::to_string(n));
        }
        // Classes numbered by first appearance, as scikit-learn does.
        std::map<int, int> first_seen;
        std::vector<int> code(static_cast<std::size_t>(n));
        for (Index i = 0; i < n; ++i) {
            const int next = static_cast<int>(first_seen.size());
            code[static_cast<std::size_t>(i)] = first_seen.try_emplace(y[i], next).first->second;
        }
        const std::size_t n_classes = first_seen.size();
        std::vector<Index> count(n_classes, 0);
        for (const int c : code) ++count[static_cast<std::size_t>(c)];
        if (std::all_of(count.begin(), count.end(), [k](Index c) { return c < k; })) {
            throw invalid_input("StratifiedKFold: n_splits = " + std::to_string(k) +
                                " cannot be greater than the number of members in each class");
        }
        // allocation[f][c]: class c's share of fold f, dealing the class-sorted samples round-robin.
        std::vector<std::vector<Index>> allocation(static_cast<std::size_t>(k), std::vector<Index>(n_classes, 0));
        Index position = 0;
        for (std::size_t c = 0; c < n_classes; ++c) {
            for (Index j = 0; j < count[c]; ++j, ++position) ++allocation[static_cast<std::size_t>(position % k)][c];
        }
        // Each class's fold sequence (shuffled in class order when asked), then handed out to the
        // class's samples in index order.
        random_engine rng(params_.random_state);
        std::vector<std::vector<int>> folds_for_class(n_classes);
        for (std::size_t c = 0; c < n_classes; ++c) {
            for (int f = 0; f < k; ++f) {
                const auto share = static_cast<std::size_t>(allocation[static_cast<std::size_t>(f)][c]);
                folds_for_class[c].insert(folds_for_class[c].end(), share, f);
            }
            if (params_.shuffle) rng.shuffle(folds_for_class[c].begin(), folds_for_class[c].end());
        }
        std::vector<std::size_t> next(n_classes, 0);
        std::vector<int> fold(static_cast<std::size_t>(n));
        for (std::size_t i = 0; i < fold.size(); ++i) {
            const auto c = static_cast<std::size_t>(code[i]);
            fold[i] = folds_for_class[c][next[c]++];
        }
        return detail::splits_from_folds(fold, k);
    }

    /// As split(y); X only has to have y's length.
    template <dense_matrix M>
    [[nodiscard]] std::vector<Split> split(const M& X, const Eigen::Ref<const Labels>& y) const {
        if (X.rows() != y.size()) {
            throw invalid_input("StratifiedKFold: X has " + std::to_string(X.rows()) + " samples, but y has " +
                                std::to_string(y.size()));
        }
        return split(y);
    }
};

}  // namespace kestrel::model_selection
