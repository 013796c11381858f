// The nearest-centre kernels of k-means against their twins: the plain loops (scalar::), and the
// portable kernels (portable_isa) against those of the target, which -march=native makes AVX2 or
// AVX-512 ones (this file is also built that way).
#include <catch.hpp>
#include <kestrel/cluster/detail/assign/assign.hpp>
#include <kestrel/core/random.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

using namespace kestrel;
namespace assign = kestrel::cluster::detail::assign;
namespace scalar = kestrel::cluster::detail::assign::scalar;

namespace {

// ½‖c‖² − x·c in double, with both shifted: what the kernels minimise.
template <class T>
double score(const T* x, const T* c, const T* shift, Index d) {
    double norm = 0, dot = 0;
    for (Index f = 0; f < d; ++f) {
        const double cf = static_cast<double>(c[f]) - static_cast<double>(shift[f]);
        norm += cf * cf;
        dot += (static_cast<double>(x[f]) - static_cast<double>(shift[f])) * cf;
    }
    return norm / 2 - dot;
}

// Row x's label `a` from a kernel against the scalar twin's `b`: a valid centre, and equal to b
// or within rounding of it.
template <class T>
void check_label(const T* x, int a, int b, const std::vector<T>& C, const std::vector<T>& shift, Index k, Index d) {
    REQUIRE(a >= 0);
    REQUIRE(a < k);
    const double sa = score(x, C.data() + a * d, shift.data(), d);
    const double sb = score(x, C.data() + b * d, shift.data(), d);
    CHECK((a == b || std::abs(sa - sb) <= 1e-4 * (1 + std::abs(sb))));
}

}  // namespace

TEMPLATE_TEST_CASE("nearest_centers agrees with its scalar twin on every shape", "[simd]", float, double) {
    using T = TestType;
    random_engine rng(11);
    const Index w = assign::width<T>;
    for (const Index d : {Index{1}, Index{3}, w, w + 1, 2 * w + 3, Index{50}}) {
        for (const Index k : {Index{1}, Index{2}, w - 1, w, w + 1, 2 * w, 3 * w + 2, Index{100}}) {
            if (k < 1) continue;
            const Index n = 2 * assign::nearest_rows<T> + 3;  // full tiles and a partial one
            const Index stride = d + 2;                       // rows need not be contiguous
            std::vector<T> X(static_cast<std::size_t>(n * stride)), C(static_cast<std::size_t>(k * d)),
                shift(static_cast<std::size_t>(d));
            for (auto& v : X) v = rng.uniform(T(-1), T(1)) + T(50);
            for (auto& v : C) v = rng.uniform(T(-1), T(1)) + T(50);
            for (auto& v : shift) v = T(50);
            std::vector<int> fast(static_cast<std::size_t>(n)), plain(static_cast<std::size_t>(n));
            assign::nearest_centers(X.data(), n, stride, assign::center_groups<T>(C.data(), k, d, d, shift.data()),
                                    fast.data());
            scalar::nearest_centers(X.data(), n, stride, scalar::center_rows<T>(C.data(), k, d, d, shift.data()),
                                    plain.data());
            for (Index i = 0; i < n; ++i) {
                INFO("d=" << d << " k=" << k << " row " << i);
                const T* x = X.data() + i * stride;
                const int a = fast[static_cast<std::size_t>(i)];
                check_label(x, a, plain[static_cast<std::size_t>(i)], C, shift, k, d);
                const double sa = score(x, C.data() + a * d, shift.data(), d);
                for (Index j = 0; j < k; ++j) CHECK(sa <= score(x, C.data() + j * d, shift.data(), d) + 1e-4);
            }
        }
    }
}

