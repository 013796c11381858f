#pragma once
/// \file
/// HistGradientBoostingClassifier (shared machinery: detail/hgb_base.hpp).

#include <cmath>
#include <concepts>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "../core/concepts.hpp"
#include "../core/detail/estimator_base.hpp"
#include "../core/detail/validation.hpp"
#include "../core/params.hpp"
#include "../core/random.hpp"
#include "../core/types.hpp"
#include "../core/weights.hpp"
#include "detail/hgb_base.hpp"
#include "gradient_boosting_options.hpp"

namespace kestrel::ensemble {

/// HistGradientBoostingClassifier's hyperparameters, in scikit-learn 1.2's order; kestrel adds
/// n_jobs.
struct HistGradientBoostingClassifierParams {
    /// The estimator's name, as scikit-learn spells it: in messages, printing and model files.
    static constexpr std::string_view name = "HistGradientBoostingClassifier";
    Loss loss = Loss::log_loss;                          ///< log_loss (binomial, or multinomial for > 2 classes)
    double learning_rate = 0.1;                          ///< shrinkage of each tree's leaves, > 0
    int max_iter = 100;                                  ///< boosting iterations (one tree a class each)
    std::optional<int> max_leaf_nodes = 31;              ///< leaves per tree, ≥ 2; empty: no limit
    std::optional<int> max_depth{};                      ///< deepest leaf; empty: no limit
    int min_samples_leaf = 20;                           ///< fewest samples a leaf may hold
    double l2_regularization = 0.0;                      ///< λ of the leaf values −G / (H + λ)
    int max_bins = 255;                                  ///< bins of non-missing values, 2..255
    std::vector<int> categorical_features{};             ///< indices of the categorical features
    std::vector<int> monotonic_cst{};                    ///< −1, 0 or 1 per feature (two classes only)
    std::vector<std::vector<int>> interaction_cst{};     ///< groups of features that may interact
    bool warm_start = false;                             ///< fit adds iterations to the fitted ones
    std::optional<bool> early_stopping{};                ///< empty: on above 10,000 samples
    Scoring scoring = Scoring::loss;                     ///< early stopping's score
    std::optional<double> validation_fraction = 0.1;     ///< held out (stratified) for early stopping
    int n_iter_no_change = 10;                           ///< iterations without improvement that stop
    double tol = 1e-7;                                   ///< the least improvement of the score
    std::uint64_t random_state = default_random_state;   ///< seeds the validation split and bin subsample
    ClassWeight class_weight{};                          ///< none, balanced, or per class
    int n_jobs = 0;                                      ///< threads; 0 = all cores (any gives the same model)
    friend bool operator==(const HistGradientBoostingClassifierParams&,
                           const HistGradientBoostingClassifierParams&) = default;
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static void fields(Self& p, F&& field) {
        field("loss", p.loss);
        field("learning_rate", p.learning_rate);
        field("max_iter", p.max_iter);
        field("max_leaf_nodes", p.max_leaf_nodes);
        field("max_depth", p.max_depth);
        field("min_samples_leaf", p.min_samples_leaf);
        field("l2_regularization", p.l2_regularization);
        field("max_bins", p.max_bins);
        field("categorical_features", p.categorical_features);
        field("monotonic_cst", p.monotonic_cst);
        field("interaction_cst", p.interaction_cst);
        field("warm_start", p.warm_start);
        field("early_stopping", p.early_stopping);
        field("scoring", p.scoring);
        field("validation_fraction", p.validation_fraction);
        field("n_iter_no_change", p.n_iter_no_change);
        field("tol", p.tol);
        field("random_state", p.random_state);
        field("class_weight", p.class_weight);
        field("n_jobs", p.n_jobs);
    }
    /// Throws invalid_parameter naming the first field out of its range.
    void validate() const {
        require_param(loss == Loss::log_loss, name, "loss", enum_name(loss), "must be log_loss");
        detail::validate_hgb(*this, name);
    }
};

/// Histogram-based gradient boosting for classification, as scikit-learn 1.2's
/// `HistGradientBoostingClassifier`: HistGradientBoostingRegressor's machinery on the log loss,
/// one tree per iteration for two classes (raw score: the log-odds of classes()[1]) and one per
/// class per iteration for more (raw scores: the multinomial logits). predict_proba is the
/// logistic function or the softmax of the raw scores; predict their argmax. The validation split
/// of early stopping is stratified by class. class_weight multiplies the sample weights.
///
/// Throws as HistGradientBoostingRegressor, and invalid_input for fewer than two classes and
/// for monotonic constraints with more than two classes.
template <std::floating_point T = double>
class HistGradientBoostingClassifier
    : public detail::hgb_base<HistGradientBoostingClassifier<T>, T, HistGradientBoostingClassifierParams>,
      public classifier_mixin<HistGradientBoostingClassifier<T>, T> {
    using base = detail::hgb_base<HistGradientBoostingClassifier<T>, T, HistGradientBoostingClassifierParams>;

public:
    /// The class's name in messages, in its printed repr and in model files.
    static constexpr std::string_view name = HistGradientBoostingClassifierParams::name;
    using base::base;
    using base::fit;

    /// Fits on X and class labels y, with sample weights.
    template <matrix_of<T> M, label_vector L, vector_of<T> W>
    HistGradientBoostingClassifier& fit(const M& X, const L& y, const W& sample_weight) {
        this->params_.validate();
        this->check_values(X);
        kestrel::detail::check_same_length(X.rows(), y.size(), name, "y");
        const sample_weights<T> sw = kestrel::detail::checked_sample_weights<T>(sample_weight, X.rows(), name);
        const Labels classes = kestrel::detail::unique_labels(y, name);
        if (this->params_.warm_start && this->is_fitted() && classes != classes_) {
            throw invalid_input(std::string(name) + ": with warm_start, y must hold the classes of the first fit");
        }
        const Eigen::VectorXi codes = kestrel::detail::encode_labels(y, classes);
        const Eigen::VectorXd class_weights = this->params_.class_weight.weights(classes, codes, name);
        std::vector<double> target(static_cast<std::size_t>(y.size())), weight;
        const bool weighted = !sw.uniform() || !this->params_.class_weight.is_none();
        double total = 0;
        for (Index i = 0; i < y.size(); ++i) {
            target[static_cast<std::size_t>(i)] = codes[i];
            if (weighted) {
                weight.push_back(static_cast<double>(sw[i]) * class_weights[codes[i]]);
                total += weight.back();
            }
        }
        if (weighted && !(total > 0)) {
            throw invalid_input(std::string(name) + ": every sample weighs 0 once class_weight is applied");
        }
        classes_ = classes;
        this->fit_codes(X, target, weight, classes.size() == 2 ? 1 : classes.size());
        return *this;
    }

    /// The raw scores: n × 1 for two classes (the log-odds of classes()[1]), else n × K.
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> decision_function(const M& X) const {
        this->validate_predict(X);
        return as_matrix(this->raw_scores(X), X.rows());
    }

    /// Class probabilities (n × n_classes).
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> predict_proba(const M& X) const {
        this->validate_predict(X);
        return proba(this->raw_scores(X), X.rows());
    }

    /// The logarithm of predict_proba.
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> predict_log_proba(const M& X) const {
        return kestrel::detail::log_of_entries(predict_proba(X));
    }

    /// The class of largest probability (the first on ties).
    template <matrix_of<T> M>
    [[nodiscard]] Labels predict(const M& X) const {
        this->validate_predict(X);
        return labels(proba(this->raw_scores(X), X.rows()));
    }

    /// predict after each iteration.
    template <matrix_of<T> M>
    [[nodiscard]] std::vector<Labels> staged_predict(const M& X) const {
        this->validate_predict(X);
        std::vector<Labels> out;
        this->staged_raw_scores(X, [&](int, const std::vector<double>& raw) { out.push_back(labels(proba(raw, X.rows()))); });
        return out;
    }

    /// predict_proba after each iteration.
    template <matrix_of<T> M>
    [[nodiscard]] std::vector<Matrix<T>> staged_predict_proba(const M& X) const {
        this->validate_predict(X);
        std::vector<Matrix<T>> out;
        this->staged_raw_scores(X, [&](int, const std::vector<double>& raw) { out.push_back(proba(raw, X.rows())); });
        return out;
    }

    /// decision_function after each iteration.
    template <matrix_of<T> M>
    [[nodiscard]] std::vector<Matrix<T>> staged_decision_function(const M& X) const {
        this->validate_predict(X);
        std::vector<Matrix<T>> out;
        this->staged_raw_scores(X, [&](int, const std::vector<double>& raw) { out.push_back(as_matrix(raw, X.rows())); });
        return out;
    }

    /// The class labels, sorted.
    [[nodiscard]] const Labels& classes() const { return this->fitted(classes_); }

protected:
    friend struct kestrel::detail::persistence_access;
    template <class>
    friend struct kestrel::detail::distributed_access;
    friend struct kestrel::detail::one_row_access;

    /// One row's class probabilities, as proba() computes them: calls visit(k, p) for each class.
    template <class Visit>
    void row_proba(const T* x, Visit&& visit) const noexcept {
        const Index K = this->K_;
        if (K == 1) {
            const double p = detail::hgb::expit(this->row_raw(x, 0));
            visit(0, static_cast<T>(1 - p));
            visit(1, static_cast<T>(p));
            return;
        }
        double stored[base::row_classes];
        const bool on_stack = K <= base::row_classes;
        if (on_stack) {
            for (Index k = 0; k < K; ++k) stored[k] = this->row_raw(x, k);
        }
        const auto raw = [&](Index k) { return on_stack ? stored[k] : this->row_raw(x, k); };
        double top = raw(0);
        for (Index k = 1; k < K; ++k) top = std::max(top, raw(k));
        double sum = 0;
        for (Index k = 0; k < K; ++k) sum += std::exp(raw(k) - top);
        for (Index k = 0; k < K; ++k) visit(k, static_cast<T>(std::exp(raw(k) - top) / sum));
    }
    void proba_row(const T* x, T* out) const noexcept {
        row_proba(x, [out](Index k, T p) { out[k] = p; });
    }
    [[nodiscard]] int predict_row(const T* x) const noexcept {
        Index best = 0;
        T top = 0;
        row_proba(x, [&](Index k, T p) {
            if (k == 0 || p > top) {
                top = p;
                best = k;
            }
        });
        return classes_[best];
    }

    template <class Archive>
    void persist(Archive& a) {
        a.labels("classes_", classes_);
        a.require(classes_.size() >= 2, "classes_ must hold at least two classes");
        base::persist(a);
        a.require(this->K_ == (classes_.size() == 2 ? 1 : classes_.size()),
                  "n_trees_per_iteration_ must be 1 for two classes, else the number of classes");
    }

private:
    [[nodiscard]] Matrix<T> as_matrix(const std::vector<double>& raw, Index n) const {
        const Index K = this->K_;
        Matrix<T> out(n, K);
        for (Index k = 0; k < K; ++k) {
            for (Index i = 0; i < n; ++i) out(i, k) = static_cast<T>(raw[static_cast<std::size_t>(k * n + i)]);
        }
        return out;
    }

    [[nodiscard]] Matrix<T> proba(const std::vector<double>& raw, Index n) const {
        const Index K = this->K_;
        if (K == 1) {
            Matrix<T> out(n, 2);
            for (Index i = 0; i < n; ++i) {
                const double p = detail::hgb::expit(raw[static_cast<std::size_t>(i)]);
                out(i, 1) = static_cast<T>(p);
                out(i, 0) = static_cast<T>(1 - p);
            }
            return out;
        }
        Matrix<T> out(n, K);
        std::vector<double> e(static_cast<std::size_t>(K));
        for (Index i = 0; i < n; ++i) {
            double top = raw[static_cast<std::size_t>(i)];
            for (Index k = 1; k < K; ++k) top = std::max(top, raw[static_cast<std::size_t>(k * n + i)]);
            double sum = 0;
            for (Index k = 0; k < K; ++k) sum += e[static_cast<std::size_t>(k)] = std::exp(raw[static_cast<std::size_t>(k * n + i)] - top);
            for (Index k = 0; k < K; ++k) out(i, k) = static_cast<T>(e[static_cast<std::size_t>(k)] / sum);
        }
        return out;
    }

    [[nodiscard]] Labels labels(const Matrix<T>& p) const {
        Labels out(p.rows());
        for (Index i = 0; i < p.rows(); ++i) {
            Index best = 0;
            p.row(i).maxCoeff(&best);
            out[i] = classes_[best];
        }
        return out;
    }

    Labels classes_;
};

}  // namespace kestrel::ensemble
