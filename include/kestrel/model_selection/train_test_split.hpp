#pragma once
/// \file
/// train_test_split: one random (optionally stratified) split of samples and targets.

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

#include "../core/concepts.hpp"
#include "../core/detail/validation.hpp"
#include "../core/error.hpp"
#include "../core/random.hpp"
#include "../core/types.hpp"
#include "detail/folds.hpp"

namespace kestrel::model_selection {

/// The size of one side of a split, as scikit-learn reads `test_size` / `train_size`: a floating
/// value is a fraction of the samples (strictly between 0 and 1), an integer a sample count.
class SplitSize {
public:
    /// A fraction of the samples, strictly between 0 and 1 (checked by train_test_split): `0.2`.
    template <std::floating_point F>
    constexpr SplitSize(F fraction) noexcept : value_(static_cast<double>(fraction)), is_count_(false) {}

    /// A number of samples, 1 .. n_samples − 1 (checked by train_test_split): `30`.
    template <std::integral I>
    requires(!std::same_as<I, bool>) constexpr SplitSize(I count) noexcept
        : value_(static_cast<double>(count)), is_count_(true) {}

    /// Whether this is a sample count (built from an integer) rather than a fraction.
    [[nodiscard]] constexpr bool is_count() const noexcept { return is_count_; }
    /// The fraction, or the count as a double.
    [[nodiscard]] constexpr double value() const noexcept { return value_; }

private:
    double value_;
    bool is_count_;
};

/// Options of train_test_split, in scikit-learn's order. With neither size given the test side is
/// 0.25; with one given the other side is the rest.
struct SplitParams {
    std::optional<SplitSize> test_size;   ///< the test side; empty: the rest, or 0.25 if train_size is empty too
    std::optional<SplitSize> train_size;  ///< the training side: a fraction or a count; empty: the rest
    std::uint64_t random_state = default_random_state;  ///< the seed of the shuffle (used only when shuffle)
    bool shuffle = true;    ///< shuffle before splitting (default); false: the first rows train, the next test
    bool stratify = false;  ///< keep y's class proportions on both sides (y must hold labels)
};

/// The four parts of a split; unpacks as `auto [X_train, X_test, y_train, y_test] = ...`.
template <class T, class Target>
struct TrainTestSplit {
    Matrix<T> X_train;  ///< the training rows of X: n_train × n_features
    Matrix<T> X_test;   ///< the test rows of X: n_test × n_features
    Target y_train;     ///< the targets of X_train's rows, in the same order
    Target y_test;      ///< the targets of X_test's rows, in the same order
};

namespace detail {

inline void check_split_size(const std::optional<SplitSize>& size, Index n, std::string_view param) {
    if (!size) return;
    const double v = size->value();
    const bool ok = size->is_count() ? (v > 0 && v < static_cast<double>(n)) : (v > 0 && v < 1);
    if (!ok) {
        throw invalid_parameter("train_test_split: parameter " + std::string(param) + " = " + std::to_string(v) +
                                " is invalid: it must be a count in 1 .. n_samples-1 (" + std::to_string(n) +
                                " samples) or a fraction strictly between 0 and 1");
    }
}

/// (n_train, n_test) exactly as scikit-learn's `_validate_shuffle_split`: a test fraction rounds
/// up, a train fraction down. Throws invalid_parameter.
inline std::pair<Index, Index> split_sizes(Index n, const SplitParams& params) {
    std::optional<SplitSize> test = params.test_size, train = params.train_size;
    if (!test && !train) test = SplitSize(0.25);
    check_split_size(test, n, "test_size");
    check_split_size(train, n, "train_size");
    if (test && train && !test->is_count() && !train->is_count() && test->value() + train->value() > 1) {
        throw invalid_parameter("train_test_split: test_size + train_size = " +
                                std::to_string(test->value() + train->value()) + " is invalid: it must be <= 1");
    }
    const auto count = [n](const SplitSize& s, bool round_up) {
        if (s.is_count()) return static_cast<Index>(s.value());
        const double share = s.value() * static_cast<double>(n);
        return static_cast<Index>(round_up ? std::ceil(share) : std::floor(share));
    };
    Index n_test = test ? count(*test, true) : 0;
    Index n_train = train ? count(*train, false) : 0;
    if (!train) n_train = n - n_test;
    if (!test) n_test = n - n_train;
    if (n_train + n_test > n) {
        throw invalid_parameter("train_test_split: train_size + test_size = " + std::to_string(n_train + n_test) +
                                " samples is invalid: there are only " + std::to_string(n));
    }
    if (n_train == 0) {
        throw invalid_parameter("train_test_split: with " + std::to_string(n) +
                                " samples the requested sizes leave the training set empty");
    }
    return {n_train, n_test};
}

/// Train and test indices of a stratified split, as scikit-learn's StratifiedShuffleSplit: the
/// per-class counts come from approximate_mode, the members at random.
inline Split stratified_indices(const Eigen::Ref<const Labels>& y, Index n_train, Index n_test, random_engine& rng) {
    std::vector<int> classes(y.data(), y.data() + y.size());
    std::sort(classes.begin(), classes.end());
    classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
    const std::size_t k = classes.size();
    std::vector<std::vector<Index>> members(k);
    for (Index i = 0; i < y.size(); ++i) {
        const auto c = std::lower_bound(classes.begin(), classes.end(), y[i]) - classes.begin();
        members[static_cast<std::size_t>(c)].push_back(i);
    }
    std::vector<Index> counts(k);
    for (std::size_t c = 0; c < k; ++c) {
        counts[c] = static_cast<Index>(members[c].size());
        if (counts[c] < 2) {
            throw invalid_input("train_test_split: the least populated class in y (" + std::to_string(classes[c]) +
                                ") has only 1 member; stratification needs at least 2 per class");
        }
    }
    const Index n_classes = static_cast<Index>(k);
    if (n_train < n_classes || n_test < n_classes) {
        throw invalid_input("train_test_split: train and test sizes (" + std::to_string(n_train) + ", " +
                            std::to_string(n_test) + ") must each be at least the number of classes (" +
                            std::to_string(n_classes) + ") to stratify");
    }
    const std::vector<Index> train_counts = approximate_mode(counts, n_train, rng);
    std::vector<Index> remaining(k);
    for (std::size_t c = 0; c < k; ++c) remaining[c] = counts[c] - train_counts[c];
    const std::vector<Index> test_counts = approximate_mode(remaining, n_test, rng);
    Split split;
    for (std::size_t c = 0; c < k; ++c) {
        rng.shuffle(members[c].begin(), members[c].end());
        const auto first = members[c].begin();
        split.train.insert(split.train.end(), first, first + train_counts[c]);
        split.test.insert(split.test.end(), first + train_counts[c], first + train_counts[c] + test_counts[c]);
    }
    rng.shuffle(split.train.begin(), split.train.end());
    rng.shuffle(split.test.begin(), split.test.end());
    return split;
}

template <class Source, class Out>
void gather_rows(const Source& source, const std::vector<Index>& rows, Out& out) {
    out.resize(static_cast<Index>(rows.size()), source.cols());
    for (std::size_t r = 0; r < rows.size(); ++r) out.row(static_cast<Index>(r)) = source.row(rows[r]);
}

}  // namespace detail

/// Train and test row indices for `n_samples` samples, as train_test_split draws them (`y` is
/// needed only with stratify). Without shuffle: the first n_train rows train, the next n_test test.
/// Shuffled: a random permutation from kestrel's random_engine, test rows first, as scikit-learn's
/// ShuffleSplit. Stratified: per-class counts equal scikit-learn's StratifiedShuffleSplit where its
/// largest-remainder rule has no ties (ties are broken at random, as there). Throws
/// invalid_parameter (sizes; stratify without shuffle), invalid_input (a class with one member, a
/// side smaller than the number of classes, y's length).
inline Split train_test_indices(Index n_samples, const SplitParams& params = {},
                                const Eigen::Ref<const Labels>& y = Labels()) {
    const auto [n_train, n_test] = detail::split_sizes(n_samples, params);
    if (!params.shuffle) {
        if (params.stratify) {
            throw invalid_parameter("train_test_split: parameter stratify = true is invalid with shuffle = false");
        }
        Split split;
        for (Index i = 0; i < n_train + n_test; ++i) (i < n_train ? split.train : split.test).push_back(i);
        return split;
    }
    random_engine rng(params.random_state);
    if (params.stratify) {
        kestrel::detail::check_same_length(n_samples, y.size(), "train_test_split", "y");
        return detail::stratified_indices(y, n_train, n_test, rng);
    }
    const std::vector<Index> order = rng.permutation(n_samples);
    return {std::vector<Index>(order.begin() + n_test, order.begin() + n_test + n_train),
            std::vector<Index>(order.begin(), order.begin() + n_test)};
}

/// Splits samples X and targets y (Labels or Vector<T>) into training and test parts, as
/// scikit-learn's `train_test_split(X, y, ...)`; see train_test_indices for how rows are chosen.
/// Sizes follow scikit-learn exactly: n_test = ceil(test_size·n), n_train = n − n_test.
/// Throws invalid_parameter, invalid_input (X and y lengths, no samples).
template <dense_matrix M, dense_matrix Y>
requires std::floating_point<typename M::Scalar> &&
    (std::remove_cvref_t<Y>::ColsAtCompileTime ==
     1) TrainTestSplit<typename M::Scalar, typename Y::PlainObject> train_test_split(const M& X, const Y& y,
                                                                                     const SplitParams& params = {}) {
    kestrel::detail::check_not_empty(X, "train_test_split");
    kestrel::detail::check_same_length(X.rows(), y.size(), "train_test_split", "y");
    Split split;
    if constexpr (std::same_as<typename Y::Scalar, int>) {
        split = train_test_indices(X.rows(), params, y);
    } else {
        if (params.stratify) {
            throw invalid_parameter("train_test_split: parameter stratify = true needs class labels (Labels) as y");
        }
        split = train_test_indices(X.rows(), params);
    }
    TrainTestSplit<typename M::Scalar, typename Y::PlainObject> parts;
    detail::gather_rows(X, split.train, parts.X_train);
    detail::gather_rows(X, split.test, parts.X_test);
    detail::gather_rows(y, split.train, parts.y_train);
    detail::gather_rows(y, split.test, parts.y_test);
    return parts;
}

}  // namespace kestrel::model_selection
