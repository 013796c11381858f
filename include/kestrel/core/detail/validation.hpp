#pragma once
/// \file
/// Input checks shared by every estimator. Each throws a kestrel exception whose message
/// names the estimator and says what to change.

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <Eigen/Core>

#include "../concepts.hpp"
#include "../error.hpp"
#include "../types.hpp"
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
    const Index rows = X.rows();
    const Index chunks = std::clamp<Index>(X.size() / (Index{1} << 18), 1, 16);
    bool finite = true;
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) reduction(&& : finite) \
    num_threads(static_cast<int>(std::min<Index>(resolve_n_jobs(0), chunks))) if (chunks > 1)
#endif
    for (Index c = 0; c < chunks; ++c) {
        const Index begin = rows * c / chunks, end = rows * (c + 1) / chunks;
        finite = finite && std::isfinite((X.middleRows(begin, end - begin).array() * T(0)).sum());
    }
    return finite;
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
    if ((sample_weight.array() < T(0)).any()) {
        throw invalid_input(prefixed(estimator, "sample_weight has negative values; weights must be >= 0"));
    }
    if (!(sample_weight.array() > T(0)).any()) {
        throw invalid_input(prefixed(estimator, "sample_weight is zero for every sample"));
    }
    return sample_weight;
}

/// The sorted distinct labels of a classification target; throws `invalid_input` when there are
/// fewer than `min_classes`.
inline Labels unique_labels(const Eigen::Ref<const Labels>& y, std::string_view estimator, Index min_classes = 2) {
    std::vector<int> values(y.data(), y.data() + y.size());
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    if (static_cast<Index>(values.size()) < min_classes) {
        throw invalid_input(prefixed(estimator, "y has " + std::to_string(values.size()) +
                                                    " distinct class(es); at least " + std::to_string(min_classes) +
                                                    " are needed to fit a classifier"));
    }
    return Eigen::Map<const Labels>(values.data(), static_cast<Index>(values.size()));
}

/// Each label's position in the sorted `classes` (the labels must all occur in it).
inline Eigen::VectorXi encode_labels(const Eigen::Ref<const Labels>& y, const Labels& classes) {
    Eigen::VectorXi codes(y.size());
    const int* begin = classes.data();
    const int* end = begin + classes.size();
    for (Index i = 0; i < y.size(); ++i) codes[i] = static_cast<int>(std::lower_bound(begin, end, y[i]) - begin);
    return codes;
}

/// The input as a row-major matrix without a copy when its layout allows (a row-major Matrix,
/// a Map or a row block), with one copy otherwise (a column-major matrix, an expression).
template <class T>
using row_major_ref = Eigen::Ref<const Matrix<T>>;

}  // namespace kestrel::detail
