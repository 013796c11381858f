// Distributed histogram gradient boosting: the same model on every rank, equal to the
// single-process fit of all rows (bin thresholds exactly; predictions to 1e-12) for every loss,
// with missing values, a categorical feature, weights and early stopping on a validation split,
// for every split of the rows; bad input thrown on every rank.
#include "mpi_support.hpp"

#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <kestrel/datasets.hpp>
#include <kestrel/distributed/hist_gradient_boosting.hpp>
#include <kestrel/io/persistence.hpp>

using namespace kestrel;
using kestrel::test::every_rank_throws;
using kestrel::test::report;
using kestrel::test::same_on_every_rank;
using kestrel::test::shard_of;
using kestrel::test::split;
using kestrel::test::world_rank;
using kestrel::test::world_size;

namespace {

constexpr Index n_rows = 2400;

struct data {
    Matrix<double> X;
    Labels binary, three;
    Vector<double> y, counts, weights;
};

// 2400 rows of 6 features: feature 2 missing in one row of 13, feature 5 a category code in
// [0, 7); two and three classes; a real target, a count target and weights.
data make_data() {
    const auto c = datasets::make_classification<double>(
        {.n_samples = n_rows, .n_features = 6, .n_informative = 4, .n_classes = 3, .random_state = 9});
    data out{c.X, Labels(n_rows), c.y, Vector<double>(n_rows), Vector<double>(n_rows), Vector<double>(n_rows)};
    for (Index i = 0; i < n_rows; ++i) {
        out.X(i, 5) = std::floor(std::abs(c.X(i, 5)) * 2.5);
        out.X(i, 5) = std::min(out.X(i, 5), 6.0);
        if (i % 13 == 0) out.X(i, 2) = std::numeric_limits<double>::quiet_NaN();
        out.binary[i] = c.X(i, 0) + 0.5 * c.X(i, 1) > 0 ? 1 : 0;
        out.y[i] = 2 * c.X(i, 0) - c.X(i, 3) + std::sin(c.X(i, 1)) + 0.3 * out.X(i, 5);
        out.counts[i] = std::floor(std::exp(0.4 * c.X(i, 0)) * 2);
        out.weights[i] = 0.5 + static_cast<double>(i % 5) * 0.25;
    }
    return out;
}

template <class E>
Matrix<double> outputs(const E& e, const Matrix<double>& X) {
    if constexpr (E::is_classifier) {
        return e.predict_proba(X);
    } else {
        return Matrix<double>(e.predict(X));
    }
}

// The distributed fit of each split against the single-process fit of all rows.
template <class Distributed, class Single, class Y>
void check_equal(const std::string& name, const Matrix<double>& X, const Y& y, const typename Single::Params& params,
                 const Vector<double>& weights = Vector<double>()) {
    Single one(params);
    one.fit(X, y, weights);
    const Matrix<double> expected = outputs(one, X);
    for (const split s : test::all_splits) {
        const test::shard mine = shard_of(s, X.rows());
        const Matrix<double> X_local = X.middleRows(mine.first, mine.count);
        const Y y_local = y.segment(mine.first, mine.count);
        const Vector<double> w_local = weights.size() ? Vector<double>(weights.segment(mine.first, mine.count)) : Vector<double>();
        Distributed many(MPI_COMM_WORLD, params);
        many.fit(X_local, y_local, w_local);
        const Matrix<double> got = outputs(many, X);
        const double difference = test::relative_difference(got, expected);
        report(name, s, difference);
        CHECK(difference <= 1e-12);
        CHECK(many.n_iter() == one.n_iter());
        CHECK(many.bin_thresholds() == one.bin_thresholds());
        CHECK(many.do_early_stopping() == one.do_early_stopping());
        CHECK(test::relative_difference(many.train_score(), one.train_score()) <= 1e-12);
        CHECK(test::relative_difference(many.validation_score(), one.validation_score()) <= 1e-12);
        CHECK(same_on_every_rank(got));
        CHECK(same_on_every_rank(many.train_score()));
        if constexpr (Single::is_classifier) {
            CHECK(many.classes() == one.classes());
            CHECK(many.predict(X) == one.predict(X));
        }
    }
}

}  // namespace

