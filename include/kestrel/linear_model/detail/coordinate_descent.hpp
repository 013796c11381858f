#pragma once
/// \file
/// Cyclic coordinate descent for the elastic net, on the data or on its Gram matrix, with
/// scikit-learn's duality-gap stopping rule; and the Lasso/ElasticNet fit built on it.

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "../../core/progress.hpp"
#include "../../core/simd/blas1.hpp"
#include "../../core/types.hpp"
#include "../../core/warnings.hpp"
#include "../options.hpp"
#include "linear_regressor.hpp"
#include "normal_equations.hpp"

namespace kestrel::linear_model::detail {

/// Where coordinate descent stopped.
template <class T>
struct descent_result {
    T gap = 0;               ///< duality gap of the last check, in the solver's (unnormalised) scale
    int n_iter = 0;          ///< passes over the coordinates
    bool converged = false;  ///< gap below tolerance
};

template <class T>
T soft_threshold_update(T rho, T alpha, T denominator, bool positive) {
    if (positive && rho < 0) return T(0);
    const T magnitude = std::max(std::abs(rho) - alpha, T(0));
    return std::copysign(magnitude, rho) / denominator;
}

/// The duality gap of ½‖y − Xw‖² + α‖w‖₁ + ½β‖w‖², given ‖R‖², Xᵀ R − βw, Rᵀy, for R = y − Xw
/// (Friedman, Hastie and Tibshirani 2010; the dual point is R scaled into the dual-feasible set).
template <class T>
T elastic_net_gap(T r_norm2, const Vector<T>& xta, T r_dot_y, const Vector<T>& w, T alpha, T beta, bool positive) {
    const T dual_norm = positive ? xta.maxCoeff() : xta.cwiseAbs().maxCoeff();
    T scale = 1, gap = r_norm2;
    if (dual_norm > alpha) {
        scale = alpha / dual_norm;
        gap = T(0.5) * (r_norm2 + r_norm2 * scale * scale);
    }
    return gap + alpha * w.template lpNorm<1>() - scale * r_dot_y +
           T(0.5) * beta * (1 + scale * scale) * w.squaredNorm();
}

/// Whether a pass ended with the largest coordinate change small enough relative to the largest
/// coefficient that the (costlier) duality gap is worth checking, as scikit-learn decides it.
template <class T>
bool gap_check_due(T w_max, T dw_max, T dw_tol, int iteration, int max_iter) {
    return w_max == T(0) || dw_max / w_max < dw_tol || iteration == max_iter - 1;
}

/// Minimises ½‖y − Aw‖² + α‖w‖₁ + ½β‖w‖² by cyclic coordinate descent over the columns of A,
/// keeping the residual up to date with SIMD dot/axpy. Stops when a pass changes no coefficient
/// by more than tol·max|w| and the duality gap is below tol·‖y‖², or after max_iter passes.
template <class T>
descent_result<T> coordinate_descent(Vector<T>& w, T alpha, T beta, const ColMatrix<T>& A, const Vector<T>& y,
                                     int max_iter, T tol, bool positive,
                                     kestrel::detail::progress_reporter* progress = nullptr) {
    namespace simd = kestrel::detail::simd;
    const Index n = A.rows(), d = A.cols();
    const Vector<T> column_norm2 = A.colwise().squaredNorm().transpose();
    Vector<T> R = y - A * w;
    const T gap_tol = tol * y.squaredNorm();
    descent_result<T> result;
    for (int iteration = 0; iteration < max_iter; ++iteration) {
        T w_max = 0, dw_max = 0;
        for (Index j = 0; j < d; ++j) {
            if (column_norm2[j] == T(0)) continue;
            const T* column = A.col(j).data();
            const T old = w[j];
            if (old != T(0)) simd::axpy(old, column, R.data(), n);
            const T rho = simd::dot(column, R.data(), n);
            w[j] = soft_threshold_update(rho, alpha, column_norm2[j] + beta, positive);
            if (w[j] != T(0)) simd::axpy(-w[j], column, R.data(), n);
            dw_max = std::max(dw_max, std::abs(w[j] - old));
            w_max = std::max(w_max, std::abs(w[j]));
        }
        result.n_iter = iteration + 1;
        if (gap_check_due(w_max, dw_max, tol, iteration, max_iter)) {
            const Vector<T> xta = A.transpose() * R - beta * w;
            result.gap = elastic_net_gap(R.squaredNorm(), xta, R.dot(y), w, alpha, beta, positive);
            if (result.gap < gap_tol) {
                result.converged = true;
                break;
            }
        }
        if (progress != nullptr && progress->active() &&
            progress->tick(static_cast<double>(T(0.5) * R.squaredNorm() + alpha * w.template lpNorm<1>() +
                                               T(0.5) * beta * w.squaredNorm()))) {
            break;
        }
    }
    return result;
}

/// As coordinate_descent, on Q = AᵀA, q = Aᵀy and ‖y‖²: each update costs O(d), not O(n).
template <class T>
descent_result<T> coordinate_descent_gram(Vector<T>& w, T alpha, T beta, const ColMatrix<T>& Q, const Vector<T>& q,
                                          T y_norm2, int max_iter, T tol, bool positive,
                                          kestrel::detail::progress_reporter* progress = nullptr) {
    namespace simd = kestrel::detail::simd;
    const Index d = Q.cols();
    Vector<T> H = Q * w;
    const T gap_tol = tol * y_norm2;
    descent_result<T> result;
    for (int iteration = 0; iteration < max_iter; ++iteration) {
        T w_max = 0, dw_max = 0;
        for (Index j = 0; j < d; ++j) {
            if (Q(j, j) == T(0)) continue;
            const T* column = Q.col(j).data();
            const T old = w[j];
            if (old != T(0)) simd::axpy(-old, column, H.data(), d);
            w[j] = soft_threshold_update(q[j] - H[j], alpha, Q(j, j) + beta, positive);
            if (w[j] != T(0)) simd::axpy(w[j], column, H.data(), d);
            dw_max = std::max(dw_max, std::abs(w[j] - old));
            w_max = std::max(w_max, std::abs(w[j]));
        }
        result.n_iter = iteration + 1;
        if (gap_check_due(w_max, dw_max, tol, iteration, max_iter)) {
            // ‖R‖² and Rᵀy from Q and q: R = y − Aw.
            const T q_dot_w = w.dot(q);
            const T r_norm2 = y_norm2 + w.dot(H) - 2 * q_dot_w;
            const Vector<T> xta = q - H - beta * w;
            result.gap = elastic_net_gap(r_norm2, xta, y_norm2 - q_dot_w, w, alpha, beta, positive);
            if (result.gap < gap_tol) {
                result.converged = true;
                break;
            }
        }
        if (progress != nullptr && progress->active() &&
            progress->tick(static_cast<double>(T(0.5) * (y_norm2 + w.dot(H) - 2 * w.dot(q)) +
                                               alpha * w.template lpNorm<1>() + T(0.5) * beta * w.squaredNorm()))) {
            break;
        }
    }
    return result;
}

/// Coefficients along a sequence of penalties, each fit warm-started from the previous one, the
/// Gram matrix formed once: scikit-learn's enet_path, on X and y as given, or, with
/// `fit_intercept`, on X and y centred (inside the Gram pass, or in the copy the descent on X
/// makes), with an intercept per penalty. X's values are checked here (through its normal
/// equations on the Gram route), y's by the caller.
template <class T>
struct descent_path {
    Matrix<T> coefs;       ///< features × alphas
    Vector<T> intercepts;  ///< per alpha: ȳ − x̄·coef, or zeros without an intercept
    Vector<T> dual_gaps;   ///< per alpha, in the scale of the (1/2n) objective
    std::vector<int> n_iter;
};

template <class T>
descent_path<T> coordinate_descent_path(const row_major_ref<T>& X, const Vector<T>& y, const Vector<T>& alphas,
                                        double l1_ratio, bool fit_intercept, bool use_gram, int max_iter, T tol,
                                        bool positive, int n_jobs) {
    const Index n = X.rows(), d = X.cols(), k = alphas.size();
    descent_path<T> path{Matrix<T>(d, k), Vector<T>(k), Vector<T>(k), std::vector<int>(static_cast<std::size_t>(k))};
    Vector<T> coef = Vector<T>::Zero(d);
    normal_equations<T> ne;
    ColMatrix<T> A;
    Vector<T> yc, x_offset;
    T y_offset = 0;
    if (use_gram) {
        ne = centred_normal_equations<T>(X, y, Vector<T>(), fit_intercept, n_jobs);
        check_finite_through(ne, X, "enet_path");
        x_offset = ne.x_offset;
        y_offset = ne.y_offset[0];
    } else {
        kestrel::detail::check_finite(X, "enet_path");
        x_offset = column_offsets<T>(X, Vector<T>(), fit_intercept);
        y_offset = fit_intercept ? y.mean() : T(0);
        A = centred_design<T>(X, x_offset, Vector<T>());
        yc = y.array() - y_offset;
    }
    for (Index a = 0; a < k; ++a) {
        const T l1 = alphas[a] * static_cast<T>(l1_ratio * static_cast<double>(n));
        const T l2 = alphas[a] * static_cast<T>((1.0 - l1_ratio) * static_cast<double>(n));
        const descent_result<T> r = use_gram ? coordinate_descent_gram<T>(coef, l1, l2, ne.gram, ne.xty.col(0),
                                                                          ne.yty[0], max_iter, tol, positive)
                                             : coordinate_descent<T>(coef, l1, l2, A, yc, max_iter, tol, positive);
        path.coefs.col(a) = coef;
        path.intercepts[a] = y_offset - x_offset.dot(coef);
        path.dual_gaps[a] = r.gap / static_cast<T>(n);
        path.n_iter[static_cast<std::size_t>(a)] = r.n_iter;
    }
    return path;
}

/// The hyperparameters Lasso and ElasticNet share.
struct elastic_net_settings {
    double alpha = 1.0;
    double l1_ratio = 1.0;
    bool fit_intercept = true;
    Precompute precompute = Precompute::auto_;
    int max_iter = 1000;
    double tol = 1e-4;
    bool warm_start = false;
    bool positive = false;
    int n_jobs = 0;
};

/// Base of Lasso and ElasticNet: scikit-learn's ElasticNet.fit on one target, minimising
/// (1/2n) Σ wᵢ (yᵢ − xᵢ·w − b)² + α·l1_ratio‖w‖₁ + ½α(1 − l1_ratio)‖w‖² with the weights rescaled
/// to sum to n, by coordinate descent on the centred, √w-scaled data or on its Gram matrix.
template <class Derived, class T, class P>
class coordinate_descent_regressor : public linear_regressor<Derived, T, P> {
    using base = linear_regressor<Derived, T, P>;

public:
    using base::base;
    using base::fit;

