#pragma once
/// \file
/// LogisticRegression: binary and multinomial logistic regression with an L2 penalty.

#include <algorithm>
#include <cmath>
#include <concepts>
#include <string>
#include <string_view>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/dataset.hpp"
#include "../core/detail/estimator_base.hpp"
#include "../core/detail/linear_rows.hpp"
#include "../core/detail/validation.hpp"
#include "../core/params.hpp"
#include "../core/types.hpp"
#include "../core/warnings.hpp"
#include "../core/weights.hpp"
#include "detail/logistic_loss.hpp"
#include "detail/logistic_solver.hpp"

namespace kestrel::linear_model {

/// The penalty on the coefficients (`penalty` in scikit-learn; `none` is its None).
enum class Penalty { l2, none };
/// scikit-learn's spellings of Penalty's values.
constexpr enum_table<Penalty, 2> enum_names(Penalty) { return {{{Penalty::l2, "l2"}, {Penalty::none, "none"}}}; }
/// The optimiser: `lbfgs`, or `newton_cholesky` (scikit-learn's 'newton-cholesky').
enum class Solver { lbfgs, newton_cholesky };
/// scikit-learn's spellings of Solver's values.
constexpr enum_table<Solver, 2> enum_names(Solver) {
    return {{{Solver::lbfgs, "lbfgs"}, {Solver::newton_cholesky, "newton-cholesky"}}};
}

/// LogisticRegression's hyperparameters, in scikit-learn's order.
struct LogisticRegressionParams {
    /// The estimator's name, as scikit-learn spells it: in messages, printing and model files.
    static constexpr std::string_view name = "LogisticRegression";
    Penalty penalty = Penalty::l2;                 ///< l2 or none
    double tol = 1e-4;                             ///< gradient tolerance, ≥ 0
    double C = 1.0;                                ///< inverse penalty strength, > 0
    bool fit_intercept = true;                     ///< fit an unpenalised intercept per row
    ClassWeight class_weight = ClassWeight::none;  ///< none, balanced or a per-class map
    Solver solver = Solver::lbfgs;                 ///< lbfgs or newton_cholesky
    int max_iter = 100;                            ///< iterations, ≥ 1
    int n_jobs = 0;                                ///< threads over rows; 0 = all cores
    friend bool operator==(const LogisticRegressionParams&, const LogisticRegressionParams&) = default;
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static constexpr void fields(Self& p, F&& field) {
        field("penalty", p.penalty);
        field("tol", p.tol);
        field("C", p.C);
        field("fit_intercept", p.fit_intercept);
        field("class_weight", p.class_weight);
        field("solver", p.solver);
        field("max_iter", p.max_iter);
        field("n_jobs", p.n_jobs);
    }
    /// Throws invalid_parameter naming the first field out of its range; constexpr, so a constant
    /// Params with a bad value does not compile.
    constexpr void validate() const {
        require_param(tol >= 0, name, "tol", tol, "must be >= 0");
        require_param(C > 0, name, "C", C, "must be > 0");
        require_param(max_iter >= 1, name, "max_iter", max_iter, "must be >= 1");
    }
};

/// Logistic regression as scikit-learn 1.2's `LogisticRegression` (multi_class 'auto'):
/// minimises C·Σ swᵢ·lossᵢ + ½‖w‖², the intercepts unpenalised, swᵢ the sample weight times the
/// class weight (½‖w‖² dropped for Penalty::none).
///
/// - Two classes: one coefficient row for `classes()[1]`, the half binomial loss.
/// - More classes with `lbfgs`: the multinomial (softmax) loss over K coefficient rows.
/// - More classes with `newton_cholesky`: one-vs-rest, K binary problems (scikit-learn 1.2 does the
///   same), probabilities the normalised per-class sigmoids.
///
/// `lbfgs` follows SciPy's L-BFGS-B iterates and stopping tests (gtol = tol on max|∇f|, relative
/// decrease ≤ 2.2e-9, m = 10) so it stops where scikit-learn stops; `newton_cholesky` is
/// scikit-learn's Newton solver (Cholesky steps, backtracking, tol on the gradient and the Newton
/// decrement of the objective divided by C·Σsw). The loss and gradient run over fixed row chunks
/// in parallel (`n_jobs`), with SIMD for the binomial loss, reduced in a fixed order. Optimisation
/// runs in double for either scalar. Non-convergence is reported by converged() and n_iter(),
/// not thrown. Throws invalid_parameter for C ≤ 0, tol < 0, max_iter < 1; invalid_input for
/// one class only, NaN/inf, mismatched lengths, a wrong feature count at predict.
template <std::floating_point T = double>
class LogisticRegression : public estimator_base<LogisticRegression<T>, T, LogisticRegressionParams>,
                           public classifier_mixin<LogisticRegression<T>, T> {
    using base = estimator_base<LogisticRegression<T>, T, LogisticRegressionParams>;

public:
    /// The class's name in messages, in its printed repr and in model files.
    static constexpr std::string_view name = LogisticRegressionParams::name;
    using base::base;
    using base::fit;

    /// Fits on samples X and integer labels y (any values; at least two distinct), with per-sample
    /// weights (non-negative, not all zero; `fit(X, y)` without) multiplied by the class weights.
    template <matrix_of<T> M, label_vector L, vector_of<T> W>
    LogisticRegression& fit(const M& X, const L& y, const W& sample_weight) {
        this->n_features_in_ = 0;
        // X's NaN and infinities make the objective at the solver's start non-finite; only then is
        // X read for them (one read of X less a fit).
        Vector<T> sw = this->validate_data_but_x_values(X, y, sample_weight).dense();
        return fit_over(detail::row_major_ref<T>(X), Labels(y), std::move(sw), detail::local_rows{});
    }

    /// Raw scores X·coefᵀ + intercept: one column for two classes (positive: classes()[1]), else K.
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> decision_function(const M& X) const {
        this->validate_predict(X);
        return kestrel::detail::linear_scores<T>(detail::row_major_ref<T>(X), coef_, intercept_);
    }

    /// The most probable class per sample, as its original label.
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

    /// Class probabilities, one column per entry of classes().
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> predict_proba(const M& X) const {
        const Matrix<T> scores = decision_function(X);
        Matrix<T> proba(scores.rows(), classes_.size());
        for (Index i = 0; i < scores.rows(); ++i) proba_of_scores(scores.row(i).data(), proba.row(i).data());
        return proba;
    }

    /// log(predict_proba(X)).
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> predict_log_proba(const M& X) const {
        return kestrel::detail::log_of_entries(predict_proba(X));
    }

    /// Coefficients: one row for two classes, K rows otherwise.
    [[nodiscard]] const Matrix<T>& coef() const { return this->fitted(coef_); }
    /// One intercept per row of coef() (zeros when fit_intercept is false).
    [[nodiscard]] const Vector<T>& intercept() const { return this->fitted(intercept_); }
    /// The distinct training labels, sorted.
    [[nodiscard]] const Labels& classes() const { return this->fitted(classes_); }
    /// Iterations of the solver; the largest over the one-vs-rest problems.
    [[nodiscard]] int n_iter() const { return this->fitted(n_iter_); }
    /// Whether every optimisation met its tolerance within max_iter.
    [[nodiscard]] bool converged() const { return this->fitted(converged_); }

protected:
    friend struct kestrel::detail::one_row_access;

    /// One row's probabilities from its scores s (one for two classes, else K), in class order:
    /// the logistic function of a binary score; for one-vs-rest each class's, normalised; for the
    /// multinomial model the softmax, from the largest score.
    void proba_of_scores(const T* s, T* p) const noexcept {
        const Index K = classes_.size();
        const auto sigmoid = [](T z) { return T(1) / (T(1) + std::exp(-z)); };
        if (coef_.rows() == 1) {
            p[1] = sigmoid(s[0]);
            p[0] = T(1) - p[1];
            return;
        }
        T top = s[0];
        for (Index k = 1; k < K; ++k) top = std::max(top, s[k]);
        T sum = 0;
        for (Index k = 0; k < K; ++k) sum += p[k] = ovr_ ? sigmoid(s[k]) : std::exp(s[k] - top);
        for (Index k = 0; k < K; ++k) p[k] /= sum;
    }
    [[nodiscard]] Index decision_width() const noexcept { return coef_.rows(); }
    void decision_row(const T* x, T* out) const noexcept {
        for (Index k = 0; k < coef_.rows(); ++k) {
            out[k] = kestrel::detail::dot_in_order(x, coef_.row(k).data(), coef_.cols()) + intercept_[k];
        }
    }
    void proba_row(const T* x, T* out) const noexcept {
        T binary[1];
        T* scores = coef_.rows() == 1 ? binary : out;  // K scores fill out, then become probabilities in place
        decision_row(x, scores);
        proba_of_scores(scores, out);
    }
    [[nodiscard]] int predict_row(const T* x) const noexcept {
        if (coef_.rows() == 1) {
            T score;
            decision_row(x, &score);
            return classes_[score > T(0) ? 1 : 0];
        }
        Index best = 0;
        T top = 0;
        for (Index k = 0; k < coef_.rows(); ++k) {
            const T score = kestrel::detail::dot_in_order(x, coef_.row(k).data(), coef_.cols()) + intercept_[k];
            if (k == 0 || score > top) {
                top = score;
                best = k;
            }
        }
        return classes_[best];
    }
    /// The fit over rows X (row-major), labels y and checked sample weights sw. `holders` says who
    /// holds the rows: detail::local_rows for this process's, or the distributed fit's view of every
    /// rank's (distributed::LogisticRegression), which reduces the classes, the class counts, the
    /// weight total and every evaluation of the objective over the ranks.
    template <class Rows>
    LogisticRegression& fit_over(const detail::row_major_ref<T>& Xr, const Labels& y, Vector<T> sw,
                                 const Rows& holders) {
        const LogisticRegressionParams& params = this->params_;
        this->n_features_in_ = 0;
        classes_ = holders.classes(y, name);
        const Eigen::VectorXi codes = kestrel::detail::encode_labels(y, classes_);
        if (!params.class_weight.per_class().empty()) {
            // A {label: weight} map weighs the original classes, in every mode (scikit-learn too).
            sw.array() *= per_sample(params.class_weight.weights(classes_, codes, name), codes).array();
        }
        const Index K = classes_.size(), d = Xr.cols();
        ovr_ = params.solver == Solver::newton_cholesky && K > 2;
        const double l2 = params.penalty == Penalty::none ? 0.0 : 1.0 / params.C;
        const Index problems = ovr_ ? K : 1;
        const Index rows = K > 2 ? K : 1;
        coef_ = Matrix<T>::Zero(rows, d);
        intercept_ = Vector<T>::Zero(rows);
        converged_ = true;
        n_iter_ = 0;
        auto progress = this->start_progress(problems * params.max_iter, "loss");
        for (Index k = 0; k < problems && !progress.stopped(); ++k) {
            Vector<T> target(Xr.rows()), weight = sw;
            Index coef_rows = 1;
            double strength = l2;
            if (K > 2 && !ovr_) {
                target = codes.cast<T>();
                weight.array() *= balanced_weights(codes, K, holders).array();
                coef_rows = K;
            } else {
                // Binary: the positive class is classes()[1]; one-vs-rest: class k.
                const int positive = K > 2 ? static_cast<int>(k) : 1;
                const Eigen::VectorXi is_positive = (codes.array() == positive).cast<int>();
                target = is_positive.cast<T>();
                if (params.solver == Solver::newton_cholesky) {
                    // The Newton solver's objective is divided by C·Σsw, so its tol means the same
                    // for any data size or weighting, as in scikit-learn.
                    const T total = static_cast<T>(holders.sum(static_cast<double>(sw.sum())));
                    weight /= total;
                    strength /= static_cast<double>(total);
                }
                weight.array() *= balanced_weights(is_positive, 2, holders).array();
            }
            const detail::logistic_objective<T> objective(Xr, std::move(target), std::move(weight), coef_rows,
                                                          params.fit_intercept, holders.local_l2(strength),
                                                          params.n_jobs);
            Eigen::VectorXd packed = Eigen::VectorXd::Zero(objective.size());
            const detail::lbfgs_result result = holders.solve(objective, packed, params.solver == Solver::newton_cholesky,
                                                           params.max_iter, params.tol, &progress);
            if (!result.finite_start) holders.check_finite(Xr, name);
            converged_ = converged_ && result.converged;
            n_iter_ = std::max(n_iter_, result.n_iter);
            coef_.middleRows(k, coef_rows) = objective.weights(packed);
            intercept_.segment(k, coef_rows) = objective.intercepts(packed);
        }
        this->n_features_in_ = d;
        this->end_progress(progress);
        if (progress.stopped()) {
            converged_ = false;
        } else if (!converged_) {
            warn(warning_category::convergence, name,
                 std::string(params.solver == Solver::newton_cholesky ? "the Newton solver" : "lbfgs") +
                     " did not converge within max_iter=" + std::to_string(params.max_iter) +
                     " iterations; increase max_iter or scale the data (preprocessing::StandardScaler)");
        }
        return *this;
    }

private:
    friend struct kestrel::detail::persistence_access;

    template <class Archive>
    void persist(Archive& a) {
        a.labels("classes_", classes_);
        const Index K = classes_.size(), rows = K > 2 ? K : 1;
        a.require(K >= 2, "classes_ must hold at least two classes");
        a.matrix("coef_", coef_, rows, a.n_features());
        a.vector("intercept_", intercept_, rows);
        a.value("n_iter_", n_iter_);
        a.value("converged_", converged_);
        ovr_ = this->params_.solver == Solver::newton_cholesky && K > 2;
    }

    // Each sample's weight of its class: per_class[codes[i]].
    static Vector<T> per_sample(const Eigen::VectorXd& per_class, const Eigen::VectorXi& codes) {
        Vector<T> w(codes.size());
        for (Index i = 0; i < codes.size(); ++i) w[i] = static_cast<T>(per_class[codes[i]]);
        return w;
    }

    // Per-sample weights for codes 0..K−1 of the problem being solved: ones, or with
    // ClassWeight::balanced n / (K · count) (multinomial: the classes; binary and one-vs-rest:
    // the two sides of the problem, as scikit-learn weighs them after masking the labels).
    template <class Rows>
    Vector<T> balanced_weights(const Eigen::VectorXi& codes, Index K, const Rows& holders) const {
        if (!this->params_.class_weight.is_balanced()) return Vector<T>::Ones(codes.size());
        // n / (K · count) over every sample of the fit (holders.sum adds up the other ranks' counts).
        Eigen::VectorXd count = Eigen::VectorXd::Zero(K + 1);
        for (Index i = 0; i < codes.size(); ++i) count[codes[i]] += 1;
        count[K] = static_cast<double>(codes.size());
        holders.sum(count);
        Eigen::VectorXd per_class(K);
        for (Index k = 0; k < K; ++k) per_class[k] = count[K] / (static_cast<double>(K) * count[k]);
        return per_sample(per_class, codes);
    }

    Matrix<T> coef_;
    Vector<T> intercept_;
    Labels classes_;
    bool ovr_ = false;
    bool converged_ = false;
    int n_iter_ = 0;
};

}  // namespace kestrel::linear_model
