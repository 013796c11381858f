// HistGradientBoostingRegressor / Classifier against scikit-learn 1.2 (tests/reference/gen_hgb.py),
// answer for answer: without early stopping scikit-learn's fit is deterministic, so each case
// checks every feature's bin thresholds (equal to the bit) and the raw predictions on held-out
// rows after each of the first 20 iterations (within 1e-5 relative), for every loss, with
// missing values, categorical features, monotonic and interaction constraints, weights and
// class weights. Early stopping draws its validation split from kestrel's own generator, so
// there n_iter and the final validation score are compared loosely.
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "catch.hpp"
#include "fixtures.hpp"

#include <kestrel/ensemble/hist_gradient_boosting_classifier.hpp>
#include <kestrel/ensemble/hist_gradient_boosting_regressor.hpp>

using namespace kestrel;
using kestrel::test::FixtureCase;
namespace ke = kestrel::ensemble;

static_assert(probabilistic_classifier<ke::HistGradientBoostingClassifier<double>>);
static_assert(regressor<ke::HistGradientBoostingRegressor<double>>);

namespace {

using RP = ke::HistGradientBoostingRegressorParams;
using CP = ke::HistGradientBoostingClassifierParams;

RP reg(RP p) {
    p.max_iter = 20;
    p.early_stopping = false;
    return p;
}
CP clf(CP p) {
    p.max_iter = 20;
    p.early_stopping = false;
    return p;
}

// The cases of gen_hgb.py with the parameters it fitted.
const std::map<std::string, RP>& regression_cases() {
    static const std::map<std::string, RP> cases = {
        {"squared_error", reg({})},
        {"absolute_error", reg({.loss = ke::Loss::absolute_error})},
        {"quantile", reg({.loss = ke::Loss::quantile, .quantile = 0.8})},
        {"poisson", reg({.loss = ke::Loss::poisson})},
        {"diabetes_options", reg({.learning_rate = 0.2, .max_depth = 3, .min_samples_leaf = 10,
                                  .l2_regularization = 1.0, .max_bins = 16})},
        {"squared_error_weighted", reg({})},
        {"absolute_error_weighted", reg({.loss = ke::Loss::absolute_error})},
        {"squared_error_missing", reg({})},
        {"squared_error_categorical", reg({.categorical_features = {0, 2}})},
        {"squared_error_categorical_missing", reg({.categorical_features = {0, 2}})},
        {"squared_error_monotonic", reg({.monotonic_cst = {1, -1, 0, 1, 0, 0, -1, 0}})},
        {"squared_error_interaction", reg({.interaction_cst = {{0, 1}, {1, 2, 3}, {5}}})},
    };
    return cases;
}

const std::map<std::string, CP>& classification_cases() {
    static const std::map<std::string, CP> cases = {
        {"binary", clf({})},
        {"binary_missing", clf({})},
        {"binary_monotonic", clf({.monotonic_cst = [] {
                                      std::vector<int> m(30, 0);
                                      m[0] = 1, m[1] = 1, m[2] = -1, m[3] = 1;
                                      return m;
                                  }()})},
        {"binary_class_weight", clf({.l2_regularization = 0.5, .class_weight = ClassWeight::balanced})},
        {"multiclass", clf({})},
        {"multiclass_categorical_missing", clf({.categorical_features = {1, 4}})},
        {"iris_interaction", clf({.max_leaf_nodes = 8, .min_samples_leaf = 5, .interaction_cst = {{0, 1}, {2, 3}}})},
    };
    return cases;
}

// |a − b| ≤ 1e-5 · max(1, |b|) everywhere; returns the largest relative difference.
double worst_relative(const Eigen::VectorXd& ours, const Eigen::VectorXd& theirs) {
    REQUIRE(ours.size() == theirs.size());
    double worst = 0;
    for (Index i = 0; i < ours.size(); ++i) {
        worst = std::max(worst, std::abs(ours[i] - theirs[i]) / std::max(1.0, std::abs(theirs[i])));
    }
    return worst;
}

template <class E>
void check_thresholds(const E& e, const FixtureCase& c) {
    const Eigen::VectorXd sizes = c.vector("threshold_sizes");
    const Eigen::VectorXd all = c.vector("thresholds");
    const auto& ours = e.bin_thresholds();
    REQUIRE(static_cast<Index>(ours.size()) == sizes.size());
    Index at = 0;
    for (Index f = 0; f < sizes.size(); ++f) {
        INFO("feature " << f);
        REQUIRE(static_cast<double>(ours[static_cast<std::size_t>(f)].size()) == sizes[f]);
        for (double t : ours[static_cast<std::size_t>(f)]) CHECK(t == all[at++]);
    }
}

}  // namespace

