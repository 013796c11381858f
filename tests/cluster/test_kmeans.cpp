#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/cluster/kmeans.hpp>
#include <kestrel/datasets/digits.hpp>
#include <kestrel/datasets/iris.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

using namespace kestrel;
using kestrel::cluster::Algorithm;
using kestrel::cluster::Init;
using kestrel::cluster::KMeans;
using kestrel::test::fixture_case;
using kestrel::test::max_relative_error;

static_assert(unsupervised_estimator<KMeans<double>> && predictor<KMeans<double>> && transformer<KMeans<double>> &&
              clusterer<KMeans<double>>);
static_assert(clusterer<KMeans<float>> && transformer<KMeans<float>>);

namespace {

template <class T>
Matrix<T> digits_start() {
    const Labels rows = fixture_case("cluster/digits_start").labels("rows");
    const auto X = datasets::load_digits<T>().X;
    Matrix<T> start(rows.size(), X.cols());
    for (Index r = 0; r < rows.size(); ++r) start.row(r) = X.row(rows[r]);
    return start;
}

Vector<double> digits_weights(Index n) {
    Vector<double> w(n);
    for (Index i = 0; i < n; ++i) w[i] = 1.0 + static_cast<double>(i % 3);
    return w;
}

template <class T>
void check_parity(const KMeans<T>& km, const std::string& tag, double tolerance,
                  const Matrix<T>& X = datasets::load_digits<T>().X) {
    const auto expected = fixture_case("cluster/" + tag);
    CHECK(km.labels() == expected.labels("labels"));
    CHECK(max_relative_error(km.cluster_centers(), expected.matrix("centers"), 1.0) <= tolerance);
    CHECK(std::abs(km.inertia() / expected.scalar("inertia") - 1) <= tolerance);
    CHECK(km.n_iter() == static_cast<int>(expected.scalar("n_iter")));
    CHECK(km.converged());
    CHECK(max_relative_error(km.transform(X.topRows(5)), expected.matrix("transform_head")) <= tolerance);
    CHECK(std::abs(km.score(X) / expected.scalar("score") - 1) <= tolerance);
    CHECK(km.predict(X) == km.labels());
}

}  // namespace

TEST_CASE("KMeans matches scikit-learn on digits from the same centres", "[kmeans]") {
    const auto digits = datasets::load_digits<double>();
    for (const auto algorithm : {Algorithm::lloyd, Algorithm::elkan}) {
        const std::string name = algorithm == Algorithm::lloyd ? "lloyd" : "elkan";
        DYNAMIC_SECTION(name) {
            KMeans<double> km({.n_clusters = 10, .algorithm = algorithm});
            km.fit_from(digits.X, digits_start<double>());
            check_parity(km, "digits_" + name, 1e-9);

            KMeans<double> strict({.n_clusters = 10, .tol = 0, .algorithm = algorithm});
            strict.fit_from(digits.X, digits_start<double>());
            check_parity(strict, "digits_" + name + "_tol0", 1e-9);

            KMeans<double> weighted({.n_clusters = 10, .algorithm = algorithm});
            weighted.fit_from(digits.X, digits_start<double>(), digits_weights(digits.X.rows()));
            check_parity(weighted, "digits_" + name + "_weighted", 1e-9);
        }
    }
}

TEST_CASE("KMeans<float> matches scikit-learn's float32 run on digits", "[kmeans]") {
    const auto digits = datasets::load_digits<float>();
    for (const auto algorithm : {Algorithm::lloyd, Algorithm::elkan}) {
        const std::string name = algorithm == Algorithm::lloyd ? "lloyd" : "elkan";
        DYNAMIC_SECTION(name) {
            KMeans<float> km({.n_clusters = 10, .algorithm = algorithm});
            km.fit_from(digits.X, digits_start<float>());
            check_parity(km, "digits_" + name + "_float", 2e-5);
        }
    }
}

TEMPLATE_TEST_CASE("KMeans from group-mean starts matches scikit-learn, few clusters and a partial register",
                   "[kmeans]", float, double) {
    // Few enough centres and features to be summed block by block in T, and for float with 16
    // features and 8 centres, on AVX-512, scored 16 rows per register. With 20 centres of 50
    // features, float on AVX-512 scores the last 4 centres 16 rows per register, gathering the
    // last 2 features.
    using T = TestType;
    const double tolerance = std::is_same_v<T, float> ? 2e-5 : 1e-9;
    const std::string suffix = std::is_same_v<T, float> ? "_float" : "";
    const Matrix<T> iris = datasets::load_iris<T>().X;
    const Matrix<T> digits16 = datasets::load_digits<T>().X.middleCols(16, 16);
    const Matrix<T> digits50 = datasets::load_digits<T>().X.leftCols(50);
    const struct {
        std::string name;
        const Matrix<T>& X;
    } cases[] = {{"iris", iris}, {"digits16", digits16}, {"digits50", digits50}};
    for (const auto& c : cases) {
        const Matrix<T> start = fixture_case("cluster/" + c.name + "_init").matrix("centers").template cast<T>();
        for (const auto algorithm : {Algorithm::lloyd, Algorithm::elkan}) {
            const std::string tag = c.name + (algorithm == Algorithm::lloyd ? "_lloyd" : "_elkan") + suffix;
            DYNAMIC_SECTION(tag) {
                KMeans<T> km({.n_clusters = static_cast<int>(start.rows()), .algorithm = algorithm});
                km.fit_from(c.X, start);
                check_parity(km, tag, tolerance, c.X);
            }
        }
    }
}

