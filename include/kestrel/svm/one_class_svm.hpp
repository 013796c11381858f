#pragma once
/// \file
/// OneClassSVM: novelty detection with libsvm's one-class ν-SVM (the shared machinery:
/// detail/libsvm_single.hpp).

#include <concepts>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/params.hpp"
#include "../core/types.hpp"
#include "detail/libsvm_single.hpp"
#include "kernels.hpp"

namespace kestrel::svm {

/// OneClassSVM's hyperparameters, in scikit-learn's order; kestrel adds n_jobs.
struct OneClassSVMParams {
    /// The estimator's name, as scikit-learn spells it: in messages, printing and model files.
    static constexpr std::string_view name = "OneClassSVM";
    Kernel kernel = Kernel::rbf;  ///< linear, poly, rbf, sigmoid or precomputed
    int degree = 3;               ///< poly's degree, ≥ 0
    Gamma gamma = Gamma::scale;   ///< scale, auto_ or a number > 0 (poly, rbf, sigmoid)
    double coef0 = 0.0;           ///< poly's and sigmoid's constant term
    double tol = 1e-3;            ///< stop when the maximal violating pair's gap ≤ tol
    double nu = 0.5;              ///< bounds the fraction of outliers from above and of support vectors from below, in (0, 1]
    bool shrinking = true;        ///< libsvm's shrinking heuristic
    double cache_size = 200;      ///< megabytes of cached kernel rows, > 0
    int max_iter = -1;            ///< solver iterations; −1: libsvm's cap
    int n_jobs = 0;               ///< threads for kernel rows; 0 = all cores
    friend bool operator==(const OneClassSVMParams&, const OneClassSVMParams&) = default;
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static void fields(Self& p, F&& field) {
        field("kernel", p.kernel);
        field("degree", p.degree);
        Gamma::field("gamma", p.gamma, field);
        field("coef0", p.coef0);
        field("tol", p.tol);
        field("nu", p.nu);
        field("shrinking", p.shrinking);
        field("cache_size", p.cache_size);
        field("max_iter", p.max_iter);
        field("n_jobs", p.n_jobs);
    }
    /// Throws invalid_parameter naming the first field out of its range; constexpr, so a constant
    /// Params with a bad value does not compile.
    constexpr void validate() const {
        require_param(degree >= 0, name, "degree", degree, "must be >= 0");
        require_param(!gamma.is_number() || gamma.value() > 0, name, "gamma", gamma.value(),
                      "must be > 0, Gamma::scale or Gamma::auto_");
        require_param(tol > 0, name, "tol", tol, "must be > 0");
        require_param(nu > 0 && nu <= 1, name, "nu", nu, "must be in (0, 1]");
        require_param(cache_size > 0, name, "cache_size", cache_size, "must be > 0");
        require_param(max_iter >= -1, name, "max_iter", max_iter, "must be -1 (no limit) or >= 0");
        require_param(n_jobs >= 0, name, "n_jobs", n_jobs, "must be >= 0");
    }
};

/// Unsupervised outlier (novelty) detection, as scikit-learn 1.2's `OneClassSVM` (libsvm's
/// one-class SVM, Schölkopf et al. 2001): min ½αᵀKα subject to 0 ≤ αₜ ≤ sample_weightₜ and
/// Σα = ν·Σw, by libsvm's solver to the same stopping rule. score_samples(x) = Σ αₛ K(svₛ, x),
/// decision_function = score_samples − offset(), and predict gives +1 (inlier) where the
/// decision value is > 0, −1 (outlier) elsewhere. Precomputed kernels as SVC.
///
/// Throws invalid_parameter for ν ∉ (0, 1], γ ≤ 0, tol ≤ 0, cache_size ≤ 0, degree < 0;
/// invalid_input for NaN/inf, every weight 0, a non-square matrix with Kernel::precomputed, a
/// wrong feature count, coef() with a non-linear kernel.
template <std::floating_point T = double>
class OneClassSVM : public detail::libsvm_single<OneClassSVM<T>, T, OneClassSVMParams> {
    using base = detail::libsvm_single<OneClassSVM<T>, T, OneClassSVMParams>;

public:
    /// The class's name in messages, in its printed repr and in model files.
    static constexpr std::string_view name = OneClassSVMParams::name;
    using base::base;
    using base::fit;