TEST_CASE("distributed HistGradientBoostingRegressor equals the single-process fit for every loss", "[distributed]") {
    const data d = make_data();
    using D = distributed::HistGradientBoostingRegressor<double>;
    using S = ensemble::HistGradientBoostingRegressor<double>;
    ensemble::HistGradientBoostingRegressorParams p;
    p.max_iter = 15;
    p.categorical_features = {5};
    p.n_jobs = 1;
    check_equal<D, S>("HGB regressor squared_error", d.X, d.y, p);
    check_equal<D, S>("HGB regressor squared_error, weights", d.X, d.y, p, d.weights);
    p.loss = ensemble::Loss::absolute_error;
    check_equal<D, S>("HGB regressor absolute_error", d.X, d.y, p);
    p.loss = ensemble::Loss::quantile;
    p.quantile = 0.3;
    check_equal<D, S>("HGB regressor quantile 0.3, weights", d.X, d.y, p, d.weights);
    p.quantile.reset();
    p.loss = ensemble::Loss::poisson;
    check_equal<D, S>("HGB regressor poisson", d.X, d.counts, p);
    // Early stopping on a validation split drawn from all rows, as one process draws it.
    p.loss = ensemble::Loss::squared_error;
    p.max_iter = 60;
    p.early_stopping = true;
    p.n_iter_no_change = 3;
    p.tol = 1e-3;
    check_equal<D, S>("HGB regressor early stopping", d.X, d.y, p);
}

TEST_CASE("distributed HistGradientBoostingClassifier equals the single-process fit", "[distributed]") {
    const data d = make_data();
    using D = distributed::HistGradientBoostingClassifier<double>;
    using S = ensemble::HistGradientBoostingClassifier<double>;
    ensemble::HistGradientBoostingClassifierParams p;
    p.max_iter = 15;
    p.categorical_features = {5};
    p.n_jobs = 1;
    check_equal<D, S>("HGB classifier binary", d.X, d.binary, p);
    check_equal<D, S>("HGB classifier 3 classes", d.X, d.three, p);
    p.class_weight = ClassWeight::balanced;
    check_equal<D, S>("HGB classifier balanced, weights", d.X, d.three, p, d.weights);
    p.class_weight = ClassWeight::none;
    p.interaction_cst = {{0, 1}, {2, 3, 4}};
    p.early_stopping = true;
    p.max_iter = 40;
    check_equal<D, S>("HGB classifier constraints, early stopping", d.X, d.three, p);

    // Rows sorted by class: a rank may hold one class only.
    std::vector<Index> order(static_cast<std::size_t>(n_rows));
    for (Index i = 0; i < n_rows; ++i) order[static_cast<std::size_t>(i)] = i;
    std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return d.three[a] < d.three[b]; });
    Matrix<double> X_sorted(n_rows, d.X.cols());
    Labels y_sorted(n_rows);
    for (Index i = 0; i < n_rows; ++i) {
        X_sorted.row(i) = d.X.row(order[static_cast<std::size_t>(i)]);
        y_sorted[i] = d.three[order[static_cast<std::size_t>(i)]];
    }
    ensemble::HistGradientBoostingClassifierParams sorted;
    sorted.max_iter = 10;
    sorted.n_jobs = 1;
    check_equal<D, S>("HGB classifier rows sorted by class", X_sorted, y_sorted, sorted);
}

TEST_CASE("distributed HistGradientBoosting bins a drawn subsample of all ranks' rows as one process", "[distributed]") {
    // Above 200,000 training rows the thresholds come from 200,000 drawn among all of them.
    const Index n = 200600;
    Matrix<double> X(n, 2);
    Vector<double> y(n);
    for (Index i = 0; i < n; ++i) {
        X(i, 0) = std::sin(static_cast<double>(i) * 0.37) * 10;
        X(i, 1) = std::fmod(static_cast<double>(i) * 0.618, 7.0);
        y[i] = X(i, 0) + X(i, 1);
    }
    ensemble::HistGradientBoostingRegressorParams p;
    p.max_iter = 2;
    p.early_stopping = false;
    p.random_state = 5;
    ensemble::HistGradientBoostingRegressor<double> one(p);
    one.fit(X, y);
    const test::shard mine = shard_of(split::uneven, n);
    distributed::HistGradientBoostingRegressor<double> many(MPI_COMM_WORLD, p);
    many.fit(X.middleRows(mine.first, mine.count), y.segment(mine.first, mine.count));
    CHECK(many.bin_thresholds() == one.bin_thresholds());
    const double difference = test::relative_difference(many.predict(X), one.predict(X));
    report("HGB regressor, 200,600 rows: thresholds drawn", split::uneven, difference);
    CHECK(difference <= 1e-12);
}

