// make_blobs, make_classification and make_regression: scikit-learn's semantics (sample counts,
// structure, singular profile, against fixtures from tests/reference/gen_datasets.py) and
// kestrel's own promises (deterministic per random_state, float = double rounded).
#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include <Eigen/QR>
#include <Eigen/SVD>

#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/core/error.hpp>
#include <kestrel/datasets/generators.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>

namespace {

using kestrel::Index;
using kestrel::Labels;
using namespace kestrel::datasets;

std::vector<double> counts(const Labels& y) {
    std::vector<double> out(static_cast<std::size_t>(y.maxCoeff() + 1));
    for (Index i = 0; i < y.size(); ++i) out[static_cast<std::size_t>(y[i])] += 1;
    return out;
}

std::vector<double> as_std(const kestrel::Vector<double>& v) { return {v.data(), v.data() + v.size()}; }

Index rank(const kestrel::Matrix<double>& X) {
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(X);
    qr.setThreshold(1e-10);
    return qr.rank();
}

}  // namespace

TEST_CASE("make_blobs splits samples over centres as scikit-learn", "[datasets]") {
    CHECK(counts(make_blobs().y) == as_std(kestrel::test::fixture_case("datasets/blobs").vector("counts_100_3")));
    CHECK(counts(make_blobs({.n_samples = 10, .centers = 4}).y) ==
          as_std(kestrel::test::fixture_case("datasets/blobs").vector("counts_10_4")));
    const auto listed = make_blobs({.n_samples_per_center = {5, 0, 7}});
    CHECK(listed.n_samples() == 12);
    CHECK(listed.centers.rows() == 3);
    CHECK(counts(listed.y) == std::vector<double>{5, 0, 7});
}

TEST_CASE("make_blobs draws each blob around its centre with its spread", "[datasets]") {
    kestrel::Matrix<double> centers(2, 3);
    centers << 0, 5, -5, 20, 20, 20;
    const auto data = make_blobs({.n_samples = 4000, .centers = centers, .cluster_std = {0.5, 2.0}, .random_state = 3});
    REQUIRE(data.n_features() == 3);
    CHECK(data.centers == centers);
    for (int k = 0; k < 2; ++k) {
        std::vector<Index> rows;
        for (Index i = 0; i < data.n_samples(); ++i) {
            if (data.y[i] == k) rows.push_back(i);
        }
        REQUIRE(rows.size() == 2000);
        const kestrel::Matrix<double> Xk = data.X(rows, Eigen::all);
        const Eigen::RowVectorXd mean = Xk.colwise().mean();
        const double expected_std = k == 0 ? 0.5 : 2.0;
        // 6 standard errors of a 2000-sample mean and standard deviation.
        CHECK((mean - centers.row(k)).cwiseAbs().maxCoeff() < 6 * expected_std / std::sqrt(2000.0));
        const double std_dev = std::sqrt((Xk.rowwise() - mean).squaredNorm() / static_cast<double>(Xk.size()));
        CHECK(std::abs(std_dev - expected_std) < 6 * expected_std / std::sqrt(2.0 * 6000.0));
    }
    // Random centres lie in center_box.
    const auto boxed = make_blobs({.n_features = 4, .centers = Index{6}, .center_box = {2.0, 3.0}});
    CHECK(boxed.centers.minCoeff() >= 2.0);
    CHECK(boxed.centers.maxCoeff() < 3.0);
}

TEST_CASE("make_blobs shuffles only when asked", "[datasets]") {
    const auto ordered = make_blobs({.n_samples = 30, .shuffle = false});
    CHECK(std::is_sorted(ordered.y.begin(), ordered.y.end()));
    const auto shuffled = make_blobs({.n_samples = 30});
    CHECK_FALSE(std::is_sorted(shuffled.y.begin(), shuffled.y.end()));
}

