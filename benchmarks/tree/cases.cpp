#include "cases.hpp"

#include <cmath>
#include <cstdint>

#include <kestrel/datasets/make_classification.hpp>
#include <kestrel/datasets/make_regression.hpp>

#include "../support/data.hpp"
#include "../support/harness.hpp"

namespace kestrel::bench {

namespace {

Labels labels(std::string_view name) { return load_vector<double>(name).cast<int>(); }

// T1's rows and T4's: one draw, split into training, held-out and T4's rows, as generate_data.py.
struct ClassificationDraw {
    ClassificationCase c;
    Matrix<float> predict_X;
    Labels predict_y;
};

const ClassificationDraw& t1_draw() {
    static const ClassificationDraw d = [] {
        ClassificationDraw out;
        if (!smoke()) {
            out.c = {load<float>("t1_X"), labels("t1_y"), load<float>("t1_test_X"), labels("t1_test_y")};
            out.predict_X = load<float>("t4_X");
            out.predict_y = labels("t4_y");
            return out;
        }
        const Index n = 2000, n_test = 500, n_predict = 10000, d = 50;
        auto data = datasets::make_classification({.n_samples = n + n_test + n_predict,
                                                   .n_features = d,
                                                   .n_informative = d / 5,
                                                   .n_redundant = d / 10,
                                                   .random_state = 20});
        const Matrix<float> X = data.X.cast<float>();
        out.c = {X.topRows(n), data.y.head(n), X.middleRows(n, n_test), data.y.segment(n, n_test)};
        out.predict_X = X.bottomRows(n_predict);
        out.predict_y = data.y.tail(n_predict);
        return out;
    }();
    return d;
}

}  // namespace

const ClassificationCase& t1() { return t1_draw().c; }
const Matrix<float>& t4_X() { return t1_draw().predict_X; }
const Labels& t4_y() { return t1_draw().predict_y; }

const RegressionCase& t3() {
    static const RegressionCase c = [] {
        if (!smoke()) {
            return RegressionCase{load<float>("t3_X"), load_vector<double>("t3_y"), load<float>("t3_test_X"),
                                  load_vector<double>("t3_test_y")};
        }
        const Index n = 2000, n_test = 500, d = 20;
        auto data = datasets::make_regression<double>(
            {.n_samples = n + n_test, .n_features = d, .n_informative = d / 2, .noise = 10.0, .random_state = 21});
        const Matrix<float> X = data.X.cast<float>();
        return RegressionCase{X.topRows(n), data.y.head(n), X.bottomRows(n_test), data.y.tail(n_test)};
    }();
    return c;
}

int forest_trees() { return smoke() ? 5 : 100; }

int sqrt_features(Index d) { return static_cast<int>(std::floor(std::sqrt(static_cast<double>(d)))); }

Index one_row_rows() { return std::min<Index>(smoke() ? 200 : 10000, t4_X().rows()); }

double split_work(const TreeNodes& tree, double features) {
    double work = 0;
    for (Index node = 0; node < tree.feature.size(); ++node) {
        if (tree.feature(node) >= 0) work += static_cast<double>(tree.n_node_samples(node));
    }
    return work * features;
}

void report_fit(benchmark::State& state, const FitFigures& f) {
    using benchmark::Counter;
    for (const auto& [name, value] : f.quality) state.counters[name] = value;
    const double seconds_per_fit = f.seconds / fits(state);
    state.counters["n_trees"] = f.n_trees;
    state.counters["s_per_tree"] = seconds_per_fit / f.n_trees;
    state.counters["threads"] = f.threads;
    if (f.depth >= 0) state.counters["depth"] = f.depth;
    if (f.n_leaves >= 0) state.counters["n_leaves"] = f.n_leaves;
    if (f.split_work >= 0) state.counters["sample_features/s"] = f.split_work / seconds_per_fit;
}

void report_predict(benchmark::State& state, const Labels& predicted, Index rows, int threads, double seconds) {
    state.counters["us_per_row"] = seconds / fits(state) / static_cast<double>(rows) * 1e6;
    state.counters["rows"] = static_cast<double>(rows);
    state.counters["threads"] = threads;
    state.counters["accuracy"] = accuracy(predicted.head(rows), t4_y().head(rows));
}

double accuracy(const Labels& predicted, const Labels& truth) {
    return static_cast<double>((predicted.array() == truth.array()).count()) / static_cast<double>(truth.size());
}

Labels threshold(const Eigen::Ref<const Vector<float>>& probability) {
    return (probability.array() > 0.5F).cast<int>();
}

double r2(const Vector<double>& predicted, const Vector<double>& truth) {
    const double sse = (truth - predicted).squaredNorm();
    const double sst = (truth.array() - truth.mean()).square().sum();
    return 1.0 - sse / sst;
}

}  // namespace kestrel::bench
