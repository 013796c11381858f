#pragma once
/// \file
/// Prediction's tree walks: a fitted tree repacked as one array of 16-byte (float) or 24-byte
/// (double) nodes, so that each step of a walk reads one node; a leaf points to itself, so that a
/// walk is the tree's depth in steps without a branch on the data; and walks interleaved in
/// groups of eight (eight rows through one tree, or one row through eight trees), so that the
/// memory latencies of their steps overlap instead of adding up.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "../../core/types.hpp"
#include "../structure.hpp"

namespace kestrel::tree::detail {

/// A tree packed for walking samples of scalar T, with each node's output (the class shares of a
/// classifier's node, the value of a regressor's) in node order.
template <class T>
struct packed_tree {
    /// Float models keep float thresholds: the largest float ≤ the double threshold, which sends
    /// every float the same way.
    using threshold_type = std::conditional_t<std::is_same_v<T, float>, float, double>;
    static constexpr std::uint32_t missing_bit = 0x80000000u;
    struct node {
        threshold_type threshold;
        std::uint32_t feature;  ///< the feature, with missing_bit set when NaN goes left
        std::int32_t left;      ///< a leaf's own index at a leaf
        std::int32_t right;
    };
    std::vector<node> nodes;
    std::vector<double> output;  ///< node_count × width
    Index width = 1;
    Index depth = 0;  ///< steps from the root to the deepest leaf

    packed_tree() = default;
    /// `shares`: a classifier's output is each node's value divided by its sum.
    packed_tree(const Tree& t, bool shares) : width(t.value.cols()), depth(t.max_depth) {
        nodes.resize(static_cast<std::size_t>(t.node_count));
        output.resize(static_cast<std::size_t>(t.node_count * width));
        for (Index i = 0; i < t.node_count; ++i) {
            node& n = nodes[static_cast<std::size_t>(i)];
            const bool leaf = t.children_left[i] < 0;
            n.left = leaf ? static_cast<std::int32_t>(i) : t.children_left[i];
            n.right = leaf ? static_cast<std::int32_t>(i) : t.children_right[i];
            n.feature = leaf ? 0u : static_cast<std::uint32_t>(t.feature[i]);
            if (t.missing_go_to_left[i] != 0) n.feature |= missing_bit;
            n.threshold = leaf ? threshold_type(0) : below(t.threshold[i]);
            const auto row = t.value.row(i);
            const double sum = shares ? row.sum() : 1.0;
            for (Index k = 0; k < width; ++k) {
                output[static_cast<std::size_t>(i * width + k)] = shares ? row[k] / (sum > 0 ? sum : 1.0) : row[k];
            }
        }
    }

    [[nodiscard]] const double* out(Index leaf) const noexcept { return output.data() + leaf * width; }

    /// The node after n for the sample x (n itself at a leaf), computed without a branch.
    [[nodiscard]] static std::int32_t step(const node& n, const T* x) noexcept {
        const T v = x[n.feature & ~missing_bit];
        const std::uint32_t left =
            static_cast<std::uint32_t>(v <= n.threshold) | (static_cast<std::uint32_t>(v != v) & (n.feature >> 31));
        return left != 0 ? n.left : n.right;  // a conditional move: no branch on the data
    }

