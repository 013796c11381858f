#pragma once
/// \file
/// The histogram splitter (`max_bins` 2..256): each feature's values are cut once into at most
/// max_bins bins and stored as one byte per value; a node's split search sums its samples' class
/// counts (or Σw, Σwy) per bin of each examined feature and scores every bin edge, so a node
/// costs one pass over its samples per examined feature plus one over max_bins bins, and
/// splitting it one stable pass over its sample list.
///
/// The bin edges are scikit-learn's HistGradientBoosting's: with at most max_bins distinct
/// values, the midpoints between consecutive ones (so the splits are the exact splitter's); with
/// more, the percentiles at 100·k/max_bins (k = 1 … max_bins − 1, midpoint interpolation),
/// duplicates removed. A value goes to the first bin whose upper edge is ≥ it; a split after bin b
/// has threshold edge[b], so x ≤ threshold sends exactly bins 0..b left. The random splitter
/// draws a bin edge uniformly between the node's lowest and highest occupied bins.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "../../core/detail/parallel.hpp"
#include "../../core/random.hpp"
#include "../../core/types.hpp"
#include "../options.hpp"
#include "criteria.hpp"
#include "grow.hpp"
#include "radix.hpp"

namespace kestrel::tree::detail {

/// The training rows cut into bins per feature: one byte per value, feature-major.
struct binned {
    Index n_rows = 0, n_features = 0;
    std::vector<std::uint8_t> codes;         ///< codes[f·n_rows + i]: the bin of X(i, f)
    std::vector<std::vector<double>> edges;  ///< per feature, each bin's upper edge but the last's

    /// Bins the columns of X (any Eigen expression) into at most `max_bins` bins, features in
    /// parallel.
    template <class M>
    binned(const M& X, int max_bins, int n_jobs) : n_rows(X.rows()), n_features(X.cols()) {
        codes.resize(static_cast<std::size_t>(n_rows * n_features));
        edges.resize(static_cast<std::size_t>(n_features));
        kestrel::detail::parallel_for(n_features, n_jobs, [&](Index f) {
            using S = typename std::remove_cvref_t<M>::Scalar;
            std::vector<S> sorted(static_cast<std::size_t>(n_rows));
            std::vector<std::int32_t> order(static_cast<std::size_t>(n_rows));
            for (Index i = 0; i < n_rows; ++i) {
                sorted[static_cast<std::size_t>(i)] = X(i, f);
                order[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(i);
            }
            radix_sort(sorted, order);
            std::vector<double>& e = edges[static_cast<std::size_t>(f)];
            Index distinct = n_rows > 0 ? 1 : 0;
            for (Index k = 1; k < n_rows && distinct <= max_bins; ++k) {
                distinct += sorted[static_cast<std::size_t>(k)] != sorted[static_cast<std::size_t>(k - 1)] ? 1 : 0;
            }
            if (distinct <= max_bins) {
                for (Index k = 1; k < n_rows; ++k) {
                    const double a = static_cast<double>(sorted[static_cast<std::size_t>(k - 1)]);
                    const double b = static_cast<double>(sorted[static_cast<std::size_t>(k)]);
                    if (a != b) e.push_back((a + b) * 0.5);
                }
            } else {
                const double last = static_cast<double>(n_rows - 1);
                for (int k = 1; k < max_bins; ++k) {
                    const double at = last * k / max_bins;
                    const auto lo = static_cast<std::size_t>(std::floor(at)),
                               hi = static_cast<std::size_t>(std::ceil(at));
                    e.push_back((static_cast<double>(sorted[lo]) + static_cast<double>(sorted[hi])) * 0.5);
                }
                e.erase(std::unique(e.begin(), e.end()), e.end());
            }
            // Walk the sorted values once: each gets the first bin whose edge is >= it.
            std::uint8_t* out = codes.data() + f * n_rows;
            std::size_t bin = 0;
            for (Index k = 0; k < n_rows; ++k) {
                const double x = static_cast<double>(sorted[static_cast<std::size_t>(k)]);
                while (bin < e.size() && e[bin] < x) ++bin;
                out[order[static_cast<std::size_t>(k)]] = static_cast<std::uint8_t>(bin);
            }
        });
    }

    /// The number of bins of feature f.
    [[nodiscard]] Index bins(Index f) const {
        return static_cast<Index>(edges[static_cast<std::size_t>(f)].size()) + 1;
    }
};

/// Grows one tree with histogram splits; see the file comment.
class histogram_grower : public grower_base<histogram_grower> {
    using base = grower_base<histogram_grower>;
    friend base;

public:
    /// `weight` holds each training row's weight; rows of weight 0 are not in the tree.
    histogram_grower(const binned& data, const targets& target, const std::vector<double>& weight,
                     const grow_settings& settings, random_engine& rng)
        : base(data.n_features, target, weight, settings, rng), data_(data) {
        for (Index i = 0; i < data.n_rows; ++i) {
            if (weight[static_cast<std::size_t>(i)] > 0) rows_.push_back(static_cast<std::int32_t>(i));
        }
        scratch_.resize(rows_.size());
        const Index k = target.classification() ? target.n_classes : 2;  // counts, or Σw and Σwy
        stride_ = k;
        hist_.resize(static_cast<std::size_t>(256 * k));
        count_.resize(256);
    }

private:
    [[nodiscard]] Index size() const noexcept { return static_cast<Index>(rows_.size()); }
    [[nodiscard]] const std::int32_t* node_rows(Index start) const { return rows_.data() + start; }

