// T2: random forest of forest_trees() trees (100; smoke 5), max_features sqrt, bootstrap, all
// cores (n_jobs = 0), exact splitter and histogram (max_bins = 256); T3 the regression forest;
// T4 T2's exact forest (fitted once, untimed) predicting T4's 1,000,000 rows in one call, and
// one row a call (predict on a 1-row Eigen::Map of each row, and predict_one on a span), also for
// a forest of 100 trees of depth ≤ 10 (the one-row target's). References:
// tree_xgboost.cpp (XGBoost's random-forest mode, its predict), forest_ranger.cpp (ranger through
// Rscript), and scikit-learn in benchmarks/sklearn_bench.py.
//   BM_T2/kestrel_{exact,hist}, BM_T3/kestrel_{exact,hist},
//   BM_T4/kestrel_{batch,one_row,one_row_depth10,predict_one,predict_one_depth10}
#include <span>
#include <string>

#include <kestrel/ensemble.hpp>

#include "../support/harness.hpp"
#include "cases.hpp"

namespace kestrel::bench {
namespace {

using ensemble::RandomForestClassifier;
using ensemble::RandomForestRegressor;
using tree::MaxFeatures;

// The figures of a fitted forest's trees: their split work (max_features examined a split), mean
// depth and leaves.
template <class Forest>
FitFigures forest_figures(const Forest& forest, Index d, double seconds) {
    FitFigures f;
    f.seconds = seconds;
    f.n_trees = static_cast<int>(forest.estimators().size());
    f.threads = openmp_threads();
    f.split_work = f.depth = f.n_leaves = 0;
    const double features = sqrt_features(d);
    for (const auto& t : forest.estimators()) {
        f.split_work += split_work(TreeNodes{t.tree().n_node_samples, t.tree().feature}, features);
        f.depth += static_cast<double>(t.get_depth());
        f.n_leaves += static_cast<double>(t.get_n_leaves());
    }
    f.depth /= f.n_trees;
    f.n_leaves /= f.n_trees;
    return f;
}

RandomForestClassifier<float> make_classifier(int bins) {
    return RandomForestClassifier<float>({.n_estimators = forest_trees(),
                                          .max_features = MaxFeatures::sqrt,
                                          .bootstrap = true,
                                          .n_jobs = 0,
                                          .random_state = 0,
                                          .max_bins = bins});
}

void kestrel_forest(benchmark::State& state, int bins) {
    const ClassificationCase& c = t1();
    RandomForestClassifier<float> forest = make_classifier(bins);
    const Stopwatch clock;
    for (auto _ : state) forest.fit(c.X, c.y);
    FitFigures f = forest_figures(forest, c.X.cols(), clock.seconds());
    f.quality = {{"accuracy", accuracy(forest.predict(c.X_test), c.y_test)}};
    report_fit(state, f);
}

void kestrel_regression_forest(benchmark::State& state, int bins) {
    const RegressionCase& c = t3();
    const Vector<float> y = c.y.cast<float>();
    RandomForestRegressor<float> forest({.n_estimators = forest_trees(),
                                         .max_features = MaxFeatures::sqrt,
                                         .bootstrap = true,
                                         .n_jobs = 0,
                                         .random_state = 0,
                                         .max_bins = bins});
    const Stopwatch clock;
    for (auto _ : state) forest.fit(c.X, y);
    FitFigures f = forest_figures(forest, c.X.cols(), clock.seconds());
    f.quality = {{"r2", r2(forest.predict(c.X_test).template cast<double>(), c.y_test)}};
    report_fit(state, f);
}

// T2's exact forest, for T4.
const RandomForestClassifier<float>& t2_forest() {
    static const RandomForestClassifier<float> forest = [] {
        RandomForestClassifier<float> f = make_classifier(0);
        f.fit(t1().X, t1().y);
        return f;
    }();
    return forest;
}

void kestrel_batch(benchmark::State& state) {
    const RandomForestClassifier<float>& forest = t2_forest();
    const Matrix<float>& X = t4_X();
    Labels predicted;
    const Stopwatch clock;
    for (auto _ : state) predicted = forest.predict(X);
    report_predict(state, predicted, X.rows(), openmp_threads(), clock.seconds());
}

// T2's data, 100 trees of depth at most 10: the one-row target's forest (≤ 2 µs a row).
const RandomForestClassifier<float>& depth10_forest() {
    static const RandomForestClassifier<float> forest = [] {
        RandomForestClassifier<float> f = make_classifier(0);
        auto p = f.params();
        p.max_depth = 10;
        f.set_params(p);
        f.fit(t1().X, t1().y);
        return f;
    }();
    return forest;
}

// T4's first one_row_rows() rows, one call a row: `one(forest, row)` gives the row's label.
template <class One>
void kestrel_rows(benchmark::State& state, const RandomForestClassifier<float>& forest, One&& one) {
    const Matrix<float>& X = t4_X();
    const Index rows = one_row_rows();
    Labels predicted(rows);
    const Stopwatch clock;
    for (auto _ : state) {
        for (Index i = 0; i < rows; ++i) predicted(i) = one(forest, X.row(i).data(), X.cols());
    }
    report_predict(state, predicted, rows, openmp_threads(), clock.seconds());
}

// predict on a 1-row Eigen::Map of the row.
void kestrel_one_row(benchmark::State& state, const RandomForestClassifier<float>& forest) {
    kestrel_rows(state, forest, [](const auto& f, const float* x, Index d) {
        return f.predict(Eigen::Map<const Matrix<float>>(x, 1, d))(0);
    });
}

// predict_one on a span over the row: checked, no allocation.
void kestrel_predict_one(benchmark::State& state, const RandomForestClassifier<float>& forest) {
    kestrel_rows(state, forest, [](const auto& f, const float* x, Index d) {
        return f.predict_one(std::span<const float>(x, static_cast<std::size_t>(d)));
    });
}

const bool registered = [] {
    add("BM_T2/kestrel_exact", [](benchmark::State& s) { kestrel_forest(s, 0); });
    add("BM_T2/kestrel_hist", [](benchmark::State& s) { kestrel_forest(s, max_bins); });
    add("BM_T3/kestrel_exact", [](benchmark::State& s) { kestrel_regression_forest(s, 0); });
    add("BM_T3/kestrel_hist", [](benchmark::State& s) { kestrel_regression_forest(s, max_bins); });
    add("BM_T4/kestrel_batch", kestrel_batch);
    add("BM_T4/kestrel_one_row", [](benchmark::State& s) { kestrel_one_row(s, t2_forest()); });
    add("BM_T4/kestrel_one_row_depth10", [](benchmark::State& s) { kestrel_one_row(s, depth10_forest()); });
    add("BM_T4/kestrel_predict_one", [](benchmark::State& s) { kestrel_predict_one(s, t2_forest()); });
    add("BM_T4/kestrel_predict_one_depth10", [](benchmark::State& s) { kestrel_predict_one(s, depth10_forest()); });
    return true;
}();

}  // namespace
}  // namespace kestrel::bench
