// RandomForestClassifier / Regressor and ExtraTreesClassifier / Regressor against scikit-learn 1.2
// (tests/reference/gen_forest.py). kestrel's forests draw from their own streams, so the check is
// statistical: over random_state 0..9, on the same train/test split, the mean test accuracy (R²)
// and the mean out-of-bag score within 0.01 of scikit-learn's means, and the mean feature
// importances correlated (Pearson) above 0.95. Then what kestrel promises of its own: the same
// forest for any n_jobs, a warm start equal to one fit, and the histogram splitter (max_bins)
// close to the exact one, equal to it when every feature has at most max_bins distinct values.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "fixtures.hpp"

#include <kestrel/core/progress.hpp>
#include <kestrel/core/warnings.hpp>
#include <kestrel/ensemble.hpp>
#include <kestrel/io/persistence.hpp>
#include <kestrel/tree.hpp>

using namespace kestrel;
using kestrel::test::FixtureCase;
namespace ke = kestrel::ensemble;
namespace kt = kestrel::tree;

static_assert(probabilistic_classifier<ke::RandomForestClassifier<double>>);
static_assert(probabilistic_classifier<ke::ExtraTreesClassifier<double>>);
static_assert(regressor<ke::RandomForestRegressor<double>> && regressor<ke::ExtraTreesRegressor<double>>);

namespace {

constexpr int n_seeds = 10;

double pearson(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
    const Eigen::ArrayXd x = a.array() - a.mean(), y = b.array() - b.mean();
    return (x * y).sum() / std::sqrt((x * x).sum() * (y * y).sum());
}

double mean(const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return s / static_cast<double>(v.size());
}

// Over random_state 0..9: the test score, the oob score (when asked for) and the importances.
struct Summary {
    std::vector<double> score, oob;
    Eigen::VectorXd importances;
};

template <class Forest, class Y>
Summary run(typename Forest::Params p, const Matrix<double>& Xtr, const Y& ytr, const Matrix<double>& Xte,
            const Y& yte) {
    Summary s;
    s.importances = Eigen::VectorXd::Zero(Xtr.cols());
    for (int seed = 0; seed < n_seeds; ++seed) {
        p.random_state = static_cast<std::uint64_t>(seed);
        Forest f(p);
        f.fit(Xtr, ytr);
        s.score.push_back(static_cast<double>(f.score(Xte, yte)));
        if (p.oob_score) s.oob.push_back(f.oob_score());
        s.importances += f.feature_importances();
    }
    s.importances /= n_seeds;
    return s;
}

// Compares kestrel's summary with the case's <prefix> members, and prints both.
void compare(const FixtureCase& c, const std::string& data, const std::string& estimator, const std::string& prefix,
             const Summary& s) {
    const double score = mean(s.score), reference = c.scalar(prefix + "score_mean");
    const double r = pearson(s.importances, c.vector(prefix + "importances_mean"));
    std::cout << data << " " << estimator << ": score " << score << " (scikit-learn " << reference << ")";
    INFO(data << " " << estimator << ": mean score " << score << ", scikit-learn " << reference
              << "; importance correlation " << r);
    CHECK(std::abs(score - reference) <= 0.01);
    CHECK(r > 0.95);
    if (!s.oob.empty()) {
        const double oob = mean(s.oob), oob_reference = c.scalar(prefix + "oob_mean");
        std::cout << ", oob " << oob << " (scikit-learn " << oob_reference << ")";
        INFO("mean oob " << oob << ", scikit-learn " << oob_reference);
        CHECK(std::abs(oob - oob_reference) <= 0.01);
    }
    std::cout << ", importance correlation " << r << "\n";
}

// RandomForestClassifier(n_estimators = 100, oob_score = true) on `data`, once per process: the
// parity and the histogram test cases share it.
const Summary& random_forest(const std::string& data) {
    static std::map<std::string, Summary> done;
    if (const auto found = done.find(data); found != done.end()) return found->second;
    const FixtureCase c("forest/" + data);
    ke::RandomForestClassifierParams rf;
    rf.n_estimators = 100;
    rf.oob_score = true;
    return done[data] = run<ke::RandomForestClassifier<double>>(rf, c.matrix("X_train"), c.labels("y_train"),
                                                                c.matrix("X_test"), c.labels("y_test"));
}

void classifiers(const std::string& data) {
    const FixtureCase c("forest/" + data);
    const Matrix<double> Xtr = c.matrix("X_train"), Xte = c.matrix("X_test");
    const Labels ytr = c.labels("y_train"), yte = c.labels("y_test");
    compare(c, data, "RandomForestClassifier", "rf_", random_forest(data));
    ke::ExtraTreesClassifierParams et;
    et.n_estimators = 100;
    compare(c, data, "ExtraTreesClassifier", "et_", run<ke::ExtraTreesClassifier<double>>(et, Xtr, ytr, Xte, yte));
}

void regressors(const std::string& data) {
    const FixtureCase c("forest/" + data);
    const Matrix<double> Xtr = c.matrix("X_train"), Xte = c.matrix("X_test");
    const Vector<double> ytr = c.vector("y_train"), yte = c.vector("y_test");
    ke::RandomForestRegressorParams rf;
    rf.n_estimators = 100;
    rf.oob_score = true;
    compare(c, data, "RandomForestRegressor", "rf_", run<ke::RandomForestRegressor<double>>(rf, Xtr, ytr, Xte, yte));
    ke::ExtraTreesRegressorParams et;
    et.n_estimators = 100;
    compare(c, data, "ExtraTreesRegressor", "et_", run<ke::ExtraTreesRegressor<double>>(et, Xtr, ytr, Xte, yte));
}

}  // namespace

