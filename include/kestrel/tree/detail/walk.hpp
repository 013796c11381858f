#pragma once
/// \file
/// Prediction's tree walks: a fitted tree repacked as one array of 12-byte (float) or 16-byte
/// (double) nodes, so that each step of a walk reads one node; a leaf points to itself, so that a
/// walk is the tree's depth in steps without a branch on the data; and walks interleaved (eight
/// rows through one tree, sixteen trees for one row, or with AVX-512 four registers of sixteen
/// rows whose nodes are gathered, each float node then also packed as one 64-bit pair, which where
/// the bits fit names its children's features, so that a step's node and value gathers do not wait
/// on each other; and for one row, up to eight registers of sixteen trees of a forest), so that
/// the memory latencies of their steps overlap instead of adding up.

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>


#include "../../core/detail/memory.hpp"
#include "../../core/detail/parallel.hpp"
#include "../../core/error.hpp"
#include "../../core/types.hpp"
#include "../structure.hpp"
#include "walk/avx512.hpp"

namespace kestrel::tree::detail {

/// Calls body.template operator()<W>() with W = width for widths 1 (regressors) and 2 (binary
/// classifiers), whose loops the compiler then unrolls, and W = 0 (any width) otherwise.
template <class Body>
void with_fixed_width(Index width, Body&& body) {
    if (width == 1) {
        body.template operator()<1>();
    } else if (width == 2) {
        body.template operator()<2>();
    } else {
        body.template operator()<0>();
    }
}

/// The bits a node pair's word gives one feature of [0, features).
[[nodiscard]] inline int pair_feature_bits(Index features) noexcept {
    return static_cast<int>(std::bit_width(static_cast<std::uint32_t>(std::max<Index>(features, 1) - 1)));
}
/// Whether `size` nodes' indices fit in a pair's 32-bit word above `bits` bits (size << bits ≤ 2^32,
/// written so that nothing wraps) and in the gathers' signed 32-bit indices.
[[nodiscard]] inline bool pair_word_fits(std::uint64_t size, int bits) noexcept {
    return bits <= 32 && size <= (std::uint64_t{1} << (32 - bits)) &&
           size <= static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max());
}
/// A float node as one 64-bit pair: its threshold's bits, then `word` above them.
[[nodiscard]] inline std::uint64_t node_pair(float threshold, std::uint32_t word) noexcept {
    return std::uint64_t{std::bit_cast<std::uint32_t>(threshold)} | (std::uint64_t{word} << 32);
}

/// Whether x[0..d) holds a NaN.
template <class T>
[[nodiscard]] inline bool holds_nan(const T* x, Index d) noexcept {
    bool nan = false;
    for (Index j = 0; j < d; ++j) nan |= x[j] != x[j];
    return nan;
}
/// Whether any of the rows rows[0..n) holds a NaN in its first d values.
template <class T>
[[nodiscard]] inline bool rows_hold_nan(const T* const* rows, Index n, Index d) noexcept {
    bool nan = false;
    for (Index i = 0; i < n; ++i) nan |= holds_nan(rows[i], d);
    return nan;
}

/// A tree packed for walking samples of scalar T, with each node's output (the class shares of a
/// classifier's node, the value of a regressor's) in node order. Nodes are placed depth first
/// (place_nodes), each node's two children side by side (the right one at left + 1), so that a
/// step adds the comparison's outcome to one index read from the node.
template <class T>
struct packed_tree {
    /// Float models keep float thresholds: the largest float ≤ the double threshold, which sends
    /// every float the same way.
    using threshold_type = std::conditional_t<std::is_same_v<T, float>, float, double>;
    /// A split, or a leaf: its own left child, with feature 0 and an infinite threshold, so that
    /// every value stays on it (NaN too: nan_left is 1 at leaves).
    struct node {
        threshold_type threshold;
        std::uint32_t feature;
        std::int32_t left;  ///< the left child; the right child is left + 1
    };
    kestrel::detail::line_vector<node> nodes;
    std::vector<std::uint8_t> nan_left;  ///< per place: 1 when NaN goes left (and at leaves)
    std::vector<std::int32_t> original;  ///< per place: its node's index in the Tree (place 1's: 0)
    std::vector<double> output;          ///< per place: width values
    Index width = 1;
    Index depth = 0;     ///< steps from the root to the deepest leaf
    Index features = 0;  ///< one past the largest feature a split tests: a walk reads x[0..features)
    /// Float trees in AVX-512 builds: each node as one 64-bit pair, which the AVX-512 walks gather
    /// in half the elements of the three words: its threshold's bits, then above them one 32-bit
    /// word. Where it fits, the word is chained: left << 2·feature_bits | the right child's
    /// feature << feature_bits | the left child's (a leaf child's: 0), so that a walk knows the
    /// feature of the node it steps to and gathers that node and the row's value side by side.
    /// Else it is left << feature_bits | feature. Empty elsewhere, and where neither fits.
    kestrel::detail::line_vector<std::uint64_t> pairs;
    int feature_bits = 0;  ///< the bits of the word that hold one feature
    bool chained = false;  ///< the words hold the children's features (else the node's own)