TEMPLATE_TEST_CASE("nearest_centers keeps the first of tied centres", "[simd]", float, double) {
    using T = TestType;
    const Index d = 3;
    for (const Index k : {Index{3}, 3 * assign::width<T> + 1}) {
        INFO("k=" << k);
        std::vector<T> C(static_cast<std::size_t>(k * d), T(5)), shift(static_cast<std::size_t>(d), T(0));
        // Centres 1 and the last are identical and nearest; every other centre is farther.
        for (Index f = 0; f < d; ++f) {
            C[static_cast<std::size_t>(d + f)] = T(1);
            C[static_cast<std::size_t>((k - 1) * d + f)] = T(1);
        }
        const std::vector<T> x(static_cast<std::size_t>(d), T(1));
        const assign::center_groups<T> packed(C.data(), k, d, d, shift.data());
        int fast = -1, by_rows = -1, by_centers = -1, plain = -1;
        assign::nearest_centers(x.data(), 1, d, packed, &fast);
        assign::by_rows(x.data(), 1, d, packed, &by_rows);
        assign::by_centers(x.data(), 1, d, packed, &by_centers);
        scalar::nearest_centers(x.data(), 1, d, scalar::center_rows<T>(C.data(), k, d, d, shift.data()), &plain);
        CHECK(fast == 1);
        CHECK(by_rows == 1);
        CHECK(by_centers == 1);
        CHECK(plain == 1);
    }
}

TEMPLATE_TEST_CASE("both assignment layouts give identical labels on every length and start", "[simd]", float, double) {
    using T = TestType;
    random_engine rng(12);
    const Index w = assign::width<T>, few = assign::rows_in_lanes_max_centers<T>;
    // k past one register with 1, 2 or 4 centres over: the last group scored with rows in the lanes
    // (AVX-512 or AVX2 float), with its features in whole registers, gathered, or both.
    for (const Index d : {Index{1}, Index{5}, w + 1, 2 * w + 2}) {
        for (const Index k : {Index{1}, Index{3}, few, few + 1, w + 2, 2 * w + 1, 2 * w + 4}) {
            const Index stride = d + 1;
            const Index rows = 67 + 3;
            std::vector<T> X(static_cast<std::size_t>(rows * stride)), C(static_cast<std::size_t>(k * d)),
                shift(static_cast<std::size_t>(d));
            for (auto& v : X) v = rng.uniform(T(-1), T(1));
            for (auto& v : C) v = rng.uniform(T(-1), T(1));
            for (auto& v : shift) v = rng.uniform(T(-0.1), T(0.1));
            const assign::center_groups<T> packed(C.data(), k, d, d, shift.data());
            const scalar::center_rows<T> plain_packed(C.data(), k, d, d, shift.data());
            for (const Index start : {Index{0}, Index{1}, Index{3}}) {
                for (Index n = 0; n <= 67; ++n) {
                    INFO("d=" << d << " k=" << k << " start=" << start << " n=" << n);
                    const T* first = X.data() + start * stride;
                    std::vector<int> by_rows(static_cast<std::size_t>(n), -1), by_centers = by_rows, fast = by_rows,
                                                                               plain = by_rows;
                    assign::by_rows(first, n, stride, packed, by_rows.data());
                    assign::by_centers(first, n, stride, packed, by_centers.data());
                    assign::nearest_centers(first, n, stride, packed, fast.data());
                    scalar::nearest_centers(first, n, stride, plain_packed, plain.data());
                    // The two layouts run the same arithmetic, so they agree exactly.
                    CHECK(by_rows == by_centers);
                    CHECK(fast == by_rows);
                    for (Index i = 0; i < n; ++i) {
                        check_label(first + i * stride, fast[static_cast<std::size_t>(i)],
                                    plain[static_cast<std::size_t>(i)], C, shift, k, d);
                    }
                }
            }
        }
    }
}

TEMPLATE_TEST_CASE("transpose_tile equals its scalar twin on every width, row count and stride", "[simd]", float,
                   double) {
    using T = TestType;
    const Index w = assign::width<T>;
    random_engine rng(13);
    for (const Index d : {Index{1}, Index{5}, Index{15}, Index{16}, Index{17}, Index{33}, Index{50}}) {
        for (const Index stride : {d, d + 3}) {
            // The last row ends the allocation, so a read past its d values would be caught by ASan.
            std::vector<T> X(static_cast<std::size_t>((w - 1) * stride + d));
            for (auto& v : X) v = rng.uniform(T(-1), T(1));
            for (Index rows = 0; rows <= w; ++rows) {
                INFO("d=" << d << " stride=" << stride << " rows=" << rows);
                std::vector<T> fast(static_cast<std::size_t>(d * w), T(7)), plain = fast;
                assign::transpose_tile(X.data(), rows, stride, d, fast.data());
                scalar::transpose_tile<assign::width<T>>(X.data(), rows, stride, d, plain.data());
                CHECK(fast == plain);
            }
        }
    }
}