    /// Fits with per-sample weights (non-negative, not all zero).
    template <matrix_of<T> M, vector_of<T> V, vector_of<T> W>
    Derived& fit(const M& X, const V& y, const W& sample_weight) {
        const P& p = this->params_;
        double l1_ratio = 1.0;  // Lasso
        if constexpr (requires { p.l1_ratio; }) l1_ratio = p.l1_ratio;
        fit_elastic_net(
            X, y, sample_weight,
            {p.alpha, l1_ratio, p.fit_intercept, p.precompute, p.max_iter, p.tol, p.warm_start, p.positive, p.n_jobs});
        return this->derived();
    }

    /// Coordinate-descent passes of the last fit.
    [[nodiscard]] int n_iter() const { return this->fitted(n_iter_); }
    /// Duality gap at the end of the last fit, in the scale of the (1/2n) objective.
    [[nodiscard]] T dual_gap() const { return this->fitted(dual_gap_); }
    /// Whether the gap fell below tol·‖y‖²/n before max_iter passes.
    [[nodiscard]] bool converged() const { return this->fitted(converged_); }

protected:
    friend struct kestrel::detail::persistence_access;

    template <class Archive>
    void persist(Archive& a) {
        linear_regressor<Derived, T, P>::persist(a, 1);
        a.value("n_iter_", n_iter_);
        a.value("dual_gap_", dual_gap_);
        a.value("converged_", converged_);
    }

private:
    template <class M, class V, class W>
    void fit_elastic_net(const M& X, const V& y, const W& sample_weight, const elastic_net_settings& s) {
        // X's NaN and infinities show in its normal equations on the Gram route, checked there.
        Vector<T> w = this->validate_data_but_x_values(X, y, sample_weight).values();
        const row_major_ref<T> Xr(X);
        const Index n = Xr.rows(), d = Xr.cols();
        Vector<T> coef = Vector<T>::Zero(d);
        if (s.warm_start && this->is_fitted() && this->n_features_in() == d)
            coef = this->coef_matrix().row(0).transpose();
        this->reset_fit();
        if (w.size() > 0) w *= static_cast<T>(n) / w.sum();

        const T l1 = static_cast<T>(s.alpha * s.l1_ratio * static_cast<double>(n));
        const T l2 = static_cast<T>(s.alpha * (1.0 - s.l1_ratio) * static_cast<double>(n));
        const T tol = static_cast<T>(s.tol);
        const bool gram = s.precompute == Precompute::true_ || (s.precompute == Precompute::auto_ && n > d);
        Vector<T> x_offset;
        T y_offset = 0;
        descent_result<T> result;
        auto progress = this->start_progress(s.max_iter, "objective");
        if (gram) {
            const normal_equations<T> ne = centred_normal_equations<T>(Xr, Vector<T>(y), w, s.fit_intercept, s.n_jobs);
            check_finite_through(ne, Xr, Derived::name);
            x_offset = ne.x_offset;
            y_offset = ne.y_offset[0];
            result = coordinate_descent_gram<T>(coef, l1, l2, ne.gram, ne.xty.col(0), ne.yty[0], s.max_iter, tol,
                                                s.positive, &progress);
        } else {
            kestrel::detail::check_finite(Xr, Derived::name);
            const Vector<T> target = y;
            x_offset = column_offsets<T>(Xr, w, s.fit_intercept);
            const Vector<T> target_offset = column_offsets<T>(target, w, s.fit_intercept);
            y_offset = target_offset[0];
            const ColMatrix<T> A = centred_design<T>(Xr, x_offset, w);
            const Vector<T> yc = centred_targets<T>(target, target_offset, w);
            result = coordinate_descent<T>(coef, l1, l2, A, yc, s.max_iter, tol, s.positive, &progress);
        }
        n_iter_ = result.n_iter;
        dual_gap_ = result.gap / static_cast<T>(n);
        converged_ = result.converged;
        Vector<T> intercept = Vector<T>::Constant(1, y_offset - x_offset.dot(coef));
        this->set_fitted(coef.transpose(), std::move(intercept));
        this->end_progress(progress);
        if (!converged_ && !progress.stopped()) {
            warn(warning_category::convergence, Derived::name,
                 "coordinate descent did not converge within max_iter=" + std::to_string(s.max_iter) +
                     " passes (duality gap " + std::to_string(static_cast<double>(dual_gap_)) +
                     "); increase max_iter, or scale the data, or use a larger alpha");
        }
    }

    int n_iter_ = 0;
    T dual_gap_ = 0;
    bool converged_ = false;
};

}  // namespace kestrel::linear_model::detail
