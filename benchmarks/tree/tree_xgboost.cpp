// T1, T2 and T4 reference: XGBoost 1.7 (Debian's libxgboost-dev, C API), one boosting round of
// binary:logistic from base_score 0.5 with eta = 1, lambda = 0, alpha = 0, gamma = 0 and
// min_child_weight 0.1 (below one sample's hessian, 0.25: leaves of one sample allowed, as
// scikit-learn's min_samples_leaf = 1), on all OpenMP threads. XGBoost's split gain is the
// second-order one of the logistic loss, not gini, so its trees differ from the others'.
//   BM_T1/xgboost_{exact,hist}_{depth10,unlimited}
//       one tree, tree_method exact or hist (max_bin 256); depth 10, or unlimited: max_depth =
//       1000 (never reached), depthwise. (hist's other way to no limit, grow_policy lossguide with
//       max_depth = 0, expands one node at a time: on T1 it took 111 s, depthwise 19 s, against
//       1.1 s at depth 10, on a loaded machine.)
//   BM_T2/xgboost_rf
//       random-forest mode: num_parallel_tree trees in the one round, subsample 0.632 (rows drawn
//       without replacement, XGBoost has no bootstrap), colsample_bynode ⌊√d⌋/d, tree_method hist,
//       unlimited depth (max_depth 1000, depthwise)
//   BM_T4/xgboost_batch, BM_T4/xgboost_one_row
//       BM_T2's forest (fitted once, untimed) predicting T4's rows in one call, or one row a call,
//       through in-place prediction from dense rows (XGBoosterPredictFromDense); one row a call
//       on one thread
// Each fit gets a new DMatrix, made outside the timed region: XGBoost keeps the sorted columns
// (exact) and the histogram bins (hist) in the DMatrix, and they are the fit's work, so a reused
// one would leave them out of every fit but the first. The benchmarks time the fit alone
// (manual time: booster creation, parameters, UpdateOneIter).
// Node sample counts: XGBoost's model dump gives each node's cover, the sum of its samples'
// hessians, which in the first round from base_score 0.5 is 0.25 a sample: n_node_samples =
// 4 · cover (for the forest, of the rows each tree sampled).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "../support/data.hpp"
#include "../support/harness.hpp"
#include "../support/xgboost.hpp"
#include "cases.hpp"

