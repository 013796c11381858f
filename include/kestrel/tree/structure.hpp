#pragma once
/// \file
/// A fitted tree as flat node arrays, named and laid out as scikit-learn's `tree_`, with what
/// reads them: the walk from the root to a leaf, feature importances, decision paths and minimal
/// cost-complexity pruning.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "../core/types.hpp"

namespace kestrel::tree {

/// scikit-learn's `tree_`: node i's children (−1 at a leaf), the feature and threshold of its
/// test (x[feature] ≤ threshold goes left; −2 at a leaf), where a missing value (NaN) goes
/// (`missing_go_to_left`, as scikit-learn 1.3+), its impurity, its number of training samples and
/// their total weight, and its value: the weighted class counts (node_count × n_classes, as
/// scikit-learn 1.2) or the prediction (node_count × 1). Nodes are numbered
/// depth-first, left child first, or in expansion order when the tree grew best-first
/// (`max_leaf_nodes`); node 0 is the root.
struct Tree {
    Index node_count = 0;                     ///< the number of nodes; every array below has one entry (row) per node
    Index max_depth = 0;                      ///< the depth of the deepest leaf (the root alone: 0)
    Eigen::VectorXi children_left;            ///< the left child of each node; −1 at a leaf
    Eigen::VectorXi children_right;           ///< the right child of each node; −1 at a leaf
    Eigen::VectorXi feature;                  ///< the feature each node tests; −2 at a leaf
    Eigen::VectorXd threshold;                ///< x[feature] ≤ threshold goes left; −2 at a leaf
    Eigen::VectorXd impurity;                 ///< the criterion's impurity of each node's samples
    Eigen::VectorXi n_node_samples;           ///< training samples reaching each node
    Eigen::VectorXd weighted_n_node_samples;  ///< their total sample weight
    Matrix<double> value;  ///< node_count × n_classes weighted class counts, or node_count × 1 predictions
    Eigen::VectorXi missing_go_to_left;  ///< 1: NaN goes left at this node; 0 at leaves

    /// Whether node i is a leaf.
    [[nodiscard]] bool is_leaf(Index i) const noexcept { return children_left[i] < 0; }
    /// The number of leaves.
    [[nodiscard]] Index n_leaves() const noexcept { return (children_left.array() < 0).count(); }

    /// Whether x goes to node i's left child.
    [[nodiscard]] bool goes_left(Index i, double x) const noexcept {
        return x <= threshold[i] || (x != x && missing_go_to_left[i] != 0);
    }
    /// The leaf `row` (anything with operator[](feature)) falls in.
    template <class Row>
    [[nodiscard]] Index leaf(const Row& row) const noexcept {
        Index node = 0;
        while (children_left[node] >= 0) {
            node =
                goes_left(node, static_cast<double>(row[feature[node]])) ? children_left[node] : children_right[node];
        }
        return node;
    }

    friend bool operator==(const Tree&, const Tree&) = default;
};

/// scikit-learn's `decision_path(X)`, a CSR indicator matrix (n_samples × node_count): sample
/// i passes through nodes indices[indptr[i] .. indptr[i+1]), root first.
struct DecisionPath {
    Eigen::VectorXi indptr;   ///< n_samples + 1 offsets into indices
    Eigen::VectorXi indices;  ///< the nodes each sample passes through, sample after sample
};

/// scikit-learn's `cost_complexity_pruning_path`: the effective alphas of the pruned subtrees
/// (increasing, the first 0) and the total leaf impurity of each (weighted by the leaves'
/// shares of the training weight).
struct PruningPath {
    Eigen::VectorXd ccp_alphas;  ///< the effective alphas, increasing, the first 0
    Eigen::VectorXd impurities;  ///< the total leaf impurity of the subtree pruned at each alpha
};

namespace detail {

/// A tree while it grows: nodes appended in numbering order.
struct tree_builder {
    Index value_width = 1;

    /// A builder of nodes of `width` values, with room for `capacity` nodes (at most 256 MB of
    /// them) before it grows. Large room that no node takes costs address space, not memory: its
    /// pages are never touched, and finish() gives them back without copying the nodes.
    explicit tree_builder(Index width = 1, Index capacity = 64) : value_width(width) {
        const Index node_bytes = 5 * static_cast<Index>(sizeof(int)) + (3 + width) * static_cast<Index>(sizeof(double));
        resize(std::clamp<Index>(capacity, 1, std::max<Index>(64, (Index{256} << 20) / node_bytes)));
    }

    [[nodiscard]] Index size() const noexcept { return t_.node_count; }

