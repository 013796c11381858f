// The distributed forests: every rank holds the same trees (predictions the same bits on every
// rank), tree t equals tree t of the single-process forest fitted on the rows of the rank that grew
// it, one rank equals the single-process forest bit for bit, a rank may lack a class, out-of-bag
// estimates over the ranks, and bad input thrown on every rank.
#include "mpi_support.hpp"

#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <kestrel/datasets.hpp>
#include <kestrel/distributed.hpp>
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

constexpr Index forest_rows = 600;
constexpr int n_trees = 12;

struct forest_data {
    Matrix<double> X;
    Labels labels;
    Vector<double> y;
};

// 600 rows of 8 features, 3 classes, and a real target of the same rows.
forest_data make_forest_data() {
    const auto c = datasets::make_classification<double>(
        {.n_samples = forest_rows, .n_features = 8, .n_informative = 5, .n_classes = 3, .random_state = 4});
    forest_data out{c.X, c.y, Vector<double>(forest_rows)};
    for (Index i = 0; i < forest_rows; ++i) out.y[i] = c.X(i, 0) * 2.0 - c.X(i, 3) + 0.5 * static_cast<double>(c.y[i]);
    return out;
}

// The first tree each rank grows and one past its last, for every rank, under split s.
std::vector<std::pair<Index, Index>> blocks(split s, int n_estimators) {
    const int size = world_size();
    std::vector<Index> rows(static_cast<std::size_t>(size));
    Index holders = 0;
    for (int r = 0; r < size; ++r) {
        rows[static_cast<std::size_t>(r)] = shard_of(s, forest_rows, r, size).count;
        if (rows[static_cast<std::size_t>(r)] > 0) ++holders;
    }
    std::vector<std::pair<Index, Index>> out(static_cast<std::size_t>(size), {0, 0});
    Index before = 0;
    for (int r = 0; r < size; ++r) {
        if (rows[static_cast<std::size_t>(r)] == 0) continue;
        out[static_cast<std::size_t>(r)] = {n_estimators * before / holders, n_estimators * (before + 1) / holders};
        ++before;
    }
    return out;
}

// The number of ranks that report a mismatch.
int ranks_differing(bool differs) {
    int v = differs ? 1 : 0;
    MPI_Allreduce(MPI_IN_PLACE, &v, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    return v;
}

// The predictions every rank compares: class shares, or values.
template <class F>
Matrix<double> forest_outputs(const F& forest, const Matrix<double>& X) {
    if constexpr (F::is_classifier) {
        return forest.predict_proba(X);
    } else {
        return Matrix<double>(forest.predict(X));
    }
}

// A distributed forest against single-process forests of each rank's rows, for every split.
template <class Distributed, class Single, class Y>
void check_forest(const std::string& name, const Matrix<double>& X, const Y& y, typename Single::Params params) {
    params.n_estimators = n_trees;
    params.max_depth = 6;
    params.n_jobs = 1;
    for (const split s : test::all_splits) {
        const test::shard mine = shard_of(s, forest_rows);
        const Matrix<double> X_local = X.middleRows(mine.first, mine.count);
        const Y y_local = y.segment(mine.first, mine.count);
        Distributed many(MPI_COMM_WORLD, params);
        many.fit(X_local, y_local);
        CHECK(static_cast<Index>(many.estimators().size()) == n_trees);

        // Every rank holds the same forest: the same bits for the same rows.
        const Matrix<double> out = forest_outputs(many, X);
        CHECK(same_on_every_rank(out));
        CHECK(same_on_every_rank(many.apply(X)));
        CHECK(same_on_every_rank(many.feature_importances()));
        if constexpr (Single::is_classifier) CHECK(same_on_every_rank(many.predict(X)));

        // Tree t is tree t of the single-process forest of the rows of the rank that grew it.
        const auto [first, end] = blocks(s, n_trees)[static_cast<std::size_t>(world_rank())];
        bool differs = false;
        if (mine.count > 0) {
            Single one(params);
            one.fit(X_local, y_local);
            if constexpr (Single::is_classifier) differs = one.classes() != many.classes();
            for (Index t = first; t < end; ++t) {
                differs = differs || !(many.estimators()[static_cast<std::size_t>(t)].tree() ==
                                       one.estimators()[static_cast<std::size_t>(t)].tree());
            }
        }
        const int differing = ranks_differing(differs);
        report(name + ": ranks with trees unlike their rows' forest", s, differing);
        CHECK(differing == 0);
    }
}

}  // namespace

