#pragma once
/// \file
/// What every estimator shares, written once: scikit-learn's `BaseEstimator` as a CRTP base
/// (hyperparameters, fitted state, the feature count, checked input) and its mixins
/// (`ClassifierMixin`, `RegressorMixin`, `ClusterMixin`, `TransformerMixin`).
///
/// An estimator writes its Params, its fit and its predict (or transform), and nothing else:
/// ```cpp
/// struct DummyParams { ...; constexpr void validate() const; bool operator==(...) = default; };
/// template <std::floating_point T = double>
/// class Dummy : public estimator_base<Dummy<T>, T, DummyParams>, public classifier_mixin<Dummy<T>, T> {
///     using base = estimator_base<Dummy<T>, T, DummyParams>;
/// public:
///     static constexpr std::string_view name = "Dummy";
///     using base::base;  // explicit Dummy(Params = {})
///     using base::fit;   // fit(X, y) and fit(const Dataset&), forwarded to the weighted fit
///     template <matrix_of<T> M, label_vector L, vector_of<T> W>
///     Dummy& fit(const M& X, const L& y, const W& sample_weight);
///     template <matrix_of<T> M> Labels predict(const M& X) const;
/// };
/// ```

#include <concepts>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <Eigen/Core>

#include "../../metrics/classification.hpp"
#include "../../metrics/regression.hpp"
#include "../concepts.hpp"
#include "../dataset.hpp"
#include "../one_row.hpp"
#include "../print.hpp"
#include "../progress.hpp"
#include "../types.hpp"
#include "../warnings.hpp"
#include "../weights.hpp"
#include "validation.hpp"

namespace kestrel {

namespace detail {
struct persistence_access;  // kestrel::io's save and load (io/persistence.hpp)
struct export_access;       // kestrel::io's export_cpp (io/export_cpp.hpp)
/// kestrel::distributed's access to estimator E's fitted state (distributed/*.hpp specialise it).
template <class E>
struct distributed_access;

template <class E>
concept has_target_type = requires {
    typename E::target_type;
};
}  // namespace detail

/// scikit-learn's BaseEstimator: the hyperparameters (`Params`, validated when `fit` starts), the
/// fitted state (`is_fitted()`, `n_features_in()`) and the one checked-input entry. `Derived`
/// names itself in messages through its `static constexpr std::string_view name`.
template <class Derived, std::floating_point T, class P>
class estimator_base : public one_row_methods<Derived, T> {
public:
    using scalar_type = T;             ///< the floating-point type of the data and the fitted state
    using Params = P;                  ///< the hyperparameters' aggregate
    using base_type = estimator_base;  ///< this base, for estimators that name it

    /// Only stores the parameters; `fit` validates them.
    explicit estimator_base(Params params = {}) : params_(std::move(params)) {}

    /// The hyperparameters, as given (validated by `fit`).
    [[nodiscard]] const Params& params() const noexcept { return params_; }
    /// Replaces the hyperparameters; the fitted state stays until the next `fit`.
    Derived& set_params(const Params& params) {
        params_ = params;
        return derived();
    }
    /// Whether `fit` has run (and succeeded).
    [[nodiscard]] bool is_fitted() const noexcept { return n_features_in_ > 0; }
    /// The number of features seen by `fit`. Throws not_fitted.
    [[nodiscard]] Index n_features_in() const { return fitted(n_features_in_); }

    /// Sets the callback that long fits report their progress to, and that can stop them
    /// (kestrel/core/progress.hpp); an empty one removes it. Not saved with the model.
    Derived& set_progress_callback(progress_callback callback) {
        progress_callback_ = std::move(callback);
        return derived();
    }
    /// Whether the last fit was ended early by the progress callback (the model is fitted and
    /// usable, with what was fitted until then).
    [[nodiscard]] bool cancelled() const noexcept { return cancelled_; }

    /// Unsupervised fit without weights: forwards to the estimator's `fit(X, sample_weight)`.
    template <matrix_of<T> M>
    requires(!detail::has_target_type<Derived>) && requires(Derived& e, const M& X) { e.fit(X, Vector<T>()); }
    Derived& fit(const M& X) { return derived().fit(X, Vector<T>()); }
    /// Supervised fit without weights: forwards to the estimator's `fit(X, y, sample_weight)`.
    template <matrix_of<T> M, class Y>
    requires detail::has_target_type<Derived> && requires(Derived& e, const M& X, const Y& y) {
        e.fit(X, y, Vector<T>());
    }
    Derived& fit(const M& X, const Y& y) { return derived().fit(X, y, Vector<T>()); }
    /// Fits on a Dataset: its X, its y for a supervised estimator, and its sample_weight (when the
    /// estimator takes weights; empty means uniform).
    template <class Target>
    Derived& fit(const Dataset<T, Target>& data) {
        Derived& self = derived();
        if constexpr (detail::has_target_type<Derived>) {
            return self.fit(data.X, data.y, data.sample_weight);
        } else if constexpr (requires { self.fit(data.X, data.sample_weight); }) {
            return self.fit(data.X, data.sample_weight);
        } else {
            return self.fit(data.X);
        }
    }

protected:
    friend struct detail::persistence_access;
    template <class>
    friend struct detail::distributed_access;
    friend struct detail::one_row_access;

    Derived& derived() noexcept { return static_cast<Derived&>(*this); }
    const Derived& derived() const noexcept { return static_cast<const Derived&>(*this); }

