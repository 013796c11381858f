#pragma once
/// \file
/// What SVR, NuSVR and OneClassSVM share: libsvm's single decision function
/// f(x) = Σₛ dual_coefₛ K(svₛ, x) + intercept, its fitted state and its model-file members.

#include <algorithm>
#include <array>
#include <concepts>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "../../core/concepts.hpp"
#include "../../core/detail/estimator_base.hpp"
#include "../../core/detail/parallel.hpp"
#include "../../core/error.hpp"
#include "../../core/types.hpp"
#include "../../core/detail/validation.hpp"
#include "../kernels.hpp"
#include "kernel_cache.hpp"
#include "smo.hpp"
#include "support_rows.hpp"

namespace kestrel::svm::detail {

/// The base of the one-function libsvm estimators: `P` has kernel, degree, gamma, coef0, tol,
/// shrinking, cache_size, max_iter and n_jobs.
template <class Derived, std::floating_point T, class P>
class libsvm_single : public estimator_base<Derived, T, P> {
    using base = estimator_base<Derived, T, P>;

public:
    using base::base;

    /// Indices (into the training rows) of the support vectors.
    [[nodiscard]] const Labels& support() const { return this->fitted(support_); }
    /// The support vectors, one a row, in the order of support() (empty with Kernel::precomputed).
    [[nodiscard]] const Matrix<T>& support_vectors() const { return this->fitted(support_vectors_); }
    /// The coefficient of each support vector (one row).
    [[nodiscard]] const Matrix<T>& dual_coef() const { return this->fitted(dual_coef_); }
    /// The constant of the decision function (one entry).
    [[nodiscard]] const Vector<T>& intercept() const { return this->fitted(intercept_); }
    /// Solver iterations.
    [[nodiscard]] int n_iter() const { return this->fitted(n_iter_); }
    /// 0 when the solver met tol, 1 when it stopped at max_iter.
    [[nodiscard]] int fit_status() const { return this->fitted(fit_status_); }
    /// The shape of the training X: {rows, columns}.
    [[nodiscard]] const std::array<Index, 2>& shape_fit() const { return this->fitted(shape_fit_); }
    /// The primal weights (one row), Kernel::linear only. Throws invalid_input for another kernel.
    [[nodiscard]] const Matrix<T>& coef() const {
        this->fitted(coef_);
        if (this->params_.kernel != Kernel::linear) {
            throw invalid_input(std::string(Derived::name) + ": coef() is only available when using a linear kernel");
        }
        return coef_;
    }

protected:
    /// Validates X for fit (square with Kernel::precomputed) and sets the kernel; returns X as a
    /// dense matrix.
    template <class M>
    Matrix<T> prepare(const M& X) {
        const P& params = this->params_;
        if (params.kernel == Kernel::precomputed && X.rows() != X.cols()) {
            throw invalid_input(std::string(Derived::name) +
                                ": with kernel=precomputed, X must be the square kernel matrix of the training "
                                "samples (n_samples x n_samples); got " +
                                std::to_string(X.rows()) + "x" + std::to_string(X.cols()));
        }
        Matrix<T> Xd = X;
        kernel_ = {params.kernel, params.degree, params.gamma.resolve(Xd), params.coef0};
        return Xd;
    }


    /// Runs libsvm's solver on `problem` over the rows `data`.
    svm::detail::smo_result solve(const Matrix<T>& data, const svm::detail::smo_problem& problem) {
        const P& params = this->params_;
        svm::detail::kernel_cache<T> cache(data, kernel_, params.cache_size,
                                           kestrel::detail::resolve_n_jobs(params.n_jobs));
        auto progress = this->start_progress(0, "");
        svm::detail::smo_result result =
            svm::detail::solve_smo(cache, problem, params.tol, params.shrinking, params.max_iter, &progress);
        this->end_progress(progress);
        if (result.reached_max_iter && !progress.stopped()) svm::detail::warn_terminated_early(Derived::name, params.max_iter);
        return result;
    }

