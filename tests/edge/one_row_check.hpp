#pragma once
// What the one-row tests share: an allocation counter (operator new is replaced, and Eigen's own
// allocations, which bypass it, are refused while a one-row call runs, each refusal counted),
// and check_rows, which compares every one-row method with its batch method row by row.
//
// Include it first (it defines EIGEN_RUNTIME_NO_MALLOC before Eigen). It defines operator new: the
// files that include it build as one translation unit, one executable (tests/CMakeLists.txt).
#include <atomic>
namespace {
std::atomic<long> allocations{0};
}  // namespace
#define EIGEN_RUNTIME_NO_MALLOC
#define eigen_assert(x) ((x) ? (void)0 : (void)allocations.fetch_add(1))

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <new>
#include <span>
#include <type_traits>
#include <vector>

#include <kestrel/core/one_row.hpp>
#include <kestrel/core/types.hpp>

// Every allocation through operator new (plain, array and nothrow; the aligned forms are left to
// the library, which pairs them with their deletes) is counted.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(std::size_t size) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    allocations.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept { return operator new(size, tag); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace {

// The allocations made by f().
template <class F>
long allocations_of(F&& f) {
    const long before = allocations.load();
    Eigen::internal::set_is_malloc_allowed(false);
    f();
    Eigen::internal::set_is_malloc_allowed(true);
    return allocations.load() - before;
}

// Whether two values hold the same bits.
template <class T>
bool same_bits(T a, T b) {
    return std::memcmp(&a, &b, sizeof(T)) == 0;
}

// decision_function_one equals decision_function's row, bit for bit, and allocates nothing.
template <class E, class T = typename E::scalar_type>
void check_decision(const E& model, const kestrel::Matrix<T>& X) {
    using namespace kestrel;
    if constexpr (requires { model.decision_function(X); }) {
        const Matrix<T> decision = model.decision_function(X);
        std::vector<T> out(static_cast<std::size_t>(decision.cols()));
        long allocated = 0;
        for (Index i = 0; i < X.rows(); ++i) {
            const std::span<const T> row(X.row(i).data(), static_cast<std::size_t>(X.cols()));
            allocated += allocations_of([&] { model.decision_function_one(row, std::span<T>(out)); });
            for (Index k = 0; k < decision.cols(); ++k) CHECK(same_bits(out[static_cast<std::size_t>(k)], decision(i, k)));
        }
        CHECK(allocated == 0);
    }
}

// transform_one equals transform's row, bit for bit, and allocates nothing.
template <class E, class T = typename E::scalar_type>
void check_transform(const E& model, const kestrel::Matrix<T>& X) {
    using namespace kestrel;
    const Matrix<T> batch = model.transform(X);
    std::vector<T> out(static_cast<std::size_t>(batch.cols()));
    long allocated = 0;
    for (Index i = 0; i < X.rows(); ++i) {
        const std::span<const T> row(X.row(i).data(), static_cast<std::size_t>(X.cols()));
        allocated += allocations_of([&] { model.transform_one(row, std::span<T>(out)); });
        for (Index k = 0; k < batch.cols(); ++k) CHECK(same_bits(out[static_cast<std::size_t>(k)], batch(i, k)));
    }
    CHECK(allocated == 0);
}

// For every row of X: predict_one (and the other one-row methods the model has) equals the batch
// methods' row, bit for bit, through a span, an array-free dynamic Eigen vector and a fixed view;
// and the span calls allocate nothing.
template <std::size_t N, std::size_t K, class E, class T = typename E::scalar_type>
void check_rows(const E& model, const kestrel::Matrix<T>& X, bool with_proba = true) {
    using namespace kestrel;
    const auto batch = model.predict(X);
    const auto fixed = fixed_features<N, K>(model);
    long allocated = 0;
    for (Index i = 0; i < X.rows(); ++i) {
        const std::span<const T> row(X.row(i).data(), static_cast<std::size_t>(X.cols()));
        auto one = model.predict_one(row);
        allocated += allocations_of([&] { one = model.predict_one(row); });
        if constexpr (std::is_same_v<decltype(one), int>) {
            CHECK(one == batch[i]);
        } else {
            CHECK(same_bits(one, batch[i]));
        }
        std::array<T, N> fixed_row;
        std::copy(row.begin(), row.end(), fixed_row.begin());
        CHECK(same_bits(fixed.predict_one(fixed_row), one));
        const Vector<T> dynamic = X.row(i).transpose();
        CHECK(same_bits(model.predict_one(dynamic), one));
    }
    CHECK(allocated == 0);
    if constexpr (requires { model.predict_proba(X); }) {
        if (!with_proba) return check_decision(model, X);
        const Matrix<T> proba = model.predict_proba(X);
        std::vector<T> out(static_cast<std::size_t>(proba.cols()));
        allocated = 0;
        for (Index i = 0; i < X.rows(); ++i) {
            const std::span<const T> row(X.row(i).data(), static_cast<std::size_t>(X.cols()));
            allocated += allocations_of([&] { model.predict_proba_one(row, std::span<T>(out)); });
            for (Index k = 0; k < proba.cols(); ++k) CHECK(same_bits(out[static_cast<std::size_t>(k)], proba(i, k)));
            if constexpr (K > 0) {
                std::array<T, N> fixed_row;
                std::copy(row.begin(), row.end(), fixed_row.begin());
                const std::array<T, K> from_fixed = fixed.predict_proba_one(fixed_row);
                for (Index k = 0; k < proba.cols(); ++k) {
                    CHECK(same_bits(from_fixed[static_cast<std::size_t>(k)], proba(i, k)));
                }
            }
        }
        CHECK(allocated == 0);
    }
    check_decision(model, X);
    // The fixed view's decision_function_one: one value as T (a binary classifier, or K = 1),
    // else K values.
    if constexpr (requires(std::array<T, N> r) { fixed.decision_function_one(r); }) {
        const Matrix<T> decision = model.decision_function(X);
        for (Index i = 0; i < X.rows(); ++i) {
            std::array<T, N> fixed_row;
            std::copy_n(X.row(i).data(), N, fixed_row.begin());
            const auto value = fixed.decision_function_one(fixed_row);
            STATIC_REQUIRE(noexcept(fixed.decision_function_one(fixed_row)));
            if constexpr (std::is_same_v<std::remove_const_t<decltype(value)>, T>) {
                REQUIRE(decision.cols() == 1);
                CHECK(same_bits(value, decision(i, 0)));
            } else {
                for (Index k = 0; k < decision.cols(); ++k) CHECK(same_bits(value[static_cast<std::size_t>(k)], decision(i, k)));
            }
        }
    }
}

}  // namespace
