#pragma once
/// \file
/// Ranking metrics, as sklearn.metrics: the area under the ROC curve.

#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "../core/error.hpp"
#include "../core/types.hpp"
#include "detail/inputs.hpp"

namespace kestrel::metrics {

/// Area under the ROC curve of a binary problem, as scikit-learn's `roc_auc_score`: the greater
/// of the two labels in y_true is the positive class and `y_score` ranks samples by it. Tied
/// scores form one point of the curve, so a tie between a positive and a negative counts one
/// half. The curve keeps only the points where it bends (scikit-learn's drop_intermediate) and
/// the area is the trapezoidal rule. Throws invalid_input (y_true without exactly two labels,
/// lengths, non-finite scores, bad weights).
template <real_vector V, real_vector W = Vector<value_of<V>>>
double roc_auc_score(const Eigen::Ref<const Labels>& y_true, const V& y_score, const W& sample_weight = W()) {
    constexpr std::string_view metric = "roc_auc_score";
    detail::check_lengths(y_true.size(), y_score.size(), metric, "y_true", "y_score");
    kestrel::detail::check_finite(y_score, metric, "y_score");
    const std::vector<int> classes = detail::sorted_labels(y_true);
    if (classes.size() != 2) {
        throw invalid_input(detail::prefixed(
            metric, classes.size() == 1 ? "only one class present in y_true; ROC AUC is not defined in that case"
                                        : "y_true has " + std::to_string(classes.size()) +
                                              " classes; only binary targets are supported"));
    }
    const bool weighted = sample_weight.size() > 0;
    const Eigen::VectorXd w = detail::weights_or_ones(sample_weight, y_true.size(), metric);
    const Index n = y_true.size();
    std::vector<Index> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), Index{0});
    std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return y_score[a] > y_score[b]; });

    // Cumulative true and false positives at each distinct threshold, highest score first.
    std::vector<double> tps, fps;
    double tp = 0, fp = 0;
    for (Index r = 0; r < n; ++r) {
        const Index i = order[static_cast<std::size_t>(r)];
        if (y_true[i] == classes[1]) {
            tp += w[i];
        } else {
            fp += w[i];
        }
        if (r + 1 == n || y_score[order[static_cast<std::size_t>(r + 1)]] != y_score[i]) {
            tps.push_back(tp);
            // Unweighted, scikit-learn counts false positives as (rank + 1) − tp.
            fps.push_back(weighted ? fp : static_cast<double>(r + 1) - tp);
        }
    }
    // Keep the ends and the points where the curve changes direction.
    std::vector<double> x{0.0}, y{0.0};
    const std::size_t m = tps.size();
    for (std::size_t i = 0; i < m; ++i) {
        const bool end = i == 0 || i + 1 == m;
        const auto bends = [&](const std::vector<double>& v) { return (v[i + 1] - v[i]) - (v[i] - v[i - 1]) != 0; };
        if (end || bends(fps) || bends(tps)) {
            x.push_back(fps[i]);
            y.push_back(tps[i]);
        }
    }
    const double fp_total = x.back(), tp_total = y.back();
    double area = 0;
    for (std::size_t i = 1; i < x.size(); ++i) {
        area += (x[i] / fp_total - x[i - 1] / fp_total) * (y[i] / tp_total + y[i - 1] / tp_total) / 2.0;
    }
    return area;
}

}  // namespace kestrel::metrics