    /// Fits on samples X (with Kernel::precomputed: their n × n kernel matrix), with per-sample
    /// weights that bound each α (samples of weight 0 are left out, as scikit-learn does).
    template <matrix_of<T> M, vector_of<T> W>
    OneClassSVM& fit(const M& X, const W& sample_weight) {
        const OneClassSVMParams& params = this->params_;
        this->n_features_in_ = 0;
        const sample_weights<T> sw = this->validate_data(X, sample_weight);
        const Matrix<T> Xd = this->prepare(X);
        std::vector<Index> kept;
        for (Index i = 0; i < X.rows(); ++i) {
            if (sw[i] > T(0)) kept.push_back(i);
        }
        const Index l = static_cast<Index>(kept.size());
        if (l == 0) {
            throw invalid_input(std::string(name) + ": every sample has weight 0; at least one must be positive");
        }
        svm::detail::smo_problem problem{Eigen::VectorXd::Zero(l), Eigen::VectorXi::Ones(l), Eigen::VectorXd(l),
                                         std::vector<Index>(static_cast<std::size_t>(l)), Eigen::VectorXd::Zero(l)};
        double nu_l = 0;
        for (Index t = 0; t < l; ++t) {
            problem.C[t] = static_cast<double>(sw[kept[static_cast<std::size_t>(t)]]);
            problem.row[static_cast<std::size_t>(t)] = t;
            nu_l += problem.C[t] * params.nu;
        }
        // libsvm's start: the first rows at their bounds until ν·Σw is placed.
        for (Index t = 0; t < l && nu_l > 0; ++t) {
            problem.alpha[t] = std::min(problem.C[t], nu_l);
            nu_l -= problem.alpha[t];
        }
        const svm::detail::smo_result result = this->solve(svm::detail::gather_rows(this->kernel_, Xd, kept), problem);
        this->finish(Xd, kept, result.alpha, result);
        offset_ = -this->intercept_[0];
        return *this;
    }

    /// Σₛ dual_coefₛ K(svₛ, x) for each row x of X: larger is more normal.
    template <matrix_of<T> M>
    [[nodiscard]] Vector<T> score_samples(const M& X) const {
        return this->kernel_sums(X);
    }
    /// score_samples − offset(): positive for inliers.
    template <matrix_of<T> M>
    [[nodiscard]] Vector<T> decision_function(const M& X) const {
        Vector<T> out = this->kernel_sums(X);
        out.array() += this->intercept_[0];
        return out;
    }
    /// +1 for inliers (decision value > 0), −1 for outliers.
    template <matrix_of<T> M>
    [[nodiscard]] Labels predict(const M& X) const {
        const Vector<T> values = decision_function(X);
        Labels out(values.size());
        for (Index i = 0; i < values.size(); ++i) out[i] = values[i] > T(0) ? 1 : -1;
        return out;
    }
    /// fit, then predict on the same X.
    template <matrix_of<T> M, vector_of<T> W = Vector<T>>
    [[nodiscard]] Labels fit_predict(const M& X, const W& sample_weight = W()) {
        fit(X, sample_weight);
        return predict(X);
    }

    /// The threshold of decision_function: score_samples − offset (−intercept()).
    [[nodiscard]] T offset() const { return this->fitted(offset_); }

private:
    friend struct kestrel::detail::persistence_access;
    friend struct kestrel::detail::one_row_access;

    [[nodiscard]] Index decision_width() const noexcept { return 1; }
    void decision_row(const T* x, T* out) const noexcept { out[0] = this->sum_row(x) + this->intercept_[0]; }
    [[nodiscard]] int predict_row(const T* x) const noexcept {
        return this->sum_row(x) + this->intercept_[0] > T(0) ? 1 : -1;
    }

    template <class Archive>
    void persist(Archive& a) {
        base::persist(a);
        a.value("offset_", offset_);
        a.require(offset_ == -this->intercept_[0], "offset_ must be -intercept_[0]");
    }

    T offset_ = 0;
};

}  // namespace kestrel::svm