TEST_CASE("distributed HistGradientBoosting calls no progress callback, and keeps it", "[distributed]") {
    // A callback that stopped one rank early would leave the others waiting for its sums.
    const data d = make_data();
    const test::shard mine = shard_of(split::uneven, n_rows);
    ensemble::HistGradientBoostingRegressorParams p;
    p.max_iter = 5;
    p.n_jobs = 1;
    int calls = 0;
    distributed::HistGradientBoostingRegressor<double> many(MPI_COMM_WORLD, p);
    many.set_progress_callback([&](const progress&) {
        ++calls;
        return world_rank() == 0 ? progress_action::stop : progress_action::proceed;
    });
    many.fit(d.X.middleRows(mine.first, mine.count), d.y.segment(mine.first, mine.count));
    CHECK(calls == 0);
    CHECK(many.n_iter() == 5);
    CHECK(same_on_every_rank(many.predict(d.X)));
}

TEST_CASE("a distributed HistGradientBoosting model saved on any rank loads as the single-process one", "[distributed]") {
    const data d = make_data();
    const test::shard mine = shard_of(split::uneven, n_rows);
    ensemble::HistGradientBoostingClassifierParams p;
    p.max_iter = 8;
    p.n_jobs = 1;
    distributed::HistGradientBoostingClassifier<double> many(MPI_COMM_WORLD, p);
    many.fit(d.X.middleRows(mine.first, mine.count), Labels(d.three.segment(mine.first, mine.count)));
    std::stringstream file;
    io::save(many, file);
    const auto loaded = io::load<ensemble::HistGradientBoostingClassifier<double>>(file);
    CHECK(loaded.predict_proba(d.X) == many.predict_proba(d.X));
    CHECK(same_on_every_rank(loaded.predict_proba(d.X)));
}

TEST_CASE("distributed HistGradientBoosting: bad input on one rank is thrown on every rank", "[distributed]") {
    const data d = make_data();
    const int last = world_size() - 1;
    const test::shard mine = shard_of(split::even, n_rows);
    const Matrix<double> X_local = d.X.middleRows(mine.first, mine.count);
    const Vector<double> y_local = d.y.segment(mine.first, mine.count);
    const Labels labels_local = d.three.segment(mine.first, mine.count);
    ensemble::HistGradientBoostingRegressorParams p;
    p.max_iter = 3;
    p.n_jobs = 1;
    using Regressor = distributed::HistGradientBoostingRegressor<double>;
    using Classifier = distributed::HistGradientBoostingClassifier<double>;
    const std::string on_last = "rank " + std::to_string(last) + ": ";

    Matrix<double> X_inf = X_local;
    if (world_rank() == last) X_inf(4, 1) = std::numeric_limits<double>::infinity();
    every_rank_throws<invalid_input>([&] { Regressor(MPI_COMM_WORLD, p).fit(X_inf, y_local); }, {on_last, "infinite value"});

    Vector<double> counts = d.counts.segment(mine.first, mine.count);
    if (world_rank() == last) counts[2] = -1;
    ensemble::HistGradientBoostingRegressorParams poisson = p;
    poisson.loss = ensemble::Loss::poisson;
    every_rank_throws<invalid_input>([&] { Regressor(MPI_COMM_WORLD, poisson).fit(X_local, counts); },
                                     {on_last, "loss poisson needs y >= 0", "y[2]"});

    Matrix<double> X_code = X_local;
    if (world_rank() == last) X_code(1, 5) = -2;
    ensemble::HistGradientBoostingClassifierParams categorical;
    categorical.max_iter = 3;
    categorical.categorical_features = {5};
    every_rank_throws<invalid_input>([&] { Classifier(MPI_COMM_WORLD, categorical).fit(X_code, labels_local); },
                                     {on_last, "categorical feature 5", "integer codes >= 0"});

    ensemble::HistGradientBoostingRegressorParams warm = p;
    warm.warm_start = true;
    every_rank_throws<invalid_parameter>([&] { Regressor(MPI_COMM_WORLD, warm).fit(X_local, y_local); },
                                         {"warm_start", "distributed"});

    const Vector<double> zero = Vector<double>::Zero(mine.count);
    every_rank_throws<invalid_input>([&] { Regressor(MPI_COMM_WORLD, p).fit(X_local, y_local, zero); },
                                     {"sums to zero over all ranks"});

    const Vector<double> short_y = y_local.head(world_rank() == last ? mine.count - 1 : mine.count);
    every_rank_throws<invalid_input>([&] { Regressor(MPI_COMM_WORLD, p).fit(X_local, short_y); }, {on_last, "y"});
}
