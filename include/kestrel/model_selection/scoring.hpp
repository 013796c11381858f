#pragma once
/// \file
/// Scorers for cross-validation and the searches, as scikit-learn's `scoring`: a named metric
/// (`Scoring`), a callable `(const E&, X, y) -> double`, or the estimator's own `score`.

#include <algorithm>
#include <concepts>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/error.hpp"
#include "../core/params.hpp"
#include "../core/types.hpp"
#include "../metrics/classification.hpp"
#include "../metrics/ranking.hpp"
#include "../metrics/regression.hpp"

namespace kestrel::model_selection {

/// scikit-learn's predefined `scoring` names. Greater is better for every one: the errors are
/// negated (`neg_`), as in scikit-learn.
enum class Scoring {
    accuracy,           ///< fraction of correct predict(X) (classifiers)
    balanced_accuracy,  ///< mean recall over the classes present in y (classifiers)
    f1,       ///< F1 of the label 1, scikit-learn's pos_label=1 (binary classifiers; y in {0, 1}, {-1, 1}, ...)
    roc_auc,  ///< area under the ROC curve of decision_function(X), or predict_proba(X)'s column of classes()[1]
              ///< (binary)
    r2,       ///< coefficient of determination of predict(X)
    neg_mean_squared_error,  ///< −mean squared error of predict(X)
    neg_log_loss,            ///< −log loss of predict_proba(X) (probabilistic classifiers)
};
/// scikit-learn's spellings of Scoring's values.
constexpr enum_table<Scoring, 7> enum_names(Scoring) {
    return {{{Scoring::accuracy, "accuracy"},
             {Scoring::balanced_accuracy, "balanced_accuracy"},
             {Scoring::f1, "f1"},
             {Scoring::roc_auc, "roc_auc"},
             {Scoring::r2, "r2"},
             {Scoring::neg_mean_squared_error, "neg_mean_squared_error"},
             {Scoring::neg_log_loss, "neg_log_loss"}}};
}

namespace detail {

inline std::string scoring_prefix(Scoring s) { return "scoring " + std::string(enum_name(s)) + ": "; }

/// The sorted distinct values of y.
inline std::vector<int> distinct_labels(const Labels& y) {
    std::vector<int> out(y.data(), y.data() + y.size());
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

/// What `scoring` needs of the whole target before any fold is fitted: f1 scores label 1 of a
/// binary target, roc_auc a binary target. Throws invalid_input.
inline void check_scoring_target(Scoring s, const Labels& y) {
    const std::vector<int> labels = distinct_labels(y);
    if (s == Scoring::f1) {
        if (labels.size() > 2) {
            throw invalid_input(scoring_prefix(s) + "y has " + std::to_string(labels.size()) +
                                " classes, but f1 scores one positive label of a binary target (scikit-learn's "
                                "average='binary'); pass a callable scorer for a multiclass F1");
        }
        if (labels.size() == 2 && !std::binary_search(labels.begin(), labels.end(), 1)) {
            throw invalid_input(scoring_prefix(s) +
                                "the positive label is 1 (scikit-learn's pos_label=1), but y's labels are " +
                                std::to_string(labels[0]) + " and " + std::to_string(labels[1]) +
                                "; encode the positive class as 1 or pass a callable scorer");
        }
    } else if (s == Scoring::roc_auc && labels.size() != 2) {
        throw invalid_input(scoring_prefix(s) + "y has " + std::to_string(labels.size()) +
                            " classes, but roc_auc scores binary targets only");
    }
}

/// scikit-learn's balanced_accuracy_score: the recall of each class present in y_true, averaged.
inline double balanced_accuracy(const Labels& y_true, const Labels& y_pred) {
    const std::vector<int> labels = distinct_labels(y_true);
    if (labels.empty()) throw invalid_input("balanced_accuracy: y is empty");
    std::vector<double> hits(labels.size(), 0.0), total(labels.size(), 0.0);
    for (Index i = 0; i < y_true.size(); ++i) {
        const auto k =
            static_cast<std::size_t>(std::lower_bound(labels.begin(), labels.end(), y_true[i]) - labels.begin());
        total[k] += 1;
        if (y_pred[i] == y_true[i]) hits[k] += 1;
    }
    double sum = 0;
    for (std::size_t k = 0; k < labels.size(); ++k) sum += hits[k] / total[k];
    return sum / static_cast<double>(labels.size());
}

/// The scores of the positive class classes()[1] from a decision function: its one column, or
/// the vector itself.
template <class D>
Vector<double> positive_scores(const D& scores) {
    if constexpr (D::ColsAtCompileTime == 1) {
        return scores.template cast<double>();
    } else {
        if (scores.cols() != 1) {
            throw invalid_input("scoring roc_auc: the decision function has " + std::to_string(scores.cols()) +
                                " columns; roc_auc scores binary targets only");
        }
        return scores.col(0).template cast<double>();
    }
}

}  // namespace detail

/// How cross-validation and the searches score a fitted estimator on a test fold:
/// - default: the estimator's own `score(X, y)` (accuracy for classifiers, R² for regressors);
/// - a `Scoring` name, scikit-learn's predefined scorer of that name;
/// - any callable `(const E&, const Matrix<T>& X, const target_type& y) -> double`, greater is better.
///
/// Folds are scored from several threads when n_jobs > 1: a callable must be safe to call
/// concurrently. Constructing from a Scoring that E cannot serve (accuracy for a regressor,
/// neg_log_loss without predict_proba) throws invalid_parameter.
template <class E>
class Scorer {
public:
    using scalar_type = scalar_of<E>;             ///< the scored estimator's floating-point type
    using target_type = typename E::target_type;  ///< the scored estimator's targets (Labels or Vector)
    /// A custom scorer's signature: (fitted model, X, y) -> score, greater is better.
    using function_type = std::function<double(const E&, const Matrix<scalar_type>&, const target_type&)>;

