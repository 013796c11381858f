#include <vector>

#include <catch.hpp>
#include <kestrel/core/random.hpp>
#include <kestrel/core/simd/blas1.hpp>
#include <kestrel/core/simd/math.hpp>

namespace simd = kestrel::detail::simd;
namespace scalar = kestrel::detail::simd::scalar;
using kestrel::Index;

namespace {

// Values in [-1, 1) with a buffer offset by `shift` elements, so loads start unaligned.
template <class T>
std::vector<T> random_values(kestrel::random_engine& rng, Index n) {
    std::vector<T> v(static_cast<std::size_t>(n) + 8);
    for (auto& x : v) x = rng.uniform<T>(T(-1), T(1));
    return v;
}

// A tolerance for a length-n sum of products bounded by `scale`: n·eps·scale, a few ulps slack.
template <class T>
T sum_tolerance(Index n, T scale) {
    return T(4) * static_cast<T>(n + 1) * std::numeric_limits<T>::epsilon() * scale;
}

}  // namespace

TEMPLATE_TEST_CASE("simd kernels equal their scalar twins on every length and alignment", "[simd]", float, double) {
    using T = TestType;
    kestrel::random_engine rng(7);
    for (Index n = 0; n <= 67; ++n) {
        for (Index shift : {0, 1, 3}) {
            auto a_buf = random_values<T>(rng, n);
            auto b_buf = random_values<T>(rng, n);
            const T* a = a_buf.data() + shift;
            const T* b = b_buf.data() + shift;
            INFO("n = " << n << ", shift = " << shift);

            T abs_dot = 0;
            for (Index i = 0; i < n; ++i) abs_dot += std::abs(a[i] * b[i]);
            CHECK(std::abs(simd::dot(a, b, n) - scalar::dot(a, b, n)) <= sum_tolerance<T>(n, abs_dot));
            CHECK(std::abs(simd::squared_norm(a, n) - scalar::squared_norm(a, n)) <=
                  sum_tolerance<T>(n, scalar::squared_norm(a, n)));
            const T dist = scalar::squared_distance(a, b, n);
            CHECK(std::abs(simd::squared_distance(a, b, n) - dist) <= sum_tolerance<T>(n, dist));

            std::vector<T> y1(b, b + n), y2(b, b + n + 0);
            // axpy on an unaligned destination too: write into the shifted buffer copy.
            std::vector<T> y_buf(static_cast<std::size_t>(n) + 8, T(0));
            std::copy(b, b + n, y_buf.begin() + shift);
            simd::axpy(T(0.75), a, y_buf.data() + shift, n);
            scalar::axpy(T(0.75), a, y1.data(), n);
            for (Index i = 0; i < n; ++i) {
                REQUIRE(std::abs(y_buf[static_cast<std::size_t>(i + shift)] - y1[static_cast<std::size_t>(i)]) <=
                        4 * std::numeric_limits<T>::epsilon());
            }
            // Untouched beyond the end: the tail is not overwritten.
            for (std::size_t i = static_cast<std::size_t>(n + shift); i < y_buf.size(); ++i) REQUIRE(y_buf[i] == T(0));

            CHECK(simd::argmin(a, n) == scalar::argmin(a, n));
        }
    }
}

TEMPLATE_TEST_CASE("argmin returns the first of tied minima, -1 when empty", "[simd]", float, double) {
    using T = TestType;
    CHECK(simd::argmin<T>(nullptr, 0) == -1);
    for (Index n = 1; n <= 67; ++n) {
        std::vector<T> v(static_cast<std::size_t>(n), T(3));
        const Index first = n / 3, second = n - 1;
        v[static_cast<std::size_t>(second)] = T(-2);
        v[static_cast<std::size_t>(first)] = T(-2);
        INFO("n = " << n);
        CHECK(simd::argmin(v.data(), n) == first);
        CHECK(scalar::argmin(v.data(), n) == first);
    }
}

TEMPLATE_TEST_CASE("squared_distances of one row against many rows with a stride", "[simd]", float, double) {
    using T = TestType;
    kestrel::random_engine rng(11);
    for (Index d : {1, 5, 16, 33}) {
        const Index rows = 9, stride = d + 3;
        auto x = random_values<T>(rng, d);
        auto m = random_values<T>(rng, rows * stride);
        std::vector<T> fast(rows), slow(rows);
        simd::squared_distances(x.data() + 1, m.data() + 1, rows, d, stride, fast.data());
        scalar::squared_distances(x.data() + 1, m.data() + 1, rows, d, stride, slow.data());
        for (Index r = 0; r < rows; ++r) {
            CHECK(std::abs(fast[static_cast<std::size_t>(r)] - slow[static_cast<std::size_t>(r)]) <=
                  sum_tolerance<T>(d, slow[static_cast<std::size_t>(r)]));
        }
    }
}

TEMPLATE_TEST_CASE("exp, log1p and sigmoid equal their scalar twins in every lane", "[simd]", float, double) {
    using T = TestType;
    using batch = simd::batch<T>;
    const Index w = simd::width<T>;
    const T eps = std::numeric_limits<T>::epsilon();
    kestrel::random_engine rng(12);
    // Arguments from −40 to 40, where e^z under- and overflows in float, loaded from every offset.
    const Index n = 3 * w + 5;
    std::vector<T> z(static_cast<std::size_t>(n));
    for (auto& v : z) v = rng.uniform<T>(T(-40), T(40));
    z[0] = T(0);
    std::vector<T> lanes(static_cast<std::size_t>(w));
    for (Index start = 0; start + w <= n; ++start) {
        INFO("start = " << start);
        const auto zb = batch::load_unaligned(z.data() + start);
        const auto e = simd::exp(-simd::abs(zb));
        e.store_unaligned(lanes.data());
        for (Index l = 0; l < w; ++l) {
            const T zi = z[static_cast<std::size_t>(start + l)];
            const T ei = scalar::exp(-std::abs(zi));
            REQUIRE(std::abs(lanes[static_cast<std::size_t>(l)] - ei) <= 4 * eps * ei);
        }
        simd::log1p(e).store_unaligned(lanes.data());
        for (Index l = 0; l < w; ++l) {
            const T ei = scalar::exp(-std::abs(z[static_cast<std::size_t>(start + l)]));
            REQUIRE(std::abs(lanes[static_cast<std::size_t>(l)] - scalar::log1p(ei)) <= 4 * eps * scalar::log1p(ei));
        }
        simd::sigmoid(zb, e).store_unaligned(lanes.data());
        for (Index l = 0; l < w; ++l) {
            const T zi = z[static_cast<std::size_t>(start + l)];
            const T p = scalar::sigmoid(zi, scalar::exp(-std::abs(zi)));
            REQUIRE(std::abs(lanes[static_cast<std::size_t>(l)] - p) <= 8 * eps * p);
            // σ(z) as the textbook writes it, in double.
            CHECK(std::abs(static_cast<double>(p) - 1 / (1 + std::exp(-static_cast<double>(zi)))) <= 8 * eps * p);
        }
    }
}
