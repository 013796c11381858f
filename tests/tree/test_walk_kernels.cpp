// The batch walks of packed trees (eight rows at a time, or with AVX-512 four registers of
// sixteen rows whose nodes are gathered) against the one-row walk, leaf for leaf: shallow and deep
// trees, row counts around whole registers, rows in and out of one array, rows with NaN; and the
// one-row walk of a forest (with AVX-512 sixteen trees to a register) against each tree's leaf.
// Built twice, portable and with -march=native, so that the gathered walks are held to the scalar
// ones.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "catch.hpp"

#include <kestrel/core/random.hpp>
#include <kestrel/tree.hpp>
#include <kestrel/tree/detail/walk.hpp>

using namespace kestrel;
using kestrel::tree::detail::packed_tree;
namespace kt = kestrel::tree;

namespace {

template <class T>
Matrix<T> uniform_rows(random_engine& rng, Index n, Index d) {
    Matrix<T> X(n, d);
    for (Index i = 0; i < n; ++i) {
        for (Index j = 0; j < d; ++j) X(i, j) = rng.uniform<T>(T(-3), T(3));
    }
    return X;
}

// A Tree of `count` nodes, each a leaf of value 0 until a test links them; max_depth `depth`.
kt::Tree unlinked_tree(Index count, Index depth) {
    kt::Tree t;
    t.node_count = count;
    t.max_depth = depth;
    t.children_left = Eigen::VectorXi::Constant(t.node_count, -1);
    t.children_right = Eigen::VectorXi::Constant(t.node_count, -1);
    t.feature = Eigen::VectorXi::Constant(t.node_count, -2);
    t.threshold = Eigen::VectorXd::Constant(t.node_count, -2.0);
    t.impurity = Eigen::VectorXd::Zero(t.node_count);
    t.n_node_samples = Eigen::VectorXi::Ones(t.node_count);
    t.weighted_n_node_samples = Eigen::VectorXd::Ones(t.node_count);
    t.value = Matrix<double>::Zero(t.node_count, 1);
    t.missing_go_to_left = Eigen::VectorXi::Zero(t.node_count);
    return t;
}

// Every row's leaf by leaves_of_rows equals its leaf by the one-row walk.
template <class T>
void check_walks(const packed_tree<T>& tree, const std::vector<const T*>& rows, bool nan) {
    const auto n = static_cast<Index>(rows.size());
    std::vector<std::int32_t> leaves(rows.size() + 1, -5);
    kestrel::tree::detail::leaves_of_rows(tree, rows.data(), n, leaves.data(), nan);
    for (Index i = 0; i < n; ++i) {
        INFO("row " << i << " of " << n);
        REQUIRE(leaves[static_cast<std::size_t>(i)] == tree.leaf(rows[static_cast<std::size_t>(i)]));
    }
    REQUIRE(leaves[rows.size()] == -5);  // nothing written past the rows
}

}  // namespace

