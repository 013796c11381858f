#pragma once
/// \file
/// cross_validate and cross_val_score: fit and score an estimator on every fold of a split.

#include <chrono>
#include <concepts>
#include <type_traits>
#include <variant>
#include <vector>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/detail/parallel.hpp"
#include "../core/error.hpp"
#include "../core/types.hpp"
#include "detail/folds.hpp"
#include "kfold.hpp"
#include "scoring.hpp"
#include "stratified_kfold.hpp"

namespace kestrel::model_selection {

/// How to split for cross-validation: a fold count (stratified folds for classifiers, plain
/// KFold otherwise, neither shuffled, as scikit-learn's `cv=int`), a splitter, or explicit splits.
using CrossValidator = std::variant<int, KFold, StratifiedKFold, std::vector<Split>>;

/// What cross_validate measures on each fold, as scikit-learn's dict of arrays.
struct CrossValidateResult {
    Vector<double> test_score;  ///< the scorer's value on each test fold (default: the estimator's score)
    Vector<double> fit_time;    ///< seconds to fit on each training fold
    Vector<double> score_time;  ///< seconds to score each test fold
};

namespace detail {

/// An estimator whose `score(X, y)` rates its predictions: accuracy for classifiers, R² for regressors.
template <class E>
concept scoring_estimator = supervised_estimator<E> &&
    requires(const E& e, const Matrix<scalar_of<E>>& X, const typename E::target_type& y) {
    { e.score(X, y) } -> std::convertible_to<double>;
};

template <class M>
Matrix<typename M::Scalar> take_rows(const M& X, const std::vector<Index>& rows) {
    Matrix<typename M::Scalar> out(static_cast<Index>(rows.size()), X.cols());
    for (std::size_t i = 0; i < rows.size(); ++i) out.row(static_cast<Index>(i)) = X.row(rows[i]);
    return out;
}

template <class Y>
Y take_entries(const Y& y, const std::vector<Index>& rows) {
    Y out(static_cast<Index>(rows.size()));
    for (std::size_t i = 0; i < rows.size(); ++i) out[static_cast<Index>(i)] = y[rows[i]];
    return out;
}

/// The splits a CrossValidator stands for, for estimator type E.
template <class E, class M, class Y>
std::vector<Split> resolve_splits(const CrossValidator& cv, const M& X, const Y& y) {
    return std::visit(
        [&](const auto& c) -> std::vector<Split> {
            using C = std::remove_cvref_t<decltype(c)>;
            if constexpr (std::same_as<C, int>) {
                if constexpr (classifier<E>) {
                    return StratifiedKFold({.n_splits = c}).split(Labels(y));
                } else {
                    return KFold({.n_splits = c}).split(X.rows());
                }
            } else if constexpr (std::same_as<C, KFold>) {
                return c.split(X.rows());
            } else if constexpr (std::same_as<C, StratifiedKFold>) {
                if constexpr (std::same_as<Y, Labels>) {
                    return c.split(y);
                } else {
                    throw invalid_input("StratifiedKFold needs integer class labels as y");
                }
            } else {
                for (const Split& s : c) {
                    for (const auto* part : {&s.train, &s.test}) {
                        for (const Index i : *part) {
                            if (i < 0 || i >= X.rows()) {
                                throw invalid_input("cross-validation split index " + std::to_string(i) +
                                                    " is outside 0.." + std::to_string(X.rows() - 1));
                            }
                        }
                    }
                }
                return c;
            }
        },
        cv);
}

inline double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Fits a fresh copy of `model` on a split's training rows and scores it on its test rows.
template <class E, class M, class Y>
void fit_and_score(E model, const M& X, const Y& y, const Split& split, const Scorer<E>& scorer, double& score,
                   double& fit_time, double& score_time) {
    const auto X_train = take_rows(X, split.train);
    const Y y_train = take_entries(y, split.train);
    auto start = std::chrono::steady_clock::now();
    model.fit(X_train, y_train);
    fit_time = seconds_since(start);
    const auto X_test = take_rows(X, split.test);
    const Y y_test = take_entries(y, split.test);
    start = std::chrono::steady_clock::now();
    score = scorer(model, X_test, y_test);
    score_time = seconds_since(start);
}

}  // namespace detail

/// Fits a clone of `estimator` on each training fold and scores it on the matching test fold,
/// as scikit-learn's `cross_validate`, with `scoring` (a Scoring name, a callable
/// `(const E&, X, y) -> double`, or `{}` for the estimator's own score). Folds run on up to
/// `n_jobs` threads (0: all cores); the result does not depend on it. y must be a target E's fit
/// takes (target_for: int labels for a classifier, a vector of T for a regressor).
/// Throws what the splitter, the scorer and the estimator throw (invalid_parameter, invalid_input).
template <detail::scoring_estimator E, matrix_of<scalar_of<E>> M, target_for<E> Y>
[[nodiscard]] CrossValidateResult cross_validate(const E& estimator, const M& X, const Y& y,
                                                 const std::type_identity_t<Scorer<E>>& scoring,
                                                 const CrossValidator& cv = 5, int n_jobs = 1) {
    using Target = typename E::target_type;
    if (X.rows() != y.size()) {
        throw invalid_input("cross_validate: X has " + std::to_string(X.rows()) + " samples, but y has " +
                            std::to_string(y.size()));
    }
    const Matrix<scalar_of<E>> data = X;
    const Target targets = y;
    scoring.check_target(targets);
    const std::vector<Split> splits = detail::resolve_splits<E>(cv, data, targets);
    const auto n = static_cast<Index>(splits.size());
    CrossValidateResult result{Vector<double>(n), Vector<double>(n), Vector<double>(n)};
    kestrel::detail::parallel_for(n, kestrel::detail::resolve_n_jobs(n_jobs), [&](Index f) {
        detail::fit_and_score(clone(estimator), data, targets, splits[static_cast<std::size_t>(f)], scoring,
                              result.test_score[f], result.fit_time[f], result.score_time[f]);
    });
    return result;
}

/// cross_validate with the estimator's own score (accuracy for classifiers, R² for regressors).
template <detail::scoring_estimator E, matrix_of<scalar_of<E>> M, target_for<E> Y>
[[nodiscard]] CrossValidateResult cross_validate(const E& estimator, const M& X, const Y& y,
                                                 const CrossValidator& cv = 5, int n_jobs = 1) {
    return cross_validate(estimator, X, y, Scorer<E>(), cv, n_jobs);
}

/// Each fold's score, as scikit-learn's `cross_val_score` (see cross_validate).
template <detail::scoring_estimator E, matrix_of<scalar_of<E>> M, target_for<E> Y>
[[nodiscard]] Vector<double> cross_val_score(const E& estimator, const M& X, const Y& y,
                                             const std::type_identity_t<Scorer<E>>& scoring,
                                             const CrossValidator& cv = 5, int n_jobs = 1) {
    return cross_validate(estimator, X, y, scoring, cv, n_jobs).test_score;
}

/// Each fold's score by the estimator's own score, as scikit-learn's `cross_val_score`.
template <detail::scoring_estimator E, matrix_of<scalar_of<E>> M, target_for<E> Y>
[[nodiscard]] Vector<double> cross_val_score(const E& estimator, const M& X, const Y& y, const CrossValidator& cv = 5,
                                             int n_jobs = 1) {
    return cross_validate(estimator, X, y, Scorer<E>(), cv, n_jobs).test_score;
}

}  // namespace kestrel::model_selection
