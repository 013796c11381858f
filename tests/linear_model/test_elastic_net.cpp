#include <algorithm>

#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/datasets/diabetes.hpp>
#include <kestrel/linear_model/elastic_net.hpp>
#include <kestrel/linear_model/lasso.hpp>

#include "common.hpp"

using namespace kestrel;
using kestrel::linear_model::ElasticNet;
using kestrel::linear_model::Lasso;
using kestrel::linear_model::Precompute;
using kestrel::test::fixture_case;
using kestrel::test::max_relative_error;
using kestrel::test::tolerance;

static_assert(regressor<ElasticNet<double>> && regressor<ElasticNet<float>>);

TEMPLATE_TEST_CASE("ElasticNet matches scikit-learn on diabetes", "[elastic_net]", float, double) {
    using T = TestType;
    const auto data = datasets::load_diabetes<T>();
    const double tol = tolerance<T>(1e-6, 1e-3);
    for (Precompute precompute : {Precompute::false_, Precompute::true_}) {
        ElasticNet<T> enet({.alpha = 0.01,
                            .l1_ratio = 0.7,
                            .precompute = precompute,
                            .max_iter = 100000,
                            .tol = tolerance<T>(1e-12, 1e-7)});
        enet.fit(data.X, data.y);
        CHECK(max_relative_error(enet.coef(), fixture_case("linear_model/enet").vector("coef")) < tol);
        CHECK(std::abs(enet.intercept() - fixture_case("linear_model/enet").scalar("intercept")) < tol * 152);
        enet.fit(data.X, data.y, test::reference_weights<T>(data.n_samples()));
        CHECK(max_relative_error(enet.coef(), fixture_case("linear_model/enet_weighted").vector("coef")) < tol);
        CHECK(std::abs(enet.intercept() - fixture_case("linear_model/enet_weighted").scalar("intercept")) < tol * 152);
    }
}

TEST_CASE("ElasticNet with l1_ratio 1 is the Lasso", "[elastic_net]") {
    const auto data = datasets::load_diabetes();
    ElasticNet<> enet({.alpha = 0.1, .l1_ratio = 1.0});
    Lasso<> lasso({.alpha = 0.1});
    CHECK(enet.fit(data.X, data.y).coef() == lasso.fit(data.X, data.y).coef());
    CHECK(enet.n_iter() == lasso.n_iter());
}

TEST_CASE("ElasticNet rejects bad parameters", "[elastic_net]") {
    const auto data = datasets::load_diabetes();
    CHECK_THROWS_AS(ElasticNet<>({.l1_ratio = 1.5}).fit(data.X, data.y), invalid_parameter);
    CHECK_THROWS_AS(ElasticNet<>({.l1_ratio = -0.1}).fit(data.X, data.y), invalid_parameter);
    CHECK_THROWS_AS(ElasticNet<>({.alpha = -1}).fit(data.X, data.y), invalid_parameter);
    CHECK_THROWS_AS(ElasticNet<>({.max_iter = 0}).fit(data.X, data.y), invalid_parameter);
    CHECK_THROWS_AS(ElasticNet<>().dual_gap(), not_fitted);
}

TEMPLATE_TEST_CASE("enet_path matches scikit-learn's, on X and on its Gram matrix", "[elastic_net]", float, double) {
    using T = TestType;
    const auto data = datasets::load_diabetes<T>();
    const Vector<T> centred = data.y.array() - data.y.mean();
    Vector<T> alphas(3);
    alphas << T(0.01), T(1), T(0.1);
    const double tol = tolerance<T>(1e-12, 1e-7);
    for (Precompute precompute : {Precompute::false_, Precompute::true_}) {
        const auto path = linear_model::enet_path(
            data.X, centred, alphas, {.l1_ratio = 0.8, .precompute = precompute, .max_iter = 100000, .tol = tol});
        CHECK(path.alphas[0] == T(1));
        CHECK(max_relative_error(path.coefs, test::fixture_case("linear_model/enet_path").matrix("coefs"), 1e-3) <
              tolerance<T>(1e-6, 1e-3));
        // Every alpha converged: its gap is below tol·‖y‖²/n before max_iter passes.
        CHECK(std::ranges::all_of(path.n_iter, [](int n_iter) { return n_iter < 100000; }));
        CHECK((path.dual_gaps.array() < T(tol) * centred.squaredNorm() / T(data.n_samples())).all());
    }
    CHECK_THROWS_AS(linear_model::enet_path(data.X, centred, Vector<T>::Constant(1, T(-1))), invalid_parameter);
    const auto lasso = linear_model::lasso_path(data.X, centred, Vector<T>::Constant(1, T(0.1)));
    CHECK(lasso.coefs.col(0).isApprox(Lasso<T>({.alpha = 0.1, .fit_intercept = false}).fit(data.X, centred).coef()));
}

TEMPLATE_TEST_CASE("enet_path with fit_intercept centres X and y itself and gives the intercepts", "[elastic_net]",
                   float, double) {
    using T = TestType;
    const auto data = datasets::load_diabetes<T>();
    // Columns moved far from the origin, y as loaded: the path must centre both.
    Matrix<T> shifted = data.X;
    for (Index j = 0; j < shifted.cols(); ++j) shifted.col(j).array() += T(3 + j);
    const Vector<T> centred = data.y.array() - data.y.mean();
    Vector<T> alphas(3);
    alphas << T(0.01), T(1), T(0.1);
    const double tol = tolerance<T>(1e-12, 1e-7);
    for (Precompute precompute : {Precompute::false_, Precompute::true_}) {
        INFO("precompute " << (precompute == Precompute::true_));
        const auto path = linear_model::enet_path(
            shifted, data.y, alphas,
            {.l1_ratio = 0.8, .precompute = precompute, .max_iter = 100000, .tol = tol, .fit_intercept = true});
        CHECK(max_relative_error(path.coefs, test::fixture_case("linear_model/enet_path").matrix("coefs"), 1e-3) <
              tolerance<T>(1e-6, 1e-3));
        // The gaps are the centred problem's: below tol·‖y − ȳ‖²/n, reached before max_iter passes.
        CHECK(std::ranges::all_of(path.n_iter, [](int n_iter) { return n_iter < 100000; }));
        CHECK((path.dual_gaps.array() < T(tol) * centred.squaredNorm() / T(data.n_samples())).all());
        // Each alpha's intercept is ElasticNet's at that alpha on the same data.
        for (Index a = 0; a < alphas.size(); ++a) {
            ElasticNet<T> enet({.alpha = static_cast<double>(path.alphas[a]),
                                .l1_ratio = 0.8,
                                .precompute = precompute,
                                .max_iter = 100000,
                                .tol = tol});
            enet.fit(shifted, data.y);
            CHECK(max_relative_error(path.coefs.col(a), enet.coef(), 1e-3) < tolerance<T>(1e-6, 1e-3));
            CHECK(std::abs(path.intercepts[a] - enet.intercept()) < tolerance<T>(1e-6, 1e-3) * 152);
        }
        // Without it, the intercepts are zeros.
        const auto plain = linear_model::enet_path(data.X, data.y, alphas, {.precompute = precompute});
        CHECK(plain.intercepts.isZero(0));
    }
}