TEMPLATE_TEST_CASE("batch walks give every row the leaf of the one-row walk", "[tree][simd]", float, double) {
    using T = TestType;
    random_engine rng(31);
    const Index d = 7;
    const Matrix<T> X = uniform_rows<T>(rng, 3000, d);
    Vector<T> y(X.rows());
    for (Index i = 0; i < X.rows(); ++i) y[i] = std::sin(X(i, 0) * X(i, 1)) + X(i, 2) + rng.uniform<T>(T(-0.5), T(0.5));
    // A tree of depth 4 (the fixed-depth walks) and one grown out (depth well past 16).
    for (const int depth : {4, 0}) {
        kestrel::tree::DecisionTreeRegressor<T> fitted(
            {.max_depth = depth > 0 ? std::optional<int>(depth) : std::nullopt, .random_state = 0});
        fitted.fit(X, y);
        const packed_tree<T> tree(fitted.tree(), false);
        INFO("tree depth " << tree.depth);
        const Matrix<T> Z = uniform_rows<T>(rng, 1100, d);
        for (const Index n :
             {Index{1}, Index{15}, Index{16}, Index{17}, Index{63}, Index{64}, Index{65}, Index{200}, Index{1100}}) {
            INFO(n << " rows");
            std::vector<const T*> rows;
            for (Index i = 0; i < n; ++i) rows.push_back(Z.row(i).data());
            check_walks(tree, rows, false);
            check_walks(tree, rows, true);
            // Rows in reverse order (offsets below the first row's) and every other row.
            std::vector<const T*> reversed(rows.rbegin(), rows.rend());
            check_walks(tree, reversed, false);
            std::vector<const T*> strided;
            for (Index i = 0; i < n; i += 2) strided.push_back(rows[static_cast<std::size_t>(i)]);
            check_walks(tree, strided, false);
        }
        // Rows of separate allocations, and rows holding NaN (the NaN step).
        std::vector<std::vector<T>> own;
        for (Index i = 0; i < 70; ++i) own.emplace_back(Z.row(i).data(), Z.row(i).data() + d);
        for (Index i = 0; i < 70; i += 3)
            own[static_cast<std::size_t>(i)][static_cast<std::size_t>(i % d)] = std::numeric_limits<T>::quiet_NaN();
        std::vector<const T*> apart;
        for (const auto& r : own) apart.push_back(r.data());
        check_walks(tree, apart, true);
    }
}

#if defined(__AVX512F__)
namespace {

// Whether a plain pair (left << bits | feature above the threshold's bits) gives node n back.
void check_plain_pair(std::uint64_t pair, const packed_tree<float>::node& n, int bits) {
    const auto word = static_cast<std::uint32_t>(pair >> 32);
    REQUIRE(static_cast<std::uint32_t>(pair) == std::bit_cast<std::uint32_t>(n.threshold));
    REQUIRE(static_cast<std::int32_t>(word >> bits) == n.left);
    REQUIRE((word & ((1U << bits) - 1U)) == n.feature);
}

// Whether every pair of a float tree gives its node back: the threshold's bits, then the chained
// word (left, the right and the left child's features) or the plain one (left, the feature).
void check_pairs(const packed_tree<float>& tree) {
    const int bits = tree.feature_bits;
    const std::uint32_t mask = (1U << bits) - 1U;
    for (std::size_t k = 0; k < tree.nodes.size(); ++k) {
        INFO("node " << k);
        const auto word = static_cast<std::uint32_t>(tree.pairs[k] >> 32);
        const std::int32_t left = tree.nodes[k].left;
        REQUIRE(static_cast<std::uint32_t>(tree.pairs[k]) == std::bit_cast<std::uint32_t>(tree.nodes[k].threshold));
        if (tree.chained) {
            REQUIRE(static_cast<std::int32_t>(word >> (2 * bits)) == left);
            const bool leaf = left == static_cast<std::int32_t>(k);
            if (leaf) REQUIRE(tree.nodes[k].feature == 0);  // what a walk reads at a leaf
            REQUIRE((word & mask) == (leaf ? 0U : tree.nodes[static_cast<std::size_t>(left)].feature));
            REQUIRE(((word >> bits) & mask) == (leaf ? 0U : tree.nodes[static_cast<std::size_t>(left) + 1].feature));
        } else {
            check_plain_pair(tree.pairs[k], tree.nodes[k], bits);
        }
    }
}

}  // namespace
#endif

