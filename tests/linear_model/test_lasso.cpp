#include <limits>

#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/datasets/diabetes.hpp>
#include <kestrel/linear_model/elastic_net.hpp>
#include <kestrel/linear_model/lasso.hpp>

#include "common.hpp"

using namespace kestrel;
using kestrel::linear_model::Lasso;
using kestrel::linear_model::Precompute;
using kestrel::test::fixture_case;
using kestrel::test::max_relative_error;
using kestrel::test::tolerance;

static_assert(regressor<Lasso<double>> && regressor<Lasso<float>>);

TEMPLATE_TEST_CASE("Lasso matches scikit-learn on diabetes, on X and on its Gram matrix", "[lasso]", float, double) {
    using T = TestType;
    const auto data = datasets::load_diabetes<T>();
    const Vector<T> w = test::reference_weights<T>(data.n_samples());
    const double tol = tolerance<T>(1e-6, 1e-3);
    for (Precompute precompute : {Precompute::false_, Precompute::true_}) {
        Lasso<T> lasso({.alpha = 0.1, .precompute = precompute, .max_iter = 100000, .tol = tolerance<T>(1e-12, 1e-7)});
        lasso.fit(data.X, data.y);
        const Vector<double> expected = fixture_case("linear_model/lasso").vector("coef");
        CHECK(max_relative_error(lasso.coef(), expected) < tol);
        // The penalty zeroes the same coefficients exactly.
        CHECK(((lasso.coef().array() == T(0)) == (expected.array() == 0.0)).all());
        CHECK(std::abs(lasso.intercept() - fixture_case("linear_model/lasso").scalar("intercept")) < tol * 152);

        lasso.fit(data.X, data.y, w);
        CHECK(max_relative_error(lasso.coef(), fixture_case("linear_model/lasso_weighted").vector("coef")) < tol);
        CHECK(std::abs(lasso.intercept() - fixture_case("linear_model/lasso_weighted").scalar("intercept")) <
              tol * 152);
    }
}

TEST_CASE("Lasso at the default tolerance stops where scikit-learn stops", "[lasso]") {
    const auto data = datasets::load_diabetes();
    for (const auto& [precompute, name] :
         {std::pair{Precompute::false_, "plain"}, std::pair{Precompute::true_, "gram"}}) {
        Lasso<> lasso({.alpha = 0.1, .precompute = precompute});
        lasso.fit(data.X, data.y);
        const std::string prefix = std::string("linear_model/lasso_default_") + name;
        CHECK(lasso.converged());
        CHECK(lasso.n_iter() == static_cast<int>(fixture_case(prefix).scalar("n_iter")));
        CHECK(lasso.dual_gap() == Approx(fixture_case(prefix).scalar("dual_gap")).epsilon(1e-6));
    }
}

TEMPLATE_TEST_CASE("Lasso gives the same answer for every memory layout", "[lasso]", float, double) {
    using T = TestType;
    const auto data = datasets::load_diabetes<T>();
    for (Precompute precompute : {Precompute::false_, Precompute::true_}) {
        Lasso<T> row({.alpha = 0.2, .precompute = precompute}), col(row.params()), map(row.params());
        row.fit(data.X, data.y);
        col.fit(test::column_major(data.X), data.y);
        map.fit(Eigen::Map<const Matrix<T>>(data.X.data(), data.X.rows(), data.X.cols()), data.y);
        CHECK(col.coef() == row.coef());
        CHECK(map.coef() == row.coef());
        CHECK(col.n_iter() == row.n_iter());
    }
}

TEST_CASE("Lasso warm start resumes from the previous coefficients", "[lasso]") {
    const auto data = datasets::load_diabetes();
    Lasso<> cold({.alpha = 0.05, .tol = 1e-10}), warm({.alpha = 0.1, .tol = 1e-10, .warm_start = true});
    cold.fit(data.X, data.y);
    warm.fit(data.X, data.y);
    auto p = warm.params();
    p.alpha = 0.05;
    warm.set_params(p).fit(data.X, data.y);
    CHECK(max_relative_error(warm.coef(), cold.coef()) < 1e-6);
    CHECK(warm.n_iter() < cold.n_iter());
    // Refitting a converged model from its own answer takes a single pass.
    warm.fit(data.X, data.y);
    CHECK(warm.n_iter() == 1);
}

TEST_CASE("Lasso positive keeps every coefficient non-negative", "[lasso]") {
    const auto data = datasets::load_diabetes();
    for (Precompute precompute : {Precompute::false_, Precompute::true_}) {
        Lasso<> lasso({.alpha = 0.01, .precompute = precompute, .positive = true});
        lasso.fit(data.X, data.y);
        CHECK((lasso.coef().array() >= 0).all());
        CHECK((lasso.coef().array() > 0).any());
    }
}

TEST_CASE("Lasso reports non-convergence as state", "[lasso]") {
    const auto data = datasets::load_diabetes();
    Lasso<> lasso({.alpha = 0.01, .max_iter = 2, .tol = 1e-12});
    lasso.fit(data.X, data.y);
    CHECK_FALSE(lasso.converged());
    CHECK(lasso.n_iter() == 2);
    CHECK(lasso.dual_gap() > 0);
}

TEST_CASE("Lasso rejects bad parameters and input", "[lasso]") {
    const auto data = datasets::load_diabetes();
    CHECK_THROWS_AS(Lasso<>({.alpha = -0.1}).fit(data.X, data.y), invalid_parameter);
    CHECK_THROWS_AS(Lasso<>({.max_iter = 0}).fit(data.X, data.y), invalid_parameter);
    CHECK_THROWS_AS(Lasso<>({.tol = -1}).fit(data.X, data.y), invalid_parameter);
    Lasso<> lasso;
    CHECK_THROWS_AS(lasso.n_iter(), not_fitted);
    CHECK_THROWS_AS(lasso.fit(data.X, Vector<double>(data.y.head(5))), invalid_input);
    Matrix<double> bad = data.X;
    bad(1, 1) = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(lasso.fit(bad, data.y), invalid_input);
    CHECK_THROWS_AS(lasso.fit(data.X, data.y, Vector<double>::Constant(data.n_samples(), -1)), invalid_input);
    lasso.fit(data);
    CHECK_THROWS_AS(lasso.predict(Matrix<double>::Zero(2, 4)), invalid_input);
}

TEST_CASE("Lasso and lasso_path name the first NaN or infinity of X, on the Gram route and on X", "[lasso]") {
    using Catch::Matchers::Contains;
    const auto data = datasets::load_diabetes();
    for (const double value : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
        Matrix<double> bad = data.X;
        bad(200, 5) = value;
        bad(250, 1) = value;
        for (const Precompute precompute : {Precompute::auto_, Precompute::false_}) {
            Lasso<> lasso({.alpha = 0.1, .precompute = precompute});
            CHECK_THROWS_WITH(lasso.fit(bad, data.y), Contains("at row 200, column 5"));
            CHECK_FALSE(lasso.is_fitted());
            CHECK_THROWS_WITH(
                linear_model::lasso_path(bad, data.y, Vector<double>::Constant(2, 0.1), {.precompute = precompute}),
                Contains("at row 200, column 5"));
        }
    }
}
