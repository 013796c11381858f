#pragma once
/// \file
/// How every libsvm model scores a row at prediction: the row's inner product with each support
/// vector added in feature order from 0 (kestrel::detail::multiply_add, fused where the target
/// fuses), the kernel function of that product in one written-out order, and the coefficients'
/// sums in support-vector order. The batch methods take four rows' kernel values at a time
/// (kernel_values_of_rows: support vectors side by side in a register's lanes, each lane adding
/// its inner product in the same order with the same multiply-add), so a row's decision values
/// have the same bits in any batch, alone (predict_one) and in a header written by
/// io::export_cpp, which writes the same steps.

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "../../core/detail/linear_rows.hpp"
#include "../../core/simd/batch.hpp"
#include "../../core/types.hpp"
#include "../kernels.hpp"

namespace kestrel::svm::detail {

/// The kernel value of a row and a support vector from their inner product and squared norms:
/// poly (γ·dot + c)^degree, rbf exp(−γ·(‖x‖² + ‖sv‖² − 2·dot)), sigmoid tanh(γ·dot + c).
template <class T>
[[nodiscard]] inline T kernel_of_dot(const kernel_function& k, T dot, T x_norm, T sv_norm) noexcept {
    using kestrel::detail::multiply_add;
    const T g = static_cast<T>(k.gamma), c = static_cast<T>(k.coef0);
    switch (k.kernel) {
        case Kernel::poly:
            return kernel_function::integer_power(multiply_add(g, dot, c), k.degree);
        case Kernel::rbf:
            return std::exp(-g * multiply_add(T(-2), dot, x_norm + sv_norm));
        case Kernel::sigmoid:
            return std::tanh(multiply_add(g, dot, c));
        default:
            return dot;
    }
}

/// ‖sv‖² of each support vector (row of `sv`), as kernel_of_dot reads them.
template <class T>
[[nodiscard]] Vector<T> support_norms(const Matrix<T>& sv) {
    Vector<T> out(sv.rows());
    for (Index s = 0; s < sv.rows(); ++s) out[s] = kestrel::detail::dot_in_order(sv.row(s).data(), sv.row(s).data(), sv.cols());
    return out;
}

/// Calls f(s, K(x, svₛ)) for each support vector s in order. `sv` holds the support vectors
/// (n_sv × d, row-major), `norms` their support_norms; with Kernel::precomputed, x is a row of
/// the kernel matrix and K(x, svₛ) = x[support[s]]. Four support vectors' sums run side by side
/// (each in feature order), which changes no bit and lets the processor overlap them.
template <class T, class F>
void for_each_kernel_value(const kernel_function& k, const T* x, const Matrix<T>& sv, const Vector<T>& norms,
                           const Labels& support, F&& f) noexcept {
    using kestrel::detail::multiply_add;
    if (k.kernel == Kernel::precomputed) {
        for (Index s = 0; s < support.size(); ++s) f(s, x[support[s]]);
        return;
    }
    const Index n = sv.rows(), d = sv.cols();
    const T x_norm = k.kernel == Kernel::rbf ? kestrel::detail::dot_in_order(x, x, d) : T(0);
    const T* rows = sv.data();
    constexpr Index group = 4;
    Index s = 0;
    for (; s + group <= n; s += group) {
        const T* r = rows + s * d;
        T a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        for (Index j = 0; j < d; ++j) {
            const T v = x[j];
            a0 = multiply_add(v, r[j], a0);
            a1 = multiply_add(v, r[d + j], a1);
            a2 = multiply_add(v, r[2 * d + j], a2);
            a3 = multiply_add(v, r[3 * d + j], a3);
        }
        f(s, kernel_of_dot(k, a0, x_norm, norms[s]));
        f(s + 1, kernel_of_dot(k, a1, x_norm, norms[s + 1]));
        f(s + 2, kernel_of_dot(k, a2, x_norm, norms[s + 2]));
        f(s + 3, kernel_of_dot(k, a3, x_norm, norms[s + 3]));
    }
    for (; s < n; ++s) f(s, kernel_of_dot(k, kestrel::detail::dot_in_order(x, rows + s * d, d), x_norm, norms[s]));
}

/// As for_each_kernel_value(k, x, …, f), or over the row's kernel values already computed
/// (kernel_values_of_rows) when `values` is not null.
template <class T, class F>
void for_each_kernel_value(const kernel_function& k, const T* x, const Matrix<T>& sv, const Vector<T>& norms,
                           const Labels& support, const T* values, F&& f) noexcept {
    if (values == nullptr) {
        for_each_kernel_value(k, x, sv, norms, support, f);
        return;
    }
    for (Index s = 0; s < sv.rows(); ++s) f(s, values[s]);
}

/// The support vectors feature by feature, a register's width of support vectors side by side in
/// each feature's row (values[j · stride + s], s padded with zeros to whole registers), so that
/// kernel_values_of_rows adds many support vectors' inner products at once, one per lane.
template <class T>
struct support_lanes {
    Index n = 0, d = 0, stride = 0;
    kestrel::detail::simd::aligned_vector<T> values;

