#include <cmath>
#include <limits>
#include <string>

#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/core/random.hpp>
#include <kestrel/datasets/diabetes.hpp>
#include <kestrel/linear_model/linear_regression.hpp>

#include "common.hpp"

using namespace kestrel;
using kestrel::linear_model::LinearRegression;
using kestrel::test::fixture_case;
using kestrel::test::max_relative_error;
using kestrel::test::tolerance;

static_assert(regressor<LinearRegression<double>> && regressor<LinearRegression<float>>);
static_assert(!classifier<LinearRegression<double>>);

TEMPLATE_TEST_CASE("LinearRegression matches scikit-learn on diabetes", "[linear_regression]", float, double) {
    using T = TestType;
    const auto data = datasets::load_diabetes<T>();
    const double tol = tolerance<T>(1e-8, 2e-3);
    LinearRegression<T> ols;
    ols.fit(data.X, data.y);
    CHECK(max_relative_error(ols.coef(), fixture_case("linear_model/ols").vector("coef")) < tol);
    CHECK(std::abs(ols.intercept() - fixture_case("linear_model/ols").scalar("intercept")) <
          tol * std::abs(fixture_case("linear_model/ols").scalar("intercept")));

    ols.fit(data.X, data.y, test::reference_weights<T>(data.n_samples()));
    CHECK(max_relative_error(ols.coef(), fixture_case("linear_model/ols_weighted").vector("coef")) < tol);
    CHECK(std::abs(ols.intercept() - fixture_case("linear_model/ols_weighted").scalar("intercept")) <
          tol * std::abs(fixture_case("linear_model/ols_weighted").scalar("intercept")));

    LinearRegression<T> through_origin({.fit_intercept = false});
    through_origin.fit(data.X, data.y);
    CHECK(max_relative_error(through_origin.coef(), fixture_case("linear_model/ols_no_intercept").vector("coef")) <
          tol);
    CHECK(through_origin.intercept() == T(0));
}

TEST_CASE("LinearRegression gives the minimum-norm answer on rank-deficient X", "[linear_regression]") {
    const auto data = datasets::load_diabetes();
    Matrix<double> X(data.n_samples(), 12);
    X << data.X, data.X.col(0) + data.X.col(1), data.X.col(2);
    LinearRegression<> ols;
    ols.fit(X, data.y);
    CHECK(max_relative_error(ols.coef(), fixture_case("linear_model/ols_rank_deficient").vector("coef")) < 1e-8);
    CHECK(std::abs(ols.intercept() - fixture_case("linear_model/ols_rank_deficient").scalar("intercept")) < 1e-8 * 153);
}

TEMPLATE_TEST_CASE("LinearRegression gives the same answer for every memory layout", "[linear_regression]", float,
                   double) {
    using T = TestType;
    const auto data = datasets::load_diabetes<T>();
    LinearRegression<T> row, col, map;
    row.fit(data.X, data.y);
    col.fit(test::column_major(data.X), data.y);
    const Eigen::Map<const Matrix<T>> view(data.X.data(), data.X.rows(), data.X.cols());
    map.fit(view, Eigen::Map<const Vector<T>>(data.y.data(), data.y.size()));
    CHECK(col.coef() == row.coef());
    CHECK(map.coef() == row.coef());
    CHECK(col.predict(test::column_major(data.X)).isApprox(row.predict(data.X), T(tolerance<T>(1e-14, 1e-6))));
    const double r2 = fixture_case("linear_model/ols").scalar("score");
    CHECK(row.score(data.X, data.y) == Approx(r2).epsilon(tolerance<T>(1e-10, 1e-4)));
}

TEST_CASE("LinearRegression fits several targets as separate single-target fits", "[linear_regression]") {
    const auto data = datasets::load_diabetes();
    Matrix<double> Y(data.n_samples(), 2);
    Y << data.y, data.y.cwiseAbs2() / 100.0;
    LinearRegression<> both, second;
    both.fit(data.X, Y);
    second.fit(data.X, Vector<double>(Y.col(1)));
    CHECK(both.n_targets() == 2);
    CHECK(max_relative_error(both.coef_matrix().row(1), second.coef().transpose()) < 1e-12);
    CHECK(both.predict_matrix(data.X).col(1).isApprox(second.predict(data.X), 1e-12));
    CHECK_THROWS_AS(both.coef(), invalid_input);
    CHECK_THROWS_AS(both.predict(data.X), invalid_input);
}