TEMPLATE_TEST_CASE("generators are deterministic per random_state, float is double rounded", "[datasets]", float,
                   double) {
    using T = TestType;
    const auto blobs = make_blobs<T>({.random_state = 7});
    CHECK(blobs.X == make_blobs<T>({.random_state = 7}).X);
    CHECK(blobs.y == make_blobs<T>({.random_state = 7}).y);
    CHECK(blobs.X != make_blobs<T>({.random_state = 8}).X);
    CHECK(blobs.X == make_blobs<double>({.random_state = 7}).X.template cast<T>());

    const auto classification = make_classification<T>({.random_state = 7});
    CHECK(classification.X == make_classification<T>({.random_state = 7}).X);
    CHECK(classification.y == make_classification<T>({.random_state = 7}).y);
    CHECK(classification.X != make_classification<T>({.random_state = 8}).X);
    CHECK(classification.X == make_classification<double>({.random_state = 7}).X.template cast<T>());

    const auto regression = make_regression<T>({.noise = 1.0, .random_state = 7});
    CHECK(regression.X == make_regression<T>({.noise = 1.0, .random_state = 7}).X);
    CHECK(regression.y == make_regression<T>({.noise = 1.0, .random_state = 7}).y);
    CHECK(regression.X != make_regression<T>({.noise = 1.0, .random_state = 8}).X);
    CHECK(regression.y == make_regression<double>({.noise = 1.0, .random_state = 7}).y.template cast<T>());
}

TEST_CASE("make_classification balances classes as scikit-learn", "[datasets]") {
    const auto weighted = make_classification(
        {.n_samples = 1000, .n_informative = 3, .n_classes = 3, .weights = {0.7, 0.2}, .flip_y = 0});
    CHECK(counts(weighted.y) ==
          as_std(kestrel::test::fixture_case("datasets/classification").vector("counts_weighted")));
    const auto odd = make_classification(
        {.n_samples = 101, .n_informative = 3, .n_classes = 2, .n_clusters_per_class = 3, .flip_y = 0});
    CHECK(counts(odd.y) == as_std(kestrel::test::fixture_case("datasets/classification").vector("counts_101")));
    const auto data = make_classification();
    CHECK(data.n_samples() == 100);
    CHECK(data.n_features() == 20);
}

TEST_CASE("make_classification's redundant and repeated features add no rank", "[datasets]") {
    const auto data = make_classification(
        {.n_samples = 200, .n_features = 10, .n_informative = 3, .n_redundant = 2, .n_repeated = 1});
    CHECK(rank(data.X) == static_cast<Index>(kestrel::test::fixture_case("datasets/classification").scalar("rank")));
}

TEST_CASE("make_classification puts clusters on distinct hypercube vertices", "[datasets]") {
    constexpr double class_sep = 10;
    const auto data = make_classification({.n_samples = 4000,
                                           .n_features = 2,
                                           .n_informative = 2,
                                           .n_redundant = 0,
                                           .n_classes = 4,
                                           .n_clusters_per_class = 1,
                                           .flip_y = 0,
                                           .class_sep = class_sep,
                                           .shuffle = false});
    std::set<std::pair<int, int>> corners;
    for (int k = 0; k < 4; ++k) {
        Eigen::RowVector2d sum = Eigen::RowVector2d::Zero();
        for (Index i = 0; i < data.n_samples(); ++i) {
            if (data.y[i] == k) sum += data.X.row(i);
        }
        const Eigen::RowVector2d mean = sum / 1000.0;
        for (Index j = 0; j < 2; ++j) CHECK(std::abs(std::abs(mean[j]) - class_sep) < 1.0);
        corners.emplace(mean[0] > 0, mean[1] > 0);
    }
    CHECK(corners.size() == 4);
}

TEST_CASE("make_classification flips labels, shifts and scales", "[datasets]") {
    const auto clean = make_classification({.n_samples = 2000, .flip_y = 0, .shuffle = false});
    const auto flipped = make_classification({.n_samples = 2000, .flip_y = 0.5, .shuffle = false});
    const double changed = static_cast<double>((clean.y.array() != flipped.y.array()).count()) / 2000.0;
    CHECK(changed > 0.2);  // half redrawn, half of those to the other class: 0.25
    CHECK(changed < 0.3);
    const auto random_scale = make_classification({.n_samples = 500, .shift = std::nullopt, .scale = std::nullopt});
    const Eigen::RowVectorXd spread = random_scale.X.array().abs().colwise().maxCoeff();
    CHECK(spread.maxCoeff() > 20);  // scales are uniform in [1, 101]
}

