#pragma once
/// \file
/// One row at a time, without allocating: the argument types of `predict_one`,
/// `predict_proba_one` and `decision_function_one`, and `fixed_features<N>(model)`, a view of a
/// fitted model whose feature count is part of its type.
///
/// A row is `std::span<const T, N>`, `std::array<T, N>`, `Eigen::Matrix<T, N, 1>` (N fixed at
/// compile time) or `std::span<const T>` / `Eigen::Matrix<T, Eigen::Dynamic, 1>`. The estimator's
/// own methods check the row (fitted, as wide as in fit, no infinity, NaN only where the model
/// takes missing values) and throw as the batch methods do. The view checks the model once, when
/// made; its methods take rows of exactly N values (a row of another length does not compile) and
/// are `noexcept`: they read the row as it is, so the caller keeps it finite (NaN is a missing
/// value where the model takes them).
///
/// Each one-row method gives the bits the batch method gives that row: the batch methods run the
/// same per-row arithmetic, in the same order.

#include <array>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include <Eigen/Core>

#include "error.hpp"
#include "types.hpp"

namespace kestrel {
namespace detail {

struct export_access;  // kestrel::io's export_cpp (io/export_cpp.hpp)

/// What a one-row argument is: its scalar, its compile-time length (std::dynamic_extent when
/// none), and where its values are.
template <class R>
struct row_traits {
    static constexpr bool valid = false;
};
template <class T, std::size_t N>
struct row_traits<std::span<T, N>> {
    static constexpr bool valid = true;
    using scalar = std::remove_const_t<T>;
    static constexpr std::size_t extent = N;
    static const scalar* data(const std::span<T, N>& r) noexcept { return r.data(); }
    static std::size_t size(const std::span<T, N>& r) noexcept { return r.size(); }
};
template <class T, std::size_t N>
struct row_traits<std::array<T, N>> {
    static constexpr bool valid = true;
    using scalar = T;
    static constexpr std::size_t extent = N;
    static const T* data(const std::array<T, N>& r) noexcept { return r.data(); }
    static std::size_t size(const std::array<T, N>&) noexcept { return N; }
};
template <class T, int Rows, int Options, int MaxRows>
struct row_traits<Eigen::Matrix<T, Rows, 1, Options, MaxRows, 1>> {
    static constexpr bool valid = true;
    using scalar = T;
    static constexpr std::size_t extent = Rows == Eigen::Dynamic ? std::dynamic_extent : static_cast<std::size_t>(Rows);
    static const T* data(const Eigen::Matrix<T, Rows, 1, Options, MaxRows, 1>& r) noexcept { return r.data(); }
    static std::size_t size(const Eigen::Matrix<T, Rows, 1, Options, MaxRows, 1>& r) noexcept {
        return static_cast<std::size_t>(r.size());
    }
};

/// Access to an estimator's per-row kernels (protected members `predict_row(x)`,
/// `proba_row(x, out)`, and `decision_row(x, out)` with `decision_width()` values), for the
/// one-row methods and fixed_features. Each kernel reads the n_features_in() values at x, writes
/// its outputs and allocates nothing.
struct one_row_access {
    // Which kernels E has: each asked inside this class, a friend of the estimators, whose
    // kernels are private (a requires-clause outside a function body is checked without the
    // friendship by some compilers).
    template <class E, class T>
    static constexpr bool has_predict = requires(const E& e, const T* x) { e.predict_row(x); };
    template <class E, class T>
    static constexpr bool has_proba = requires(const E& e, const T* x, T* out) { e.proba_row(x, out); };
    template <class E, class T>
    static constexpr bool has_decision = requires(const E& e, const T* x, T* out) { e.decision_row(x, out); };
    template <class E, class T>
    static constexpr bool has_transform = requires(const E& e, const T* x, T* out) { e.transform_row(x, out); };