    /// Appends a node (a leaf until split() is called on it); returns its id.
    Index add(double node_impurity, Index count, double node_weight, const double* node_value, Index depth) {
        const Index id = t_.node_count;
        if (id == capacity_) resize(std::max<Index>(2 * capacity_, 64));
        t_.children_left[id] = -1;
        t_.children_right[id] = -1;
        t_.feature[id] = -2;
        t_.missing_go_to_left[id] = 0;
        t_.threshold[id] = -2.0;
        t_.impurity[id] = node_impurity;
        t_.n_node_samples[id] = static_cast<int>(count);
        t_.weighted_n_node_samples[id] = node_weight;
        std::copy(node_value, node_value + value_width, t_.value.row(id).data());
        t_.max_depth = std::max(t_.max_depth, depth);
        t_.node_count = id + 1;
        return id;
    }
    /// Makes node `id` an internal node testing x[f] ≤ t, sending NaN left when `nan_left`.
    void split(Index id, Index f, double t, bool nan_left) {
        t_.feature[id] = static_cast<int>(f);
        t_.threshold[id] = t;
        t_.missing_go_to_left[id] = nan_left ? 1 : 0;
    }
    /// Makes `child` the left (or right) child of `parent`.
    void link(Index parent, bool is_left, Index child) {
        (is_left ? t_.children_left : t_.children_right)[parent] = static_cast<int>(child);
    }

    /// The tree built, its arrays shrunk to its nodes (in place); the builder is left empty, and
    /// may build another tree.
    [[nodiscard]] Tree finish() {
        resize(t_.node_count);
        Tree out = std::move(t_);
        t_ = Tree{};
        capacity_ = 0;
        return out;
    }

private:
    /// Gives every array room for n nodes, keeping the nodes it holds.
    void resize(Index n) {
        t_.children_left.conservativeResize(n);
        t_.children_right.conservativeResize(n);
        t_.feature.conservativeResize(n);
        t_.missing_go_to_left.conservativeResize(n);
        t_.threshold.conservativeResize(n);
        t_.impurity.conservativeResize(n);
        t_.n_node_samples.conservativeResize(n);
        t_.weighted_n_node_samples.conservativeResize(n);
        t_.value.conservativeResize(n, value_width);
        capacity_ = n;
    }

