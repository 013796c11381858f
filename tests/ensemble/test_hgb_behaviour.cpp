// HistGradientBoostingRegressor / Classifier: what kestrel promises beyond scikit-learn's numbers
// (test_hgb_parity.cpp has those): the same model for any n_jobs, a warm start equal to one fit,
// staged predictions ending at predict, monotonic constraints holding everywhere, unknown
// categories routed as missing values; and every kind of bad input refused with a typed
// exception naming what is wrong.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "catch.hpp"

#include <kestrel/core/progress.hpp>
#include <kestrel/core/random.hpp>
#include <kestrel/core/warnings.hpp>
#include <kestrel/ensemble/hist_gradient_boosting_classifier.hpp>
#include <kestrel/ensemble/hist_gradient_boosting_regressor.hpp>

using namespace kestrel;
namespace ke = kestrel::ensemble;
using Catch::Matchers::Contains;

namespace {

// n rows of d uniform features; y = a smooth function of the first three plus noise.
struct data {
    Matrix<double> X;
    Vector<double> y;
    Labels labels;
};

data make(Index n, Index d, std::uint64_t seed) {
    random_engine rng(seed);
    data out{Matrix<double>(n, d), Vector<double>(n), Labels(n)};
    for (Index i = 0; i < n; ++i) {
        for (Index j = 0; j < d; ++j) out.X(i, j) = rng.uniform();
        out.y[i] = 4 * out.X(i, 0) - 2 * out.X(i, 1) * out.X(i, 2) + 0.3 * rng.uniform();
        out.labels[i] = out.y[i] > 1.2 ? 2 : (out.y[i] > 0.4 ? 1 : 0);
    }
    return out;
}

// A model fitted `first` iterations, then warm-started to params.max_iter.
template <class Model, class Params, class Y>
Model warm_started(Params params, int first, const Matrix<double>& X, const Y& y) {
    const int last = params.max_iter;
    params.max_iter = first;
    params.warm_start = true;
    Model model(params);
    model.fit(X, y);
    params.max_iter = last;
    model.set_params(params).fit(X, y);
    return model;
}

}  // namespace

TEST_CASE("HistGradientBoosting: the same model, bit for bit, for any n_jobs", "[ensemble][hgb]") {
    // Over 65,536 rows, so that the node partitions run in blocks.
    const data D = make(70000, 6, 1);
    const Matrix<double> X_test = D.X.topRows(500);
    std::vector<Vector<double>> regression;
    std::vector<Matrix<double>> classification;
    for (int jobs : {1, 2, 0}) {
        ke::HistGradientBoostingRegressor<double> r({.max_iter = 8, .early_stopping = false, .n_jobs = jobs});
        regression.push_back(r.fit(D.X, D.y).predict(X_test));
        ke::HistGradientBoostingClassifier<double> c({.max_iter = 4, .early_stopping = false, .n_jobs = jobs});
        classification.push_back(c.fit(D.X, D.labels).decision_function(X_test));
    }
    CHECK(regression[0] == regression[1]);
    CHECK(regression[0] == regression[2]);
    CHECK(classification[0] == classification[1]);
    CHECK(classification[0] == classification[2]);
    SECTION("three weighted classes, whose trees grow one a thread on several threads") {
        Vector<double> w(D.X.rows());
        random_engine rng(5);
        for (Index i = 0; i < w.size(); ++i) w[i] = 0.5 + rng.uniform();
        std::vector<Matrix<double>> weighted;
        for (int jobs : {1, 2, 0}) {
            ke::HistGradientBoostingClassifier<double> c({.max_iter = 3, .early_stopping = false, .n_jobs = jobs});
            weighted.push_back(c.fit(D.X, D.labels, w).decision_function(X_test));
        }
        CHECK(weighted[0] == weighted[1]);
        CHECK(weighted[0] == weighted[2]);
    }
}