TEST_CASE("batch walks of float trees whose features take 0 to 12 bits of a paired node", "[tree][simd]") {
    random_engine rng(37);
    // Features 1, 2, 300 and 4096 (the last tested by the target): 0, 1, 9 and 12 bits. With 12
    // bits, 2 · 12 leave room for 256 places in a chained word: 128 leaves (255 nodes in 256 places, left up to
    // 254 << 24, the word's top bit set) chain, 129 leaves (257 nodes in 258 places) and a grown-out tree of
    // about 1,200 nodes hold their own features.
    struct shape {
        Index features;
        int max_leaf_nodes;  // 0: grown out
        int bits;
        bool chained;
    };
    const shape cases[] = {{1, 0, 0, true},       {2, 0, 1, true},        {300, 0, 9, true},
                           {4096, 128, 12, true}, {4096, 129, 12, false}, {4096, 0, 12, false}};
    for (const auto& [d, leaves, bits, chained] : cases) {
        INFO(d << " features, max_leaf_nodes " << leaves);
        const Matrix<float> X = uniform_rows<float>(rng, 600, d);
        Vector<float> y(X.rows());
        for (Index i = 0; i < X.rows(); ++i) y[i] = std::sin(3 * X(i, d - 1)) + (d > 1 ? X(i, d / 2) : 0.0F);
        // With 4096 features one drawn a split: splits on features across the whole range.
        kestrel::tree::DecisionTreeRegressor<float> fitted(
            {.max_features = d > 1000 ? std::optional<kestrel::tree::MaxFeatures>(1) : std::nullopt,
             .random_state = 0,
             .max_leaf_nodes = leaves > 0 ? std::optional<int>(leaves) : std::nullopt});
        fitted.fit(X, y);
        const packed_tree<float> tree(fitted.tree(), false);
        if (leaves > 0) REQUIRE(tree.nodes.size() == static_cast<std::size_t>(2 * leaves));  // and place 1 unused
#if defined(__AVX512F__)
        // Every node paired (the AVX-512 walks take them), and each pair gives its node back.
        REQUIRE(tree.feature_bits == bits);
        REQUIRE(tree.chained == chained);
        REQUIRE(tree.pairs.size() == tree.nodes.size());
        check_pairs(tree);
#else
        REQUIRE(tree.pairs.empty());  // nothing gathers them
        (void)bits;
        (void)chained;
#endif
        // Two groups of four registers, one register alone, and six rows past the registers.
        const Matrix<float> Z = uniform_rows<float>(rng, 150, d);
        std::vector<const float*> rows;
        for (Index i = 0; i < Z.rows(); ++i) rows.push_back(Z.row(i).data());
        check_walks(tree, rows, false);
    }
}

TEST_CASE("batch walks of a float tree that is one leaf", "[tree][simd]") {
    random_engine rng(41);
    const Matrix<float> X = uniform_rows<float>(rng, 40, 3);
    const Vector<float> y = Vector<float>::Constant(X.rows(), 2.5F);
    kestrel::tree::DecisionTreeRegressor<float> fitted({.random_state = 0});
    fitted.fit(X, y);
    const packed_tree<float> tree(fitted.tree(), false);
    REQUIRE(tree.nodes.size() == 1);
    REQUIRE(tree.nodes[0].left == 0);
    REQUIRE(tree.depth == 0);
    std::vector<const float*> rows;
    for (Index i = 0; i < X.rows(); ++i) rows.push_back(X.row(i).data());
    check_walks(tree, rows, false);
}

