#pragma once
/// \file
/// Classification metrics, as sklearn.metrics: accuracy, confusion matrix, precision, recall,
/// F-scores, the classification report and the log loss.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "../core/error.hpp"
#include "../core/params.hpp"
#include "../core/types.hpp"
#include "detail/inputs.hpp"

namespace kestrel::metrics {

/// Fraction of samples whose predicted label equals the true one. Throws invalid_input on a
/// length mismatch or no samples.
inline double accuracy_score(const Eigen::Ref<const Labels>& y_true, const Eigen::Ref<const Labels>& y_pred) {
    detail::check_lengths(y_true.size(), y_pred.size(), "accuracy_score");
    return static_cast<double>((y_true.array() == y_pred.array()).count()) / static_cast<double>(y_true.size());
}

/// Weighted accuracy: Σ w·[y_true = y_pred] / Σ w.
template <real_vector W>
double accuracy_score(const Eigen::Ref<const Labels>& y_true, const Eigen::Ref<const Labels>& y_pred,
                      const W& sample_weight) {
    detail::check_lengths(y_true.size(), y_pred.size(), "accuracy_score");
    const Eigen::VectorXd w = detail::weights_or_ones(sample_weight, y_true.size(), "accuracy_score");
    return (y_true.array() == y_pred.array()).cast<double>().matrix().dot(w) / w.sum();
}

/// C(i, j) = number of samples of true label i predicted as j, rows and columns following the
/// sorted union of the labels in y_true and y_pred. Throws invalid_input.
inline Matrix<int> confusion_matrix(const Eigen::Ref<const Labels>& y_true, const Eigen::Ref<const Labels>& y_pred) {
    detail::check_lengths(y_true.size(), y_pred.size(), "confusion_matrix");
    const std::vector<int> labels = detail::sorted_labels(y_true, y_pred);
    const Index k = static_cast<Index>(labels.size());
    Matrix<int> C = Matrix<int>::Zero(k, k);
    for (Index i = 0; i < y_true.size(); ++i) {
        ++C(detail::label_code(labels, y_true[i]), detail::label_code(labels, y_pred[i]));
    }
    return C;
}

/// As confusion_matrix, each sample counting its weight.
template <real_vector W>
Matrix<double> confusion_matrix(const Eigen::Ref<const Labels>& y_true, const Eigen::Ref<const Labels>& y_pred,
                                const W& sample_weight) {
    detail::check_lengths(y_true.size(), y_pred.size(), "confusion_matrix");
    const Eigen::VectorXd w = detail::weights_or_ones(sample_weight, y_true.size(), "confusion_matrix");
    const std::vector<int> labels = detail::sorted_labels(y_true, y_pred);
    const Index k = static_cast<Index>(labels.size());
    Matrix<double> C = Matrix<double>::Zero(k, k);
    for (Index i = 0; i < y_true.size(); ++i) {
        C(detail::label_code(labels, y_true[i]), detail::label_code(labels, y_pred[i])) += w[i];
    }
    return C;
}

/// scikit-learn's `average` for precision, recall and F-scores.
enum class Average {
    binary,    ///< the score of `pos_label` alone; the targets must have at most two labels
    micro,     ///< from the totals of true positives, false positives and false negatives
    macro,     ///< unweighted mean of the per-label scores
    weighted,  ///< mean of the per-label scores weighted by their support
};

/// Options of precision_score, recall_score, f1_score and fbeta_score, in scikit-learn's order.
struct ScoreParams {
    int pos_label = 1;                  ///< the positive label when average is binary
    Average average = Average::binary;  ///< how per-label scores are combined (see Average)
    double zero_division = 0;           ///< the score where it divides by zero: 0 or 1
    /// Throws invalid_parameter naming the first field out of its range; constexpr, so a constant
    /// Params with a bad value does not compile.
    constexpr void validate() const {
        require_param(zero_division == 0 || zero_division == 1, "metrics", "zero_division", zero_division,
                      "must be 0 or 1");
    }
};

/// Per-label precision, recall, F-score and support (the number of true samples), labels sorted.
struct ClassScores {
    Labels labels;  ///< the labels, sorted; one entry of each vector below per label
    /// @{
    /// Per label: precision tp / (tp + fp), recall tp / (tp + fn) and the F-beta score.
    Vector<double> precision, recall, fscore;
    /// @}
    Eigen::VectorXi support;  ///< the number of true samples of each label
};

/// One averaged precision, recall and F-score.
struct AveragedScores {
    /// @{
    /// The averaged precision, recall and F-beta score.
    double precision = 0, recall = 0, fscore = 0;
    /// @}
};

namespace detail {

// Per-label counts of true positives, predictions and true samples over `labels`.
struct LabelCounts {
    Eigen::VectorXd tp, predicted, actual;
};

inline LabelCounts count_labels(const Eigen::Ref<const Labels>& y_true, const Eigen::Ref<const Labels>& y_pred,
                                const std::vector<int>& labels) {
    const Index k = static_cast<Index>(labels.size());
    LabelCounts c{Eigen::VectorXd::Zero(k), Eigen::VectorXd::Zero(k), Eigen::VectorXd::Zero(k)};
    const auto position = [&](int label) -> Index {
        const auto it = std::lower_bound(labels.begin(), labels.end(), label);
        return it != labels.end() && *it == label ? it - labels.begin() : -1;
    };
    for (Index i = 0; i < y_true.size(); ++i) {
        const Index t = position(y_true[i]), p = position(y_pred[i]);
        if (t >= 0) c.actual[t] += 1;
        if (p >= 0) c.predicted[p] += 1;
        if (t >= 0 && t == p) c.tp[t] += 1;
    }
    return c;
}

inline Eigen::VectorXd divide(const Eigen::VectorXd& numerator, const Eigen::VectorXd& denominator,
                              double zero_division) {
    Eigen::VectorXd out(numerator.size());
    for (Index i = 0; i < out.size(); ++i) {
        out[i] = denominator[i] == 0 ? zero_division : numerator[i] / denominator[i];
    }
    return out;
}

inline Eigen::VectorXd fbeta(const Eigen::VectorXd& precision, const Eigen::VectorXd& recall, double beta) {
    const double beta2 = beta * beta;
    Eigen::VectorXd f(precision.size());
    for (Index i = 0; i < f.size(); ++i) {
        if (std::isinf(beta)) {
            f[i] = recall[i];
            continue;
        }
        double denominator = beta2 * precision[i] + recall[i];
        if (denominator == 0) denominator = 1;
        f[i] = (1 + beta2) * precision[i] * recall[i] / denominator;
    }
    return f;
}

// The labels a set-wise score runs over: [pos_label] for binary, every present label otherwise.
inline std::vector<int> scored_labels(const Eigen::Ref<const Labels>& y_true, const Eigen::Ref<const Labels>& y_pred,
                                      const ScoreParams& params, std::string_view metric) {
    params.validate();
    check_lengths(y_true.size(), y_pred.size(), metric);
    std::vector<int> present = sorted_labels(y_true, y_pred);
    if (params.average != Average::binary) return present;
    if (present.size() > 2) {
        throw invalid_parameter(prefixed(metric, "parameter average = binary is invalid: the targets have " +
                                                     std::to_string(present.size()) +
                                                     " labels; choose micro, macro or weighted"));
    }
    const bool has_pos = std::binary_search(present.begin(), present.end(), params.pos_label);
    if (!has_pos && present.size() == 2) {
        throw invalid_parameter(prefixed(metric, "parameter pos_label = " + std::to_string(params.pos_label) +
                                                     " is invalid: it should be one of " + std::to_string(present[0]) +
                                                     ", " + std::to_string(present[1])));
    }
    return {params.pos_label};
}

inline AveragedScores averaged_scores(const Eigen::Ref<const Labels>& y_true, const Eigen::Ref<const Labels>& y_pred,
                                      const ScoreParams& params, double beta, std::string_view metric) {
    const std::vector<int> labels = scored_labels(y_true, y_pred, params, metric);
    LabelCounts c = count_labels(y_true, y_pred, labels);
    if (params.average == Average::micro) {
        c = {Eigen::VectorXd::Constant(1, c.tp.sum()), Eigen::VectorXd::Constant(1, c.predicted.sum()),
             Eigen::VectorXd::Constant(1, c.actual.sum())};
    }
    const Eigen::VectorXd precision = divide(c.tp, c.predicted, params.zero_division);
    const Eigen::VectorXd recall = divide(c.tp, c.actual, params.zero_division);
    const Eigen::VectorXd f = fbeta(precision, recall, beta);
    if (params.average == Average::weighted) {
        const double total = c.actual.sum();
        if (total == 0) {
            // No true sample of any scored label: scikit-learn's conventions for this corner.
            const double z = params.zero_division;
            if (c.predicted.sum() == 0) return {z, z, z};
            return {0.0, z, 0.0};
        }
        return {precision.dot(c.actual) / total, recall.dot(c.actual) / total, f.dot(c.actual) / total};
    }
    const double n = static_cast<double>(precision.size());
    return {precision.sum() / n, recall.sum() / n, f.sum() / n};
}

}  // namespace detail

/// Per-label precision, recall, F-beta and support over the sorted labels of y_true and y_pred
/// (scikit-learn's `average=None`). Throws invalid_parameter (zero_division), invalid_input.
inline ClassScores precision_recall_fscore_support(const Eigen::Ref<const Labels>& y_true,
                                                   const Eigen::Ref<const Labels>& y_pred, double beta = 1.0,
                                                   double zero_division = 0) {
    ScoreParams params{.average = Average::macro, .zero_division = zero_division};
    const std::vector<int> labels = detail::scored_labels(y_true, y_pred, params, "precision_recall_fscore_support");
    if (!(beta >= 0)) {
        throw invalid_parameter("precision_recall_fscore_support: parameter beta = " + std::to_string(beta) +
                                " is invalid: it must be >= 0");
    }
    const detail::LabelCounts c = detail::count_labels(y_true, y_pred, labels);
    ClassScores scores;
    scores.labels = Eigen::Map<const Labels>(labels.data(), static_cast<Index>(labels.size()));
    scores.precision = detail::divide(c.tp, c.predicted, zero_division);
    scores.recall = detail::divide(c.tp, c.actual, zero_division);
    scores.fscore = detail::fbeta(scores.precision, scores.recall, beta);
    scores.support = c.actual.cast<int>();
    return scores;
}

/// tp / (tp + fp), for `pos_label` or averaged as `params.average` asks. Throws
/// invalid_parameter (binary average on more than two labels, pos_label absent, zero_division),
/// invalid_input (lengths).
inline double precision_score(const Eigen::Ref<const Labels>& y_true, const Eigen::Ref<const Labels>& y_pred,
                              const ScoreParams& params = {}) {
    return detail::averaged_scores(y_true, y_pred, params, 1.0, "precision_score").precision;
}

/// tp / (tp + fn); see precision_score.
inline double recall_score(const Eigen::Ref<const Labels>& y_true, const Eigen::Ref<const Labels>& y_pred,
                           const ScoreParams& params = {}) {
    return detail::averaged_scores(y_true, y_pred, params, 1.0, "recall_score").recall;
}

/// The harmonic mean of precision and recall, per label, then averaged; see precision_score.
inline double f1_score(const Eigen::Ref<const Labels>& y_true, const Eigen::Ref<const Labels>& y_pred,
                       const ScoreParams& params = {}) {
    return detail::averaged_scores(y_true, y_pred, params, 1.0, "f1_score").fscore;
}

/// (1 + β²)·P·R / (β²·P + R), per label, then averaged; see precision_score.
inline double fbeta_score(const Eigen::Ref<const Labels>& y_true, const Eigen::Ref<const Labels>& y_pred, double beta,
                          const ScoreParams& params = {}) {
    if (!(beta >= 0)) {
        throw invalid_parameter("fbeta_score: parameter beta = " + std::to_string(beta) +
                                " is invalid: it must be >= 0");
    }
    return detail::averaged_scores(y_true, y_pred, params, beta, "fbeta_score").fscore;
}

/// Options of classification_report, in scikit-learn's order.
struct ReportParams {
    std::vector<std::string> target_names;  ///< one per sorted label; empty: the labels themselves
    int digits = 2;                         ///< decimals of the scores
    double zero_division = 0;               ///< 0 or 1, as in ScoreParams
};

/// The per-label precision, recall, F1 and support table followed by the accuracy, macro and
/// weighted averages, laid out character for character as scikit-learn's
/// `classification_report` prints it (names right-aligned; widths count bytes). Throws
/// invalid_parameter (digits < 0, zero_division, target_names of the wrong length),
/// invalid_input.
inline std::string classification_report(const Eigen::Ref<const Labels>& y_true, const Eigen::Ref<const Labels>& y_pred,
                                         const ReportParams& params = {}) {
    if (params.digits < 0) {
        throw invalid_parameter("classification_report: parameter digits = " + std::to_string(params.digits) +
                                " is invalid: it must be >= 0");
    }
    const ClassScores scores = precision_recall_fscore_support(y_true, y_pred, 1.0, params.zero_division);
    const Index k = scores.labels.size();
    std::vector<std::string> names = params.target_names;
    if (names.empty()) {
        for (Index i = 0; i < k; ++i) names.push_back(std::to_string(scores.labels[i]));
    } else if (static_cast<Index>(names.size()) != k) {
        throw invalid_parameter("classification_report: parameter target_names has " + std::to_string(names.size()) +
                                " names, but there are " + std::to_string(k) + " classes");
    }
    int width = static_cast<int>(std::string_view("weighted avg").size());
    for (const auto& name : names) width = std::max(width, static_cast<int>(name.size()));
    width = std::max(width, params.digits);
    const int d = params.digits;

    std::string report;
    const auto append = [&report](const char* format, auto... values) {
        const int n = std::snprintf(nullptr, 0, format, values...);
        std::string piece(static_cast<std::size_t>(n) + 1, '\0');
        std::snprintf(piece.data(), piece.size(), format, values...);
        piece.pop_back();
        report += piece;
    };
    const auto row = [&](const std::string& name, double p, double r, double f, long long support) {
        append("%*s  %9.*f %9.*f %9.*f %9lld\n", width, name.c_str(), d, p, d, r, d, f, support);
    };
    append("%*s  %9s %9s %9s %9s\n\n", width, "", "precision", "recall", "f1-score", "support");
    for (Index i = 0; i < k; ++i) {
        row(names[static_cast<std::size_t>(i)], scores.precision[i], scores.recall[i], scores.fscore[i],
            scores.support[i]);
    }
    report += "\n";
    const long long total = scores.support.cast<long long>().sum();
    const auto averaged = [&](Average average) {
        return detail::averaged_scores(y_true, y_pred, {.average = average, .zero_division = params.zero_division}, 1.0,
                                       "classification_report");
    };
    const AveragedScores micro = averaged(Average::micro);
    append("%*s  %9s %9s %9.*f %9lld\n", width, "accuracy", "", "", d, micro.fscore, total);
    const AveragedScores macro = averaged(Average::macro);
    row("macro avg", macro.precision, macro.recall, macro.fscore, total);
    const AveragedScores weighted = averaged(Average::weighted);
    row("weighted avg", weighted.precision, weighted.recall, weighted.fscore, total);
    return report;
}

/// Cross-entropy of the predicted probabilities, as scikit-learn's `log_loss` (1.2, eps = 'auto'):
/// probabilities are clipped to [ε, 1 − ε] (ε the machine epsilon of T), each row renormalised,
/// and −log p(true class) averaged (weighted by sample_weight when given). `proba` has one column
/// per sorted label of y_true, or a single column holding the probability of the greater label.
/// Throws invalid_input (one label only, column count, lengths, non-finite values).
template <dense_matrix M, real_vector W = Vector<typename M::Scalar>>
requires std::floating_point<typename M::Scalar>
typename M::Scalar log_loss(const Eigen::Ref<const Labels>& y_true, const M& proba, const W& sample_weight = W()) {
    using T = typename M::Scalar;
    constexpr std::string_view metric = "log_loss";
    detail::check_lengths(y_true.size(), proba.rows(), metric, "y_true", "y_pred");
    kestrel::detail::check_finite(proba, metric, "y_pred");
    const std::vector<int> classes = detail::sorted_labels(y_true);
    const Index k = static_cast<Index>(classes.size());
    if (k < 2) {
        throw invalid_input(detail::prefixed(
            metric, "y_true contains only one label (" + std::to_string(classes[0]) + "); at least two are needed"));
    }
    if (proba.cols() != k && !(proba.cols() == 1 && k == 2)) {
        throw invalid_input(detail::prefixed(metric, "y_true has " + std::to_string(k) + " classes, but y_pred has " +
                                                         std::to_string(proba.cols()) + " columns"));
    }
    const Eigen::VectorXd w = detail::weights_or_ones(sample_weight, y_true.size(), metric);
    const T eps = std::numeric_limits<T>::epsilon();
    const auto clipped = [eps](T p) { return std::clamp(p, eps, T(1) - eps); };
    double total = 0;
    for (Index i = 0; i < proba.rows(); ++i) {
        const int code = detail::label_code(classes, y_true[i]);
        T p_true, row_sum = 0;
        if (proba.cols() == 1) {
            const T p1 = clipped(proba(i, 0));
            const T p0 = T(1) - p1;
            row_sum = p0 + p1;
            p_true = code == 1 ? p1 : p0;
        } else {
            for (Index j = 0; j < k; ++j) row_sum += clipped(proba(i, j));
            p_true = clipped(proba(i, code));
        }
        total += w[i] * -std::log(static_cast<double>(p_true / row_sum));
    }
    return static_cast<T>(total / w.sum());
}

}  // namespace kestrel::metrics