    void search(Index start, Index end, split_choice& best) {
        Index best_bin = -1;
        this->for_features([&](Index f) {
            const Index nb = data_.bins(f);
            fill(f, start, end, nb);
            Index lo = 0, hi = nb - 1;
            while (count_[static_cast<std::size_t>(lo)] == 0) ++lo;
            while (count_[static_cast<std::size_t>(hi)] == 0) --hi;
            if (lo == hi) return false;
            const Index b = this->s_.splitter == Splitter::random ? random_edge(f, start, end, lo, hi, best)
                                                                  : scan(f, start, end, lo, hi, best);
            if (b >= 0) best_bin = b;
            return true;
        });
        if (best.pos < end) partition(start, end, best.feature, best_bin);
    }

    /// The node's per-bin sample counts and class weights (or Σw, Σwy) of feature f.
    void fill(Index f, Index start, Index end, Index nb) {
        std::fill(count_.begin(), count_.begin() + nb, 0);
        std::fill(hist_.begin(), hist_.begin() + nb * stride_, 0.0);
        const std::uint8_t* code = data_.codes.data() + f * data_.n_rows;
        const double* w = this->weight_.data();
        double* h = hist_.data();
        if (this->target_.classification()) {
            const std::int32_t* classes = this->target_.codes.data();
            for (Index k = start; k < end; ++k) {
                const std::int32_t row = rows_[static_cast<std::size_t>(k)];
                const Index b = code[row];
                ++count_[static_cast<std::size_t>(b)];
                h[b * stride_ + classes[row]] += w[row];
            }
        } else {
            const double* y = this->target_.y.data();
            for (Index k = start; k < end; ++k) {
                const std::int32_t row = rows_[static_cast<std::size_t>(k)];
                const Index b = code[row];
                ++count_[static_cast<std::size_t>(b)];
                h[b * stride_] += w[row];
                h[b * stride_ + 1] += w[row] * y[row];
            }
        }
    }

    /// The score of putting bins lo..b left, given the running left sums; also the left count.
    double score(const double* left, double wl) {
        const double wt = this->node_.weight;
        if (this->target_.classification()) {
            return classification_proxy(this->s_.criterion, left, this->node_.counts.data(), this->right_counts_.data(),
                                        this->target_.n_classes, wl, wt);
        }
        return regression_proxy(this->s_.criterion, left[1], wl, this->node_.sum, wt);
    }

    /// Adds bin b to the running left sums.
    void add_bin(Index b, std::vector<double>& left, double& wl) {
        const double* h = hist_.data() + b * stride_;
        if (this->target_.classification()) {
            for (Index c = 0; c < stride_; ++c) {
                left[static_cast<std::size_t>(c)] += h[c];
                wl += h[c];
            }
        } else {
            left[0] += h[0];
            left[1] += h[1];
            wl += h[0];
        }
    }

    /// Whether a split leaving nl of n samples and weight wl left is allowed.
    [[nodiscard]] bool allowed(Index nl, Index n, double wl) const {
        return nl >= this->s_.min_samples_leaf && n - nl >= this->s_.min_samples_leaf &&
               wl >= this->s_.min_weight_leaf && this->node_.weight - wl >= this->s_.min_weight_leaf;
    }

    /// Every occupied bin's upper edge of feature f; returns the chosen bin when it beats `best`.
    Index scan(Index f, Index start, Index end, Index lo, Index hi, split_choice& best) {
        left_sums_.assign(static_cast<std::size_t>(stride_), 0.0);
        double wl = 0;
        Index nl = 0, chosen = -1;
        for (Index b = lo; b < hi; ++b) {
            if (count_[static_cast<std::size_t>(b)] == 0) continue;
            add_bin(b, left_sums_, wl);
            nl += count_[static_cast<std::size_t>(b)];
            if (!allowed(nl, end - start, wl)) continue;
            const double s = score(left_sums_.data(), wl);
            if (s > best.proxy) {
                best.proxy = s;
                best.feature = f;
                best.pos = start + nl;
                best.threshold = data_.edges[static_cast<std::size_t>(f)][static_cast<std::size_t>(b)];
                chosen = b;
            }
        }
        return chosen;
    }

    /// One bin edge drawn uniformly between bins lo and hi of feature f (Extra-Trees).
    Index random_edge(Index f, Index start, Index end, Index lo, Index hi, split_choice& best) {
        const Index b = lo + this->rng_.index_below(hi - lo);
        left_sums_.assign(static_cast<std::size_t>(stride_), 0.0);
        double wl = 0;
        Index nl = 0;
        for (Index c = lo; c <= b; ++c) {
            add_bin(c, left_sums_, wl);
            nl += count_[static_cast<std::size_t>(c)];
        }
        if (!allowed(nl, end - start, wl)) return -1;
        const double s = score(left_sums_.data(), wl);
        if (!(s > best.proxy)) return -1;
        best.proxy = s;
        best.feature = f;
        best.pos = start + nl;
        best.threshold = data_.edges[static_cast<std::size_t>(f)][static_cast<std::size_t>(b)];
        return b;
    }

    /// Reorders the node's samples stably: those of feature f's bins ≤ b first.
    void partition(Index start, Index end, Index f, Index b) {
        const std::uint8_t* code = data_.codes.data() + f * data_.n_rows;
        Index left = start, right = 0;
        for (Index k = start; k < end; ++k) {
            const std::int32_t row = rows_[static_cast<std::size_t>(k)];
            if (code[row] <= b) {
                rows_[static_cast<std::size_t>(left++)] = row;
            } else {
                scratch_[static_cast<std::size_t>(right++)] = row;
            }
        }
        std::copy(scratch_.begin(), scratch_.begin() + right, rows_.begin() + left);
    }

    const binned& data_;
    std::vector<std::int32_t> rows_, scratch_;
    Index stride_ = 1;
    std::vector<double> hist_, left_sums_;
    std::vector<Index> count_;
};

}  // namespace kestrel::tree::detail
