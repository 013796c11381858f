#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/preprocessing/one_hot_encoder.hpp>

#include <string>

using namespace kestrel;
using kestrel::preprocessing::Drop;
using kestrel::preprocessing::HandleUnknown;
using kestrel::preprocessing::OneHotEncoder;
using kestrel::test::fixture_case;
using kestrel::test::max_abs_error;

static_assert(transformer<OneHotEncoder<float>> && unsupervised_estimator<OneHotEncoder<double>>);

namespace {

// Equal shapes and entries, NaN matching NaN.
template <class A>
bool same_with_nan(const A& got, const Matrix<double>& expected) {
    if (got.rows() != expected.rows() || got.cols() != expected.cols()) return false;
    for (Index i = 0; i < got.rows(); ++i) {
        for (Index j = 0; j < got.cols(); ++j) {
            const double g = static_cast<double>(got(i, j)), e = expected(i, j);
            if (std::isnan(e) ? !std::isnan(g) : g != e) return false;
        }
    }
    return true;
}

}  // namespace

TEMPLATE_TEST_CASE("OneHotEncoder equals scikit-learn", "[one_hot_encoder]", float, double) {
    using T = TestType;
    const Matrix<T> X = fixture_case("preprocessing/onehot").matrix("X").cast<T>();
    const Matrix<T> X_unknown = fixture_case("preprocessing/onehot").matrix("X_unknown").cast<T>();
    OneHotEncoder<T> encoder;
    const Matrix<T> Z = encoder.fit_transform(X);
    REQUIRE(encoder.categories().size() == 3);
    for (int j = 0; j < 3; ++j) {
        CHECK(encoder.categories()[j] ==
              fixture_case("preprocessing/onehot").labels("categories_" + std::to_string(j)));
    }
    CHECK(max_abs_error(Z, fixture_case("preprocessing/onehot").matrix("transform")) == 0);
    CHECK(encoder.inverse_transform(Z) == X);
    CHECK_THROWS_AS(encoder.transform(X_unknown), invalid_input);

    OneHotEncoder<T> ignoring({.handle_unknown = HandleUnknown::ignore});
    ignoring.fit(X);
    const Matrix<T> Z_unknown = ignoring.transform(X_unknown);
    CHECK(max_abs_error(Z_unknown, fixture_case("preprocessing/onehot_ignore").matrix("transform")) == 0);
    CHECK(same_with_nan(ignoring.inverse_transform(Z_unknown),
                        fixture_case("preprocessing/onehot_ignore").matrix("inverse")));

    for (const auto& [drop, tag] : {std::pair{Drop::first, "first"}, std::pair{Drop::if_binary, "if_binary"}}) {
        OneHotEncoder<T> dropping({.drop = drop, .handle_unknown = HandleUnknown::ignore});
        dropping.fit(X);
        const auto expected = fixture_case(std::string("preprocessing/onehot_drop_") + tag);
        CHECK(max_abs_error(dropping.transform(X), expected.matrix("transform")) == 0);
        const Matrix<T> dropped_unknown = dropping.transform(X_unknown);
        CHECK(max_abs_error(dropped_unknown, expected.matrix("unknown_transform")) == 0);
        CHECK(same_with_nan(dropping.inverse_transform(dropped_unknown), expected.matrix("inverse")));
    }
}

TEST_CASE("OneHotEncoder takes integer matrices and rejects non-integers", "[one_hot_encoder]") {
    const Matrix<double> X = fixture_case("preprocessing/onehot").matrix("X");
    const Eigen::MatrixXi Xi = X.cast<int>();
    OneHotEncoder<> from_double, from_int;
    CHECK(from_int.fit_transform(Xi) == from_double.fit_transform(X));
    CHECK(from_int.n_features_out() == 9);
    Matrix<double> fractional = X;
    fractional(2, 1) = 0.5;
    CHECK_THROWS_AS(from_double.transform(fractional), invalid_input);
    CHECK_THROWS_AS(OneHotEncoder<>().fit(fractional), invalid_input);
    CHECK_THROWS_AS(OneHotEncoder<>().transform(X), not_fitted);
    CHECK_THROWS_AS(from_double.transform(X.leftCols(2)), invalid_input);
    CHECK_THROWS_AS(from_double.inverse_transform(Matrix<double>::Zero(2, 9)), invalid_input);
    CHECK_THROWS_AS(from_double.inverse_transform(Matrix<double>::Zero(2, 4)), invalid_input);
    // float rounds int's largest value up to 2^31, which is past int's range: refused, not cast.
    Matrix<float> too_large = X.cast<float>();
    too_large(0, 0) = 2147483648.0f;
    CHECK_THROWS_AS(OneHotEncoder<float>().fit(too_large), invalid_input);
    too_large(0, 0) = -2147483648.0f;
    CHECK_NOTHROW(OneHotEncoder<float>().fit(too_large));
}
