// RobustScaler, MaxAbsScaler and Normalizer against scikit-learn
// (tests/reference/gen_preprocessing_more.py), and their refusals of bad parameters and input.
#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/preprocessing/max_abs_scaler.hpp>
#include <kestrel/preprocessing/normalizer.hpp>
#include <kestrel/preprocessing/robust_scaler.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

using namespace kestrel;
using kestrel::preprocessing::MaxAbsScaler;
using kestrel::preprocessing::Norm;
using kestrel::preprocessing::Normalizer;
using kestrel::preprocessing::RobustScaler;
using kestrel::test::fixture_case;
using kestrel::test::nan_aware_error;

static_assert(transformer<RobustScaler<float>> && unsupervised_estimator<RobustScaler<double>>);
static_assert(transformer<MaxAbsScaler<float>> && unsupervised_estimator<MaxAbsScaler<double>>);
static_assert(transformer<Normalizer<float>> && unsupervised_estimator<Normalizer<double>>);

namespace {

template <class T>
Matrix<T> input(const std::string& member) {
    return fixture_case("preprocessing/more").matrix(member).cast<T>();
}

// Column 4 spreads over 1e-9: above 10 epsilon in double, below it in float, where scikit-learn
// (in float32) and kestrel give it scale 1. Float runs compare the other columns.
template <class T>
constexpr Index compared_columns = std::is_same_v<T, float> ? 4 : 5;

/// The largest relative difference of a fitted scaler's attributes and outputs from the case's.
template <class E>
double robust_error(const E& scaler, const std::string& tag) {
    using T = scalar_of<E>;
    constexpr Index d = compared_columns<T>;
    const auto expected = fixture_case("preprocessing/" + tag);
    const Matrix<T> X_new = input<T>("X_new");
    double worst = 0;
    if (scaler.params().with_centering) {
        worst = std::max(worst, nan_aware_error(scaler.center().head(d), expected.vector("center").head(d), 1.0));
    } else {
        CHECK(scaler.center().size() == 0);
    }
    if (scaler.params().with_scaling) {
        worst = std::max(worst, nan_aware_error(scaler.scale().head(d), expected.vector("scale").head(d)));
    } else {
        CHECK(scaler.scale().size() == 0);
    }
    worst = std::max(
        worst, nan_aware_error(scaler.transform(X_new).leftCols(d), expected.matrix("transform").leftCols(d), 1.0));
    worst = std::max(worst, nan_aware_error(scaler.inverse_transform(X_new).leftCols(d),
                                            expected.matrix("inverse_transform").leftCols(d), 1.0));
    return worst;
}

}  // namespace

TEMPLATE_TEST_CASE("RobustScaler equals scikit-learn: medians, percentile ranges, unit variance, NaN",
                   "[robust_scaler]", float, double) {
    using T = TestType;
    // float: column 1 sits near 100 and column 4 has a spread of 1e-9, so float keeps ~5 digits
    // of their differences.
    const double tol = std::is_same_v<T, float> ? 2e-4 : 1e-13;
    const Matrix<T> X = input<T>("X"), X_nan = input<T>("X_nan");
    CHECK(robust_error(RobustScaler<T>().fit(X), "robust_default") < tol);
    CHECK(robust_error(
              RobustScaler<T>({.quantile_range_min = 10, .quantile_range_max = 87.5, .unit_variance = true}).fit(X),
              "robust_range") < tol);
    CHECK(robust_error(RobustScaler<T>({.quantile_range_min = 33, .quantile_range_max = 66}).fit(X_nan), "robust_nan") <
          tol);
    CHECK(robust_error(
              RobustScaler<T>({.with_centering = false, .quantile_range_min = 0, .quantile_range_max = 100}).fit(X),
              "robust_no_centering") < tol);
    CHECK(robust_error(RobustScaler<T>({.with_scaling = false}).fit(X_nan), "robust_no_scaling") < tol);
    const RobustScaler<T> plain = RobustScaler<T>().fit(X);
    CHECK(plain.scale()[2] == T(1));  // a constant feature keeps its values' spread
    CHECK(nan_aware_error(plain.inverse_transform(plain.transform(X)), X, 1.0) <
          (std::is_same_v<T, float> ? 1e-5 : 1e-14));
}

