#pragma once
/// \file
/// SVR: ε-support vector regression with a kernel, libsvm's solver.

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/detail/estimator_base.hpp"
#include "../core/detail/parallel.hpp"
#include "../core/detail/validation.hpp"
#include "../core/error.hpp"
#include "../core/params.hpp"
#include "../core/types.hpp"
#include "detail/kernel_cache.hpp"
#include "detail/smo.hpp"
#include "kernels.hpp"

namespace kestrel::svm {

/// SVR's hyperparameters, in scikit-learn's order; kestrel adds n_jobs.
struct SVRParams {
    static constexpr std::string_view name = "SVR";
    Kernel kernel = Kernel::rbf;  ///< linear, poly, rbf or sigmoid (precomputed: not yet)
    int degree = 3;               ///< poly's degree, ≥ 0
    Gamma gamma = Gamma::scale;   ///< scale, auto_ or a number > 0 (poly, rbf, sigmoid)
    double coef0 = 0.0;           ///< poly's and sigmoid's constant term
    double tol = 1e-3;            ///< stop when the maximal violating pair's gap ≤ tol
    double C = 1.0;               ///< penalty of the ε-insensitive loss, > 0
    double epsilon = 0.1;         ///< half-width of the tube without loss, ≥ 0
    bool shrinking = true;        ///< libsvm's shrinking heuristic
    double cache_size = 200;      ///< megabytes of cached kernel rows, > 0
    int max_iter = -1;            ///< solver iterations; −1: libsvm's cap
    int n_jobs = 0;               ///< threads for kernel rows; 0 = all cores
    friend bool operator==(const SVRParams&, const SVRParams&) = default;
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static void fields(Self& p, F&& field) {
        field("kernel", p.kernel);
        field("degree", p.degree);
        Gamma::field("gamma", p.gamma, field);
        field("coef0", p.coef0);
        field("tol", p.tol);
        field("C", p.C);
        field("epsilon", p.epsilon);
        field("shrinking", p.shrinking);
        field("cache_size", p.cache_size);
        field("max_iter", p.max_iter);
        field("n_jobs", p.n_jobs);
    }
    constexpr void validate() const {
        require_param(kernel != Kernel::precomputed, name, "kernel", "precomputed", "is not supported yet");
        require_param(degree >= 0, name, "degree", degree, "must be >= 0");
        require_param(!gamma.is_number() || gamma.value() > 0, name, "gamma", gamma.value(),
                      "must be > 0, Gamma::scale or Gamma::auto_");
        require_param(tol > 0, name, "tol", tol, "must be > 0");
        require_param(C > 0, name, "C", C, "must be > 0");
        require_param(epsilon >= 0, name, "epsilon", epsilon, "must be >= 0");
        require_param(cache_size > 0, name, "cache_size", cache_size, "must be > 0");
        require_param(max_iter >= -1, name, "max_iter", max_iter, "must be -1 (no limit) or >= 0");
        require_param(n_jobs >= 0, name, "n_jobs", n_jobs, "must be >= 0");
    }
};

/// ε-support vector regression, as scikit-learn 1.2's `SVR` (libsvm's epsilon-SVR): the dual
/// over α⁺, α⁻ ∈ [0, C·sample_weight] of ½(α⁺ − α⁻)ᵀK(α⁺ − α⁻) + ε·Σ(α⁺ + α⁻) − yᵀ(α⁺ − α⁻),
/// Σ(α⁺ − α⁻) = 0, solved by libsvm's SMO (detail/smo.hpp) to the same stopping rule, so
/// support(), dual_coef() (α⁺ − α⁻) and intercept() are libsvm's. Kernel rows come from X
/// through an LRU cache of `cache_size` MB.
///
/// Throws invalid_parameter for C ≤ 0, ε < 0, γ ≤ 0, tol ≤ 0, cache_size ≤ 0, degree < 0,
/// Kernel::precomputed (not supported yet); invalid_input for NaN/inf, mismatched lengths, a
/// wrong feature count at predict, coef() with a non-linear kernel.
template <std::floating_point T = double>
class SVR : public estimator_base<SVR<T>, T, SVRParams>, public regressor_mixin<SVR<T>, T> {
    using base = estimator_base<SVR<T>, T, SVRParams>;

public:
    static constexpr std::string_view name = SVRParams::name;
    using base::base;
    using base::fit;

