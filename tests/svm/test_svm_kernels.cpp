// The batch prediction's kernel values (support vectors side by side in the lanes of a register,
// four rows at a time) against the one-row path's, bit for bit: every kernel, float and double,
// support-vector counts around whole registers and feature counts with and without a tail. Built
// twice, portable and with -march=native, so that the SSE2 and the AVX2 / AVX-512 paths (with
// and without a fused multiply-add) are both held to the one-row bits; and the SMO solver's scans
// against their plain-loop twins, the kernel cache's rows computed together against rows
// computed alone, and whole fits on one thread against fits on several.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <vector>

#include "catch.hpp"

#include <kestrel/core/random.hpp>
#include <kestrel/svm/detail/kernel_cache.hpp>
#include <kestrel/svm/detail/smo_kernels.hpp>
#include <kestrel/svm/detail/support_rows.hpp>
#include <kestrel/svm/kernels.hpp>
#include <kestrel/svm/svc.hpp>
#include <kestrel/svm/svr.hpp>

using namespace kestrel;
using svm::Kernel;
using svm::detail::kernel_cache;
using svm::detail::kernel_function;

TEMPLATE_TEST_CASE("kernel_values_of_rows gives every value the bits of for_each_kernel_value", "[svm][simd]", float,
                   double) {
    using T = TestType;
    random_engine rng(21);
    for (const kernel_function k :
         {kernel_function{Kernel::linear, 3, 0.5, 1}, kernel_function{Kernel::poly, 3, 0.25, 0.5},
          kernel_function{Kernel::rbf, 3, 0.05, 0}, kernel_function{Kernel::sigmoid, 3, 0.1, 0.3}}) {
        for (Index n_sv : {1, 7, 16, 33, 100}) {
            for (Index d : {1, 5, 16, 50}) {
                INFO("kernel " << static_cast<int>(k.kernel) << ", n_sv = " << n_sv << ", d = " << d);
                Matrix<T> sv(n_sv, d), X(6, d);
                for (Index i = 0; i < n_sv; ++i) {
                    for (Index j = 0; j < d; ++j) sv(i, j) = rng.uniform<T>(T(-2), T(2));
                }
                for (Index i = 0; i < X.rows(); ++i) {
                    for (Index j = 0; j < d; ++j) X(i, j) = rng.uniform<T>(T(-2), T(2));
                }
                Vector<T> norms(n_sv);
                for (Index s = 0; s < n_sv; ++s) norms[s] = kestrel::detail::dot_in_order(sv.row(s).data(), sv.row(s).data(), d);
                const Labels support = Labels::LinSpaced(n_sv, 0, static_cast<int>(n_sv) - 1);
                const svm::detail::support_lanes<T> lanes(sv);
                // Four rows, then two (the last rows of a block).
                for (const int count : {4, 2}) {
                    const T* rows[4];
                    for (int r = 0; r < count; ++r) rows[r] = X.row(r).data();
                    std::vector<T> values(static_cast<std::size_t>(4 * lanes.stride), T(-7));
                    svm::detail::kernel_values_of_rows(k, lanes, rows, count, norms, values.data());
                    for (int r = 0; r < count; ++r) {
                        svm::detail::for_each_kernel_value(k, rows[r], sv, norms, support, [&](Index s, T expected) {
                            const T got = values[static_cast<std::size_t>(r * lanes.stride + s)];
                            REQUIRE(std::memcmp(&got, &expected, sizeof(T)) == 0);
                        });
                    }
                    // Nothing written for the rows past count.
                    for (Index s = static_cast<Index>(count) * lanes.stride; s < 4 * lanes.stride; ++s) {
                        REQUIRE(values[static_cast<std::size_t>(s)] == T(-7));
                    }
                }
            }
        }
    }
}

