#pragma once
/// \file
/// Growing one tree: what the exact splitter (exact.hpp) and the histogram splitter
/// (histogram.hpp) share.
///
/// Growth follows scikit-learn 1.2's tree builders: depth-first, left child first, when
/// `max_leaf_nodes` is not set; otherwise best-first by impurity improvement. The leaf rules, the
/// scores and the impurities are scikit-learn's, so that where the best split is unique the exact
/// splitter's trees equal scikit-learn's. Where two splits score exactly alike, the first found
/// wins: features are examined in index order when every feature is examined (in a random order
/// drawn from the tree's seed otherwise), and thresholds from the smallest up.
///
/// A splitter (the CRTP `Derived`) keeps the node's samples as one range [start, end) of its
/// own positions, and provides `size()` (the samples of positive weight), `node_rows(start)`
/// (the rows at positions start, start + 1, …), and `search(start, end, best)`, which fills in the
/// best split's feature, threshold, position and score and, when there is one, reorders
/// [start, end) into the left child's samples, then the right child's. It may replace
/// `add_samples(start, end, sums)` (which adds the samples at positions [start, end), in order).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <queue>
#include <utility>
#include <vector>

#include "../../core/random.hpp"
#include "../../core/types.hpp"
#include "../options.hpp"
#include "../structure.hpp"
#include "criteria.hpp"

namespace kestrel::tree::detail {

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
    /// Per feature −1, 0 or 1 (empty: no constraint): a split on a constrained feature keeps its
    /// children's values (a classifier's share of class 1, a regressor's value) in that order and
    /// inside the node's bounds, as scikit-learn 1.4 does.
    std::vector<signed char> monotonic;
};

/// The best split found for a node; pos == end when there is none. The left child is positions
/// [start, pos) once the node is partitioned.
struct split_choice {
    Index feature = -2;
    Index pos = 0;
    Index boundary = 0;   ///< the exact splitter: where the left samples end among the feature's sorted values
    Index n_missing = 0;  ///< the node's samples missing the feature
    bool missing_left =
        false;  ///< where NaN goes: with the samples that miss the feature, their side; else the larger child
    double threshold = -2.0;
    double proxy = -infinity;
    double improvement = -infinity;
    double impurity_left = 0, impurity_right = 0;
    double value_left = 0, value_right = 0;  ///< the children's values, as monotonic constraints compare them
};

/// The range a node's value must stay in under monotonic constraints.
struct value_bounds {
    double lower = -infinity, upper = infinity;
};

/// scikit-learn's `proxy_impurity_improvement` of a classification split from the left counts
/// cl (weight wl) and the node's counts ct (weight wt): −(wr·impurity_right + wl·impurity_left).
inline double classification_proxy(Criterion c, const double* cl, const double* ct, double* cr, Index k, double wl,
                                   double wt) {
    const double wr = wt - wl;
    for (Index i = 0; i < k; ++i) cr[i] = ct[i] - cl[i];
    return -wr * classification_impurity(c, cr, k, wr) - wl * classification_impurity(c, cl, k, wl);
}

/// squared_error's proxy: left Σwy sl and weight wl, node Σwy st and weight wt.
inline double squared_error_proxy(double sl, double wl, double st, double wt) {
    const double sr = st - sl, wr = wt - wl;
    return sl * sl / wl + sr * sr / wr;
}

/// squared_error's proxy of a node of Σwy st and weight wt, from a split's running left sums
/// (Σw, Σwy) and weight wl.
struct squared_error_scores {
    double st, wt;
    double operator()(const double* left, double wl) const { return squared_error_proxy(left[1], wl, st, wt); }
};

/// The same for the regression criteria that need only sums (not absolute_error): left Σwy sl
/// and weight wl, node Σwy st and weight wt.
inline double regression_proxy(Criterion c, double sl, double wl, double st, double wt) {
    const double sr = st - sl, wr = wt - wl;
    switch (c) {
        case Criterion::friedman_mse: {
            const double diff = wr * sl - wl * sr;
            return diff * diff / (wl * wr);
        }
        case Criterion::poisson:
            if (sl <= poisson_epsilon || sr <= poisson_epsilon) return -infinity;
            return sl * std::log(sl / wl) + sr * std::log(sr / wr);
        default:
            return squared_error_proxy(sl, wl, st, wt);
    }
}

/// The growth of one tree over a splitter `Derived`; see the file comment.
template <class Derived>
class grower_base {
public:
    grower_base(Index n_features, const targets& target, const std::vector<double>& weight,
                const grow_settings& settings, random_engine& rng)
        : target_(target), weight_(weight), s_(settings), rng_(rng), n_features_(n_features) {
        for (double w : weight) {
            if (w > 0) total_weight_ += w;
            unit_ = unit_ && (w == 0 || w == 1);
        }
        features_.resize(static_cast<std::size_t>(n_features));
        features_ahead_.resize(static_cast<std::size_t>(n_features));
        std::iota(features_.begin(), features_.end(), Index{0});
        width_ = target.classification() ? target.n_classes : 1;
        left_.clear(target.n_classes);
        node_.clear(target.n_classes);
        right_counts_.resize(static_cast<std::size_t>(target.n_classes));
    }

