// The parallel layer: fixed partitions, exceptions carried out of the threads, ordered
// reductions that give the same bits for any thread count, and the nesting rule.
#include <atomic>
#include <cmath>
#include <stdexcept>
#include <vector>

#include <catch.hpp>
#include <kestrel/core/detail/parallel.hpp>

using kestrel::Index;
using kestrel::detail::in_parallel_region;
using kestrel::detail::parallel_for;
using kestrel::detail::parallel_reduce;
using kestrel::detail::partition;
using kestrel::detail::resolve_n_jobs;

TEST_CASE("a partition covers the rows once, in near-equal contiguous parts", "[parallel]") {
    for (const Index n : {0, 1, 7, 100, 1001}) {
        for (const Index count : {1, 3, 16, 5000}) {
            const partition parts(n, count);
            CHECK(parts.count() >= 1);
            CHECK(parts.count() <= std::max<Index>(n, 1));
            Index next = 0;
            for (Index p = 0; p < parts.count(); ++p) {
                CHECK(parts.begin(p) == next);
                CHECK(parts.end(p) >= parts.begin(p));
                CHECK(parts.end(p) - parts.begin(p) <= n / parts.count() + 1);
                next = parts.end(p);
            }
            CHECK(next == n);
        }
    }
}

TEST_CASE("parallel_for runs every task once and carries the first exception out", "[parallel]") {
    for (const int threads : {1, 2, 4}) {
        std::vector<int> hits(100, 0);
        parallel_for(100, threads, [&](Index i) { ++hits[static_cast<std::size_t>(i)]; });
        for (const int h : hits) CHECK(h == 1);

        std::atomic<int> ran{0};
        CHECK_THROWS_WITH(parallel_for(50, threads,
                                       [&](Index i) {
                                           ++ran;
                                           if (i == 17 || i == 31)
                                               throw std::runtime_error("task " + std::to_string(i));
                                       }),
                          "task 17");
        // Serially the loop stops at the first throw; in threads the other tasks still run.
        CHECK(ran >= 18);
    }
}

TEST_CASE("an ordered reduction gives the same bits for any thread count", "[parallel]") {
    std::vector<double> x(100003);
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = std::sin(static_cast<double>(i)) * 1e6 + 1e-3 * static_cast<double>(i);
    const partition parts(static_cast<Index>(x.size()), 37);
    const auto sum = [&](int threads) {
        return parallel_reduce(
            parts, threads, 0.0,
            [&](Index, Index begin, Index end) {
                double s = 0;
                for (Index i = begin; i < end; ++i) s += x[static_cast<std::size_t>(i)];
                return s;
            },
            [](double a, double b) { return a + b; });
    };
    const double one = sum(1);
    CHECK(sum(2) == one);
    CHECK(sum(3) == one);
    CHECK(sum(8) == one);
}

TEST_CASE("inside a parallel loop, estimators run serially", "[parallel]") {
    CHECK_FALSE(in_parallel_region());
    std::vector<int> inner(8, -1);
    parallel_for(8, 2, [&](Index i) { inner[static_cast<std::size_t>(i)] = resolve_n_jobs(0); });
    // With OpenMP the loop runs on two threads, so each task sees 1; without it everything is
    // serial and resolve_n_jobs is 1 anyway.
    for (const int threads : inner) CHECK(threads == 1);
    // A single task runs inline, outside any parallel region.
    bool inline_region = true;
    parallel_for(1, 4, [&](Index) { inline_region = in_parallel_region(); });
    CHECK_FALSE(inline_region);
}
