#pragma once
/// \file
/// distributed::LinearRegression and distributed::Ridge: least squares over the rows of every
/// rank, the normal equations reduced once.

#include <concepts>

#include <mpi.h>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/types.hpp"
#include "../linear_model/linear_regression.hpp"
#include "../linear_model/ridge.hpp"
#include "communicator.hpp"
#include "detail/least_squares.hpp"
#include "detail/shard.hpp"

namespace kestrel::distributed {

namespace detail {

/// What distributed::LinearRegression and distributed::Ridge share: the single-process estimator
/// `Base` (its Params, accessors, predict, printing and model files), fitted over every rank.
template <class Base>
class closed_form : public Base {
public:
    using T = typename Base::scalar_type;  ///< float or double
    using Params = typename Base::Params;  ///< the single-process estimator's Params

    /// An estimator fitting over the ranks of `comm` (which must outlive the fits).
    explicit closed_form(MPI_Comm comm, Params params = {}) : Base(std::move(params)), comm_(comm) {}

    /// Fits y ≈ X w + b over every rank's rows; this rank passes its own X and y (possibly none).
    template <matrix_of<T> M, vector_of<T> V>
    closed_form& fit(const M& X, const V& y) {
        return fit(X, y, Vector<T>());
    }
    /// As fit(X, y), each row weighted (non-negative; not all zero over all ranks).
    template <matrix_of<T> M, vector_of<T> V, vector_of<T> W>
    closed_form& fit(const M& X, const V& y, const W& sample_weight) {
        const Params& p = this->params();
        T alpha = 0;
        if constexpr (requires { p.alpha; }) alpha = static_cast<T>(p.alpha);
        this->reset_fit();
        p.validate();
        // X's NaN and infinities show in the reduced normal equations, which are checked.
        const row_layout layout = check_shard(comm_, X, Base::name, /*values=*/false);
        check_rows_of(comm_, X.rows(), y.size(), Base::name, "y");
        const Vector<T> w = shard_weights<T>(comm_, sample_weight, X.rows(), Base::name);
        ColMatrix<T> Y(y.size(), 1);
        if (y.size() > 0) Y.col(0) = y;
        comm_.agree([&] {
            if (!Y.allFinite()) kestrel::detail::check_finite(Y, Base::name, "y");
        });
        const kestrel::detail::row_major_ref<T> rows(X);
        linear_fit<T> fitted =
            reduced_least_squares<T>(comm_, rows, Y, w, layout.total, p.fit_intercept, alpha, p.n_jobs, Base::name);
        this->set_fitted(std::move(fitted.coef), std::move(fitted.intercept));
        return *this;
    }

    /// The communicator the fits run over.
    [[nodiscard]] MPI_Comm comm() const noexcept { return comm_.get(); }

private:
    communicator comm_;
};

}  // namespace detail

/// Ordinary least squares over the rows of every rank of an MPI communicator, as
/// linear_model::LinearRegression over all of them: each rank forms the normal equations of its
/// rows around one shared shift, they are reduced once (d² + 3d + 3 values, in a fixed order), and
/// every rank solves the same system, so every rank holds the same coefficients.
///
/// The coefficients equal the single-process fit of the same rows up to the order of the sums
/// (1e-12 relative on well-conditioned data; bit-identical from run to run for a given split).
/// Where the system is singular (a rank-deficient X, or more features than rows), the minimum-norm
/// answer comes from the eigendecomposition of the reduced Gram matrix, accurate to cond(X)²·ε
/// where the single-process fit, which holds X, reaches cond(X)·ε. Every rank must call fit; a
/// rank may hold no rows. Bad input on any rank throws the same kestrel exception on every rank,
/// a NaN or an infinity named with its rank, row and column.
template <std::floating_point T = double>
class LinearRegression : public detail::closed_form<linear_model::LinearRegression<T>> {
public:
    using detail::closed_form<linear_model::LinearRegression<T>>::closed_form;
};

/// Ridge over the rows of every rank of an MPI communicator, as linear_model::Ridge over all of
/// them; the fit is distributed::LinearRegression's with the penalty α on the diagonal.
template <std::floating_point T = double>
class Ridge : public detail::closed_form<linear_model::Ridge<T>> {
public:
    using detail::closed_form<linear_model::Ridge<T>>::closed_form;
};

}  // namespace kestrel::distributed
