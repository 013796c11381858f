#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/cluster/kmeans.hpp>
#include <kestrel/cluster/minibatch_kmeans.hpp>
#include <kestrel/datasets/digits.hpp>

#include <cmath>
#include <limits>

using namespace kestrel;
using kestrel::cluster::Init;
using kestrel::cluster::KMeans;
using kestrel::cluster::MiniBatchKMeans;
using kestrel::test::fixture_case;

static_assert(unsupervised_estimator<MiniBatchKMeans<double>> && predictor<MiniBatchKMeans<double>> &&
              transformer<MiniBatchKMeans<double>> && clusterer<MiniBatchKMeans<double>>);
static_assert(clusterer<MiniBatchKMeans<float>>);

TEST_CASE("MiniBatchKMeans: mean inertia over 8 seeds on digits as scikit-learn's", "[minibatch_kmeans]") {
    const auto X = datasets::load_digits<double>().X;
    double sum = 0;
    for (std::uint64_t seed = 0; seed < 8; ++seed) {
        MiniBatchKMeans<double> mbk({.n_clusters = 10, .random_state = seed});
        mbk.fit(X);
        CHECK(mbk.predict(X) == mbk.labels());
        CHECK(mbk.score(X) == Approx(-mbk.inertia()).epsilon(1e-12));
        sum += mbk.inertia();
    }
    CHECK(std::abs(sum / 8 / fixture_case("cluster/digits_mean_inertia").scalar("minibatch") - 1) <= 0.03);
}

TEMPLATE_TEST_CASE("MiniBatchKMeans is reproducible, stops early and counts its steps", "[minibatch_kmeans]", float,
                   double) {
    using T = TestType;
    const auto X = datasets::load_digits<T>().X;
    const typename MiniBatchKMeans<T>::Params params{
        .n_clusters = 10, .max_iter = 50, .batch_size = 256, .random_state = 5};
    MiniBatchKMeans<T> a(params), b(params);
    a.fit(X);
    b.fit(X);
    CHECK(a.cluster_centers() == b.cluster_centers());
    CHECK(a.labels() == b.labels());
    const Index max_steps = 50 * X.rows() / 256;
    CHECK(a.n_steps() < max_steps);  // stalled inertia stops it long before max_iter passes
    CHECK(a.n_iter() == static_cast<int>((a.n_steps() * 256 + X.rows() - 1) / X.rows()));

    auto no_stop = params;
    no_stop.max_no_improvement = 0;
    no_stop.max_iter = 3;
    MiniBatchKMeans<T> full(no_stop);
    full.fit(X);
    CHECK(full.n_steps() == 3 * X.rows() / 256);
    CHECK(full.n_iter() == 3);

    auto estimate = params;
    estimate.compute_labels = false;
    MiniBatchKMeans<T> unlabelled(estimate);
    unlabelled.fit(X);
    CHECK(unlabelled.labels().size() == 0);
    CHECK(unlabelled.inertia() > 0);
    CHECK(unlabelled.fit_predict(X).size() == X.rows());
}

TEST_CASE("MiniBatchKMeans per-centre count update and partial_fit", "[minibatch_kmeans]") {
    // Two far-apart groups: after the first batch each centre is its members' mean and counts
    // hold the members' weights; a second batch moves it to the mean of everything it has seen.
    Matrix<double> first(4, 2), second(4, 2);
    first << 0, 0, 2, 0, 100, 100, 102, 100;
    second << 0, 4, 2, 4, 100, 104, 102, 104;
    MiniBatchKMeans<double> mbk({.n_clusters = 2, .random_state = 1});
    mbk.partial_fit(first);
    const Labels labels = mbk.labels();
    REQUIRE(labels[0] == labels[1]);
    REQUIRE(labels[2] == labels[3]);
    REQUIRE(labels[0] != labels[2]);
    const int low = labels[0], high = labels[2];
    CHECK(mbk.cluster_centers().row(low).isApprox(Eigen::RowVector2d(1, 0), 1e-14));
    CHECK(mbk.cluster_centers().row(high).isApprox(Eigen::RowVector2d(101, 100), 1e-14));
    CHECK(mbk.counts()[low] == 2);
    Vector<double> w(4);
    w << 1, 1, 3, 1;
    mbk.partial_fit(second, w);
    CHECK(mbk.cluster_centers().row(low).isApprox(Eigen::RowVector2d(1, 2), 1e-14));
    CHECK(mbk.cluster_centers().row(high).isApprox(Eigen::RowVector2d(101 - 2.0 / 6, 100 + 4 * 4.0 / 6), 1e-14));
    CHECK(mbk.counts()[high] == 6);
    CHECK(mbk.n_steps() == 2);
    CHECK_THROWS_WITH(mbk.partial_fit(Matrix<double>::Zero(3, 3)),
                      "X has 3 features, but MiniBatchKMeans was fitted with 2");
}

TEST_CASE("MiniBatchKMeans reassigns centres that see no samples", "[minibatch_kmeans]") {
    // Centre starts at duplicated rows: a random start with ten identical samples leaves centres
    // without members, which the count-based reassignment moves onto batch samples.
    const auto digits = datasets::load_digits<double>().X;
    Matrix<double> X(digits.rows() + 200, digits.cols());
    X.topRows(200).setZero();
    X.bottomRows(digits.rows()) = digits;
    MiniBatchKMeans<double> mbk({.n_clusters = 10, .init = Init::random, .random_state = 2});
    mbk.fit(X);
    for (Index j = 0; j < 10; ++j) CHECK((mbk.predict(X).array() == static_cast<int>(j)).any());
    const double kmeans_inertia = KMeans<double>({.n_clusters = 10, .random_state = 2}).fit(X).inertia();
    CHECK(mbk.inertia() <= 1.2 * kmeans_inertia);
}

TEST_CASE("MiniBatchKMeans rejects bad parameters and bad data", "[minibatch_kmeans]") {
    const Matrix<double> X = Matrix<double>::Random(30, 4);
    CHECK_THROWS_AS(MiniBatchKMeans<double>({.n_clusters = 0}).fit(X), invalid_parameter);
    CHECK_THROWS_AS(MiniBatchKMeans<double>({.batch_size = 0}).fit(X), invalid_parameter);
    CHECK_THROWS_AS(MiniBatchKMeans<double>({.reassignment_ratio = -1}).fit(X), invalid_parameter);
    CHECK_THROWS_AS(MiniBatchKMeans<double>({.max_no_improvement = -1}).fit(X), invalid_parameter);
    CHECK_THROWS_AS(MiniBatchKMeans<double>({.n_clusters = 31}).fit(X), invalid_input);
    Matrix<double> bad = X;
    bad(0, 0) = std::numeric_limits<double>::infinity();
    CHECK_THROWS_AS(MiniBatchKMeans<double>().fit(bad), invalid_input);
    CHECK_THROWS_AS(MiniBatchKMeans<double>().partial_fit(bad), invalid_input);
    MiniBatchKMeans<double> mbk({.n_clusters = 3});
    CHECK_THROWS_AS(mbk.transform(X), not_fitted);
    mbk.fit(X);
    CHECK(mbk.transform(X).cols() == 3);
    CHECK_THROWS_AS(mbk.predict(Matrix<double>::Zero(1, 5)), invalid_input);
}
