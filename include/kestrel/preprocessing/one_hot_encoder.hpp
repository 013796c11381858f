#pragma once
/// \file
/// OneHotEncoder: one indicator column per integer category of each feature.

#include <algorithm>
#include <cmath>
#include <concepts>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/dataset.hpp"
#include "../core/detail/estimator_base.hpp"
#include "../core/detail/validation.hpp"
#include "../core/error.hpp"
#include "../core/params.hpp"
#include "../core/types.hpp"
#include "detail/categories.hpp"

namespace kestrel::preprocessing {

/// scikit-learn's `drop`: which category of each feature gets no column.
enum class Drop {
    none,       ///< keep every category (scikit-learn's None)
    first,      ///< drop each feature's smallest category
    if_binary,  ///< drop the first category of features with exactly two
};
/// scikit-learn's spellings of Drop's values.
constexpr enum_table<Drop, 3> enum_names(Drop) {
    return {{{Drop::none, "none"}, {Drop::first, "first"}, {Drop::if_binary, "if_binary"}}};
}

/// scikit-learn's `handle_unknown`: what transform does with a category not seen in fit.
enum class HandleUnknown {
    error,   ///< throw invalid_input
    ignore,  ///< encode the feature as all zeros
};
/// scikit-learn's spellings of HandleUnknown's values.
constexpr enum_table<HandleUnknown, 2> enum_names(HandleUnknown) {
    return {{{HandleUnknown::error, "error"}, {HandleUnknown::ignore, "ignore"}}};
}

/// A matrix of integer categories: an integer Eigen matrix, or one whose scalar is `T` and whose
/// values are whole numbers.
template <class M, class T>
concept category_matrix = dense_matrix<M> &&
    (same_scalar<M, T> || std::integral<typename std::remove_cvref_t<M>::Scalar>);

/// OneHotEncoder's hyperparameters: scikit-learn's fields, in its order; categories are always
/// inferred ('auto').
struct OneHotEncoderParams {
    /// scikit-learn's class name.
    static constexpr std::string_view name = "OneHotEncoder";
    /// Which category of each feature gets no column.
    Drop drop = Drop::none;
    /// What transform does with a category unseen in fit.
    HandleUnknown handle_unknown = HandleUnknown::error;
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static constexpr void fields(Self& p, F&& field) {
        field("drop", p.drop);
        field("handle_unknown", p.handle_unknown);
    }
    /// Nothing to check: every value of these fields is valid. Part of the Params contract.
    constexpr void validate() const noexcept {}
    friend constexpr bool operator==(const OneHotEncoderParams&, const OneHotEncoderParams&) = default;
};

/// Encodes integer categorical features as scikit-learn's `OneHotEncoder(sparse_output=False)`:
/// each feature j becomes one 0/1 column per category seen in fit (sorted ascending), less the
/// dropped one. Input is a `Matrix<T>` holding whole numbers (so the encoder composes with other
/// transformers) or any integer Eigen matrix; a value that is not a whole number in int's range
/// throws invalid_input. The output is dense `Matrix<T>`. `inverse_transform` gives the
/// categories back as `Matrix<T>`, with NaN where scikit-learn gives None (an all-zero group under
/// handle_unknown = ignore and no dropped category).
template <std::floating_point T = double>
class OneHotEncoder : public estimator_base<OneHotEncoder<T>, T, OneHotEncoderParams>,
                      public transformer_mixin<OneHotEncoder<T>, T> {
    using base = estimator_base<OneHotEncoder<T>, T, OneHotEncoderParams>;

public:
    /// scikit-learn's class name.
    static constexpr std::string_view name = OneHotEncoderParams::name;
    using base::base;
    using base::fit;

    /// Records the sorted distinct categories of each column. Throws invalid_input.
    template <category_matrix<T> M>
    OneHotEncoder& fit(const M& X) {
        this->n_features_in_ = 0;
        this->params_.validate();
        detail::check_training_matrix(X, name);
        categories_.clear();
        std::vector<int> values(static_cast<std::size_t>(X.rows()));
        for (Index j = 0; j < X.cols(); ++j) {
            for (Index i = 0; i < X.rows(); ++i) values[static_cast<std::size_t>(i)] = category(X(i, j), i, j);
            std::vector<int> sorted = values;
            std::sort(sorted.begin(), sorted.end());
            sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
            categories_.push_back(Eigen::Map<const Labels>(sorted.data(), static_cast<Index>(sorted.size())));
        }
        drop_idx_.assign(categories_.size(), -1);
        offsets_.assign(categories_.size() + 1, 0);
        for (std::size_t j = 0; j < categories_.size(); ++j) {
            const Index n_categories = categories_[j].size();
            if (this->params_.drop == Drop::first || (this->params_.drop == Drop::if_binary && n_categories == 2)) {
                drop_idx_[j] = 0;
            }
            offsets_[j + 1] = offsets_[j] + n_categories - (drop_idx_[j] >= 0 ? 1 : 0);
        }
        this->n_features_in_ = X.cols();
        return *this;
    }

    /// The 0/1 indicator matrix, `n_features_out()` columns. Throws not_fitted, and invalid_input
    /// for an unseen category when handle_unknown is error.
    template <category_matrix<T> M>
    [[nodiscard]] Matrix<T> transform(const M& X) const {
        this->validate_predict(X);
        Matrix<T> Z = Matrix<T>::Zero(X.rows(), n_features_out());
        for (Index j = 0; j < X.cols(); ++j) {
            const Labels& cats = categories_[static_cast<std::size_t>(j)];
            const int drop = drop_idx_[static_cast<std::size_t>(j)];
            for (Index i = 0; i < X.rows(); ++i) {
                const int value = category(X(i, j), i, j);
                const int* found = std::lower_bound(cats.data(), cats.data() + cats.size(), value);
                const int k = static_cast<int>(found - cats.data());
                if (k == cats.size() || *found != value) {
                    if (this->params_.handle_unknown == HandleUnknown::error) {
                        throw invalid_input(detail::prefixed(name, "found unknown category " + std::to_string(value) +
                                                                       " in column " + std::to_string(j) +
                                                                       " during transform"));
                    }
                    continue;
                }
                if (k == drop) continue;
                Z(i, offsets_[static_cast<std::size_t>(j)] + (drop >= 0 && k > drop ? k - 1 : k)) = T(1);
            }
        }
        return Z;
    }

    /// Each feature's category from its group of columns (the largest entry wins, as argmax).
    /// An all-zero group gives the dropped category, or NaN when none was dropped and
    /// handle_unknown is ignore. Throws not_fitted, invalid_input (wrong width; an all-zero group
    /// under handle_unknown = error with no drop).
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> inverse_transform(const M& Z) const {
        if (Z.cols() != n_features_out()) {
            throw invalid_input(detail::prefixed(name, "X has " + std::to_string(Z.cols()) + " columns, but " +
                                                           std::to_string(n_features_out()) + " were expected"));
        }
        detail::check_finite(Z, name);
        Matrix<T> X(Z.rows(), this->n_features_in_);
        for (Index j = 0; j < this->n_features_in_; ++j) {
            const std::size_t f = static_cast<std::size_t>(j);
            const Labels& cats = categories_[f];
            const int drop = drop_idx_[f];
            const Index first = offsets_[f], width = offsets_[f + 1] - offsets_[f];
            for (Index i = 0; i < Z.rows(); ++i) {
                Index best = -1;
                for (Index c = 0; c < width; ++c) {
                    if (Z(i, first + c) != T(0) && (best < 0 || Z(i, first + c) > Z(i, first + best))) best = c;
                }
                if (best >= 0) {
                    X(i, j) = static_cast<T>(cats[drop >= 0 && best >= drop ? best + 1 : best]);
                } else if (drop >= 0) {
                    X(i, j) = static_cast<T>(cats[drop]);
                } else if (this->params_.handle_unknown == HandleUnknown::ignore) {
                    X(i, j) = std::numeric_limits<T>::quiet_NaN();
                } else {
                    throw invalid_input(detail::prefixed(name, "row " + std::to_string(i) +
                                                                   " has all zeros for feature " + std::to_string(j) +
                                                                   "; it cannot be inverted when drop is none and "
                                                                   "handle_unknown is error"));
                }
            }
        }
        return X;
    }

    /// Each feature's categories, sorted.
    [[nodiscard]] const std::vector<Labels>& categories() const { return this->fitted(categories_); }
    /// Each feature's dropped category position in categories() (-1: none), as `drop_idx_`.
    [[nodiscard]] const std::vector<int>& drop_idx() const { return this->fitted(drop_idx_); }
    /// Columns of transform's output.
    [[nodiscard]] Index n_features_out() const { return this->fitted(offsets_).back(); }

private:
    friend struct kestrel::detail::persistence_access;

    template <class Archive>
    void persist(Archive& a) {
        const Index d = a.n_features();
        kestrel::detail::persist_categories(a, categories_, d);
        a.integers("drop_idx_", drop_idx_, d);
        if constexpr (Archive::loading) {
            offsets_.assign(categories_.size() + 1, 0);
            for (std::size_t j = 0; j < categories_.size(); ++j) {
                const Index n_categories = categories_[j].size();
                a.require(n_categories >= 1, "a feature has no categories");
                a.require(drop_idx_[j] >= -1 && drop_idx_[j] < n_categories, "drop_idx_ lies outside its categories");
                offsets_[j + 1] = offsets_[j] + n_categories - (drop_idx_[j] >= 0 ? 1 : 0);
            }
        }
    }

    template <class V>
    static int category(V value, Index row, Index col) {
        return detail::category_of(value, row, col, name);
    }

    std::vector<Labels> categories_;
    std::vector<int> drop_idx_;
    std::vector<Index> offsets_;  // first output column of each feature; one past the end last
};

}  // namespace kestrel::preprocessing
