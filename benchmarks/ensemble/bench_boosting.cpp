// B1-B3: histogram gradient boosting, kestrel's HistGradientBoostingClassifier / Regressor in
// float, boosting_iterations() iterations (100; smoke 10), 31 leaves, 255 bins, learning rate 0.1,
// no early stopping, min_samples_leaf 20 and l2_regularization 0 (scikit-learn's defaults), on all
// cores (n_jobs = 0); the binning inside the timed fit. B4: B1's model (fitted once, untimed)
// predicting B4's 1,000,000 rows' probabilities in one call. References: boosting_xgboost.cpp
// beside this file (XGBoost hist, lossguide) and scikit-learn's HistGradientBoostingClassifier /
// Regressor in benchmarks/sklearn_bench.py.
//   BM_B1/kestrel_fit, BM_B1/kestrel_one_tree (max_iter 1: the binning and one tree),
//   BM_B2/kestrel_fit, BM_B3/kestrel_fit, BM_B4/kestrel_predict
#include <kestrel/ensemble/hist_gradient_boosting_classifier.hpp>
#include <kestrel/ensemble/hist_gradient_boosting_regressor.hpp>

#include "../support/harness.hpp"
#include "cases.hpp"

namespace kestrel::bench {
namespace {

using ensemble::HistGradientBoostingClassifier;
using ensemble::HistGradientBoostingRegressor;
using ensemble::Loss;

HistGradientBoostingClassifier<float> make_classifier(int iterations) {
    return HistGradientBoostingClassifier<float>({.learning_rate = learning_rate,
                                                  .max_iter = iterations,
                                                  .max_leaf_nodes = max_leaf_nodes,
                                                  .max_bins = max_bins,
                                                  .early_stopping = false,
                                                  .random_state = 0,
                                                  .n_jobs = 0});
}

void kestrel_classifier(benchmark::State& state, const BoostingClassificationCase& c, int iterations) {
    HistGradientBoostingClassifier<float> model = make_classifier(iterations);
    const Stopwatch clock;
    for (auto _ : state) model.fit(c.X, c.y);
    const double seconds = clock.seconds();
    report_fit(state, {.seconds = seconds,
                       .n_iter = model.n_iter(),
                       .trees_per_iter = static_cast<int>(model.n_trees_per_iteration()),
                       .n = c.X.rows(),
                       .d = c.X.cols(),
                       .threads = openmp_threads(),
                       .quality = classification_quality(model.predict_proba(c.X_test), c.y_test)});
}

void kestrel_regressor(benchmark::State& state) {
    const BoostingRegressionCase& c = b2();
    const Vector<float> y = c.y.cast<float>();
    HistGradientBoostingRegressor<float> model({.loss = Loss::squared_error,
                                                .learning_rate = learning_rate,
                                                .max_iter = boosting_iterations(),
                                                .max_leaf_nodes = max_leaf_nodes,
                                                .max_bins = max_bins,
                                                .early_stopping = false,
                                                .random_state = 0,
                                                .n_jobs = 0});
    const Stopwatch clock;
    for (auto _ : state) model.fit(c.X, y);
    const double seconds = clock.seconds();
    report_fit(state, {.seconds = seconds,
                       .n_iter = model.n_iter(),
                       .n = c.X.rows(),
                       .d = c.X.cols(),
                       .threads = openmp_threads(),
                       .quality = regression_quality(model.predict(c.X_test).cast<double>(), c.y_test)});
}

// B1's model, for B4.
const HistGradientBoostingClassifier<float>& b1_model() {
    static const HistGradientBoostingClassifier<float> model = [] {
        HistGradientBoostingClassifier<float> m = make_classifier(boosting_iterations());
        m.fit(b1().X, b1().y);
        return m;
    }();
    return model;
}

void kestrel_predict(benchmark::State& state) {
    const HistGradientBoostingClassifier<float>& model = b1_model();
    const Matrix<float>& X = b4_X();
    Matrix<float> probability;
    const Stopwatch clock;
    for (auto _ : state) probability = model.predict_proba(X);
    report_predict(state, probability, openmp_threads(), clock.seconds());
}

const bool registered = [] {
    add("BM_B1/kestrel_fit", [](benchmark::State& s) { kestrel_classifier(s, b1(), boosting_iterations()); });
    add("BM_B1/kestrel_one_tree", [](benchmark::State& s) { kestrel_classifier(s, b1(), 1); });
    add("BM_B2/kestrel_fit", kestrel_regressor);
    add("BM_B3/kestrel_fit", [](benchmark::State& s) { kestrel_classifier(s, b3(), boosting_iterations()); });
    add("BM_B4/kestrel_predict", kestrel_predict);
    return true;
}();

}  // namespace
}  // namespace kestrel::bench
