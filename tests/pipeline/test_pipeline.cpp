#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/datasets/breast_cancer.hpp>
#include <kestrel/linear_model/logistic_regression.hpp>
#include <kestrel/model_selection/cross_validation.hpp>
#include <kestrel/model_selection/grid_search.hpp>
#include <kestrel/pipeline/pipeline.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>
#include <sstream>

using namespace kestrel;
using kestrel::test::fixture_case;
using kestrel::test::max_abs_error;
using kestrel::test::max_relative_error;
namespace ms = kestrel::model_selection;

namespace {

using Logistic = linear_model::LogisticRegression<double>;
using Scaler = preprocessing::StandardScaler<double>;
using ScaledLogistic = pipeline::Pipeline<Scaler, Logistic>;

// The scikit-learn side uses tol=1e-10 so both converge to the same optimum.
const Logistic::Params logistic_params{.tol = 1e-10, .C = 1.0, .max_iter = 10000};

}  // namespace

static_assert(probabilistic_classifier<ScaledLogistic>);
static_assert(!regressor<ScaledLogistic> && !transformer<ScaledLogistic>);
static_assert(transformer<pipeline::Pipeline<Scaler, Scaler>> && !predictor<pipeline::Pipeline<Scaler, Scaler>>);
static_assert(probabilistic_classifier<pipeline::Pipeline<Logistic>>);

TEST_CASE("make_pipeline(StandardScaler, LogisticRegression) predict_proba equals scikit-learn's", "[pipeline]") {
    const auto data = datasets::load_breast_cancer();
    auto pipe = pipeline::make_pipeline(Scaler(), Logistic(logistic_params));
    static_assert(std::same_as<decltype(pipe), ScaledLogistic>);
    pipe.fit(data.X, data.y);
    const Matrix<double> proba = pipe.predict_proba(data.X);
    CHECK(max_abs_error(proba, fixture_case("cross_validation/pipeline").matrix("predict_proba")) < 1e-5);
    CHECK(pipe.classes() == pipe.step<1>().classes());

    // The pipeline is exactly its steps run by hand.
    Scaler scaler;
    Logistic logistic(logistic_params);
    logistic.fit(scaler.fit_transform(data.X), data.y);
    CHECK(pipe.predict(data.X) == logistic.predict(scaler.transform(data.X)));
    CHECK(pipe.step<0>().mean() == scaler.mean());
    CHECK(pipe.score(data.X, data.y) == logistic.score(scaler.transform(data.X), data.y));
}

TEST_CASE("a pipeline's params reach its steps, and clone gives an unfitted copy", "[pipeline]") {
    ScaledLogistic pipe;
    auto params = pipe.params();
    std::get<1>(params.steps).C = 0.5;
    std::get<0>(params.steps).with_mean = false;
    pipe.set_params(params);
    CHECK(pipe.step<1>().params().C == 0.5);
    CHECK_FALSE(pipe.step<0>().params().with_mean);
    const auto copy = clone(pipe);
    CHECK(copy.params() == params);
    CHECK_FALSE(copy.is_fitted());
    std::get<1>(params.steps).C = -1;
    CHECK_THROWS_AS(params.validate(), invalid_parameter);
}

TEST_CASE("Params print as the estimator they build, a pipeline's as the pipeline", "[pipeline][print]") {
    ScaledLogistic pipe;
    auto params = pipe.params();
    std::get<1>(params.steps).C = 0.5;
    std::get<1>(params.steps).max_iter = 1000;
    pipe.set_params(params);
    std::ostringstream bare, whole, estimator;
    bare << std::get<1>(params.steps);
    whole << params;
    estimator << pipe;
    CHECK(bare.str() == "LogisticRegression(C=0.5, max_iter=1000)");
    CHECK(to_string(std::get<1>(params.steps)) == bare.str());
    CHECK(to_string(Logistic::Params{}) == "LogisticRegression()");
    CHECK(whole.str() == estimator.str());
    CHECK(whole.str() ==
          "Pipeline(steps=[('standardscaler', StandardScaler()), ('logisticregression', LogisticRegression(C=0.5, "
          "max_iter=1000))])");
}

TEST_CASE("cross_val_score and GridSearchCV of the scaled logistic pipeline equal scikit-learn's", "[pipeline]") {
    const auto data = datasets::load_breast_cancer();
    const ScaledLogistic pipe(ScaledLogistic::Params{{Scaler::Params{}, logistic_params}});
    const Vector<double> scores = ms::cross_val_score(pipe, data.X, data.y, ms::KFold({.n_splits = 5}));
    CHECK(max_relative_error(scores, fixture_case("cross_validation/pipeline").vector("cross_val_score")) < 1e-12);

    const auto candidates = ms::param_grid(
        pipe.params(), ms::axis<ScaledLogistic::Params, double>([](auto& p, double c) { std::get<1>(p.steps).C = c; },
                                                                {0.01, 0.1, 1.0, 10.0}));
    ms::GridSearchCV search(pipe, candidates, ms::KFold({.n_splits = 5}), 2);
    search.fit(data.X, data.y);
    CHECK(max_relative_error(search.cv_results().mean_test_score,
                             fixture_case("cross_validation/pipeline").vector("grid_mean_test_score")) < 1e-12);
    CHECK(max_relative_error(search.cv_results().std_test_score,
                             fixture_case("cross_validation/pipeline").vector("grid_std_test_score")) < 1e-9);
    const Labels expected_rank =
        kestrel::test::fixture_case("cross_validation/pipeline").labels("grid_rank_test_score");
    CHECK(search.cv_results().rank_test_score == expected_rank);
    CHECK(std::get<1>(search.best_params().steps).C == 1.0);
}
