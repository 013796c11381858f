#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/datasets/iris.hpp>
#include <kestrel/metrics/cluster.hpp>

#include <type_traits>

using namespace kestrel;
using namespace kestrel::metrics;
using kestrel::test::fixture_case;
using kestrel::test::max_abs_error;

TEMPLATE_TEST_CASE("silhouette equals scikit-learn, singleton cluster included", "[cluster]", float, double) {
    using T = TestType;
    const double tol = std::is_same_v<T, float> ? 1e-5 : 1e-12;
    const Matrix<T> X = fixture_case("metrics/silhouette").matrix("X").cast<T>();
    const Labels labels = fixture_case("metrics/silhouette").labels("labels");
    const Vector<T> s = silhouette_samples(X, labels);
    CHECK(max_abs_error(s, fixture_case("metrics/silhouette").vector("samples")) < tol);
    CHECK(std::abs(double(silhouette_score(X, labels)) - fixture_case("metrics/silhouette").scalar("score")) < tol);
    CHECK(silhouette_samples(X, labels, 1) == s);
    // A column-major copy is read the same way.
    const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> Xc = X;
    CHECK(max_abs_error(silhouette_samples(Xc, labels), s) == 0);
}

TEMPLATE_TEST_CASE("silhouette of the iris species equals scikit-learn", "[cluster]", float, double) {
    const auto iris = kestrel::datasets::load_iris<TestType>();
    const double expected = fixture_case("metrics/silhouette").scalar("iris");
    const double tol = std::is_same_v<TestType, float> ? 1e-6 : 1e-12;
    CHECK(std::abs(double(silhouette_score(iris.X, iris.y)) - expected) < tol * expected);
}

TEST_CASE("silhouette rejects one cluster or one sample per cluster", "[cluster]") {
    const Matrix<double> X = Matrix<double>::Random(5, 2);
    CHECK_THROWS_AS(silhouette_score(X, Labels::Zero(5)), invalid_input);
    CHECK_THROWS_AS(silhouette_score(X, Labels::LinSpaced(5, 0, 4)), invalid_input);
    CHECK_THROWS_AS(silhouette_score(X, Labels::Zero(4)), invalid_input);
}

TEST_CASE("adjusted_rand_score equals scikit-learn", "[cluster]") {
    const Labels a = fixture_case("metrics/ari").labels("a");
    const Labels b = fixture_case("metrics/ari").labels("b");
    const Vector<double> expected = fixture_case("metrics/ari").vector("ari");
    CHECK(std::abs(adjusted_rand_score(a, b) - expected[0]) < 1e-12 * expected[0]);
    CHECK(adjusted_rand_score(a, Labels((a.array() + 1) * 3)) == expected[1]);
    CHECK(adjusted_rand_score(a, Labels::Zero(a.size())) == expected[2]);
    CHECK(adjusted_rand_score(b, a) == adjusted_rand_score(a, b));
    CHECK(std::abs(adjusted_rand_score(b, a) - expected[3]) < 1e-12 * expected[3]);
    CHECK(adjusted_rand_score(Labels(), Labels()) == 1.0);
    CHECK_THROWS_AS(adjusted_rand_score(a, Labels::Zero(3)), invalid_input);
    // Large n: pair counts beyond 64-bit products stay exact.
    const Index n = 200000;
    Labels big_a(n), big_b(n);
    for (Index i = 0; i < n; ++i) {
        big_a[i] = static_cast<int>(i % 3);
        big_b[i] = static_cast<int>(i % 3);
    }
    big_b[0] = 1;
    const double ari = adjusted_rand_score(big_a, big_b);
    CHECK(ari < 1.0);
    CHECK(ari > 0.9999);
}
