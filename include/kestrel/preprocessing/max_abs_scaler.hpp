#pragma once
/// \file
/// MaxAbsScaler: scale each feature by its largest absolute value.

#include <cmath>
#include <concepts>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/dataset.hpp"
#include "../core/detail/estimator_base.hpp"
#include "../core/detail/validation.hpp"
#include "../core/error.hpp"
#include "../core/types.hpp"
#include "../impute/detail/missing.hpp"
#include "detail/scaling.hpp"

namespace kestrel::preprocessing {

/// MaxAbsScaler's hyperparameters: none (scikit-learn's only one, `copy`, has no C++ meaning).
struct MaxAbsScalerParams {
    /// scikit-learn's class name.
    static constexpr std::string_view name = "MaxAbsScaler";
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static constexpr void fields(Self&, F&&) {}
    /// Nothing to check: every value of these fields is valid. Part of the Params contract.
    constexpr void validate() const noexcept {}
    friend constexpr bool operator==(const MaxAbsScalerParams&, const MaxAbsScalerParams&) = default;
};

/// Scales features as scikit-learn's `MaxAbsScaler`: z = x / scale, with scale the largest |x| of
/// each feature (1 where that is below 10·epsilon), so the fitted data lies in [−1, 1] without
/// being shifted. `partial_fit` updates the maxima batch by batch. NaN is ignored at fit and kept
/// by transform, as in scikit-learn; infinity is refused, and so is a feature with no value but
/// NaN in a batch.
template <std::floating_point T = double>
class MaxAbsScaler : public estimator_base<MaxAbsScaler<T>, T, MaxAbsScalerParams>,
                     public transformer_mixin<MaxAbsScaler<T>, T> {
    using base = estimator_base<MaxAbsScaler<T>, T, MaxAbsScalerParams>;

public:
    /// scikit-learn's class name.
    static constexpr std::string_view name = MaxAbsScalerParams::name;
    /// NaN in X is a missing value: ignored by fit, kept by transform.
    static constexpr bool allow_nan = true;
    using base::base;
    using base::fit;

    /// Records each feature's largest absolute value (forgetting any earlier fit).
    /// Throws invalid_input.
    template <matrix_of<T> M>
    MaxAbsScaler& fit(const M& X) {
        this->n_features_in_ = 0;
        n_samples_seen_ = 0;
        return partial_fit(X);
    }

    /// Updates the maxima with one more batch of rows. Throws invalid_input (also for a width
    /// other than the first batch's).
    template <matrix_of<T> M>
    MaxAbsScaler& partial_fit(const M& X) {
        impute::detail::check_missing_input(X, impute::detail::missing_marker<T>{}, name);
        if (this->is_fitted()) kestrel::detail::check_n_features(X.cols(), this->n_features_in_, name);
        const Index d = X.cols();
        // Each feature's largest |x| (−1 while it has seen only NaN, which never compares
        // greater), read in X's storage order.
        Vector<T> batch = Vector<T>::Constant(d, T(-1));
        const auto widen = [&](Index i, Index j) {
            const T x = std::abs(X(i, j));
            if (x > batch[j]) batch[j] = x;
        };
        if constexpr (std::remove_cvref_t<M>::IsRowMajor) {
            for (Index i = 0; i < X.rows(); ++i) {
                for (Index j = 0; j < d; ++j) widen(i, j);
            }
        } else {
            for (Index j = 0; j < d; ++j) {
                for (Index i = 0; i < X.rows(); ++i) widen(i, j);
            }
        }
        for (Index j = 0; j < d; ++j) {
            if (batch[j] < T(0)) {
                throw invalid_input(kestrel::detail::prefixed(
                    name, "feature " + std::to_string(j) + " has no value but NaN; it needs at least one to fit"));
            }
        }
        max_abs_ = this->is_fitted() ? Vector<T>(max_abs_.cwiseMax(batch)) : batch;
        n_samples_seen_ += X.rows();
        scale_ = max_abs_.unaryExpr([](T s) { return detail::nonzero_scale(s); });
        this->n_features_in_ = d;
        return *this;
    }

    /// X / scale; NaN stays NaN. Throws not_fitted, invalid_input.
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> transform(const M& X) const {
        checked(X);
        return kestrel::detail::transform_rows(*this, X);
    }

    /// Z · scale: undoes transform.
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> inverse_transform(const M& Z) const {
        checked(Z);
        Matrix<T> X = Z;
        X.array().rowwise() *= scale_.transpose().array();
        return X;
    }

    /// Per-feature largest absolute value seen.
    [[nodiscard]] const Vector<T>& max_abs() const { return this->fitted(max_abs_); }
    /// Per-feature divisor of transform: max_abs, or 1 where it is near zero.
    [[nodiscard]] const Vector<T>& scale() const { return this->fitted(scale_); }
    /// Rows seen by fit and partial_fit.
    [[nodiscard]] Index n_samples_seen() const { return this->fitted(n_samples_seen_); }

private:
    friend struct kestrel::detail::persistence_access;
    friend struct kestrel::detail::one_row_access;

    [[nodiscard]] Index transform_width() const noexcept { return this->n_features_in_; }
    void transform_row(const T* x, T* out) const noexcept {
        for (Index j = 0; j < this->n_features_in_; ++j) out[j] = x[j] / scale_[j];
    }

    template <class Archive>
    void persist(Archive& a) {
        const Index d = a.n_features();
        a.value("n_samples_seen_", n_samples_seen_);
        a.vector("max_abs_", max_abs_, d);
        a.vector("scale_", scale_, d);
        // A count of rows past 2^53 is not one a fit reaches, and partial_fit must not overflow it.
        a.require(n_samples_seen_ >= 1 && n_samples_seen_ < (Index{1} << 53), "n_samples_seen_ is out of range");
        a.require((max_abs_.array() >= T(0)).all(), "max_abs_ must not be negative");
        a.require((scale_.array() > T(0)).all(), "scale_ must be positive");
    }

    template <class M>
    void checked(const M& X) const {
        kestrel::detail::check_fitted(this->is_fitted(), name);
        kestrel::detail::check_n_features(X.cols(), this->n_features_in_, name);
        impute::detail::check_missing_input(X, impute::detail::missing_marker<T>{}, name);
    }

    Index n_samples_seen_ = 0;
    Vector<T> max_abs_, scale_;
};

}  // namespace kestrel::preprocessing