TEST_CASE("HistGradientBoosting: warm starts, staged predictions and automatic early stopping", "[ensemble][hgb]") {
    const data D = make(600, 5, 2);
    SECTION("a warm start that adds iterations equals one fit") {
        ke::HistGradientBoostingRegressor<double> once({.max_iter = 12, .early_stopping = false});
        once.fit(D.X, D.y);
        ke::HistGradientBoostingRegressor<double> twice({.max_iter = 5, .warm_start = true, .early_stopping = false});
        twice.fit(D.X, D.y);
        auto p = twice.params();
        p.max_iter = 12;
        twice.set_params(p).fit(D.X, D.y);
        CHECK(twice.n_iter() == 12);
        CHECK(twice.predict(D.X) == once.predict(D.X));
        p.max_iter = 4;
        CHECK_THROWS_AS(twice.set_params(p).fit(D.X, D.y), invalid_parameter);
    }
    SECTION("so does one whose trees have more than 256 leaves (their raw scores added leaf by leaf)") {
        const data many = make(3000, 5, 4);
        const ke::HistGradientBoostingRegressorParams deep{
            .max_iter = 4, .max_leaf_nodes = std::nullopt, .min_samples_leaf = 1, .early_stopping = false};
        ke::HistGradientBoostingRegressor<double> once(deep);
        once.fit(many.X, many.y);
        // The first tree's distinct predictions on its training rows: fewer than its leaves.
        const Vector<double> first = once.staged_predict(many.X).front();
        std::vector<double> distinct(first.data(), first.data() + first.size());
        std::sort(distinct.begin(), distinct.end());
        distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
        REQUIRE(distinct.size() > 256);
        const auto twice = warm_started<ke::HistGradientBoostingRegressor<double>>(deep, 2, many.X, many.y);
        CHECK(twice.predict(many.X) == once.predict(many.X));
        // Three classes: each iteration's trees side by side.
        const ke::HistGradientBoostingClassifierParams deep_c{
            .max_iter = 3, .max_leaf_nodes = std::nullopt, .min_samples_leaf = 1, .early_stopping = false};
        ke::HistGradientBoostingClassifier<double> c_once(deep_c);
        c_once.fit(many.X, many.labels);
        const auto c_twice = warm_started<ke::HistGradientBoostingClassifier<double>>(deep_c, 1, many.X, many.labels);
        CHECK(c_twice.decision_function(many.X) == c_once.decision_function(many.X));
    }
    SECTION("staged predictions: one per iteration, the last equal to predict") {
        ke::HistGradientBoostingClassifier<double> c({.max_iter = 7, .early_stopping = false});
        c.fit(D.X, D.labels);
        const auto staged = c.staged_predict_proba(D.X);
        REQUIRE(staged.size() == 7);
        CHECK(staged.back() == c.predict_proba(D.X));
        CHECK(c.staged_predict(D.X).back() == c.predict(D.X));
        CHECK(c.staged_decision_function(D.X).back() == c.decision_function(D.X));
        CHECK(c.n_trees_per_iteration() == 3);
        CHECK(c.train_score().size() == 0);
    }
    SECTION("early stopping is on above 10,000 samples unless set") {
        const data big = make(10001, 3, 3);
        ke::HistGradientBoostingRegressor<double> r({.max_iter = 3});
        r.fit(big.X, big.y);
        CHECK(r.do_early_stopping());
        CHECK(r.validation_score().size() == r.n_iter() + 1);
        ke::HistGradientBoostingRegressor<double> small({.max_iter = 3});
        small.fit(D.X, D.y);
        CHECK_FALSE(small.do_early_stopping());
        CHECK(small.n_iter() == 3);
    }
}

TEST_CASE("HistGradientBoosting: monotonic constraints hold at every point", "[ensemble][hgb]") {
    const data D = make(800, 4, 4);
    ke::HistGradientBoostingRegressor<double> r({.max_iter = 30, .monotonic_cst = {1, -1, 0, 0}, .early_stopping = false});
    r.fit(D.X, D.y);
    // Along a grid of feature 0 (increasing) and feature 1 (decreasing), others fixed per row.
    for (Index i = 0; i < 50; ++i) {
        Matrix<double> grid(21, 4);
        for (Index g = 0; g < 21; ++g) {
            grid.row(g) = D.X.row(i);
            grid(g, 0) = static_cast<double>(g) / 20;
        }
        const Vector<double> up = r.predict(grid);
        for (Index g = 1; g < 21; ++g) CHECK(up[g] >= up[g - 1]);
        for (Index g = 0; g < 21; ++g) grid(g, 0) = D.X(i, 0), grid(g, 1) = static_cast<double>(g) / 20;
        const Vector<double> down = r.predict(grid);
        for (Index g = 1; g < 21; ++g) CHECK(down[g] <= down[g - 1]);
    }
}

