#pragma once
/// \file
/// HistGradientBoostingRegressor (shared machinery: detail/hgb_base.hpp).

#include <concepts>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "../core/concepts.hpp"
#include "../core/detail/estimator_base.hpp"
#include "../core/params.hpp"
#include "../core/random.hpp"
#include "../core/types.hpp"
#include "detail/hgb_base.hpp"
#include "gradient_boosting_options.hpp"

namespace kestrel::ensemble {

/// HistGradientBoostingRegressor's hyperparameters, in scikit-learn 1.2's order; kestrel adds
/// n_jobs.
struct HistGradientBoostingRegressorParams {
    /// The estimator's name, as scikit-learn spells it: in messages, printing and model files.
    static constexpr std::string_view name = "HistGradientBoostingRegressor";
    Loss loss = Loss::squared_error;                     ///< squared_error, absolute_error, poisson or quantile
    std::optional<double> quantile{};                    ///< the quantile of loss = quantile, in (0, 1)
    double learning_rate = 0.1;                          ///< shrinkage of each tree's leaves, > 0
    int max_iter = 100;                                  ///< boosting iterations (one tree each)
    std::optional<int> max_leaf_nodes = 31;              ///< leaves per tree, ≥ 2; empty: no limit
    std::optional<int> max_depth{};                      ///< deepest leaf; empty: no limit
    int min_samples_leaf = 20;                           ///< fewest samples a leaf may hold
    double l2_regularization = 0.0;                      ///< λ of the leaf values −G / (H + λ)
    int max_bins = 255;                                  ///< bins of non-missing values, 2..255
    std::vector<int> categorical_features{};             ///< indices of the categorical features
    std::vector<int> monotonic_cst{};                    ///< −1, 0 or 1 per feature (empty: none)
    std::vector<std::vector<int>> interaction_cst{};     ///< groups of features that may interact
    bool warm_start = false;                             ///< fit adds iterations to the fitted ones
    std::optional<bool> early_stopping{};                ///< empty: on above 10,000 samples
    Scoring scoring = Scoring::loss;                     ///< early stopping's score
    std::optional<double> validation_fraction = 0.1;     ///< held out for early stopping; empty: none
    int n_iter_no_change = 10;                           ///< iterations without improvement that stop
    double tol = 1e-7;                                   ///< the least improvement of the score
    std::uint64_t random_state = default_random_state;   ///< seeds the validation split and bin subsample
    int n_jobs = 0;                                      ///< threads; 0 = all cores (any gives the same model)
    friend bool operator==(const HistGradientBoostingRegressorParams&,
                           const HistGradientBoostingRegressorParams&) = default;
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static void fields(Self& p, F&& field) {
        field("loss", p.loss);
        field("quantile", p.quantile);
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
        field("n_jobs", p.n_jobs);
    }
    /// Throws invalid_parameter naming the first field out of its range.
    void validate() const {
        require_param(loss != Loss::log_loss, name, "loss", enum_name(loss),
                      "must be squared_error, absolute_error, poisson or quantile");
        require_param(loss != Loss::quantile || (quantile && *quantile > 0 && *quantile < 1), name, "quantile",
                      quantile ? *quantile : 0.0, "must be in (0, 1) when loss is quantile");
        detail::validate_hgb(*this, name);
    }
};

/// Histogram-based gradient boosting for regression, as scikit-learn 1.2's
/// `HistGradientBoostingRegressor` (after LightGBM): features are binned into at most max_bins
/// quantile bins (plus one for missing values); each iteration fits one tree, grown leaf-wise
/// on the histograms of the loss's gradients and hessians, and adds learning_rate times its
/// leaf values to the raw prediction, which starts at the loss's best constant. NaN in X is a
/// missing value: each split sends it to the side that gains more (to the larger child when
/// training saw none). Categorical features (integer codes < max_bins) split on sets of
/// categories; monotonic_cst and interaction_cst constrain the trees.
///
/// With early stopping scikit-learn draws its validation split with NumPy's generator; kestrel
/// draws it from random_state with its own, so n_iter() and the scores are close to
/// scikit-learn's rather than equal. Without it the model is scikit-learn's (up to rounding in
/// the last bits of sums) for up to 200,000 rows; beyond, bin thresholds come from 200,000 rows
/// drawn by kestrel.
///
/// Throws invalid_parameter for a learning rate ≤ 0, max_bins outside [2, 255], max_leaf_nodes
/// < 2, constraints naming features X does not have, and a monotonic constraint on a
/// categorical feature; invalid_input for infinite values, a categorical feature holding
/// negative, fractional or too large codes, and a Poisson target with negative values or a
/// zero sum.
template <std::floating_point T = double>
class HistGradientBoostingRegressor
    : public detail::hgb_base<HistGradientBoostingRegressor<T>, T, HistGradientBoostingRegressorParams>,
      public regressor_mixin<HistGradientBoostingRegressor<T>, T> {
    using base = detail::hgb_base<HistGradientBoostingRegressor<T>, T, HistGradientBoostingRegressorParams>;

public:
    /// The class's name in messages, in its printed repr and in model files.
    static constexpr std::string_view name = HistGradientBoostingRegressorParams::name;
    using base::base;
    using base::fit;

    /// Fits max_iter trees (fewer with early stopping) on X and targets y, with sample weights.
    template <matrix_of<T> M, vector_of<T> V, vector_of<T> W>
    HistGradientBoostingRegressor& fit(const M& X, const V& y, const W& sample_weight) {
        this->params_.validate();
        this->check_values(X);
        kestrel::detail::check_same_length(X.rows(), y.size(), name, "y");
        kestrel::detail::check_finite(y, name, "y");
        const sample_weights<T> sw = kestrel::detail::checked_sample_weights<T>(sample_weight, X.rows(), name);
        std::vector<double> target(static_cast<std::size_t>(y.size())), weight;
        for (Index i = 0; i < y.size(); ++i) target[static_cast<std::size_t>(i)] = static_cast<double>(y[i]);
        if (!sw.uniform()) {
            for (Index i = 0; i < y.size(); ++i) weight.push_back(static_cast<double>(sw[i]));
        }
        if (this->params_.loss == Loss::poisson) {
            double sum = 0;
            for (std::size_t i = 0; i < target.size(); ++i) {
                if (target[i] < 0) {
                    throw invalid_input(std::string(name) + ": loss poisson needs y >= 0; y[" + std::to_string(i) +
                                        "] = " + std::to_string(target[i]));
                }
                sum += target[i] * (weight.empty() ? 1.0 : weight[i]);
            }
            if (!(sum > 0)) throw invalid_input(std::string(name) + ": loss poisson needs sum(y) > 0");
        }
        this->fit_codes(X, target, weight, 1);
        return *this;
    }

    /// The predictions: the raw scores, through the exponential for the Poisson loss.
    template <matrix_of<T> M>
    [[nodiscard]] Vector<T> predict(const M& X) const {
        this->validate_predict(X);
        return link(this->raw_scores(X));
    }

    /// The raw scores (the predictions before the Poisson loss's exponential).
    template <matrix_of<T> M>
    [[nodiscard]] Vector<T> decision_function(const M& X) const {
        this->validate_predict(X);
        const std::vector<double> raw = this->raw_scores(X);
        Vector<T> out(static_cast<Index>(raw.size()));
        for (std::size_t i = 0; i < raw.size(); ++i) out[static_cast<Index>(i)] = static_cast<T>(raw[i]);
        return out;
    }

    /// predict after each iteration.
    template <matrix_of<T> M>
    [[nodiscard]] std::vector<Vector<T>> staged_predict(const M& X) const {
        this->validate_predict(X);
        std::vector<Vector<T>> out;
        this->staged_raw_scores(X, [&](int, const std::vector<double>& raw) { out.push_back(link(raw)); });
        return out;
    }

    /// decision_function after each iteration, each as an n × 1 matrix.
    template <matrix_of<T> M>
    [[nodiscard]] std::vector<Matrix<T>> staged_decision_function(const M& X) const {
        this->validate_predict(X);
        std::vector<Matrix<T>> out;
        this->staged_raw_scores(X, [&](int, const std::vector<double>& raw) {
            Matrix<T> m(static_cast<Index>(raw.size()), 1);
            for (std::size_t i = 0; i < raw.size(); ++i) m(static_cast<Index>(i), 0) = static_cast<T>(raw[i]);
            out.push_back(std::move(m));
        });
        return out;
    }

protected:
    friend struct kestrel::detail::one_row_access;
    [[nodiscard]] T predict_row(const T* x) const noexcept {
        const double raw = this->row_raw(x, 0);
        return static_cast<T>(this->params_.loss == Loss::poisson ? std::exp(raw) : raw);
    }

private:
    [[nodiscard]] Vector<T> link(const std::vector<double>& raw) const {
        Vector<T> out(static_cast<Index>(raw.size()));
        const bool exp = this->params_.loss == Loss::poisson;
        for (std::size_t i = 0; i < raw.size(); ++i) out[static_cast<Index>(i)] = static_cast<T>(exp ? std::exp(raw[i]) : raw[i]);
        return out;
    }
};

}  // namespace kestrel::ensemble
