// monotonic_cst on the trees and forests (scikit-learn 1.4's rule; 1.2.1, the reference here, has
// no such parameter, so the property itself is tested): with the other features fixed, each
// estimator's prediction (a classifier's probability of its second class) only rises along a
// feature constrained 1 and only falls along one constrained -1. The same estimators fitted
// without the constraint break it on the same data, so every check can fail. Also: all-zero
// constraints give the unconstrained tree bit for bit, the constraint survives a save and load,
// and the refusals (length, values, multiclass, NaN).
#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"

#include <kestrel/ensemble.hpp>
#include <kestrel/io/persistence.hpp>
#include <kestrel/tree.hpp>

using namespace kestrel;
namespace ke = kestrel::ensemble;
namespace kt = kestrel::tree;
using Catch::Matchers::Contains;

namespace {

// 500 rows of 4 features in [0, 1]: y rises with x0 and falls with x1, with a wave in x2 and
// noise large enough that unconstrained trees zigzag along x0 and x1; `labels` thresholds a
// noisy y at its median.
struct data {
    Matrix<double> X;
    Vector<double> y;
    Labels labels;
};

data make_data() {
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::normal_distribution<double> noise(0.0, 0.6);
    const Index n = 500;
    data d{Matrix<double>(n, 4), Vector<double>(n), Labels(n)};
    std::vector<double> z(static_cast<std::size_t>(n));
    for (Index i = 0; i < n; ++i) {
        for (Index j = 0; j < 4; ++j) d.X(i, j) = unit(rng);
        d.y[i] = 2.0 * d.X(i, 0) - 1.5 * d.X(i, 1) + 0.4 * std::sin(6.0 * d.X(i, 2)) + noise(rng);
        z[static_cast<std::size_t>(i)] = d.y[i] + noise(rng);
    }
    std::vector<double> sorted = z;
    std::nth_element(sorted.begin(), sorted.begin() + n / 2, sorted.end());
    const double median = sorted[static_cast<std::size_t>(n / 2)];
    for (Index i = 0; i < n; ++i) d.labels[i] = z[static_cast<std::size_t>(i)] > median ? 1 : 0;
    return d;
}

// The largest step against `direction` (1: rising, -1: falling) of `predict` along feature f:
// 40 rows of X with f swept over 60 values from -0.1 to 1.1 each, the other features kept.
template <class Predict>
double worst_step(Predict&& predict, const Matrix<double>& X, Index f, int direction) {
    double worst = 0;
    for (Index r = 0; r < 40; ++r) {
        Matrix<double> sweep(60, X.cols());
        for (Index j = 0; j < 60; ++j) {
            sweep.row(j) = X.row(r);
            sweep(j, f) = -0.1 + 1.2 * static_cast<double>(j) / 59.0;
        }
        const Vector<double> p = predict(sweep);
        for (Index j = 0; j + 1 < 60; ++j) worst = std::max(worst, -(p[j + 1] - p[j]) * direction);
    }
    return worst;
}

// A classifier's clipped leaf holds class weights whose share is the bound up to rounding.
constexpr double rounding = 1e-12;

// Fits `make(constraints)` with {1, -1, 0, 0} and with none; checks that the constrained
// predictions never step against the constraints (beyond rounding) while the free ones do.
template <class Make, class Fit, class Predict>
void check_monotonic(const data& d, Make&& make, Fit&& fit, Predict&& predict) {
    auto constrained = make(std::vector<int>{1, -1, 0, 0});
    fit(constrained);
    auto free = make(std::vector<int>{});
    fit(free);
    const auto of = [&](const auto& model) { return [&](const Matrix<double>& X) { return predict(model, X); }; };
    CHECK(worst_step(of(constrained), d.X, 0, 1) <= rounding);
    CHECK(worst_step(of(constrained), d.X, 1, -1) <= rounding);
    CHECK(worst_step(of(free), d.X, 0, 1) + worst_step(of(free), d.X, 1, -1) > 1e-3);
}

}  // namespace