// The SMO scans (svm/detail/smo_kernels.hpp) against their plain-loop twins, bit for bit, over
// lengths around whole registers, with ineligible positions (penalty +∞) and repeated values,
// whose ties must go to the last position as in libsvm's loops.
TEST_CASE("smo scans give their plain-loop twins' picks and bits", "[svm][simd]") {
    namespace sk = svm::detail::smo_kernels;
    constexpr double inf = std::numeric_limits<double>::infinity();
    random_engine rng(5);
    for (Index n : {0, 1, 3, 7, 8, 9, 16, 31, 33, 100, 1001}) {
        for (int round = 0; round < 20; ++round) {
            INFO("n = " << n << ", round " << round);
            // Values from a small set, so that ties are common; a fifth of the positions ineligible
            // (all of them in round 0).
            // Kernel values up to 1.25 and diagonals from 0.5 to 1, so that some curvatures are
            // not positive (tau's branch).
            std::vector<double> g(static_cast<std::size_t>(n)), pen(g.size()), qd(g.size()), k(g.size());
            for (std::size_t s = 0; s < g.size(); ++s) {
                g[s] = static_cast<double>(static_cast<int>(rng.uniform<double>(-4, 4))) / 2;
                pen[s] = round == 0 || rng.uniform<double>(0, 1) < 0.2 ? inf : 0.0;
                qd[s] = static_cast<double>(static_cast<int>(rng.uniform<double>(2, 5))) / 4;
                k[s] = static_cast<double>(static_cast<int>(rng.uniform<double>(0, 6))) / 4;
            }
            const double qd_first = static_cast<double>(static_cast<int>(rng.uniform<double>(2, 5))) / 4;
            const sk::pick a = sk::max_violation(g.data(), pen.data(), n);
            const sk::pick b = sk::scalar::max_violation(g.data(), pen.data(), n);
            REQUIRE(a.position == b.position);
            if (b.position < 0) {
                for (std::size_t s = 0; s < g.size(); ++s) REQUIRE(pen[s] == inf);
            } else {
                REQUIRE(std::memcmp(&a.value, &b.value, sizeof(double)) == 0);
                // The last of the maxima.
                for (auto s = static_cast<std::size_t>(b.position) + 1; s < g.size(); ++s) {
                    REQUIRE(-g[s] - pen[s] < b.value);
                }
            }

            // A first variable's violation from the scan, or 1 when there is none.
            const double gmax = b.position < 0 ? 1.0 : b.value;
            for (const double tau : {1e-12, 0.5}) {
                const sk::partner c =
                    sk::best_partner(gmax, qd_first, g.data(), pen.data(), qd.data(), k.data(), n, tau);
                const sk::partner d =
                    sk::scalar::best_partner(gmax, qd_first, g.data(), pen.data(), qd.data(), k.data(), n, tau);
                REQUIRE(c.position == d.position);
                REQUIRE(c.gmax2 == d.gmax2);  // a zero's sign may differ (smo_kernels.hpp)
                REQUIRE(std::memcmp(&c.objective_change, &d.objective_change, sizeof(double)) == 0);
                if (d.position >= 0) {
                    for (Index s = d.position + 1; s < n; ++s) {
                        const auto p = static_cast<std::size_t>(s);
                        const double gd = gmax + (g[p] - pen[p]);
                        if (!(gd > 0)) continue;
                        const double curvature = (qd_first + qd[p]) - 2.0 * k[p];
                        REQUIRE(-(gd * gd) / (curvature > 0 ? curvature : tau) > d.objective_change);
                    }
                }
            }

            // The violations above a floor that rises to the third largest kept: the same
            // positions, values and order as the twin's, and those of a plain top-three.
            std::vector<double> low(g.size()), off(g.size(), inf);
            for (std::size_t s = 0; s < g.size(); ++s) low[s] = rng.uniform<double>(0, 1) < 0.3 ? inf : 0.0;
            const auto top_three = [&](auto&& scan, std::vector<std::pair<Index, double>>& seen) {
                std::vector<double> kept;
                double floor = -inf;
                scan(floor, [&](Index s, double v) {
                    seen.emplace_back(s, v);
                    kept.insert(std::upper_bound(kept.begin(), kept.end(), v, std::greater<>()), v);
                    if (kept.size() > 3) kept.pop_back();
                    if (kept.size() == 3) floor = kept.back();
                });
                return kept;
            };
            for (const double* second : {off.data(), pen.data()}) {
                std::vector<std::pair<Index, double>> seen, seen_twin;
                const auto kept = top_three(
                    [&](double& floor, auto&& take) {
                        sk::violations_above(g.data(), pen.data(), second, low.data(), second, n, floor, take);
                    },
                    seen);
                const auto kept_twin = top_three(
                    [&](double& floor, auto&& take) {
                        sk::scalar::violations_above(g.data(), pen.data(), second, low.data(), second, n, floor, take);
                    },
                    seen_twin);
                REQUIRE(seen.size() == seen_twin.size());
                for (std::size_t q = 0; q < seen.size(); ++q) {
                    REQUIRE(seen[q].first == seen_twin[q].first);
                    REQUIRE(std::memcmp(&seen[q].second, &seen_twin[q].second, sizeof(double)) == 0);
                }
                std::vector<double> all;
                for (std::size_t s = 0; s < g.size(); ++s) {
                    const double v = std::max(-g[s] - std::min(pen[s], second[s]), g[s] - std::min(low[s], second[s]));
                    if (v > -inf) all.push_back(v);
                }
                std::sort(all.begin(), all.end(), std::greater<>());
                all.resize(std::min<std::size_t>(all.size(), 3));
                // Ties: a value equal to the floor is not taken, so fewer may be kept only when
                // the plain top-three repeats a value.
                for (std::size_t q = 0; q < kept.size(); ++q) REQUIRE(kept[q] == all[q]);
                if (kept.size() < all.size()) REQUIRE(all[kept.size()] == kept.back());
            }

            // The partners' gains above a floor that rises to the third largest kept: the twin's
            // positions, values and order, the largest best_partner's choice.
            for (const double tau : {1e-12, 0.5}) {
                std::vector<std::pair<Index, double>> seen, seen_twin;
                const auto kept = top_three(
                    [&](double& floor, auto&& take) {
                        sk::gains_above(gmax, qd_first, g.data(), pen.data(), qd.data(), k.data(), n, tau, floor, take);
                    },
                    seen);
                top_three(
                    [&](double& floor, auto&& take) {
                        sk::scalar::gains_above(gmax, qd_first, g.data(), pen.data(), qd.data(), k.data(), n, tau,
                                                floor, take);
                    },
                    seen_twin);
                REQUIRE(seen.size() == seen_twin.size());
                for (std::size_t q = 0; q < seen.size(); ++q) {
                    REQUIRE(seen[q].first == seen_twin[q].first);
                    REQUIRE(std::memcmp(&seen[q].second, &seen_twin[q].second, sizeof(double)) == 0);
                }
                const sk::partner d =
                    sk::scalar::best_partner(gmax, qd_first, g.data(), pen.data(), qd.data(), k.data(), n, tau);
                if (d.position < 0) {
                    REQUIRE(kept.empty());
                } else {
                    REQUIRE(!kept.empty());
                    REQUIRE(kept.front() == -d.objective_change);
                }
            }

            std::vector<double> ki(g.size()), kj(g.size());
            for (std::size_t s = 0; s < g.size(); ++s) {
                ki[s] = rng.uniform<double>(-1, 1);
                kj[s] = rng.uniform<double>(-1, 1);
            }
            std::vector<double> u = g, v = g;
            sk::update(u.data(), 0.3, ki.data(), -1.7, kj.data(), n);
            sk::scalar::update(v.data(), 0.3, ki.data(), -1.7, kj.data(), n);
            for (std::size_t s = 0; s < g.size(); ++s) {
                // One rounding apart at most where the compiler fuses a product into the sum.
                REQUIRE(u[s] == Approx(v[s]).epsilon(1e-15).margin(1e-15));
            }
        }
    }
}

