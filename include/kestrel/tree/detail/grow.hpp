#pragma once
/// \file
/// Growing one tree with exact splits over presorted features.
///
/// Every feature's training values are sorted once (`presorted`, shared by the trees of a
/// forest). A tree keeps, per feature, its samples in that order, and every node owns one range
/// [start, end) of positions that is the same for all features: splitting a node partitions each
/// feature's range stably into the left samples then the right ones, so the children stay sorted
/// and nothing is ever sorted again. Finding a node's best split is then one pass over each
/// examined feature's range, and splitting one pass over every feature's range.
///
/// Growth follows scikit-learn 1.2's tree builders: depth-first, left child first, when
/// `max_leaf_nodes` is not set; otherwise best-first by impurity improvement. The leaf rules,
/// the candidate positions (values closer than 1e-7 are not separated), the thresholds (the
/// midpoint of the two values, or the lower one when the midpoint rounds up to the upper) and
/// the scores are scikit-learn's, so that where the best split is unique the trees are equal.
/// Where two splits score exactly alike, the first found wins: features are examined in index
/// order when every feature is examined (in a random order drawn from the tree's seed
/// otherwise), and positions from the smallest threshold up.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <queue>
#include <utility>
#include <vector>

#include "../../core/detail/parallel.hpp"
#include "../../core/random.hpp"
#include "../../core/types.hpp"
#include "../options.hpp"
#include "../structure.hpp"
#include "criteria.hpp"

namespace kestrel::tree::detail {

/// Each feature's rows in increasing order of value (ties by row), with the values.
template <class T>
struct presorted {
    Index n_rows = 0, n_features = 0;
    std::vector<T> values;           ///< feature-major: values[f·n_rows + k]
    std::vector<std::int32_t> rows;  ///< rows[f·n_rows + k]

    /// Sorts the columns of X (any Eigen expression), features in parallel.
    template <class M>
    presorted(const M& X, int n_jobs) : n_rows(X.rows()), n_features(X.cols()) {
        const auto size = static_cast<std::size_t>(n_rows * n_features);
        values.resize(size);
        rows.resize(size);
        kestrel::detail::parallel_for(n_features, n_jobs, [&](Index f) {
            std::vector<std::pair<T, std::int32_t>> column(static_cast<std::size_t>(n_rows));
            for (Index i = 0; i < n_rows; ++i)
                column[static_cast<std::size_t>(i)] = {X(i, f), static_cast<std::int32_t>(i)};
            std::sort(column.begin(), column.end());
            T* v = values.data() + f * n_rows;
            std::int32_t* r = rows.data() + f * n_rows;
            for (Index k = 0; k < n_rows; ++k) {
                v[k] = column[static_cast<std::size_t>(k)].first;
                r[k] = column[static_cast<std::size_t>(k)].second;
            }
        });
    }
};

/// The structure rules of one fit, resolved against the data (counts, not fractions).
struct grow_settings {
    Criterion criterion = Criterion::gini;
    Splitter splitter = Splitter::best;
    Index max_depth = std::numeric_limits<int>::max();
    Index min_samples_split = 2;
    Index min_samples_leaf = 1;
    double min_weight_leaf = 0;
    Index max_features = 0;    ///< features examined per split
    Index max_leaf_nodes = 0;  ///< 0: no limit (depth-first growth)
    double min_impurity_decrease = 0;
};

/// The best split found for a node; pos == end when there is none.
struct split_choice {
    Index feature = -2;
    Index pos = 0;
    double threshold = -2.0;
    double proxy = -infinity;
    double improvement = -infinity;
    double impurity_left = 0, impurity_right = 0;
};

/// Grows one tree; see the file comment.
template <class T>
class exact_grower {
public:
    /// `weight` holds each training row's weight; rows of weight 0 are not in the tree.
    exact_grower(const presorted<T>& data, const targets& target, const std::vector<double>& weight,
                 const grow_settings& settings, random_engine& rng)
        : data_(data), target_(target), weight_(weight), s_(settings), rng_(rng), d_(data.n_features) {
        for (double w : weight) {
            if (w > 0) {
                ++m_;
                total_weight_ += w;
            }
        }
        const auto size = static_cast<std::size_t>(m_ * d_);
        values_.resize(size);
        rows_.resize(size);
        for (Index f = 0; f < d_; ++f) {
            const T* v = data.values.data() + f * data.n_rows;
            const std::int32_t* r = data.rows.data() + f * data.n_rows;
            T* vo = values_.data() + f * m_;
            std::int32_t* ro = rows_.data() + f * m_;
            Index k = 0;
            for (Index j = 0; j < data.n_rows; ++j) {
                if (weight[static_cast<std::size_t>(r[j])] > 0) {
                    vo[k] = v[j];
                    ro[k] = r[j];
                    ++k;
                }
            }
        }
        scratch_values_.resize(static_cast<std::size_t>(m_));
        scratch_rows_.resize(static_cast<std::size_t>(m_));
        goes_left_.assign(static_cast<std::size_t>(data.n_rows), 0);
        features_.resize(static_cast<std::size_t>(d_));
        std::iota(features_.begin(), features_.end(), 0);
        width_ = target.classification() ? target.n_classes : 1;
        left_.clear(target.n_classes);
        node_.clear(target.n_classes);
    }