    Tree grow() {
        tree_builder out(width_, node_bound());
        if (s_.max_leaf_nodes > 0) {
            grow_best_first(out);
        } else {
            grow_depth_first(out);
        }
        return out.finish();
    }

protected:
    Derived& self() { return static_cast<Derived&>(*this); }
    const Derived& self() const { return static_cast<const Derived&>(*this); }

    struct pending {
        Index start, end, depth, parent;
        bool is_left;
        double impurity;
        value_bounds bounds;
        bool summed = false;  ///< a left child whose sums are its parent's split's left sums (left_)
    };

    void grow_depth_first(tree_builder& out) {
        // A split's left child is grown next: it is kept in `p`, and only right children wait on
        // the stack, each with its sums in `waiting` (stack[k]'s at waiting[k]), which are summed
        // when it is pushed, while the partition has left its samples in cache.
        std::vector<pending> stack;
        std::vector<sums> waiting;
        pending p{0, self().size(), 0, -1, false, infinity, {}};
        bool first = true, next = true;
        std::vector<double> value(static_cast<std::size_t>(width_));
        while (next || !stack.empty()) {
            const bool popped = !next;
            if (popped) {
                p = stack.back();
                stack.pop_back();
            }
            next = false;
            const Index n = p.end - p.start;
            if (p.summed) {
                // finish_split summed the same samples in the same order.
                std::swap(node_, left_);
            } else if (popped) {
                std::swap(node_, waiting[stack.size()]);
            } else {
                node_sums(p.start, p.end, node_);
            }
            bool leaf = p.depth >= s_.max_depth || n < s_.min_samples_split || n < 2 * s_.min_samples_leaf ||
                        node_.weight < 2 * s_.min_weight_leaf;
            const double impurity = first ? node_impurity(p.start, p.end, node_) : p.impurity;
            first = false;
            leaf = leaf || impurity <= impurity_epsilon;
            bounds_ = p.bounds;
            split_choice split;
            if (!leaf) {
                split = choose_split(p.start, p.end, impurity);
                leaf = split.pos >= p.end || split.improvement + impurity_epsilon < s_.min_impurity_decrease;
            }
            node_value(p.start, p.end, node_, value.data());
            clip_value(value.data());
            const Index id = out.add(impurity, n, node_.weight, value.data(), p.depth);
            link(out, p.parent, p.is_left, id);
            if (leaf) self().on_leaf(p.start, p.end);
            if (!leaf) {
                out.split(id, split.feature, split.threshold, split.missing_left);
                const auto [left, right] = child_bounds(split, p.bounds);
                stack.push_back({split.pos, p.end, p.depth + 1, id, false, split.impurity_right, right});
                if (waiting.size() < stack.size()) waiting.resize(stack.size());
                node_sums(split.pos, p.end, waiting[stack.size() - 1]);
                // The left child comes next, its sums those finish_split left in left_.
                p = {p.start, split.pos, p.depth + 1, id, true, split.impurity_left, left, true};
                next = true;
            }
        }
    }

    struct frontier_node {
        Index id, start, end, depth;
        bool leaf;
        split_choice split;
        value_bounds bounds;
    };

    frontier_node add_split_node(tree_builder& out, Index start, Index end, double impurity, bool first, Index parent,
                                 bool is_left, Index depth, value_bounds bounds, std::vector<double>& value) {
        const Index n = end - start;
        node_sums(start, end, node_);
        if (first) impurity = node_impurity(start, end, node_);
        bool leaf = depth >= s_.max_depth || n < s_.min_samples_split || n < 2 * s_.min_samples_leaf ||
                    node_.weight < 2 * s_.min_weight_leaf || impurity <= impurity_epsilon;
        bounds_ = bounds;
        split_choice split;
        if (!leaf) {
            split = choose_split(start, end, impurity);
            leaf = split.pos >= end || split.improvement + impurity_epsilon < s_.min_impurity_decrease;
        }
        node_value(start, end, node_, value.data());
        clip_value(value.data());
        const Index id = out.add(impurity, n, node_.weight, value.data(), depth);
        link(out, parent, is_left, id);
        if (leaf) split.improvement = 0;
        return {id, start, end, depth, leaf, split, bounds};
    }

