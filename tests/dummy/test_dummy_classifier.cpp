// DummyClassifier against scikit-learn 1.2 (tests/reference/gen_dummy.py), and the per-class
// ClassWeight map through LogisticRegression.
#include <string>

#include "catch.hpp"
#include "fixtures.hpp"

#include <kestrel/dummy/dummy_classifier.hpp>
#include <kestrel/linear_model/logistic_regression.hpp>

using namespace kestrel;
using dummy::DummyClassifier;
using dummy::DummyClassifierParams;
using dummy::Strategy;
using kestrel::test::fixture_case;
using kestrel::test::max_relative_error;

static_assert(probabilistic_classifier<DummyClassifier<double>> && probabilistic_classifier<DummyClassifier<float>>);
static_assert(!regressor<DummyClassifier<double>>);

TEMPLATE_TEST_CASE("DummyClassifier equals scikit-learn's", "[dummy]", float, double) {
    using T = TestType;
    const double tol = sizeof(T) == 4 ? 1e-6 : 1e-12;
    for (const auto& [tag, params] : {std::pair<std::string, DummyClassifierParams>{"prior", {}},
                                      {"most_frequent", {.strategy = Strategy::most_frequent}},
                                      {"constant", {.strategy = Strategy::constant, .constant = 9}}}) {
        for (const std::string weighting : {"", "_weighted"}) {
            INFO(tag << weighting);
            const auto c = fixture_case("dummy/" + tag + weighting);
            const Matrix<T> X = c.matrix("X").template cast<T>();
            const Labels y = c.labels("y");
            const Vector<T> w = c.vector("sample_weight").template cast<T>();
            DummyClassifier<T> model(params);
            model.fit(X, y, w);
            CHECK(model.classes() == c.labels("classes"));
            CHECK(max_relative_error(model.class_prior().template cast<double>(), c.vector("class_prior")) < tol);
            CHECK(model.predict(X.topRows(5)) == c.labels("predict"));
            CHECK(max_relative_error(model.predict_proba(X.topRows(5)).template cast<double>(),
                                     c.matrix("predict_proba")) < tol);
            CHECK(static_cast<double>(model.score(X, y, w)) == Approx(c.scalar("score")).epsilon(tol));
        }
    }
}

TEST_CASE("DummyClassifier's random strategies follow the priors and repeat their draws", "[dummy]") {
    const Matrix<double> X = Matrix<double>::Zero(20000, 2);
    Labels y(10);
    y << 1, 1, 1, 1, 1, 1, 5, 5, 5, 8;  // priors 0.6, 0.3, 0.1
    DummyClassifier<double> stratified({.strategy = Strategy::stratified, .random_state = 3});
    stratified.fit(X.topRows(10), y);
    const Labels drawn = stratified.predict(X);
    CHECK((drawn.array() == 1).cast<double>().mean() == Approx(0.6).margin(0.02));
    CHECK((drawn.array() == 5).cast<double>().mean() == Approx(0.3).margin(0.02));
    CHECK((drawn.array() == 8).cast<double>().mean() == Approx(0.1).margin(0.02));
    CHECK(stratified.predict(X) == drawn);

    DummyClassifier<double> uniform({.strategy = Strategy::uniform});
    uniform.fit(X.topRows(10), y);
    CHECK((uniform.predict(X).array() == 8).cast<double>().mean() == Approx(1.0 / 3).margin(0.02));
    CHECK(uniform.predict_proba(X.topRows(2)).isApproxToConstant(1.0 / 3));
}

TEST_CASE("DummyClassifier rejects a missing or unseen constant", "[dummy]") {
    const Matrix<double> X = Matrix<double>::Zero(4, 1);
    const Labels y = (Labels(4) << 0, 1, 1, 0).finished();
    CHECK_THROWS_AS(DummyClassifier<double>({.strategy = Strategy::constant}).fit(X, y), invalid_parameter);
    CHECK_THROWS_WITH(DummyClassifier<double>({.strategy = Strategy::constant, .constant = 4}).fit(X, y),
                      Catch::Contains("constant target value 4 must be present"));
    CHECK_THROWS_AS(DummyClassifier<double>().predict(X), not_fitted);
}

TEST_CASE("ClassWeight as a per-class map equals scikit-learn's class_weight dict", "[dummy][weights]") {
    for (const auto& [tag, solver] :
         {std::pair<std::string, linear_model::Solver>{"lbfgs", linear_model::Solver::lbfgs},
          {"newton_cholesky", linear_model::Solver::newton_cholesky}}) {
        INFO(tag);
        const auto c = fixture_case("linear_model/logistic_class_weight_map_" + tag);
        linear_model::LogisticRegression<double> model(
            {.tol = 1e-10, .class_weight = ClassWeight{{3, 0.5}, {9, 4.0}}, .solver = solver, .max_iter = 10000});
        model.fit(c.matrix("X"), c.labels("y"), c.vector("sample_weight"));
        CHECK(max_relative_error(model.predict_proba(c.matrix("X")), c.matrix("predict_proba")) < 1e-6);
        CHECK(max_relative_error(model.intercept(), c.vector("intercept")) < 1e-5);
    }
}
