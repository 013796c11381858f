// Each distributed estimator against its single-process namesake on the same rows, split over the
// ranks evenly, unevenly and with an empty rank: the fitted state equal to 1e-12 relative (every
// rank holding the same bits), labels and predictions of this rank's rows equal.
#include "mpi_support.hpp"

#include <kestrel/datasets.hpp>
#include <kestrel/distributed.hpp>
#include <kestrel/io/npy.hpp>

using namespace kestrel;
using kestrel::test::report;
using kestrel::test::same_on_every_rank;
using kestrel::test::shard_of;
using kestrel::test::split;

namespace {

template <class T>
Matrix<T> rows_of(const Matrix<T>& X, test::shard s) {
    return X.middleRows(s.first, s.count);
}
template <class V>
V entries_of(const V& v, test::shard s) {
    return v.segment(s.first, s.count);
}

datasets::RegressionDataset<double> regression_data() {
    return datasets::make_regression<double>(
        {.n_samples = 3000, .n_features = 20, .n_informative = 12, .bias = 3.0, .noise = 1.0, .random_state = 5});
}

}  // namespace

TEST_CASE("distributed LinearRegression and Ridge equal the single-process fit", "[distributed]") {
    const auto data = regression_data();
    // Rows far from the origin: the shared shift keeps the centring accurate.
    const Matrix<double> X = (data.X.array() + 100.0).matrix();
    Vector<double> weights(X.rows());
    for (Index i = 0; i < X.rows(); ++i) weights[i] = 0.5 + static_cast<double>(i % 7) / 4.0;
    for (const split s : test::all_splits) {
        const test::shard mine = shard_of(s, X.rows());
        const Matrix<double> X_local = rows_of(X, mine);
        const Vector<double> y_local = entries_of(data.y, mine);
        const Vector<double> w_local = entries_of(weights, mine);
        {
            linear_model::LinearRegression<double> one;
            one.fit(X, data.y);
            distributed::LinearRegression<double> many(MPI_COMM_WORLD);
            many.fit(X_local, y_local);
            const double diff = std::max(test::relative_difference(many.coef(), one.coef()),
                                         std::abs(many.intercept() - one.intercept()) / std::abs(one.intercept()));
            report("LinearRegression coef, intercept", s, diff);
            CHECK(diff <= 1e-12);
            CHECK(same_on_every_rank(many.coef()));
            CHECK(test::relative_difference(many.predict(X_local), one.predict(X_local)) <= 1e-12);
        }
        {
            linear_model::Ridge<double> one({.alpha = 10.0});
            one.fit(X, data.y, weights);
            distributed::Ridge<double> many(MPI_COMM_WORLD, {.alpha = 10.0});
            many.fit(X_local, y_local, w_local);
            const double diff = std::max(test::relative_difference(many.coef(), one.coef()),
                                         std::abs(many.intercept() - one.intercept()) / std::abs(one.intercept()));
            report("Ridge(alpha=10) weighted coef, intercept", s, diff);
            CHECK(diff <= 1e-12);
            CHECK(same_on_every_rank(many.coef()));
        }
        {
            // Float rows: the sums in float, grouped otherwise than one process groups them.
            const Matrix<float> Xf = X.cast<float>();
            linear_model::Ridge<float> one({.alpha = 1.0});
            one.fit(Xf, data.y.cast<float>());
            distributed::Ridge<float> many(MPI_COMM_WORLD, {.alpha = 1.0});
            many.fit(rows_of(Xf, mine), Vector<float>(y_local.cast<float>()));
            const double diff = test::relative_difference(many.coef(), one.coef());
            report("Ridge<float> coef", s, diff);
            CHECK(diff <= 1e-3);
        }
    }
}

TEST_CASE("distributed LinearRegression of a rank-deficient X gives the minimum-norm answer", "[distributed]") {
    const auto data = regression_data();
    Matrix<double> X(data.X.rows(), 21);
    X.leftCols(20) = data.X;
    X.col(20) = data.X.col(3);  // a repeated column
    linear_model::LinearRegression<double> one;
    one.fit(X, data.y);
    for (const split s : test::all_splits) {
        const test::shard mine = shard_of(s, X.rows());
        distributed::LinearRegression<double> many(MPI_COMM_WORLD);
        many.fit(rows_of(X, mine), entries_of(data.y, mine));
        const double diff = test::relative_difference(many.coef(), one.coef());
        report("LinearRegression, repeated column (min norm)", s, diff);
        // From the Gram matrix: accurate to about cond(X)²·ε, not cond(X)·ε.
        CHECK(diff <= 1e-8);
        CHECK(std::abs(many.coef()[3] - many.coef()[20]) <= 1e-8 * std::abs(many.coef()[3]));
    }
}