    Tree grow() {
        tree_builder out(width_);
        if (s_.max_leaf_nodes > 0) {
            grow_best_first(out);
        } else {
            grow_depth_first(out);
        }
        return out.finish();
    }

private:
    struct pending {
        Index start, end, depth, parent;
        bool is_left;
        double impurity;
    };

    void grow_depth_first(tree_builder& out) {
        std::vector<pending> stack{{0, m_, 0, -1, false, infinity}};
        bool first = true;
        std::vector<double> value(static_cast<std::size_t>(width_));
        while (!stack.empty()) {
            const pending p = stack.back();
            stack.pop_back();
            const Index n = p.end - p.start;
            node_sums(p.start, p.end, node_);
            bool leaf = p.depth >= s_.max_depth || n < s_.min_samples_split || n < 2 * s_.min_samples_leaf ||
                        node_.weight < 2 * s_.min_weight_leaf;
            const double impurity = first ? node_impurity(p.start, p.end, node_) : p.impurity;
            first = false;
            leaf = leaf || impurity <= impurity_epsilon;
            split_choice split;
            if (!leaf) {
                split = best_split(p.start, p.end, impurity);
                leaf = split.pos >= p.end || split.improvement + impurity_epsilon < s_.min_impurity_decrease;
            }
            node_value(p.start, p.end, node_, value.data());
            const Index id = out.add(impurity, n, node_.weight, value.data(), p.depth);
            link(out, p.parent, p.is_left, id);
            if (!leaf) {
                out.split(id, split.feature, split.threshold);
                partition(p.start, p.end, split);
                stack.push_back({split.pos, p.end, p.depth + 1, id, false, split.impurity_right});
                stack.push_back({p.start, split.pos, p.depth + 1, id, true, split.impurity_left});
            }
        }
    }

    struct frontier_node {
        Index id, start, end, depth;
        bool leaf;
        split_choice split;
    };

    frontier_node add_split_node(tree_builder& out, Index start, Index end, double impurity, bool first, Index parent,
                                 bool is_left, Index depth, std::vector<double>& value) {
        const Index n = end - start;
        node_sums(start, end, node_);
        if (first) impurity = node_impurity(start, end, node_);
        bool leaf = depth >= s_.max_depth || n < s_.min_samples_split || n < 2 * s_.min_samples_leaf ||
                    node_.weight < 2 * s_.min_weight_leaf || impurity <= impurity_epsilon;
        split_choice split;
        if (!leaf) {
            split = best_split(start, end, impurity);
            leaf = split.pos >= end || split.improvement + impurity_epsilon < s_.min_impurity_decrease;
        }
        node_value(start, end, node_, value.data());
        const Index id = out.add(impurity, n, node_.weight, value.data(), depth);
        link(out, parent, is_left, id);
        if (leaf) split.improvement = 0;
        return {id, start, end, depth, leaf, split};
    }

