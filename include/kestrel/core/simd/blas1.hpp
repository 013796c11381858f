#pragma once
/// \file
/// BLAS-1 style kernels on raw pointers (dot, axpy, squared norms and distances, argmin), each
/// beside its plain-loop twin in `scalar`. Pointers need not be aligned.

#include <algorithm>

#include "../types.hpp"
#include "batch.hpp"

namespace kestrel::detail::simd {

namespace scalar {

/// Σ a[i]·b[i], in index order.
template <class T>
T dot(const T* a, const T* b, Index n) noexcept {
    T sum = 0;
    for (Index i = 0; i < n; ++i) sum += a[i] * b[i];
    return sum;
}

template <class T>
void axpy(T alpha, const T* x, T* y, Index n) noexcept {
    for (Index i = 0; i < n; ++i) y[i] += alpha * x[i];
}

template <class T>
T squared_norm(const T* a, Index n) noexcept {
    return dot(a, a, n);
}

template <class T>
T squared_distance(const T* a, const T* b, Index n) noexcept {
    T sum = 0;
    for (Index i = 0; i < n; ++i) {
        const T d = a[i] - b[i];
        sum += d * d;
    }
    return sum;
}

template <class T>
void squared_distances(const T* x, const T* rows, Index n_rows, Index n_features, Index row_stride, T* out) noexcept {
    for (Index r = 0; r < n_rows; ++r) out[r] = squared_distance(x, rows + r * row_stride, n_features);
}

/// Index of the first smallest value; -1 when n is 0.
template <class T>
Index argmin(const T* a, Index n) noexcept {
    if (n <= 0) return -1;
    Index best = 0;
    for (Index i = 1; i < n; ++i) {
        if (a[i] < a[best]) best = i;
    }
    return best;
}

}  // namespace scalar

/// Σ a[i]·b[i], four accumulators to hide the FMA latency.
template <class T>
T dot(const T* a, const T* b, Index n) noexcept {
    constexpr Index w = width<T>;
    batch<T> s0(T(0)), s1(T(0)), s2(T(0)), s3(T(0));
    Index i = 0;
    for (; i + 4 * w <= n; i += 4 * w) {
        s0 = fma(batch<T>::load_unaligned(a + i), batch<T>::load_unaligned(b + i), s0);
        s1 = fma(batch<T>::load_unaligned(a + i + w), batch<T>::load_unaligned(b + i + w), s1);
        s2 = fma(batch<T>::load_unaligned(a + i + 2 * w), batch<T>::load_unaligned(b + i + 2 * w), s2);
        s3 = fma(batch<T>::load_unaligned(a + i + 3 * w), batch<T>::load_unaligned(b + i + 3 * w), s3);
    }
    for (; i + w <= n; i += w) {
        s0 = fma(batch<T>::load_unaligned(a + i), batch<T>::load_unaligned(b + i), s0);
    }
    T sum = reduce_sum((s0 + s1) + (s2 + s3));
    for (; i < n; ++i) sum += a[i] * b[i];
    return sum;
}

/// y += alpha·x.
template <class T>
void axpy(T alpha, const T* x, T* y, Index n) noexcept {
    constexpr Index w = width<T>;
    const batch<T> va(alpha);
    Index i = 0;
    for (; i + 2 * w <= n; i += 2 * w) {
        fma(va, batch<T>::load_unaligned(x + i), batch<T>::load_unaligned(y + i)).store_unaligned(y + i);
        fma(va, batch<T>::load_unaligned(x + i + w), batch<T>::load_unaligned(y + i + w)).store_unaligned(y + i + w);
    }
    for (; i + w <= n; i += w) {
        fma(va, batch<T>::load_unaligned(x + i), batch<T>::load_unaligned(y + i)).store_unaligned(y + i);
    }
    for (; i < n; ++i) y[i] += alpha * x[i];
}

/// Σ a[i]².
template <class T>
T squared_norm(const T* a, Index n) noexcept {
    return dot(a, a, n);
}

/// Σ (a[i] − b[i])².
template <class T>
T squared_distance(const T* a, const T* b, Index n) noexcept {
    constexpr Index w = width<T>;
    batch<T> s0(T(0)), s1(T(0));
    Index i = 0;
    for (; i + 2 * w <= n; i += 2 * w) {
        const auto d0 = batch<T>::load_unaligned(a + i) - batch<T>::load_unaligned(b + i);
        const auto d1 = batch<T>::load_unaligned(a + i + w) - batch<T>::load_unaligned(b + i + w);
        s0 = fma(d0, d0, s0);
        s1 = fma(d1, d1, s1);
    }
    for (; i + w <= n; i += w) {
        const auto d = batch<T>::load_unaligned(a + i) - batch<T>::load_unaligned(b + i);
        s0 = fma(d, d, s0);
    }
    T sum = reduce_sum(s0 + s1);
    for (; i < n; ++i) {
        const T d = a[i] - b[i];
        sum += d * d;
    }
    return sum;
}

/// out[r] = ‖x − rows[r]‖² for the n_rows rows starting `row_stride` elements apart.
template <class T>
void squared_distances(const T* x, const T* rows, Index n_rows, Index n_features, Index row_stride, T* out) noexcept {
    for (Index r = 0; r < n_rows; ++r) out[r] = squared_distance(x, rows + r * row_stride, n_features);
}

/// Index of the first smallest value (as numpy.argmin); -1 when n is 0. Values must not be NaN.
template <class T>
Index argmin(const T* a, Index n) noexcept {
    constexpr Index w = width<T>;
    if (n < 2 * w) return scalar::argmin(a, n);
    batch<T> lowest = batch<T>::load_unaligned(a);
    Index i = w;
    for (; i + w <= n; i += w) lowest = min(lowest, batch<T>::load_unaligned(a + i));
    T m = reduce_min(lowest);
    for (; i < n; ++i) m = std::min(m, a[i]);
    const batch<T> target(m);
    Index block = 0;
    for (; block + w <= n; block += w) {
        if (any(batch<T>::load_unaligned(a + block) == target)) break;
    }
    for (Index j = block; j < n; ++j) {
        if (a[j] == m) return j;
    }
    return -1;
}

}  // namespace kestrel::detail::simd