TEST_CASE("forest classifiers match scikit-learn's accuracy, oob score and importances", "[forest][parity]") {
    SECTION("breast_cancer") { classifiers("breast_cancer"); }
    SECTION("classification") { classifiers("classification"); }
}

TEST_CASE("forest regressors match scikit-learn's R², oob score and importances", "[forest][parity]") {
    SECTION("diabetes") { regressors("diabetes"); }
    SECTION("regression") { regressors("regression"); }
}

TEST_CASE("a forest is the same bit for bit for any n_jobs", "[forest]") {
    const FixtureCase c("forest/classification");
    const Matrix<double> Xtr = c.matrix("X_train"), Xte = c.matrix("X_test");
    const Labels ytr = c.labels("y_train");
    ke::RandomForestClassifierParams p;
    p.n_estimators = 100;
    p.oob_score = true;
    p.random_state = 3;
    p.n_jobs = 1;
    ke::RandomForestClassifier<double> one(p);
    one.fit(Xtr, ytr);
    p.n_jobs = 2;
    ke::RandomForestClassifier<double> two(p);
    two.fit(Xtr, ytr);
    CHECK(one.predict_proba(Xte) == two.predict_proba(Xte));
    CHECK(one.predict(Xte) == two.predict(Xte));
    CHECK(one.oob_score() == two.oob_score());
    CHECK(one.oob_decision_function() == two.oob_decision_function());
    CHECK(one.feature_importances() == two.feature_importances());

    const FixtureCase r("forest/regression");
    const Matrix<double> Rtr = r.matrix("X_train"), Rte = r.matrix("X_test");
    const Vector<double> rtr = r.vector("y_train");
    ke::ExtraTreesRegressorParams q;
    q.n_estimators = 50;
    q.bootstrap = true;
    q.oob_score = true;
    q.n_jobs = 1;
    ke::ExtraTreesRegressor<double> serial(q);
    serial.fit(Rtr, rtr);
    q.n_jobs = 2;
    ke::ExtraTreesRegressor<double> parallel(q);
    parallel.fit(Rtr, rtr);
    CHECK(serial.predict(Rte) == parallel.predict(Rte));
    CHECK(serial.oob_score() == parallel.oob_score());
}

TEST_CASE("a warm start to 100 trees gives the forest 100 trees at once do", "[forest]") {
    const FixtureCase c("forest/classification");
    const Matrix<double> Xtr = c.matrix("X_train"), Xte = c.matrix("X_test");
    const Labels ytr = c.labels("y_train");
    ke::RandomForestClassifierParams p;
    p.n_estimators = 100;
    p.oob_score = true;
    p.random_state = 5;
    ke::RandomForestClassifier<double> once(p);
    once.fit(Xtr, ytr);

    p.n_estimators = 40;
    p.warm_start = true;
    ke::RandomForestClassifier<double> warm(p);
    warm.fit(Xtr, ytr);
    CHECK(warm.estimators().size() == 40);
    p.n_estimators = 100;
    warm.set_params(p);
    warm.fit(Xtr, ytr);
    CHECK(warm.estimators().size() == 100);
    CHECK(warm.predict_proba(Xte) == once.predict_proba(Xte));
    CHECK(warm.oob_score() == once.oob_score());
}