namespace kestrel::bench {
namespace {

using namespace xgb;

// "No limit" for a depthwise tree: a depth no tree here reaches.
const std::string unlimited_depth = "1000";

Params common_params() {
    return {{"objective", "binary:logistic"}, {"base_score", "0.5"}, {"eta", "1"},
            {"lambda", "0"},                  {"alpha", "0"},        {"gamma", "0"},
            {"min_child_weight", "0.1"},      {"max_bin", std::to_string(max_bins)},
            {"nthread", std::to_string(openmp_threads())},           {"verbosity", "0"}};
}

// Probability of class 1 for n rows of d floats at `rows`, in one in-place call.
Vector<float> predict(BoosterHandle booster, const float* rows, Index n, Index d) {
    return xgb::predict(booster, rows, n, d).col(0);
}

Labels predict_labels(BoosterHandle booster, const Matrix<float>& X) {
    return threshold(predict(booster, X.data(), X.rows(), X.cols()));
}

// The trees of a booster from its text dump: per tree, a node a line, indented by its depth,
// "id:[f<feature><<threshold>] yes=..,cover=<c>" or "id:leaf=<value>,cover=<c>".
struct Shapes {
    double split_work = 0;
    double depth = 0;     // mean over the trees
    double n_leaves = 0;  // mean over the trees
};
Shapes shapes(BoosterHandle booster, double features) {
    bst_ulong n_trees = 0;
    const char** dump = nullptr;
    check(XGBoosterDumpModelEx(booster, "", 1, "text", &n_trees, &dump));
    Shapes s;
    for (bst_ulong t = 0; t < n_trees; ++t) {
        std::istringstream text(dump[t]);
        std::string line;
        std::vector<int> samples, feature;
        int depth = 0, leaves = 0;
        while (std::getline(text, line)) {
            if (line.empty()) continue;
            const auto indent = static_cast<int>(line.find_first_not_of('\t'));
            const auto cover = line.find("cover=");
            if (cover == std::string::npos) throw std::runtime_error("XGBoost dump without cover: " + line);
            samples.push_back(static_cast<int>(std::lround(4.0 * std::strtod(line.c_str() + cover + 6, nullptr))));
            const auto split = line.find(":[f");
            if (split == std::string::npos) {
                feature.push_back(-1);
                ++leaves;
                depth = std::max(depth, indent);
            } else {
                feature.push_back(std::atoi(line.c_str() + split + 3));
            }
        }
        TreeNodes nodes{Eigen::Map<const Eigen::VectorXi>(samples.data(), static_cast<Index>(samples.size())),
                        Eigen::Map<const Eigen::VectorXi>(feature.data(), static_cast<Index>(feature.size()))};
        s.split_work += split_work(nodes, features);
        s.depth += depth;
        s.n_leaves += leaves;
    }
    s.depth /= static_cast<double>(n_trees);
    s.n_leaves /= static_cast<double>(n_trees);
    return s;
}

// Fits `params` on T1's data once a benchmark iteration, each on a new DMatrix (untimed).
Booster timed_fits(benchmark::State& state, const Params& params, double& seconds) {
    const ClassificationCase& c = t1();
    Booster booster;
    seconds = 0;
    for (auto _ : state) {
        const DMatrix data = dmatrix(c.X, c.y.cast<float>());
        booster.reset();
        const Stopwatch clock;
        booster = fit(data.get(), params, 1);
        const double s = clock.seconds();
        state.SetIterationTime(s);
        seconds += s;
    }
    return booster;
}

void xgboost_tree(benchmark::State& state, const std::string& method, bool limited) {
    const ClassificationCase& c = t1();
    Params params = common_params();
    params.emplace_back("tree_method", method);
    params.emplace_back("max_depth", limited ? std::to_string(t1_max_depth) : unlimited_depth);
    double seconds = 0;
    const Booster booster = timed_fits(state, params, seconds);
    const Shapes s = shapes(booster.get(), static_cast<double>(c.X.cols()));
    report_fit(state, {.seconds = seconds,
                       .threads = openmp_threads(),
                       .split_work = s.split_work,
                       .depth = s.depth,
                       .n_leaves = s.n_leaves,
                       .quality = {{"accuracy", accuracy(predict_labels(booster.get(), c.X_test), c.y_test)},
                                   {"train_accuracy", accuracy(predict_labels(booster.get(), c.X), c.y)}}});
}

Params forest_params() {
    const ClassificationCase& c = t1();
    const int features = sqrt_features(c.X.cols());
    Params params = common_params();
    params.insert(params.end(), {{"tree_method", "hist"},
                                 {"max_depth", unlimited_depth},
                                 {"num_parallel_tree", std::to_string(forest_trees())},
                                 {"subsample", "0.632"},
                                 {"colsample_bynode", std::to_string(static_cast<double>(features) /
                                                                     static_cast<double>(c.X.cols()))},
                                 {"seed", "0"}});
    return params;
}

void xgboost_forest(benchmark::State& state) {
    const ClassificationCase& c = t1();
    double seconds = 0;
    const Booster booster = timed_fits(state, forest_params(), seconds);
    const Shapes s = shapes(booster.get(), sqrt_features(c.X.cols()));
    report_fit(state, {.seconds = seconds,
                       .n_trees = forest_trees(),
                       .threads = openmp_threads(),
                       .split_work = s.split_work,
                       .depth = s.depth,
                       .n_leaves = s.n_leaves,
                       .quality = {{"accuracy", accuracy(predict_labels(booster.get(), c.X_test), c.y_test)}}});
}

// T2's forest for T4, fitted once, untimed. Never freed: freeing it at exit, after XGBoost's own
// static objects are gone, crashes.
BoosterHandle t2_forest() {
    static BoosterHandle booster = [] {
        const DMatrix data = dmatrix(t1().X, t1().y.cast<float>());
        return fit(data.get(), forest_params(), 1).release();
    }();
    return booster;
}

void xgboost_batch(benchmark::State& state) {
    BoosterHandle booster = t2_forest();
    const Matrix<float>& X = t4_X();
    Vector<float> probability;
    const Stopwatch clock;
    for (auto _ : state) probability = predict(booster, X.data(), X.rows(), X.cols());
    const double seconds = clock.seconds();
    report_predict(state, threshold(probability), X.rows(), openmp_threads(), seconds);
}

void xgboost_one_row(benchmark::State& state) {
    BoosterHandle booster = t2_forest();
    const Matrix<float>& X = t4_X();
    const Index rows = one_row_rows();
    Vector<float> probability(rows);
    // One thread: a row is too little work to share, and a parallel region a call costs more than
    // the row (on a busy machine, milliseconds).
    check(XGBoosterSetParam(booster, "nthread", "1"));
    const Stopwatch clock;
    for (auto _ : state) {
        for (Index i = 0; i < rows; ++i) probability(i) = predict(booster, X.row(i).data(), 1, X.cols())(0);
    }
    const double seconds = clock.seconds();
    check(XGBoosterSetParam(booster, "nthread", std::to_string(openmp_threads()).c_str()));
    report_predict(state, threshold(probability), rows, 1, seconds);
}

const bool registered = [] {
    for (const std::string method : {"exact", "hist"}) {
        for (const bool limited : {true, false}) {
            add_manual_time("BM_T1/xgboost_" + method + (limited ? "_depth10" : "_unlimited"),
                            [method, limited](benchmark::State& s) { xgboost_tree(s, method, limited); });
        }
    }
    add_manual_time("BM_T2/xgboost_rf", xgboost_forest);
    add("BM_T4/xgboost_batch", xgboost_batch);
    add("BM_T4/xgboost_one_row", xgboost_one_row);
    return true;
}();

}  // namespace
}  // namespace kestrel::bench