TEST_CASE("make_regression returns y = X coef + bias with n_informative coefficients", "[datasets]") {
    const auto data = make_regression({.n_samples = 50, .n_features = 8, .n_informative = 3, .bias = 2.5});
    REQUIRE(data.coef.size() == 8);
    CHECK((data.coef.array() != 0).count() == 3);
    CHECK(data.coef.minCoeff() >= 0);
    CHECK(data.coef.maxCoeff() < 100);
    const kestrel::Vector<double> fitted = data.X * data.coef + kestrel::Vector<double>::Constant(50, 2.5);
    CHECK(kestrel::test::max_abs_error(fitted, data.y) < 1e-12);
    const auto noisy = make_regression({.n_samples = 4000, .n_features = 8, .noise = 3.0});
    const kestrel::Vector<double> residual = noisy.y - noisy.X * noisy.coef;
    CHECK(std::abs(std::sqrt(residual.squaredNorm() / 4000.0) - 3.0) < 0.2);
}

TEST_CASE("make_regression's effective_rank gives scikit-learn's singular profile", "[datasets]") {
    const auto data = make_regression(
        {.n_samples = 60, .n_features = 20, .effective_rank = 5, .tail_strength = 0.3, .random_state = 11});
    const Eigen::VectorXd singular = Eigen::JacobiSVD<Eigen::MatrixXd>(data.X).singularValues();
    const auto expected = kestrel::test::fixture_case("datasets/regression").vector("low_rank_singular_values");
    CHECK(kestrel::test::max_relative_error(singular, expected) < 1e-12);
}

TEST_CASE("generators reject bad parameters", "[datasets]") {
    CHECK_THROWS_AS(make_blobs({.centers = Index{0}}), kestrel::invalid_parameter);
    CHECK_THROWS_AS(make_blobs({.cluster_std = {-1.0}}), kestrel::invalid_parameter);
    CHECK_THROWS_AS(make_blobs({.centers = Index{3}, .cluster_std = {1.0, 2.0}}), kestrel::invalid_parameter);
    CHECK_THROWS_AS(make_blobs({.n_samples_per_center = {2, 3}, .centers = Index{2}}), kestrel::invalid_parameter);
    CHECK_THROWS_AS(make_blobs({.center_box = {1.0, -1.0}}), kestrel::invalid_parameter);
    CHECK_THROWS_AS(make_classification({.n_features = 3}), kestrel::invalid_parameter);
    CHECK_THROWS_AS(make_classification({.n_informative = 2, .n_classes = 3}), kestrel::invalid_parameter);
    CHECK_THROWS_AS(make_classification({.weights = {0.1, 0.2, 0.3}}), kestrel::invalid_parameter);
    CHECK_THROWS_AS(make_classification({.flip_y = 1.5}), kestrel::invalid_parameter);
    CHECK_THROWS_AS(make_regression({.n_features = 0}), kestrel::invalid_parameter);
    CHECK_THROWS_AS(make_regression({.effective_rank = 0}), kestrel::invalid_parameter);
    CHECK_THROWS_AS(make_regression({.noise = -1}), kestrel::invalid_parameter);
    CHECK(make_blobs({.n_samples = 0}).n_samples() == 0);
    CHECK(make_classification({.n_samples = 0}).n_samples() == 0);
}

TEST_CASE("generator results are Datasets that fit(const Dataset&) accepts", "[datasets]") {
    const auto blobs = make_blobs<float>({.n_samples = 50, .n_features = 3});
    kestrel::preprocessing::StandardScaler<float> scaler;
    scaler.fit(blobs);
    CHECK(scaler.n_features_in() == 3);
    const kestrel::Dataset<double, kestrel::Vector<double>> sliced = make_regression({.n_samples = 5, .n_features = 2});
    CHECK(sliced.n_samples() == 5);
}
