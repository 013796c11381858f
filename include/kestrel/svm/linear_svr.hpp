#pragma once
/// \file
/// LinearSVR: linear support vector regression with liblinear's solvers.

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/detail/estimator_base.hpp"
#include "../core/detail/linear_rows.hpp"
#include "../core/detail/validation.hpp"
#include "../core/error.hpp"
#include "../core/params.hpp"
#include "../core/random.hpp"
#include "../core/types.hpp"
#include "../core/warnings.hpp"
#include "../core/weights.hpp"
#include "linear_options.hpp"
#include "detail/linear_solvers.hpp"

namespace kestrel::svm {

/// LinearSVR's hyperparameters, in scikit-learn's order (`verbose` left out).
struct LinearSVRParams {
    /// The estimator's name, as scikit-learn spells it: in messages, printing and model files.
    static constexpr std::string_view name = "LinearSVR";
    double epsilon = 0.0;                               ///< half-width of the tube without loss, ≥ 0
    double tol = 1e-4;                                  ///< the solver's stopping tolerance, > 0
    double C = 1.0;                                     ///< weight of the loss against the penalty, > 0
    Loss loss = Loss::epsilon_insensitive;              ///< epsilon_insensitive or squared_epsilon_insensitive
    bool fit_intercept = true;                          ///< append a constant feature of intercept_scaling
    double intercept_scaling = 1.0;                     ///< that feature's value, > 0; its weight is penalised
    bool dual = true;                                   ///< solve the dual (coordinate descent) or the primal
    std::uint64_t random_state = default_random_state;  ///< seeds the order coordinates are visited in
    int max_iter = 1000;                                ///< passes of the solver, ≥ 0
    friend bool operator==(const LinearSVRParams&, const LinearSVRParams&) = default;
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static void fields(Self& p, F&& field) {
        field("epsilon", p.epsilon);
        field("tol", p.tol);
        field("C", p.C);
        field("loss", p.loss);
        field("fit_intercept", p.fit_intercept);
        field("intercept_scaling", p.intercept_scaling);
        field("dual", p.dual);
        field("random_state", p.random_state);
        field("max_iter", p.max_iter);
    }
    /// Throws invalid_parameter naming the first field out of its range; constexpr, so a constant
    /// Params with a bad value does not compile.
    constexpr void validate() const {
        require_param(epsilon >= 0, name, "epsilon", epsilon, "must be >= 0");
        require_param(tol > 0, name, "tol", tol, "must be > 0");
        require_param(C > 0, name, "C", C, "must be > 0");
        require_param(loss == Loss::epsilon_insensitive || loss == Loss::squared_epsilon_insensitive, name, "loss",
                      enum_name(loss),
                      "must be epsilon_insensitive or squared_epsilon_insensitive (the hinge losses are LinearSVC's)");
        require_param(intercept_scaling > 0, name, "intercept_scaling", intercept_scaling,
                      "must be > 0 (set fit_intercept = false to fit no intercept)");
        require_param(max_iter >= 0, name, "max_iter", max_iter, "must be >= 0");
        svm::detail::require_linear_solver(name, Penalty::l2, loss, dual);
    }
};

/// Linear support vector regression, as scikit-learn 1.2's `LinearSVR` (liblinear): with the rows
/// x̃ = (x, intercept_scaling) when fit_intercept, minimises ½‖w‖² + Σᵢ Cᵢ·loss(yᵢ − wᵀx̃ᵢ),
/// Cᵢ = C × sample weight, loss the ε-insensitive max(0, |r| − ε) or its square. The intercept's
/// weight is penalised like the others; intercept() is intercept_scaling times it.
///
/// Solvers (detail/linear_solvers.hpp): dual = true, dual coordinate descent (tol relative to
/// the first pass's summed violation); squared_epsilon_insensitive with dual = false,
/// trust-region Newton (tol relative to the first gradient's norm). Coordinates are visited in
/// an order drawn from random_state (scikit-learn draws its own, so fits agree to the
/// tolerance, not bit for bit). Samples of weight 0 are left out. Reaching max_iter is state:
/// n_iter() == max_iter and converged() false.
///
/// Throws invalid_parameter for C ≤ 0, tol ≤ 0, ε < 0, intercept_scaling ≤ 0, max_iter < 0, a
/// loss of LinearSVC's, and epsilon_insensitive with dual = false (scikit-learn's "Unsupported
/// set of arguments"); invalid_input for NaN/inf, mismatched lengths, a wrong feature count at
/// predict.
template <std::floating_point T = double>
class LinearSVR : public estimator_base<LinearSVR<T>, T, LinearSVRParams>, public regressor_mixin<LinearSVR<T>, T> {
    using base = estimator_base<LinearSVR<T>, T, LinearSVRParams>;

public:
    /// The class's name in messages, in its printed repr and in model files.
    static constexpr std::string_view name = LinearSVRParams::name;
    using base::base;
    using base::fit;