TEST_CASE("monotonic_cst: regression trees and forests rise and fall as constrained", "[tree][monotonic]") {
    const data d = make_data();
    const auto fit = [&](auto& m) { m.fit(d.X, d.y); };
    const auto predict = [](const auto& m, const Matrix<double>& X) { return Vector<double>(m.predict(X)); };
    for (const kt::Criterion c : {kt::Criterion::squared_error, kt::Criterion::friedman_mse,
                                  kt::Criterion::absolute_error}) {
        INFO("criterion " << static_cast<int>(c));
        check_monotonic(
            d, [&](std::vector<int> m) { return kt::DecisionTreeRegressor<double>({.criterion = c, .monotonic_cst = m}); },
            fit, predict);
        check_monotonic(
            d,
            [&](std::vector<int> m) {
                return kt::DecisionTreeRegressor<double>({.criterion = c, .max_leaf_nodes = 30, .monotonic_cst = m});
            },
            fit, predict);
        check_monotonic(
            d,
            [&](std::vector<int> m) {
                return kt::ExtraTreeRegressor<double>({.criterion = c, .random_state = 3, .monotonic_cst = m});
            },
            fit, predict);
    }
    // Poisson: y shifted positive.
    const Vector<double> counts = (d.y.array() + 4.0).round().max(0.0).matrix();
    check_monotonic(
        d,
        [&](std::vector<int> m) {
            return kt::DecisionTreeRegressor<double>({.criterion = kt::Criterion::poisson, .monotonic_cst = m});
        },
        [&](auto& m) { m.fit(d.X, counts); }, predict);
    // Histogram splits, and the forests (exact and histogram).
    check_monotonic(
        d, [&](std::vector<int> m) { return kt::DecisionTreeRegressor<double>({.monotonic_cst = m, .max_bins = 32}); },
        fit, predict);
    check_monotonic(
        d,
        [&](std::vector<int> m) {
            return ke::RandomForestRegressor<double>({.n_estimators = 10, .n_jobs = 1, .monotonic_cst = m});
        },
        fit, predict);
    check_monotonic(
        d,
        [&](std::vector<int> m) {
            return ke::RandomForestRegressor<double>(
                {.n_estimators = 10, .n_jobs = 1, .monotonic_cst = m, .max_bins = 64});
        },
        fit, predict);
    check_monotonic(
        d,
        [&](std::vector<int> m) {
            return ke::ExtraTreesRegressor<double>({.n_estimators = 10, .n_jobs = 1, .monotonic_cst = m});
        },
        fit, predict);
}

TEST_CASE("monotonic_cst: binary classifiers' probability of class 1 rises and falls as constrained",
          "[tree][monotonic]") {
    const data d = make_data();
    const auto fit = [&](auto& m) { m.fit(d.X, d.labels); };
    const auto predict = [](const auto& m, const Matrix<double>& X) {
        return Vector<double>(m.predict_proba(X).col(1));
    };
    for (const kt::Criterion c : {kt::Criterion::gini, kt::Criterion::entropy}) {
        INFO("criterion " << static_cast<int>(c));
        check_monotonic(
            d,
            [&](std::vector<int> m) { return kt::DecisionTreeClassifier<double>({.criterion = c, .monotonic_cst = m}); },
            fit, predict);
        check_monotonic(
            d,
            [&](std::vector<int> m) {
                return kt::DecisionTreeClassifier<double>({.criterion = c, .max_leaf_nodes = 25, .monotonic_cst = m});
            },
            fit, predict);
    }
    check_monotonic(
        d,
        [&](std::vector<int> m) {
            return kt::ExtraTreeClassifier<double>({.random_state = 5, .monotonic_cst = m});
        },
        fit, predict);
    check_monotonic(
        d, [&](std::vector<int> m) { return kt::DecisionTreeClassifier<double>({.monotonic_cst = m, .max_bins = 16}); },
        fit, predict);
    check_monotonic(
        d,
        [&](std::vector<int> m) {
            return ke::RandomForestClassifier<double>({.n_estimators = 10, .n_jobs = 1, .monotonic_cst = m});
        },
        fit, predict);
    check_monotonic(
        d,
        [&](std::vector<int> m) {
            return ke::ExtraTreesClassifier<double>({.n_estimators = 10, .n_jobs = 1, .monotonic_cst = m});
        },
        fit, predict);
    // Labels other than {0, 1}: the constraint is on the larger label's probability.
    Labels shifted = d.labels;
    for (Index i = 0; i < shifted.size(); ++i) shifted[i] = shifted[i] == 1 ? 7 : -3;
    kt::DecisionTreeClassifier<double> tree({.monotonic_cst = {1, -1, 0, 0}});
    tree.fit(d.X, shifted);
    const auto proba = [&](const Matrix<double>& X) { return Vector<double>(tree.predict_proba(X).col(1)); };
    CHECK(worst_step(proba, d.X, 0, 1) <= rounding);
    CHECK(worst_step(proba, d.X, 1, -1) <= rounding);
}