    packed_tree() = default;
    /// `shares`: a classifier's output is each node's value divided by its sum.
    packed_tree(const Tree& t, bool shares) : width(t.value.cols()), depth(t.max_depth) {
        const auto count = static_cast<std::size_t>(t.node_count);
        if (count == 0) return;
        place_nodes(t, shares);
        pair_nodes();
    }

    [[nodiscard]] const double* out(Index leaf) const noexcept { return output.data() + leaf * width; }

    /// The node after `at` for a sample x that holds no NaN: no branch on the data.
    [[nodiscard]] static std::int32_t step(const node* nodes, std::int32_t at, const T* x) noexcept {
        const node& n = nodes[at];
        return n.left + static_cast<std::int32_t>(x[n.feature] > n.threshold);
    }
    /// The node after `at` for any sample x: NaN goes to the side nan_left names.
    [[nodiscard]] static std::int32_t step_nan(const node* nodes, const std::uint8_t* nan_left, std::int32_t at,
                                               const T* x) noexcept {
        const node& n = nodes[at];
        const T v = x[n.feature];
        const auto right = static_cast<std::int32_t>(v > n.threshold) |
                           (static_cast<std::int32_t>(v != v) & static_cast<std::int32_t>(nan_left[at] ^ 1u));
        return n.left + right;
    }

    /// The node after `at` for x, with the step for NaN when Nan.
    template <bool Nan>
    [[nodiscard]] static std::int32_t next(const node* nodes, const std::uint8_t* nan_left, std::int32_t at,
                                           const T* x) noexcept {
        if constexpr (Nan) {
            return step_nan(nodes, nan_left, at, x);
        } else {
            return step(nodes, at, x);
        }
    }