TEST_CASE("LinearRegression uses the kernel form when features outnumber samples", "[linear_regression]") {
    // 3 samples, 5 features: infinitely many exact fits; the answer is the one of least norm.
    Matrix<double> X(3, 5);
    X << 1, 2, 0, 1, 3,  //
        0, 1, 1, 2, 1,   //
        2, 0, 1, 1, 0;
    const Vector<double> y = Vector<double>::LinSpaced(3, 1, 3);
    LinearRegression<> ols;
    ols.fit(X, y);
    CHECK(ols.predict(X).isApprox(y, 1e-12));
    const Matrix<double> centred = X.rowwise() - X.colwise().mean();
    // Minimum norm: coef lies in the row space of the centred X.
    const Eigen::MatrixXd basis = centred.transpose();
    const Vector<double> projected = basis * basis.completeOrthogonalDecomposition().solve(ols.coef());
    CHECK(projected.isApprox(ols.coef(), 1e-10));
}

TEST_CASE("LinearRegression rejects bad input", "[linear_regression]") {
    const auto data = datasets::load_diabetes();
    LinearRegression<> ols;
    CHECK_THROWS_AS(ols.predict(data.X), not_fitted);
    CHECK_THROWS_AS(ols.coef(), not_fitted);
    CHECK_THROWS_AS(ols.fit(data.X, Vector<double>(data.y.head(10))), invalid_input);
    Matrix<double> bad = data.X;
    bad(3, 4) = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(ols.fit(bad, data.y), invalid_input);
    Vector<double> bad_y = data.y;
    bad_y[0] = std::numeric_limits<double>::infinity();
    CHECK_THROWS_AS(ols.fit(data.X, bad_y), invalid_input);
    CHECK_THROWS_AS(ols.fit(data.X, data.y, Vector<double>::Ones(3)), invalid_input);
    ols.fit(data);
    CHECK_THROWS_WITH(ols.predict(Matrix<double>::Zero(2, 3)),
                      "X has 3 features, but LinearRegression was fitted with 10");
}

TEST_CASE("LinearRegression<float> solves an ill-conditioned system as accurately as double on the same data",
          "[linear_regression]") {
    using Catch::Matchers::Contains;
    // Columns scaled from 10^-1.5 to 10^1.5 around means far from the origin: cond(X) ≈ 1000 puts
    // the smallest singular value below 20,000·ε_float of the largest, where a float
    // minimum-norm solver would drop it. Two layouts reach the double normal equations by the two
    // routes: every row so scaled (the first 1,024 rows already show it, and the fit goes to double
    // at once), or only the rows after the first 1,024 (the float normal equations are formed, fail
    // the Cholesky test, and the fit goes to double then).
    for (const bool from_the_head : {true, false}) {
        random_engine rng(21);
        const Index n = 20000, d = 10;
        Matrix<double> X(n, d);
        for (Index j = 0; j < d; ++j) {
            const double scale = std::pow(10.0, -1.5 + 3.0 * static_cast<double>(j) / static_cast<double>(d - 1));
            const double offset = rng.uniform(-50.0, 50.0);
            for (Index i = 0; i < n; ++i) {
                X(i, j) = from_the_head || i >= 1024 ? offset + scale * rng.normal(0.0, 1.0) : rng.normal(0.0, 1.0);
            }
        }
        Vector<double> truth(d);
        for (Index j = 0; j < d; ++j) truth[j] = rng.uniform(-10.0, 10.0);
        Vector<double> y = X * truth;
        for (Index i = 0; i < n; ++i) y[i] += 3.0 + rng.normal(0.0, 1.0);
        INFO("ill-conditioned from the first rows: " << from_the_head);
        // Both fits see the same (float) numbers.
        Matrix<float> Xf = X.cast<float>();
        const Vector<float> yf = y.cast<float>();
        LinearRegression<float> single;
        single.fit(Xf, yf);
        LinearRegression<double> reference;
        reference.fit(Xf.cast<double>(), yf.cast<double>());
        CHECK(max_relative_error(single.coef().cast<double>(), reference.coef()) < 1e-5);
        CHECK(std::abs(static_cast<double>(single.intercept()) - reference.intercept()) <
              1e-5 * std::abs(reference.intercept()));
        // The first rows' column spread tells the two layouts apart.
        CHECK(linear_model::detail::float_normal_equations_spread_too_wide(Xf, Vector<double>(), true, 0.0) ==
              from_the_head);
        // A NaN is still named on either route, among the first rows or after them.
        for (const Index row : {Index{500}, Index{5000}}) {
            Matrix<float> bad = Xf;
            bad(row, 3) = std::numeric_limits<float>::quiet_NaN();
            CHECK_THROWS_WITH(single.fit(bad, yf), Contains("at row " + std::to_string(row) + ", column 3"));
        }
    }
}

