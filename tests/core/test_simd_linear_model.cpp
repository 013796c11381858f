#include <cmath>
#include <vector>

#include <catch.hpp>
#include <kestrel/core/detail/simd.hpp>
#include <kestrel/core/random.hpp>

namespace simd = kestrel::detail::simd;
namespace scalar = kestrel::detail::scalar;
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
            const T loss_simd = simd::binomial_loss_gradient(z.data() + s, y.data() + s, w.data() + s, r_simd.data() + s, n);
            const T loss_scalar =
                scalar::binomial_loss_gradient(z.data() + s, y.data() + s, w.data() + s, r_scalar.data() + s, n);
            INFO("n = " << n << ", shift = " << shift);
            T magnitude = 0;
            double textbook = 0;
            for (Index i = 0; i < n; ++i) {
                const auto k = static_cast<std::size_t>(i) + s;
                magnitude += std::abs(w[k] * z[k]) + w[k];
                const double zi = z[k];
                textbook += w[k] * (zi > 0 ? zi + std::log1p(std::exp(-zi)) : std::log1p(std::exp(zi))) - w[k] * y[k] * zi;
                REQUIRE(std::abs(r_simd[k] - r_scalar[k]) <= 4 * eps);
                const double p = 1 / (1 + std::exp(-zi));
                REQUIRE(std::abs(r_scalar[k] - w[k] * (p - y[k])) <= 8 * eps);
            }
            CHECK(std::abs(loss_simd - loss_scalar) <= 8 * eps * (magnitude + 1) * static_cast<T>(n + 1));
            CHECK(std::abs(loss_scalar - textbook) <= 8 * eps * (magnitude + 1) * static_cast<T>(n + 1));
        }
    }
}