TEMPLATE_TEST_CASE("MaxAbsScaler equals scikit-learn: fit and partial_fit, NaN ignored", "[max_abs_scaler]", float,
                   double) {
    using T = TestType;
    const double tol = std::is_same_v<T, float> ? 1e-6 : 1e-15;
    const Matrix<T> X_nan = input<T>("X_nan"), X_new = input<T>("X_new");
    const auto expected = fixture_case("preprocessing/maxabs");
    constexpr Index d = compared_columns<T>;
    const MaxAbsScaler<T> scaler = MaxAbsScaler<T>().fit(X_nan);
    CHECK(nan_aware_error(scaler.max_abs(), expected.vector("max_abs")) < tol);
    CHECK(nan_aware_error(scaler.scale().head(d), expected.vector("scale").head(d)) < tol);
    CHECK(nan_aware_error(scaler.transform(X_new).leftCols(d), expected.matrix("transform").leftCols(d), 1.0) < tol);
    CHECK(nan_aware_error(scaler.inverse_transform(X_new).leftCols(d), expected.matrix("inverse_transform").leftCols(d),
                          1.0) < tol);
    CHECK(scaler.n_samples_seen() == 25);
    MaxAbsScaler<T> batches;
    batches.partial_fit(X_nan.topRows(6)).partial_fit(X_nan.middleRows(6, 11)).partial_fit(X_nan.bottomRows(8));
    const auto in_batches = fixture_case("preprocessing/maxabs_batches");
    CHECK(nan_aware_error(batches.max_abs(), in_batches.vector("max_abs")) < tol);
    CHECK(nan_aware_error(batches.scale().head(d), in_batches.vector("scale").head(d)) < tol);
    CHECK(batches.n_samples_seen() == static_cast<Index>(in_batches.scalar("n_samples_seen")));
    // |x| of at most 2e-9: below 10 epsilon only in float, where the scale becomes 1.
    CHECK(scaler.scale()[4] == (std::is_same_v<T, float> ? T(1) : scaler.max_abs()[4]));
}

TEMPLATE_TEST_CASE("Normalizer equals scikit-learn: l1, l2 and max norms, zero rows", "[normalizer]", float, double) {
    using T = TestType;
    const double tol = std::is_same_v<T, float> ? 1e-6 : 1e-15;
    const Matrix<T> X = input<T>("X_rows");
    for (const auto& [tag, norm] :
         {std::pair{"l1", Norm::l1}, std::pair{"l2", Norm::l2}, std::pair{"max", Norm::max}}) {
        INFO(tag);
        const Matrix<T> Z = Normalizer<T>({.norm = norm}).fit_transform(X);
        CHECK(nan_aware_error(Z, fixture_case(std::string("preprocessing/normalizer_") + tag).matrix("transform"),
                              1.0) < tol);
        CHECK(Z.row(2).isZero());
    }
}

TEST_CASE("RobustScaler, MaxAbsScaler and Normalizer reject bad parameters and input",
          "[robust_scaler][max_abs_scaler][normalizer]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    const Matrix<double> X = Matrix<double>::Random(6, 3);
    CHECK_THROWS_WITH(RobustScaler<>({.quantile_range_min = 80}).fit(X),
                      "RobustScaler: parameter quantile_range_max = 75 is invalid: it must lie in "
                      "[quantile_range_min, 100].");
    CHECK_THROWS_AS(RobustScaler<>({.quantile_range_min = -1}).fit(X), invalid_parameter);
    CHECK_THROWS_AS(RobustScaler<>({.quantile_range_min = 0, .unit_variance = true}).fit(X), invalid_parameter);
    Matrix<double> bad = X;
    bad(1, 2) = inf;
    CHECK_THROWS_AS(RobustScaler<>().fit(bad), invalid_input);
    CHECK_THROWS_AS(MaxAbsScaler<>().fit(bad), invalid_input);
    CHECK_THROWS_AS(Normalizer<>().fit(bad), invalid_input);
    bad(1, 2) = nan;
    CHECK_THROWS_AS(Normalizer<>().fit(bad), invalid_input);  // NaN is not missing to a Normalizer
    Matrix<double> empty_feature = X;
    empty_feature.col(1).setConstant(nan);
    CHECK_THROWS_WITH(RobustScaler<>().fit(empty_feature), Catch::Contains("feature 1 has no value but NaN"));
    CHECK_THROWS_WITH(MaxAbsScaler<>().fit(empty_feature), Catch::Contains("feature 1 has no value but NaN"));
    RobustScaler<> robust;
    MaxAbsScaler<> max_abs;
    Normalizer<> normalizer;
    CHECK_THROWS_AS(robust.transform(X), not_fitted);
    CHECK_THROWS_AS(max_abs.scale(), not_fitted);
    CHECK_THROWS_AS(normalizer.transform(X), not_fitted);
    robust.fit(X);
    max_abs.fit(X);
    normalizer.fit(X);
    const Matrix<double> wide = Matrix<double>::Ones(2, 4);
    CHECK_THROWS_WITH(robust.transform(wide), "X has 4 features, but RobustScaler was fitted with 3");
    CHECK_THROWS_WITH(max_abs.transform(wide), "X has 4 features, but MaxAbsScaler was fitted with 3");
    CHECK_THROWS_WITH(normalizer.transform(wide), "X has 4 features, but Normalizer was fitted with 3");
    CHECK_THROWS_AS(max_abs.partial_fit(wide), invalid_input);
    CHECK(max_abs.n_samples_seen() == 6);  // the refused batch changed nothing
    CHECK_THROWS_AS(robust.fit(Matrix<double>(0, 3)), invalid_input);
}