    explicit support_lanes(const Matrix<T>& sv) : n(sv.rows()), d(sv.cols()) {
        constexpr Index W = kestrel::detail::simd::width<T>;
        stride = (n + 2 * W - 1) / (2 * W) * (2 * W);
        values.assign(static_cast<std::size_t>(d * stride), T(0));
        for (Index s = 0; s < n; ++s) {
            for (Index j = 0; j < d; ++j) values[static_cast<std::size_t>(j * stride + s)] = sv(s, j);
        }
    }
};

/// Rows kernel_values_of_rows takes at a time.
inline constexpr int kernel_value_rows = 4;

/// K(x_r, sv_s) of up to four rows x[0..count) and every support vector, into
/// out[r · lanes.stride + s]: the inner products of two registers of support vectors with four
/// rows at once, each lane adding its own product over the features in order from 0 with the
/// fused multiply-add where the target has one (simd::multiply_add, as multiply_add for one
/// value), so that every value has the bits for_each_kernel_value gives it; then the kernel
/// function of each.
template <class T>
void kernel_values_of_rows(const kernel_function& k, const support_lanes<T>& lanes, const T* const* x, int count,
                           const Vector<T>& norms, T* out) noexcept {
    namespace simd = kestrel::detail::simd;
    using B = simd::batch<T>;
    constexpr Index W = simd::width<T>;
    constexpr int R = kernel_value_rows;
    const Index d = lanes.d, stride = lanes.stride;
    const T* row[R];
    T x_norm[R];
    for (int r = 0; r < R; ++r) {
        row[r] = x[std::min(r, count - 1)];  // missing rows repeat the last one, and are not written
        x_norm[r] = k.kernel == Kernel::rbf ? kestrel::detail::dot_in_order(row[r], row[r], d) : T(0);
    }
    for (Index s = 0; s < stride; s += 2 * W) {
        B acc[R][2];
        KESTREL_UNROLL
        for (int r = 0; r < R; ++r) acc[r][0] = acc[r][1] = B(T(0));
        const T* v = lanes.values.data() + s;
        for (Index j = 0; j < d; ++j) {
            const B a = B::load_aligned(v + j * stride), b = B::load_aligned(v + j * stride + W);
            KESTREL_UNROLL
            for (int r = 0; r < R; ++r) {
                const B xr(row[r][j]);
                acc[r][0] = simd::multiply_add(xr, a, acc[r][0]);
                acc[r][1] = simd::multiply_add(xr, b, acc[r][1]);
            }
        }
        for (int r = 0; r < count; ++r) {
            T* o = out + r * stride + s;
            acc[r][0].store_unaligned(o);
            acc[r][1].store_unaligned(o + W);
        }
    }
    const Index n = lanes.n;
    for (int r = 0; r < count; ++r) {
        T* o = out + r * stride;
        for (Index s = 0; s < n; ++s) o[s] = kernel_of_dot(k, o[s], x_norm[r], norms[s]);
    }
}

/// The support vectors laid out for kernel_values_of_rows when a batch of n rows pays for it
/// (neither a precomputed kernel nor fewer rows than kernel_values_of_rows takes at a time).
template <class T>
[[nodiscard]] std::optional<support_lanes<T>> batch_lanes(const kernel_function& k, const Matrix<T>& sv, Index n) {
    if (k.kernel == Kernel::precomputed || n < kernel_value_rows) return std::nullopt;
    return support_lanes<T>(sv);
}

/// Calls body(x, i, values) for each row i in [begin, end) (x = row(i)): `values` the row's
/// kernel values, computed four rows at a time from `lanes`, or null without lanes (the body
/// then takes the one-row path).
template <class T, class Row, class Body>
void rows_with_kernel_values(const kernel_function& k, const std::optional<support_lanes<T>>& lanes,
                             const Vector<T>& norms, Index begin, Index end, Row&& row, Body&& body) {
    if (!lanes) {
        for (Index i = begin; i < end; ++i) body(row(i), i, static_cast<const T*>(nullptr));
        return;
    }
    constexpr int group = kernel_value_rows;
    std::vector<T> values(static_cast<std::size_t>(group * lanes->stride));
    for (Index i = begin; i < end; i += group) {
        const int count = static_cast<int>(std::min<Index>(group, end - i));
        const T* x[group];
        for (int g = 0; g < count; ++g) x[g] = row(i + g);
        kernel_values_of_rows(k, *lanes, x, count, norms, values.data());
        for (int g = 0; g < count; ++g) body(x[g], i + g, static_cast<const T*>(values.data() + g * lanes->stride));
    }
}

/// The index of the pair (a, b), a < b, among K classes' pairs ordered (0, 1), (0, 2), ..., (1, 2), ...
[[nodiscard]] constexpr Index pair_index(Index a, Index b, Index K) noexcept {
    return a * (2 * K - a - 1) / 2 + (b - a - 1);
}

}  // namespace kestrel::svm::detail