TEST_CASE("the histogram splitter (max_bins = 255) is as accurate as the exact one", "[forest][histogram]") {
    for (const std::string data : {"breast_cancer", "classification"}) {
        const FixtureCase c("forest/" + data);
        const Matrix<double> Xtr = c.matrix("X_train"), Xte = c.matrix("X_test");
        const Labels ytr = c.labels("y_train"), yte = c.labels("y_test");
        const Summary& exact = random_forest(data);  // max_bins = 0
        ke::RandomForestClassifierParams p;
        p.n_estimators = 100;
        p.max_bins = 255;
        const Summary binned = run<ke::RandomForestClassifier<double>>(p, Xtr, ytr, Xte, yte);
        double worst = 0;
        for (int s = 0; s < n_seeds; ++s) worst = std::max(worst, std::abs(binned.score[s] - exact.score[s]));
        std::cout << data << " RandomForestClassifier max_bins 255: accuracy " << mean(binned.score) << ", exact "
                  << mean(exact.score) << " (largest difference on one seed " << worst << ")\n";
        INFO(data << ": max_bins 255 mean accuracy " << mean(binned.score) << ", exact " << mean(exact.score));
        CHECK(std::abs(mean(binned.score) - mean(exact.score)) <= 0.01);
    }
}

TEST_CASE("with at most max_bins distinct values per feature the histogram tree splits as the exact tree",
          "[forest][histogram]") {
    // make_classification's X rounded to one decimal: at most ~100 distinct values per feature,
    // so every bin holds one value and the bin edges are the midpoints between consecutive values.
    const FixtureCase c("forest/classification");
    const Matrix<double> X = (c.matrix("X_train").array() * 10).round() / 10;
    const Matrix<double> Xte = (c.matrix("X_test").array() * 10).round() / 10;
    const Labels y = c.labels("y_train");
    for (Index f = 0; f < X.cols(); ++f) {
        std::vector<double> v(X.col(f).data(), X.col(f).data() + X.rows());
        std::sort(v.begin(), v.end());
        REQUIRE(std::unique(v.begin(), v.end()) - v.begin() <= 256);
    }
    for (const std::uint64_t seed : {0u, 1u, 2u}) {
        kt::DecisionTreeClassifierParams p;
        p.random_state = seed;
        kt::DecisionTreeClassifier<double> exact(p);
        exact.fit(X, y);
        p.max_bins = 256;
        kt::DecisionTreeClassifier<double> binned(p);
        binned.fit(X, y);
        const kt::Tree &a = exact.tree(), &b = binned.tree();
        INFO("random_state " << seed << ": node_count exact " << a.node_count << ", histogram " << b.node_count);
        REQUIRE(a.node_count == b.node_count);
        CHECK(a.feature == b.feature);
        CHECK(a.children_left == b.children_left);
        CHECK(a.children_right == b.children_right);
        CHECK((a.value - b.value).cwiseAbs().maxCoeff() == 0);
        CHECK(exact.apply(X) == binned.apply(X));  // the same partition of the training rows
        // The thresholds differ where a node's data skip bins: the exact splitter's is the midpoint
        // of the node's two values either side of the split, the histogram's a bin edge (the upper
        // edge of the node's last bin on the left) — a midpoint between two consecutive distinct
        // values of the feature over all the training rows.
        Index off_edge = 0;
        for (Index k = 0; k < b.node_count; ++k) {
            if (b.children_left[k] < 0) continue;
            std::vector<double> v(X.rows());
            for (Index i = 0; i < X.rows(); ++i) v[static_cast<std::size_t>(i)] = X(i, b.feature[k]);
            std::sort(v.begin(), v.end());
            v.erase(std::unique(v.begin(), v.end()), v.end());
            bool on_edge = false;
            for (std::size_t j = 0; j + 1 < v.size(); ++j)
                on_edge = on_edge || b.threshold[k] == (v[j] + v[j + 1]) * 0.5;
            off_edge += on_edge ? 0 : 1;
        }
        INFO(off_edge << " histogram thresholds are not bin edges");
        CHECK(off_edge == 0);
    }
}