    /// Keeps the rows of nonzero coefficient: `kept[t]` is training row of coefficient t.
    void finish(const Matrix<T>& X, const std::vector<Index>& kept, const Eigen::VectorXd& coef,
                const svm::detail::smo_result& result) {
        std::vector<Index> sv;
        for (Index t = 0; t < coef.size(); ++t) {
            if (coef[t] != 0) sv.push_back(t);
        }
        const Index n_sv = static_cast<Index>(sv.size());
        support_.resize(n_sv);
        dual_coef_.resize(1, n_sv);
        const bool precomputed = kernel_.kernel == Kernel::precomputed;
        support_vectors_.resize(precomputed ? 0 : n_sv, precomputed ? 0 : X.cols());
        for (Index s = 0; s < n_sv; ++s) {
            const Index t = sv[static_cast<std::size_t>(s)];
            const Index row = kept[static_cast<std::size_t>(t)];
            support_[s] = static_cast<int>(row);
            if (!precomputed) support_vectors_.row(s) = X.row(row);
            dual_coef_(0, s) = static_cast<T>(coef[t]);
        }
        intercept_ = Vector<T>::Constant(1, static_cast<T>(-result.rho));
        n_iter_ = static_cast<int>(std::min<std::int64_t>(result.n_iter, 2147483647));
        fit_status_ = result.reached_max_iter ? 1 : 0;
        shape_fit_ = {X.rows(), X.cols()};
        this->n_features_in_ = X.cols();
        update_coef();
    }

    /// Σₛ dual_coefₛ K(svₛ, x) for each row x of X (without the intercept), in parallel over
    /// blocks of rows, each row by sum_row.
    template <class M>
    Vector<T> kernel_sums(const M& X) const {
        this->validate_predict(X);
        const kestrel::detail::row_major_ref<T> rows(X);
        const Index n = rows.rows();
        Vector<T> out(n);
        constexpr Index block = 64;
        const auto lanes = svm::detail::batch_lanes(kernel_, support_vectors_, n);
        kestrel::detail::parallel_for(
            (n + block - 1) / block, kestrel::detail::resolve_n_jobs(this->params_.n_jobs), [&](Index b) {
                svm::detail::rows_with_kernel_values(
                    kernel_, lanes, sv_norms_, b * block, std::min(n, (b + 1) * block),
                    [&](Index i) { return rows.row(i).data(); },
                    [&](const T* x, Index i, const T* values) { out[i] = sum_row(x, values); });
            });
        return out;
    }

    /// Σₛ dual_coefₛ K(svₛ, x) of one row, added in support-vector order; `values`: the row's
    /// kernel values, already computed (kernel_values_of_rows), or null.
    [[nodiscard]] T sum_row(const T* x, const T* values = nullptr) const noexcept {
        T acc = 0;
        svm::detail::for_each_kernel_value(kernel_, x, support_vectors_, sv_norms_, support_, values, [&](Index s, T k) {
            acc = kestrel::detail::multiply_add(dual_coef_(0, s), k, acc);
        });
        return acc;
    }

    friend struct kestrel::detail::export_access;

    template <class Archive>
    void persist(Archive& a) {
        const P& p = this->params_;
        a.labels("support_", support_, -1, false);
        a.require((support_.array() >= 0).all(), "support_ holds a negative index");
        const Index n_sv = support_.size();
        if (p.kernel == Kernel::precomputed) {
            a.matrix("support_vectors_", support_vectors_, 0, 0);
            a.require((support_.array().template cast<Index>() < a.n_features()).all(),
                      "support_ holds an index past the training samples (n_features_in_)");
        } else {
            a.matrix("support_vectors_", support_vectors_, n_sv, a.n_features());
        }
        a.matrix("dual_coef_", dual_coef_, 1, n_sv);
        a.vector("intercept_", intercept_, 1);
        a.value("n_iter_", n_iter_);
        a.require(n_iter_ >= 0, "n_iter_ must be >= 0");
        a.value("fit_status_", fit_status_);
        a.require(fit_status_ == 0 || fit_status_ == 1, "fit_status_ must be 0 or 1");
        a.value("_gamma", kernel_.gamma);
        a.require(kernel_.gamma > 0, "_gamma must be > 0");
        std::vector<Index> shape{shape_fit_[0], shape_fit_[1]};
        a.integers("shape_fit_", shape, 2);
        a.require(shape[0] >= 1 && shape[1] == a.n_features(), "shape_fit_ must be (n_samples >= 1, n_features_in_)");
        kernel_.kernel = p.kernel;
        kernel_.degree = p.degree;
        kernel_.coef0 = p.coef0;
        if constexpr (Archive::loading) {
            shape_fit_ = {shape[0], shape[1]};
            update_coef();
        }
    }

