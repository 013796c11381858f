#include "cases.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <kestrel/core/random.hpp>

#include "../support/data.hpp"
#include "../support/harness.hpp"

namespace kestrel::bench {

namespace {

Labels labels(std::string_view name) { return load_vector<double>(name).cast<int>(); }

// Smoke data: the full cases' features and classes at a size that fits in milliseconds, from
// standard normal features (no datasets header to compile into the binary): the class is
// the largest of `classes` random linear scores, plus noise, of the first half of the features (for
// two classes the sign of one); the regression target a random linear function of the first half
// plus noise of standard deviation 10, as make_regression's.
constexpr Index smoke_n = 2000, smoke_n_test = 500, smoke_n_predict = 10000;

struct SmokeDraw {
    Matrix<float> X;
    Labels y;
    Vector<double> target;
};

SmokeDraw smoke_draw(Index rows, Index d, int classes, std::uint64_t seed) {
    random_engine rng(seed);
    const Matrix<double> X = gaussian(rows, d, rng);
    const Index informative = d / 2;
    const Matrix<double> W = 100.0 * gaussian(informative, std::max(classes, 1), rng);
    const Matrix<double> scores = X.leftCols(informative) * W + 10.0 * gaussian(rows, W.cols(), rng);
    SmokeDraw out{X.cast<float>(), Labels(rows), scores.col(0)};
    for (Index i = 0; i < rows; ++i) {
        Index best = 0;
        if (classes > 2) scores.row(i).maxCoeff(&best);
        out.y(i) = classes > 2 ? static_cast<int>(best) : (scores(i, 0) > 0 ? 1 : 0);
    }
    return out;
}

// B1's rows and B4's: one draw, split into training, held-out and B4's rows, as generate_data.py.
struct ClassificationDraw {
    BoostingClassificationCase c;
    Matrix<float> predict_X;
    Labels predict_y;
};

const ClassificationDraw& b1_draw() {
    static const ClassificationDraw d = [] {
        ClassificationDraw out;
        if (!smoke()) {
            out.c = {load<float>("b1_X"), labels("b1_y"), load<float>("b1_test_X"), labels("b1_test_y"), 2};
            out.predict_X = load<float>("b4_X");
            out.predict_y = labels("b4_y");
            return out;
        }
        const Index n = smoke_n, n_test = smoke_n_test, n_predict = smoke_n_predict;
        const SmokeDraw data = smoke_draw(n + n_test + n_predict, 28, 2, 30);
        out.c = {data.X.topRows(n), data.y.head(n), data.X.middleRows(n, n_test), data.y.segment(n, n_test), 2};
        out.predict_X = data.X.bottomRows(n_predict);
        out.predict_y = data.y.tail(n_predict);
        return out;
    }();
    return d;
}

// The histogram-building proxy is set against one read of an array the size of B1's X (112 MB):
// the read bandwidth of this machine, measured after the FMA ceilings and before every other
// benchmark.
[[gnu::init_priority(1001)]] const ReadCeiling read_b1("B1", [] { return b1().X.size(); });

}  // namespace

const BoostingClassificationCase& b1() { return b1_draw().c; }
const Matrix<float>& b4_X() { return b1_draw().predict_X; }
const Labels& b4_y() { return b1_draw().predict_y; }

const BoostingClassificationCase& b3() {
    static const BoostingClassificationCase c = [] {
        if (!smoke()) {
            return BoostingClassificationCase{load<float>("b3_X"), labels("b3_y"), load<float>("b3_test_X"),
                                              labels("b3_test_y"), 10};
        }
        const Index n = smoke_n, n_test = smoke_n_test;
        const SmokeDraw data = smoke_draw(n + n_test, 50, 10, 32);
        return BoostingClassificationCase{data.X.topRows(n), data.y.head(n), data.X.bottomRows(n_test),
                                          data.y.tail(n_test), 10};
    }();
    return c;
}

const BoostingRegressionCase& b2() {
    static const BoostingRegressionCase c = [] {
        if (!smoke()) {
            return BoostingRegressionCase{load<float>("b2_X"), load_vector<double>("b2_y"), load<float>("b2_test_X"),
                                          load_vector<double>("b2_test_y")};
        }
        const Index n = smoke_n, n_test = smoke_n_test;
        const SmokeDraw data = smoke_draw(n + n_test, 20, 1, 31);
        return BoostingRegressionCase{data.X.topRows(n), data.target.head(n), data.X.bottomRows(n_test),
                                      data.target.tail(n_test)};
    }();
    return c;
}

int boosting_iterations() { return smoke() ? 10 : 100; }

void report_fit(benchmark::State& state, const BoostingFigures& f) {
    for (const auto& [name, value] : f.quality) state.counters[name] = value;
    const double seconds_per_fit = f.seconds / fits(state);
    const int n_trees = f.n_iter * f.trees_per_iter;
    state.counters["n_iter"] = f.n_iter;
    state.counters["n_trees"] = n_trees;
    state.counters["s_per_tree"] = seconds_per_fit / std::max(n_trees, 1);
    state.counters["threads"] = f.threads;
    state.counters["hist_updates/s"] =
        static_cast<double>(f.n) * static_cast<double>(f.d) * static_cast<double>(n_trees) / seconds_per_fit;
}

std::vector<std::pair<std::string, double>> classification_quality(const Matrix<float>& probability,
                                                                   const Labels& truth) {
    return {{"log_loss", log_loss(probability, truth)}, {"accuracy", argmax_accuracy(probability, truth)}};
}

std::vector<std::pair<std::string, double>> regression_quality(const Vector<double>& predicted,
                                                               const Vector<double>& truth) {
    const double sse = (truth - predicted).squaredNorm();
    const double sst = (truth.array() - truth.mean()).square().sum();
    return {{"r2", 1.0 - sse / sst}, {"mse", sse / static_cast<double>(truth.size())}};
}

void report_predict(benchmark::State& state, const Matrix<float>& probability, int threads, double seconds) {
    const Index rows = probability.rows();
    state.counters["us_per_row"] = seconds / fits(state) / static_cast<double>(rows) * 1e6;
    state.counters["rows"] = static_cast<double>(rows);
    state.counters["threads"] = threads;
    state.counters["log_loss"] = log_loss(probability, b4_y().head(rows));
    state.counters["accuracy"] = argmax_accuracy(probability, b4_y().head(rows));
}

double log_loss(const Matrix<float>& probability, const Labels& truth) {
    double total = 0;
    for (Index i = 0; i < truth.size(); ++i) {
        total -= std::log(std::max(static_cast<double>(probability(i, truth(i))), 1e-15));
    }
    return total / static_cast<double>(truth.size());
}

double argmax_accuracy(const Matrix<float>& probability, const Labels& truth) {
    Index correct = 0;
    for (Index i = 0; i < truth.size(); ++i) {
        Index best = 0;
        probability.row(i).maxCoeff(&best);
        correct += best == truth(i) ? 1 : 0;
    }
    return static_cast<double>(correct) / static_cast<double>(truth.size());
}

Matrix<float> two_columns(const Eigen::Ref<const Vector<float>>& p) {
    Matrix<float> out(p.size(), 2);
    out.col(0) = 1.0F - p.array();
    out.col(1) = p;
    return out;
}

}  // namespace kestrel::bench
