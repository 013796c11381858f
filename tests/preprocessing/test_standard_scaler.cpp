#include <catch.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>

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
    CHECK(scaler.scale()(1) == T(1));        // constant column
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
    CHECK_THROWS_WITH(scaler.transform(Matrix<double>::Ones(2, 3)), "X has 3 features, but StandardScaler was fitted with 2");
    CHECK_THROWS_AS(scaler.fit(Matrix<double>(0, 2)), invalid_input);
}