TEST_CASE("HistGradientBoosting: categories unseen in fit go where missing values go", "[ensemble][hgb]") {
    data D = make(600, 3, 5);
    for (Index i = 0; i < D.X.rows(); ++i) D.X(i, 0) = std::floor(D.X(i, 0) * 5);  // codes 0..4
    ke::HistGradientBoostingRegressor<double> r({.max_iter = 10, .categorical_features = {0}, .early_stopping = false});
    r.fit(D.X, D.y);
    REQUIRE(r.is_categorical() == std::vector<bool>{true, false, false});
    CHECK(r.bin_thresholds()[0] == std::vector<double>{0, 1, 2, 3, 4});
    Matrix<double> unseen = D.X.topRows(20), missing = unseen;
    unseen.col(0).setConstant(7);
    missing.col(0).setConstant(std::numeric_limits<double>::quiet_NaN());
    CHECK(r.predict(unseen) == r.predict(missing));
}

TEST_CASE("HistGradientBoosting: bad input is refused with a typed exception", "[ensemble][hgb][errors]") {
    const data D = make(200, 3, 6);
    using R = ke::HistGradientBoostingRegressor<double>;
    using C = ke::HistGradientBoostingClassifier<double>;
    const auto fit_r = [&](R::Params p, const Matrix<double>& X, const Vector<double>& y) { R(p).fit(X, y); };
    SECTION("parameters") {
        CHECK_THROWS_WITH(fit_r({.learning_rate = 0}, D.X, D.y), Contains("learning_rate") && Contains("> 0"));
        CHECK_THROWS_AS(fit_r({.learning_rate = -1}, D.X, D.y), invalid_parameter);
        CHECK_THROWS_WITH(fit_r({.max_bins = 256}, D.X, D.y), Contains("max_bins") && Contains("[2, 255]"));
        CHECK_THROWS_AS(fit_r({.max_bins = 1}, D.X, D.y), invalid_parameter);
        CHECK_THROWS_WITH(fit_r({.max_leaf_nodes = 1}, D.X, D.y), Contains("max_leaf_nodes"));
        CHECK_THROWS_AS(fit_r({.max_iter = 0}, D.X, D.y), invalid_parameter);
        CHECK_THROWS_AS(fit_r({.max_depth = 0}, D.X, D.y), invalid_parameter);
        CHECK_THROWS_AS(fit_r({.min_samples_leaf = 0}, D.X, D.y), invalid_parameter);
        CHECK_THROWS_AS(fit_r({.l2_regularization = -0.5}, D.X, D.y), invalid_parameter);
        CHECK_THROWS_AS(fit_r({.validation_fraction = 1.5}, D.X, D.y), invalid_parameter);
        CHECK_THROWS_AS(fit_r({.n_iter_no_change = 0}, D.X, D.y), invalid_parameter);
        CHECK_THROWS_WITH(fit_r({.loss = ke::Loss::quantile}, D.X, D.y), Contains("quantile"));
        CHECK_THROWS_WITH(fit_r({.loss = ke::Loss::log_loss}, D.X, D.y), Contains("loss"));
        CHECK_THROWS_WITH(C({.loss = ke::Loss::squared_error}).fit(D.X, D.labels), Contains("log_loss"));
    }
    SECTION("constraints naming features X does not have") {
        CHECK_THROWS_WITH(fit_r({.categorical_features = {3}}, D.X, D.y), Contains("categorical_features") && Contains("3"));
        CHECK_THROWS_AS(fit_r({.categorical_features = {-1}}, D.X, D.y), invalid_parameter);
        CHECK_THROWS_WITH(fit_r({.monotonic_cst = {1, 0}}, D.X, D.y), Contains("monotonic_cst") && Contains("one per feature"));
        CHECK_THROWS_AS(fit_r({.monotonic_cst = {2, 0, 0}}, D.X, D.y), invalid_parameter);
        CHECK_THROWS_WITH(fit_r({.interaction_cst = {{0, 1}, {5}}}, D.X, D.y), Contains("interaction_cst") && Contains("5"));
        CHECK_THROWS_AS(fit_r({.interaction_cst = {{-2}}}, D.X, D.y), invalid_parameter);
        CHECK_THROWS_WITH(fit_r({.categorical_features = {0}, .monotonic_cst = {1, 0, 0}}, D.X, D.y), Contains("categorical"));
        CHECK_THROWS_WITH(C({.monotonic_cst = {1, 0, 0}}).fit(D.X, D.labels), Contains("multiclass"));
    }
    SECTION("categorical codes: negative, fractional, or not below max_bins") {
        Matrix<double> X = D.X;
        for (Index i = 0; i < X.rows(); ++i) X(i, 1) = static_cast<double>(i % 4);
        CHECK_NOTHROW(fit_r({.max_iter = 2, .categorical_features = {1}}, X, D.y));
        X(7, 1) = -1;
        CHECK_THROWS_WITH(fit_r({.categorical_features = {1}}, X, D.y), Contains("categorical feature 1") && Contains(">= 0"));
        X(7, 1) = 1.5;
        CHECK_THROWS_AS(fit_r({.categorical_features = {1}}, X, D.y), invalid_input);
        X(7, 1) = 40;
        CHECK_THROWS_WITH(fit_r({.max_bins = 32, .categorical_features = {1}}, X, D.y), Contains("max_bins = 32"));
    }
    SECTION("targets and values") {
        Vector<double> y = D.y;
        y[3] = -1;
        CHECK_THROWS_WITH(fit_r({.loss = ke::Loss::poisson}, D.X, y), Contains("poisson") && Contains("y >= 0"));
        CHECK_THROWS_AS(fit_r({.loss = ke::Loss::poisson}, D.X, Vector<double>(Vector<double>::Zero(200))), invalid_input);
        y[3] = std::numeric_limits<double>::quiet_NaN();
        CHECK_THROWS_AS(fit_r({}, D.X, y), invalid_input);
        Matrix<double> X = D.X;
        X(2, 2) = std::numeric_limits<double>::infinity();
        CHECK_THROWS_WITH(fit_r({}, X, D.y), Contains("infinite"));
        CHECK_THROWS_AS(fit_r({}, D.X, Vector<double>(D.y.head(10))), invalid_input);
        CHECK_THROWS_AS(C().fit(D.X, Labels(Labels::Zero(200))), invalid_input);
        CHECK_THROWS_AS(fit_r({}, Matrix<double>(0, 3), Vector<double>()), invalid_input);
    }
    SECTION("predicting: before fit, or with other features") {
        R r({.max_iter = 2});
        CHECK_THROWS_AS(r.predict(D.X), not_fitted);
        r.fit(D.X, D.y);
        CHECK_THROWS_AS(r.predict(Matrix<double>(D.X.leftCols(2))), invalid_input);
        Matrix<double> X = D.X;
        X(0, 0) = -std::numeric_limits<double>::infinity();
        CHECK_THROWS_AS(r.predict(X), invalid_input);
        X(0, 0) = std::numeric_limits<double>::quiet_NaN();
        CHECK_NOTHROW(r.predict(X));
        CHECK_THROWS_AS(R().n_iter(), not_fitted);
    }
}