TEST_CASE("distributed LogisticRegression equals the single-process fit", "[distributed]") {
    using linear_model::Solver;
    struct problem {
        const char* name;
        int classes;
        Solver solver;
        bool balanced;
        bool weighted;
    };
    const std::vector<problem> problems{
        {"LogisticRegression binary lbfgs", 2, Solver::lbfgs, false, false},
        {"LogisticRegression 3-class lbfgs, weighted", 3, Solver::lbfgs, false, true},
        {"LogisticRegression binary newton, balanced", 2, Solver::newton_cholesky, true, false},
        {"LogisticRegression 3-class newton (ovr)", 3, Solver::newton_cholesky, false, true},
    };
    for (const problem& pb : problems) {
        const auto data = datasets::make_classification<double>(
            {.n_samples = 2400, .n_features = 12, .n_informative = 6, .n_classes = pb.classes,
             .weights = pb.classes == 2 ? std::vector<double>{0.7, 0.3} : std::vector<double>{}, .random_state = 11});
        Vector<double> weights(data.X.rows());
        for (Index i = 0; i < weights.size(); ++i) weights[i] = pb.weighted ? 0.25 + static_cast<double>(i % 5) : 1.0;
        linear_model::LogisticRegressionParams params{.C = 0.5, .solver = pb.solver};
        if (pb.balanced) params.class_weight = ClassWeight::balanced;
        linear_model::LogisticRegression<double> one(params);
        one.fit(data.X, data.y, weights);
        for (const split s : test::all_splits) {
            const test::shard mine = shard_of(s, data.X.rows());
            distributed::LogisticRegression<double> many(MPI_COMM_WORLD, params);
            many.fit(rows_of(data.X, mine), Labels(entries_of(data.y, mine)), Vector<double>(entries_of(weights, mine)));
            const double diff = std::max(test::relative_difference(many.coef(), one.coef()),
                                         test::relative_difference(many.intercept(), one.intercept()));
            report(pb.name, s, diff);
            CHECK(many.n_iter() == one.n_iter());
            CHECK(diff <= 1e-12);
            CHECK(same_on_every_rank(many.coef()));
            CHECK((many.classes().array() == one.classes().array()).all());
            CHECK((many.predict(rows_of(data.X, mine)).array() == one.predict(rows_of(data.X, mine)).array()).all());
        }
    }
}

TEST_CASE("distributed StandardScaler merges the moments of every rank", "[distributed]") {
    const auto data = regression_data();
    const Matrix<double> X = (data.X.array() * 3.0 + 1e4).matrix();
    Vector<double> weights(X.rows());
    for (Index i = 0; i < X.rows(); ++i) weights[i] = 1.0 + static_cast<double>(i % 3);
    for (const split s : test::all_splits) {
        const test::shard mine = shard_of(s, X.rows());
        preprocessing::StandardScaler<double> one;
        one.fit(X, weights);
        distributed::StandardScaler<double> many(MPI_COMM_WORLD);
        many.fit(rows_of(X, mine), Vector<double>(entries_of(weights, mine)));
        const double diff = std::max({test::relative_difference(many.mean(), one.mean()),
                                      test::relative_difference(many.var(), one.var()),
                                      std::abs(many.n_samples_seen() - one.n_samples_seen())});
        report("StandardScaler weighted mean, var", s, diff);
        CHECK(diff <= 1e-12);
        CHECK(same_on_every_rank(many.var()));
        CHECK(test::relative_difference(many.transform(rows_of(X, mine)), one.transform(rows_of(X, mine))) <= 1e-9);
    }
}

TEST_CASE("distributed KMeans equals the single-process fit", "[distributed]") {
    const auto blobs = datasets::make_blobs<double>(
        {.n_samples = 3000, .n_features = 5, .centers = Index{6}, .cluster_std = {2.5}, .random_state = 3});
    Vector<double> weights(blobs.X.rows());
    for (Index i = 0; i < weights.size(); ++i) weights[i] = 0.5 + static_cast<double>(i % 4);
    struct setting {
        const char* name;
        cluster::KMeansParams<double> params;
        bool weighted;
    };
    const std::vector<setting> settings{
        {"KMeans k-means++", {.n_clusters = 6}, false},
        {"KMeans k-means++ n_init=3, weighted", {.n_clusters = 6, .n_init = 3}, true},
        {"KMeans random init, k=9", {.n_clusters = 9, .init = cluster::Init::random}, false},
    };
    for (const setting& st : settings) {
        cluster::KMeans<double> one(st.params);
        one.fit(blobs.X, st.weighted ? weights : Vector<double>::Ones(weights.size()).eval());
        for (const split s : test::all_splits) {
            const test::shard mine = shard_of(s, blobs.X.rows());
            distributed::KMeans<double> many(MPI_COMM_WORLD, st.params);
            many.fit(rows_of(blobs.X, mine), st.weighted ? Vector<double>(entries_of(weights, mine))
                                                          : Vector<double>::Ones(mine.count).eval());
            const double diff = std::max(test::relative_difference(many.cluster_centers(), one.cluster_centers()),
                                         std::abs(many.inertia() - one.inertia()) / one.inertia());
            report(st.name, s, diff);
            CHECK(diff <= 1e-12);
            CHECK(many.n_iter() == one.n_iter());
            CHECK(same_on_every_rank(many.cluster_centers()));
            CHECK((many.labels().array() == entries_of(one.labels(), mine).array()).all());
        }
    }
}

