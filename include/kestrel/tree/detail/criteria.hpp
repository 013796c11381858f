#pragma once
/// \file
/// Impurities and split scores of every criterion, on the running sums a split search keeps:
/// weighted class counts for classification; Σw, Σwy and Σwy² for regression. The formulas and
/// their rounding follow scikit-learn 1.2's `_criterion.pyx`, so that equal data give equal trees.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "../../core/types.hpp"
#include "../options.hpp"

namespace kestrel::tree::detail {

/// Values closer than this are one value: no threshold falls between them (scikit-learn's
/// FEATURE_THRESHOLD).
inline constexpr double feature_threshold = 1e-7;
/// A node of impurity ≤ this is pure (scikit-learn's EPSILON in _tree.pyx).
inline constexpr double impurity_epsilon = std::numeric_limits<double>::epsilon();
/// Poisson refuses a child whose Σwy is ≤ this.
inline constexpr double poisson_epsilon = 10 * std::numeric_limits<double>::epsilon();
inline constexpr double infinity = std::numeric_limits<double>::infinity();

/// What the targets of a tree are: class codes 0..K−1 (K = n_classes > 0) or real values.
struct targets {
    Index n_classes = 0;
    std::vector<std::int32_t> codes;
    std::vector<double> y;
    [[nodiscard]] bool classification() const noexcept { return n_classes > 0; }
};

/// Weighted class counts or regression sums of a set of samples.
struct sums {
    double weight = 0;
    double sum = 0, sum_sq = 0;  // regression
    std::vector<double> counts;  // classification

    void clear(Index n_classes) {
        weight = sum = sum_sq = 0;
        counts.assign(static_cast<std::size_t>(n_classes), 0.0);
    }
    /// Adds sample `row` of weight w.
    void add(const targets& t, std::int32_t row, double w) {
        if (t.classification()) {
            add_class(t.codes[static_cast<std::size_t>(row)], w);
        } else {
            add_value(t.y[static_cast<std::size_t>(row)], w);
        }
    }
    /// Adds a sample of class c and weight w.
    void add_class(Index c, double w) {
        weight += w;
        counts[static_cast<std::size_t>(c)] += w;
    }
    /// Adds a sample of target y and weight w.
    void add_value(double y, double w) {
        weight += w;
        sum += w * y;
        sum_sq += w * y * y;
    }
};

/// Gini impurity of weighted counts c of total weight w.
inline double gini(const double* c, Index k, double w) {
    double sq = 0;
    for (Index i = 0; i < k; ++i) sq += c[i] * c[i];
    return 1.0 - sq / (w * w);
}
/// Entropy in bits (scikit-learn's log is ln x / ln 2) of weighted counts c of total weight w.
inline double entropy(const double* c, Index k, double w) {
    const double ln2 = std::log(2.0);
    double e = 0;
    for (Index i = 0; i < k; ++i) {
        if (c[i] > 0) {
            const double p = c[i] / w;
            e -= p * (std::log(p) / ln2);
        }
    }
    return e;
}
inline double classification_impurity(Criterion c, const double* counts, Index k, double w) {
    return c == Criterion::gini ? gini(counts, k, w) : entropy(counts, k, w);
}

/// The weighted median of (value, weight) pairs, as scikit-learn's WeightedMedianCalculator:
/// sorted by value, k the least index with Σ_{j<k} wⱼ ≥ W/2; the mean of the values at k−1 and k
/// when that sum is exactly W/2.
inline double weighted_median(std::vector<std::pair<double, double>>& pairs) {
    std::sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    double total = 0;
    for (const auto& p : pairs) total += p.second;
    const double half = total / 2.0;
    double below = 0;
    std::size_t k = 0;
    while (k < pairs.size() && below < half) below += pairs[k++].second;
    if (k == 0) return pairs.empty() ? 0.0 : pairs[0].first;
    if (below == half && k < pairs.size()) return (pairs[k].first + pairs[k - 1].first) / 2.0;
    return pairs[k - 1].first;
}

/// Σ w·|y − median| / Σw over the samples `rows` (and the median, through `median`).
template <class Rows>
double absolute_error(const targets& t, const std::vector<double>& weight, const Rows& rows, Index count,
                      std::vector<std::pair<double, double>>& scratch, double* median = nullptr) {
    scratch.clear();
    for (Index i = 0; i < count; ++i) {
        const auto r = static_cast<std::size_t>(rows[i]);
        scratch.emplace_back(t.y[r], weight[r]);
    }
    const double m = weighted_median(scratch);
    if (median) *median = m;
    double total = 0, w = 0;
    for (const auto& [y, wy] : scratch) {
        total += std::abs(y - m) * wy;
        w += wy;
    }
    return total / w;
}

/// Σ w·y·log(y / ȳ) / Σw over `rows`, ȳ = s / w (scikit-learn's half Poisson deviance); +∞ when
/// s ≤ poisson_epsilon.
template <class Rows>
double poisson_loss(const targets& t, const std::vector<double>& weight, const Rows& rows, Index count, double s,
                    double w) {
    if (s <= poisson_epsilon) return infinity;
    const double mean = s / w;
    double loss = 0;
    for (Index i = 0; i < count; ++i) {
        const auto r = static_cast<std::size_t>(rows[i]);
        const double y = t.y[r];
        if (y != 0) loss += weight[r] * (y * std::log(y / mean));
    }
    return loss / w;
}

/// The node's impurity from its sums (squared error, friedman_mse and the classification
/// criteria); absolute_error and poisson read the samples.
inline double sums_impurity(Criterion c, const sums& s) {
    if (is_classification(c)) {
        return classification_impurity(c, s.counts.data(), static_cast<Index>(s.counts.size()), s.weight);
    }
    const double mean = s.sum / s.weight;
    return s.sum_sq / s.weight - mean * mean;
}

}  // namespace kestrel::tree::detail
