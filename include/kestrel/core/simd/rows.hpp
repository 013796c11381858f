#pragma once
/// \file
/// The two products of a loss gradient over a few rows of a row-major matrix, which together read
/// the rows once from memory: zᵢ = xᵢ·w for each row (rows_dot), then g += Σᵢ rᵢ xᵢ (rows_axpy)
/// over the same rows, now in the first-level cache. Each beside its plain-loop twin in `scalar`.

#include <algorithm>

#include "../types.hpp"
#include "batch.hpp"

namespace kestrel::detail::simd {

namespace scalar {

/// z[i] = Σⱼ X[i·ld + j]·w[j] for i < m, j < d.
template <class T>
void rows_dot(const T* X, Index ld, Index m, Index d, const T* w, T* z) noexcept {
    for (Index i = 0; i < m; ++i) {
        T sum = 0;
        for (Index j = 0; j < d; ++j) sum += X[i * ld + j] * w[j];
        z[i] = sum;
    }
}

/// g[j] += Σᵢ r[i]·X[i·ld + j] for i < m, j < d.
template <class T>
void rows_axpy(const T* X, Index ld, Index m, Index d, const T* r, T* g) noexcept {
    for (Index j = 0; j < d; ++j) {
        T sum = 0;
        for (Index i = 0; i < m; ++i) sum += r[i] * X[i * ld + j];
        g[j] += sum;
    }
}

}  // namespace scalar

/// z[i] = xᵢ·w for m rows of X (row stride ld) of d columns: four rows at a time, each with its
/// own register of partial sums, so that the FMA latency is hidden.
template <class T>
void rows_dot(const T* X, Index ld, Index m, Index d, const T* w, T* z) noexcept {
    constexpr Index W = width<T>;
    const Index vd = d - d % W;
    Index i = 0;
    for (; i + 4 <= m; i += 4) {
        const T* x0 = X + i * ld;
        const T* x1 = x0 + ld;
        const T* x2 = x1 + ld;
        const T* x3 = x2 + ld;
        batch<T> a0(T(0)), a1(T(0)), a2(T(0)), a3(T(0));
        for (Index j = 0; j < vd; j += W) {
            const auto wj = batch<T>::load_unaligned(w + j);
            a0 = fma(batch<T>::load_unaligned(x0 + j), wj, a0);
            a1 = fma(batch<T>::load_unaligned(x1 + j), wj, a1);
            a2 = fma(batch<T>::load_unaligned(x2 + j), wj, a2);
            a3 = fma(batch<T>::load_unaligned(x3 + j), wj, a3);
        }
        T s0 = reduce_sum(a0), s1 = reduce_sum(a1), s2 = reduce_sum(a2), s3 = reduce_sum(a3);
        for (Index j = vd; j < d; ++j) {
            s0 += x0[j] * w[j];
            s1 += x1[j] * w[j];
            s2 += x2[j] * w[j];
            s3 += x3[j] * w[j];
        }
        z[i] = s0;
        z[i + 1] = s1;
        z[i + 2] = s2;
        z[i + 3] = s3;
    }
    for (; i < m; ++i) {
        const T* x = X + i * ld;
        batch<T> a(T(0));
        for (Index j = 0; j < vd; j += W) a = fma(batch<T>::load_unaligned(x + j), batch<T>::load_unaligned(w + j), a);
        T s = reduce_sum(a);
        for (Index j = vd; j < d; ++j) s += x[j] * w[j];
        z[i] = s;
    }
}

namespace rows_detail {

// g[0 … NV·W) += Σᵢ r[i]·X[i·ld + …]: NV registers of g, each summed over the rows in order.
template <int NV, class T>
void axpy_registers(const T* X, Index ld, Index m, const T* r, T* g) noexcept {
    constexpr Index W = width<T>;
    batch<T> acc[NV];
    KESTREL_UNROLL
    for (int v = 0; v < NV; ++v) acc[v] = batch<T>::load_unaligned(g + v * W);
    for (Index i = 0; i < m; ++i) {
        const batch<T> ri(r[i]);
        const T* x = X + i * ld;
        KESTREL_UNROLL
        for (int v = 0; v < NV; ++v) acc[v] = fma(ri, batch<T>::load_unaligned(x + v * W), acc[v]);
    }
    KESTREL_UNROLL
    for (int v = 0; v < NV; ++v) acc[v].store_unaligned(g + v * W);
}

}  // namespace rows_detail

/// g += Σᵢ r[i]·xᵢ over m rows of X (row stride ld) of d columns: eight registers of g at a time
/// (then the rest together), each summed over the rows in order, so that eight FMA chains overlap.
template <class T>
void rows_axpy(const T* X, Index ld, Index m, Index d, const T* r, T* g) noexcept {
    using rows_detail::axpy_registers;
    constexpr Index W = width<T>;
    const Index vd = d - d % W;
    Index j0 = 0;
    for (; j0 + 8 * W <= vd; j0 += 8 * W) axpy_registers<8>(X + j0, ld, m, r, g + j0);
    switch ((vd - j0) / W) {
        case 7: axpy_registers<7>(X + j0, ld, m, r, g + j0); break;
        case 6: axpy_registers<6>(X + j0, ld, m, r, g + j0); break;
        case 5: axpy_registers<5>(X + j0, ld, m, r, g + j0); break;
        case 4: axpy_registers<4>(X + j0, ld, m, r, g + j0); break;
        case 3: axpy_registers<3>(X + j0, ld, m, r, g + j0); break;
        case 2: axpy_registers<2>(X + j0, ld, m, r, g + j0); break;
        case 1: axpy_registers<1>(X + j0, ld, m, r, g + j0); break;
        default: break;
    }
    for (Index j = vd; j < d; ++j) {
        T sum = 0;
        for (Index i = 0; i < m; ++i) sum += r[i] * X[i * ld + j];
        g[j] += sum;
    }
}

}  // namespace kestrel::detail::simd