TEST_CASE("HistGradientBoosting: a progress callback hears each iteration and can stop the fit", "[ensemble][hgb][progress]") {
    const data D = make(3000, 5, 4);
    std::vector<progress> reports;
    std::vector<warning_category> seen;
    const scoped_warning_handler capture([&](const warning& w) { seen.push_back(w.category); });
    ke::HistGradientBoostingClassifier<double> stopped({.max_iter = 30, .early_stopping = true, .n_iter_no_change = 100});
    stopped.set_progress_callback([&](const progress& p) {
        reports.push_back(p);
        return p.iteration == 4 ? progress_action::stop : progress_action::proceed;
    });
    stopped.fit(D.X, D.labels);
    CHECK(stopped.cancelled());
    CHECK(stopped.n_iter() == 4);
    REQUIRE(reports.size() == 4);
    CHECK(reports[3].value_name == "train score");
    CHECK(reports[3].value == stopped.train_score()[4]);  // train_score()[0] is the baseline's
    CHECK(reports[3].max_iterations == 30);
    REQUIRE(seen.size() == 1);
    CHECK(seen[0] == warning_category::fit_stopped);
    // The same model as a fit of four iterations.
    ke::HistGradientBoostingClassifier<double> four({.max_iter = 4, .early_stopping = true, .n_iter_no_change = 100});
    four.fit(D.X, D.labels);
    CHECK(stopped.decision_function(D.X) == four.decision_function(D.X));
}