TEMPLATE_TEST_CASE("rbf_values stays within 2.5 ε of its twin, relative", "[svm][simd]", float, double) {
    namespace sk = svm::detail::smo_kernels;
    using T = TestType;
    constexpr double eps = std::numeric_limits<T>::epsilon();
    random_engine rng(8);
    for (Index n : {0, 1, 7, 8, 9, 16, 17, 33, 100}) {
        INFO("n = " << n);
        // Inner products and squared norms giving arguments of exp from −80 to 3.5: values from
        // about 33 down to 1e-35.
        std::vector<T> norms(static_cast<std::size_t>(n)), dots(norms.size());
        for (std::size_t k = 0; k < norms.size(); ++k) {
            norms[k] = rng.uniform<T>(T(0), T(40));
            dots[k] = rng.uniform<T>(T(-20), T(20));
        }
        std::vector<T> fast = dots, slow = dots;
        sk::rbf_values(T(0.7), T(35), norms.data(), fast.data(), n);
        sk::scalar::rbf_values(T(0.7), T(35), norms.data(), slow.data(), n);
        for (std::size_t k = 0; k < norms.size(); ++k) {
            REQUIRE(slow[k] == std::exp(-T(0.7) * (T(35) + norms[k] - T(2) * dots[k])));
            REQUIRE(std::abs(static_cast<double>(fast[k]) - static_cast<double>(slow[k])) <=
                    2.5 * eps * static_cast<double>(slow[k]));
        }
    }
}

