// The batch prediction's kernel values (support vectors side by side in the lanes of a register,
// four rows at a time) against the one-row path's, bit for bit: every kernel, float and double,
// support-vector counts around whole registers and feature counts with and without a tail. Built
// twice, portable and with -march=native, so that the SSE2 and the AVX2 / AVX-512 paths (with
// and without a fused multiply-add) are both held to the one-row bits.
#include <cstring>
#include <vector>

#include "catch.hpp"

#include <kestrel/core/random.hpp>
#include <kestrel/svm/detail/support_rows.hpp>
#include <kestrel/svm/kernels.hpp>

using namespace kestrel;
using svm::Kernel;
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