    /// Fits on samples X and targets y, with per-sample weights that multiply C.
    template <matrix_of<T> M, vector_of<T> V, vector_of<T> W>
    LinearSVR& fit(const M& X, const V& y, const W& sample_weight) {
        const LinearSVRParams& params = this->params_;
        this->n_features_in_ = 0;
        const sample_weights<T> sw = this->validate_data(X, y, sample_weight);
        const Index d = X.cols();
        std::vector<Index> kept;
        for (Index i = 0; i < X.rows(); ++i) {
            if (sw[i] > T(0)) kept.push_back(i);
        }
        const Index l = static_cast<Index>(kept.size());
        Eigen::VectorXd target(l), C(l);
        for (Index t = 0; t < l; ++t) {
            const Index i = kept[static_cast<std::size_t>(t)];
            target[t] = static_cast<double>(y[i]);
            C[t] = params.C * static_cast<double>(sw[i]);
        }
        const double bias = params.fit_intercept ? params.intercept_scaling : 0.0;
        const Matrix<double> design = svm::detail::linear_design(X, kept, bias);
        random_engine rng(params.random_state);
        const bool squared = params.loss == Loss::squared_epsilon_insensitive;
        Eigen::VectorXd w;
        auto progress = this->start_progress(params.max_iter, params.dual ? "violation" : "objective");
        if (params.dual) {
            n_iter_ = svm::detail::solve_svr_dual(design, target, C, params.epsilon, squared, params.tol,
                                                  params.max_iter, rng, w, &progress);
        } else {
            svm::detail::squared_loss_objective objective(design, target, C, true, params.epsilon);
            n_iter_ = svm::detail::solve_trust_region_newton(objective, params.tol, params.max_iter, w, &progress);
        }
        converged_ = n_iter_ < params.max_iter && !progress.stopped();
        coef_ = w.head(d).cast<T>();
        intercept_ = bias > 0 ? static_cast<T>(bias * w[d]) : T(0);
        this->n_features_in_ = d;
        this->end_progress(progress);
        if (!converged_ && !progress.stopped()) {
            warn(warning_category::convergence, name,
                 "liblinear failed to converge within max_iter=" + std::to_string(params.max_iter) +
                     " iterations; increase max_iter, or scale the data");
        }
        return *this;
    }

    /// X·coef + intercept.
    template <matrix_of<T> M>
    [[nodiscard]] Vector<T> predict(const M& X) const {
        this->validate_predict(X);
        return kestrel::detail::linear_scores<T>(kestrel::detail::row_major_ref<T>(X), coef_.data(), 1, &intercept_).col(0);
    }

    /// The weights of the features.
    [[nodiscard]] const Vector<T>& coef() const { return this->fitted(coef_); }
    /// The constant term (0 when fit_intercept is false).
    [[nodiscard]] T intercept() const { return this->fitted(intercept_); }
    /// The solver's passes (scikit-learn's n_iter_).
    [[nodiscard]] int n_iter() const { return this->fitted(n_iter_); }
    /// Whether the solver stopped by its tolerance before max_iter.
    [[nodiscard]] bool converged() const { return this->fitted(converged_); }

private:
    friend struct kestrel::detail::persistence_access;
    friend struct kestrel::detail::one_row_access;

    [[nodiscard]] T predict_row(const T* x) const noexcept {
        return kestrel::detail::dot_in_order(x, coef_.data(), coef_.size()) + intercept_;
    }

    template <class Archive>
    void persist(Archive& a) {
        a.vector("coef_", coef_, a.n_features());
        a.value("intercept_", intercept_);
        a.value("n_iter_", n_iter_);
        a.require(n_iter_ >= 0, "n_iter_ must be >= 0");
        converged_ = n_iter_ < this->params_.max_iter;
    }

    Vector<T> coef_;
    T intercept_ = 0;
    int n_iter_ = 0;
    bool converged_ = false;
};

}  // namespace kestrel::svm