TEST_CASE("KMeans moves an empty cluster onto the farthest sample as scikit-learn", "[kmeans]") {
    const Matrix<double> X = datasets::load_digits<double>().X.topRows(60);
    Matrix<double> start(5, X.cols());
    start.topRows(4) = X.topRows(4);
    start.row(4).setConstant(100.0);
    for (const auto algorithm : {Algorithm::lloyd, Algorithm::elkan}) {
        KMeans<double> km({.n_clusters = 5, .algorithm = algorithm});
        km.fit_from(X, start);
        CHECK(km.labels() == fixture_case("cluster/empty").labels("labels"));
        CHECK(max_relative_error(km.cluster_centers(), fixture_case("cluster/empty").matrix("centers"), 1.0) <= 1e-12);
        CHECK(km.inertia() == Approx(fixture_case("cluster/empty").scalar("inertia")).epsilon(1e-12));
    }
}

TEST_CASE("KMeans k-means++ and random starts: mean inertia over 8 seeds as scikit-learn's", "[kmeans]") {
    const auto digits = datasets::load_digits<double>();
    struct Case {
        const Matrix<double>& X;
        int k;
        Init init;
        std::string fixture;
        double tolerance;
    };
    const Case cases[] = {
        {digits.X, 10, Init::k_means_plus_plus, "kmeanspp", 0.02},
        {digits.X, 10, Init::random, "random", 0.03},
    };
    for (const auto& c : cases) {
        for (const auto algorithm : {Algorithm::lloyd, Algorithm::elkan}) {
            double sum = 0;
            for (std::uint64_t seed = 0; seed < 8; ++seed) {
                KMeans<double> km({.n_clusters = c.k, .init = c.init, .random_state = seed, .algorithm = algorithm});
                sum += km.fit(c.X).inertia();
            }
            INFO(c.fixture);
            CHECK(std::abs(sum / 8 / fixture_case("cluster/digits_mean_inertia").scalar(c.fixture) - 1) <= c.tolerance);
        }
    }
}

TEMPLATE_TEST_CASE("KMeans is reproducible and independent of the thread count", "[kmeans]", float, double) {
    using T = TestType;
    // Three shifted copies of digits: enough rows for several segments of parallel work.
    const auto digits = datasets::load_digits<T>().X;
    Matrix<T> X(3 * digits.rows(), digits.cols());
    for (Index c = 0; c < 3; ++c) X.middleRows(c * digits.rows(), digits.rows()) = digits.array() + T(0.25) * T(c);
    for (const auto algorithm : {Algorithm::lloyd, Algorithm::elkan}) {
        KMeans<T> one({.n_clusters = 12, .n_init = 2, .random_state = 7, .algorithm = algorithm, .n_jobs = 1});
        KMeans<T> two({.n_clusters = 12, .n_init = 2, .random_state = 7, .algorithm = algorithm, .n_jobs = 2});
        KMeans<T> again = clone(two);
        one.fit(X);
        two.fit(X);
        again.fit(X);
        CHECK(one.labels() == two.labels());
        CHECK(one.cluster_centers() == two.cluster_centers());
        CHECK(one.inertia() == two.inertia());
        CHECK(again.cluster_centers() == two.cluster_centers());
    }
}

TEST_CASE("KMeans n_init keeps the lowest inertia and labels match the centres", "[kmeans]") {
    const auto X = datasets::load_digits<double>().X;
    KMeans<double> single({.n_clusters = 10, .n_init = 1, .random_state = 3});
    KMeans<double> several({.n_clusters = 10, .n_init = 5, .random_state = 3});
    single.fit(X);
    several.fit(X);
    CHECK(several.inertia() <= single.inertia());
    CHECK(several.predict(X) == several.labels());
    CHECK(several.score(X) == Approx(-several.inertia()).epsilon(1e-12));
    // Each centre is the mean of its members.
    const auto& C = several.cluster_centers();
    const Labels& labels = several.labels();
    for (Index j = 0; j < C.rows(); ++j) {
        Eigen::RowVectorXd sum = Eigen::RowVectorXd::Zero(X.cols());
        Index count = 0;
        for (Index i = 0; i < X.rows(); ++i) {
            if (labels[i] == j) {
                sum += X.row(i);
                ++count;
            }
        }
        REQUIRE(count > 0);
        CHECK((sum / static_cast<double>(count) - C.row(j)).cwiseAbs().maxCoeff() <= 1e-10);
    }
}