TEMPLATE_TEST_CASE(
    "the kernel cache's rows computed together equal rows computed alone, and keep the row last "
    "returned",
    "[svm][simd]", float, double) {
    using T = TestType;
    Matrix<T> X(53, 11);
    for (Index i = 0; i < X.rows(); ++i)
        for (Index j = 0; j < X.cols(); ++j) X(i, j) = static_cast<T>(std::sin(0.7 * i + 1.3 * j) + 0.01 * i);
    for (const kernel_function k :
         {kernel_function{Kernel::rbf, 3, 0.2, 0}, kernel_function{Kernel::poly, 2, 0.3, 1},
          kernel_function{Kernel::sigmoid, 3, 0.05, 0.5}, kernel_function{Kernel::linear, 3, 1, 0}}) {
        kernel_cache<T> alone(X, k, 1, 1);
        kernel_cache<T> together(X, k, 1, 2);
        REQUIRE(together.batch_limit() == 6);
        // A batch on a fresh cache keeps all its rows.
        const Index also[3] = {20, 52, 1};
        const float* row = together.row_with(3, also, 3);
        for (const Index i : {3, 20, 52, 1}) CHECK(together.cached(i));
        CHECK(!together.cached(4));
        CHECK(row == together.row(3));
        const Index more[3] = {9, 10, 11};
        together.row_with(8, more, 3);
        for (const Index i : {3, 20, 52, 1, 8, 9, 10, 11}) {
            const float* a = alone.row(i);
            const float* b = together.row(i);
            CHECK(std::memcmp(a, b, static_cast<std::size_t>(X.rows()) * sizeof(float)) == 0);
        }
        if (k.kernel == Kernel::rbf) {
            // K(xᵢ, xᵢ) exactly 1, K(xᵢ, xₖ) the same bits from either row, and each entry close
            // to std::exp's of Eigen's inner products (which sum in another order).
            for (Index i = 0; i < X.rows(); ++i) {
                const std::vector<float> row_i(alone.row(i), alone.row(i) + X.rows());
                CHECK(row_i[static_cast<std::size_t>(i)] == 1.0f);
                for (Index c = 0; c < X.rows(); ++c) {
                    const T xi = X.row(i).squaredNorm(), xc = X.row(c).squaredNorm(), dot = X.row(i).dot(X.row(c));
                    const auto expected = static_cast<float>(k(dot, xi, xc));
                    CHECK(std::abs(row_i[static_cast<std::size_t>(c)] - expected) <=
                          16 * std::numeric_limits<float>::epsilon() * expected);
                    CHECK(alone.row(c)[i] == row_i[static_cast<std::size_t>(c)]);
                }
            }
        }
    }
    // With room for three rows, a batch is at most two, and of a full cache it evicts the least
    // recently used rows but never the row last returned.
    Matrix<T> Y = X.topRows(40);
    const kernel_function rbf{Kernel::rbf, 3, 0.2, 0};
    kernel_cache<T> small(Y, rbf, 3 * 40 * sizeof(float) / (1024.0 * 1024.0), 1);
    REQUIRE(small.batch_limit() == 2);
    small.row(10);
    small.row(11);
    const float* held = small.row(0);
    const Index also[3] = {5, 6, 7};
    small.row_with(4, also, 3);
    CHECK(small.cached(0));
    CHECK(small.cached(4));
    CHECK(small.cached(5));
    CHECK(!small.cached(6));
    CHECK(!small.cached(10));
    CHECK(!small.cached(11));
    kernel_cache<T> reference(Y, rbf, 1, 1);
    CHECK(std::memcmp(held, reference.row(0), 40 * sizeof(float)) == 0);
}