    void grow_best_first(tree_builder& out) {
        auto lower = [](const frontier_node& a, const frontier_node& b) {
            return a.split.improvement < b.split.improvement;
        };
        std::priority_queue<frontier_node, std::vector<frontier_node>, decltype(lower)> frontier(lower);
        std::vector<double> value(static_cast<std::size_t>(width_));
        Index splits_left = s_.max_leaf_nodes - 1;
        frontier.push(add_split_node(out, 0, self().size(), infinity, true, -1, false, 0, {}, value));
        while (!frontier.empty()) {
            const frontier_node r = frontier.top();
            frontier.pop();
            if (r.leaf || splits_left <= 0) continue;
            --splits_left;
            out.split(r.id, r.split.feature, r.split.threshold, r.split.missing_left);
            const auto [left_bounds, right_bounds] = child_bounds(r.split, r.bounds);
            frontier_node left = add_split_node(out, r.start, r.split.pos, r.split.impurity_left, false, r.id, true,
                                                r.depth + 1, left_bounds, value);
            frontier_node right = add_split_node(out, r.split.pos, r.end, r.split.impurity_right, false, r.id, false,
                                                 r.depth + 1, right_bounds, value);
            frontier.push(std::move(left));
            frontier.push(std::move(right));
        }
    }

    static void link(tree_builder& out, Index parent, bool is_left, Index id) {
        if (parent >= 0) out.link(parent, is_left, id);
    }

    /// At most how many nodes the tree can have: a binary tree of at most one leaf per sample
    /// (per min_samples_leaf samples), max_leaf_nodes leaves and depth max_depth.
    [[nodiscard]] Index node_bound() const {
        Index leaves = std::max<Index>(self().size() / std::max<Index>(s_.min_samples_leaf, 1), 1);
        if (s_.max_leaf_nodes > 0) leaves = std::min(leaves, s_.max_leaf_nodes);
        if (s_.max_depth < 62) leaves = std::min(leaves, Index{1} << s_.max_depth);
        return 2 * leaves - 1;
    }

    // ---- node statistics ------------------------------------------------------------------

    void node_sums(Index start, Index end, sums& out) const {
        out.clear(target_.n_classes);
        self().add_samples(start, end, out);
    }

    /// Adds the samples at positions [start, end) to `out`, in position order (a splitter that
    /// keeps its samples' targets and weights in position order reads those instead).
    void add_samples(Index start, Index end, sums& out) const {
        const std::int32_t* r = self().node_rows(start);
        for (Index k = 0; k < end - start; ++k) out.add(target_, r[k], weight_[static_cast<std::size_t>(r[k])]);
    }

    double node_impurity(Index start, Index end, const sums& s) {
        switch (s_.criterion) {
            case Criterion::absolute_error:
                return absolute_error(target_, weight_, self().node_rows(start), end - start, pairs_);
            case Criterion::poisson:
                return poisson_loss(target_, weight_, self().node_rows(start), end - start, s.sum, s.weight);
            default:
                return sums_impurity(s_.criterion, s);
        }
    }

    void node_value(Index start, Index end, const sums& s, double* out) {
        if (target_.classification()) {
            std::copy(s.counts.begin(), s.counts.end(), out);
        } else if (s_.criterion == Criterion::absolute_error) {
            absolute_error(target_, weight_, self().node_rows(start), end - start, pairs_, out);
        } else {
            out[0] = s.sum / s.weight;
        }
    }


    // ---- monotonic constraints (scikit-learn 1.4's) ------------------------------------------

    /// Whether feature f has a monotonic constraint.
    [[nodiscard]] bool constrained(Index f) const noexcept {
        return !s_.monotonic.empty() && s_.monotonic[static_cast<std::size_t>(f)] != 0;
    }
    /// Whether a split on the constrained feature f whose children's values are vl (left) and vr
    /// keeps f's order and the node's bounds.
    [[nodiscard]] bool monotonic_ok(Index f, double vl, double vr) const noexcept {
        const double c = s_.monotonic[static_cast<std::size_t>(f)];
        return vl >= bounds_.lower && vr >= bounds_.lower && vl <= bounds_.upper && vr <= bounds_.upper &&
               (vl - vr) * c <= 0;
    }
    /// The same from a split's left sums: class weights cl (classification: the values are class
    /// 1's shares) or Σwy sl (the means), and weight wl.
    [[nodiscard]] bool monotonic_ok_sums(Index f, const double* cl, double sl, double wl) const noexcept {
        const double wr = node_.weight - wl;
        if (target_.classification()) return monotonic_ok(f, cl[1] / wl, (node_.counts[1] - cl[1]) / wr);
        return monotonic_ok(f, sl / wl, (node_.sum - sl) / wr);
    }
    /// The bounds of the children of a node bounded by b after `split`: a split on a constrained
    /// feature divides them at the middle of its children's values.
    [[nodiscard]] std::pair<value_bounds, value_bounds> child_bounds(const split_choice& split,
                                                                     value_bounds b) const noexcept {
        if (!constrained(split.feature)) return {b, b};
        const double middle = (split.value_left + split.value_right) / 2;
        if (s_.monotonic[static_cast<std::size_t>(split.feature)] > 0) return {{b.lower, middle}, {middle, b.upper}};
        return {{middle, b.upper}, {b.lower, middle}};
    }
    /// A node's value clipped into its bounds (a classifier's: class 1's share, the weights
    /// rescaled to it).
    void clip_value(double* value) const noexcept {
        if (s_.monotonic.empty()) return;
        if (target_.classification()) {
            const double w = value[0] + value[1], share = value[1] / w;
            if (share < bounds_.lower || share > bounds_.upper) {
                value[1] = std::clamp(share, bounds_.lower, bounds_.upper) * w;
                value[0] = w - value[1];
            }
        } else {
            value[0] = std::clamp(value[0], bounds_.lower, bounds_.upper);
        }
    }

