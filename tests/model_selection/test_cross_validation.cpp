#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/datasets/breast_cancer.hpp>
#include <kestrel/linear_model/ridge.hpp>
#include <kestrel/model_selection/cross_validation.hpp>
#include <kestrel/model_selection/grid_search.hpp>

using namespace kestrel;
using kestrel::test::fixture_case;
using kestrel::test::max_relative_error;
namespace ms = kestrel::model_selection;

namespace {

struct regression_data {
    Matrix<double> X;
    Vector<double> y;
};

regression_data breast_cancer_as_regression() {
    const auto data = datasets::load_breast_cancer();
    return {data.X, data.y.cast<double>()};
}

}  // namespace

TEST_CASE("cross_val_score of Ridge on breast_cancer equals scikit-learn's fold by fold", "[cross_validation]") {
    const auto [X, y] = breast_cancer_as_regression();
    const Vector<double> expected = fixture_case("cross_validation/ridge").vector("cross_val_score");
    const linear_model::Ridge<> ridge({.alpha = 1.0});
    const Vector<double> scores = ms::cross_val_score(ridge, X, y, ms::KFold({.n_splits = 5}));
    CHECK(max_relative_error(scores, expected) < 1e-12);
    // cv = 5 means unshuffled KFold for a regressor, as in scikit-learn.
    CHECK(ms::cross_val_score(ridge, X, y, 5) == scores);
    // Threads change nothing.
    CHECK(ms::cross_val_score(ridge, X, y, 5, 2) == scores);
}

TEST_CASE("cross_validate reports fit and score times per fold", "[cross_validation]") {
    const auto [X, y] = breast_cancer_as_regression();
    const auto result = ms::cross_validate(linear_model::Ridge<>(), X, y, 4);
    REQUIRE(result.test_score.size() == 4);
    CHECK((result.fit_time.array() >= 0).all());
    CHECK((result.score_time.array() >= 0).all());
}

TEST_CASE("GridSearchCV over Ridge's alpha equals scikit-learn's cv_results", "[grid_search]") {
    const auto [X, y] = breast_cancer_as_regression();
    using Params = linear_model::Ridge<>::Params;
    const auto candidates = ms::param_grid(Params{}, ms::axis(&Params::alpha, {0.01, 0.1, 1.0, 10.0, 100.0}));
    REQUIRE(candidates.size() == 5);
    ms::GridSearchCV search(linear_model::Ridge<>(), candidates, ms::KFold({.n_splits = 5}), 2);
    search.fit(X, y);
    const auto& results = search.cv_results();
    CHECK(max_relative_error(results.mean_test_score,
                             fixture_case("cross_validation/ridge").vector("grid_mean_test_score")) < 1e-12);
    CHECK(max_relative_error(results.std_test_score,
                             fixture_case("cross_validation/ridge").vector("grid_std_test_score")) < 1e-9);
    const auto expected_best =
        static_cast<Index>(kestrel::test::fixture_case("cross_validation/ridge").scalar("grid_best_index"));
    CHECK(search.best_index() == expected_best);
    CHECK(search.best_params().alpha == candidates[static_cast<std::size_t>(expected_best)].alpha);
    CHECK(search.best_score() == results.mean_test_score.maxCoeff());
    CHECK(results.rank_test_score[search.best_index()] == 1);
    // Refitted on all the data with the best alpha.
    linear_model::Ridge<> direct(search.best_params());
    direct.fit(X, y);
    CHECK(search.best_estimator().coef() == direct.coef());
    CHECK(search.predict(X.topRows(3)) == direct.predict(X.topRows(3)));
}

TEST_CASE("param_grid builds the Cartesian product, last axis fastest", "[grid_search]") {
    using Params = linear_model::Ridge<>::Params;
    const auto grid =
        ms::param_grid(Params{}, ms::axis(&Params::alpha, {1.0, 2.0}), ms::axis(&Params::fit_intercept, {true, false}));
    REQUIRE(grid.size() == 4);
    CHECK((grid[0].alpha == 1.0 && grid[0].fit_intercept));
    CHECK((grid[1].alpha == 1.0 && !grid[1].fit_intercept));
    CHECK((grid[2].alpha == 2.0 && grid[2].fit_intercept));
    CHECK((grid[3].alpha == 2.0 && !grid[3].fit_intercept));
}

TEST_CASE("cross-validation rejects bad input", "[cross_validation]") {
    const auto [X, y] = breast_cancer_as_regression();
    CHECK_THROWS_AS(ms::cross_val_score(linear_model::Ridge<>(), X, y.head(10), 5), invalid_input);
    CHECK_THROWS_AS(ms::cross_val_score(linear_model::Ridge<>(), X, y, 1), invalid_parameter);
    CHECK_THROWS_AS(ms::cross_val_score(linear_model::Ridge<>({.alpha = -1}), X, y, 5), invalid_parameter);
    std::vector<ms::Split> bad{{{0, 1, 2}, {9999}}};
    CHECK_THROWS_AS(ms::cross_val_score(linear_model::Ridge<>(), X, y, bad), invalid_input);
    using Params = linear_model::Ridge<>::Params;
    CHECK_THROWS_AS(ms::GridSearchCV(linear_model::Ridge<>(), std::vector<Params>{}), invalid_parameter);
    ms::GridSearchCV search(linear_model::Ridge<>(), {Params{}});
    CHECK_THROWS_AS(search.best_index(), not_fitted);
}