    template <class E, class T>
    static auto predict(const E& e, const T* x) noexcept {
        return e.predict_row(x);
    }
    template <class E, class T>
    static void proba(const E& e, const T* x, T* out) noexcept {
        e.proba_row(x, out);
    }
    template <class E, class T>
    static void decision(const E& e, const T* x, T* out) noexcept {
        e.decision_row(x, out);
    }
    template <class E>
    static Index decision_width(const E& e) noexcept {
        return e.decision_width();
    }
    template <class E, class T>
    static void transform(const E& e, const T* x, T* out) noexcept {
        e.transform_row(x, out);
    }
    template <class E>
    static Index transform_width(const E& e) noexcept {
        return e.transform_width();
    }
    /// The checks of a row's values an estimator makes beyond check_one_row
    /// (`check_row_values(x)`, when it has one: an imputer whose missing marker is a number
    /// refuses NaN).
    template <class E, class T>
    static void check_values(const E& e, const T* x) {
        if constexpr (requires { e.check_row_values(x); }) e.check_row_values(x);
    }
    /// The checks of the model an estimator makes beyond being fitted (`check_one_row_model()`,
    /// when it has one: a multi-target linear model refuses predict_one).
    template <class E>
    static void check_model(const E& e) {
        if constexpr (requires { e.check_one_row_model(); }) e.check_one_row_model();
    }
    /// Whether the model can give probabilities (`check_proba_available()`, when it has one: an
    /// SVC fitted without probability = true cannot), checked before predict_proba_one.
    template <class E>
    static void check_proba(const E& e) {
        if constexpr (requires { e.check_proba_available(); }) e.check_proba_available();
    }
};

template <class E, class T>
concept has_predict_row = one_row_access::has_predict<E, T>;
template <class E, class T>
concept has_proba_row = one_row_access::has_proba<E, T>;
template <class E, class T>
concept has_decision_row = one_row_access::has_decision<E, T>;
template <class E, class T>
concept has_transform_row = one_row_access::has_transform<E, T>;

/// Checks one row for a fitted model of `n_features` features (0: not fitted): its length, then
/// its values (no infinity; NaN only when `nan_ok`). Throws as the batch checks do.
template <class T>
void check_one_row(const T* x, std::size_t size, Index n_features, std::string_view estimator, bool nan_ok) {
    if (n_features == 0) {
        throw not_fitted(std::string(estimator) + ": this instance is not fitted yet; call fit before using it");
    }
    if (static_cast<Index>(size) != n_features) {
        throw invalid_input(std::string(estimator) + ": the row has " + std::to_string(size) +
                            " features, but the model was fitted with " + std::to_string(n_features));
    }
    for (std::size_t j = 0; j < size; ++j) {
        const T v = x[j];
        if (v - v == v - v) continue;  // finite
        if (v != v && nan_ok) continue;
        throw invalid_input(std::string(estimator) + ": the row holds " + (v != v ? "NaN" : "an infinite value") +
                            " at feature " + std::to_string(j) +
                            (nan_ok ? "; only finite values and NaN are accepted" : "; only finite values are accepted"));
    }
}

/// The natural logarithm of each entry, by std::log one at a time (a row's bits do not depend on
/// where it sits in the matrix, as they would with a vectorised log).
template <class T>
Matrix<T> log_of_entries(Matrix<T> m) {
    T* v = m.data();
    for (Index i = 0; i < m.size(); ++i) v[i] = std::log(v[i]);
    return m;
}

/// The batch transform of a transformer with a per-row kernel: transform_row on every row of X
/// (already validated), so that a row's values are those of transform_one.
template <class E, class M>
[[nodiscard]] Matrix<typename E::scalar_type> transform_rows(const E& e, const M& X) {
    using T = typename E::scalar_type;
    const Eigen::Ref<const Matrix<T>> rows(X);  // row-major: a copy only of another layout
    Matrix<T> out(rows.rows(), one_row_access::transform_width(e));
    for (Index i = 0; i < rows.rows(); ++i) one_row_access::transform(e, rows.row(i).data(), out.row(i).data());
    return out;
}

/// Whether estimator E reads NaN as a missing value.
template <class E>
constexpr bool takes_missing() {
    if constexpr (requires { E::allow_nan; }) {
        return E::allow_nan;
    } else {
        return false;
    }
}

}  // namespace detail

/// A one-row argument of scalar T: see the file's description.
template <class R, class T>
concept one_row_of = detail::row_traits<std::remove_cvref_t<R>>::valid &&
                     std::same_as<typename detail::row_traits<std::remove_cvref_t<R>>::scalar, T>;

/// A row of exactly N values of T, N fixed at compile time.
template <class R, class T, std::size_t N>
concept fixed_row_of = one_row_of<R, T> && detail::row_traits<std::remove_cvref_t<R>>::extent == N;

/// The one-row methods every estimator with a per-row kernel has: predict_one,
/// predict_proba_one, decision_function_one and (transformers) transform_one, each checked and
/// allocation-free (the overloads returning a Vector allocate it; those writing into a span do
/// not). Estimators derive from it through estimator_base; Pipeline derives from it itself.
template <class Derived, std::floating_point T>
class one_row_methods {
public:
    /// predict on one row: the class label (classifiers), the value (regressors) or the cluster.
    /// Throws as predict does for a row of the wrong length, an unfitted model or bad values.
    template <one_row_of<T> R>
    requires detail::has_predict_row<Derived, T>
    [[nodiscard]] auto predict_one(const R& row) const {
        return detail::one_row_access::predict(self(), checked(row));
    }