TEST_CASE("distributed KMeans moves an empty cluster onto the farthest row of all ranks", "[distributed]") {
    const auto blobs = datasets::make_blobs<double>(
        {.n_samples = 900, .n_features = 3, .centers = Index{3}, .random_state = 8});
    Matrix<double> start = blobs.X.topRows(4);
    start.row(3).setConstant(1e6);  // no row is nearest to it: empty after the first E-step
    cluster::KMeans<double> one({.n_clusters = 4});
    one.fit_from(blobs.X, start);
    for (const split s : test::all_splits) {
        const test::shard mine = shard_of(s, blobs.X.rows());
        distributed::KMeans<double> many(MPI_COMM_WORLD, {.n_clusters = 4});
        many.fit_from(rows_of(blobs.X, mine), start);
        const double diff = test::relative_difference(many.cluster_centers(), one.cluster_centers());
        report("KMeans fit_from with an empty cluster", s, diff);
        CHECK(diff <= 1e-12);
        CHECK(many.n_iter() == one.n_iter());
    }
}

TEST_CASE("each rank reads its rows of one .npy file and the fit equals one process's", "[distributed]") {
    const std::string path = std::string(KESTREL_TEST_BINARY_DIR) + "/distributed_shards_" +
                             std::to_string(test::world_size()) + ".npy";
    const auto data = regression_data();
    if (test::world_rank() == 0) io::save_npy(path, data.X);
    MPI_Barrier(MPI_COMM_WORLD);
    linear_model::Ridge<double> one;
    one.fit(io::load_npy<double>(path), data.y);
    for (const split s : test::all_splits) {
        const test::shard mine = shard_of(s, data.X.rows());
        const Matrix<double> X_local = io::load_npy<double>(path, mine.first, mine.count);
        CHECK(X_local == data.X.middleRows(mine.first, mine.count));
        distributed::Ridge<double> many(MPI_COMM_WORLD);
        many.fit(X_local, entries_of(data.y, mine));
        CHECK(test::relative_difference(many.coef(), one.coef()) <= 1e-12);
    }
}

TEST_CASE("distributed fits in float agree with the single-process float fits", "[distributed]") {
    const auto blobs = datasets::make_blobs<float>(
        {.n_samples = 4000, .n_features = 6, .centers = Index{5}, .cluster_std = {1.0}, .random_state = 12});
    const auto labelled = datasets::make_classification<float>({.n_samples = 2000, .n_features = 8, .random_state = 6});
    cluster::KMeans<float> km_one({.n_clusters = 5});
    km_one.fit(blobs.X);
    linear_model::LogisticRegression<float> lr_one;
    lr_one.fit(labelled.X, labelled.y);
    for (const split s : test::all_splits) {
        const test::shard mine = shard_of(s, blobs.X.rows());
        distributed::KMeans<float> km(MPI_COMM_WORLD, {.n_clusters = 5});
        km.fit(rows_of(blobs.X, mine));
        const double km_diff = test::relative_difference(km.cluster_centers(), km_one.cluster_centers());
        report("KMeans<float>", s, km_diff);
        CHECK(km_diff <= 1e-6);
        CHECK(km.n_iter() == km_one.n_iter());
        CHECK(same_on_every_rank(km.cluster_centers()));

        const test::shard rows = shard_of(s, labelled.X.rows());
        distributed::LogisticRegression<float> lr(MPI_COMM_WORLD);
        lr.fit(rows_of(labelled.X, rows), Labels(entries_of(labelled.y, rows)));
        const double lr_diff = test::relative_difference(lr.coef(), lr_one.coef());
        report("LogisticRegression<float> lbfgs", s, lr_diff);
        // Float rows' losses summed in another grouping move where lbfgs stops (tol 1e-4) by ~1e-5.
        CHECK(lr_diff <= 1e-4);
        CHECK(same_on_every_rank(lr.coef()));
    }
}

TEST_CASE("a distributed fit repeated gives the same bits", "[distributed]") {
    const auto data = datasets::make_classification<double>({.n_samples = 1500, .n_features = 7, .random_state = 9});
    const test::shard mine = shard_of(split::uneven, data.X.rows());
    const Matrix<double> X = rows_of(data.X, mine);
    const Labels y = entries_of(data.y, mine);
    distributed::LogisticRegression<double> a(MPI_COMM_WORLD), b(MPI_COMM_WORLD);
    a.fit(X, y);
    b.fit(X, y);
    CHECK(a.coef() == b.coef());
    distributed::KMeans<double> c(MPI_COMM_WORLD, {.n_clusters = 4}), e(MPI_COMM_WORLD, {.n_clusters = 4});
    c.fit(X);
    e.fit(X);
    CHECK(c.cluster_centers() == e.cluster_centers());
    CHECK(c.inertia() == e.inertia());
}
