#include <limits>

#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/datasets/diabetes.hpp>
#include <kestrel/linear_model/ridge.hpp>

#include "common.hpp"

using namespace kestrel;
using kestrel::linear_model::Ridge;
using kestrel::test::fixture_case;
using kestrel::test::max_relative_error;
using kestrel::test::tolerance;

static_assert(regressor<Ridge<double>> && regressor<Ridge<float>>);
static_assert((Ridge<>::Params{.alpha = 2}.validate(), true), "Params::validate() is usable in constant expressions");

namespace {

template <class T>
void check_ridge(const Ridge<T>& ridge, const std::string& prefix, double tol) {
    CHECK(max_relative_error(ridge.coef_matrix(),
                             fixture_case("linear_model/" + prefix)
                                 .matrix("coef")
                                 .reshaped<Eigen::RowMajor>(ridge.n_targets(), ridge.n_features_in())) < tol);
    CHECK(max_relative_error(ridge.intercept_vector(), fixture_case("linear_model/" + prefix).vector("intercept")) <
          tol);
}

}  // namespace

TEMPLATE_TEST_CASE("Ridge matches scikit-learn on diabetes", "[ridge]", float, double) {
    using T = TestType;
    const auto data = datasets::load_diabetes<T>();
    const double tol = tolerance<T>(1e-8, 1e-4);
    Ridge<T> ridge({.alpha = 0.5});
    check_ridge(ridge.fit(data.X, data.y), "ridge", tol);
    check_ridge(ridge.fit(data.X, data.y, test::reference_weights<T>(data.n_samples())), "ridge_weighted", tol);

    Matrix<T> Y(data.n_samples(), 2);
    Y << data.y, data.y.cwiseAbs2() / T(100);
    check_ridge(ridge.fit(data.X, Y), "ridge_multi", tol);

    // More features than samples: the kernel form (XXᵀ + αI) c = y.
    Ridge<T> wide({.alpha = 0.01});
    check_ridge(wide.fit(Matrix<T>(data.X.topRows(8)), Vector<T>(data.y.head(8))), "ridge_wide",
                tolerance<T>(1e-8, 1e-3));
}

TEMPLATE_TEST_CASE("Ridge gives the same answer for every memory layout", "[ridge]", float, double) {
    using T = TestType;
    const auto data = datasets::load_diabetes<T>();
    Ridge<T> row, col, map;
    row.fit(data.X, data.y);
    col.fit(test::column_major(data.X), data.y);
    map.fit(Eigen::Map<const Matrix<T>>(data.X.data(), data.X.rows(), data.X.cols()), data.y);
    CHECK(col.coef() == row.coef());
    CHECK(map.coef() == row.coef());
    CHECK(col.intercept() == row.intercept());
}

TEST_CASE("Ridge with alpha 0 is least squares; a larger alpha shrinks the coefficients", "[ridge]") {
    const auto data = datasets::load_diabetes();
    Ridge<> none({.alpha = 0}), strong({.alpha = 10});
    none.fit(data.X, data.y);
    strong.fit(data.X, data.y);
    CHECK(max_relative_error(none.coef(), fixture_case("linear_model/ols").vector("coef")) < 1e-8);
    CHECK(strong.coef().norm() < none.coef().norm());
    CHECK(strong.score(data.X, data.y) < none.score(data.X, data.y));
}

TEST_CASE("Ridge rejects bad parameters and input", "[ridge]") {
    const auto data = datasets::load_diabetes();
    Ridge<> ridge({.alpha = -1});
    CHECK_THROWS_AS(ridge.fit(data.X, data.y), invalid_parameter);
    ridge.set_params({.alpha = 1});
    CHECK_THROWS_AS(ridge.fit(data.X, Vector<double>(data.y.head(3))), invalid_input);
    Matrix<double> bad = data.X;
    bad(0, 0) = std::numeric_limits<double>::infinity();
    CHECK_THROWS_AS(ridge.fit(bad, data.y), invalid_input);
    CHECK_THROWS_AS(ridge.predict(data.X), not_fitted);
    ridge.fit(data.X, data.y);
    CHECK_THROWS_AS(ridge.predict(Matrix<double>::Zero(1, 9)), invalid_input);
}