TEST_CASE("HistGradientBoostingRegressor: bin thresholds and 20 staged predictions equal scikit-learn's",
          "[ensemble][hgb]") {
    for (const auto& [name, params] : regression_cases()) {
        SECTION(name) {
            const FixtureCase c("hgb/" + name);
            const Matrix<double> X = c.matrix("X_train"), X_test = c.matrix("X_test");
            const Vector<double> y = c.vector("y_train");
            Vector<double> w;
            if (name.find("weighted") != std::string::npos) w = c.vector("sample_weight");
            ke::HistGradientBoostingRegressor<double> e(params);
            e.fit(X, y, w);
            check_thresholds(e, c);
            const Matrix<double> staged = c.matrix("staged");
            const std::vector<Vector<double>> ours = e.staged_predict(X_test);
            REQUIRE(static_cast<Index>(ours.size()) == staged.rows());
            double worst = 0;
            for (Index it = 0; it < staged.rows(); ++it) {
                worst = std::max(worst, worst_relative(ours[static_cast<std::size_t>(it)], staged.row(it).transpose()));
            }
            INFO(name << ": largest relative difference over 20 iterations " << worst);
            CHECK(worst <= 1e-5);
            CHECK(worst_relative(e.predict(X_test), c.vector("predict")) <= 1e-5);
        }
    }
}

TEST_CASE("HistGradientBoostingClassifier: bin thresholds and 20 staged decision functions equal scikit-learn's",
          "[ensemble][hgb]") {
    for (const auto& [name, params] : classification_cases()) {
        SECTION(name) {
            const FixtureCase c("hgb/" + name);
            const Matrix<double> X = c.matrix("X_train"), X_test = c.matrix("X_test");
            const Eigen::VectorXd yd = c.vector("y_train");
            const Labels y = yd.cast<int>();
            ke::HistGradientBoostingClassifier<double> e(params);
            e.fit(X, y);
            check_thresholds(e, c);
            const Matrix<double> staged = c.matrix("staged");
            const std::vector<Matrix<double>> ours = e.staged_decision_function(X_test);
            REQUIRE(static_cast<Index>(ours.size()) == staged.rows());
            double worst = 0;
            for (Index it = 0; it < staged.rows(); ++it) {
                const Matrix<double>& m = ours[static_cast<std::size_t>(it)];
                Eigen::VectorXd flat(m.size());  // the K columns one after another
                for (Index k = 0; k < m.cols(); ++k) flat.segment(k * m.rows(), m.rows()) = m.col(k);
                worst = std::max(worst, worst_relative(flat, staged.row(it).transpose()));
            }
            INFO(name << ": largest relative difference over 20 iterations " << worst);
            CHECK(worst <= 1e-5);
            const Matrix<double> proba = e.predict_proba(X_test), theirs = c.matrix("proba");
            CHECK((proba - theirs).cwiseAbs().maxCoeff() <= 1e-6);
        }
    }
}

TEST_CASE("HistGradientBoosting: early stopping stops near scikit-learn's iteration at a close score",
          "[ensemble][hgb]") {
    SECTION("regression") {
        const FixtureCase c("hgb/early_stopping_regression");
        ke::HistGradientBoostingRegressor<double> e(
            {.learning_rate = 0.3, .max_iter = 500, .early_stopping = true, .n_iter_no_change = 5});
        e.fit(c.matrix("X"), Vector<double>(c.vector("y")));
        INFO("kestrel n_iter " << e.n_iter() << ", validation score " << e.validation_score().tail(1)[0]
                               << "; scikit-learn " << c.scalar("n_iter") << ", " << c.scalar("validation_score"));
        CHECK(e.do_early_stopping());
        CHECK(e.n_iter() < 500);
        CHECK(std::abs(e.n_iter() - c.scalar("n_iter")) <= 0.5 * c.scalar("n_iter"));
        CHECK(e.train_score().size() == e.n_iter() + 1);
        CHECK(e.validation_score().size() == e.n_iter() + 1);
        CHECK(std::abs(e.validation_score().tail(1)[0] / c.scalar("validation_score") - 1) <= 0.25);
    }
    SECTION("classification") {
        const FixtureCase c("hgb/early_stopping_classification");
        ke::HistGradientBoostingClassifier<double> e(
            {.learning_rate = 0.3, .max_iter = 500, .early_stopping = true, .n_iter_no_change = 5});
        const Eigen::VectorXd yd = c.vector("y");
        e.fit(c.matrix("X"), Labels(yd.cast<int>()));
        INFO("kestrel n_iter " << e.n_iter() << ", validation score " << e.validation_score().tail(1)[0]
                               << "; scikit-learn " << c.scalar("n_iter") << ", " << c.scalar("validation_score"));
        CHECK(e.n_iter() < 500);
        CHECK(std::abs(e.n_iter() - c.scalar("n_iter")) <= 0.5 * c.scalar("n_iter"));
        CHECK(std::abs(e.validation_score().tail(1)[0] / c.scalar("validation_score") - 1) <= 0.25);
    }
}