TEMPLATE_TEST_CASE("nearest_centers counts the labels it changed", "[simd]", float, double) {
    using T = TestType;
    random_engine rng(14);
    const Index d = 5, n = 3 * assign::width<T> + 5;
    // rows in lanes, then centres in lanes: with a last group of 1 (by rows for AVX-512 and AVX2 float) and of 5
    for (const Index k : {Index{2}, 3 * assign::width<T> + 1, 3 * assign::width<T> + 5}) {
        INFO("k=" << k);
        std::vector<T> X(static_cast<std::size_t>(n * d)), C(static_cast<std::size_t>(k * d)),
            shift(static_cast<std::size_t>(d), T(0));
        for (auto& v : X) v = rng.uniform(T(-1), T(1));
        for (auto& v : C) v = rng.uniform(T(-1), T(1));
        const assign::center_groups<T> packed(C.data(), k, d, d, shift.data());
        std::vector<int> labels(static_cast<std::size_t>(n), -1);
        CHECK(assign::nearest_centers(X.data(), n, d, packed, labels.data()) == n);
        const std::vector<int> first = labels;
        CHECK(assign::nearest_centers(X.data(), n, d, packed, labels.data()) == 0);
        // Three labels moved to another centre: exactly those three count.
        for (const Index i : {Index{0}, Index{7}, n - 1})
            labels[static_cast<std::size_t>(i)] = (first[static_cast<std::size_t>(i)] + 1) % static_cast<int>(k);
        CHECK(assign::nearest_centers(X.data(), n, d, packed, labels.data()) == 3);
        CHECK(labels == first);
    }
}

TEMPLATE_TEST_CASE("the target's kernels give the portable kernels' labels and hand every row over once", "[simd]",
                   float, double) {
    using T = TestType;
    random_engine rng(15);
    const Index w = assign::width<T>;
    // Few centres (rows in the lanes, in registers with AVX-512 or AVX2 float), a last group of 1 to
    // 4 centres (scored by rows there), fuller last groups, and many groups.
    for (const Index d : {Index{1}, Index{5}, Index{16}, Index{17}, Index{33}}) {
        for (const Index k :
             {Index{1}, Index{2}, Index{3}, Index{5}, Index{8}, Index{9}, w + 1, w + 4, w + 5, 2 * w + 3, Index{33}}) {
            for (const Index stride : {d, d + 3}) {
                const Index rows = 600;
                std::vector<T> X(static_cast<std::size_t>(rows * stride)), C(static_cast<std::size_t>(k * d)),
                    shift(static_cast<std::size_t>(d));
                for (auto& v : X) v = rng.uniform(T(-1), T(1));
                for (auto& v : C) v = rng.uniform(T(-1), T(1));
                for (auto& v : shift) v = rng.uniform(T(-0.1), T(0.1));
                const assign::center_groups<T> packed(C.data(), k, d, d, shift.data());
                for (const Index start : {Index{0}, Index{1}}) {
                    for (const Index n : {Index{0}, Index{1}, Index{37}, rows - start}) {
                        INFO("d=" << d << " k=" << k << " stride=" << stride << " start=" << start << " n=" << n);
                        const T* first = X.data() + start * stride;
                        std::vector<int> native(static_cast<std::size_t>(n), -1), portable = native;
                        Index next = 0;
                        bool in_order = true;
                        const Index changed = assign::nearest_centers(
                            first, n, stride, packed, native.data(), [&](Index from, Index count, const int* labels) {
                                in_order = in_order && from == next && count >= 1 && count <= 256 &&
                                           std::equal(labels, labels + count, native.data() + from);
                                next = from + count;
                            });
                        assign::generic::nearest_centers<assign::portable_isa>(
                            first, n, stride, packed, portable.data(), [](Index, Index, const int*) noexcept {});
                        CHECK(native == portable);
                        CHECK(changed == n);
                        CHECK(in_order);
                        CHECK(next == n);
                    }
                }
            }
        }
    }
}