    /// The leaves of the samples rows[0..count) (count ≤ 8), walked together; Nan: some row may
    /// hold NaN.
    template <bool Nan>
    void leaves(const T* const* rows, int count, std::int32_t* out_leaf) const noexcept {
        std::int32_t at[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        const node* base = nodes.data();
        const std::uint8_t* nan = nan_left.data();
        for (Index d = 0; d < depth; ++d) {
            std::int32_t changed = 0;  // stop once all stand on leaves (shallow paths of unbalanced trees)
            for (int g = 0; g < count; ++g) {
                const std::int32_t next = packed_tree::next<Nan>(base, nan, at[g], rows[g]);
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
        for (Index d = 0; d < depth; ++d) at = step_nan(nodes.data(), nan_left.data(), at, x);
        return at;
    }

private:
    /// Fills `nodes`, `nan_left`, `output` and `original` (the Tree node at each place), depth
    /// first: the root at 0, and each split's two children at the next two free places when the
    /// split is reached, its left subtree before its right. A left child's children so follow its
    /// sibling pair, and a walk that turns left stays in the lines it has read; the Tree's arrays
    /// (numbered depth first when fitted) are read in order. Place 1 holds no node (a leaf that
    /// names the root) when the root has children, so that each pair of children starts on an even
    /// place (two 8-byte pairs in one cache line). Against breadth first, T4's batch walk: 0.96-0.98 µs a row
    /// against 1.03-1.06; packing T3's trees, 7.0 ms a tree against 8.2 with the subtrees' top
    /// levels laid in blocks of 128 bytes, which walked as fast. Throws where a child's index is
    /// out of range, the children reach more nodes than there are (loading checks that every node
    /// but the root is one node's child) or the places pass a 32-bit index.
    void place_nodes(const Tree& t, bool shares) {
        const auto count = static_cast<std::size_t>(t.node_count);
        const std::size_t size = count + (count > 1 ? 1 : 0);
        if (size > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
            throw invalid_input("a tree of " + std::to_string(count) + " nodes has more than a 32-bit index reaches");
        }
        const auto w = static_cast<std::size_t>(width);
        original.resize(size);
        nodes.resize(size);
        nan_left.resize(size);
        output.resize(size * w);
        // Raw pointers: the byte stores to nan_left could alias the vectors' own pointers, which
        // would then be read again after each.
        node* const to = nodes.data();
        std::uint8_t* const nan = nan_left.data();
        std::int32_t* const from = original.data();
        double* const out = output.data();
        const int* const left_of = t.children_left.data();
        const int* const right_of = t.children_right.data();
        const int* const feature_of = t.feature.data();
        const double* const threshold_of = t.threshold.data();
        const int* const missing_left = t.missing_go_to_left.data();
        const auto leaf = [&](std::size_t k) {
            to[k] = {std::numeric_limits<threshold_type>::infinity(), 0u, static_cast<std::int32_t>(k)};
            nan[k] = 1;
        };
        if (size > count) {
            from[1] = 0;
            leaf(1);
            std::fill_n(out + w, w, 0.0);
        }
        struct placed {
            std::int32_t node, place;
        };
        std::vector<placed> waiting{{0, 0}};  // a stack
        std::size_t next = 2;
        Index most = 0;  // the largest feature a split tests, plus one
        while (!waiting.empty()) {
            const placed p = waiting.back();
            waiting.pop_back();
            const Index i = p.node;
            const auto k = static_cast<std::size_t>(p.place);
            from[k] = p.node;
            if (left_of[i] < 0) {
                leaf(k);
            } else {
                const Index l = left_of[i], r = right_of[i];
                if (l <= 0 || r <= 0 || l >= t.node_count || r >= t.node_count || next + 2 > size) {
                    throw invalid_input("a tree's nodes do not form a tree");
                }
                to[k] = {below(threshold_of[i]), static_cast<std::uint32_t>(feature_of[i]),
                         static_cast<std::int32_t>(next)};
                most = std::max<Index>(most, feature_of[i] + 1);
                nan[k] = missing_left[i] != 0 ? 1 : 0;
                waiting.push_back({static_cast<std::int32_t>(r), static_cast<std::int32_t>(next + 1)});
                waiting.push_back({static_cast<std::int32_t>(l), static_cast<std::int32_t>(next)});
                next += 2;
            }
            const auto row = t.value.row(i);
            const double sum = shares ? row.sum() : 1.0;
            for (std::size_t c = 0; c < w; ++c) {
                const double v = row[static_cast<Index>(c)];
                out[k * w + c] = shares ? v / (sum > 0 ? sum : 1.0) : v;
            }
        }
        if (count > 1 && next != size) throw invalid_input("a tree's nodes do not form a tree");
        features = most;
    }

    /// Fills `pairs` from `nodes` (float trees whose node indices and features fit in one word,
    /// chained where they fit so, in builds whose walks gather them).
    void pair_nodes() {
        pairs.clear();
        chained = false;
#if defined(__AVX512F__)
        if constexpr (std::is_same_v<threshold_type, float>) {
            const int bits = pair_feature_bits(features);
            feature_bits = bits;
            const auto size = static_cast<std::uint64_t>(nodes.size());
            if (pair_word_fits(size, 2 * bits)) {
                chained = true;
            } else if (!pair_word_fits(size, bits)) {
                return;
            }
            pairs.resize(nodes.size());
            for (std::size_t k = 0; k < nodes.size(); ++k) {
                const node& n = nodes[k];
                std::uint32_t word = 0;
                if (chained) {
                    const auto left = static_cast<std::size_t>(n.left);
                    // A leaf (feature 0) is its own left child and has no right one: its word names
                    // feature 0 twice.
                    const std::uint32_t right_feature = left == k ? 0u : nodes[left + 1].feature;
                    word = (static_cast<std::uint32_t>(n.left) << (2 * bits)) | (right_feature << bits) |
                           nodes[left].feature;
                } else {
                    word = (static_cast<std::uint32_t>(n.left) << bits) | n.feature;
                }
                pairs[k] = node_pair(n.threshold, word);
            }
        }
#endif
    }

    /// The largest threshold_type ≤ t.
    static threshold_type below(double t) {
        if constexpr (std::is_same_v<threshold_type, double>) {
            return t;
        } else {
            constexpr double largest = std::numeric_limits<float>::max();
            if (t > largest)
                return t == std::numeric_limits<double>::infinity() ? std::numeric_limits<float>::infinity()
                                                                    : std::numeric_limits<float>::max();
            if (t < -largest) return -std::numeric_limits<float>::infinity();
            // f rounded to nearest, or where it rounded up the next float below it (as
            // std::nextafter toward −∞ gives it), chosen without a branch: a split's threshold
            // rounds either way at random.
            const float f = static_cast<float>(t);
            const auto bits = std::bit_cast<std::uint32_t>(f);
            const float down =
                f == 0 ? -std::numeric_limits<float>::denorm_min() : std::bit_cast<float>(f > 0 ? bits - 1 : bits + 1);
            return static_cast<double>(f) > t ? down : f;
        }
    }
};

/// Trees deeper than this walk in lanes refilled as walks end (walk_lanes) rather than all for the
/// tree's depth: paths in deep trees are often far shorter than the deepest.
inline constexpr Index fixed_depth_walks = 16;

/// Walks n jobs (job j: the packed tree tree(j), sample row(j)) eight lanes at a time, each lane
/// taking the next job as soon as its walk stands on a leaf, and stores job j's leaf in out[j].
/// Nan: some row may hold NaN.
template <class T, bool Nan, class TreeOf, class Row>
void walk_lanes(Index n, TreeOf&& tree, Row&& row, std::int32_t* out) {
    using node = typename packed_tree<T>::node;
    const node* base[8];
    const std::uint8_t* nan[8];
    const T* x[8];
    std::int32_t at[8];
    Index job[8];
    Index next = 0;
    int lanes = 0;
    const auto start = [&](int g, Index j) {
        const packed_tree<T>& t = tree(j);
        base[g] = t.nodes.data();
        nan[g] = t.nan_left.data();
        x[g] = row(j);
        at[g] = 0;
        job[g] = j;
    };
    for (; lanes < 8 && next < n; ++lanes, ++next) start(lanes, next);
    while (lanes > 0) {
        for (int g = 0; g < lanes; ++g) {
            if (base[g][at[g]].left != at[g]) {
                at[g] = packed_tree<T>::template next<Nan>(base[g], nan[g], at[g], x[g]);
                continue;
            }
            out[job[g]] = at[g];  // a leaf: the lane takes the next job, or closes
            if (next < n) {
                start(g, next++);
            } else {
                --lanes;
                base[g] = base[lanes];
                nan[g] = nan[lanes];
                x[g] = x[lanes];
                at[g] = at[lanes];
                job[g] = job[lanes];
                --g;  // the lane moved into g has not stepped this round
            }
        }
    }
}

/// The leaves of rows[0..n) (row pointers) in one tree, eight at a time (with AVX-512, float
/// trees sixteen to a register: walk/avx512.hpp); `nan`: some row may hold NaN (rows_hold_nan),
/// which takes the slower step.
template <class T>
void leaves_of_rows(const packed_tree<T>& tree, const T* const* rows, Index n, std::int32_t* out, bool nan) {
#if defined(__AVX512F__)
    if constexpr (std::is_same_v<T, float>) {
        if (!nan && !tree.pairs.empty()) {
            const Index walked = tree.chained
                                     ? avx512::chained_leaves(tree.pairs.data(), tree.depth, tree.feature_bits,
                                                              tree.features, tree.nodes[0].feature, rows, n, out)
                                     : avx512::paired_leaves(tree.pairs.data(), tree.depth, tree.feature_bits,
                                                             tree.features, rows, n, out);
            if (walked >= 0) {
                for (Index i = walked; i < n; i += 8) {  // the rows past the last whole register
                    tree.template leaves<false>(rows + i, static_cast<int>(std::min<Index>(8, n - i)), out + i);
                }
                return;
            }
        }
    }
#endif
    const auto walk = [&]<bool Nan>() {
        if (tree.depth > fixed_depth_walks) {
            walk_lanes<T, Nan>(
                n, [&](Index) -> const packed_tree<T>& { return tree; }, [&](Index i) { return rows[i]; }, out);
            return;
        }
        for (Index i = 0; i < n; i += 8) {
            const int count = static_cast<int>(std::min<Index>(8, n - i));
            tree.template leaves<Nan>(rows + i, count, out + i);
        }
    };
    if (nan) {
        walk.template operator()<true>();
    } else {
        walk.template operator()<false>();
    }
}

/// The one-row walks of a forest's packed trees (and of boosting's), sixteen trees side by side.
/// In AVX-512 builds of float forests, every tree's nodes are also copied, one tree after
/// another, into one array of 64-bit pairs, each node's left child counted from the array's start:
/// a walk's position is then one index, whichever tree it is in, so that sixteen walks keep their
/// positions in a register and gather their nodes (avx512::forest_leaves). Elsewhere the walks step
/// through each tree's own nodes. The outputs are read from the trees themselves: the caller passes
/// them again to add_outputs (`tree(t)`: tree t of those given to assign).
template <class T>
struct packed_forest {
    using tree_type = packed_tree<T>;
    using node = typename tree_type::node;
    std::vector<std::int32_t> depths;  ///< per tree: its depth
    std::vector<std::int32_t> roots;   ///< per tree: its root's index in pairs (where they exist)
    Index width = 1;
    Index features = 0;  ///< one past the largest feature a split tests
    /// Float forests in AVX-512 builds: each node as one 64-bit pair (its threshold's bits, then
    /// left << feature_bits | feature above them), which the walk of sixteen trees to a register
    /// gathers. Empty elsewhere, and where the bits do not fit.
    kestrel::detail::line_vector<std::uint64_t> pairs;
    int feature_bits = 0;

    [[nodiscard]] Index size() const noexcept { return static_cast<Index>(depths.size()); }
    void clear() {
        depths.clear();
        roots.clear();
        pairs.clear();
        features = 0;
        width = 1;
    }
    /// Takes `trees` (of one width) for the walks, their pairs (where the walk gathers them, and
    /// `gathered`) written by up to n_threads threads, each tree's by one thread into its place,
    /// whose pages the copy touches first.
    void assign(const std::vector<const tree_type*>& trees, int n_threads, bool gathered = true) {
        for (const tree_type* t : trees) {
            if (t->width != trees.front()->width) {
                throw invalid_input("the trees of a forest must have outputs of one width");
            }
            if (t->nodes.empty()) throw invalid_input("a forest's tree has no node");
        }
        clear();
        std::vector<std::size_t> offset(trees.size() + 1, 0);
        for (std::size_t t = 0; t < trees.size(); ++t) {
            const tree_type& tree = *trees[t];
            offset[t + 1] = offset[t] + tree.nodes.size();
            features = std::max(features, tree.features);
            depths.push_back(static_cast<std::int32_t>(tree.depth));
        }
        if (!trees.empty()) width = trees.front()->width;
#if defined(__AVX512F__)
        if constexpr (std::is_same_v<T, float>) {
            const int bits = pair_feature_bits(features);
            if (!gathered || !pair_word_fits(static_cast<std::uint64_t>(offset.back()), bits)) return;
            feature_bits = bits;
            for (std::size_t t = 0; t < trees.size(); ++t) roots.push_back(static_cast<std::int32_t>(offset[t]));
            pairs.resize(offset.back());
            kestrel::detail::parallel_for(static_cast<Index>(trees.size()), n_threads, [&](Index i) {
                const tree_type& tree = *trees[static_cast<std::size_t>(i)];
                const std::size_t at = offset[static_cast<std::size_t>(i)];
                const auto shift = static_cast<std::uint32_t>(at);
                for (std::size_t k = 0; k < tree.nodes.size(); ++k) {
                    const node& n = tree.nodes[k];
                    pairs[at + k] =
                        node_pair(n.threshold, ((static_cast<std::uint32_t>(n.left) + shift) << bits) | n.feature);
                }
            });
        }
#else
        (void)n_threads;
        (void)gathered;
#endif
    }

    /// For one row x, adds the output of its leaf in each tree, in tree order, to sum[0..width):
    /// sixteen trees walked side by side, for the deepest one's depth (a leaf steps to itself),
    /// with the step that ignores NaN unless x holds one; where the pairs exist, x without NaN walks
    /// sixteen trees to a register, up to eight registers side by side (avx512::forest_leaves).
    /// `tree(t)`: tree t of those assign() took. Allocates nothing.
    template <class TreeOf>
    void add_outputs(const T* x, double* sum, TreeOf&& tree) const noexcept {
        static_assert(std::is_lvalue_reference_v<std::invoke_result_t<TreeOf&, Index>>,
                      "tree(t) returns a reference to a tree that outlives the walk");
        if (holds_nan(x, features)) {
            add_outputs_walked<true>(x, sum, tree);
        } else {
            add_outputs_walked<false>(x, sum, tree);
        }
    }

private:
    /// The leaves of one row x in trees [t0, t0 + G), walked side by side.
    template <int G, bool Nan, class TreeOf>
    void walk(Index t0, const T* x, std::int32_t* at, TreeOf& tree) const noexcept {
        const node* base[G];
        const std::uint8_t* nan[G];
        std::int32_t a[G];
        std::int32_t depth = 0;
        for (int g = 0; g < G; ++g) {
            const tree_type& t = tree(t0 + g);
            base[g] = t.nodes.data();
            nan[g] = t.nan_left.data();
            a[g] = 0;
            depth = std::max(depth, depths[static_cast<std::size_t>(t0 + g)]);
        }
        for (std::int32_t s = 0; s < depth; ++s) {
            for (int g = 0; g < G; ++g) {
                a[g] = tree_type::template next<Nan>(base[g], nan[g], a[g], x);
            }
        }
        for (int g = 0; g < G; ++g) at[g] = a[g];
    }

    template <int G, bool Nan, class TreeOf>
    void add_group(Index t0, const T* x, double* sum, TreeOf& tree) const noexcept {
        std::int32_t at[G];
        walk<G, Nan>(t0, x, at, tree);
        add_leaf_outputs<G>(t0, at, sum, tree);
    }

    /// Adds the outputs of trees [t0, t0 + G)'s leaves at[0..G) (each tree's own places) to sum,
    /// in order (unrolled for the widths of regressors and binary classifiers).
    template <int G, class TreeOf>
    void add_leaf_outputs(Index t0, const std::int32_t* at, double* sum, TreeOf& tree) const noexcept {
        with_fixed_width(width, [&]<Index Width>() {
            const Index w = Width > 0 ? Width : width;
            for (int g = 0; g < G; ++g) {
                const double* o = tree(t0 + g).out(at[g]);
                for (Index k = 0; k < w; ++k) sum[k] += o[k];
            }
        });
    }

#if defined(__AVX512F__)
    /// Trees [t0, t0 + 16·R) of a float forest with pairs for x without NaN: avx512::forest_leaves.
    template <int R, class TreeOf>
    void add_gathered(Index t0, const float* x, double* sum, TreeOf& tree) const noexcept {
        std::int32_t at[16 * R];
        std::int32_t depth = 0;
        for (int g = 0; g < 16 * R; ++g) depth = std::max(depth, depths[static_cast<std::size_t>(t0 + g)]);
        avx512::forest_leaves<R>(pairs.data(), feature_bits, roots.data() + t0, depth, x, at);
        for (int g = 0; g < 16 * R; ++g) at[g] -= roots[static_cast<std::size_t>(t0 + g)];  // each tree's place
        add_leaf_outputs<16 * R>(t0, at, sum, tree);
    }

    /// The whole registers of sixteen trees of a float forest with pairs for x without NaN, eight
    /// registers side by side, then the registers left all side by side (the more walks in
    /// flight, the more of each gather's latency is hidden); returns the first tree left.
    template <class TreeOf>
    Index add_all_gathered(const float* x, double* sum, TreeOf& tree) const noexcept {
        const Index n = size();
        Index t = 0;
        for (; t + 128 <= n; t += 128) add_gathered<8>(t, x, sum, tree);
        const Index registers = (n - t) / 16;  // 0 to 7, walked side by side
        [&]<int... R>(std::integer_sequence<int, R...>) {
            ((registers == R + 1 ? add_gathered<R + 1>(t, x, sum, tree) : void()), ...);
        }
        (std::make_integer_sequence<int, 7>{});
        return t + 16 * registers;
    }
#endif

    template <bool Nan, class TreeOf>
    void add_outputs_walked(const T* x, double* sum, TreeOf& tree) const noexcept {
        const Index n = size();
        Index t = 0;
#if defined(__AVX512F__)
        if constexpr (std::is_same_v<T, float> && !Nan) {
            if (!pairs.empty()) t = add_all_gathered(x, sum, tree);
        }
#endif
        for (; t + 16 <= n; t += 16) add_group<16, Nan>(t, x, sum, tree);
        for (; t + 8 <= n; t += 8) add_group<8, Nan>(t, x, sum, tree);
        for (; t < n; ++t) add_group<1, Nan>(t, x, sum, tree);
    }
};

}  // namespace kestrel::tree::detail