    void grow_best_first(tree_builder& out) {
        auto lower = [](const frontier_node& a, const frontier_node& b) {
            return a.split.improvement < b.split.improvement;
        };
        std::priority_queue<frontier_node, std::vector<frontier_node>, decltype(lower)> frontier(lower);
        std::vector<double> value(static_cast<std::size_t>(width_));
        Index splits_left = s_.max_leaf_nodes - 1;
        frontier.push(add_split_node(out, 0, m_, infinity, true, -1, false, 0, value));
        while (!frontier.empty()) {
            const frontier_node r = frontier.top();
            frontier.pop();
            if (r.leaf || splits_left <= 0) continue;
            --splits_left;
            out.split(r.id, r.split.feature, r.split.threshold);
            partition(r.start, r.end, r.split);
            frontier_node left =
                add_split_node(out, r.start, r.split.pos, r.split.impurity_left, false, r.id, true, r.depth + 1, value);
            frontier_node right =
                add_split_node(out, r.split.pos, r.end, r.split.impurity_right, false, r.id, false, r.depth + 1, value);
            frontier.push(std::move(left));
            frontier.push(std::move(right));
        }
    }

    static void link(tree_builder& out, Index parent, bool is_left, Index id) {
        if (parent < 0) return;
        auto& side = is_left ? out.left : out.right;
        side[static_cast<std::size_t>(parent)] = static_cast<int>(id);
    }

    // ---- node statistics ------------------------------------------------------------------

    /// The rows of positions [start, end) (in feature 0's order; every feature holds the same set).
    [[nodiscard]] const std::int32_t* node_rows(Index start) const { return rows_.data() + start; }

    void node_sums(Index start, Index end, sums& out) const {
        out.clear(target_.n_classes);
        const std::int32_t* r = node_rows(start);
        for (Index k = 0; k < end - start; ++k) out.add(target_, r[k], weight_[static_cast<std::size_t>(r[k])]);
    }

    double node_impurity(Index start, Index end, const sums& s) {
        switch (s_.criterion) {
            case Criterion::absolute_error:
                return absolute_error(target_, weight_, node_rows(start), end - start, pairs_);
            case Criterion::poisson:
                return poisson_loss(target_, weight_, node_rows(start), end - start, s.sum, s.weight);
            default:
                return sums_impurity(s_.criterion, s);
        }
    }

    void node_value(Index start, Index end, const sums& s, double* out) {
        if (target_.classification()) {
            std::copy(s.counts.begin(), s.counts.end(), out);
        } else if (s_.criterion == Criterion::absolute_error) {
            absolute_error(target_, weight_, node_rows(start), end - start, pairs_, out);
        } else {
            out[0] = s.sum / s.weight;
        }
    }

    // ---- the split search -------------------------------------------------------------------

    /// The score scikit-learn maximises (`proxy_impurity_improvement`) for the left sums `l` of
    /// a node of sums `t`, the left samples being positions [start, pos) of feature f.
    double proxy(const sums& l, const sums& t, Index f, Index start, Index pos, Index end) {
        const double wl = l.weight, wr = t.weight - l.weight;
        switch (s_.criterion) {
            case Criterion::gini:
            case Criterion::entropy:
            case Criterion::log_loss: {
                const Index k = target_.n_classes;
                right_counts_.resize(static_cast<std::size_t>(k));
                for (Index c = 0; c < k; ++c) {
                    right_counts_[static_cast<std::size_t>(c)] =
                        t.counts[static_cast<std::size_t>(c)] - l.counts[static_cast<std::size_t>(c)];
                }
                const double il = classification_impurity(s_.criterion, l.counts.data(), k, wl);
                const double ir = classification_impurity(s_.criterion, right_counts_.data(), k, wr);
                return -wr * ir - wl * il;
            }
            case Criterion::squared_error: {
                const double sr = t.sum - l.sum;
                return l.sum * l.sum / wl + sr * sr / wr;
            }
            case Criterion::friedman_mse: {
                const double sr = t.sum - l.sum;
                const double diff = wr * l.sum - wl * sr;
                return diff * diff / (wl * wr);
            }
            case Criterion::poisson: {
                const double sr = t.sum - l.sum;
                if (l.sum <= poisson_epsilon || sr <= poisson_epsilon) return -infinity;
                return l.sum * std::log(l.sum / wl) + sr * std::log(sr / wr);
            }
            case Criterion::absolute_error: {
                const std::int32_t* r = rows_.data() + f * m_;
                const double il = absolute_error(target_, weight_, r + start, pos - start, pairs_);
                const double ir = absolute_error(target_, weight_, r + pos, end - pos, pairs_);
                return -wr * ir - wl * il;
            }
        }
        return -infinity;
    }

