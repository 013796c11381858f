// Bad input on one rank: every rank throws the same kestrel exception (no rank waits forever),
// a NaN is named with its rank and row, and the communicator works again afterwards.
#include "mpi_support.hpp"

#include <stdexcept>
#include <string>

#include <kestrel/datasets.hpp>
#include <kestrel/distributed.hpp>

using namespace kestrel;
using kestrel::test::every_rank_throws;
using kestrel::test::shard_of;
using kestrel::test::split;
using kestrel::test::world_rank;
using kestrel::test::world_size;

namespace {

struct local_data {
    Matrix<double> X;
    Vector<double> y;
    Labels labels;
};

// This rank's even share of a small regression set, with labels for the classifiers.
local_data shard_data(test::shard mine) {
    const auto data = datasets::make_regression<double>({.n_samples = 600, .n_features = 6, .random_state = 2});
    local_data out{data.X.middleRows(mine.first, mine.count), data.y.segment(mine.first, mine.count), Labels()};
    out.labels = (out.y.array() > 0).cast<int>();
    return out;
}

}  // namespace

TEST_CASE("a NaN on the last rank is thrown on every rank with its rank and row", "[distributed]") {
    const int last = world_size() - 1;
    const test::shard mine = shard_of(split::even, 600);
    local_data d = shard_data(mine);
    if (world_rank() == last) d.X(3, 2) = std::numeric_limits<double>::quiet_NaN();
    // Every rank knows the last rank's first row: this rank's if it is the last.
    const std::string global_row = "(row " + std::to_string(shard_of(split::even, 600, last).first + 3);
    const std::vector<std::string> fragments{"rank " + std::to_string(last) + ": ", "NaN at row 3, column 2",
                                             global_row + " of all ranks' rows)"};
    every_rank_throws<invalid_input>([&] { distributed::KMeans<double>(MPI_COMM_WORLD, {.n_clusters = 3}).fit(d.X); },
                                     fragments);
    every_rank_throws<invalid_input>([&] { distributed::LinearRegression<double>(MPI_COMM_WORLD).fit(d.X, d.y); },
                                     fragments);
    every_rank_throws<invalid_input>([&] { distributed::Ridge<double>(MPI_COMM_WORLD).fit(d.X, d.y); }, fragments);
    every_rank_throws<invalid_input>(
        [&] { distributed::LogisticRegression<double>(MPI_COMM_WORLD).fit(d.X, d.labels); }, fragments);
    every_rank_throws<invalid_input>(
        [&] {
            distributed::LogisticRegression<double>(MPI_COMM_WORLD, {.solver = linear_model::Solver::newton_cholesky})
                .fit(d.X, d.labels);
        },
        fragments);
    every_rank_throws<invalid_input>([&] { distributed::StandardScaler<double>(MPI_COMM_WORLD).fit(d.X); },
                                     fragments);
}

