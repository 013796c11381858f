#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <catch.hpp>
#include <kestrel/core/loss/binomial.hpp>
#include <kestrel/core/loss/multinomial.hpp>
#include <kestrel/core/random.hpp>
#include <kestrel/core/types.hpp>

namespace loss = kestrel::detail::loss;
using kestrel::Index;

TEMPLATE_TEST_CASE("binomial_loss_gradient equals its scalar twin and the textbook formula", "[simd]", float, double) {
    using T = TestType;
    kestrel::random_engine rng(11);
    const T eps = std::numeric_limits<T>::epsilon();
    for (Index n = 0; n <= 45; ++n) {
        for (Index shift : {0, 1}) {
            // Raw predictions from −40 to 40 reach both tails, where e^z over- or underflows.
            std::vector<T> z(static_cast<std::size_t>(n + shift)), y(z.size()), w(z.size());
            for (std::size_t i = 0; i < z.size(); ++i) {
                z[i] = rng.uniform<T>(T(-40), T(40));
                y[i] = rng.uniform() < 0.5 ? T(0) : T(1);
                w[i] = rng.uniform<T>(T(0), T(2));
            }
            std::vector<T> r_simd(z.size()), r_scalar(z.size());
            const auto s = static_cast<std::size_t>(shift);
            const T loss_simd =
                loss::binomial_loss_gradient(z.data() + s, y.data() + s, w.data() + s, r_simd.data() + s, n);
            const T loss_scalar =
                loss::scalar::binomial_loss_gradient(z.data() + s, y.data() + s, w.data() + s, r_scalar.data() + s, n);
            INFO("n = " << n << ", shift = " << shift);
            T magnitude = 0;
            double textbook = 0;
            for (Index i = 0; i < n; ++i) {
                const auto k = static_cast<std::size_t>(i) + s;
                magnitude += std::abs(w[k] * z[k]) + w[k];
                const double zi = z[k];
                textbook +=
                    w[k] * (zi > 0 ? zi + std::log1p(std::exp(-zi)) : std::log1p(std::exp(zi))) - w[k] * y[k] * zi;
                REQUIRE(std::abs(r_simd[k] - r_scalar[k]) <= 4 * eps);
                const double p = 1 / (1 + std::exp(-zi));
                REQUIRE(std::abs(r_scalar[k] - w[k] * (p - y[k])) <= 8 * eps);
            }
            CHECK(std::abs(loss_simd - loss_scalar) <= 8 * eps * (magnitude + 1) * static_cast<T>(n + 1));
            CHECK(std::abs(loss_scalar - textbook) <= 8 * eps * (magnitude + 1) * static_cast<T>(n + 1));
        }
    }
}

TEMPLATE_TEST_CASE("multinomial_loss_gradient is the softmax cross-entropy and its derivative", "[loss]", float,
                   double) {
    using T = TestType;
    const T eps = std::numeric_limits<T>::epsilon();
    kestrel::random_engine rng(12);
    for (Index K = 2; K <= 7; ++K) {
        // Raw predictions up to ±80, where e^z overflows float unless shifted by the maximum.
        kestrel::Matrix<T> Z(3, K);
        for (Index i = 0; i < Z.size(); ++i) Z.data()[i] = rng.uniform<T>(T(-80), T(80));
        for (Index label = 0; label < K; ++label) {
            INFO("K = " << K << ", label = " << label);
            kestrel::Matrix<T> G = Z;
            const T w = T(0.75);
            const T value = loss::multinomial_loss_gradient(G.row(1), label, w);
            // The textbook formulas in long double, for the row the kernel was given.
            long double top = Z(1, 0);
            for (Index k = 1; k < K; ++k) top = std::max<long double>(top, Z(1, k));
            long double total = 0;
            for (Index k = 0; k < K; ++k) total += std::exp(static_cast<long double>(Z(1, k)) - top);
            const long double expected = w * (std::log(total) + top - static_cast<long double>(Z(1, label)));
            CHECK(std::abs(static_cast<long double>(value) - expected) <= 16 * eps * (1 + std::abs(expected)));
            for (Index k = 0; k < K; ++k) {
                const long double p = std::exp(static_cast<long double>(Z(1, k)) - top) / total;
                CHECK(std::abs(static_cast<long double>(G(1, k)) - w * (p - (k == label))) <= 16 * eps);
            }
            // The other rows are left as they were.
            CHECK(G.row(0) == Z.row(0));
            CHECK(G.row(2) == Z.row(2));
        }
    }
}