TEST_CASE("float least squares go to double at once only when their first rows' column spread shows it",
          "[linear_regression]") {
    using linear_model::detail::float_normal_equations_spread_too_wide;
    random_engine rng(23);
    const Index n = 3000, d = 6;
    Matrix<float> X(n, d);
    for (Index i = 0; i < n; ++i) {
        for (Index j = 0; j < d; ++j) X(i, j) = static_cast<float>(rng.normal(0.0, 1.0));
    }
    const Vector<double> none;
    CHECK_FALSE(float_normal_equations_spread_too_wide(X, none, true, 0.0));
    // One column 10⁻² of the others: a spread of 10⁴ in the sums of squares, beyond 1/√ε_float ≈ 2,900.
    Matrix<float> narrow = X;
    narrow.col(2) *= 0.01F;
    CHECK(float_normal_equations_spread_too_wide(narrow, none, true, 0.0));
    CHECK(float_normal_equations_spread_too_wide(narrow, none, false, 0.0));
    // Around a mean far from zero, only a fit without an intercept sees the spread.
    Matrix<float> shifted = X;
    shifted.col(0).array() += 1000.0F;
    CHECK_FALSE(float_normal_equations_spread_too_wide(shifted, none, true, 0.0));
    CHECK(float_normal_equations_spread_too_wide(shifted, none, false, 0.0));
    // A penalty α, scaled to the first rows' share of the weight, closes the spread.
    CHECK_FALSE(float_normal_equations_spread_too_wide(narrow, none, true, 1e4));
    // Columns constant (or NaN) on the first rows say nothing about the rest, nor do rows of no weight.
    Matrix<float> constant_head = narrow;
    constant_head.col(2).head(1024).setConstant(0.5F);
    CHECK_FALSE(float_normal_equations_spread_too_wide(constant_head, none, true, 0.0));
    Matrix<float> nan_head = narrow;
    nan_head(10, 2) = std::numeric_limits<float>::quiet_NaN();
    CHECK_FALSE(float_normal_equations_spread_too_wide(nan_head, none, true, 0.0));
    Vector<double> weights = Vector<double>::Ones(n);
    weights.head(1024).setZero();
    CHECK_FALSE(float_normal_equations_spread_too_wide(narrow, weights, true, 0.0));
    weights.head(1024).setConstant(2.0);
    CHECK(float_normal_equations_spread_too_wide(narrow, weights, true, 0.0));
}

TEST_CASE("LinearRegression names the first NaN or infinity of X, found through its normal equations",
          "[linear_regression]") {
    using Catch::Matchers::Contains;
    const auto data = datasets::load_diabetes();
    LinearRegression<> ols;
    for (const double value : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                               -std::numeric_limits<double>::infinity()}) {
        Matrix<double> bad = data.X;
        bad(300, 7) = value;
        bad(400, 2) = value;
        CHECK_THROWS_WITH(ols.fit(bad, data.y), Contains("at row 300, column 7"));
        // A row of weight zero still may not hold one.
        Vector<double> weights = Vector<double>::Ones(data.n_samples());
        weights[300] = 0;
        CHECK_THROWS_WITH(ols.fit(bad, data.y, weights), Contains("at row 300, column 7"));
        // Without an intercept, and with more features than samples (the kernel system).
        LinearRegression<> through_origin({.fit_intercept = false});
        CHECK_THROWS_WITH(through_origin.fit(bad, data.y), Contains("at row 300, column 7"));
        CHECK_THROWS_WITH(ols.fit(Matrix<double>(bad.middleRows(295, 8)), Vector<double>(data.y.segment(295, 8))),
                          Contains("at row 5, column 7"));
        CHECK_FALSE(ols.is_fitted());
    }
}