TEST_CASE("a float tree's thresholds are the largest floats at or below the double thresholds", "[tree][simd]") {
    // A root over a chain of splits, each test's threshold one of `thresholds`: values that round
    // to float upwards and downwards, exact ones, zeros, subnormals and the float range's ends.
    std::vector<double> thresholds = {0.1,
                                      -0.1,
                                      1.0 / 3,
                                      -1.0 / 3,
                                      0.0,
                                      -0.0,
                                      1e-46,
                                      -1e-46,
                                      1e-45,
                                      -1e-45,
                                      1.5e-45,
                                      -1.5e-45,
                                      3.4e38,
                                      -3.4e38,
                                      1e30,
                                      2.5,
                                      -2.5,
                                      std::numeric_limits<float>::max(),
                                      -static_cast<double>(std::numeric_limits<float>::max()),
                                      std::nextafter(static_cast<double>(std::numeric_limits<float>::max()), 0.0)};
    random_engine rng(3);
    for (int i = 0; i < 2000; ++i) {
        const double scale = std::ldexp(1.0, static_cast<int>(rng.index_below(120)) - 60);
        thresholds.push_back(rng.uniform<double>(-1.0, 1.0) * scale);
    }
    const auto count = static_cast<Index>(thresholds.size());
    kt::Tree t = unlinked_tree(2 * count + 1, count);
    for (Index i = 0; i < count; ++i) {  // node 2i splits into the leaf 2i + 1 and node 2i + 2
        t.children_left[2 * i] = static_cast<int>(2 * i + 1);
        t.children_right[2 * i] = static_cast<int>(2 * i + 2);
        t.feature[2 * i] = 0;
        t.threshold[2 * i] = thresholds[static_cast<std::size_t>(i)];
    }
    const packed_tree<float> tree(t, false);
    for (std::size_t k = 0; k < tree.nodes.size(); ++k) {
        const Index i = tree.original[k];
        if (t.children_left[i] < 0 || (k > 0 && i == 0)) continue;  // a leaf, or a place without a node
        const double d = t.threshold[i];
        float expected = static_cast<float>(d);
        if (static_cast<double>(expected) > d)
            expected = std::nextafter(expected, -std::numeric_limits<float>::infinity());
        INFO("threshold " << d);
        CHECK(std::bit_cast<std::uint32_t>(tree.nodes[k].threshold) == std::bit_cast<std::uint32_t>(expected));
    }
}

TEST_CASE("packed trees place each node once, depth first, children side by side", "[tree]") {
    // A complete tree of depth 10 (2,047 nodes), numbered breadth first, so that the packed order
    // is not the numbering.
    constexpr int depth = 10;
    kt::Tree t = unlinked_tree((1 << (depth + 1)) - 1, depth);
    for (Index i = 0; i < t.node_count; ++i) {
        t.value(i, 0) = static_cast<double>(i);
        if (2 * i + 2 < t.node_count) {
            t.children_left[i] = static_cast<int>(2 * i + 1);
            t.children_right[i] = static_cast<int>(2 * i + 2);
            t.feature[i] = static_cast<int>(i % 7);
            t.threshold[i] = 0.5;
        }
    }
    const packed_tree<float> tree(t, false);
    REQUIRE(tree.nodes.size() == static_cast<std::size_t>(t.node_count) + 1);  // place 1 unused
    REQUIRE(tree.nodes[1].left == 1);
    std::vector<int> placed(static_cast<std::size_t>(t.node_count), 0);
    for (std::size_t k = 0; k < tree.nodes.size(); ++k) {
        if (k == 1) continue;
        const Index i = tree.original[k];
        INFO("place " << k << ", node " << i);
        ++placed[static_cast<std::size_t>(i)];
        REQUIRE(tree.output[k] == static_cast<double>(i));
        if (t.children_left[i] < 0) {
            REQUIRE(tree.nodes[k].left == static_cast<std::int32_t>(k));
            continue;
        }
        REQUIRE(tree.nodes[k].feature == static_cast<std::uint32_t>(t.feature[i]));
        const auto left = static_cast<std::size_t>(tree.nodes[k].left);
        REQUIRE(left % 2 == 0);  // a pair of children on an even place
        REQUIRE(tree.original[left] == t.children_left[i]);
        REQUIRE(tree.original[left + 1] == t.children_right[i]);
        // Depth first: the left child's children right after its own pair.
        if (t.children_left[t.children_left[i]] >= 0)
            REQUIRE(tree.nodes[left].left == static_cast<std::int32_t>(left + 2));
    }
    for (const int p : placed) REQUIRE(p == 1);
}

