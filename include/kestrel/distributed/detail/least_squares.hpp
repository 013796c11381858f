#pragma once
/// \file
/// Least squares over the rows of every rank: each rank sums its rows' normal equations around
/// one shared shift, the sums are reduced once, and every rank solves the same d × d system.

#include <algorithm>
#include <limits>
#include <string_view>
#include <type_traits>
#include <utility>

#include <Eigen/Core>
#include <Eigen/Eigenvalues>

#include "../../core/detail/validation.hpp"
#include "../../core/error.hpp"
#include "../../core/types.hpp"
#include "../../linear_model/detail/normal_equations.hpp"
#include "../communicator.hpp"
#include "shard.hpp"

namespace kestrel::distributed::detail {

using linear_model::detail::ColMatrix;
using linear_model::detail::linear_fit;
using linear_model::detail::normal_equations;
using linear_model::detail::shifted_sums;

/// The minimum-norm minimiser of the least-squares problem whose normal equations are
/// (G + αI) W = R, from the eigendecomposition of G: eigenvalues at or below `rows`·ε of the
/// largest are treated as zero (α = 0). The answer for a rank-deficient or wide X when only its
/// Gram matrix is at hand: accurate to about cond(X)²·ε, where a solver on X itself reaches cond(X)·ε.
template <class T>
ColMatrix<T> minimum_norm_from_gram(const ColMatrix<T>& G, const ColMatrix<T>& R, T alpha, Index rows) {
    const Eigen::SelfAdjointEigenSolver<ColMatrix<T>> eigen(G);
    const Vector<T>& lambda = eigen.eigenvalues();
    const T largest = lambda.size() > 0 ? std::max(lambda.maxCoeff(), T(0)) : T(0);
    const T cutoff = largest * static_cast<T>(std::max<Index>(rows, G.rows())) * std::numeric_limits<T>::epsilon();
    Vector<T> inverse(lambda.size());
    for (Index i = 0; i < lambda.size(); ++i) {
        const T value = std::max(lambda[i], T(0)) + alpha;
        inverse[i] = alpha > 0 ? T(1) / value : (lambda[i] > cutoff ? T(1) / value : T(0));
    }
    const ColMatrix<T>& V = eigen.eigenvectors();
    return V * (inverse.asDiagonal() * (V.transpose() * R));
}

/// The shifted sums of this rank's rows, reduced over every rank (each array in a fixed order).
template <class T, class S>
shifted_sums<T> reduced_sums(const communicator& comm, const row_major_ref<S>& X, const ColMatrix<T>& Y,
                             const Vector<T>& w, const Vector<T>& x_shift, const Vector<T>& y_shift, int n_jobs) {
    shifted_sums<T> sums = linear_model::detail::shifted_normal_sums<T, S>(X, Y, w, x_shift, y_shift, n_jobs);
    sums.each_array([&](T* values, Index n) { comm.sum(values, n); });
    return sums;
}

/// Minimises Σ wᵢ ‖yᵢ − W xᵢ − b‖² + α‖W‖² over the rows of every rank (this rank's X, Y, w),
/// as linear_model::detail::fit_least_squares does over one process's rows: Cholesky on the
/// reduced normal equations, float systems too ill-conditioned for float solved again in
/// double, and the minimum-norm answer from the Gram matrix when the system is singular.
/// X's values need not be checked yet: non-finite normal equations make every rank read its rows,
/// and the rank with the NaN or infinity names it.
template <class T>
linear_fit<T> reduced_least_squares(const communicator& comm, const row_major_ref<T>& X, const ColMatrix<T>& Y,
                                    const Vector<T>& w, Index total_rows, bool fit_intercept, T alpha, int n_jobs,
                                    std::string_view estimator) {
    const Index d = X.cols(), t = Y.cols();
    // The shift: the mean of the first rows of the first rank that has any, the same on every rank.
    auto [x_shift, y_shift] = linear_model::detail::normal_shifts<T, T>(X, Y, fit_intercept);
    const int source = first_rank_with_rows(comm, X.rows());
    comm.broadcast(x_shift.data(), d, source);
    comm.broadcast(y_shift.data(), t, source);
    normal_equations<T> ne = linear_model::detail::centre_normal_sums<T>(
        reduced_sums<T, T>(comm, X, Y, w, x_shift, y_shift, n_jobs), x_shift, y_shift, fit_intercept);
    if (!(ne.gram.allFinite() && ne.xty.allFinite())) {
        check_finite_rows(comm, X, estimator);
        throw invalid_input(kestrel::detail::prefixed(estimator, "the normal equations overflowed; scale X and y"));
    }
    ColMatrix<T> W;
    if (!linear_model::detail::solve_by_cholesky<T>(ne.gram, ne.xty, alpha, W)) {
        if constexpr (std::is_same_v<T, float>) {
            // The same sums in double, from the float rows.
            const Vector<double> xs = x_shift.template cast<double>(), ys = y_shift.template cast<double>();
            normal_equations<double> nd = linear_model::detail::centre_normal_sums<double>(
                reduced_sums<double, float>(comm, X, Y.template cast<double>(), w.template cast<double>(), xs, ys,
                                            n_jobs),
                xs, ys, fit_intercept);
            ColMatrix<double> Wd;
            if (!linear_model::detail::solve_by_cholesky<double>(nd.gram, nd.xty, static_cast<double>(alpha), Wd)) {
                Wd = minimum_norm_from_gram<double>(nd.gram, nd.xty, static_cast<double>(alpha), total_rows);
            }
            const Matrix<double> coef = Wd.transpose();
            const Vector<double> intercept = nd.y_offset - coef * nd.x_offset;
            return {coef.template cast<T>(), intercept.template cast<T>()};
        } else {
            W = minimum_norm_from_gram<T>(ne.gram, ne.xty, alpha, total_rows);
        }
    }
    linear_fit<T> fit;
    fit.coef = W.transpose();
    fit.intercept = ne.y_offset - fit.coef * ne.x_offset;
    return fit;
}

}  // namespace kestrel::distributed::detail
