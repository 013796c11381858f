#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include <catch.hpp>
#include <kestrel/core/detail/arithmetic.hpp>
#include <kestrel/core/random.hpp>
#include <kestrel/core/simd/blas1.hpp>
#include <kestrel/core/simd/gram.hpp>
#include <kestrel/core/simd/math.hpp>
#include <kestrel/core/simd/rows.hpp>

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

TEST_CASE("double exp stays within 2.5 ε of std::exp, relative, over its whole range", "[simd]") {
    using batch = simd::batch<double>;
    const Index w = simd::width<double>;
    constexpr double eps = std::numeric_limits<double>::epsilon();
    constexpr double inf = std::numeric_limits<double>::infinity();
    // From where e^x leaves the normal doubles to where it overflows, loaded from every lane.
    kestrel::random_engine rng(31);
    std::vector<double> x(4096 + 5);
    for (auto& v : x) v = rng.uniform<double>(-708.0, 709.78);
    x[0] = 0.0;
    x[1] = -0.0;
    x[2] = 1e-300;
    std::vector<double> lanes(static_cast<std::size_t>(w));
    for (std::size_t start = 0; start + static_cast<std::size_t>(w) <= x.size(); ++start) {
        simd::exp(batch::load_unaligned(x.data() + start)).store_unaligned(lanes.data());
        for (Index l = 0; l < w; ++l) {
            const double xi = x[start + static_cast<std::size_t>(l)];
            const double expected = scalar::exp(xi);
            INFO("x = " << xi);
            REQUIRE(std::abs(lanes[static_cast<std::size_t>(l)] - expected) <= 2.5 * eps * expected);
        }
    }
    // The ends: exactly 1 at 0, 0 below −708, +∞ past ln DBL_MAX, NaN kept.
    std::vector<double> ends = {0.0,    -709.0, -1000.0, -inf,
                                709.79, 1000.0, inf,     std::numeric_limits<double>::quiet_NaN()};
    while (static_cast<Index>(ends.size()) % w != 0) ends.push_back(0.0);
    std::vector<double> out(ends.size());
    for (std::size_t start = 0; start < ends.size(); start += static_cast<std::size_t>(w))
        simd::exp(batch::load_unaligned(ends.data() + start)).store_unaligned(out.data() + start);
    CHECK(out[0] == 1.0);
    CHECK(out[1] == 0.0);
    CHECK(out[2] == 0.0);
    CHECK(out[3] == 0.0);
    CHECK(out[4] == inf);
    CHECK(out[5] == inf);
    CHECK(out[6] == inf);
    CHECK(std::isnan(out[7]));
}

TEST_CASE("exp_clamped stays within 2.5 ε of std::exp from −708 to its overflow, e^−708 below", "[simd]") {
    constexpr double eps = std::numeric_limits<double>::epsilon();
    constexpr double inf = std::numeric_limits<double>::infinity();
    kestrel::random_engine rng(37);
    std::vector<double> x(4099), out(x.size());
    for (auto& v : x) v = rng.uniform<double>(-708.0, 709.78);
    x[0] = 0.0;
    x[1] = -0.0;
    x[2] = 1e-300;
    // A loop over an array, as the boosting losses call it (vectorised where the target allows).
    for (std::size_t i = 0; i < x.size(); ++i) out[i] = kestrel::detail::exp_clamped(x[i]);
    for (std::size_t i = 0; i < x.size(); ++i) {
        INFO("x = " << x[i]);
        REQUIRE(std::abs(out[i] - std::exp(x[i])) <= 2.5 * eps * std::exp(x[i]));
    }
    CHECK(out[0] == 1.0);
    const double low = kestrel::detail::exp_clamped(-708.0);
    CHECK(std::abs(low - std::exp(-708.0)) <= 2.5 * eps * std::exp(-708.0));
    for (const double v : {-709.0, -1e6, -inf, std::numeric_limits<double>::quiet_NaN()}) {
        CHECK(kestrel::detail::exp_clamped(v) == low);
    }
    for (const double v : {709.79, 710.0, 1e6, inf}) CHECK(kestrel::detail::exp_clamped(v) == inf);
}