    /// The children's impurities and the improvement of the chosen split (feature f at pos).
    void finish_split(split_choice& best, Index start, Index end, double impurity) {
        const Index f = best.feature, pos = best.pos;
        const std::int32_t* r = rows_.data() + f * m_;
        sums& l = left_;
        l.clear(target_.n_classes);
        for (Index k = start; k < pos; ++k) l.add(target_, r[k], weight_[static_cast<std::size_t>(r[k])]);
        const sums& t = node_;
        const double wl = l.weight, wr = t.weight - l.weight, wn = t.weight;
        switch (s_.criterion) {
            case Criterion::gini:
            case Criterion::entropy:
            case Criterion::log_loss: {
                const Index k = target_.n_classes;
                right_counts_.resize(static_cast<std::size_t>(k));
                for (Index c = 0; c < k; ++c) {
                    right_counts_[static_cast<std::size_t>(c)] =
                        t.counts[static_cast<std::size_t>(c)] - l.counts[static_cast<std::size_t>(c)];
                }
                best.impurity_left = classification_impurity(s_.criterion, l.counts.data(), k, wl);
                best.impurity_right = classification_impurity(s_.criterion, right_counts_.data(), k, wr);
                break;
            }
            case Criterion::squared_error:
            case Criterion::friedman_mse: {
                const double sq_right = t.sum_sq - l.sum_sq, sr = t.sum - l.sum;
                best.impurity_left = l.sum_sq / wl - (l.sum / wl) * (l.sum / wl);
                best.impurity_right = sq_right / wr - (sr / wr) * (sr / wr);
                break;
            }
            case Criterion::poisson:
                best.impurity_left = poisson_loss(target_, weight_, r + start, pos - start, l.sum, wl);
                best.impurity_right = poisson_loss(target_, weight_, r + pos, end - pos, t.sum - l.sum, wr);
                break;
            case Criterion::absolute_error:
                best.impurity_left = absolute_error(target_, weight_, r + start, pos - start, pairs_);
                best.impurity_right = absolute_error(target_, weight_, r + pos, end - pos, pairs_);
                break;
        }
        if (s_.criterion == Criterion::friedman_mse) {
            const double diff = wr * l.sum - wl * (t.sum - l.sum);
            best.improvement = diff * diff / (wl * wr * wn);
        } else {
            best.improvement =
                (wn / total_weight_) * (impurity - wr / wn * best.impurity_right - wl / wn * best.impurity_left);
        }
    }

    /// The feature to examine `visited`-th in this node: in index order when every feature is
    /// examined, else drawn without replacement.
    Index draw_feature(Index visited) {
        if (s_.max_features >= d_) return visited;
        const Index j = visited + rng_.index_below(d_ - visited);
        std::swap(features_[static_cast<std::size_t>(visited)], features_[static_cast<std::size_t>(j)]);
        return features_[static_cast<std::size_t>(visited)];
    }

    split_choice best_split(Index start, Index end, double impurity) {
        split_choice best;
        best.pos = end;
        Index visited = 0, constant = 0;
        // scikit-learn's rule: stop after max_features features (constant ones included) once a
        // non-constant one has been seen.
        while (visited < d_ && (visited < s_.max_features || visited <= constant)) {
            const Index f = draw_feature(visited);
            ++visited;
            const T* v = values_.data() + f * m_;
            if (static_cast<double>(v[end - 1]) <= static_cast<double>(v[start]) + feature_threshold) {
                ++constant;
                continue;
            }
            if (s_.splitter == Splitter::best) {
                scan_feature(f, start, end, best);
            } else {
                random_threshold(f, start, end, best);
            }
        }
        if (best.pos < end) finish_split(best, start, end, impurity);
        return best;
    }