    /// `value`, once fitted. Throws not_fitted.
    template <class V>
    const V& fitted(const V& value) const {
        detail::check_fitted(is_fitted(), Derived::name);
        return value;
    }

    /// scikit-learn's `validate_data` for `fit` and `partial_fit`: validates the Params, then X
    /// (samples, features, finite values; with `reset` false the fitted feature count too), and
    /// returns the checked sample weights (uniform when `sample_weight` is empty).
    template <class M, class W>
    sample_weights<T> validate_data(const M& X, const W& sample_weight, bool reset = true) const {
        params_.validate();
        if (reset || !is_fitted()) return detail::validate_data<T>(Derived::name, X, sample_weight);
        detail::check_training_matrix(X, Derived::name);
        detail::check_n_features(X.cols(), n_features_in_, Derived::name);
        return detail::checked_sample_weights<T>(sample_weight, X.rows(), Derived::name);
    }
    /// As validate_data(X, sample_weight), with a target y of one entry (or row) per sample.
    template <class M, class Y, class W>
    sample_weights<T> validate_data(const M& X, const Y& y, const W& sample_weight) const {
        params_.validate();
        return detail::validate_data<T>(Derived::name, X, y, sample_weight);
    }
    /// As validate_data(X, y, sample_weight), leaving X's values to a fit that finds a NaN or an
    /// infinity in its first pass anyway and then calls detail::check_finite.
    template <class M, class Y, class W>
    sample_weights<T> validate_data_but_x_values(const M& X, const Y& y, const W& sample_weight) const {
        params_.validate();
        return detail::validate_data_but_x_values<T>(Derived::name, X, y, sample_weight);
    }
    /// The checks of every method that reads a fitted model: fitted, X as wide as in fit, finite.
    template <class M>
    void validate_predict(const M& X) const {
        detail::check_predict_matrix(X, is_fitted(), n_features_in_, Derived::name);
    }

    /// The progress of a fit that is starting: up to `max_iterations` ticks, each with a `value_name`.
    detail::progress_reporter start_progress(Index max_iterations, std::string_view value_name) {
        cancelled_ = false;
        return {&progress_callback_, Derived::name, max_iterations, value_name};
    }
    /// Records whether `progress` was stopped, and says so through the warning path.
    void end_progress(const detail::progress_reporter& progress) {
        cancelled_ = progress.stopped();
        if (cancelled_) {
            warn(warning_category::fit_stopped, Derived::name,
                 "the progress callback stopped the fit after " + std::to_string(progress.iterations()) +
                     " iterations; the model holds what was fitted until then");
        }
    }

    Params params_;
    Index n_features_in_ = 0;  ///< 0 until fitted
    progress_callback progress_callback_;
    bool cancelled_ = false;
};

/// scikit-learn's ClassifierMixin: integer targets, and `score` = accuracy of `predict`.
template <class Derived, std::floating_point T>
class classifier_mixin {
public:
    using target_type = Labels;  ///< integer class labels, one per sample

    /// Accuracy of predict(X) against y (weighted by `sample_weight` when given).
    template <matrix_of<T> M, label_vector L, vector_of<T> W = Vector<T>>
    [[nodiscard]] T score(const M& X, const L& y, const W& sample_weight = W()) const {
        const auto& self = static_cast<const Derived&>(*this);
        const Labels predicted = self.predict(X);
        detail::check_same_length(X.rows(), y.size(), Derived::name, "y");
        return static_cast<T>(metrics::accuracy_score(y, predicted, sample_weight));
    }
};

/// scikit-learn's RegressorMixin: real targets, and `score` = R² of `predict`.
template <class Derived, std::floating_point T>
class regressor_mixin {
public:
    using target_type = Vector<T>;  ///< real targets, one per sample

    /// R² of predict(X) against y (weighted by `sample_weight` when given), as metrics::r2_score.
    template <matrix_of<T> M, vector_of<T> V, vector_of<T> W = Vector<T>>
    [[nodiscard]] T score(const M& X, const V& y, const W& sample_weight = W()) const {
        const auto& self = static_cast<const Derived&>(*this);
        const Vector<T> predicted = self.predict(X);
        detail::check_same_length(X.rows(), y.size(), Derived::name, "y");
        return metrics::r2_score(y, predicted, sample_weight);
    }
};

/// scikit-learn's ClusterMixin: `fit_predict` = the training labels of `fit`.
template <class Derived, std::floating_point T>
class cluster_mixin {
public:
    /// Fits on X (weighted by `sample_weight` when given) and returns the training labels.
    template <matrix_of<T> M, vector_of<T> W = Vector<T>>
    Labels fit_predict(const M& X, const W& sample_weight = W()) {
        return static_cast<Derived&>(*this).fit(X, sample_weight).labels();
    }
};

/// scikit-learn's TransformerMixin: `fit_transform` = `fit` then `transform` of the same rows.
template <class Derived, std::floating_point T>
class transformer_mixin {
public:
    /// Fits on X, then transforms X.
    template <dense_matrix M>
    requires requires(Derived& e, const M& X) { e.fit(X).transform(X); }
    Matrix<T> fit_transform(const M& X) { return static_cast<Derived&>(*this).fit(X).transform(X); }
    /// Fits on X weighted by `sample_weight`, then transforms X.
    template <matrix_of<T> M, vector_of<T> W>
    Matrix<T> fit_transform(const M& X, const W& sample_weight) {
        return static_cast<Derived&>(*this).fit(X, sample_weight).transform(X);
    }
};

}  // namespace kestrel
