#pragma once
/// \file
/// What every linear regressor shares: fitted coefficients and intercepts (one row per target)
/// and predict; the R² score comes from the regressor mixin.

#include <cmath>
#include <string>
#include <string_view>
#include <utility>

#include <Eigen/Core>

#include "../../core/concepts.hpp"
#include "../../core/detail/estimator_base.hpp"
#include "../../core/detail/linear_rows.hpp"
#include "../../core/detail/validation.hpp"
#include "../../core/error.hpp"
#include "../../core/types.hpp"
#include "normal_equations.hpp"

namespace kestrel::linear_model::detail {

/// Base of LinearRegression, Ridge, Lasso and ElasticNet: the fitted linear map and its use.
/// A model fitted on one target answers `coef()`, `intercept()` and `predict()`; a model fitted on
/// several (Ridge and LinearRegression take a matrix Y) answers `coef_matrix()`,
/// `intercept_vector()` and `predict_matrix()`, which also work for one target.
template <class Derived, class T, class P>
class linear_regressor : public estimator_base<Derived, T, P>, public regressor_mixin<Derived, T> {
    using base = estimator_base<Derived, T, P>;

public:
    using base::base;
    using base::fit;

    /// Coefficients, one per feature. Throws not_fitted; invalid_input after a multi-target fit.
    [[nodiscard]] Vector<T> coef() const {
        check_single_target("coef_matrix()");
        return coef_.row(0).transpose();
    }
    /// The intercept (0 when fit_intercept is false). Throws as coef().
    [[nodiscard]] T intercept() const {
        check_single_target("intercept_vector()");
        return intercept_[0];
    }
    /// Coefficients as scikit-learn's 2-D coef_: targets × features.
    [[nodiscard]] const Matrix<T>& coef_matrix() const { return this->fitted(coef_); }
    /// One intercept per target.
    [[nodiscard]] const Vector<T>& intercept_vector() const { return this->fitted(intercept_); }
    /// Targets the model was fitted on (1 unless fitted with a matrix Y).
    [[nodiscard]] Index n_targets() const { return this->fitted(coef_).rows(); }

    /// X · coef + intercept. Throws not_fitted, invalid_input (feature count, NaN, several targets).
    template <matrix_of<T> M>
    [[nodiscard]] Vector<T> predict(const M& X) const {
        check_single_target("predict_matrix()");
        this->validate_predict(X);
        // Through the row-major view, so every input layout sums in the same order.
        const kestrel::detail::row_major_ref<T> rows(X);
        return kestrel::detail::linear_scores<T>(rows, coef_, intercept_).col(0);
    }
    /// X · coef_matrixᵀ + intercepts: samples × targets.
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> predict_matrix(const M& X) const {
        this->validate_predict(X);
        const kestrel::detail::row_major_ref<T> rows(X);
        return kestrel::detail::linear_scores<T>(rows, coef_, intercept_);
    }

protected:
    friend struct kestrel::detail::persistence_access;
    friend struct kestrel::detail::one_row_access;

    /// predict_one refuses a model of several targets, as predict does.
    void check_one_row_model() const { check_single_target("predict_matrix()"); }
    /// predict on one row (the first target's).
    [[nodiscard]] T predict_row(const T* x) const noexcept {
        return kestrel::detail::dot_in_order(x, coef_.row(0).data(), coef_.cols()) + intercept_[0];
    }

    /// coef_ as a targets × features matrix (`targets` rows; any when −1), intercept_ one per target.
    template <class Archive>
    void persist(Archive& a, Index targets = -1) {
        a.matrix("coef_", coef_, targets, a.n_features());
        a.vector("intercept_", intercept_, coef_.rows());
        a.require(coef_.rows() >= 1, "coef_ has no rows");
    }

    void set_fitted(Matrix<T> coef, Vector<T> intercept) {
        this->n_features_in_ = coef.cols();
        coef_ = std::move(coef);
        intercept_ = std::move(intercept);
    }
    void reset_fit() noexcept { this->n_features_in_ = 0; }

    /// The closed-form fit of LinearRegression (α = 0) and Ridge; see fit_least_squares.
    template <class M, class W>
    void fit_closed_form(const M& X, const ColMatrix<T>& Y, const W& sample_weight, bool fit_intercept, T alpha,
                         int n_jobs) {
        reset_fit();
        // X's NaN and infinities show in its normal equations, which fit_least_squares checks.
        const sample_weights<T> w = this->validate_data_but_x_values(X, Y, sample_weight);
        linear_fit<T> fitted = fit_least_squares<T>(X, Y, w.values(), fit_intercept, alpha, n_jobs, Derived::name);
        set_fitted(std::move(fitted.coef), std::move(fitted.intercept));
    }

private:
    void check_single_target(std::string_view instead) const {
        if (this->fitted(coef_).rows() != 1) {
            throw invalid_input(std::string(Derived::name) + " was fitted with " + std::to_string(coef_.rows()) +
                                " targets; use " + std::string(instead));
        }
    }

    Matrix<T> coef_;
    Vector<T> intercept_;
};

/// Base of LinearRegression and Ridge: the closed-form fit of one target or of several (one per
/// column of Y), with the Params' `alpha` as the L2 penalty when it has one (0 otherwise).
template <class Derived, class T, class P>
class closed_form_regressor : public linear_regressor<Derived, T, P> {
    using base = linear_regressor<Derived, T, P>;

public:
    using base::base;
    using base::fit;

    /// Fits y ≈ X w + b with per-sample weights (non-negative, not all zero; `fit(X, y)` without).
    template <matrix_of<T> M, vector_of<T> V, vector_of<T> W>
    Derived& fit(const M& X, const V& y, const W& sample_weight) {
        return fit_targets(X, Vector<T>(y), sample_weight);
    }
    /// Fits several targets at once, one per column of Y (read the answer with coef_matrix()),
    /// with per-sample weights or without (`fit(X, Y)`).
    template <matrix_of<T> M, matrix_of<T> Y, vector_of<T> W>
    requires(Y::ColsAtCompileTime != 1) Derived& fit(const M& X, const Y& targets, const W& sample_weight) {
        return fit_targets(X, ColMatrix<T>(targets), sample_weight);
    }

private:
    template <class M, class W>
    Derived& fit_targets(const M& X, const ColMatrix<T>& Y, const W& sample_weight) {
        const P& p = this->params_;
        T alpha = 0;
        if constexpr (requires { p.alpha; }) alpha = static_cast<T>(p.alpha);
        this->fit_closed_form(X, Y, sample_weight, p.fit_intercept, alpha, p.n_jobs);
        return this->derived();
    }
};

}  // namespace kestrel::linear_model::detail
