#pragma once
/// \file
/// LinearSVC: linear support vector classification with liblinear's solvers.

#include <algorithm>
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

/// LinearSVC's hyperparameters, in scikit-learn's order (`verbose` left out).
struct LinearSVCParams {
    /// The estimator's name, as scikit-learn spells it: in messages, printing and model files.
    static constexpr std::string_view name = "LinearSVC";
    Penalty penalty = Penalty::l2;                      ///< l2, or l1 (with squared_hinge and dual = false)
    Loss loss = Loss::squared_hinge;                    ///< squared_hinge or hinge (penalty l2, dual = true)
    bool dual = true;                                   ///< solve the dual (coordinate descent) or the primal
    double tol = 1e-4;                                  ///< the solver's stopping tolerance, > 0
    double C = 1.0;                                     ///< weight of the loss against the penalty, > 0
    MultiClass multi_class = MultiClass::ovr;           ///< ovr, or crammer_singer (ignores penalty, loss, dual)
    bool fit_intercept = true;                          ///< append a constant feature of intercept_scaling
    double intercept_scaling = 1.0;                     ///< that feature's value, > 0; its weight is penalised
    ClassWeight class_weight = ClassWeight::none;       ///< multiplies C per class
    std::uint64_t random_state = default_random_state;  ///< seeds the order coordinates are visited in
    int max_iter = 1000;                                ///< passes of the solver, ≥ 0
    friend bool operator==(const LinearSVCParams&, const LinearSVCParams&) = default;
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static void fields(Self& p, F&& field) {
        field("penalty", p.penalty);
        field("loss", p.loss);
        field("dual", p.dual);
        field("tol", p.tol);
        field("C", p.C);
        field("multi_class", p.multi_class);
        field("fit_intercept", p.fit_intercept);
        field("intercept_scaling", p.intercept_scaling);
        field("class_weight", p.class_weight);
        field("random_state", p.random_state);
        field("max_iter", p.max_iter);
    }
    /// Throws invalid_parameter naming the first field out of its range; constexpr, so a constant
    /// Params with a bad value does not compile.
    constexpr void validate() const {
        require_param(loss == Loss::hinge || loss == Loss::squared_hinge, name, "loss", enum_name(loss),
                      "must be hinge or squared_hinge (the epsilon-insensitive losses are LinearSVR's)");
        require_param(tol > 0, name, "tol", tol, "must be > 0");
        require_param(C > 0, name, "C", C, "must be > 0");
        require_param(intercept_scaling > 0, name, "intercept_scaling", intercept_scaling,
                      "must be > 0 (set fit_intercept = false to fit no intercept)");
        require_param(max_iter >= 0, name, "max_iter", max_iter, "must be >= 0");
        // Crammer-Singer ignores penalty, loss and dual, as scikit-learn.
        if (multi_class == MultiClass::ovr) svm::detail::require_linear_solver(name, penalty, loss, dual);
    }
};