    /// predict_proba on one row, written to `out` (n_classes values; throws invalid_input for
    /// another length).
    template <one_row_of<T> R>
    requires detail::has_proba_row<Derived, T>
    void predict_proba_one(const R& row, std::span<T> out) const {
        const T* x = checked(row);
        detail::one_row_access::check_proba(self());
        check_out(out.size(), self().classes().size(), "predict_proba_one");
        detail::one_row_access::proba(self(), x, out.data());
    }
    /// predict_proba on one row, as a new vector of n_classes values.
    template <one_row_of<T> R>
    requires detail::has_proba_row<Derived, T>
    [[nodiscard]] Vector<T> predict_proba_one(const R& row) const {
        const T* x = checked(row);
        detail::one_row_access::check_proba(self());
        Vector<T> out(self().classes().size());
        detail::one_row_access::proba(self(), x, out.data());
        return out;
    }

    /// decision_function on one row, written to `out` (as many values as decision_function has
    /// columns; throws invalid_input for another length).
    template <one_row_of<T> R>
    requires detail::has_decision_row<Derived, T>
    void decision_function_one(const R& row, std::span<T> out) const {
        const T* x = checked(row);
        check_out(out.size(), detail::one_row_access::decision_width(self()), "decision_function_one");
        detail::one_row_access::decision(self(), x, out.data());
    }
    /// decision_function on one row, as a new vector.
    template <one_row_of<T> R>
    requires detail::has_decision_row<Derived, T>
    [[nodiscard]] Vector<T> decision_function_one(const R& row) const {
        const T* x = checked(row);
        Vector<T> out(detail::one_row_access::decision_width(self()));
        detail::one_row_access::decision(self(), x, out.data());
        return out;
    }

    /// transform on one row, written to `out` (as many values as transform has columns; throws
    /// invalid_input for another length).
    template <one_row_of<T> R>
    requires detail::has_transform_row<Derived, T>
    void transform_one(const R& row, std::span<T> out) const {
        const T* x = checked(row);
        check_out(out.size(), detail::one_row_access::transform_width(self()), "transform_one");
        detail::one_row_access::transform(self(), x, out.data());
    }
    /// transform on one row, as a new vector.
    template <one_row_of<T> R>
    requires detail::has_transform_row<Derived, T>
    [[nodiscard]] Vector<T> transform_one(const R& row) const {
        const T* x = checked(row);
        Vector<T> out(detail::one_row_access::transform_width(self()));
        detail::one_row_access::transform(self(), x, out.data());
        return out;
    }

private:
    const Derived& self() const noexcept { return static_cast<const Derived&>(*this); }
    template <class R>
    const T* checked(const R& row) const {
        using traits = detail::row_traits<std::remove_cvref_t<R>>;
        const T* x = traits::data(row);
        detail::check_one_row(x, traits::size(row), self().is_fitted() ? self().n_features_in() : 0, Derived::name,
                              detail::takes_missing<Derived>());
        detail::one_row_access::check_values(self(), x);
        detail::one_row_access::check_model(self());
        return x;
    }
    static void check_out(std::size_t size, Index wanted, std::string_view method) {
        if (static_cast<Index>(size) != wanted) {
            throw invalid_input(std::string(Derived::name) + ": " + std::string(method) + " writes " +
                                std::to_string(wanted) + " values, but the output span holds " + std::to_string(size));
        }
    }
};

/// A fitted model whose feature count N (and, for K > 0, its number of classes or decision
/// values K) is part of the type: see fixed_features().
template <class E, std::size_t N, std::size_t K = 0>
class fixed_model {
public:
    using T = typename E::scalar_type;  ///< the model's scalar
    static constexpr std::size_t n_features = N;  ///< the row length
    static constexpr std::size_t n_outputs = K;   ///< classes of predict_proba_one / values of decision_function_one