    /// The estimator's own score.
    Scorer() = default;

    /// scikit-learn's scorer named `scoring`.
    Scorer(Scoring scoring)  // NOLINT(google-explicit-constructor): `.scoring = Scoring::f1`
        : scoring_(scoring), named_(&Scorer::named_score) {
        const bool classification = scoring != Scoring::r2 && scoring != Scoring::neg_mean_squared_error;
        if (classification && !classifier<E>) {
            throw invalid_parameter(detail::scoring_prefix(scoring) +
                                    "it scores classifiers (integer labels), and the estimator is not one");
        }
        if (scoring == Scoring::neg_log_loss && !has_proba) {
            throw invalid_parameter(detail::scoring_prefix(scoring) + "the estimator has no predict_proba");
        }
        if (scoring == Scoring::roc_auc && !has_proba && !has_decision) {
            throw invalid_parameter(detail::scoring_prefix(scoring) +
                                    "the estimator has neither decision_function nor predict_proba");
        }
    }

    /// A callable `(const E&, const Matrix<T>& X, const target_type& y) -> double`.
    template <class F>
    requires(!std::same_as<std::remove_cvref_t<F>, Scorer> && !std::same_as<std::remove_cvref_t<F>, Scoring> &&
             std::is_invocable_r_v<double, F&, const E&, const Matrix<scalar_type>&, const target_type&>)
        Scorer(F function)
        : function_(std::move(function)) {}  // NOLINT(google-explicit-constructor)

    /// The named scoring, if this scorer is one.
    [[nodiscard]] std::optional<Scoring> scoring() const noexcept { return scoring_; }
    /// Whether this scorer is a callable.
    [[nodiscard]] bool is_callable() const noexcept { return static_cast<bool>(function_); }

    /// Checks the whole target once, before any fold is fitted (see check_scoring_target).
    void check_target(const target_type& y) const {
        if constexpr (std::same_as<target_type, Labels>) {
            if (scoring_) detail::check_scoring_target(*scoring_, y);
        }
    }

    /// The score of a fitted `model` on X and y, greater is better.
    [[nodiscard]] double operator()(const E& model, const Matrix<scalar_type>& X, const target_type& y) const {
        if (function_) return function_(model, X, y);
        if (named_) return named_(*scoring_, model, X, y);
        return static_cast<double>(model.score(X, y));
    }

private:
    static constexpr bool has_proba = requires(const E& e, const Matrix<scalar_type>& X) { e.predict_proba(X); };
    static constexpr bool has_decision = requires(const E& e, const Matrix<scalar_type>& X) { e.decision_function(X); };

    // The named scorings, instantiated only where a Scorer is built from a Scoring (through named_),
    // so that a search with the default scorer compiles none of the metrics.
    static double named_score(Scoring s, const E& model, const Matrix<scalar_type>& X, const target_type& y) {
        if (s == Scoring::r2 || s == Scoring::neg_mean_squared_error) {
            if constexpr (predictor<E>) {
                const Vector<double> truth = y.template cast<double>();
                const Vector<double> predicted = model.predict(X).template cast<double>();
                return s == Scoring::r2 ? metrics::r2_score(truth, predicted)
                                        : -metrics::mean_squared_error(truth, predicted);
            }
        } else if constexpr (classifier<E>) {
            return classification_score(s, model, X, y);
        }
        throw invalid_parameter(detail::scoring_prefix(s) + "the estimator cannot be scored this way");
    }

    static double classification_score(Scoring s, const E& model, const Matrix<scalar_type>& X, const Labels& y) {
        if (s == Scoring::roc_auc) {
            detail::check_scoring_target(s, y);
            if constexpr (has_decision) {
                return metrics::roc_auc_score(y, detail::positive_scores(model.decision_function(X)));
            } else if constexpr (has_proba) {
                const Matrix<scalar_type> proba = model.predict_proba(X);
                if (proba.cols() != 2) {
                    throw invalid_input(detail::scoring_prefix(s) + "the estimator has " +
                                        std::to_string(proba.cols()) + " classes; roc_auc scores binary targets only");
                }
                return metrics::roc_auc_score(y, Vector<double>(proba.col(1).template cast<double>()));
            }
        } else if (s == Scoring::neg_log_loss) {
            if constexpr (has_proba) {
                const Matrix<scalar_type> proba = model.predict_proba(X);
                return -static_cast<double>(metrics::log_loss(y, proba));
            }
        } else {
            const Labels predicted = model.predict(X);
            if (s == Scoring::accuracy) return metrics::accuracy_score(y, predicted);
            if (s == Scoring::balanced_accuracy) return detail::balanced_accuracy(y, predicted);
            detail::check_scoring_target(s, y);
            return metrics::f1_score(y, predicted);
        }
        throw invalid_parameter(detail::scoring_prefix(s) + "the estimator cannot be scored this way");
    }

    std::optional<Scoring> scoring_;
    double (*named_)(Scoring, const E&, const Matrix<scalar_type>&, const target_type&) = nullptr;
    function_type function_;
};

}  // namespace kestrel::model_selection