/// Linear support vector classification, as scikit-learn 1.2's `LinearSVC` (liblinear): with
/// the rows x̃ = (x, intercept_scaling) when fit_intercept, minimises per binary problem
/// ½‖w‖² + Σᵢ Cᵢ·loss(yᵢ·wᵀx̃ᵢ) (Penalty::l1: ‖w‖₁ instead of ½‖w‖²), Cᵢ = C × sample weight ×
/// the class weight of the positive class for positive samples, of classes()[0] for the negative
/// samples of a two-class problem and 1 for the rest of a one-vs-rest problem (liblinear's rule).
/// The intercept's weight is penalised like the others; intercept() is intercept_scaling times it.
///
/// - Two classes: one problem, positive class classes()[1], one row of coef().
/// - More classes, MultiClass::ovr: one problem per class against the rest, K rows.
/// - MultiClass::crammer_singer: one joint problem (K rows; for two classes the one row
///   w₁ − w₀), capped at liblinear's 100000 passes whatever max_iter, as scikit-learn.
///
/// Solvers (detail/linear_solvers.hpp), by (penalty, loss, dual): (l2, hinge or squared_hinge,
/// true) dual coordinate descent; (l2, squared_hinge, false) trust-region Newton; (l1,
/// squared_hinge, false) primal coordinate descent. The primal solvers' tol is scaled as
/// liblinear's: `tol·max(min(#positive, #negative), 1)/#samples`. Coordinates are visited in an
/// order drawn from random_state (scikit-learn draws its own, so fits agree to the tolerance,
/// not bit for bit). Samples of weight 0 are left out. Reaching max_iter is state:
/// n_iter() == max_iter and converged() false, as scikit-learn's ConvergenceWarning.
///
/// Throws invalid_parameter for C ≤ 0, tol ≤ 0, intercept_scaling ≤ 0, max_iter < 0, a loss of
/// LinearSVR's, and the (penalty, loss, dual) combinations liblinear lacks, with scikit-learn's
/// "Unsupported set of arguments" message; invalid_input for one class only, NaN/inf,
/// mismatched lengths, a class whose samples all weigh 0, a wrong feature count at predict.
template <std::floating_point T = double>
class LinearSVC : public estimator_base<LinearSVC<T>, T, LinearSVCParams>,
                  public classifier_mixin<LinearSVC<T>, T> {
    using base = estimator_base<LinearSVC<T>, T, LinearSVCParams>;

public:
    /// The class's name in messages, in its printed repr and in model files.
    static constexpr std::string_view name = LinearSVCParams::name;
    using base::base;
    using base::fit;

    /// Fits on samples X and integer labels y (at least two distinct), with per-sample weights
    /// that multiply C.
    template <matrix_of<T> M, label_vector L, vector_of<T> W>
    LinearSVC& fit(const M& X, const L& y, const W& sample_weight) {
        const LinearSVCParams& params = this->params_;
        this->n_features_in_ = 0;
        const sample_weights<T> sw = this->validate_data(X, y, sample_weight);
        classes_ = kestrel::detail::unique_labels(y, name);
        const Eigen::VectorXi all_codes = kestrel::detail::encode_labels(y, classes_);
        const Eigen::VectorXd class_weight = params.class_weight.weights(classes_, all_codes, name);
        const Index K = classes_.size(), d = X.cols();

        std::vector<Index> kept;
        for (Index i = 0; i < X.rows(); ++i) {
            if (sw[i] > T(0)) kept.push_back(i);
        }
        const Index l = static_cast<Index>(kept.size());
        Eigen::VectorXi codes(l);
        Eigen::VectorXd weight(l);
        Eigen::VectorXi count = Eigen::VectorXi::Zero(K);
        for (Index t = 0; t < l; ++t) {
            const Index i = kept[static_cast<std::size_t>(t)];
            codes[t] = all_codes[i];
            weight[t] = static_cast<double>(sw[i]);
            ++count[codes[t]];
        }
        for (Index k = 0; k < K; ++k) {
            if (count[k] == 0) {
                throw invalid_input(std::string(name) + ": every sample of class " + std::to_string(classes_[k]) +
                                    " has weight 0; each class needs a sample of positive weight");
            }
        }
        const double bias = params.fit_intercept ? params.intercept_scaling : 0.0;
        const Matrix<double> design = svm::detail::linear_design(X, kept, bias);
        random_engine rng(params.random_state);

        n_iter_ = 0;
        converged_ = true;
        const Index problems = params.multi_class == MultiClass::crammer_singer || K == 2 ? 1 : K;
        auto progress = this->start_progress(
            problems * (params.multi_class == MultiClass::crammer_singer ? svm::detail::crammer_singer_max_iter
                                                                         : params.max_iter),
            "violation");
        if (params.multi_class == MultiClass::crammer_singer) {
            Eigen::VectorXd C(l);
            for (Index t = 0; t < l; ++t) C[t] = params.C * class_weight[codes[t]] * weight[t];
            Matrix<double> weights;
            n_iter_ = svm::detail::solve_crammer_singer(design, codes, K, C, params.tol,
                                                        svm::detail::crammer_singer_max_iter, rng, weights,
                                                        &progress);
            converged_ = n_iter_ < svm::detail::crammer_singer_max_iter;
            if (K == 2) {
                // scikit-learn keeps w₁ − w₀, the direction that favours classes()[1].
                const Matrix<double> difference = weights.row(1) - weights.row(0);
                weights = difference;
            }
            store(weights, d, bias);
        } else {
            const Index rows = K > 2 ? K : 1;
            Matrix<double> weights(rows, design.cols());
            weights.setZero();
            for (Index k = 0; k < rows && !progress.stopped(); ++k) {
                const Index positive = K > 2 ? k : 1;
                // liblinear weighs the negatives of a one-vs-rest problem by C alone.
                const double c_positive = params.C * class_weight[positive];
                const double c_negative = K > 2 ? params.C : params.C * class_weight[0];
                Eigen::VectorXd target(l), C(l);
                Index n_positive = 0;
                for (Index t = 0; t < l; ++t) {
                    const bool is_positive = codes[t] == positive;
                    n_positive += is_positive ? 1 : 0;
                    target[t] = is_positive ? 1.0 : -1.0;
                    C[t] = (is_positive ? c_positive : c_negative) * weight[t];
                }
                Eigen::VectorXd w;
                const int iterations = solve(design, target, C, n_positive, rng, w, &progress);
                n_iter_ = std::max(n_iter_, iterations);
                converged_ = converged_ && iterations < params.max_iter;
                weights.row(k) = w.transpose();
            }
            store(weights, d, bias);
        }
        this->n_features_in_ = d;
        this->end_progress(progress);
        if (progress.stopped()) {
            converged_ = false;
        } else if (!converged_) {
            warn(warning_category::convergence, name,
                 "liblinear failed to converge within max_iter=" + std::to_string(params.max_iter) +
                     " iterations; increase max_iter, or scale the data");
        }
        return *this;
    }

    /// Decision values X·coefᵀ + intercept: one column for two classes (positive: classes()[1]),
    /// otherwise one per class.
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> decision_function(const M& X) const {
        this->validate_predict(X);
        return kestrel::detail::linear_scores<T>(kestrel::detail::row_major_ref<T>(X), coef_, intercept_);
    }

    /// The class of each row of X: classes()[1] where the decision value is > 0 (two classes),
    /// else the class of the largest decision value (the first on ties).
    template <matrix_of<T> M>
    [[nodiscard]] Labels predict(const M& X) const {
        const Matrix<T> scores = decision_function(X);
        Labels out(scores.rows());
        for (Index i = 0; i < scores.rows(); ++i) {
            Index best = 0;
            if (scores.cols() == 1) {
                best = scores(i, 0) > T(0) ? 1 : 0;
            } else {
                scores.row(i).maxCoeff(&best);
            }
            out[i] = classes_[best];
        }
        return out;
    }

    /// The weights of the features: one row for two classes, one per class otherwise.
    [[nodiscard]] const Matrix<T>& coef() const { return this->fitted(coef_); }
    /// One intercept per row of coef() (zeros when fit_intercept is false).
    [[nodiscard]] const Vector<T>& intercept() const { return this->fitted(intercept_); }
    /// The distinct training labels, sorted.
    [[nodiscard]] const Labels& classes() const { return this->fitted(classes_); }
    /// The solver's passes, the largest over the one-vs-rest problems (scikit-learn's n_iter_).
    [[nodiscard]] int n_iter() const { return this->fitted(n_iter_); }
    /// Whether every problem stopped by its tolerance before its iteration cap.
    [[nodiscard]] bool converged() const { return this->fitted(converged_); }

private:
    friend struct kestrel::detail::persistence_access;
    friend struct kestrel::detail::one_row_access;

    [[nodiscard]] Index decision_width() const noexcept { return coef_.rows(); }
    void decision_row(const T* x, T* out) const noexcept {
        for (Index k = 0; k < coef_.rows(); ++k) {
            out[k] = kestrel::detail::dot_in_order(x, coef_.row(k).data(), coef_.cols()) + intercept_[k];
        }
    }
    [[nodiscard]] int predict_row(const T* x) const noexcept {
        Index best = 0;
        T top = 0;
        for (Index k = 0; k < coef_.rows(); ++k) {
            const T score = kestrel::detail::dot_in_order(x, coef_.row(k).data(), coef_.cols()) + intercept_[k];
            if (coef_.rows() == 1) return classes_[score > T(0) ? 1 : 0];
            if (k == 0 || score > top) {
                top = score;
                best = k;
            }
        }
        return classes_[best];
    }

    template <class Archive>
    void persist(Archive& a) {
        a.labels("classes_", classes_);
        const Index K = classes_.size();
        a.require(K >= 2, "classes_ must hold at least two classes");
        const Index rows = K > 2 ? K : 1;
        a.matrix("coef_", coef_, rows, a.n_features());
        a.vector("intercept_", intercept_, rows);
        a.value("n_iter_", n_iter_);
        a.require(n_iter_ >= 0, "n_iter_ must be >= 0");
        const LinearSVCParams& p = this->params_;
        converged_ = n_iter_ < (p.multi_class == MultiClass::crammer_singer ? svm::detail::crammer_singer_max_iter
                                                                             : p.max_iter);
    }

    // One binary problem (targets ±1) by the solver (penalty, loss, dual) names.
    int solve(const Matrix<double>& design, const Eigen::VectorXd& target, const Eigen::VectorXd& C,
              Index n_positive, random_engine& rng, Eigen::VectorXd& w,
              kestrel::detail::progress_reporter* progress) const {
        const LinearSVCParams& p = this->params_;
        if (p.dual) {
            return svm::detail::solve_svc_dual(design, target, C, p.loss == Loss::squared_hinge, p.tol, p.max_iter,
                                               rng, w, progress);
        }
        const Index l = design.rows();
        const double smaller = static_cast<double>(std::max<Index>(std::min(n_positive, l - n_positive), 1));
        const double primal_tol = p.tol * smaller / static_cast<double>(l);
        if (p.penalty == Penalty::l1) {
            return svm::detail::solve_l1_squared_hinge(design, target, C, primal_tol, p.max_iter, rng, w, progress);
        }
        svm::detail::squared_loss_objective objective(design, target, C, false, 0.0);
        return svm::detail::solve_trust_region_newton(objective, primal_tol, p.max_iter, w, progress);
    }

    // coef_ and intercept_ from the solvers' weights, the intercept column last when bias > 0.
    void store(const Matrix<double>& W, Index d, double bias) {
        coef_ = W.leftCols(d).cast<T>();
        intercept_ = bias > 0 ? Vector<T>((bias * W.col(d)).cast<T>()) : Vector<T>(Vector<T>::Zero(W.rows()));
    }

    Matrix<T> coef_;
    Vector<T> intercept_;
    Labels classes_;
    int n_iter_ = 0;
    bool converged_ = false;
};

}  // namespace kestrel::svm
