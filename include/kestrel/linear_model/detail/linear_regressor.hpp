#pragma once
/// \file
/// What every linear regressor shares: input checks, fitted coefficients and intercepts (one row
/// per target), predict and the R² score.

#include <cmath>
#include <string>
#include <utility>
#include <string_view>

#include <Eigen/Core>

#include "../../core/concepts.hpp"
#include "../../core/detail/validation.hpp"
#include "../../core/error.hpp"
#include "../../core/types.hpp"
#include "input_checks.hpp"
#include "normal_equations.hpp"

namespace kestrel::linear_model::detail {

/// The coefficient of determination R² = 1 − Σ w (y − ŷ)² / Σ w (y − ȳ)², as scikit-learn's
/// r2_score: 1 for a perfect fit of a constant target, 0 for an imperfect one.
template <class T>
T r2_score(const Vector<T>& y, const Vector<T>& prediction, const Vector<T>& w) {
    const Vector<T> weights = w.size() == 0 ? Vector<T>(Vector<T>::Ones(y.size())) : w;
    const T mean = weights.dot(y) / weights.sum();
    const T residual = weights.dot((y - prediction).cwiseAbs2());
    const T total = weights.dot((y.array() - mean).matrix().cwiseAbs2());
    if (total == T(0)) return residual == T(0) ? T(1) : T(0);
    return T(1) - residual / total;
}

/// Base of LinearRegression, Ridge, Lasso and ElasticNet: the fitted linear map and its use.
/// A model fitted on one target answers `coef()`, `intercept()` and `predict()`; a model fitted on
/// several (Ridge and LinearRegression take a matrix Y) answers `coef_matrix()`,
/// `intercept_vector()` and `predict_matrix()`, which also work for one target.
template <class T>
class linear_regressor {
public:
    using scalar_type = T;
    using target_type = Vector<T>;

    [[nodiscard]] bool is_fitted() const noexcept { return n_features_in_ > 0; }

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
    [[nodiscard]] const Matrix<T>& coef_matrix() const {
        kestrel::detail::check_fitted(is_fitted(), name_);
        return coef_;
    }
    /// One intercept per target.
    [[nodiscard]] const Vector<T>& intercept_vector() const {
        kestrel::detail::check_fitted(is_fitted(), name_);
        return intercept_;
    }
    [[nodiscard]] Index n_features_in() const {
        kestrel::detail::check_fitted(is_fitted(), name_);
        return n_features_in_;
    }
    /// Targets the model was fitted on (1 unless fitted with a matrix Y).
    [[nodiscard]] Index n_targets() const {
        kestrel::detail::check_fitted(is_fitted(), name_);
        return coef_.rows();
    }

    /// X · coef + intercept. Throws not_fitted, invalid_input (feature count, NaN, several targets).
    template <matrix_of<T> M>
    [[nodiscard]] Vector<T> predict(const M& X) const {
        check_single_target("predict_matrix()");
        check_predict_matrix(X, is_fitted(), n_features_in_, name_);
        // Through the row-major view, so every input layout sums in the same order.
        const kestrel::detail::row_major_ref<T> rows(X);
        return (rows * coef_.row(0).transpose()).array() + intercept_[0];
    }
    /// X · coef_matrixᵀ + intercepts: samples × targets.
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> predict_matrix(const M& X) const {
        check_predict_matrix(X, is_fitted(), n_features_in_, name_);
        const kestrel::detail::row_major_ref<T> rows(X);
        Matrix<T> out = rows * coef_.transpose();
        out.rowwise() += intercept_.transpose();
        return out;
    }
    /// R² of predict(X) against y.
    template <matrix_of<T> M, vector_of<T> V>
    [[nodiscard]] T score(const M& X, const V& y) const {
        return score(X, y, Vector<T>());
    }
    /// Weighted R² of predict(X) against y.
    template <matrix_of<T> M, vector_of<T> V, vector_of<T> W>
    [[nodiscard]] T score(const M& X, const V& y, const W& sample_weight) const {
        Vector<T> prediction = predict(X);
        kestrel::detail::check_same_length(X.rows(), y.size(), name_, "y");
        const Vector<T> w = sample_weight.size() == 0
                                ? Vector<T>()
                                : kestrel::detail::checked_sample_weight<T>(sample_weight, X.rows(), name_);
        return r2_score<T>(y, prediction, w);
    }

protected:
    explicit linear_regressor(std::string_view estimator) : name_(estimator) {}

    void set_fitted(Matrix<T> coef, Vector<T> intercept) {
        n_features_in_ = coef.cols();
        coef_ = std::move(coef);
        intercept_ = std::move(intercept);
    }
    void reset_fit() noexcept { n_features_in_ = 0; }

    /// The closed-form fit of LinearRegression (α = 0) and Ridge; see fit_least_squares.
    template <class M, class W>
    void fit_closed_form(const M& X, const ColMatrix<T>& Y, const W& sample_weight, bool fit_intercept, T alpha,
                         int n_jobs) {
        reset_fit();
        const Vector<T> w = checked_regression_input<T>(X, Y, sample_weight, name_);
        linear_fit<T> fitted = fit_least_squares<T>(X, Y, w, fit_intercept, alpha, n_jobs);
        set_fitted(std::move(fitted.coef), std::move(fitted.intercept));
    }

private:
    void check_single_target(std::string_view instead) const {
        kestrel::detail::check_fitted(is_fitted(), name_);
        if (coef_.rows() != 1) {
            throw invalid_input(std::string(name_) + " was fitted with " + std::to_string(coef_.rows()) +
                                " targets; use " + std::string(instead));
        }
    }

    std::string_view name_;
    Matrix<T> coef_;
    Vector<T> intercept_;
    Index n_features_in_ = 0;
};

}  // namespace kestrel::linear_model::detail