TEST_CASE("KMeans weights equal repeated rows; one cluster; max_iter", "[kmeans]") {
    Matrix<double> X(6, 2);
    X << 0, 0, 1, 0, 0, 1, 10, 10, 11, 10, 10, 11;
    Vector<double> w(6);
    w << 2, 1, 1, 1, 1, 3;
    Matrix<double> repeated(9, 2);
    repeated << 0, 0, 0, 0, 1, 0, 0, 1, 10, 10, 11, 10, 10, 11, 10, 11, 10, 11;
    Matrix<double> start(2, 2);
    start << 0, 0, 10, 10;
    KMeans<double> weighted({.n_clusters = 2}), plain({.n_clusters = 2});
    weighted.fit_from(X, start, w);
    plain.fit_from(repeated, start);
    CHECK(weighted.cluster_centers().isApprox(plain.cluster_centers(), 1e-14));
    CHECK(weighted.inertia() == Approx(plain.inertia()).epsilon(1e-14));

    KMeans<double> one({.n_clusters = 1, .algorithm = Algorithm::elkan});
    one.fit(X);
    CHECK(one.cluster_centers().row(0).isApprox(X.colwise().mean(), 1e-14));
    CHECK((one.labels().array() == 0).all());

    const auto digits = datasets::load_digits<double>().X;
    KMeans<double> capped({.n_clusters = 10, .max_iter = 2, .tol = 0});
    capped.fit_from(digits, digits_start<double>());
    CHECK(capped.n_iter() == 2);
    CHECK_FALSE(capped.converged());
    CHECK(capped.predict(digits) == capped.labels());
}

TEST_CASE("KMeans rejects bad parameters and bad data", "[kmeans]") {
    Matrix<double> X = Matrix<double>::Random(20, 3);
    CHECK_THROWS_AS(KMeans<double>({.n_clusters = 0}).fit(X), invalid_parameter);
    CHECK_THROWS_AS(KMeans<double>({.n_init = 0}).fit(X), invalid_parameter);
    CHECK_THROWS_AS(KMeans<double>({.max_iter = 0}).fit(X), invalid_parameter);
    CHECK_THROWS_AS(KMeans<double>({.tol = -1}).fit(X), invalid_parameter);
    CHECK_THROWS_AS(KMeans<double>({.tol = std::numeric_limits<double>::quiet_NaN()}).fit(X), invalid_parameter);
    CHECK_THROWS_WITH(KMeans<double>({.n_clusters = 21}).fit(X), "KMeans: n_samples=20 should be >= n_clusters=21");
    CHECK_THROWS_AS(KMeans<double>({.n_clusters = 21}).fit(X), invalid_input);

    KMeans<double> km({.n_clusters = 3});
    CHECK_THROWS_AS(km.predict(X), not_fitted);
    CHECK_THROWS_AS(km.cluster_centers(), not_fitted);
    CHECK_THROWS_AS(km.fit_from(X, Matrix<double>::Zero(2, 3)), invalid_input);
    CHECK_THROWS_AS(km.fit_from(X, Matrix<double>::Zero(3, 4)), invalid_input);
    Matrix<double> bad_start = X.topRows(3);
    bad_start(1, 1) = std::numeric_limits<double>::infinity();
    CHECK_THROWS_AS(km.fit_from(X, bad_start), invalid_input);
    Matrix<double> with_nan = X;
    with_nan(4, 2) = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(km.fit(with_nan), invalid_input);
    CHECK_THROWS_AS(km.fit(X, Vector<double>::Ones(19)), invalid_input);
    CHECK_THROWS_AS(km.fit(Matrix<double>(0, 3)), invalid_input);

    km.fit(X);
    CHECK_THROWS_WITH(km.predict(Matrix<double>::Zero(2, 4)), "X has 4 features, but KMeans was fitted with 3");
    CHECK_THROWS_AS(km.transform(with_nan), invalid_input);
    CHECK_THROWS_AS(km.score(Matrix<double>::Zero(2, 2)), invalid_input);
}

TEST_CASE("KMeans accepts column-major input and maps without converting", "[kmeans]") {
    const Matrix<double> X = datasets::load_iris<double>().X;
    const Eigen::MatrixXd column_major = X;
    KMeans<double> a({.n_clusters = 3}), b({.n_clusters = 3});
    a.fit(X);
    b.fit(column_major);
    CHECK(a.labels() == b.labels());
    CHECK(a.predict(column_major) == a.labels());
    constexpr KMeans<double>::Params checked = [] {
        KMeans<double>::Params p{.n_clusters = 4};
        p.validate();
        return p;
    }();
    CHECK(checked.n_clusters == 4);
}
