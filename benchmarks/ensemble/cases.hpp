#pragma once
/// \file
/// The ensemble module's benchmark cases (benchmarks/README.md): B1 histogram gradient boosting of
/// two classes, B2 of a regression target, B3 of ten classes, B4 B1's model predicting; their data
/// (generate_data.py's .npy files, or made in-process for a smoke run, support/data.hpp), the
/// settings every implementation fits with, and the counters every implementation reports,
/// computed by one formula (mirrored in benchmarks/sklearn_bench.py). Nothing here includes
/// kestrel's ensemble headers, so that the references build before and without them.

#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include <kestrel/core/types.hpp>

namespace kestrel::bench {

/// B1 (and B4's model) and B3: make_classification, float; a held-out set for the log loss.
struct BoostingClassificationCase {
    Matrix<float> X;
    Labels y;
    Matrix<float> X_test;
    Labels y_test;
    int n_classes = 2;
};
/// B1: 1,000,000 rows (+200,000 held out), 28 features (14 informative, 7 redundant), 2 classes.
const BoostingClassificationCase& b1();
/// B3: 200,000 rows (+50,000 held out), 50 features (20 informative, 5 redundant), 10 classes.
const BoostingClassificationCase& b3();

/// B2: make_regression, 1,000,000 rows (+200,000 held out), 20 features (10 informative), noise
/// 10, float features, double targets.
struct BoostingRegressionCase {
    Matrix<float> X;
    Vector<double> y;
    Matrix<float> X_test;
    Vector<double> y_test;
};
const BoostingRegressionCase& b2();

/// B4: rows of B1's distribution that B1's model predicts (1,000,000; smoke 10,000), and their labels.
const Matrix<float>& b4_X();
const Labels& b4_y();

/// Every fit's settings: boosting iterations (100; smoke 10), learning rate, leaves a tree, bins a
/// feature (kestrel's and scikit-learn's max_bins 255, XGBoost's max_bin 256), no early stopping.
int boosting_iterations();
inline constexpr double learning_rate = 0.1;
inline constexpr int max_leaf_nodes = 31;
inline constexpr int max_bins = 255;

/// What a fit reports, beside its time.
struct BoostingFigures {
    double seconds = 0;      ///< wall time of every timed fit of the benchmark together
    int n_iter = 0;          ///< boosting iterations of a fit
    int trees_per_iter = 1;  ///< 1, or the number of classes for more than two
    Index n = 0, d = 0;      ///< training rows and features
    int threads = 1;
    /// Quality figures in order: "log_loss" and "accuracy" (held-out), or "r2" and "mse" (held-out).
    std::vector<std::pair<std::string, double>> quality;
};
/// Counters: the quality figures, `n_iter`, `n_trees`, `s_per_tree` (a fit's time over its trees),
/// `threads`, and `hist_updates/s`, a proxy of the histogram-building throughput: n · d sample ×
/// feature updates a tree (one pass over the binned data a tree), over the time of a fit.
void report_fit(benchmark::State& state, const BoostingFigures& f);

/// Held-out figures of a classifier from its class probabilities (rows × classes): log loss and
/// accuracy.
std::vector<std::pair<std::string, double>> classification_quality(const Matrix<float>& probability,
                                                                   const Labels& truth);
/// Held-out figures of a regressor: coefficient of determination and mean squared error.
std::vector<std::pair<std::string, double>> regression_quality(const Vector<double>& predicted,
                                                               const Vector<double>& truth);

/// B4: `us_per_row` (a call's time over the rows it predicted), `rows`, `threads`, and the log
/// loss and accuracy of `probability` against b4_y().
void report_predict(benchmark::State& state, const Matrix<float>& probability, int threads, double seconds);

/// Mean of −log p(true class), each probability clipped below at 1e-15 (as scikit-learn's log_loss).
double log_loss(const Matrix<float>& probability, const Labels& truth);
/// Fraction of rows whose most probable class (the first of equals) is the true one.
double argmax_accuracy(const Matrix<float>& probability, const Labels& truth);
/// Class probabilities (1 − p, p) from the probabilities p of class 1.
Matrix<float> two_columns(const Eigen::Ref<const Vector<float>>& p);

}  // namespace kestrel::bench
