#include <algorithm>
#include <numeric>
#include <set>

#include <catch.hpp>
#include <kestrel/core/random.hpp>

using kestrel::Index;
using kestrel::random_engine;

TEST_CASE("random_engine gives the same stream on every platform", "[random]") {
    static_assert(std::uniform_random_bit_generator<random_engine>);
    // xoshiro256** seeded by SplitMix64: the values are fixed by the two algorithms alone
    // (computed with an independent Python transcription of their reference C code).
    random_engine rng(0);
    CHECK(rng() == 0x99ec5f36cb75f2b4ULL);
    CHECK(rng() == 0xbf6e1f784956452aULL);
    CHECK(rng() == 0x1a5f849d4933e6e0ULL);
    random_engine rng42(42);
    CHECK(rng42() == 0x15780b2e0c2ec716ULL);
    CHECK(rng42() == 0x6104d9866d113a7eULL);
    CHECK(rng42() == 0xae17533239e499a1ULL);
    random_engine again(0);
    const std::uint64_t first = again();
    random_engine other(1);
    CHECK(other() != first);
}

TEST_CASE("uniform, below and normal have the right ranges and moments", "[random]") {
    random_engine rng(42);
    const int n = 200000;
    double sum = 0, sum_sq = 0;
    std::vector<int> counts(7, 0);
    for (int i = 0; i < n; ++i) {
        const double u = rng.uniform();
        REQUIRE(u >= 0.0);
        REQUIRE(u < 1.0);
        const auto k = rng.below(7);
        REQUIRE(k < 7);
        ++counts[k];
        const double z = rng.normal();
        sum += z;
        sum_sq += z * z;
    }
    CHECK(std::abs(sum / n) < 0.01);
    CHECK(std::abs(sum_sq / n - 1.0) < 0.02);
    for (int c : counts) CHECK(std::abs(c - n / 7.0) < 0.02 * n / 7.0);
}

TEST_CASE("permutation and sample_without_replacement draw distinct indices", "[random]") {
    random_engine rng(3);
    auto p = rng.permutation(100);
    std::vector<Index> sorted = p;
    std::sort(sorted.begin(), sorted.end());
    std::vector<Index> expected(100);
    std::iota(expected.begin(), expected.end(), Index{0});
    CHECK(sorted == expected);
    CHECK(p != expected);

    auto s = rng.sample_without_replacement(50, 20);
    CHECK(s.size() == 20);
    CHECK(std::set<Index>(s.begin(), s.end()).size() == 20);
    CHECK(*std::max_element(s.begin(), s.end()) < 50);
}

TEST_CASE("for_stream engines are reproducible and differ from each other", "[random]") {
    auto a = random_engine::for_stream(5, 0);
    auto b = random_engine::for_stream(5, 1);
    auto a2 = random_engine::for_stream(5, 0);
    const auto x = a();
    CHECK(x == a2());
    CHECK(x != b());
}