TEMPLATE_TEST_CASE("the packed Gram kernel equals its scalar twin for every tile shape, stride and weighting", "[simd]",
                   float, double) {
    using T = TestType;
    using accumulator = simd::gram_accumulator<T>;
    constexpr Index block = accumulator::block_rows;
    kestrel::random_engine rng(13);
    // Widths covering one partial panel, whole panels, and 1, 2 or 3 panels left for the last tile
    // on either register width, and every count of columns (1 to 8) in a tile's last column block,
    // which is narrowed to the columns in use (the normal equations' tests add extra columns); row
    // counts of part of a block, one block, and blocks plus a tail.
    for (Index d : {1, 3, 8, 9, 10, 13, 16, 17, 24, 25, 30, 31, 40, 57, 100}) {
        for (Index n : {Index{1}, Index{5}, block, 2 * block + 7}) {
            for (const bool weighted : {false, true}) {
                const Index stride = d + 2;
                auto X = random_values<T>(rng, n * stride);
                auto shift = random_values<T>(rng, d);
                std::vector<T> root_w(static_cast<std::size_t>(n));
                for (auto& r : root_w) r = rng.uniform<T>(T(0), T(2));
                const T* rw = weighted ? root_w.data() : nullptr;
                INFO("d = " << d << ", n = " << n << ", weighted = " << weighted);

                accumulator acc(d);
                std::vector<T> coef(static_cast<std::size_t>(n)), sums(static_cast<std::size_t>(d), T(0));
                for (auto& c : coef) c = rng.uniform<T>(T(-1), T(1));
                for (Index start = 0; start < n; start += block) {
                    const Index m = std::min(block, n - start);
                    acc.pack(X.data() + start * stride, stride, m, shift.data(), rw != nullptr ? rw + start : nullptr);
                    acc.update(start + m < n ? X.data() + (start + m) * stride : nullptr,
                               static_cast<std::size_t>(std::min(block, n - start - m) * stride) * sizeof(T));
                    acc.weighted_column_sums(coef.data() + start, sums.data());
                }
                std::vector<T> G(static_cast<std::size_t>(d * d), T(0));
                scalar::gram_update(X.data(), stride, n, d, shift.data(), rw, G.data(), d);
                for (Index c = 0; c < d; ++c) {
                    for (Index a = c; a < d; ++a) {
                        const T expected = G[static_cast<std::size_t>(c * d + a)];
                        // Each term is bounded by 4·(2·2)² (|x − s| < 2, √w < 2).
                        REQUIRE(std::abs(acc.at(a, c) - expected) <= sum_tolerance<T>(n, T(64)));
                    }
                }
                for (Index j = 0; j < d; ++j) {
                    T expected = 0;
                    for (Index i = 0; i < n; ++i) {
                        const T r = weighted ? root_w[static_cast<std::size_t>(i)] : T(1);
                        expected += coef[static_cast<std::size_t>(i)] * r *
                                    (X[static_cast<std::size_t>(i * stride + j)] - shift[static_cast<std::size_t>(j)]);
                    }
                    REQUIRE(std::abs(sums[static_cast<std::size_t>(j)] - expected) <= sum_tolerance<T>(n, T(8)));
                }
            }
        }
    }
}

TEST_CASE("the packed Gram kernel sums float rows in double as their converted values", "[simd]") {
    using accumulator = simd::gram_accumulator<double>;
    constexpr Index block = accumulator::block_rows;
    kestrel::random_engine rng(17);
    // Widths with a partial panel only, whole panels, and whole panels plus a partial one.
    for (Index d : {3, 8, 17, 100}) {
        const Index n = 2 * block + 7, stride = d + 3;
        const std::vector<float> X = random_values<float>(rng, n * stride);
        const std::vector<double> Xd(X.begin(), X.end());
        const std::vector<double> shift = random_values<double>(rng, d);
        std::vector<double> root_w(static_cast<std::size_t>(n));
        for (auto& r : root_w) r = rng.uniform(0.0, 2.0);
        INFO("d = " << d);
        accumulator acc(d);
        for (Index start = 0; start < n; start += block) {
            const Index m = std::min(block, n - start);
            acc.pack(X.data() + start * stride, stride, m, shift.data(), root_w.data() + start);
            acc.update();
        }
        std::vector<double> G(static_cast<std::size_t>(d * d), 0.0);
        scalar::gram_update(Xd.data(), stride, n, d, shift.data(), root_w.data(), G.data(), d);
        for (Index c = 0; c < d; ++c) {
            for (Index a = c; a < d; ++a) {
                REQUIRE(std::abs(acc.at(a, c) - G[static_cast<std::size_t>(c * d + a)]) <= sum_tolerance(n, 64.0));
            }
        }
    }
}

