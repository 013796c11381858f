#pragma once
/// \file
/// Input checks shared by every estimator. Each throws a kestrel exception whose message
/// names the estimator and says what to change.

#include <algorithm>
#include <cmath>
#include <concepts>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <Eigen/Core>

#include "../concepts.hpp"
#include "../error.hpp"
#include "../types.hpp"
#include "../weights.hpp"
#include "parallel.hpp"

namespace kestrel::detail {

inline std::string prefixed(std::string_view estimator, std::string_view text) {
    std::string message(estimator);
    message.append(": ").append(text);
    return message;
}

/// Throws `not_fitted` unless `fitted`.
inline void check_fitted(bool fitted, std::string_view estimator) {
    if (!fitted) {
        throw not_fitted(std::string("This ").append(estimator).append(
            " instance is not fitted yet: call fit with appropriate arguments before using it"));
    }
}

/// Throws `invalid_input` if X has no rows or no columns.
template <dense_matrix M>
void check_not_empty(const M& X, std::string_view estimator, std::string_view name = "X") {
    if (X.rows() == 0) {
        throw invalid_input(prefixed(estimator, std::string(name) + " has 0 samples; at least 1 is required"));
    }
    if (X.cols() == 0) {
        throw invalid_input(prefixed(estimator, std::string(name) + " has 0 features; at least 1 is required"));
    }
}

/// Whether every value of X is finite, in one vectorised pass split over threads by rows:
/// x·0 is 0 for finite x and NaN otherwise, so a sum of such products is finite exactly when
/// every term is.
template <dense_matrix M>
bool all_finite(const M& X) {
    using T = typename std::remove_cvref_t<M>::Scalar;
    const partition parts(X.rows(), std::clamp<Index>(X.size() / (Index{1} << 18), 1, 16));
    return parallel_reduce(
        parts, resolve_n_jobs(0), true,
        [&](Index, Index begin, Index end) {
            return std::isfinite((X.middleRows(begin, end - begin).array() * T(0)).sum());
        },
        [](bool all, bool part) { return all && part; });
}

/// Throws `invalid_input` naming the first NaN or infinity and where it is.
template <dense_matrix M>
void check_finite(const M& X, std::string_view estimator, std::string_view name = "X") {
    if (all_finite(X)) return;
    for (Index i = 0; i < X.rows(); ++i) {
        for (Index j = 0; j < X.cols(); ++j) {
            const auto v = X(i, j);
            if (!std::isfinite(v)) {
                std::string what = std::isnan(v) ? "NaN" : "infinity";
                throw invalid_input(prefixed(estimator, std::string(name) + " contains " + what + " at row " +
                                                            std::to_string(i) + ", column " + std::to_string(j) +
                                                            "; remove or impute non-finite values first"));
            }
        }
    }
}

/// Checks X of an estimator that takes missing values: samples, features, no infinity, and NaN
/// only when `nan_ok` (otherwise the message says NaN is supported `nan_rule`).
template <class M>
void check_values_or_missing(const M& X, std::string_view estimator, bool nan_ok, std::string_view nan_rule) {
    check_not_empty(X, estimator);
    if (all_finite(X)) return;
    bool nan = false;
    for (Index i = 0; i < X.rows(); ++i) {
        for (Index j = 0; j < X.cols(); ++j) {
            const double x = static_cast<double>(X(i, j));
            if (std::isinf(x)) {
                throw invalid_input(std::string(estimator) + ": X holds an infinite value (row " + std::to_string(i) +
                                    ", column " + std::to_string(j) + "); only finite values and NaN are accepted");
            }
            nan = nan || x != x;
        }
    }
    if (nan && !nan_ok) {
        throw invalid_input(std::string(estimator) + ": X holds NaN; missing values are supported " +
                            std::string(nan_rule));
    }
}

/// Checks a training matrix: at least one sample and one feature, all values finite.
template <dense_matrix M>
void check_training_matrix(const M& X, std::string_view estimator) {
    check_not_empty(X, estimator);
    check_finite(X, estimator);
}

/// Throws `invalid_input` with scikit-learn's message when X's width differs from the fit's.
inline void check_n_features(Index got, Index expected, std::string_view estimator) {
    if (got != expected) {
        throw invalid_input("X has " + std::to_string(got) + " features, but " + std::string(estimator) +
                            " was fitted with " + std::to_string(expected));
    }
}

/// Checks a matrix handed to a fitted estimator: fitted, the fitted width, finite values.
template <dense_matrix M>
void check_predict_matrix(const M& X, bool fitted, Index n_features_in, std::string_view estimator) {
    check_fitted(fitted, estimator);
    check_n_features(X.cols(), n_features_in, estimator);
    check_finite(X, estimator);
}

/// Throws `invalid_input` when a per-sample array's length differs from the number of samples.
inline void check_same_length(Index n_samples, Index length, std::string_view estimator, std::string_view name) {
    if (n_samples != length) {
        throw invalid_input(prefixed(estimator, "X has " + std::to_string(n_samples) + " samples, but " +
                                                    std::string(name) + " has " + std::to_string(length)));
    }
}

/// Checks sample weights (empty means uniform): the right length, finite, non-negative, not all zero.
/// Returns the weights to use, ones when `sample_weight` is empty.
template <class T, dense_matrix W>
Vector<T> checked_sample_weight(const W& sample_weight, Index n_samples, std::string_view estimator) {
    if (sample_weight.size() == 0) return Vector<T>::Ones(n_samples);
    check_same_length(n_samples, sample_weight.size(), estimator, "sample_weight");
    check_finite(sample_weight, estimator, "sample_weight");
    using S = typename std::remove_cvref_t<W>::Scalar;
    if ((sample_weight.array() < S(0)).any()) {
        throw invalid_input(prefixed(estimator, "sample_weight has negative values; weights must be >= 0"));
    }
    if (!(sample_weight.array() > S(0)).any()) {
        throw invalid_input(prefixed(estimator, "sample_weight is zero for every sample"));
    }
    return sample_weight.template cast<T>();
}

/// As checked_sample_weight, as a `sample_weights` view: uniform when `sample_weight` is empty
/// or all ones, so kernels can skip the multiplications.
template <class T, dense_matrix W>
sample_weights<T> checked_sample_weights(const W& sample_weight, Index n_samples, std::string_view estimator) {
    if (sample_weight.size() == 0) return sample_weights<T>(n_samples);
    return sample_weights<T>(checked_sample_weight<T>(sample_weight, n_samples, estimator));
}

/// scikit-learn's `validate_data` for a fit: X has samples and features and finite values; the
/// checked sample weights come back (uniform when `sample_weight` is empty).
template <class T, dense_matrix M, dense_matrix W>
sample_weights<T> validate_data(std::string_view estimator, const M& X, const W& sample_weight) {
    check_training_matrix(X, estimator);
    return checked_sample_weights<T>(sample_weight, X.rows(), estimator);
}

/// As validate_data(estimator, X, sample_weight), with a target y of one entry (or row) per
/// sample, finite when it is real-valued.
template <class T, dense_matrix M, dense_matrix Y, dense_matrix W>
sample_weights<T> validate_data(std::string_view estimator, const M& X, const Y& y, const W& sample_weight) {
    check_training_matrix(X, estimator);
    check_same_length(X.rows(), y.rows(), estimator, "y");
    if constexpr (std::floating_point<typename std::remove_cvref_t<Y>::Scalar>) check_finite(y, estimator, "y");
    return checked_sample_weights<T>(sample_weight, X.rows(), estimator);
}

/// As validate_data(estimator, X, y, sample_weight) without the read of X for NaN and infinity,
/// for a fit whose first pass over X shows them (a non-finite sum) and calls check_finite then.
template <class T, dense_matrix M, dense_matrix Y, dense_matrix W>
sample_weights<T> validate_data_but_x_values(std::string_view estimator, const M& X, const Y& y,
                                             const W& sample_weight) {
    check_not_empty(X, estimator);
    check_same_length(X.rows(), y.rows(), estimator, "y");
    if constexpr (std::floating_point<typename std::remove_cvref_t<Y>::Scalar>) check_finite(y, estimator, "y");
    return checked_sample_weights<T>(sample_weight, X.rows(), estimator);
}

/// The sorted distinct values of one or two label vectors: kestrel's one label encoder, with
/// label_code and encode_labels.
inline Labels distinct_labels(const Eigen::Ref<const Labels>& a, const Eigen::Ref<const Labels>& b = Labels()) {
    // Labels within a range no wider than the samples (class codes, counts): marked in a table of
    // that range, one pass, instead of sorted.
    const Index n = a.size() + b.size();
    if (n > 0) {
        long long low = std::numeric_limits<int>::max(), high = std::numeric_limits<int>::min();
        for (const auto* v : {&a, &b}) {
            if (v->size() > 0) {
                low = std::min<long long>(low, v->minCoeff());
                high = std::max<long long>(high, v->maxCoeff());
            }
        }
        if (high - low < std::max<long long>(n, 256)) {
            std::vector<unsigned char> seen(static_cast<std::size_t>(high - low + 1), 0);
            for (const auto* v : {&a, &b}) {
                for (Index i = 0; i < v->size(); ++i) seen[static_cast<std::size_t>((*v)[i] - low)] = 1;
            }
            std::vector<int> values;
            for (std::size_t k = 0; k < seen.size(); ++k) {
                if (seen[k] != 0) values.push_back(static_cast<int>(low + static_cast<long long>(k)));
            }
            return Eigen::Map<const Labels>(values.data(), static_cast<Index>(values.size()));
        }
    }
    std::vector<int> values(a.data(), a.data() + a.size());
    values.insert(values.end(), b.data(), b.data() + b.size());
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return Eigen::Map<const Labels>(values.data(), static_cast<Index>(values.size()));
}

/// The position of `label` in the sorted `classes` (Labels or std::vector<int>, holding it).
template <class Sorted>
int label_code(const Sorted& classes, int label) noexcept {
    return static_cast<int>(std::lower_bound(classes.begin(), classes.end(), label) - classes.begin());
}

/// Each label's position in the sorted `classes` (the labels must all occur in it).
inline Eigen::VectorXi encode_labels(const Eigen::Ref<const Labels>& y, const Labels& classes) {
    Eigen::VectorXi codes(y.size());
    for (Index i = 0; i < y.size(); ++i) codes[i] = label_code(classes, y[i]);
    return codes;
}

/// The sorted distinct labels of a classification target; throws `invalid_input` when there are
/// fewer than `min_classes`.
inline Labels unique_labels(const Eigen::Ref<const Labels>& y, std::string_view estimator, Index min_classes = 2) {
    Labels classes = distinct_labels(y);
    if (classes.size() < min_classes) {
        throw invalid_input(prefixed(estimator, "y has " + std::to_string(classes.size()) +
                                                    " distinct class(es); at least " + std::to_string(min_classes) +
                                                    " are needed to fit a classifier"));
    }
    return classes;
}

/// The input as a row-major matrix without a copy when its layout allows (a row-major Matrix,
/// a Map or a row block), with one copy otherwise (a column-major matrix, an expression).
template <class T>
using row_major_ref = Eigen::Ref<const Matrix<T>>;

}  // namespace kestrel::detail
