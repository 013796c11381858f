#pragma once
/// \file
/// The concepts that say what an estimator is, checked at compile time.
///
/// Every estimator is a class template over its scalar `T` and exposes
/// `scalar_type` (= T), a nested `Params` aggregate, `params()`, `set_params(Params)`,
/// `is_fitted()` and a constructor from `Params`. Supervised estimators also name the
/// `target_type` their `fit(X, y)` takes: `Labels` for classifiers, `Vector<T>` for regressors.

#include <concepts>
#include <type_traits>

#include <Eigen/Core>

#include "params.hpp"
#include "types.hpp"

namespace kestrel {

namespace detail {
// Binds to any MatrixBase<D>, whatever D is: a VectorBlock such as v.head(n) derives from the
// MatrixBase of its Block, not of itself.
template <class D>
void as_matrix_base(const Eigen::MatrixBase<D>&);
}  // namespace detail

/// A dense Eigen matrix or expression: a Matrix, a Map over a user's buffer, a block, a product.
template <class M>
concept dense_matrix = requires(const std::remove_cvref_t<M>& m) {
    detail::as_matrix_base(m);
};

/// `M`'s scalar is exactly `T`. kestrel never converts silently between float and double:
/// convert explicitly with `X.template cast<T>()`.
template <class M, class T>
concept same_scalar = std::same_as<typename std::remove_cvref_t<M>::Scalar, T>;

/// A dense Eigen matrix or expression whose scalar is `T`: what `fit`, `predict` and `transform` take.
template <class M, class T>
concept matrix_of = dense_matrix<M> && same_scalar<M, T>;

/// A dense Eigen column vector or expression whose scalar is `T`: a regression target or sample weights.
template <class V, class T>
concept vector_of = matrix_of<V, T> &&(std::remove_cvref_t<V>::ColsAtCompileTime == 1);

/// A dense Eigen column vector of int class labels (Labels, a Map, a segment). A classifier's fit
/// takes only these: a continuous target of floats or doubles does not compile.
template <class Y>
concept label_vector = dense_matrix<Y> && same_scalar<Y, int> &&(std::remove_cvref_t<Y>::ColsAtCompileTime == 1);

/// The scalar an estimator computes in.
template <class E>
using scalar_of = typename E::scalar_type;

/// Anything with hyperparameters and a fitted state, as scikit-learn's BaseEstimator.
template <class E>
concept estimator = std::default_initializable<E> && std::copy_constructible<E> && requires(E& e, const E& ce) {
    typename E::scalar_type;
    typename E::Params;
    requires std::floating_point<typename E::scalar_type>;
    requires validatable_params<typename E::Params>;
    requires std::equality_comparable<typename E::Params>;
    requires std::constructible_from<E, typename E::Params>;
    { ce.params() } -> std::convertible_to<typename E::Params>;
    e.set_params(ce.params());
    { ce.is_fitted() } -> std::same_as<bool>;
};

/// An estimator fitted on samples and targets: `fit(X, y) -> E&`.
template <class E>
concept supervised_estimator = estimator<E> &&
    requires(E& e, const Matrix<scalar_of<E>>& X, const typename E::target_type& y) {
    { e.fit(X, y) } -> std::same_as<E&>;
};

/// An estimator fitted on samples alone: `fit(X) -> E&`.
template <class E>
concept unsupervised_estimator = estimator<E> && requires(E& e, const Matrix<scalar_of<E>>& X) {
    { e.fit(X) } -> std::same_as<E&>;
};

/// An estimator with a `const` `predict(X)`.
template <class E>
concept predictor = estimator<E> && requires(const E& e, const Matrix<scalar_of<E>>& X) {
    e.predict(X);
};

/// Predicts integer class labels, the values it was fitted with, listed sorted by `classes()`.
template <class E>
concept classifier = supervised_estimator<E> && predictor<E> && std::same_as<typename E::target_type, Labels> &&
    requires(const E& e, const Matrix<scalar_of<E>>& X) {
    { e.predict(X) } -> std::same_as<Labels>;
    { e.classes() } -> std::convertible_to<Labels>;
};

/// A classifier with `predict_proba(X)`, one column per entry of `classes()`.
template <class E>
concept probabilistic_classifier = classifier<E> && requires(const E& e, const Matrix<scalar_of<E>>& X) {
    { e.predict_proba(X) } -> std::same_as<Matrix<scalar_of<E>>>;
};

/// Predicts a real value per sample.
template <class E>
concept regressor = supervised_estimator<E> && predictor<E> &&
    std::same_as<typename E::target_type, Vector<scalar_of<E>>> && requires(const E& e, const Matrix<scalar_of<E>>& X) {
    { e.predict(X) } -> std::same_as<Vector<scalar_of<E>>>;
};

namespace detail {
// What target_for checks y against, by the kind of E's target_type: `labels` and `reals` are the
// y under test where that kind applies and a type that passes otherwise, so that a failed check
// names the one concept that failed (label_vector, vector_of) and the type of y.
template <class Y, class Target, class T>
struct target_checks {
    using labels = Labels;
    using reals = Vector<T>;
    static constexpr bool other = std::convertible_to<const Y&, Target>;
};
template <class Y, class T>
struct target_checks<Y, Labels, T> {
    using labels = Y;
    using reals = Vector<T>;
    static constexpr bool other = true;
};
template <class Y, class T>
requires std::floating_point<T>
struct target_checks<Y, Vector<T>, T> {
    using labels = Labels;
    using reals = Y;
    static constexpr bool other = true;
};
template <class Y, class E>
using target_checks_for = target_checks<std::remove_cvref_t<Y>, typename E::target_type, scalar_of<E>>;
}  // namespace detail

/// `Y` is a target that supervised estimator E's `fit(X, y)` takes: int class labels
/// (label_vector) when E is fitted on `Labels` (a classifier), a vector of E's scalar (vector_of)
/// when on `Vector<T>` (a regressor), something convertible to E's `target_type` otherwise.
/// Functions that hand y on to an estimator (Pipeline::fit, GridSearchCV::fit, cross_val_score)
/// take their y under this constraint, so a wrong target fails where it is passed.
template <class Y, class E>
concept target_for = label_vector<typename detail::target_checks_for<Y, E>::labels> &&
    vector_of<typename detail::target_checks_for<Y, E>::reals, scalar_of<E>> && detail::target_checks_for<Y, E>::other;

/// Maps samples to new features with a `const` `transform(X)`, fitted with or without targets.
template <class E>
concept transformer = estimator<E> &&
    (unsupervised_estimator<E> || supervised_estimator<E>)&&requires(const E& e, const Matrix<scalar_of<E>>& X) {
    { e.transform(X) } -> std::same_as<Matrix<scalar_of<E>>>;
};

/// Groups samples into clusters: `fit_predict(X)` and the fitted `labels()`.
template <class E>
concept clusterer = unsupervised_estimator<E> && requires(E& e, const E& ce, const Matrix<scalar_of<E>>& X) {
    { e.fit_predict(X) } -> std::same_as<Labels>;
    { ce.labels() } -> std::convertible_to<Labels>;
};

/// A new, unfitted estimator with the same hyperparameters, as scikit-learn's `clone`.
template <estimator E>
[[nodiscard]] E clone(const E& e) {
    return E(e.params());
}

}  // namespace kestrel