    /// The leaves of the samples rows[0..count) (count ≤ 8), walked together.
    void leaves(const T* const* rows, int count, std::int32_t* out_leaf) const noexcept {
        std::int32_t at[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        const node* base = nodes.data();
        for (Index d = 0; d < depth; ++d) {
            std::int32_t changed = 0;  // stop once all stand on leaves (shallow paths of unbalanced trees)
            for (int g = 0; g < count; ++g) {
                const std::int32_t next = step(base[at[g]], rows[g]);
                changed |= next ^ at[g];
                at[g] = next;
            }
            if (changed == 0) break;
        }
        std::copy(at, at + count, out_leaf);
    }

    /// The leaf of one sample.
    [[nodiscard]] std::int32_t leaf(const T* x) const noexcept {
        std::int32_t at = 0;
        for (Index d = 0; d < depth; ++d) at = step(nodes[static_cast<std::size_t>(at)], x);
        return at;
    }

private:
    /// The largest threshold_type ≤ t.
    static threshold_type below(double t) {
        if constexpr (std::is_same_v<threshold_type, double>) {
            return t;
        } else {
            if (!(std::abs(t) <= std::numeric_limits<float>::max())) {
                return t > 0 ? std::numeric_limits<float>::infinity() : -std::numeric_limits<float>::infinity();
            }
            float f = static_cast<float>(t);
            if (static_cast<double>(f) > t) f = std::nextafter(f, -std::numeric_limits<float>::infinity());
            return f;
        }
    }
};

/// Trees deeper than this walk in lanes refilled as walks end (walk_lanes) rather than all for the
/// tree's depth: paths in deep trees are often far shorter than the deepest.
inline constexpr Index fixed_depth_walks = 16;

/// Walks n jobs (job j: node array nodes(j), sample row(j)) eight lanes at a time, each lane
/// taking the next job as soon as its walk stands on a leaf, and stores job j's leaf in out[j].
template <class T, class Nodes, class Row>
void walk_lanes(Index n, Nodes&& nodes, Row&& row, std::int32_t* out) {
    using node = typename packed_tree<T>::node;
    const node* base[8];
    const T* x[8];
    std::int32_t at[8];
    Index job[8];
    Index next = 0;
    int lanes = 0;
    for (; lanes < 8 && next < n; ++lanes, ++next) {
        base[lanes] = nodes(next);
        x[lanes] = row(next);
        at[lanes] = 0;
        job[lanes] = next;
    }
    while (lanes > 0) {
        for (int g = 0; g < lanes; ++g) {
            const node& nd = base[g][at[g]];
            if (nd.left != at[g]) {
                at[g] = packed_tree<T>::step(nd, x[g]);
                continue;
            }
            out[job[g]] = at[g];  // a leaf: the lane takes the next job, or closes
            if (next < n) {
                base[g] = nodes(next);
                x[g] = row(next);
                at[g] = 0;
                job[g] = next++;
            } else {
                --lanes;
                base[g] = base[lanes];
                x[g] = x[lanes];
                at[g] = at[lanes];
                job[g] = job[lanes];
                --g;  // the lane moved into g has not stepped this round
            }
        }
    }
}

/// The leaves of rows[0..n) (row pointers) in one tree, eight at a time.
template <class T>
void leaves_of_rows(const packed_tree<T>& tree, const T* const* rows, Index n, std::int32_t* out) {
    if (tree.depth > fixed_depth_walks) {
        walk_lanes<T>(
            n, [&](Index) { return tree.nodes.data(); }, [&](Index i) { return rows[i]; }, out);
        return;
    }
    for (Index i = 0; i < n; i += 8) {
        const int count = static_cast<int>(std::min<Index>(8, n - i));
        tree.leaves(rows + i, count, out + i);
    }
}

/// The leaves of one sample x in G trees (`trees`: their node arrays), walked side by side for
/// `depth` steps (at least the deepest tree's depth; a leaf steps to itself). G fixed at compile
/// time keeps the G walks in registers, and no test of whether all stand on leaves interrupts
/// them: a one-row walk is bound by its steps' latency, which the G independent walks overlap.
template <int G, class T>
inline void walk_trees(const typename packed_tree<T>::node* const* trees, Index depth, const T* x,
                       std::int32_t* at) noexcept {
    std::int32_t a[G] = {};
    for (Index d = 0; d < depth; ++d) {
        for (int g = 0; g < G; ++g) a[g] = packed_tree<T>::step(trees[g][a[g]], x);
    }
    for (int g = 0; g < G; ++g) at[g] = a[g];
}

/// For one sample x, adds the output of its leaf in each of n_trees trees (tree order) to `sum`
/// (width values), eight trees walked side by side (walk_trees); any depth, nothing allocated
/// (the one-row methods' walk). `tree_of(t)` gives tree t's packed_tree.
template <class T, class TreeOf>
void add_tree_outputs_lockstep(Index n_trees, TreeOf&& tree_of, const T* x, double* sum, Index width) noexcept {
    constexpr int group = 8;
    for (Index t0 = 0; t0 < n_trees; t0 += group) {
        const int count = static_cast<int>(std::min<Index>(group, n_trees - t0));
        const typename packed_tree<T>::node* trees[group];
        std::int32_t at[group];
        Index depth = 0;
        for (int g = 0; g < count; ++g) {
            trees[g] = tree_of(t0 + g).nodes.data();
            depth = std::max(depth, tree_of(t0 + g).depth);
        }
        if (count == group) {
            walk_trees<group>(trees, depth, x, at);
        } else {
            for (int g = 0; g < count; ++g) walk_trees<1>(trees + g, tree_of(t0 + g).depth, x, at + g);
        }
        for (int g = 0; g < count; ++g) {
            const double* o = tree_of(t0 + g).out(at[g]);
            for (Index k = 0; k < width; ++k) sum[k] += o[k];
        }
    }
}

/// For one sample x, adds the output of its leaf in each of `trees` (tree order) to `sum`
/// (width values): eight trees at a time (add_tree_outputs_lockstep), or, when a tree is deeper
/// than fixed_depth_walks, every tree's lanes at once (walk_lanes, which allocates their leaves).
/// `tree_of(t)` gives tree t's packed_tree.
template <class T, class TreeOf>
void add_tree_outputs(Index n_trees, TreeOf&& tree_of, const T* x, double* sum, Index width) {
    Index deepest = 0;
    for (Index t = 0; t < n_trees; ++t) deepest = std::max(deepest, tree_of(t).depth);
    if (deepest > fixed_depth_walks) {
        std::vector<std::int32_t> leaves(static_cast<std::size_t>(n_trees));
        walk_lanes<T>(
            n_trees, [&](Index t) { return tree_of(t).nodes.data(); }, [&](Index) { return x; }, leaves.data());
        for (Index t = 0; t < n_trees; ++t) {
            const double* o = tree_of(t).out(leaves[static_cast<std::size_t>(t)]);
            for (Index k = 0; k < width; ++k) sum[k] += o[k];
        }
        return;
    }
    add_tree_outputs_lockstep(n_trees, tree_of, x, sum, width);
}

}  // namespace kestrel::tree::detail
