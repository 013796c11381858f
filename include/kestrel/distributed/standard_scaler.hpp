#pragma once
/// \file
/// distributed::StandardScaler: feature means and variances over the rows of every rank, merged
/// exactly.

#include <concepts>
#include <utility>
#include <vector>

#include <mpi.h>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/types.hpp"
#include "../preprocessing/standard_scaler.hpp"
#include "communicator.hpp"
#include "detail/shard.hpp"

namespace kestrel {
namespace detail {

/// Sets a StandardScaler's statistics from (weighted) count, mean and population variance.
template <class T>
struct distributed_access<preprocessing::StandardScaler<T>> {
    static void set(preprocessing::StandardScaler<T>& s, double count, Eigen::VectorXd mean, Eigen::VectorXd var) {
        s.reset();
        s.n_samples_seen_ = count;
        s.n_features_in_ = mean.size();
        s.sum_mean_ = std::move(mean);
        s.sum_var_ = std::move(var);
        s.publish();
    }
};

}  // namespace detail

namespace distributed {

/// StandardScaler over the rows of every rank of an MPI communicator, as
/// preprocessing::StandardScaler fitted on all of them: each rank computes the count, mean and
/// sum of squared deviations of its rows (in double, weighted when given weights), and every rank
/// merges all ranks' moments in rank order by Chan, Golub and LeVeque's pairwise update, exact in
/// exact arithmetic (no sum of squares minus a squared sum), so every rank holds the same mean,
/// var and scale. The reduction moves (2d + 1) doubles per rank. transform and inverse_transform
/// work on any rank's rows. partial_fit is not offered: each fit sees all ranks' rows at once.
template <std::floating_point T = double>
class StandardScaler : public preprocessing::StandardScaler<T> {
    using Base = preprocessing::StandardScaler<T>;

public:
    using Params = typename Base::Params;  ///< preprocessing::StandardScalerParams

    /// A scaler fitting over the ranks of `comm` (which must outlive the fits).
    explicit StandardScaler(MPI_Comm comm, Params params = {}) : Base(std::move(params)), comm_(comm) {}

    /// Computes the mean and variance of every rank's X (this rank passes its own rows).
    template <matrix_of<T> M>
    StandardScaler& fit(const M& X) {
        return fit(X, Vector<T>());
    }
    /// As fit(X), each row weighted by `sample_weight` (non-negative; not all zero over all ranks).
    template <matrix_of<T> M, vector_of<T> W>
    StandardScaler& fit(const M& X, const W& sample_weight) {
        detail::check_shard(comm_, X, Base::name);
        const bool weighted = comm_.max(static_cast<int>(sample_weight.size() > 0)) == 1;
        const Vector<T> w = detail::shard_weights<T>(comm_, sample_weight, X.rows(), Base::name);
        const Index d = X.cols();
        // This rank's moments: count, mean, Σ w (x − mean)² (two passes, as the single-process fit).
        Eigen::VectorXd local(2 * d + 1);
        const Eigen::MatrixXd Xd = X.template cast<double>();
        const Eigen::VectorXd wd = w.template cast<double>();
        const double count = weighted ? wd.sum() : static_cast<double>(X.rows());
        local[0] = count;
        local.segment(1, 2 * d).setZero();
        if (count > 0) {
            const Eigen::VectorXd mean = (Xd.transpose() * wd) / count;
            const Eigen::MatrixXd centred = Xd.rowwise() - mean.transpose();
            const Eigen::VectorXd correction = centred.transpose() * wd;
            local.segment(1, d) = mean;
            local.segment(1 + d, d) = centred.array().square().matrix().transpose() * wd;
            local.segment(1 + d, d).array() -= correction.array().square() / count;
        }
        const std::vector<double> all =
            comm_.gather(std::vector<double>(local.data(), local.data() + local.size()));
        // Every rank merges the same moments in the same order: the same bits everywhere.
        double n = 0;
        Eigen::VectorXd mean = Eigen::VectorXd::Zero(d), m2 = Eigen::VectorXd::Zero(d);
        for (int r = 0; r < comm_.size(); ++r) {
            const Eigen::Map<const Eigen::VectorXd> moments(all.data() + static_cast<std::size_t>(r) * local.size(),
                                                            local.size());
            const double nb = moments[0];
            if (!(nb > 0)) continue;
            const double total = n + nb;
            const Eigen::VectorXd delta = moments.segment(1, d) - mean;
            m2 += moments.segment(1 + d, d) + (delta.array().square() * (n * nb / total)).matrix();
            mean += delta * (nb / total);
            n = total;
        }
        kestrel::detail::distributed_access<Base>::set(*this, n, std::move(mean), m2 / n);
        return *this;
    }

    /// The communicator the fits run over.
    [[nodiscard]] MPI_Comm comm() const noexcept { return comm_.get(); }

private:
    using Base::partial_fit;
    detail::communicator comm_;
};

}  // namespace distributed
}  // namespace kestrel