TEMPLATE_TEST_CASE("the packed Gram kernel's extra columns give their products with the data and each other",
                   "[simd]", float, double) {
    using T = TestType;
    using accumulator = simd::gram_accumulator<T>;
    constexpr Index block = accumulator::block_rows;
    kestrel::random_engine rng(15);
    // Extra columns that fit in the last panel's padding, that fill it, and that need one more.
    for (Index d : {1, 5, 13, 30, 100}) {
        for (Index extra : {1, 2, 3, 9}) {
            const Index n = 2 * block + 5, stride = d + 1;
            auto X = random_values<T>(rng, n * stride);
            auto shift = random_values<T>(rng, d);
            std::vector<std::vector<T>> columns;
            for (Index e = 0; e < extra; ++e) columns.push_back(random_values<T>(rng, n));
            INFO("d = " << d << ", extra = " << extra << ", fits in the padding: "
                        << accumulator::fits_in_padding(d, extra));
            accumulator acc(d, extra);
            std::vector<const T*> at(static_cast<std::size_t>(extra));
            for (Index start = 0; start < n; start += block) {
                const Index m = std::min(block, n - start);
                for (Index e = 0; e < extra; ++e) at[static_cast<std::size_t>(e)] = columns[static_cast<std::size_t>(e)].data() + start;
                acc.pack(X.data() + start * stride, stride, m, shift.data(), nullptr, at.data());
                acc.update();
            }
            // v = (x − s, extra values): every product of the lower triangle over all d + extra.
            const Index D = d + extra;
            const auto v = [&](Index i, Index c) {
                return c < d ? X[static_cast<std::size_t>(i * stride + c)] - shift[static_cast<std::size_t>(c)]
                             : columns[static_cast<std::size_t>(c - d)][static_cast<std::size_t>(i)];
            };
            for (Index c = 0; c < D; ++c) {
                for (Index a = c; a < D; ++a) {
                    T expected = 0;
                    for (Index i = 0; i < n; ++i) expected += v(i, a) * v(i, c);
                    REQUIRE(std::abs(acc.at(a, c) - expected) <= sum_tolerance<T>(n, T(16)));
                }
            }
        }
    }
}

TEMPLATE_TEST_CASE("lane_sums gives each register's sum of lanes in its lane", "[simd]", float, double) {
    using T = TestType;
    constexpr Index W = simd::width<T>;
    kestrel::random_engine rng(15);
    const simd::lane_halves<T> halves;
    for (int round = 0; round < 50; ++round) {
        auto values = random_values<T>(rng, W * W);
        std::vector<simd::batch<T>> acc;
        for (Index r = 0; r < W; ++r) acc.push_back(simd::batch<T>::load_unaligned(values.data() + r * W));
        std::vector<T> expected(static_cast<std::size_t>(W));
        T scale = 0;
        for (Index r = 0; r < W; ++r) {
            expected[static_cast<std::size_t>(r)] = simd::reduce_sum(acc[static_cast<std::size_t>(r)]);
            for (Index l = 0; l < W; ++l) scale += std::abs(values[static_cast<std::size_t>(r * W + l)]);
        }
        alignas(64) T sums[simd::batch<T>::size];
        simd::lane_sums(acc.data(), halves).store_aligned(sums);
        for (Index r = 0; r < W; ++r) {
            INFO("register " << r << " of " << W);
            REQUIRE(std::abs(sums[r] - expected[static_cast<std::size_t>(r)]) <= sum_tolerance<T>(W, scale));
        }
    }
}

TEMPLATE_TEST_CASE("rows_dot gives a row the same bits wherever it falls among the rows", "[simd]", float, double) {
    using T = TestType;
    kestrel::random_engine rng(16);
    // kernel_cache splits a kernel row's rows among the threads: the values must not depend on it.
    for (Index d : {3, 13, 50, 100}) {
        const Index m = 45, stride = d + 2;
        auto X = random_values<T>(rng, m * stride);
        auto w = random_values<T>(rng, d);
        std::vector<T> whole(static_cast<std::size_t>(m));
        simd::rows_dot(X.data(), stride, m, d, w.data(), whole.data());
        for (Index first : {1, 3, 5, 13, 17, 29, 40}) {
            INFO("d = " << d << ", rows from " << first);
            std::vector<T> part(static_cast<std::size_t>(m - first));
            simd::rows_dot(X.data() + first * stride, stride, m - first, d, w.data(), part.data());
            REQUIRE(std::memcmp(part.data(), whole.data() + first, part.size() * sizeof(T)) == 0);
        }
    }
}