    /// Every threshold of feature f (positions where the sorted value steps by more than 1e-7).
    void scan_feature(Index f, Index start, Index end, split_choice& best) {
        const T* v = values_.data() + f * m_;
        const std::int32_t* r = rows_.data() + f * m_;
        sums& l = left_;
        l.clear(target_.n_classes);
        const Index min_leaf = s_.min_samples_leaf;
        for (Index k = start; k + 1 < end; ++k) {
            l.add(target_, r[k], weight_[static_cast<std::size_t>(r[k])]);
            if (static_cast<double>(v[k + 1]) <= static_cast<double>(v[k]) + feature_threshold) continue;
            const Index pos = k + 1;
            if (pos - start < min_leaf) continue;
            if (end - pos < min_leaf) break;
            if (l.weight < s_.min_weight_leaf || node_.weight - l.weight < s_.min_weight_leaf) continue;
            const double score = proxy(l, node_, f, start, pos, end);
            if (score > best.proxy) {
                best.proxy = score;
                best.feature = f;
                best.pos = pos;
                best.threshold = midpoint(v[k], v[k + 1]);
            }
        }
    }

    /// One threshold drawn uniformly between the node's extremes of feature f (Extra-Trees).
    void random_threshold(Index f, Index start, Index end, split_choice& best) {
        const T* v = values_.data() + f * m_;
        const std::int32_t* r = rows_.data() + f * m_;
        const double low = static_cast<double>(v[start]), high = static_cast<double>(v[end - 1]);
        double threshold = low + (high - low) * rng_.uniform();
        if (threshold == high) threshold = low;
        const Index pos =
            std::upper_bound(v + start, v + end, threshold, [](double t, T x) { return t < static_cast<double>(x); }) -
            v;
        if (pos - start < s_.min_samples_leaf || end - pos < s_.min_samples_leaf) return;
        sums& l = left_;
        l.clear(target_.n_classes);
        for (Index k = start; k < pos; ++k) l.add(target_, r[k], weight_[static_cast<std::size_t>(r[k])]);
        if (l.weight < s_.min_weight_leaf || node_.weight - l.weight < s_.min_weight_leaf) return;
        const double score = proxy(l, node_, f, start, pos, end);
        if (score > best.proxy) {
            best.proxy = score;
            best.feature = f;
            best.pos = pos;
            best.threshold = threshold;
        }
    }

    /// scikit-learn's threshold between two sorted values: their midpoint, or the lower value
    /// when the midpoint rounds to the upper one.
    static double midpoint(T a, T b) {
        const double t = static_cast<double>(a) / 2.0 + static_cast<double>(b) / 2.0;
        if (t == static_cast<double>(b) || std::isinf(t)) return static_cast<double>(a);
        return t;
    }

    // ---- partitioning -------------------------------------------------------------------

    /// Splits positions [start, end) of every feature stably into the samples of the chosen
    /// split's left child, then the right child's.
    void partition(Index start, Index end, const split_choice& split) {
        const std::int32_t* chosen = rows_.data() + split.feature * m_;
        for (Index k = start; k < split.pos; ++k) goes_left_[static_cast<std::size_t>(chosen[k])] = 1;
        for (Index f = 0; f < d_; ++f) {
            if (f == split.feature) continue;
            T* v = values_.data() + f * m_;
            std::int32_t* r = rows_.data() + f * m_;
            Index left = start, right = 0;
            for (Index k = start; k < end; ++k) {
                const std::int32_t row = r[k];
                if (goes_left_[static_cast<std::size_t>(row)]) {
                    v[left] = v[k];
                    r[left] = row;
                    ++left;
                } else {
                    scratch_values_[static_cast<std::size_t>(right)] = v[k];
                    scratch_rows_[static_cast<std::size_t>(right)] = row;
                    ++right;
                }
            }
            std::copy(scratch_values_.begin(), scratch_values_.begin() + right, v + left);
            std::copy(scratch_rows_.begin(), scratch_rows_.begin() + right, r + left);
        }
        for (Index k = start; k < split.pos; ++k) goes_left_[static_cast<std::size_t>(chosen[k])] = 0;
    }

    const presorted<T>& data_;
    const targets& target_;
    const std::vector<double>& weight_;
    grow_settings s_;
    random_engine& rng_;
    Index d_ = 0, m_ = 0, width_ = 1;
    double total_weight_ = 0;
    std::vector<T> values_, scratch_values_;
    std::vector<std::int32_t> rows_, scratch_rows_;
    std::vector<std::uint8_t> goes_left_;
    std::vector<Index> features_;
    sums left_, node_;
    std::vector<double> right_counts_;
    std::vector<std::pair<double, double>> pairs_;
};

}  // namespace kestrel::tree::detail