    svm::detail::kernel_function kernel_;
    Labels support_;
    Matrix<T> support_vectors_;
    Vector<T> sv_norms_;  // ‖sv‖² of each support vector (derived, not saved)
    Matrix<T> dual_coef_;
    Vector<T> intercept_;
    Matrix<T> coef_;
    int n_iter_ = 0;
    int fit_status_ = 0;
    std::array<Index, 2> shape_fit_{0, 0};

private:
    void update_coef() {
        sv_norms_ = svm::detail::support_norms(support_vectors_);
        if (kernel_.kernel == Kernel::linear) {
            coef_ = dual_coef_ * support_vectors_;
        } else {
            coef_.resize(0, 0);
        }
    }
};

/// The base of SVR (P has `epsilon`) and NuSVR (P has `nu`): libsvm's regression duals, two
/// variables (α⁺, α⁻) per sample of positive weight.
template <class Derived, std::floating_point T, class P>
class libsvm_regressor : public libsvm_single<Derived, T, P>, public regressor_mixin<Derived, T> {
    using base = libsvm_single<Derived, T, P>;
    static constexpr bool is_nu = requires(const P& p) { p.nu; };

public:
    using base::base;
    using estimator_base<Derived, T, P>::fit;

    /// Fits on samples X (with Kernel::precomputed: the n × n kernel matrix of the training
    /// samples) and targets y, with per-sample weights that multiply C (samples of weight 0 are
    /// left out, as scikit-learn does).
    template <matrix_of<T> M, vector_of<T> V, vector_of<T> W>
    Derived& fit(const M& X, const V& y, const W& sample_weight) {
        const P& params = this->params_;
        this->n_features_in_ = 0;
        const sample_weights<T> sw = this->validate_data(X, y, sample_weight);
        const Matrix<T> Xd = this->prepare(X);
        std::vector<Index> kept;
        for (Index i = 0; i < X.rows(); ++i) {
            if (sw[i] > T(0)) kept.push_back(i);
        }
        const Index l = static_cast<Index>(kept.size());
        // Variables t < l are α⁺ (y = +1), t ≥ l are α⁻ (y = −1), both on row t mod l.
        svm::detail::smo_problem problem{Eigen::VectorXd(2 * l), Eigen::VectorXi(2 * l), Eigen::VectorXd(2 * l),
                                         std::vector<Index>(static_cast<std::size_t>(2 * l)), {}, is_nu};
        for (Index t = 0; t < l; ++t) {
            const Index i = kept[static_cast<std::size_t>(t)];
            const double target = static_cast<double>(y[i]);
            problem.y[t] = 1;
            problem.y[t + l] = -1;
            problem.C[t] = problem.C[t + l] = params.C * static_cast<double>(sw[i]);
            problem.row[static_cast<std::size_t>(t)] = problem.row[static_cast<std::size_t>(t + l)] = t;
            if constexpr (is_nu) {
                problem.p[t] = -target;
                problem.p[t + l] = target;
            } else {
                problem.p[t] = params.epsilon - target;
                problem.p[t + l] = params.epsilon + target;
            }
        }
        if constexpr (is_nu) {
            // libsvm's start: α⁺ = α⁻, filled in row order up to ν·ΣC/2 on each side.
            double sum = 0;
            for (Index t = 0; t < l; ++t) sum += problem.C[t] * params.nu;
            sum /= 2;
            problem.alpha.resize(2 * l);
            for (Index t = 0; t < l; ++t) {
                problem.alpha[t] = problem.alpha[t + l] = std::min(sum, problem.C[t]);
                sum -= problem.alpha[t];
            }
        }
        const svm::detail::smo_result result = this->solve(svm::detail::gather_rows(this->kernel_, Xd, kept), problem);
        Eigen::VectorXd coef(l);
        for (Index t = 0; t < l; ++t) coef[t] = result.alpha[t] - result.alpha[t + l];
        this->finish(Xd, kept, coef, result);
        return static_cast<Derived&>(*this);
    }

    /// The predicted target of each row of X (with Kernel::precomputed: the kernel matrix between
    /// the samples and the training samples).
    template <matrix_of<T> M>
    [[nodiscard]] Vector<T> predict(const M& X) const {
        Vector<T> out = this->kernel_sums(X);
        out.array() += this->intercept_[0];
        return out;
    }

private:
    friend struct kestrel::detail::one_row_access;

    [[nodiscard]] T predict_row(const T* x) const noexcept { return this->sum_row(x) + this->intercept_[0]; }
};

}  // namespace kestrel::svm::detail
