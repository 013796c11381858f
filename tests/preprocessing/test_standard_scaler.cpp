#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>

#include <string>
#include <type_traits>

using namespace kestrel;
using kestrel::preprocessing::StandardScaler;

static_assert(transformer<StandardScaler<float>> && unsupervised_estimator<StandardScaler<double>>);

TEMPLATE_TEST_CASE("StandardScaler centres and scales; constant columns get scale 1", "[standard_scaler]", float,
                   double) {
    using T = TestType;
    Matrix<T> X(4, 3);
    X << 1, 5, 2,  //
        3, 5, 4,   //
        5, 5, 6,   //
        7, 5, 12;
    StandardScaler<T> scaler;
    const Matrix<T> Z = scaler.fit_transform(X);
    CHECK(scaler.mean()(0) == Approx(4.0));
    CHECK(scaler.var()(0) == Approx(5.0));  // population variance: ((9+1+1+9)/4)
    CHECK(scaler.scale()(1) == T(1));       // constant column
    CHECK(Z.col(1).isZero());
    CHECK(Z.col(0).mean() == Approx(0.0).margin(1e-6));
    CHECK(scaler.n_samples_seen() == T(4));
    CHECK(scaler.inverse_transform(Z).isApprox(X, T(1e-5)));
}

TEMPLATE_TEST_CASE("StandardScaler partial_fit over batches equals one fit", "[standard_scaler]", float, double) {
    using T = TestType;
    Matrix<T> X = Matrix<T>::Random(50, 4);
    X.col(2).array() += T(100);
    StandardScaler<T> whole, parts;
    whole.fit(X);
    parts.partial_fit(X.topRows(17)).partial_fit(X.middleRows(17, 20)).partial_fit(X.bottomRows(13));
    const T tol = std::is_same_v<T, float> ? T(1e-5) : T(1e-12);
    CHECK(parts.mean().isApprox(whole.mean(), tol));
    CHECK(parts.var().isApprox(whole.var(), tol));
    CHECK(parts.n_samples_seen() == T(50));
}

TEST_CASE("StandardScaler integer weights equal repeated rows", "[standard_scaler]") {
    Matrix<double> X(3, 2);
    X << 1, 2, 4, 8, -3, 0.5;
    Vector<double> w(3);
    w << 2, 1, 3;
    Matrix<double> repeated(6, 2);
    repeated << 1, 2, 1, 2, 4, 8, -3, 0.5, -3, 0.5, -3, 0.5;
    StandardScaler<> weighted, plain;
    weighted.fit(X, w);
    plain.fit(repeated);
    CHECK(weighted.mean().isApprox(plain.mean(), 1e-12));
    CHECK(weighted.var().isApprox(plain.var(), 1e-12));
}

TEST_CASE("StandardScaler rejects bad input", "[standard_scaler]") {
    StandardScaler<> scaler;
    CHECK_THROWS_AS(scaler.transform(Matrix<double>::Ones(2, 2)), not_fitted);
    Matrix<double> X = Matrix<double>::Ones(3, 2);
    X(0, 0) = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(scaler.fit(X), invalid_input);
    scaler.fit(Matrix<double>::Random(5, 2));
    CHECK_THROWS_WITH(scaler.transform(Matrix<double>::Ones(2, 3)),
                      "X has 3 features, but StandardScaler was fitted with 2");
    CHECK_THROWS_AS(scaler.fit(Matrix<double>(0, 2)), invalid_input);
}

namespace {

using kestrel::test::fixture_case;
using kestrel::test::max_relative_error;

// Checks a fitted scaler against the scikit-learn case standard_<tag>.
template <class T>
void check_standard_fixtures(const StandardScaler<T>& scaler, const std::string& tag) {
    const double tol = std::is_same_v<T, float> ? 2e-5 : 1e-12;
    const auto expected = fixture_case("preprocessing/standard_" + tag);
    const Matrix<T> X_new = fixture_case("preprocessing/standard").matrix("X_new").cast<T>();
    CHECK(max_relative_error(scaler.mean(), expected.vector("mean"), 1e-3) < tol);
    CHECK(max_relative_error(scaler.scale(), expected.vector("scale")) < tol);
    CHECK(max_relative_error(scaler.transform(X_new), expected.matrix("transform"), 1.0) < tol);
    // The constant columns 2 and 3 hold variances at rounding level; compare them absolutely.
    const Vector<double> var = expected.vector("var");
    for (Index j = 0; j < var.size(); ++j) {
        if (j == 2 || j == 3) {
            CHECK(std::abs(double(scaler.var()[j]) - var[j]) < 1e-12);
        } else {
            CHECK(std::abs(double(scaler.var()[j]) - var[j]) / var[j] < tol);
        }
    }
    CHECK(std::abs(double(scaler.n_samples_seen()) - expected.scalar("n_samples_seen")) <
          tol * expected.scalar("n_samples_seen"));
}

}  // namespace

TEMPLATE_TEST_CASE("StandardScaler equals scikit-learn: fit, weights, partial_fit, constant columns",
                   "[standard_scaler]", float, double) {
    using T = TestType;
    const Matrix<T> X = fixture_case("preprocessing/standard").matrix("X").cast<T>();
    const Vector<T> w = fixture_case("preprocessing/standard").vector("w").cast<T>();
    StandardScaler<T> plain;
    plain.fit(X);
    check_standard_fixtures(plain, "plain");
    CHECK(plain.scale()[2] == T(1));
    CHECK(plain.scale()[3] == T(1));

    StandardScaler<T> weighted;
    weighted.fit(X, w);
    check_standard_fixtures(weighted, "weighted");

    StandardScaler<T> batches;
    batches.partial_fit(X.topRows(7)).partial_fit(X.middleRows(7, 12)).partial_fit(X.bottomRows(11));
    check_standard_fixtures(batches, "batches");

    StandardScaler<T> weighted_batches;
    weighted_batches.partial_fit(X.topRows(11), w.topRows(11)).partial_fit(X.bottomRows(19), w.bottomRows(19));
    check_standard_fixtures(weighted_batches, "weighted_batches");

    const double tol = std::is_same_v<T, float> ? 2e-5 : 1e-12;
    const Matrix<T> X_new = fixture_case("preprocessing/standard").matrix("X_new").cast<T>();
    StandardScaler<T> no_mean({.with_mean = false});
    CHECK(max_relative_error(no_mean.fit(X).transform(X_new),
                             fixture_case("preprocessing/standard_no_mean").matrix("transform"), 1.0) < tol);
    StandardScaler<T> no_std({.with_std = false});
    CHECK(max_relative_error(no_std.fit(X).transform(X_new),
                             fixture_case("preprocessing/standard_no_std").matrix("transform"), 1e-2) < tol);
    CHECK(no_std.scale().size() == 0);
}
