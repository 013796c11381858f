// B1-B4 reference: XGBoost 1.7 (Debian's libxgboost-dev, C API), tree_method hist grown leaf by
// leaf as scikit-learn's and kestrel's (grow_policy lossguide, max_leaves 31, max_depth 0: no depth
// limit), max_bin 256, eta 0.1, lambda 0 (scikit-learn's and kestrel's l2_regularization = 0),
// XGBoost's defaults otherwise (min_child_weight 1, gamma 0, no subsampling), on all OpenMP threads.
// The boosting starts where scikit-learn's and kestrel's does: base_score is the training rows'
// mean (the prior probability of class 1 for B1, the mean target for B2); for B3's ten balanced
// classes the default 0.5, the same margin for every class, is their uniform prior.
//   BM_B1/xgboost_fit        binary:logistic, boosting_iterations() rounds (100; smoke 10)
//   BM_B1/xgboost_one_tree   the same, one round: the binning (quantile sketch, bin indices) and one tree
//   BM_B2/xgboost_fit        reg:squarederror
//   BM_B3/xgboost_fit        multi:softprob, num_class 10 (ten trees a round)
//   BM_B4/xgboost_predict    BM_B1's model (fitted once, untimed) predicting B4's rows' probabilities
//                            in one call, through in-place prediction from dense rows
//                            (XGBoosterPredictFromDense)
// Each fit gets a new DMatrix, made outside the timed region: XGBoost keeps the histogram bins in
// the DMatrix and builds them in the first round, so a reused one would leave the binning out of
// every fit but the first. The benchmarks time the fit alone (manual time: booster creation,
// parameters, the rounds of UpdateOneIter).
#include <cstdint>
#include <limits>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "../support/harness.hpp"
#include "../support/xgboost.hpp"
#include "cases.hpp"

namespace kestrel::bench {
namespace {

using namespace xgb;

Params boosting_params(const std::string& objective) {
    return {{"objective", objective},
            {"tree_method", "hist"},
            {"grow_policy", "lossguide"},
            {"max_leaves", std::to_string(max_leaf_nodes)},
            {"max_depth", "0"},
            {"max_bin", std::to_string(max_bins + 1)},
            {"eta", std::to_string(learning_rate)},
            {"lambda", "0"},
            {"seed", "0"},
            {"nthread", std::to_string(openmp_threads())},
            {"verbosity", "0"}};
}

Params binary_params(const Vector<float>& labels) {
    Params params = boosting_params("binary:logistic");
    params.emplace_back("base_score", std::to_string(labels.cast<double>().mean()));
    return params;
}

Matrix<float> predict(BoosterHandle booster, const Matrix<float>& X) {
    return xgb::predict(booster, X.data(), X.rows(), X.cols());
}

// Class probabilities, rows × classes.
Matrix<float> predict_proba(BoosterHandle booster, const Matrix<float>& X) {
    Matrix<float> out = predict(booster, X);
    return out.cols() == 1 ? two_columns(out.col(0)) : out;
}

int boosted_rounds(BoosterHandle booster) {
    int rounds = 0;
    check(XGBoosterBoostedRounds(booster, &rounds));
    return rounds;
}

// Fits `params` for `rounds` rounds once a benchmark iteration, each on a new DMatrix (untimed).
Booster timed_fits(benchmark::State& state, const Matrix<float>& X, const Vector<float>& labels, const Params& params,
                   int rounds, double& seconds) {
    Booster booster;
    seconds = 0;
    for (auto _ : state) {
        const DMatrix data = dmatrix(X, labels);
        booster.reset();
        const Stopwatch clock;
        booster = fit(data.get(), params, rounds);
        const double s = clock.seconds();
        state.SetIterationTime(s);
        seconds += s;
    }
    return booster;
}

void xgboost_classifier(benchmark::State& state, const BoostingClassificationCase& c, int rounds) {
    const Vector<float> labels = c.y.cast<float>();
    Params params;
    if (c.n_classes == 2) {
        params = binary_params(labels);
    } else {
        params = boosting_params("multi:softprob");
        params.emplace_back("num_class", std::to_string(c.n_classes));
    }
    double seconds = 0;
    const Booster booster = timed_fits(state, c.X, labels, params, rounds, seconds);
    report_fit(state, {.seconds = seconds,
                       .n_iter = boosted_rounds(booster.get()),
                       .trees_per_iter = c.n_classes == 2 ? 1 : c.n_classes,
                       .n = c.X.rows(),
                       .d = c.X.cols(),
                       .threads = openmp_threads(),
                       .quality = classification_quality(predict_proba(booster.get(), c.X_test), c.y_test)});
}

void xgboost_regressor(benchmark::State& state) {
    const BoostingRegressionCase& c = b2();
    const Vector<float> labels = c.y.cast<float>();
    Params params = boosting_params("reg:squarederror");
    params.emplace_back("base_score", std::to_string(c.y.mean()));
    double seconds = 0;
    const Booster booster = timed_fits(state, c.X, labels, params, boosting_iterations(), seconds);
    const Vector<double> predicted = predict(booster.get(), c.X_test).col(0).cast<double>();
    report_fit(state, {.seconds = seconds,
                       .n_iter = boosted_rounds(booster.get()),
                       .n = c.X.rows(),
                       .d = c.X.cols(),
                       .threads = openmp_threads(),
                       .quality = regression_quality(predicted, c.y_test)});
}

// B1's model for B4, fitted once, untimed. Never freed: freeing it at exit, after XGBoost's own
// static objects are gone, crashes.
BoosterHandle b1_model() {
    static BoosterHandle booster = [] {
        const Vector<float> labels = b1().y.cast<float>();
        const DMatrix data = dmatrix(b1().X, labels);
        return fit(data.get(), binary_params(labels), boosting_iterations()).release();
    }();
    return booster;
}

void xgboost_predict(benchmark::State& state) {
    BoosterHandle booster = b1_model();
    const Matrix<float>& X = b4_X();
    Matrix<float> probability;
    const Stopwatch clock;
    for (auto _ : state) probability = predict_proba(booster, X);
    report_predict(state, probability, openmp_threads(), clock.seconds());
}

const bool registered = [] {
    add_manual_time("BM_B1/xgboost_fit",
                    [](benchmark::State& s) { xgboost_classifier(s, b1(), boosting_iterations()); });
    add_manual_time("BM_B1/xgboost_one_tree", [](benchmark::State& s) { xgboost_classifier(s, b1(), 1); });
    add_manual_time("BM_B2/xgboost_fit", xgboost_regressor);
    add_manual_time("BM_B3/xgboost_fit",
                    [](benchmark::State& s) { xgboost_classifier(s, b3(), boosting_iterations()); });
    add("BM_B4/xgboost_predict", xgboost_predict);
    return true;
}();

}  // namespace
}  // namespace kestrel::bench
