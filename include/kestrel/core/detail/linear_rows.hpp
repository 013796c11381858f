#pragma once
/// \file
/// The one sum by which every linear model scores a row: Σⱼ xⱼ·wⱼ added in feature order from 0,
/// in the model's scalar, then the intercept. The batch methods run it row by row, so a row's
/// score has the same bits in any batch, alone (predict_one) or in a header written by
/// io::export_cpp (which writes the same multiply_add).

#include <cmath>

#include <Eigen/Core>

#include "../types.hpp"
#include "arithmetic.hpp"
#include "validation.hpp"

namespace kestrel::detail {

/// Σⱼ x[j]·w[j] for j in [0, d), added in order from 0 by multiply_add.
template <class T>
[[nodiscard]] inline T dot_in_order(const T* x, const T* w, Index d) noexcept {
    T acc = 0;
    for (Index j = 0; j < d; ++j) acc = multiply_add(x[j], w[j], acc);
    return acc;
}

/// The scores of every row of X against each of the K rows of W (K × d, row-major, contiguous):
/// out(i, k) = dot_in_order(X row i, W row k) + b[k] (n × K). Each row runs the very code of one
/// row alone (the processor overlaps consecutive rows' sums), so that no compiler can round a
/// row's sum otherwise in a batch (a multiply-add contracted in one loop and not in another).
template <class T>
[[nodiscard]] Matrix<T> linear_scores(const row_major_ref<T>& X, const T* W, Index K, const T* b) {
    const Index n = X.rows(), d = X.cols();
    Matrix<T> out(n, K);
    for (Index i = 0; i < n; ++i) {
        const T* x = X.row(i).data();
        for (Index k = 0; k < K; ++k) out(i, k) = dot_in_order(x, W + k * d, d) + b[k];
    }
    return out;
}
/// linear_scores of a row-major coefficient matrix (one row per output) and its intercepts.
template <class T>
[[nodiscard]] Matrix<T> linear_scores(const row_major_ref<T>& X, const Matrix<T>& W, const Vector<T>& b) {
    return linear_scores(X, W.data(), W.rows(), b.data());
}

}  // namespace kestrel::detail