TEST_CASE("packing refuses children arrays that do not form a tree", "[tree]") {
    const auto tree_of = [](std::vector<int> left, std::vector<int> right) {
        kt::Tree t = unlinked_tree(static_cast<Index>(left.size()), 2);
        t.children_left = Eigen::Map<const Eigen::VectorXi>(left.data(), t.node_count);
        t.children_right = Eigen::Map<const Eigen::VectorXi>(right.data(), t.node_count);
        return t;
    };
    // A well-formed tree packs.
    CHECK_NOTHROW(packed_tree<float>(tree_of({1, -1, -1}, {2, -1, -1}), false));
    // A child past the nodes, a child that is the root (a cycle), nodes 3 and 4 reached twice, and
    // node 3 reached by none.
    CHECK_THROWS_AS(packed_tree<float>(tree_of({1, -1, -1}, {3, -1, -1}), false), invalid_input);
    CHECK_THROWS_AS(packed_tree<float>(tree_of({1, 0, -1}, {2, 2, -1}), false), invalid_input);
    CHECK_THROWS_AS(packed_tree<float>(tree_of({1, 3, 3, -1, -1}, {2, 4, 4, -1, -1}), false), invalid_input);
    CHECK_THROWS_AS(packed_tree<float>(tree_of({1, -1, -1, -1}, {2, -1, -1, -1}), false), invalid_input);
    // A forest's walks refuse a tree without nodes.
    const packed_tree<float> empty;
    kestrel::tree::detail::packed_forest<float> forest;
    CHECK_THROWS_AS(forest.assign({&empty}, 1), invalid_input);
}

namespace {

// Each row's sums from a forest of `trees`' first `count` (gathered where the build gathers, and
// not) equal the sum of each tree's leaf outputs in tree order, every output component.
void check_forest_rows(const std::vector<packed_tree<float>>& trees, std::size_t count, const Matrix<float>& Z) {
    using kestrel::tree::detail::packed_forest;
    INFO(count << " trees");
    std::vector<const packed_tree<float>*> first;
    for (std::size_t t = 0; t < count; ++t) first.push_back(&trees[t]);
    const auto tree_of = [&](Index t) -> const packed_tree<float>& { return trees[static_cast<std::size_t>(t)]; };
    packed_forest<float> gathered, stepped;
    gathered.assign(first, 1);
    stepped.assign(first, 1, false);
    REQUIRE(stepped.pairs.empty());
    REQUIRE(gathered.size() == static_cast<Index>(count));
    const Index d = Z.cols(), width = gathered.width;
#if defined(__AVX512F__)
    const int bits = gathered.feature_bits;  // features 0..8 take 4 bits once a split tests feature 8
    REQUIRE(bits == static_cast<int>(std::bit_width(static_cast<std::uint32_t>(gathered.features - 1))));
    if (count >= 16) REQUIRE(bits == 4);
    std::size_t at = 0;
    for (std::size_t t = 0; t < count; ++t) {  // each tree's nodes in its place, left counted from the start
        const auto root = static_cast<std::int32_t>(at);
        REQUIRE(gathered.roots[t] == root);
        for (packed_tree<float>::node n : trees[t].nodes) {
            n.left += root;
            check_plain_pair(gathered.pairs[at++], n, bits);
        }
    }
    REQUIRE(gathered.pairs.size() == at);
#else
    REQUIRE(gathered.pairs.empty());  // nothing gathers them
#endif
    for (Index i = 0; i < Z.rows(); ++i) {
        INFO("row " << i);
        std::vector<float> x(Z.row(i).data(), Z.row(i).data() + d);
        if (i % 7 == 3) x[static_cast<std::size_t>(i % d)] = std::numeric_limits<float>::quiet_NaN();
        if (i % 7 == 5) {  // values equal to thresholds (x ≤ threshold goes left): a root's of each tree
            for (std::size_t t = static_cast<std::size_t>(i % 3); t < count; t += 3) {
                const auto& root = trees[t].nodes[0];
                if (trees[t].depth > 0) x[root.feature] = root.threshold;
            }
        }
        std::vector<double> expected(static_cast<std::size_t>(width), 0.0), a = expected, b = expected;
        for (std::size_t t = 0; t < count; ++t) {  // tree by tree, in order: the walks' additions
            const double* o = trees[t].out(trees[t].leaf(x.data()));
            for (Index k = 0; k < width; ++k) expected[static_cast<std::size_t>(k)] += o[k];
        }
        gathered.add_outputs(x.data(), a.data(), tree_of);
        stepped.add_outputs(x.data(), b.data(), tree_of);
        REQUIRE(a == expected);
        REQUIRE(b == expected);
    }
    // The same pairs written on several threads.
    for (const int threads : {2, 3}) {
        INFO(threads << " threads");
        packed_forest<float> assembled;
        assembled.assign(first, threads);
        REQUIRE(
            std::equal(assembled.pairs.begin(), assembled.pairs.end(), gathered.pairs.begin(), gathered.pairs.end()));
        REQUIRE(assembled.roots == gathered.roots);
        REQUIRE(assembled.depths == gathered.depths);
        REQUIRE(assembled.width == gathered.width);
        REQUIRE(assembled.features == gathered.features);
        REQUIRE(assembled.feature_bits == gathered.feature_bits);
    }
}

}  // namespace