    Tree t_;
    Index capacity_ = 0;
};

/// scikit-learn's `compute_feature_importances`: each split's weighted impurity decrease,
/// summed per feature, divided by the root's weight and normalised to sum 1 (all zeros for a
/// single leaf).
inline Eigen::VectorXd feature_importances(const Tree& t, Index n_features, bool normalize = true) {
    Eigen::VectorXd out = Eigen::VectorXd::Zero(n_features);
    for (Index i = 0; i < t.node_count; ++i) {
        const int l = t.children_left[i], r = t.children_right[i];
        if (l < 0) continue;
        out[t.feature[i]] += t.weighted_n_node_samples[i] * t.impurity[i] -
                             t.weighted_n_node_samples[l] * t.impurity[l] -
                             t.weighted_n_node_samples[r] * t.impurity[r];
    }
    if (t.node_count > 0) out /= t.weighted_n_node_samples[0];
    if (normalize) {
        const double total = out.sum();
        if (total > 0) out /= total;
    }
    return out;
}

/// Minimal cost-complexity pruning (Breiman et al., 1984), as scikit-learn runs it: repeatedly
/// collapse the internal node t of least α(t) = (R(t) − R(T_t)) / (|leaves(T_t)| − 1), where
/// R(t) = weight share × impurity (the first such node in numbering order on ties), while that α
/// is ≤ ccp_alpha (every step when `path` is given, which receives each step's α and total leaf
/// R). Returns which nodes are leaves of the pruned tree.
inline std::vector<char> prune(const Tree& t, double ccp_alpha, PruningPath* path) {
    const Index n = t.node_count;
    const double total = t.weighted_n_node_samples[0];
    std::vector<double> r_node(static_cast<std::size_t>(n)), r_branch(static_cast<std::size_t>(n), 0.0);
    std::vector<Index> parent(static_cast<std::size_t>(n), -1), n_leaves(static_cast<std::size_t>(n), 0);
    std::vector<char> leaf(static_cast<std::size_t>(n), 0), candidate(static_cast<std::size_t>(n), 0),
        in_tree(static_cast<std::size_t>(n), 1);
    for (Index i = 0; i < n; ++i) {
        const auto u = static_cast<std::size_t>(i);
        r_node[u] = t.weighted_n_node_samples[i] * t.impurity[i] / total;
        if (t.children_left[i] < 0) {
            leaf[u] = 1;
        } else {
            parent[static_cast<std::size_t>(t.children_left[i])] = i;
            parent[static_cast<std::size_t>(t.children_right[i])] = i;
            candidate[u] = 1;
        }
    }
    for (Index i = 0; i < n; ++i) {
        if (!leaf[static_cast<std::size_t>(i)]) continue;
        const double r = r_node[static_cast<std::size_t>(i)];
        r_branch[static_cast<std::size_t>(i)] = r;
        for (Index a = i; a != 0;) {
            a = parent[static_cast<std::size_t>(a)];
            r_branch[static_cast<std::size_t>(a)] += r;
            n_leaves[static_cast<std::size_t>(a)] += 1;
        }
    }
    std::vector<double> alphas{0.0}, impurities{r_branch[0]};
    std::vector<Index> stack;
    while (candidate[0]) {
        double effective = std::numeric_limits<double>::max();
        Index weakest = 0;
        for (Index i = 0; i < n; ++i) {
            const auto u = static_cast<std::size_t>(i);
            if (!candidate[u]) continue;
            const double alpha = (r_node[u] - r_branch[u]) / static_cast<double>(n_leaves[u] - 1);
            if (alpha < effective) {
                effective = alpha;
                weakest = i;
            }
        }
        if (!path && ccp_alpha < effective) break;
        stack.push_back(weakest);
        while (!stack.empty()) {
            const Index i = stack.back();
            stack.pop_back();
            const auto u = static_cast<std::size_t>(i);
            if (!in_tree[u]) continue;
            candidate[u] = 0;
            leaf[u] = 0;
            in_tree[u] = 0;
            if (t.children_left[i] >= 0) {
                stack.push_back(t.children_left[i]);
                stack.push_back(t.children_right[i]);
            }
        }
        const auto w = static_cast<std::size_t>(weakest);
        leaf[w] = 1;
        in_tree[w] = 1;
        const Index pruned_leaves = n_leaves[w] - 1;
        n_leaves[w] = 0;
        const double r_diff = r_node[w] - r_branch[w];
        r_branch[w] = r_node[w];
        for (Index a = parent[w]; a >= 0; a = parent[static_cast<std::size_t>(a)]) {
            n_leaves[static_cast<std::size_t>(a)] -= pruned_leaves;
            r_branch[static_cast<std::size_t>(a)] += r_diff;
        }
        alphas.push_back(effective);
        impurities.push_back(r_branch[0]);
    }
    if (path) {
        path->ccp_alphas = Eigen::Map<const Eigen::VectorXd>(alphas.data(), static_cast<Index>(alphas.size()));
        path->impurities = Eigen::Map<const Eigen::VectorXd>(impurities.data(), static_cast<Index>(impurities.size()));
    }
    return leaf;
}

/// The tree whose leaves are `leaf` (a subtree of t sharing its root), renumbered depth-first,
/// left child first, as scikit-learn's pruned trees are.
inline Tree pruned_copy(const Tree& t, const std::vector<char>& leaf) {
    tree_builder out(t.value.cols(), t.node_count);
    struct record {
        Index node, depth, parent;
        bool is_left;
    };
    std::vector<record> stack{{0, 0, -1, false}};
    while (!stack.empty()) {
        const record r = stack.back();
        stack.pop_back();
        const Index id = out.add(t.impurity[r.node], t.n_node_samples[r.node], t.weighted_n_node_samples[r.node],
                                 t.value.row(r.node).data(), r.depth);
        if (r.parent >= 0) out.link(r.parent, r.is_left, id);
        if (!leaf[static_cast<std::size_t>(r.node)]) {
            out.split(id, t.feature[r.node], t.threshold[r.node], t.missing_go_to_left[r.node] != 0);
            stack.push_back({t.children_right[r.node], r.depth + 1, id, false});
            stack.push_back({t.children_left[r.node], r.depth + 1, id, true});
        }
    }
    return out.finish();
}

/// Whether each of nodes 1..n-1 is the child of exactly one node, node i's children being
/// left(i) and right(i) (left(i) < 0 at a leaf). With children after their parents, the nodes
/// then form one tree: what packing for prediction relies on.
template <class Left, class Right>
bool one_parent_each(Index n, Left&& left, Right&& right) {
    std::vector<int> parents(static_cast<std::size_t>(n), 0);
    for (Index i = 0; i < n; ++i) {
        if (left(i) < 0) continue;
        ++parents[static_cast<std::size_t>(left(i))];
        ++parents[static_cast<std::size_t>(right(i))];
    }
    return std::all_of(parents.begin() + (n > 0 ? 1 : 0), parents.end(), [](int p) { return p == 1; });
}

/// Saves or loads (through a model archive, io/detail/model_archive.hpp) a list of trees as
/// concatenated node arrays under `prefix`: `node_count` and `max_depth` per tree, then
/// children_left, children_right, feature, threshold, impurity, n_node_samples,
/// weighted_n_node_samples, value (width columns) and missing_go_to_left of every node, tree
/// after tree. A loaded
/// tree must be one a walk cannot leave or loop in: each internal node's children come after it
/// inside its tree, each leaf has children −1 and feature −2, each feature is below n_features,
/// and every node but the root is the child of exactly one node (one_parent_each).
template <class Archive>
void persist_trees(Archive& a, const std::string& prefix, std::vector<Tree>& trees, Index width, Index n_features) {
    std::vector<std::int64_t> counts, depths;
    Eigen::VectorXi left, right, feature, samples, missing;
    Eigen::VectorXd threshold, impurity, weight;
    Matrix<double> value;
    Index total = 0;
    if constexpr (!Archive::loading) {
        for (const Tree& t : trees) {
            counts.push_back(t.node_count);
            depths.push_back(t.max_depth);
            total += t.node_count;
        }
        left.resize(total), right.resize(total), feature.resize(total), samples.resize(total), missing.resize(total);
        threshold.resize(total), impurity.resize(total), weight.resize(total);
        value.resize(total, width);
        Index at = 0;
        for (const Tree& t : trees) {
            const Index n = t.node_count;
            left.segment(at, n) = t.children_left;
            right.segment(at, n) = t.children_right;
            feature.segment(at, n) = t.feature;
            samples.segment(at, n) = t.n_node_samples;
            missing.segment(at, n) = t.missing_go_to_left;
            threshold.segment(at, n) = t.threshold;
            impurity.segment(at, n) = t.impurity;
            weight.segment(at, n) = t.weighted_n_node_samples;
            value.middleRows(at, n) = t.value;
            at += n;
        }
    }
    a.integers(prefix + "node_count", counts);
    a.integers(prefix + "max_depth", depths, static_cast<Index>(counts.size()));
    if constexpr (Archive::loading) {
        a.require(!counts.empty(), prefix + "node_count is empty");
        for (std::int64_t c : counts) {
            a.require(c >= 1 && c <= (std::int64_t{1} << 31), prefix + "node_count must be in [1, 2^31]");
            total += static_cast<Index>(c);
        }
        a.require(total <= (Index{1} << 31), prefix + "the trees hold more than 2^31 nodes");
    }
    a.labels(prefix + "children_left", left, total, false);
    a.labels(prefix + "children_right", right, total, false);
    a.labels(prefix + "feature", feature, total, false);
    a.vector(prefix + "threshold", threshold, total);
    a.vector(prefix + "impurity", impurity, total);
    a.labels(prefix + "n_node_samples", samples, total, false);
    a.vector(prefix + "weighted_n_node_samples", weight, total);
    a.matrix(prefix + "value", value, total, width);
    a.labels(prefix + "missing_go_to_left", missing, total, false);
    if constexpr (Archive::loading) {
        trees.clear();
        Index at = 0;
        for (std::size_t k = 0; k < counts.size(); ++k) {
            const Index n = static_cast<Index>(counts[k]);
            Tree t;
            t.node_count = n;
            t.max_depth = static_cast<Index>(depths[k]);
            t.children_left = left.segment(at, n);
            t.children_right = right.segment(at, n);
            t.feature = feature.segment(at, n);
            t.n_node_samples = samples.segment(at, n);
            t.missing_go_to_left = missing.segment(at, n);
            t.threshold = threshold.segment(at, n);
            t.impurity = impurity.segment(at, n);
            t.weighted_n_node_samples = weight.segment(at, n);
            t.value = value.middleRows(at, n);
            at += n;
            std::vector<Index> depth(static_cast<std::size_t>(n), 0);
            Index deepest = 0;
            for (Index i = 0; i < n; ++i) {
                const int l = t.children_left[i], r = t.children_right[i], f = t.feature[i];
                a.require(t.missing_go_to_left[i] == 0 || t.missing_go_to_left[i] == 1,
                          prefix + "missing_go_to_left must be 0 or 1");
                if (l == -1 || r == -1) {
                    a.require(l == -1 && r == -1 && f == -2,
                              prefix + "a leaf must have children -1 and -1 and feature -2");
                } else {
                    a.require(l > i && r > i && l < n && r < n && l != r,
                              prefix + "an internal node's children must be later nodes of its tree");
                    a.require(f >= 0 && f < n_features, prefix + "feature must be in [0, n_features_in_)");
                    depth[static_cast<std::size_t>(l)] = depth[static_cast<std::size_t>(i)] + 1;
                    depth[static_cast<std::size_t>(r)] = depth[static_cast<std::size_t>(i)] + 1;
                }
                deepest = std::max(deepest, depth[static_cast<std::size_t>(i)]);
            }
            a.require(one_parent_each(
                          n, [&](Index i) { return t.children_left[i]; }, [&](Index i) { return t.children_right[i]; }),
                      prefix + "every node but the root must be the child of exactly one node");
            a.require(t.max_depth == deepest, prefix + "max_depth must be the depth of the deepest node");
            trees.push_back(std::move(t));
        }
    }
}

}  // namespace detail

}  // namespace kestrel::tree