TEST_CASE("SVC and SVR fits have the same bits on any number of threads", "[svm][simd]") {
    // 4,500 rows of 60 features (at tol 1e-2, which is quicker and takes the same paths): each
    // kernel row (4,500 × 60 multiply-adds, over 2^18) is split
    // between the threads, and the solver's scans split its active variables (from 4,096 on); in
    // the -march=native build a part starting inside a register would round the gradient's
    // update otherwise (its plain-loop tail fuses the multiply-add).
    const Index n = 4500, d = 60;
    random_engine rng(31);
    Matrix<double> X(n, d);
    for (Index i = 0; i < n; ++i)
        for (Index j = 0; j < d; ++j) X(i, j) = rng.uniform<double>(-1, 1);
    Labels y(n);
    Vector<double> target(n);
    for (Index i = 0; i < n; ++i) {
        const double score = X(i, 0) + 0.5 * X(i, 1) - 0.25 * X(i, 2);
        y[i] = score > 0 ? 1 : 0;
        target[i] = score;
    }
    const auto bits_equal = [](const auto& a, const auto& b) {
        using S = typename std::decay_t<decltype(a)>::Scalar;
        return a.rows() == b.rows() && a.cols() == b.cols() &&
               std::memcmp(a.data(), b.data(), static_cast<std::size_t>(a.size()) * sizeof(S)) == 0;
    };
    svm::SVC<double> one({.tol = 1e-2, .n_jobs = 1});
    one.fit(X, y);
    svm::SVR<double> one_r({.tol = 1e-2, .n_jobs = 1});
    one_r.fit(X, target);
    CHECK(one.support().size() > 100);
    CHECK(one_r.support().size() > 100);
    for (const int threads : {2, 3}) {
        INFO(threads << " threads");
        svm::SVC<double> many({.tol = 1e-2, .n_jobs = threads});
        many.fit(X, y);
        CHECK(bits_equal(many.dual_coef(), one.dual_coef()));
        CHECK(bits_equal(many.intercept(), one.intercept()));
        CHECK(bits_equal(many.support(), one.support()));
        CHECK(bits_equal(many.n_iter(), one.n_iter()));
        svm::SVR<double> many_r({.tol = 1e-2, .n_jobs = threads});
        many_r.fit(X, target);
        CHECK(bits_equal(many_r.dual_coef(), one_r.dual_coef()));
        CHECK(bits_equal(many_r.intercept(), one_r.intercept()));
        CHECK(bits_equal(many_r.support(), one_r.support()));
    }
}
