#pragma once
/// \file
/// distributed::LogisticRegression: the logistic objective over the rows of every rank, each
/// evaluation's loss, gradient (and Hessian) reduced.

#include <algorithm>
#include <concepts>
#include <string_view>
#include <utility>
#include <vector>

#include <mpi.h>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/detail/validation.hpp"
#include "../core/types.hpp"
#include "../linear_model/logistic_regression.hpp"
#include "communicator.hpp"
#include "detail/shard.hpp"

namespace kestrel::distributed {

namespace detail {

/// A logistic objective over every rank's rows: this rank's objective (carrying the penalty on
/// rank 0 only), its value and gradient, and the binary Hessian, summed over the ranks in a fixed
/// order, so that every rank sees the same numbers and takes the same solver steps.
template <class T>
class reduced_objective {
public:
    /// The objective of this rank's rows, reduced over `comm`.
    reduced_objective(const linear_model::detail::logistic_objective<T>& local, const communicator& comm)
        : local_(local), comm_(comm) {}

    /// The number of packed coefficients.
    [[nodiscard]] Index size() const noexcept { return local_.size(); }

    /// f at `coef`; writes ∇f to `grad`. One reduction of size + 1 values.
    double operator()(const Eigen::VectorXd& coef, Eigen::VectorXd& grad) const {
        Eigen::VectorXd buffer(size() + 1);
        Eigen::VectorXd local_grad;
        buffer[0] = local_(coef, local_grad);
        buffer.tail(size()) = local_grad;
        comm_.sum(buffer);
        grad = buffer.tail(size());
        return buffer[0];
    }
    /// The Hessian of the binary objective at `coef`. One reduction of size² values.
    [[nodiscard]] Eigen::MatrixXd binomial_hessian(const Eigen::VectorXd& coef) const {
        Eigen::MatrixXd H = local_.binomial_hessian(coef);
        comm_.sum(H);
        return H;
    }

private:
    const linear_model::detail::logistic_objective<T>& local_;
    const communicator& comm_;
};

/// The rows of a LogisticRegression fit held by every rank of a communicator (the counterpart of
/// linear_model::detail::local_rows).
struct rank_rows {
    const communicator& comm;  ///< the ranks holding the rows

    /// The sorted distinct labels over all ranks (at least two, else invalid_input on every rank).
    [[nodiscard]] Labels classes(const Labels& y, std::string_view estimator) const {
        return all_classes(comm, y, estimator);
    }
    /// The total of a value over the ranks.
    [[nodiscard]] double sum(double value) const { return comm.total(value); }
    /// Sums over the ranks, in place.
    void sum(Eigen::VectorXd& values) const { comm.sum(values); }
    /// The penalty is carried by rank 0's objective alone, so that the sum counts it once.
    [[nodiscard]] double local_l2(double l2) const noexcept { return comm.rank() == 0 ? l2 : 0.0; }
    /// Minimises the objective reduced over the ranks: every rank takes the same steps.
    template <class T>
    linear_model::detail::lbfgs_result solve(const linear_model::detail::logistic_objective<T>& objective,
                                             Eigen::VectorXd& x, bool newton, int max_iter, double tol,
                                             kestrel::detail::progress_reporter* progress) const {
        // No progress reporter: a callback that stopped one rank's solver early would leave the
        // others waiting in the next reduction.
        (void)progress;
        const reduced_objective<T> reduced(objective, comm);
        return newton ? linear_model::detail::minimize_newton_cholesky(reduced, x, tol, max_iter, nullptr)
                      : linear_model::detail::minimize_lbfgs(reduced, x, {.max_iter = max_iter, .gtol = tol});
    }
    /// Every rank reads its rows for the first NaN or infinity; the one that finds it names it.
    template <class T>
    void check_finite(const row_major_ref<T>& X, std::string_view estimator) const {
        check_finite_rows(comm, X, estimator);
        throw invalid_input(kestrel::detail::prefixed(estimator, "the objective is not finite at the start"));
    }
};

}  // namespace detail

/// LogisticRegression over the rows of every rank of an MPI communicator, as
/// linear_model::LogisticRegression fitted on all of them, with either solver: every evaluation of
/// the loss and gradient is this rank's share, reduced (d + 2 values for a binary fit, K·(d + 1) + 1
/// multinomial), and newton_cholesky reduces each Hessian ((d + 1)² values) too. Every rank runs
/// the same solver on the same reduced numbers, so every rank holds the same coefficients; the
/// classes, the class counts of ClassWeight::balanced and the weight total of the Newton
/// objective are reduced as well. The answer equals the single-process fit of the same rows up to
/// the order of the sums (1e-12 relative on well-conditioned problems; bit-identical from run to run
/// for a given split). Every rank must call fit; a rank may hold no rows, or rows of only some classes.
template <std::floating_point T = double>
class LogisticRegression : public linear_model::LogisticRegression<T> {
    using Base = linear_model::LogisticRegression<T>;

public:
    using Params = typename Base::Params;  ///< linear_model::LogisticRegressionParams

    /// A classifier fitting over the ranks of `comm` (which must outlive the fits).
    explicit LogisticRegression(MPI_Comm comm, Params params = {}) : Base(std::move(params)), comm_(comm) {}

    /// Fits on every rank's samples and labels (this rank passes its own).
    template <matrix_of<T> M, label_vector L>
    LogisticRegression& fit(const M& X, const L& y) {
        return fit(X, y, Vector<T>());
    }
    /// As fit(X, y), each row weighted (non-negative; not all zero over all ranks).
    template <matrix_of<T> M, label_vector L, vector_of<T> W>
    LogisticRegression& fit(const M& X, const L& y, const W& sample_weight) {
        this->params().validate();
        // X's NaN and infinities make the reduced objective non-finite at the start; only then is
        // X read for them.
        detail::check_shard(comm_, X, Base::name, /*values=*/false);
        detail::check_rows_of(comm_, X.rows(), y.size(), Base::name, "y");
        Vector<T> w = detail::shard_weights<T>(comm_, sample_weight, X.rows(), Base::name);
        this->fit_over(kestrel::detail::row_major_ref<T>(X), Labels(y), std::move(w), detail::rank_rows{comm_});
        return *this;
    }

    /// The communicator the fits run over.
    [[nodiscard]] MPI_Comm comm() const noexcept { return comm_.get(); }

private:
    detail::communicator comm_;
};

}  // namespace kestrel::distributed
