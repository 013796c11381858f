#pragma once
// Helpers the linear_model tests share: the weights the reference script uses, scalar-dependent
// tolerances, and the three memory layouts every estimator must treat alike.

#include <type_traits>

#include <kestrel/core/types.hpp>

namespace kestrel::test {

/// The sample weights of tests/reference/gen_linear_model.py: 0.5 + (i mod 7) / 3.
template <class T>
Vector<T> reference_weights(Index n) {
    Vector<T> w(n);
    for (Index i = 0; i < n; ++i) w[i] = static_cast<T>(0.5 + static_cast<double>(i % 7) / 3.0);
    return w;
}

/// `for_double` when T is double, `for_float` otherwise.
template <class T>
constexpr double tolerance(double for_double, double for_float) {
    return std::is_same_v<T, double> ? for_double : for_float;
}

/// The same data as a column-major matrix.
template <class T>
Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> column_major(const Matrix<T>& X) {
    return X;
}

}  // namespace kestrel::test
