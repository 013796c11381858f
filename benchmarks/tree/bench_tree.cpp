// T1: one decision tree (gini, all features examined a split), kestrel's exact splitter (max_bins
// = 0) and its histogram one (max_bins = 256, the binning inside the timed fit), to depth 10 and
// unlimited, on all OpenMP threads. References: tree_xgboost.cpp beside this file (XGBoost exact
// and hist, one round) and scikit-learn's DecisionTreeClassifier in benchmarks/sklearn_bench.py.
//   BM_T1/kestrel_{exact,hist}_{depth10,unlimited}
#include <optional>
#include <string>

#include <kestrel/tree.hpp>

#include "../support/harness.hpp"
#include "cases.hpp"

namespace kestrel::bench {
namespace {

using tree::DecisionTreeClassifier;

void kestrel_tree(benchmark::State& state, int bins, bool limited) {
    const ClassificationCase& c = t1();
    const std::optional<int> depth = limited ? std::optional<int>(t1_max_depth) : std::nullopt;
    DecisionTreeClassifier<float> model({.max_depth = depth, .random_state = 0, .max_bins = bins});
    const Stopwatch clock;
    for (auto _ : state) model.fit(c.X, c.y);
    const double seconds = clock.seconds();
    const TreeNodes nodes{model.tree().n_node_samples, model.tree().feature};
    report_fit(state, {.seconds = seconds,
                       .threads = openmp_threads(),
                       .split_work = split_work(nodes, static_cast<double>(c.X.cols())),
                       .depth = static_cast<double>(model.get_depth()),
                       .n_leaves = static_cast<double>(model.get_n_leaves()),
                       .quality = {{"accuracy", accuracy(model.predict(c.X_test), c.y_test)},
                                   {"train_accuracy", accuracy(model.predict(c.X), c.y)}}});
}

const bool registered = [] {
    for (const bool hist : {false, true}) {
        for (const bool limited : {true, false}) {
            add(std::string("BM_T1/kestrel_") + (hist ? "hist" : "exact") + (limited ? "_depth10" : "_unlimited"),
                [hist, limited](benchmark::State& s) { kestrel_tree(s, hist ? max_bins : 0, limited); });
        }
    }
    return true;
}();

}  // namespace
}  // namespace kestrel::bench
