#pragma once
/// \file
/// The tree module's benchmark cases (benchmarks/README.md): T1 one decision tree, T2 a random
/// forest, T3 a regression forest, T4 the T2 forest's predictions; their data (generate_data.py's
/// .npy files, or made in-process for a smoke run, support/data.hpp), and the counters every
/// implementation reports, computed by one formula (mirrored in benchmarks/sklearn_bench.py).
/// Nothing here includes kestrel's tree or ensemble headers, so that the references build before
/// and without them.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include <kestrel/core/types.hpp>

namespace kestrel::bench {

/// T1 and T2 (and T4's model): make_classification, 2 classes, 50 features (10 informative,
/// 5 redundant), float; a held-out set for the accuracy.
struct ClassificationCase {
    Matrix<float> X;
    Labels y;
    Matrix<float> X_test;
    Labels y_test;
};
const ClassificationCase& t1();

/// T3: make_regression, 20 features (10 informative), noise 10, float features, double targets.
struct RegressionCase {
    Matrix<float> X;
    Vector<double> y;
    Matrix<float> X_test;
    Vector<double> y_test;
};
const RegressionCase& t3();

/// T4: rows of T1's distribution that T2's forest predicts (1,000,000; smoke 10,000), and their labels.
const Matrix<float>& t4_X();
const Labels& t4_y();

/// T1's depth limits: 10, and none (std::nullopt).
inline constexpr int t1_max_depth = 10;
/// T1's histogram variants: bins a feature (binning inside the timed fit).
inline constexpr int max_bins = 256;
/// Trees of the T2 and T3 forests: 100 (smoke 5).
int forest_trees();
/// scikit-learn's max_features = "sqrt": ⌊√d⌋ features examined a node (7 of T2's 50, 4 of T3's 20).
int sqrt_features(Index d);
/// T4's one-row-at-a-time variants predict the first this many rows of t4_X() (10,000; smoke 200).
Index one_row_rows();

/// A fitted tree in flat arrays, scikit-learn's tree_ layout: per node, the training samples that
/// reached it and the feature it splits on (negative at a leaf).
struct TreeNodes {
    Eigen::VectorXi n_node_samples;
    Eigen::VectorXi feature;
};
/// Σ over the internal nodes of n_node_samples · `features` (those a split examines: d for a
/// tree, max_features for a forest's): the node-splitting work of one tree.
double split_work(const TreeNodes& tree, double features);

/// What a fit reports, beside its time.
struct FitFigures {
    double seconds = 0;      ///< wall time of every timed fit of the benchmark together
    int n_trees = 1;
    int threads = 1;
    double split_work = -1;  ///< of one fit (split_work() summed over its trees); < 0: unknown
    double depth = -1;       ///< the tree's depth, mean over a forest's trees; < 0: unknown
    double n_leaves = -1;    ///< leaves a tree (mean over a forest's trees); < 0: unknown
    /// Quality figures in order: "accuracy" (held-out), "train_accuracy", "oob_accuracy", "r2"
    /// (held-out), "oob_r2".
    std::vector<std::pair<std::string, double>> quality;
};
/// Counters: the quality figures, `n_trees`, `s_per_tree` (a fit's time over its trees),
/// `threads`, `depth`, `n_leaves`, and `sample_features/s`, the node-splitting throughput:
/// split_work over the time of a fit.
void report_fit(benchmark::State& state, const FitFigures& f);

/// T4: `us_per_row` (a call's time over the rows it predicted), `rows`, `threads`, and the
/// accuracy of `predicted` against the first rows of t4_y().
void report_predict(benchmark::State& state, const Labels& predicted, Index rows, int threads, double seconds);

/// Fraction of equal entries.
double accuracy(const Labels& predicted, const Labels& truth);
/// Labels 0/1 from the probability of class 1 (above 0.5: 1).
Labels threshold(const Eigen::Ref<const Vector<float>>& probability);
/// Coefficient of determination 1 − SSE/SST.
double r2(const Vector<double>& predicted, const Vector<double>& truth);

}  // namespace kestrel::bench
