#pragma once
// The MPI side of the distributed tests: main (MPI_Init, the Catch2 session, MPI_Finalize), the
// ways of splitting n rows over the ranks, and comparisons with the single-process fit.
#define CATCH_CONFIG_RUNNER
#include "catch.hpp"

#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <kestrel/core/types.hpp>

namespace kestrel::test {

inline int world_rank() {
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    return rank;
}
inline int world_size() {
    int size = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    return size;
}

/// One rank's rows of n: [first, first + count).
struct shard {
    Index first = 0;
    Index count = 0;
};

/// The ways the tests split n rows over the ranks.
enum class split { even, uneven, first_empty, last_empty };
inline const char* split_name(split s) {
    switch (s) {
        case split::even:
            return "even";
        case split::uneven:
            return "uneven";
        case split::first_empty:
            return "rank 0 empty";
        default:
            return "last rank empty";
    }
}
inline const std::vector<split> all_splits{split::even, split::uneven, split::first_empty, split::last_empty};

/// This rank's shard of n rows under split `s`: even shares; shares growing as 1, 3, 9, ...; or
/// even shares over every rank but the first (or last), which holds none.
inline shard shard_of(split s, Index n, int rank = world_rank(), int size = world_size()) {
    std::vector<double> share(static_cast<std::size_t>(size), 1.0);
    if (s == split::uneven) {
        for (int r = 0; r < size; ++r) share[static_cast<std::size_t>(r)] = std::pow(3.0, r);
    } else if (s == split::first_empty && size > 1) {
        share[0] = 0;
    } else if (s == split::last_empty && size > 1) {
        share[static_cast<std::size_t>(size - 1)] = 0;
    }
    double total = 0;
    for (double v : share) total += v;
    std::vector<Index> bounds(static_cast<std::size_t>(size + 1), 0);
    double acc = 0;
    for (int r = 0; r < size; ++r) {
        acc += share[static_cast<std::size_t>(r)];
        bounds[static_cast<std::size_t>(r + 1)] = static_cast<Index>(std::llround(acc / total * static_cast<double>(n)));
    }
    bounds.back() = n;
    return {bounds[static_cast<std::size_t>(rank)], bounds[static_cast<std::size_t>(rank + 1)] - bounds[static_cast<std::size_t>(rank)]};
}

/// max |a − b| / max |b|: the relative difference of a distributed answer from the single-process one.
template <class A, class B>
double relative_difference(const A& a, const B& b) {
    if (b.size() == 0) return a.size() == 0 ? 0.0 : 1.0;
    const double scale = std::max(b.template cast<double>().cwiseAbs().maxCoeff(), 1e-300);
    return (a.template cast<double>() - b.template cast<double>()).cwiseAbs().maxCoeff() / scale;
}

/// Whether every rank holds the same bits in `values` as rank 0.
template <class V>
bool same_on_every_rank(const V& values) {
    std::vector<unsigned char> mine(reinterpret_cast<const unsigned char*>(values.data()),
                                    reinterpret_cast<const unsigned char*>(values.data() + values.size()));
    std::vector<unsigned char> root = mine;
    MPI_Bcast(root.data(), static_cast<int>(root.size()), MPI_UNSIGNED_CHAR, 0, MPI_COMM_WORLD);
    int same = root == mine ? 1 : 0;
    MPI_Allreduce(MPI_IN_PLACE, &same, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return same == 1;
}

/// One line of the equality table, printed by rank 0.
inline void report(const std::string& what, split s, double difference) {
    if (world_rank() == 0) {
        std::printf("equality | %d ranks | %-44s | %-15s | %.2e\n", world_size(), what.c_str(), split_name(s),
                    difference);
    }
}

/// Runs fit on every rank; all must throw E with every fragment in the message, the same message.
template <class E, class Fit>
void every_rank_throws(Fit&& fit, const std::vector<std::string>& fragments) {
    std::string message;
    bool thrown = false;
    try {
        fit();
    } catch (const E& e) {
        thrown = true;
        message = e.what();
    }
    INFO("rank " << world_rank() << ": " << message);
    CHECK(thrown);
    for (const auto& f : fragments) CHECK_THAT(message, Catch::Matchers::Contains(f));
    std::vector<char> root(message.begin(), message.end());
    int length = static_cast<int>(root.size());
    MPI_Bcast(&length, 1, MPI_INT, 0, MPI_COMM_WORLD);
    root.resize(static_cast<std::size_t>(length));
    MPI_Bcast(root.data(), length, MPI_CHAR, 0, MPI_COMM_WORLD);
    CHECK(std::string(root.begin(), root.end()) == message);
}

}  // namespace kestrel::test

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    const int result = Catch::Session().run(argc, argv);
    int worst = result;
    MPI_Allreduce(&result, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    MPI_Finalize();
    return worst;
}
