#pragma once
/// \file
/// The dense types every kestrel estimator reads and writes.

#include <Eigen/Core>

namespace kestrel {

/// Samples as rows, features as columns, row-major as NumPy's default.
template <class T>
using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// A column of values: a regression target, a coefficient vector, sample weights.
template <class T>
using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;

/// Integer class labels or cluster assignments, one per sample.
using Labels = Eigen::VectorXi;

/// Row and column indices, as Eigen counts them.
using Index = Eigen::Index;

}  // namespace kestrel
