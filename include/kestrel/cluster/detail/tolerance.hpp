#pragma once
/// \file
/// Column sums in double, segment by segment: the data mean that shifts the assignment kernel,
/// and the tolerance scaled by the feature variances.

#include <cstddef>
#include <vector>

#include <Eigen/Core>

#include "../../core/detail/validation.hpp"
#include "../../core/types.hpp"
#include "segments.hpp"

namespace kestrel::cluster::detail {

using kestrel::detail::row_major_ref;

/// Σ term(f, x_if) over the rows of X for every column f, in double, segment by segment then in
/// segment order.
template <class T, class Term>
Eigen::RowVectorXd sum_rows(const row_major_ref<T>& X, int n_threads, Term&& term) {
    const Index d = X.cols();
    const segments seg(X.rows(), d);
    Matrix<double> partial = Matrix<double>::Zero(seg.count(), d);
    seg.for_each(n_threads, [&](Index s, Index begin, Index end) {
        // A plain loop over contiguous sums, which the compiler vectorises.
        std::vector<double> sums(static_cast<std::size_t>(d), 0.0);
        double* const sum = sums.data();
        for (Index i = begin; i < end; ++i) {
            const T* x = X.row(i).data();
            for (Index f = 0; f < d; ++f) sum[f] += term(f, static_cast<double>(x[f]));
        }
        for (Index f = 0; f < d; ++f) partial(s, f) = sum[f];
    });
    return partial.colwise().sum();
}

/// Column means of X, in double: the shift that keeps ‖c‖² − 2x·c accurate.
template <class T>
Eigen::RowVectorXd column_means(const row_major_ref<T>& X, int n_threads) {
    return sum_rows(X, n_threads, [](Index, double x) { return x; }) / static_cast<double>(X.rows());
}

/// scikit-learn's `_tolerance`: tol times the mean of the features' (population) variances.
template <class T>
double scaled_tolerance(const row_major_ref<T>& X, const Eigen::RowVectorXd& mean, double tol, int n_threads) {
    if (tol == 0) return 0;
    const auto squares = sum_rows(X, n_threads, [&](Index f, double x) {
        const double centred = x - mean[f];
        return centred * centred;
    });
    return squares.mean() / static_cast<double>(X.rows()) * tol;
}

}  // namespace kestrel::cluster::detail
