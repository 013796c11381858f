#pragma once
/// \file
/// The one sum by which every linear model scores a row: Σⱼ xⱼ·wⱼ added in feature order from 0,
/// in the model's scalar, then the intercept. The batch methods run it four rows at a time, each
/// row its own accumulator with the same sequence of operations, so a row's score has the same
/// bits in any batch, alone (predict_one) or in a header written by io::export_cpp.

#include <Eigen/Core>

#include "../types.hpp"
#include "validation.hpp"

namespace kestrel::detail {

/// Σⱼ x[j]·w[j] for j in [0, d), added in order from 0.
template <class T>
[[nodiscard]] inline T dot_in_order(const T* x, const T* w, Index d) noexcept {
    T acc = 0;
    for (Index j = 0; j < d; ++j) acc += x[j] * w[j];
    return acc;
}

/// The scores of every row of X against each of the K rows of W (K × d, row-major, contiguous):
/// out(i, k) = dot_in_order(X row i, W row k) + b[k] (n × K).
template <class T>
[[nodiscard]] Matrix<T> linear_scores(const row_major_ref<T>& X, const T* W, Index K, const T* b) {
    const Index n = X.rows(), d = X.cols();
    Matrix<T> out(n, K);
    Index i = 0;
    for (; i + 4 <= n; i += 4) {
        const T* x0 = X.row(i).data();
        const T* x1 = X.row(i + 1).data();
        const T* x2 = X.row(i + 2).data();
        const T* x3 = X.row(i + 3).data();
        for (Index k = 0; k < K; ++k) {
            const T* w = W + k * d;
            T a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            for (Index j = 0; j < d; ++j) {
                const T wj = w[j];
                a0 += x0[j] * wj;
                a1 += x1[j] * wj;
                a2 += x2[j] * wj;
                a3 += x3[j] * wj;
            }
            out(i, k) = a0 + b[k];
            out(i + 1, k) = a1 + b[k];
            out(i + 2, k) = a2 + b[k];
            out(i + 3, k) = a3 + b[k];
        }
    }
    for (; i < n; ++i) {
        for (Index k = 0; k < K; ++k) out(i, k) = dot_in_order(X.row(i).data(), W + k * d, d) + b[k];
    }
    return out;
}
/// linear_scores of a row-major coefficient matrix (one row per output) and its intercepts.
template <class T>
[[nodiscard]] Matrix<T> linear_scores(const row_major_ref<T>& X, const Matrix<T>& W, const Vector<T>& b) {
    return linear_scores(X, W.data(), W.rows(), b.data());
}

}  // namespace kestrel::detail