TEST_CASE("monotonic_cst: no constraint is the unconstrained tree; the constraint is saved", "[tree][monotonic]") {
    const data d = make_data();
    kt::DecisionTreeRegressor<double> zeros({.monotonic_cst = {0, 0, 0, 0}});
    kt::DecisionTreeRegressor<double> plain;
    zeros.fit(d.X, d.y);
    plain.fit(d.X, d.y);
    CHECK(zeros.tree().node_count == plain.tree().node_count);
    CHECK(zeros.tree().threshold == plain.tree().threshold);
    CHECK(zeros.tree().value == plain.tree().value);
    // A constrained tree differs from the free one.
    kt::DecisionTreeRegressor<double> constrained({.monotonic_cst = {1, -1, 0, 0}});
    constrained.fit(d.X, d.y);
    CHECK(!(constrained.predict(d.X) == plain.predict(d.X)));
    std::stringstream file;
    io::save(constrained, file);
    const auto loaded = io::load<kt::DecisionTreeRegressor<double>>(file);
    CHECK(loaded.params().monotonic_cst == std::vector<int>{1, -1, 0, 0});
    CHECK(loaded.predict(d.X) == constrained.predict(d.X));
    std::stringstream forest_file;
    ke::RandomForestClassifier<double> forest({.n_estimators = 4, .n_jobs = 1, .monotonic_cst = {0, 1, 0, -1}});
    forest.fit(d.X, d.labels);
    io::save(forest, forest_file);
    CHECK(io::load<ke::RandomForestClassifier<double>>(forest_file).params().monotonic_cst ==
          std::vector<int>{0, 1, 0, -1});
}

TEST_CASE("monotonic_cst: refusals", "[tree][monotonic]") {
    const data d = make_data();
    CHECK_THROWS_AS(kt::DecisionTreeRegressor<double>({.monotonic_cst = {1, 2, 0, 0}}).fit(d.X, d.y),
                    invalid_parameter);
    CHECK_THROWS_WITH(kt::DecisionTreeRegressor<double>({.monotonic_cst = {1, 2, 0, 0}}).fit(d.X, d.y),
                      Contains("monotonic_cst") && Contains("-1, 0 and 1"));
    CHECK_THROWS_WITH(kt::DecisionTreeRegressor<double>({.monotonic_cst = {1, 0}}).fit(d.X, d.y),
                      Contains("monotonic_cst holds 2 constraints; it needs one per feature (4)"));
    CHECK_THROWS_WITH(ke::RandomForestRegressor<double>({.n_jobs = 1, .monotonic_cst = {1}}).fit(d.X, d.y),
                      Contains("needs one per feature"));
    Labels three = d.labels;
    for (Index i = 0; i < three.size(); i += 3) three[i] = 2;
    CHECK_THROWS_AS(kt::DecisionTreeClassifier<double>({.monotonic_cst = {1, 0, 0, 0}}).fit(d.X, three),
                    invalid_parameter);
    CHECK_THROWS_WITH(kt::DecisionTreeClassifier<double>({.monotonic_cst = {1, 0, 0, 0}}).fit(d.X, three),
                      Contains("multiclass"));
    // As scikit-learn 1.4, any monotonic_cst (all zeros too) refuses three classes and NaN.
    CHECK_THROWS_WITH(kt::DecisionTreeClassifier<double>({.monotonic_cst = {0, 0, 0, 0}}).fit(d.X, three),
                      Contains("multiclass"));
    CHECK_NOTHROW(kt::DecisionTreeClassifier<double>().fit(d.X, three));
    Matrix<double> missing = d.X;
    missing(5, 2) = std::numeric_limits<double>::quiet_NaN();
    CHECK_NOTHROW(kt::DecisionTreeRegressor<double>().fit(missing, d.y));
    CHECK_THROWS_AS(kt::DecisionTreeRegressor<double>({.monotonic_cst = {1, 0, 0, 0}}).fit(missing, d.y),
                    invalid_input);
    CHECK_THROWS_WITH(kt::DecisionTreeRegressor<double>({.monotonic_cst = {1, 0, 0, 0}}).fit(missing, d.y),
                      Contains("monotonic"));
    CHECK_THROWS_WITH(ke::RandomForestClassifier<double>({.n_jobs = 1, .monotonic_cst = {0, 0, 1, 0}})
                          .fit(missing, d.labels),
                      Contains("monotonic"));
    CHECK_THROWS_AS(kt::DecisionTreeRegressor<double>({.monotonic_cst = {0, 0, 0, 0}}).fit(missing, d.y),
                    invalid_input);
}
