#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/impute/simple_imputer.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

using namespace kestrel;
using kestrel::impute::SimpleImputer;
using kestrel::impute::Strategy;
using kestrel::test::fixture_case;
using kestrel::test::nan_aware_error;

static_assert(transformer<SimpleImputer<float>> && unsupervised_estimator<SimpleImputer<double>>);

namespace {

template <class T>
double checked_case(const std::string& tag, const typename SimpleImputer<T>::Params& params, bool marker = false) {
    const auto data = fixture_case("impute/data");
    const Matrix<T> X = data.matrix(marker ? "X_marker" : "X").cast<T>();
    const Matrix<T> X_new = data.matrix(marker ? "X_marker_new" : "X_new").cast<T>();
    const auto expected = fixture_case("impute/" + tag);
    SimpleImputer<T> imputer(params);
    imputer.fit(X);
    double worst = nan_aware_error(imputer.statistics(), expected.vector("statistics"), 1.0);
    const Matrix<T> Z = imputer.transform(X_new);
    CHECK(Z.cols() == imputer.n_features_out());
    worst = std::max(worst, nan_aware_error(Z, expected.matrix("transform"), 1.0));
    worst = std::max(worst, nan_aware_error(imputer.fit_transform(X), expected.matrix("transform_fit"), 1.0));
    CHECK(Z.allFinite());
    if (params.add_indicator) {
        CHECK(imputer.indicator_features() == expected.labels("indicator_features"));
        if (!imputer.statistics().hasNaN()) {
            worst =
                std::max(worst, nan_aware_error(imputer.inverse_transform(Z), expected.matrix("inverse_transform"), 1.0));
        }
    } else {
        CHECK(imputer.indicator_features().size() == 0);
    }
    return worst;
}

}  // namespace

TEMPLATE_TEST_CASE("SimpleImputer equals scikit-learn: every strategy, indicators, empty features, markers",
                   "[simple_imputer]", float, double) {
    using T = TestType;
    const double tol = std::is_same_v<T, float> ? 1e-6 : 1e-14;
    for (const auto& [tag, strategy] : {std::pair{"mean", Strategy::mean}, std::pair{"median", Strategy::median},
                                        std::pair{"most_frequent", Strategy::most_frequent}}) {
        INFO(tag);
        CHECK(checked_case<T>(tag, {.strategy = strategy}) < tol);
        CHECK(checked_case<T>(std::string(tag) + "_keep", {.strategy = strategy, .keep_empty_features = true}) < tol);
        CHECK(checked_case<T>(std::string(tag) + "_indicator", {.strategy = strategy, .add_indicator = true}) < tol);
    }
    CHECK(checked_case<T>("mean_keep_indicator", {.add_indicator = true, .keep_empty_features = true}) < tol);
    CHECK(checked_case<T>("constant", {.strategy = Strategy::constant}) < tol);
    CHECK(checked_case<T>("constant_fill",
                          {.strategy = Strategy::constant, .fill_value = -7.25, .add_indicator = true}) < tol);
    CHECK(checked_case<T>("marker_median", {.missing_values = -1, .strategy = Strategy::median, .add_indicator = true},
                          true) < tol);
    CHECK(checked_case<T>("marker_most_frequent_keep",
                          {.missing_values = -1, .strategy = Strategy::most_frequent, .keep_empty_features = true},
                          true) < tol);
}

TEST_CASE("SimpleImputer drops all-missing features and inverts through its indicators", "[simple_imputer]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    Matrix<double> X(4, 3);
    X << 1, nan, 5,   //
        nan, nan, 6,  //
        3, nan, 7,    //
        3, nan, 9;
    SimpleImputer<> imputer({.strategy = Strategy::most_frequent, .add_indicator = true});
    const Matrix<double> Z = imputer.fit_transform(X);
    REQUIRE(Z.cols() == 4);  // features 0 and 2, then the indicators of 0 and 1
    CHECK(std::isnan(imputer.statistics()[1]));
    CHECK(imputer.statistics()[0] == 3);
    CHECK(Z(1, 0) == 3);
    CHECK(Z.col(3).isOnes());
    CHECK(Z.col(2) == Eigen::Vector4d(0, 1, 0, 0));
    const Matrix<double> back = imputer.inverse_transform(Z);
    CHECK(std::isnan(back(1, 0)));
    CHECK(back.col(1).array().isNaN().all());
    CHECK(back.col(2) == X.col(2));
    // Strategy::constant never drops; the marker comes back as the number it is.
    SimpleImputer<> constant(
        {.missing_values = 0, .strategy = Strategy::constant, .fill_value = 4, .add_indicator = true});
    const Matrix<double> ones = Matrix<double>::Ones(3, 2);
    Matrix<double> with_zero = ones;
    with_zero(1, 1) = 0;
    const Matrix<double> filled = constant.fit_transform(with_zero);
    CHECK(filled(1, 1) == 4);
    CHECK(constant.inverse_transform(filled) == with_zero);
}

TEST_CASE("SimpleImputer rejects bad parameters and input", "[simple_imputer]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    Matrix<double> X = Matrix<double>::Random(5, 3);
    CHECK_THROWS_WITH(SimpleImputer<>({.missing_values = nan}).fit(X),
                      "SimpleImputer: parameter missing_values = nan is invalid: it must be a finite number; leave it "
                      "empty for NaN.");
    CHECK_THROWS_AS(SimpleImputer<>({.strategy = Strategy::constant, .fill_value = inf}).fit(X), invalid_parameter);
    SimpleImputer<> imputer;
    CHECK_THROWS_AS(imputer.transform(X), not_fitted);
    CHECK_THROWS_AS(imputer.statistics(), not_fitted);
    CHECK_THROWS_AS(imputer.fit(Matrix<double>(0, 3)), invalid_input);
    imputer.fit(X);
    CHECK_THROWS_WITH(imputer.transform(Matrix<double>::Ones(2, 4)),
                      "X has 4 features, but SimpleImputer was fitted with 3");
    CHECK_THROWS_AS(imputer.inverse_transform(X), invalid_parameter);  // needs add_indicator
    Matrix<double> bad = X;
    bad(2, 1) = -inf;
    CHECK_THROWS_WITH(imputer.fit(bad), Catch::Contains("X holds an infinite value (row 2, column 1)"));
    CHECK(!imputer.is_fitted());  // a failed fit leaves no model behind
    CHECK_THROWS_AS(imputer.fit(X).transform(bad), invalid_input);
    // With a number as the marker, NaN is an error, not a missing value.
    bad(2, 1) = nan;
    SimpleImputer<> marked({.missing_values = -1});
    CHECK_THROWS_WITH(marked.fit(bad), Catch::Contains("X holds NaN; missing values are supported only when "
                                                       "missing_values is NaN (left empty); here it is a number"));
    SimpleImputer<> indicated({.add_indicator = true});
    indicated.fit(bad);
    CHECK(indicated.n_features_out() == 4);
    CHECK_THROWS_AS(indicated.inverse_transform(X), invalid_input);  // 3 columns, transform gives 4
}