TEMPLATE_TEST_CASE("tiles_dot equals its scalar twin and gives a row the same bits however it is computed", "[simd]",
                   float, double) {
    using T = TestType;
    constexpr Index W = simd::tile_lanes<T>;
    kestrel::random_engine rng(17);
    // Widths below and above a register; row counts that leave the last tile part empty; up to
    // eleven vectors (one group of eight and a group of three).
    for (Index d : {1, 3, 13, 50, 100}) {
        for (Index m : {Index{1}, Index{5}, 3 * W - 2, 11 * W + 3}) {
            const Index stride = d + 2, n_tiles = (m + W - 1) / W, padded = n_tiles * W;
            auto X = random_values<T>(rng, m * stride);
            std::vector<T> tiles(static_cast<std::size_t>(padded * d), T(9));
            simd::tile_rows(X.data(), stride, m, d, W, tiles.data());
            // The vectors are rows of X, so each sum has a mirror image in another.
            const Index n_w = std::min<Index>(m, 11);
            std::vector<const T*> w(static_cast<std::size_t>(n_w));
            std::vector<std::vector<T>> z(static_cast<std::size_t>(n_w), std::vector<T>(padded + 1, T(7)));
            std::vector<std::vector<T>> z_ref(z);
            std::vector<T*> out(static_cast<std::size_t>(n_w)), out_ref(static_cast<std::size_t>(n_w));
            for (Index q = 0; q < n_w; ++q) {
                w[q] = X.data() + ((q * 7) % m) * stride;
                out[q] = z[q].data();
                out_ref[q] = z_ref[q].data();
            }
            simd::tiles_dot(tiles.data(), n_tiles, d, w.data(), n_w, out.data());
            scalar::tiles_dot(tiles.data(), n_tiles, d, W, w.data(), n_w, out_ref.data());
            INFO("d = " << d << ", m = " << m);
            for (Index q = 0; q < n_w; ++q) {
                for (Index r = 0; r < padded; ++r) {
                    REQUIRE(std::abs(z[q][r] - z_ref[q][r]) <= sum_tolerance<T>(d, T(1)));
                    if (r >= m) REQUIRE(z[q][r] == T(0));  // the padding rows are zero
                }
                REQUIRE(z[q][padded] == T(7));  // nothing written past the tiles
            }
            // One vector alone, and from the second tile on, gives each row the same bits.
            for (Index q = 0; q < n_w; ++q) {
                std::vector<T> alone(static_cast<std::size_t>(padded));
                T* a = alone.data() + W;
                if (n_tiles > 1) {
                    simd::tiles_dot(tiles.data() + d * W, n_tiles - 1, d, &w[q], 1, &a);
                    REQUIRE(std::memcmp(alone.data() + W, z[q].data() + W, (padded - W) * sizeof(T)) == 0);
                }
            }
            // xᵣ·xₖ from row k's vector equals xₖ·xᵣ from row r's, bit for bit.
            for (Index q = 0; q < n_w; ++q) {
                const Index k = (q * 7) % m;
                for (Index p = 0; p < n_w; ++p) {
                    const Index r = (p * 7) % m;
                    REQUIRE(z[q][r] == z[p][k]);
                }
            }
        }
    }
}

TEMPLATE_TEST_CASE("rows_dot and rows_axpy equal their scalar twins for every width and row count", "[simd]", float,
                   double) {
    using T = TestType;
    kestrel::random_engine rng(14);
    // Widths with a scalar tail, whole registers, and more or fewer than eight registers.
    for (Index d : {1, 3, 8, 13, 16, 31, 64, 100, 129, 200, 300}) {
        for (Index m : {0, 1, 3, 4, 7, 17, 20, 32}) {
            const Index stride = d + 1;
            auto X = random_values<T>(rng, m * stride);
            auto w = random_values<T>(rng, d);
            auto r = random_values<T>(rng, m);
            INFO("d = " << d << ", m = " << m);
            std::vector<T> z(static_cast<std::size_t>(m) + 1, T(7)), z_ref(static_cast<std::size_t>(m) + 1, T(7));
            simd::rows_dot(X.data(), stride, m, d, w.data(), z.data());
            scalar::rows_dot(X.data(), stride, m, d, w.data(), z_ref.data());
            for (Index i = 0; i < m; ++i) {
                REQUIRE(std::abs(z[static_cast<std::size_t>(i)] - z_ref[static_cast<std::size_t>(i)]) <=
                        sum_tolerance<T>(d, T(1)));
            }
            REQUIRE(z[static_cast<std::size_t>(m)] == T(7));  // nothing written past the rows
            auto g = random_values<T>(rng, d);
            std::vector<T> g_ref(g);
            simd::rows_axpy(X.data(), stride, m, d, r.data(), g.data());
            scalar::rows_axpy(X.data(), stride, m, d, r.data(), g_ref.data());
            for (std::size_t j = 0; j < g.size(); ++j) REQUIRE(std::abs(g[j] - g_ref[j]) <= sum_tolerance<T>(m, T(2)));
        }
    }
}