TEST_CASE("distributed forests: the same trees on every rank, each the tree of its rank's rows", "[distributed]") {
    const forest_data d = make_forest_data();
    check_forest<distributed::RandomForestClassifier<double>, ensemble::RandomForestClassifier<double>>(
        "RandomForestClassifier", d.X, d.labels, {});
    check_forest<distributed::RandomForestRegressor<double>, ensemble::RandomForestRegressor<double>>(
        "RandomForestRegressor", d.X, d.y, {});
    check_forest<distributed::ExtraTreesClassifier<double>, ensemble::ExtraTreesClassifier<double>>(
        "ExtraTreesClassifier", d.X, d.labels, {});
    check_forest<distributed::ExtraTreesRegressor<double>, ensemble::ExtraTreesRegressor<double>>("ExtraTreesRegressor",
                                                                                                  d.X, d.y, {});
    // Histogram splits, bootstrap samples of a set size, entropy.
    check_forest<distributed::ExtraTreesClassifier<double>, ensemble::ExtraTreesClassifier<double>>(
        "ExtraTreesClassifier max_bins, max_samples", d.X, d.labels,
        {.criterion = tree::Criterion::entropy, .bootstrap = true, .max_samples = 0.5, .max_bins = 32});
}

TEST_CASE("a distributed forest saved on any rank: the same file, loaded as the single-process forest",
          "[distributed]") {
    const forest_data d = make_forest_data();
    for (const split s : test::all_splits) {
        const test::shard mine = shard_of(s, forest_rows);
        distributed::RandomForestRegressor<double> many(MPI_COMM_WORLD,
                                                        {.n_estimators = n_trees, .max_depth = 6, .n_jobs = 1});
        many.fit(d.X.middleRows(mine.first, mine.count), Vector<double>(d.y.segment(mine.first, mine.count)));
        std::ostringstream out;
        io::save(many, out);
        const std::string bytes = out.str();
        CHECK(same_on_every_rank(std::vector<char>(bytes.begin(), bytes.end())));
        std::istringstream in(bytes);
        const auto loaded = io::load<ensemble::RandomForestRegressor<double>>(in);
        const bool same = loaded.predict(d.X) == many.predict(d.X);
        const int differing = ranks_differing(!same);
        report("RandomForestRegressor saved, loaded: ranks differing", s, differing);
        CHECK(differing == 0);
    }
}

TEST_CASE("distributed forests of float rows", "[distributed]") {
    const forest_data d = make_forest_data();
    const Matrix<float> X = d.X.cast<float>();
    for (const split s : test::all_splits) {
        const test::shard mine = shard_of(s, forest_rows);
        const Matrix<float> X_local = X.middleRows(mine.first, mine.count);
        distributed::ExtraTreesClassifier<float> classifier(MPI_COMM_WORLD,
                                                            {.n_estimators = n_trees, .max_depth = 6, .n_jobs = 1});
        classifier.fit(X_local, Labels(d.labels.segment(mine.first, mine.count)));
        CHECK(same_on_every_rank(classifier.predict_proba(X)));
        distributed::RandomForestRegressor<float> regressor(
            MPI_COMM_WORLD, {.n_estimators = n_trees, .max_depth = 6, .oob_score = true, .n_jobs = 1});
        regressor.fit(X_local, Vector<float>(d.y.segment(mine.first, mine.count).cast<float>()));
        CHECK(same_on_every_rank(regressor.predict(X)));
        CHECK(same_on_every_rank(std::vector<double>{regressor.oob_score()}));
    }
}

