#pragma once
/// \file
/// Ridge: least squares with an L2 penalty, in closed form.

#include <concepts>
#include <string_view>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/dataset.hpp"
#include "../core/params.hpp"
#include "../core/types.hpp"
#include "detail/linear_regressor.hpp"

namespace kestrel::linear_model {

/// L2-penalised least squares, as scikit-learn's `Ridge` with its Cholesky solver: minimises
/// Σ wᵢ (yᵢ − xᵢ·w − b)² + α‖w‖² (the intercept is not penalised).
///
/// Solves (XᵀX + αI) w = Xᵀy by Cholesky on the centred, weighted normal equations, or, with more
/// features than samples, the kernel system (XXᵀ + αI) c = y with w = Xᵀc. α = 0 falls back to the
/// minimum-norm least-squares answer when X is rank deficient. `fit` takes y as a vector, or a
/// matrix Y of several targets sharing α (read coef_matrix(), intercept_vector(), predict_matrix()).
/// Throws invalid_parameter for α < 0; invalid_input on NaN/inf, empty X or mismatched lengths.
template <std::floating_point T = double>
class Ridge : public detail::linear_regressor<T> {
public:
    static constexpr std::string_view name = "Ridge";

    struct Params {
        double alpha = 1.0;         ///< L2 penalty strength, ≥ 0
        bool fit_intercept = true;  ///< centre X and y and fit b
        int n_jobs = 0;             ///< threads forming XᵀX; 0 = all cores
        friend constexpr bool operator==(const Params&, const Params&) = default;
        constexpr void validate() const {
            require_param(alpha >= 0, name, "alpha", alpha, "must be >= 0");
        }
    };

    explicit Ridge(Params params = {}) : detail::linear_regressor<T>(name), params_(params) {}

    [[nodiscard]] const Params& params() const noexcept { return params_; }
    Ridge& set_params(const Params& params) {
        params_ = params;
        return *this;
    }

    template <matrix_of<T> M, vector_of<T> V>
    Ridge& fit(const M& X, const V& y) {
        return fit(X, y, Vector<T>());
    }
    /// Fits with per-sample weights (non-negative, not all zero).
    template <matrix_of<T> M, vector_of<T> V, vector_of<T> W>
    Ridge& fit(const M& X, const V& y, const W& sample_weight) {
        return fit_targets(X, Vector<T>(y), sample_weight);
    }
    /// Fits several targets at once, one per column of Y.
    template <matrix_of<T> M, matrix_of<T> Y>
        requires(Y::ColsAtCompileTime != 1)
    Ridge& fit(const M& X, const Y& targets) {
        return fit_targets(X, detail::ColMatrix<T>(targets), Vector<T>());
    }
    /// Fits several targets with per-sample weights.
    template <matrix_of<T> M, matrix_of<T> Y, vector_of<T> W>
        requires(Y::ColsAtCompileTime != 1)
    Ridge& fit(const M& X, const Y& targets, const W& sample_weight) {
        return fit_targets(X, detail::ColMatrix<T>(targets), sample_weight);
    }
    Ridge& fit(const Dataset<T, Vector<T>>& data) { return fit(data.X, data.y, data.sample_weight); }

private:
    template <class M, class W>
    Ridge& fit_targets(const M& X, const detail::ColMatrix<T>& Y, const W& sample_weight) {
        params_.validate();
        this->fit_closed_form(X, Y, sample_weight, params_.fit_intercept, static_cast<T>(params_.alpha), params_.n_jobs);
        return *this;
    }

    Params params_;
};

}  // namespace kestrel::linear_model