    /// The view of `model`, which must outlive it. Throws not_fitted, or invalid_input when the
    /// model was fitted on another number of features (or classes), or, with K > 0, when a
    /// classifier that has predict_proba cannot give probabilities (an SVC fitted without them).
    explicit fixed_model(const E& model) : model_(&model) {
        if (!model.is_fitted()) {
            throw not_fitted(std::string(E::name) + ": this instance is not fitted yet; call fit before using it");
        }
        detail::one_row_access::check_model(model);
        if (model.n_features_in() != static_cast<Index>(N)) {
            throw invalid_input(std::string(E::name) + ": fixed_features<" + std::to_string(N) +
                                "> of a model fitted with " + std::to_string(model.n_features_in()) + " features");
        }
        if constexpr (K > 0 && detail::has_proba_row<E, T>) detail::one_row_access::check_proba(model);
        if constexpr (K > 0) {
            if (outputs() != static_cast<Index>(K)) {
                throw invalid_input(std::string(E::name) + ": fixed_features<" + std::to_string(N) + ", " +
                                    std::to_string(K) + "> of a model with " + std::to_string(outputs()) + " outputs");
            }
        }
        if constexpr (single_decision && detail::has_decision_row<E, T>) {
            if (detail::one_row_access::decision_width(model) != 1) {
                throw invalid_input(std::string(E::name) + ": fixed_features<" + std::to_string(N) + ", " +
                                    std::to_string(K) + "> of a model with " +
                                    std::to_string(detail::one_row_access::decision_width(model)) +
                                    " decision values, where one is expected");
            }
        }
    }

    /// predict on one row of N values.
    template <fixed_row_of<T, N> R>
    requires detail::has_predict_row<E, T>
    [[nodiscard]] auto predict_one(const R& row) const noexcept {
        return detail::one_row_access::predict(*model_, detail::row_traits<std::remove_cvref_t<R>>::data(row));
    }
    /// predict_proba on one row of N values: K values.
    template <fixed_row_of<T, N> R>
    requires(K > 0 && detail::has_proba_row<E, T>)
    [[nodiscard]] std::array<T, K> predict_proba_one(const R& row) const noexcept {
        std::array<T, K> out;
        detail::one_row_access::proba(*model_, detail::row_traits<std::remove_cvref_t<R>>::data(row), out.data());
        return out;
    }
    /// decision_function on one row of N values. One decision value comes as T: a binary
    /// classifier's (K = 2 classes, for a model with probabilities) or a model's with K = 1; a
    /// model without probabilities gives its K values as std::array<T, K>. A multiclass model
    /// with probabilities has it on the model only: decision_function_one(row, out).
    template <fixed_row_of<T, N> R>
    requires(detail::has_decision_row<E, T> && (detail::has_proba_row<E, T> ? K == 2 : K > 0))
    [[nodiscard]] auto decision_function_one(const R& row) const noexcept {
        const T* x = detail::row_traits<std::remove_cvref_t<R>>::data(row);
        if constexpr (single_decision) {
            T out;
            detail::one_row_access::decision(*model_, x, &out);
            return out;
        } else {
            std::array<T, K> out;
            detail::one_row_access::decision(*model_, x, out.data());
            return out;
        }
    }

    /// The model viewed.
    [[nodiscard]] const E& model() const noexcept { return *model_; }

private:
    /// Whether decision_function_one gives one value, as T.
    static constexpr bool single_decision = detail::has_proba_row<E, T> ? K == 2 : K == 1;

    [[nodiscard]] Index outputs() const {
        if constexpr (detail::has_proba_row<E, T>) {
            return model_->classes().size();
        } else if constexpr (detail::has_decision_row<E, T>) {
            return detail::one_row_access::decision_width(*model_);
        } else {
            return 0;
        }
    }
    const E* model_;
};

/// A view of the fitted `model` for rows of exactly N features, checked once here: its
/// predict_one (and, with K > 0, predict_proba_one and decision_function_one returning
/// std::array<T, K>) take `std::array<T, N>`, `std::span<const T, N>` or
/// `Eigen::Matrix<T, N, 1>`, are noexcept and allocate nothing. A row of another length does not
/// compile. The view holds the model by reference: it must not be refitted while the view is used.
/// ```cpp
/// const auto fast = kestrel::fixed_features<8, 3>(model);   // throws unless 8 features, 3 classes
/// std::array<double, 8> row = ...;
/// int label = fast.predict_one(row);
/// std::array<double, 3> p = fast.predict_proba_one(row);
/// ```
template <std::size_t N, std::size_t K = 0, class E>
[[nodiscard]] fixed_model<E, N, K> fixed_features(const E& model) {
    return fixed_model<E, N, K>(model);
}

}  // namespace kestrel