TEST_CASE("a distributed forest over one rank is the single-process forest, bit for bit", "[distributed]") {
    const forest_data d = make_forest_data();
    // Every rank fits alone (MPI_COMM_SELF) on all rows, with out-of-bag estimates.
    {
        const ensemble::RandomForestClassifierParams p{.n_estimators = n_trees,
                                                       .max_depth = 6,
                                                       .oob_score = true,
                                                       .n_jobs = 1,
                                                       .class_weight = ClassWeight::balanced};
        ensemble::RandomForestClassifier<double> one(p);
        one.fit(d.X, d.labels);
        distributed::RandomForestClassifier<double> alone(MPI_COMM_SELF, p);
        alone.fit(d.X, d.labels);
        const bool same = one.predict_proba(d.X) == alone.predict_proba(d.X) &&
                          one.oob_decision_function() == alone.oob_decision_function() &&
                          one.oob_score() == alone.oob_score();
        const int differing = ranks_differing(!same);
        report("RandomForestClassifier on 1 rank: ranks unlike 1 process", split::even, differing);
        CHECK(differing == 0);
    }
    {
        const ensemble::RandomForestRegressorParams p{
            .n_estimators = n_trees, .max_depth = 6, .oob_score = true, .n_jobs = 1};
        ensemble::RandomForestRegressor<double> one(p);
        one.fit(d.X, d.y);
        distributed::RandomForestRegressor<double> alone(MPI_COMM_SELF, p);
        alone.fit(d.X, d.y);
        const bool same = one.predict(d.X) == alone.predict(d.X) && one.oob_prediction() == alone.oob_prediction() &&
                          one.oob_score() == alone.oob_score();
        const int differing = ranks_differing(!same);
        report("RandomForestRegressor on 1 rank: ranks unlike 1 process", split::even, differing);
        CHECK(differing == 0);
    }
}