    /// Fits on samples X and targets y, with per-sample weights that multiply C (samples of
    /// weight 0 are left out, as scikit-learn does).
    template <matrix_of<T> M, vector_of<T> V, vector_of<T> W>
    SVR& fit(const M& X, const V& y, const W& sample_weight) {
        const SVRParams& params = this->params_;
        this->n_features_in_ = 0;
        const sample_weights<T> sw = this->validate_data(X, y, sample_weight);
        std::vector<Index> kept;
        for (Index i = 0; i < X.rows(); ++i) {
            if (sw[i] > T(0)) kept.push_back(i);
        }
        const Index l = static_cast<Index>(kept.size());
        const Matrix<T> Xd = X;
        Matrix<T> rows(l, Xd.cols());
        for (Index t = 0; t < l; ++t) rows.row(t) = Xd.row(kept[static_cast<std::size_t>(t)]);
        kernel_ = {params.kernel, params.degree, params.gamma.resolve(Xd), params.coef0};

        // Variables t < l are α⁺ (y = +1), t ≥ l are α⁻ (y = −1), both on row t mod l.
        svm::detail::smo_problem problem{Eigen::VectorXd(2 * l), Eigen::VectorXi(2 * l), Eigen::VectorXd(2 * l),
                                         std::vector<Index>(static_cast<std::size_t>(2 * l))};
        for (Index t = 0; t < l; ++t) {
            const Index i = kept[static_cast<std::size_t>(t)];
            const double target = static_cast<double>(y[i]);
            const double bound = params.C * static_cast<double>(sw[i]);
            problem.p[t] = params.epsilon - target;
            problem.p[t + l] = params.epsilon + target;
            problem.y[t] = 1;
            problem.y[t + l] = -1;
            problem.C[t] = problem.C[t + l] = bound;
            problem.row[static_cast<std::size_t>(t)] = problem.row[static_cast<std::size_t>(t + l)] = t;
        }
        svm::detail::kernel_cache<T> cache(rows, kernel_, params.cache_size,
                                           kestrel::detail::resolve_n_jobs(params.n_jobs));
        const svm::detail::smo_result result =
            svm::detail::solve_smo(cache, problem, params.tol, params.shrinking, params.max_iter);

        std::vector<Index> sv;
        for (Index t = 0; t < l; ++t) {
            if (result.alpha[t] - result.alpha[t + l] != 0) sv.push_back(t);
        }
        const Index n_sv = static_cast<Index>(sv.size());
        support_.resize(n_sv);
        support_vectors_.resize(n_sv, Xd.cols());
        dual_coef_.resize(1, n_sv);
        for (Index s = 0; s < n_sv; ++s) {
            const Index t = sv[static_cast<std::size_t>(s)];
            support_[s] = static_cast<int>(kept[static_cast<std::size_t>(t)]);
            support_vectors_.row(s) = rows.row(t);
            dual_coef_(0, s) = static_cast<T>(result.alpha[t] - result.alpha[t + l]);
        }
        intercept_ = Vector<T>::Constant(1, static_cast<T>(-result.rho));
        n_iter_ = static_cast<int>(std::min<std::int64_t>(result.n_iter, 2147483647));
        fit_status_ = result.reached_max_iter ? 1 : 0;
        this->n_features_in_ = Xd.cols();
        update_coef();
        return *this;
    }

    /// Σ dual_coef·K(support vector, x) + intercept for each row of X.
    template <matrix_of<T> M>
    [[nodiscard]] Vector<T> predict(const M& X) const {
        this->validate_predict(X);
        const Index n = X.rows();
        Vector<T> out(n);
        const Vector<T> sv_norms = support_vectors_.rowwise().squaredNorm();
        constexpr Index block = 256;  // rows at a time: bounded memory for the kernel values
        for (Index first = 0; first < n; first += block) {
            const Index rows = std::min(block, n - first);
            const Matrix<T> Xb = X.middleRows(first, rows);
            const Vector<T> norms = Xb.rowwise().squaredNorm();
            out.segment(first, rows) = svm::detail::kernel_block(kernel_, Xb, support_vectors_, norms, sv_norms) *
                                       dual_coef_.row(0).transpose();
        }
        out.array() += intercept_[0];
        return out;
    }

    /// Indices (into the training rows) of the support vectors, in row order.
    [[nodiscard]] const Labels& support() const { return this->fitted(support_); }
    /// The support vectors, one a row, in the order of support().
    [[nodiscard]] const Matrix<T>& support_vectors() const { return this->fitted(support_vectors_); }
    /// α⁺ − α⁻ of the support vectors: one row.
    [[nodiscard]] const Matrix<T>& dual_coef() const { return this->fitted(dual_coef_); }
    /// The constant of the regression function (one entry).
    [[nodiscard]] const Vector<T>& intercept() const { return this->fitted(intercept_); }
    /// Solver iterations.
    [[nodiscard]] int n_iter() const { return this->fitted(n_iter_); }
    /// 0 when the solver met tol, 1 when it stopped at max_iter.
    [[nodiscard]] int fit_status() const { return this->fitted(fit_status_); }
    /// The primal weights (one row), Kernel::linear only. Throws invalid_input for another kernel.
    [[nodiscard]] const Matrix<T>& coef() const {
        this->fitted(coef_);
        if (this->params_.kernel != Kernel::linear) {
            throw invalid_input(std::string(name) + ": coef() is only available when using a linear kernel");
        }
        return coef_;
    }

private:
    friend struct kestrel::detail::persistence_access;

    template <class Archive>
    void persist(Archive& a) {
        a.labels("support_", support_, -1, false);
        a.require((support_.array() >= 0).all(), "support_ holds a negative index");
        const Index n_sv = support_.size();
        a.matrix("support_vectors_", support_vectors_, n_sv, a.n_features());
        a.matrix("dual_coef_", dual_coef_, 1, n_sv);
        a.vector("intercept_", intercept_, 1);
        a.value("n_iter_", n_iter_);
        a.require(n_iter_ >= 0, "n_iter_ must be >= 0");
        a.value("fit_status_", fit_status_);
        a.require(fit_status_ == 0 || fit_status_ == 1, "fit_status_ must be 0 or 1");
        a.value("_gamma", kernel_.gamma);
        a.require(kernel_.gamma > 0, "_gamma must be > 0");
        const SVRParams& p = this->params_;
        kernel_.kernel = p.kernel;
        kernel_.degree = p.degree;
        kernel_.coef0 = p.coef0;
        if constexpr (Archive::loading) update_coef();
    }

    void update_coef() {
        if (kernel_.kernel == Kernel::linear) {
            coef_ = dual_coef_ * support_vectors_;
        } else {
            coef_.resize(0, 0);
        }
    }

    svm::detail::kernel_function kernel_;
    Labels support_;
    Matrix<T> support_vectors_;
    Matrix<T> dual_coef_;
    Vector<T> intercept_;
    Matrix<T> coef_;
    int n_iter_ = 0;
    int fit_status_ = 0;
};

}  // namespace kestrel::svm
