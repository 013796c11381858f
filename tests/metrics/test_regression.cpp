#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/metrics/regression.hpp>

#include <type_traits>

using namespace kestrel;
using namespace kestrel::metrics;
using kestrel::test::fixture_case;

TEMPLATE_TEST_CASE("r2, mse and mae equal scikit-learn", "[regression]", float, double) {
    using T = TestType;
    const double tol = std::is_same_v<T, float> ? 2e-6 : 1e-12;
    const Vector<T> y_true = fixture_case("metrics/reg").vector("y_true").cast<T>();
    const Vector<T> y_pred = fixture_case("metrics/reg").vector("y_pred").cast<T>();
    const Vector<T> w = fixture_case("metrics/reg").vector("w").cast<T>();
    const Vector<double> plain = fixture_case("metrics/reg").vector("scores");
    const Vector<double> weighted = fixture_case("metrics/reg").vector("scores_weighted");
    const auto close = [tol](T got, double expected) {
        return std::abs(double(got) - expected) <= tol * std::abs(expected);
    };
    CHECK(close(r2_score(y_true, y_pred), plain[0]));
    CHECK(close(mean_squared_error(y_true, y_pred), plain[1]));
    CHECK(close(mean_absolute_error(y_true, y_pred), plain[2]));
    CHECK(close(r2_score(y_true, y_pred, w), weighted[0]));
    CHECK(close(mean_squared_error(y_true, y_pred, w), weighted[1]));
    CHECK(close(mean_absolute_error(y_true, y_pred, w), weighted[2]));

    const Vector<double> constant = fixture_case("metrics/reg").vector("constant_r2");
    const Vector<T> c = Vector<T>::Constant(5, T(2.5));
    CHECK(r2_score(c, c) == T(constant[0]));
    CHECK(r2_score(c, Vector<T>(c.array() + T(1))) == T(constant[1]));
}

TEST_CASE("regression metrics reject bad input", "[regression]") {
    const Vector<double> a = Vector<double>::Ones(4);
    CHECK_THROWS_AS(mean_squared_error(a, Vector<double>::Ones(3)), invalid_input);
    CHECK_THROWS_AS(mean_absolute_error(Vector<double>(), Vector<double>()), invalid_input);
    CHECK_THROWS_AS(r2_score(Vector<double>::Ones(1), Vector<double>::Ones(1)), invalid_input);
    Vector<double> nan = a;
    nan[2] = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(r2_score(a, nan), invalid_input);
    CHECK_THROWS_AS(mean_squared_error(a, a, Vector<double>::Constant(4, -1.0)), invalid_input);
}