TEST_CASE("distributed forests' out-of-bag estimates: this rank's rows, the score over all ranks", "[distributed]") {
    const forest_data d = make_forest_data();
    for (const split s : test::all_splits) {
        const test::shard mine = shard_of(s, forest_rows);
        const Matrix<double> X_local = d.X.middleRows(mine.first, mine.count);
        const Labels labels_local = d.labels.segment(mine.first, mine.count);
        const Vector<double> y_local = d.y.segment(mine.first, mine.count);
        {
            distributed::RandomForestClassifier<double> many(
                MPI_COMM_WORLD, {.n_estimators = n_trees, .max_depth = 6, .oob_score = true, .n_jobs = 1});
            many.fit(X_local, labels_local);
            const Matrix<double>& oob = many.oob_decision_function();
            CHECK(oob.rows() == mine.count);
            CHECK(oob.cols() == 3);
            std::int64_t correct = 0;
            for (Index i = 0; i < mine.count; ++i) {
                Index best = 0;
                oob.row(i).maxCoeff(&best);
                if (many.classes()[best] == labels_local[i]) ++correct;
            }
            MPI_Allreduce(MPI_IN_PLACE, &correct, 1, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
            const double accuracy = static_cast<double>(correct) / static_cast<double>(forest_rows);
            report("RandomForestClassifier oob_score - accuracy", s, std::abs(many.oob_score() - accuracy));
            CHECK(many.oob_score() == accuracy);
            CHECK(same_on_every_rank(std::vector<double>{many.oob_score()}));
            CHECK(many.oob_score() > 0.5);
        }
        {
            distributed::RandomForestRegressor<double> many(
                MPI_COMM_WORLD, {.n_estimators = n_trees, .max_depth = 6, .oob_score = true, .n_jobs = 1});
            many.fit(X_local, y_local);
            CHECK(many.oob_prediction().size() == mine.count);
            CHECK(same_on_every_rank(std::vector<double>{many.oob_score()}));
            CHECK(many.oob_score() > 0.5);
        }
    }
}

TEST_CASE("a rank lacking a class: its trees' values laid out over every class", "[distributed]") {
    const forest_data d = make_forest_data();
    const int last = world_size() - 1;
    const test::shard mine = shard_of(split::even, forest_rows);
    Matrix<double> X_local = d.X.middleRows(mine.first, mine.count);
    Labels labels_local = d.labels.segment(mine.first, mine.count);
    if (world_rank() == last) {
        // The last rank keeps its rows of classes 0 and 1 only.
        std::vector<Index> keep;
        for (Index i = 0; i < labels_local.size(); ++i) {
            if (labels_local[i] != 2) keep.push_back(i);
        }
        Matrix<double> X_kept(static_cast<Index>(keep.size()), X_local.cols());
        Labels labels_kept(static_cast<Index>(keep.size()));
        for (std::size_t k = 0; k < keep.size(); ++k) {
            X_kept.row(static_cast<Index>(k)) = X_local.row(keep[k]);
            labels_kept[static_cast<Index>(k)] = labels_local[keep[k]];
        }
        X_local = X_kept;
        labels_local = labels_kept;
    }
    const ensemble::RandomForestClassifierParams p{
        .n_estimators = n_trees, .max_depth = 6, .n_jobs = 1, .class_weight = ClassWeight::balanced};
    distributed::RandomForestClassifier<double> many(MPI_COMM_WORLD, p);
    many.fit(X_local, labels_local);
    CHECK(many.classes() == (Labels(3) << 0, 1, 2).finished());
    CHECK(same_on_every_rank(many.predict_proba(d.X)));
    CHECK(many.predict_proba(d.X).cols() == 3);
    // The last rank's trees: class 2 counts zero; otherwise the trees of its rows alone (without
    // class weights: balanced weights count every rank's rows).
    distributed::RandomForestClassifier<double> unweighted(MPI_COMM_WORLD,
                                                           {.n_estimators = n_trees, .max_depth = 6, .n_jobs = 1});
    unweighted.fit(X_local, labels_local);
    bool differs = false;
    if (world_rank() == last) {
        ensemble::RandomForestClassifier<double> one({.n_estimators = n_trees, .max_depth = 6, .n_jobs = 1});
        one.fit(X_local, labels_local);
        const auto [first, end] = blocks(split::even, n_trees)[static_cast<std::size_t>(last)];
        for (Index t = first; t < end; ++t) {
            const tree::Tree& a = unweighted.estimators()[static_cast<std::size_t>(t)].tree();
            const tree::Tree& b = one.estimators()[static_cast<std::size_t>(t)].tree();
            differs = differs || a.value.cols() != 3 || !(a.children_left == b.children_left) ||
                      !(a.feature == b.feature) || !(a.threshold == b.threshold) || !(a.impurity == b.impurity) ||
                      !(a.value.leftCols(2) == b.value) || !(a.value.col(2).array() == 0).all();
        }
    }
    const int differing = ranks_differing(differs);
    report("RandomForestClassifier, rank lacking class 2: ranks differing", split::even, differing);
    CHECK(differing == 0);
}

TEST_CASE("distributed forests: bad input on one rank is thrown on every rank", "[distributed]") {
    const forest_data d = make_forest_data();
    const int last = world_size() - 1;
    const test::shard mine = shard_of(split::even, forest_rows);
    Matrix<double> X_local = d.X.middleRows(mine.first, mine.count);
    const Labels labels_local = d.labels.segment(mine.first, mine.count);
    const Vector<double> y_local = d.y.segment(mine.first, mine.count);
    const ensemble::ExtraTreesClassifierParams ec{.n_estimators = 4, .max_depth = 3, .n_jobs = 1};
    const ensemble::ExtraTreesRegressorParams er{.n_estimators = 4, .max_depth = 3, .n_jobs = 1};
    const ensemble::RandomForestClassifierParams rc{.n_estimators = 4, .max_depth = 3, .n_jobs = 1};

    // NaN on the last rank: ExtraTrees refuse it, named by rank and row.
    Matrix<double> X_nan = X_local;
    if (world_rank() == last) X_nan(3, 2) = std::numeric_limits<double>::quiet_NaN();
    const std::string global_row = "(row " + std::to_string(shard_of(split::even, forest_rows, last).first + 3);
    const std::vector<std::string> nan_fragments{"rank " + std::to_string(last) + ": ", "NaN at row 3, column 2",
                                                 global_row + " of all ranks' rows)"};
    every_rank_throws<invalid_input>(
        [&] { distributed::ExtraTreesClassifier<double>(MPI_COMM_WORLD, ec).fit(X_nan, labels_local); }, nan_fragments);
    every_rank_throws<invalid_input>(
        [&] { distributed::ExtraTreesRegressor<double>(MPI_COMM_WORLD, er).fit(X_nan, y_local); }, nan_fragments);
    // RandomForest takes NaN as missing values; an infinity it refuses.
    {
        distributed::RandomForestClassifier<double> many(MPI_COMM_WORLD, rc);
        many.fit(X_nan, labels_local);
        CHECK(same_on_every_rank(many.predict_proba(d.X)));
    }
    Matrix<double> X_inf = X_local;
    if (world_rank() == last) X_inf(5, 1) = std::numeric_limits<double>::infinity();
    every_rank_throws<invalid_input>(
        [&] { distributed::RandomForestClassifier<double>(MPI_COMM_WORLD, rc).fit(X_inf, labels_local); },
        {"rank " + std::to_string(last) + ": ", "infinite"});

    // A feature fewer on the last rank.
    const Matrix<double> X_narrow = world_rank() == last ? Matrix<double>(X_local.leftCols(7)) : X_local;
    every_rank_throws<invalid_input>(
        [&] { distributed::RandomForestClassifier<double>(MPI_COMM_WORLD, rc).fit(X_narrow, labels_local); },
        {"features on rank"});
    every_rank_throws<invalid_input>(
        [&] { distributed::ExtraTreesRegressor<double>(MPI_COMM_WORLD, er).fit(X_narrow, y_local); },
        {"features on rank"});

    // y a row short on the last rank.
    const Vector<double> y_short = world_rank() == last ? Vector<double>(y_local.head(y_local.size() - 1)) : y_local;
    every_rank_throws<invalid_input>(
        [&] { distributed::RandomForestRegressor<double>(MPI_COMM_WORLD, {.n_estimators = 4}).fit(X_local, y_short); },
        {"rank " + std::to_string(last) + ": "});

    // A bootstrap sample larger than every rank's rows.
    const int too_many = static_cast<int>(forest_rows / world_size()) + 1;
    every_rank_throws<invalid_parameter>(
        [&] {
            distributed::RandomForestRegressor<double>(MPI_COMM_WORLD, {.n_estimators = 4, .max_samples = too_many})
                .fit(X_local, y_local);
        },
        {"max_samples"});

    // One class over all ranks.
    const Labels one_class = Labels::Zero(labels_local.size());
    every_rank_throws<invalid_input>(
        [&] { distributed::ExtraTreesClassifier<double>(MPI_COMM_WORLD, ec).fit(X_local, one_class); }, {"class"});

    // warm_start, and a bad parameter.
    every_rank_throws<invalid_parameter>(
        [&] {
            distributed::RandomForestRegressor<double>(MPI_COMM_WORLD, {.n_estimators = 4, .warm_start = true})
                .fit(X_local, y_local);
        },
        {"warm_start"});
    every_rank_throws<invalid_parameter>(
        [&] {
            distributed::RandomForestClassifier<double>(MPI_COMM_WORLD, {.n_estimators = 0}).fit(X_local, labels_local);
        },
        {"n_estimators"});

    // The ranks are still in step: a good fit follows.
    distributed::ExtraTreesClassifier<double> good(MPI_COMM_WORLD, ec);
    good.fit(X_local, labels_local);
    CHECK(same_on_every_rank(good.predict_proba(d.X)));
}