TEST_CASE("the one-row walk of a forest gives the sum of each tree's leaf, gathered or not", "[tree][simd]") {
    random_engine rng(43);
    const Index d = 9;
    const Matrix<float> X = uniform_rows<float>(rng, 800, d);
    const Matrix<float> Z = uniform_rows<float>(rng, 60, d);
    // 1 to 150 trees: every number of registers of sixteen from 1 to 8, eight and more, and the
    // trees past the last register.
    const std::size_t counts[] = {1, 15, 16, 17, 32, 48, 64, 65, 80, 100, 112, 128, 143, 150};
    SECTION("regression trees (one value a leaf)") {
        // Trees of different depths (a one-leaf tree among them), each with its own leaf values.
        std::vector<packed_tree<float>> trees;
        for (int t = 0; t < 150; ++t) {
            Vector<float> y(X.rows());
            for (Index i = 0; i < X.rows(); ++i) {
                y[i] = t % 37 == 5 ? 1.5F
                                   : std::sin(X(i, t % d) * static_cast<float>(1 + t % 3)) + X(i, (t + 4) % d) +
                                         rng.uniform<float>(-0.3F, 0.3F);
            }
            kestrel::tree::DecisionTreeRegressor<float> fitted(
                {.max_depth = t % 4 == 0 ? std::nullopt : std::optional<int>(2 + t % 9),
                 .random_state = static_cast<std::uint64_t>(t)});
            fitted.fit(X, y);
            trees.emplace_back(fitted.tree(), false);
        }
        for (const std::size_t count : counts) check_forest_rows(trees, count, Z);
    }
    SECTION("classification trees of two and three classes (class shares a leaf)") {
        for (const int classes : {2, 3}) {
            INFO(classes << " classes");
            std::vector<packed_tree<float>> trees;
            for (int t = 0; t < 150; ++t) {
                Labels y(X.rows());
                for (Index i = 0; i < X.rows(); ++i) {
                    const float score = X(i, t % d) + 0.5F * X(i, (t + 2) % d) + rng.uniform<float>(-1.0F, 1.0F);
                    y[i] = score < -0.8F ? 0 : (classes == 3 && score > 0.8F ? 2 : 1);
                }
                kestrel::tree::DecisionTreeClassifier<float> fitted(
                    {.max_depth = t % 5 == 0 ? std::nullopt : std::optional<int>(1 + t % 8),
                     .random_state = static_cast<std::uint64_t>(t)});
                fitted.fit(X, y);
                trees.emplace_back(fitted.tree(), true);
            }
            REQUIRE(trees[0].width == classes);
            for (const std::size_t count : counts) check_forest_rows(trees, count, Z);
        }
    }
}
