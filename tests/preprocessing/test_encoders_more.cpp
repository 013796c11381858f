// PolynomialFeatures and OrdinalEncoder against scikit-learn
// (tests/reference/gen_preprocessing_more.py), and their refusals of bad parameters and input.
#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/preprocessing/ordinal_encoder.hpp>
#include <kestrel/preprocessing/polynomial_features.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

using namespace kestrel;
using kestrel::preprocessing::OrdinalEncoder;
using kestrel::preprocessing::OrdinalHandleUnknown;
using kestrel::preprocessing::PolynomialFeatures;
using kestrel::test::fixture_case;
using kestrel::test::nan_aware_error;

static_assert(transformer<PolynomialFeatures<float>> && unsupervised_estimator<PolynomialFeatures<double>>);
static_assert(transformer<OrdinalEncoder<float>> && unsupervised_estimator<OrdinalEncoder<double>>);

TEMPLATE_TEST_CASE("PolynomialFeatures equals scikit-learn: powers_, column order and values", "[polynomial_features]",
                   float, double) {
    using T = TestType;
    // The same multiplications as scikit-learn's, in the same order: exact in double.
    const double tol = std::is_same_v<T, float> ? 1e-6 : 0.0;
    const Matrix<T> X = fixture_case("preprocessing/poly_input").matrix("X").template cast<T>();
    using P = typename PolynomialFeatures<T>::Params;
    for (const auto& [tag, params] : {
             std::pair{"poly_default", P{}},
             std::pair{"poly_cubic_interaction", P{.degree = 3, .interaction_only = true}},
             std::pair{"poly_range_no_bias", P{.min_degree = 2, .degree = 4, .include_bias = false}},
             std::pair{"poly_range_interaction", P{.min_degree = 2, .degree = 3, .interaction_only = true}},
             std::pair{"poly_degree_zero", P{.degree = 0}},
         }) {
        INFO(tag);
        const auto expected = fixture_case(std::string("preprocessing/") + tag);
        PolynomialFeatures<T> poly(params);
        const Matrix<T> Z = poly.fit_transform(X);
        CHECK(poly.n_output_features() == static_cast<Index>(expected.scalar("n_output_features")));
        CHECK(poly.n_features_out() == poly.n_output_features());
        CHECK(poly.powers().template cast<double>() == expected.matrix("powers"));
        CHECK(nan_aware_error(Z, expected.matrix("transform")) <= tol);
    }
}

TEST_CASE("PolynomialFeatures refuses bad parameters and input", "[polynomial_features]") {
    const Matrix<double> X = Matrix<double>::Random(4, 3);
    CHECK_THROWS_WITH(PolynomialFeatures<>({.degree = 0, .include_bias = false}).fit(X),
                      Catch::Contains("parameter degree = 0 is invalid"));
    CHECK_THROWS_AS(PolynomialFeatures<>({.min_degree = 3, .degree = 2}).fit(X), invalid_parameter);
    CHECK_THROWS_AS(PolynomialFeatures<>({.min_degree = -1}).fit(X), invalid_parameter);
    CHECK_THROWS_WITH(PolynomialFeatures<>({.degree = 10000000}).fit(X), Catch::Contains("more output features"));
    // Interaction terms stop at the feature count: a huge degree is harmless.
    CHECK(PolynomialFeatures<>({.degree = 1000000, .interaction_only = true}).fit(X).n_output_features() == 8);
    Matrix<double> bad = X;
    bad(1, 1) = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(PolynomialFeatures<>().fit(bad), invalid_input);
    PolynomialFeatures<> poly;
    CHECK_THROWS_AS(poly.transform(X), not_fitted);
    CHECK_THROWS_AS(poly.powers(), not_fitted);
    poly.fit(X);
    CHECK_THROWS_AS(poly.transform(bad), invalid_input);
    CHECK_THROWS_WITH(poly.transform(Matrix<double>::Ones(2, 4)),
                      "X has 4 features, but PolynomialFeatures was fitted with 3");
}

