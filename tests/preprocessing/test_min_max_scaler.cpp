#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/preprocessing/min_max_scaler.hpp>

#include <string>
#include <type_traits>

using namespace kestrel;
using kestrel::preprocessing::MinMaxScaler;
using kestrel::test::fixture_case;
using kestrel::test::max_relative_error;

static_assert(transformer<MinMaxScaler<float>> && unsupervised_estimator<MinMaxScaler<double>>);

namespace {

template <class T>
void check_minmax_fixtures(const MinMaxScaler<T>& scaler, const std::string& tag) {
    const double tol = std::is_same_v<T, float> ? 1e-5 : 1e-12;
    const auto expected = fixture_case("preprocessing/minmax_" + tag);
    const Matrix<T> X_new = fixture_case("preprocessing/minmax").matrix("X_new").cast<T>();
    CHECK(max_relative_error(scaler.data_min(), expected.vector("data_min")) < tol);
    CHECK(max_relative_error(scaler.data_max(), expected.vector("data_max")) < tol);
    CHECK(max_relative_error(scaler.data_range(), expected.vector("data_range"), 1e-3) <
          (std::is_same_v<T, float> ? 1e-3 : tol));
    CHECK(max_relative_error(scaler.scale(), expected.vector("scale")) < (std::is_same_v<T, float> ? 1e-3 : tol));
    CHECK(max_relative_error(scaler.min(), expected.vector("min"), 1.0) < (std::is_same_v<T, float> ? 1e-3 : tol));
    if constexpr (std::is_same_v<T, double>) {
        CHECK(max_relative_error(scaler.transform(X_new), expected.matrix("transform"), 1.0) < tol);
        CHECK(max_relative_error(scaler.inverse_transform(X_new), expected.matrix("inverse_transform"), 1.0) < tol);
    } else {
        // Column 1 sits near 1e4 with a spread of ~10, so float keeps only ~3 digits of min and scale there.
        CHECK(max_relative_error(scaler.transform(X_new), expected.matrix("transform"), 1.0) < 1e-2);
    }
}

}  // namespace

TEMPLATE_TEST_CASE("MinMaxScaler equals scikit-learn: ranges, clip, partial_fit, constant columns", "[min_max_scaler]",
                   float, double) {
    using T = TestType;
    const Matrix<T> X = fixture_case("preprocessing/minmax").matrix("X").cast<T>();
    MinMaxScaler<T> plain;
    check_minmax_fixtures(plain.fit(X), "default");
    MinMaxScaler<T> ranged({.feature_range_min = -2, .feature_range_max = 3.5});
    check_minmax_fixtures(ranged.fit(X), "range");
    MinMaxScaler<T> clipped({.feature_range_min = -1, .feature_range_max = 1, .clip = true});
    check_minmax_fixtures(clipped.fit(X), "clip");
    const Matrix<T> Z = clipped.transform(fixture_case("preprocessing/minmax").matrix("X_new").cast<T>());
    CHECK(Z.minCoeff() >= T(-1));
    CHECK(Z.maxCoeff() <= T(1));
    MinMaxScaler<T> batches({.feature_range_min = -2, .feature_range_max = 3.5});
    batches.partial_fit(X.topRows(4)).partial_fit(X.middleRows(4, 17)).partial_fit(X.bottomRows(9));
    check_minmax_fixtures(batches, "batches");
    CHECK(batches.n_samples_seen() == 30);
    // The fitted data maps onto the range exactly at its extremes.
    const Matrix<T> fitted = plain.transform(X);
    CHECK(fitted.col(0).minCoeff() == Approx(0.0).margin(1e-6));
    CHECK(fitted.col(0).maxCoeff() == Approx(1.0));
    CHECK(plain.inverse_transform(fitted).isApprox(X, T(1e-5)));
}

TEST_CASE("MinMaxScaler rejects bad parameters and input", "[min_max_scaler]") {
    MinMaxScaler<> scaler({.feature_range_min = 1, .feature_range_max = 1});
    CHECK_THROWS_AS(scaler.fit(Matrix<double>::Ones(3, 2)), invalid_parameter);
    CHECK_THROWS_WITH(
        MinMaxScaler<>({.feature_range_max = std::numeric_limits<double>::infinity()}).fit(Matrix<double>::Ones(3, 2)),
        "MinMaxScaler: parameter feature_range_max = inf is invalid: it must be finite.");
    MinMaxScaler<> good;
    CHECK_THROWS_AS(good.transform(Matrix<double>::Ones(2, 2)), not_fitted);
    CHECK_THROWS_AS(good.data_min(), not_fitted);
    CHECK_THROWS_AS(good.fit(Matrix<double>(0, 3)), invalid_input);
    Matrix<double> X = Matrix<double>::Random(4, 2);
    good.fit(X);
    CHECK_THROWS_WITH(good.transform(Matrix<double>::Ones(2, 3)),
                      "X has 3 features, but MinMaxScaler was fitted with 2");
    CHECK_THROWS_AS(good.partial_fit(Matrix<double>::Ones(2, 3)), invalid_input);
    X(1, 1) = std::numeric_limits<double>::infinity();
    CHECK_THROWS_AS(good.fit(X), invalid_input);
}