TEST_CASE("bad shards on one rank are thrown on every rank", "[distributed]") {
    const int last = world_size() - 1;
    const std::string on_last = "rank " + std::to_string(last) + ": ";
    const test::shard mine = shard_of(split::uneven, 600);
    const local_data d = shard_data(mine);

    SECTION("a target of the wrong length") {
        const Vector<double> y = world_rank() == last ? Vector<double>(d.y.head(d.y.size() - 1)) : d.y;
        every_rank_throws<invalid_input>([&] { distributed::Ridge<double>(MPI_COMM_WORLD).fit(d.X, y); },
                                         {on_last, "y"});
    }
    SECTION("a negative sample weight") {
        Vector<double> w = Vector<double>::Ones(d.X.rows());
        if (world_rank() == last) w[1] = -1;
        every_rank_throws<invalid_input>([&] { distributed::KMeans<double>(MPI_COMM_WORLD, {.n_clusters = 2}).fit(d.X, w); },
                                         {on_last, "sample_weight[1]"});
    }
    SECTION("weights all zero over every rank") {
        const Vector<double> w = Vector<double>::Zero(d.X.rows());
        every_rank_throws<invalid_input>([&] { distributed::StandardScaler<double>(MPI_COMM_WORLD).fit(d.X, w); },
                                         {"sums to zero over all ranks"});
    }
    SECTION("a different feature count") {
        const Matrix<double> X = world_rank() == last ? Matrix<double>(d.X.leftCols(5)) : d.X;
        every_rank_throws<invalid_input>(
            [&] { distributed::LogisticRegression<double>(MPI_COMM_WORLD).fit(X, d.labels); },
            {"features on rank " + std::to_string(last)});
    }
    SECTION("no rows on any rank") {
        const Matrix<double> X(0, 6);
        every_rank_throws<invalid_input>([&] { distributed::KMeans<double>(MPI_COMM_WORLD, {.n_clusters = 2}).fit(X); },
                                         {"no samples"});
    }
    SECTION("more clusters than rows over all ranks") {
        every_rank_throws<invalid_input>(
            [&] { distributed::KMeans<double>(MPI_COMM_WORLD, {.n_clusters = 601}).fit(d.X); }, {"601"});
    }
    SECTION("one class over all ranks") {
        const Labels y = Labels::Constant(d.X.rows(), 4);
        every_rank_throws<invalid_input>([&] { distributed::LogisticRegression<double>(MPI_COMM_WORLD).fit(d.X, y); },
                                         {"class"});
    }
    SECTION("initial centres of the wrong shape on one rank") {
        const Matrix<double> start = world_rank() == last ? Matrix<double>(d.X.topRows(2)) : Matrix<double>(d.X.topRows(3));
        every_rank_throws<invalid_input>(
            [&] { distributed::KMeans<double>(MPI_COMM_WORLD, {.n_clusters = 3}).fit_from(d.X, start); }, {on_last});
    }
    SECTION("a bad parameter") {
        every_rank_throws<invalid_parameter>(
            [&] { distributed::Ridge<double>(MPI_COMM_WORLD, {.alpha = -1}).fit(d.X, d.y); }, {"alpha"});
    }
    // After any of these, the ranks are still in step: a good fit runs.
    distributed::Ridge<double> ridge(MPI_COMM_WORLD);
    ridge.fit(d.X, d.y);
    CHECK(test::same_on_every_rank(ridge.coef()));
}

TEST_CASE("a rank holding the rows of one class only", "[distributed]") {
    // Rank r holds only the rows of class r % 2: the classes are those of all ranks.
    const auto data = datasets::make_classification<double>({.n_samples = 800, .n_features = 5, .random_state = 4});
    std::vector<Index> rows;
    for (Index i = 0; i < data.X.rows(); ++i) {
        if (data.y[i] == world_rank() % 2) rows.push_back(i);
    }
    // One process fits the rows in the order the ranks hold them.
    std::vector<Index> order;
    for (int r = 0; r < world_size(); ++r) {
        for (Index i = 0; i < data.X.rows(); ++i) {
            if (data.y[i] == r % 2) order.push_back(i);
        }
    }
    const Matrix<double> X_all = data.X(order, Eigen::all);
    const Labels y_all = data.y(order);
    linear_model::LogisticRegression<double> one;
    one.fit(X_all, y_all);
    distributed::LogisticRegression<double> many(MPI_COMM_WORLD);
    many.fit(Matrix<double>(data.X(rows, Eigen::all)), Labels(data.y(rows)));
    CHECK(test::relative_difference(many.coef(), one.coef()) <= 1e-12);
    CHECK(many.classes().size() == 2);
}

TEST_CASE("a foreign exception on one rank becomes rank_error on every rank", "[distributed]") {
    const distributed::detail::communicator comm(MPI_COMM_WORLD);
    const int last = world_size() - 1;
    every_rank_throws<distributed::rank_error>(
        [&] {
            comm.agree([&] {
                if (comm.rank() == last) throw std::runtime_error("disk full");
            });
        },
        {"rank " + std::to_string(last) + ": disk full"});
    // Exceptions on several ranks: the lowest one's wins.
    every_rank_throws<invalid_input>(
        [&] { comm.agree([&] { throw invalid_input("on rank " + std::to_string(comm.rank())); }); },
        {"rank 0: on rank 0"});
}