TEST_CASE("a histogram regression tree examining some features a split splits as the exact tree on data of few values",
          "[forest][histogram]") {
    // The classification fixture's X rounded to one decimal, with four constant columns (so that
    // every feature drawn for a node is often constant and more are drawn), and integer targets:
    // every sum of a node's targets and their squares is exact, in any order, so both splitters
    // score each candidate alike (integer weights too). With max_features below the feature
    // count the histogram splitter fills its drawn features' histograms together, scores nodes of
    // two samples apart and, at min_samples_leaf 1 without constraints, keeps no sample counts.
    const FixtureCase c("forest/classification");
    const Matrix<double> rounded = (c.matrix("X_train").array() * 10).round() / 10;
    Matrix<double> X(rounded.rows(), rounded.cols() + 4);
    X << rounded, Matrix<double>::Ones(rounded.rows(), 4);
    Vector<double> y(X.rows()), w(X.rows());
    for (Index i = 0; i < X.rows(); ++i) {
        y(i) = std::round(4 * X(i, 0) - 3 * X(i, 1) + X(i, 2) * X(i, 3));
        w(i) = static_cast<double>(1 + i % 3);  // integer weights keep the sums exact
    }
    struct variant {
        int features, leaf;
        bool weighted;
        double weight_fraction;
        bool monotonic;
    };
    // max_features 6 and 10 (of 14) fill histograms in groups of four and two, and of four, four
    // and then one at a time.
    for (const variant v :
         {variant{2, 1, false, 0, false}, variant{3, 1, false, 0, false}, variant{3, 2, false, 0, false},
          variant{6, 1, false, 0, false}, variant{10, 1, false, 0, false}, variant{6, 1, true, 0, false},
          variant{6, 1, true, 0.004, false}, variant{3, 1, true, 0, true}})
        for (const std::uint64_t seed : {0u, 1u}) {
            kt::DecisionTreeRegressorParams p;
            p.max_features = kt::MaxFeatures(v.features);
            p.min_samples_leaf = v.leaf;
            p.min_weight_fraction_leaf = v.weight_fraction;
            p.random_state = seed;
            if (v.monotonic) p.monotonic_cst = std::vector<int>{1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
            const Vector<double> weights = v.weighted ? w : Vector<double>::Ones(X.rows());
            kt::DecisionTreeRegressor<double> exact(p);
            exact.fit(X, y, weights);
            p.max_bins = 256;
            kt::DecisionTreeRegressor<double> binned(p);
            binned.fit(X, y, weights);
            {
                const kt::Tree &a = exact.tree(), &b = binned.tree();
                INFO("max_features " << v.features << ", min_samples_leaf " << v.leaf << ", weighted " << v.weighted
                                     << ", min_weight_fraction_leaf " << v.weight_fraction << ", monotonic "
                                     << v.monotonic << ", random_state " << seed << ": node_count exact "
                                     << a.node_count << ", histogram " << b.node_count);
                REQUIRE(a.node_count == b.node_count);
                CHECK(a.feature == b.feature);
                CHECK(a.children_left == b.children_left);
                CHECK(a.children_right == b.children_right);
                CHECK(a.n_node_samples == b.n_node_samples);
                CHECK(a.missing_go_to_left == b.missing_go_to_left);
                CHECK((a.value - b.value).cwiseAbs().maxCoeff() == 0);
                CHECK((a.impurity - b.impurity).cwiseAbs().maxCoeff() == 0);
                CHECK(exact.apply(X) == binned.apply(X));
            }
        }
}

TEST_CASE("a progress callback hears each tree and a stop leaves a usable, smaller forest", "[forest][progress]") {
    const FixtureCase c("forest/classification");
    const Matrix<double> Xtr = c.matrix("X_train"), Xte = c.matrix("X_test");
    const Labels ytr = c.labels("y_train");
    ke::RandomForestClassifierParams p;
    p.n_estimators = 40;
    p.oob_score = true;
    p.n_jobs = 2;
    Index heard = 0;
    ke::RandomForestClassifier<double> full(p);
    full.set_progress_callback([&](const progress& report) {
        ++heard;
        CHECK(report.max_iterations == 40);
        CHECK(report.estimator == "RandomForestClassifier");
        return progress_action::proceed;
    });
    full.fit(Xtr, ytr);
    CHECK(heard == 40);
    CHECK_FALSE(full.cancelled());

    std::vector<warning_category> seen;
    const scoped_warning_handler capture([&](const warning& w) { seen.push_back(w.category); });
    ke::RandomForestClassifier<double> cut(p);
    cut.set_progress_callback([](const progress& report) {
        return report.iteration >= 5 ? progress_action::stop : progress_action::proceed;
    });
    cut.fit(Xtr, ytr);
    CHECK(cut.cancelled());
    REQUIRE(seen.size() == 1);
    CHECK(seen[0] == warning_category::fit_stopped);
    const auto kept = static_cast<Index>(cut.estimators().size());
    CHECK(kept >= 1);
    CHECK(kept < 40);
    CHECK(cut.params().n_estimators == kept);
    // The kept trees are the forest's first ones, as a fit of that many trees grows them.
    p.n_estimators = static_cast<int>(kept);
    ke::RandomForestClassifier<double> same(p);
    same.fit(Xtr, ytr);
    CHECK(cut.predict_proba(Xte) == same.predict_proba(Xte));
    CHECK(cut.oob_score() == same.oob_score());
    std::stringstream file;
    io::save(cut, file);
    CHECK(io::load<ke::RandomForestClassifier<double>>(file).predict_proba(Xte) == cut.predict_proba(Xte));
}