    /// The node's best split, with the children's impurities and the improvement.
    split_choice choose_split(Index start, Index end, double impurity) {
        split_choice best;
        best.pos = end;
        self().search(start, end, best);
        if (best.pos < end) finish_split(best, start, end, impurity);
        return best;
    }

    /// The children's impurities and the improvement of the chosen split (feature f at pos).
    void finish_split(split_choice& best, Index start, Index end, double impurity) {
        const Index pos = best.pos;
        const std::int32_t* r = self().node_rows(0);
        sums& l = left_;
        l.clear(target_.n_classes);
        self().add_samples(start, pos, l);
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
                if (k >= 2) {
                    best.value_left = l.counts[1] / wl;
                    best.value_right = right_counts_[1] / wr;
                }
                break;
            }
            case Criterion::squared_error:
            case Criterion::friedman_mse: {
                const double sq_right = t.sum_sq - l.sum_sq, sr = t.sum - l.sum;
                best.impurity_left = l.sum_sq / wl - (l.sum / wl) * (l.sum / wl);
                best.impurity_right = sq_right / wr - (sr / wr) * (sr / wr);
                best.value_left = l.sum / wl;
                best.value_right = sr / wr;
                break;
            }
            case Criterion::poisson:
                best.impurity_left = poisson_loss(target_, weight_, r + start, pos - start, l.sum, wl);
                best.impurity_right = poisson_loss(target_, weight_, r + pos, end - pos, t.sum - l.sum, wr);
                best.value_left = l.sum / wl;
                best.value_right = (t.sum - l.sum) / wr;
                break;
            case Criterion::absolute_error:
                best.impurity_left =
                    absolute_error(target_, weight_, r + start, pos - start, pairs_, &best.value_left);
                best.impurity_right = absolute_error(target_, weight_, r + pos, end - pos, pairs_, &best.value_right);
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
        if (s_.max_features >= n_features_) return visited;
        const Index j = visited + rng_.index_below(n_features_ - visited);
        std::swap(features_[static_cast<std::size_t>(visited)], features_[static_cast<std::size_t>(j)]);
        return features_[static_cast<std::size_t>(visited)];
    }


    /// Calls examine(f) on the features of one split search, scikit-learn's way: max_features of
    /// them (constant ones included, examine returning false for those), more while every one
    /// seen was constant.
    template <class Examine>
    void for_features(Examine&& examine) {
        for_features_drawn(
            0, [](const Index*, Index) {}, examine);
    }

    /// The same, the first `ahead` features (at most max_features) drawn before any is examined
    /// and passed to prepare(features, count): for a search whose examine draws nothing from the
    /// tree's random engine, so that the draws come in the same order.
    template <class Prepare, class Examine>
    void for_features_drawn(Index ahead, Prepare&& prepare, Examine&& examine) {
        const Index first = std::min({ahead, s_.max_features, n_features_});
        for (Index i = 0; i < first; ++i) features_ahead_[static_cast<std::size_t>(i)] = draw_feature(i);
        if (first > 0) prepare(features_ahead_.data(), first);
        Index visited = 0, constant = 0;
        while (visited < n_features_ && (visited < s_.max_features || visited <= constant)) {
            const Index f =
                visited < first ? features_ahead_[static_cast<std::size_t>(visited)] : draw_feature(visited);
            ++visited;
            if (!examine(f)) ++constant;
        }
    }

    const targets& target_;
    const std::vector<double>& weight_;
    grow_settings s_;
    random_engine& rng_;
    Index n_features_ = 0, width_ = 1;
    double total_weight_ = 0;
    bool unit_ = true;  ///< every weight 0 or 1
    std::vector<Index> features_, features_ahead_;
    sums left_, node_;
    value_bounds bounds_;  ///< the bounds of the node being split
    std::vector<double> right_counts_;
    std::vector<std::pair<double, double>> pairs_;
};

}  // namespace kestrel::tree::detail