TEMPLATE_TEST_CASE("OrdinalEncoder equals scikit-learn: categories, NaN as a category, unknown codes",
                   "[ordinal_encoder]", float, double) {
    using T = TestType;
    const auto input = fixture_case("preprocessing/ordinal_input");
    const Matrix<T> X = input.matrix("X").template cast<T>(), X_new = input.matrix("X_new").template cast<T>();

    const auto plain = fixture_case("preprocessing/ordinal_default");
    OrdinalEncoder<T> encoder;
    const Matrix<T> codes = encoder.fit_transform(X);
    for (Index j = 0; j < 3; ++j) {
        const Vector<double> cats = plain.vector("categories_" + std::to_string(j));
        const bool missing = std::isnan(cats[cats.size() - 1]);
        CHECK(encoder.has_missing()[static_cast<std::size_t>(j)] == missing);
        CHECK(encoder.categories()[static_cast<std::size_t>(j)].template cast<double>() ==
              cats.head(cats.size() - (missing ? 1 : 0)));
    }
    CHECK(nan_aware_error(codes, plain.matrix("transform")) == 0);
    CHECK(nan_aware_error(encoder.inverse_transform(codes), plain.matrix("inverse_transform")) == 0);
    CHECK(nan_aware_error(encoder.inverse_transform(codes), X) == 0);
    CHECK_THROWS_WITH(encoder.transform(X_new), Catch::Contains("found unknown category 7 in column 0"));

    for (const auto& [tag, params] : {
             std::pair{"ordinal_encoded",
                       preprocessing::OrdinalEncoderParams{.handle_unknown = OrdinalHandleUnknown::use_encoded_value,
                       .unknown_value = -1,
                       .encoded_missing_value = -2}},
             std::pair{"ordinal_unknown_nan",
                       preprocessing::OrdinalEncoderParams{.handle_unknown = OrdinalHandleUnknown::use_encoded_value}},
         }) {
        INFO(tag);
        const auto expected = fixture_case(std::string("preprocessing/") + tag);
        const OrdinalEncoder<T> model = OrdinalEncoder<T>(params).fit(X);
        const Matrix<T> Z = model.transform(X_new);
        CHECK(nan_aware_error(Z, expected.matrix("transform")) == 0);
        CHECK(nan_aware_error(model.inverse_transform(Z), expected.matrix("inverse_transform")) == 0);
    }
    // Integer matrices encode as their whole-number twins.
    Eigen::MatrixXi ints(2, 3);
    ints << -2, 3, 0, 2, -2, 30;
    CHECK(encoder.transform(ints) == encoder.transform(ints.cast<T>()));
}

TEST_CASE("OrdinalEncoder refuses bad parameters, codes and input", "[ordinal_encoder]") {
    using preprocessing::OrdinalEncoderParams;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    Matrix<double> X(4, 2);
    X << 0, 5, 1, nan, 2, 5, 1, 6;
    CHECK_THROWS_WITH(OrdinalEncoder<>({.unknown_value = -1}).fit(X),
                      Catch::Contains("may only be set when handle_unknown is use_encoded_value"));
    CHECK_THROWS_WITH(
        OrdinalEncoder<>({.handle_unknown = OrdinalHandleUnknown::use_encoded_value, .unknown_value = 2}).fit(X),
        Catch::Contains("must not be the code of a category seen in fit"));
    // Column 1 holds 5, 6 and NaN: codes 0 to 2 are taken, 3 is free.
    CHECK_THROWS_AS(OrdinalEncoder<>({.encoded_missing_value = 2}).fit(X), invalid_parameter);
    CHECK(OrdinalEncoder<>({.encoded_missing_value = 3}).fit(X).transform(X)(1, 1) == 3);
    Matrix<double> bad = X;
    bad(0, 0) = 0.5;
    CHECK_THROWS_WITH(OrdinalEncoder<>().fit(bad), Catch::Contains("categories must be integers"));
    bad(0, 0) = std::numeric_limits<double>::infinity();
    CHECK_THROWS_AS(OrdinalEncoder<>().fit(bad), invalid_input);
    bad(0, 0) = 3e9;
    CHECK_THROWS_AS(OrdinalEncoder<>().fit(bad), invalid_input);
    OrdinalEncoder<> encoder;
    CHECK_THROWS_AS(encoder.transform(X), not_fitted);
    CHECK_THROWS_AS(encoder.categories(), not_fitted);
    encoder.fit(X);
    CHECK_THROWS_WITH(encoder.transform(Matrix<double>::Zero(1, 3)),
                      "X has 3 features, but OrdinalEncoder was fitted with 2");
    Matrix<double> codes = encoder.transform(X);
    CHECK(std::isnan(codes(1, 1)));
    codes(0, 0) = 3;  // column 0 has three categories
    CHECK_THROWS_WITH(encoder.inverse_transform(codes), Catch::Contains("not a code of that feature"));
    codes(0, 0) = -1;
    CHECK_THROWS_AS(encoder.inverse_transform(codes), invalid_input);
    codes(0, 0) = nan;  // column 0 held no NaN
    CHECK_THROWS_AS(encoder.inverse_transform(codes), invalid_input);
    codes(0, 0) = 0;
    codes(2, 1) = 2;  // the NaN category's position decodes to NaN, as in scikit-learn
    CHECK(std::isnan(encoder.inverse_transform(codes)(2, 1)));
}
