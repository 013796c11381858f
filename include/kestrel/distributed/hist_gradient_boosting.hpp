#pragma once
/// \file
/// distributed::HistGradientBoostingRegressor and HistGradientBoostingClassifier: every tree
/// grown over the rows of every rank, the data-parallel scheme of XGBoost and LightGBM. Each rank
/// bins its rows with thresholds common to all ranks, computes its rows' gradients and builds its
/// histograms; the histograms are summed over the ranks, so every rank finds the same split at
/// every node and grows the same tree. Each rank keeps only its rows' raw scores.

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <mpi.h>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/detail/validation.hpp"
#include "../core/error.hpp"
#include "../core/params.hpp"
#include "../core/progress.hpp"
#include "../core/types.hpp"
#include "../core/weights.hpp"
#include "../ensemble/hist_gradient_boosting_classifier.hpp"
#include "../ensemble/hist_gradient_boosting_regressor.hpp"
#include "communicator.hpp"
#include "detail/shard.hpp"

namespace kestrel {
namespace detail {

/// Sets a distributed HistGradientBoostingClassifier's classes (those of every rank).
template <class T>
struct distributed_access<ensemble::HistGradientBoostingClassifier<T>> {
    static void set_classes(ensemble::HistGradientBoostingClassifier<T>& e, Labels classes) {
        e.classes_ = std::move(classes);
    }
};

}  // namespace detail

namespace distributed {
namespace detail {

/// This rank's rows among those of every rank, as the boosting fit takes them (the members of
/// ensemble::detail::hgb::rows_here, over a communicator).
class boosting_rows {
public:
    /// Other ranks hold rows of the fit.
    static constexpr bool spread = true;

    /// This rank's rows: `first` is the global index of the first.
    boosting_rows(const communicator& comm, Index first) noexcept : comm_(comm), first_(first) {}

    /// The global index of this rank's first row.
    [[nodiscard]] Index first_row() const noexcept { return first_; }
    /// Every rank's `values`, concatenated in rank order, on every rank.
    template <class V>
    [[nodiscard]] std::vector<V> gather(const std::vector<V>& values) const {
        return comm_.gather(values);
    }
    /// Replaces values[0..n) by their sums over the ranks (in a fixed order: the same bits on each).
    void sum(double* values, std::size_t n) const { comm_.sum(values, static_cast<Index>(n)); }
    /// Runs work; when it throws on any rank, every rank throws.
    template <class Work>
    void agree(Work&& work) const {
        comm_.agree(std::forward<Work>(work));
    }

private:
    const communicator& comm_;
    Index first_;
};

/// The fit shared by the two distributed estimators, which derive from this: this derives from
/// `Base` (the single-process estimator), whose fitted state the fit sets.
template <class Base>
class boosting : public Base {
public:
    using Params = typename Base::Params;  ///< the single-process estimator's Params

    /// An estimator fitting over the ranks of `comm` (which must outlive the fits).
    boosting(MPI_Comm comm, Params params) : Base(std::move(params)), comm_(comm) {}

    /// The communicator the fits run over.
    [[nodiscard]] MPI_Comm comm() const noexcept { return comm_.get(); }

protected:
    using scalar = typename Base::scalar_type;  ///< the floating-point type of the data

    /// The checks every rank makes first: the Params (warm_start refused), the same feature count
    /// on every rank, no infinity (NaN is a missing value), y's length and the sample weights.
    /// Returns this rank's weights and where its rows sit among all ranks' rows.
    template <class M, class Y, class W>
    std::pair<sample_weights<scalar>, row_layout> start(const M& X, const Y& y, const W& sample_weight) {
        const Params& p = this->params();
        comm_.agree([&] {
            p.validate();
            require_param(!p.warm_start, Base::name, "warm_start", p.warm_start,
                          "must be false in a distributed fit (refit with a larger max_iter instead)");
        });
        const row_layout layout = check_shard(comm_, X, Base::name, /*values=*/false);
        check_rows_of(comm_, X.rows(), y.size(), Base::name, "y");
        comm_.agree([&] {
            if (X.rows() > 0) Base::check_values(X);
        });
        return {sample_weights<scalar>(shard_weights<scalar>(comm_, sample_weight, X.rows(), Base::name)), layout};
    }

    /// Fits on this rank's targets (class codes for the classifier) and weights (empty on every
    /// rank, or one per row on every rank). What may throw on one rank only (its rows' categorical
    /// codes) runs inside the fit's own agreement; the rest throws on every rank alike. No progress
    /// callback is called: a callback stopping one rank early would leave the others waiting.
    template <class M>
    void fit_rows(const M& X, const std::vector<double>& y, const std::vector<double>& w, Index K,
                  const row_layout& layout) {
        const boosting_rows rows(comm_, layout.first);
        struct callback_aside {  // the callback taken out for the fit, put back however it ends
            progress_callback& slot;
            progress_callback kept;
            ~callback_aside() { slot = std::move(kept); }
        } aside{this->progress_callback_, std::exchange(this->progress_callback_, progress_callback{})};
        this->fit_codes(X, y, w, K, rows);
    }

    communicator comm_;
};

}  // namespace detail

/// HistGradientBoostingRegressor over the rows of every rank of an MPI communicator, as
/// ensemble::HistGradientBoostingRegressor fitted on all of them:
/// - the bin thresholds come from every rank's rows (all of them up to 200,000 training rows,
///   else the single-process fit's draw among them), so they equal the single-process ones;
/// - the baseline, the validation split of early stopping and the leaf values of the absolute
///   error and quantile losses come from every rank's targets, gathered: as one process's;
/// - each tree's root sums and each histogram (features × bins × 2 or 3 doubles) are summed over
///   the ranks, and so are the training and validation losses of early stopping.
///
/// Every rank grows the same trees, so every rank holds the same model. The sums are added
/// rank by rank where one process adds row by row, so the gains and values differ from the
/// single-process fit's in the last bits (about 1e-15 relative): predictions agree to about
/// 1e-12, and the trees are the same unless two candidate splits' gains tie to within that.
/// Every rank must call fit, with the same Params; a rank may hold no rows. warm_start is
/// refused, and no progress callback is called during the fit. Every rank holds every row's
/// target and weight during the fit (16 bytes a row), and the values of up to 200,000 rows for
/// the bin thresholds.
template <std::floating_point T = double>
class HistGradientBoostingRegressor
    : public detail::boosting<ensemble::HistGradientBoostingRegressor<T>> {
    using Base = ensemble::HistGradientBoostingRegressor<T>;
    using fit_base = detail::boosting<Base>;

public:
    using Params = typename Base::Params;  ///< ensemble::HistGradientBoostingRegressorParams

    /// A regressor fitting over the ranks of `comm` (which must outlive the fits).
    explicit HistGradientBoostingRegressor(MPI_Comm comm, Params params = {}) : fit_base(comm, std::move(params)) {}

    /// Fits on every rank's samples and targets (this rank passes its own).
    template <matrix_of<T> M, vector_of<T> V>
    HistGradientBoostingRegressor& fit(const M& X, const V& y) {
        return fit(X, y, Vector<T>());
    }
    /// As fit(X, y), each row weighted (non-negative; not all zero over all ranks).
    template <matrix_of<T> M, vector_of<T> V, vector_of<T> W>
    HistGradientBoostingRegressor& fit(const M& X, const V& y, const W& sample_weight) {
        const auto [sw, layout] = this->start(X, y, sample_weight);
        const detail::communicator& comm = this->comm_;
        comm.agree([&] { kestrel::detail::check_finite(y, Base::name, "y"); });
        const bool weighted = comm.max(sw.uniform() ? 0 : 1) == 1;
        const Index n = X.rows();
        std::vector<double> target(static_cast<std::size_t>(n)), weight;
        for (Index i = 0; i < n; ++i) target[static_cast<std::size_t>(i)] = static_cast<double>(y[i]);
        if (weighted) {
            for (Index i = 0; i < n; ++i) weight.push_back(static_cast<double>(sw[i]));
        }
        if (this->params().loss == ensemble::Loss::poisson) {
            comm.agree([&] {
                for (Index i = 0; i < n; ++i) {
                    if (target[static_cast<std::size_t>(i)] < 0) {
                        throw invalid_input(std::string(Base::name) + ": loss poisson needs y >= 0; y[" +
                                            std::to_string(i) + "] = " + std::to_string(target[static_cast<std::size_t>(i)]));
                    }
                }
            });
            double sum = 0;
            for (Index i = 0; i < n; ++i) {
                sum += target[static_cast<std::size_t>(i)] * (weighted ? weight[static_cast<std::size_t>(i)] : 1.0);
            }
            if (!(comm.total(sum) > 0)) throw invalid_input(std::string(Base::name) + ": loss poisson needs sum(y) > 0");
        }
        this->fit_rows(X, target, weight, 1, layout);
        return *this;
    }
};

/// HistGradientBoostingClassifier over the rows of every rank of an MPI communicator, as
/// ensemble::HistGradientBoostingClassifier fitted on all of them: the classes are those of every
/// rank, ClassWeight::balanced counts every rank's rows, the stratified validation split is the
/// single-process split of all rows, and the trees grow as HistGradientBoostingRegressor's here
/// (same model on every rank; predictions equal to the single-process fit's to about 1e-12).
/// Every rank must call fit; a rank may hold no rows, or rows of only some classes.
template <std::floating_point T = double>
class HistGradientBoostingClassifier
    : public detail::boosting<ensemble::HistGradientBoostingClassifier<T>> {
    using Base = ensemble::HistGradientBoostingClassifier<T>;
    using fit_base = detail::boosting<Base>;

public:
    using Params = typename Base::Params;  ///< ensemble::HistGradientBoostingClassifierParams

    /// A classifier fitting over the ranks of `comm` (which must outlive the fits).
    explicit HistGradientBoostingClassifier(MPI_Comm comm, Params params = {}) : fit_base(comm, std::move(params)) {}

    /// Fits on every rank's samples and labels (this rank passes its own).
    template <matrix_of<T> M, label_vector L>
    HistGradientBoostingClassifier& fit(const M& X, const L& y) {
        return fit(X, y, Vector<T>());
    }
    /// As fit(X, y), each row weighted (non-negative; not all zero over all ranks).
    template <matrix_of<T> M, label_vector L, vector_of<T> W>
    HistGradientBoostingClassifier& fit(const M& X, const L& y, const W& sample_weight) {
        const auto [sw, layout] = this->start(X, y, sample_weight);
        const detail::communicator& comm = this->comm_;
        const Params& p = this->params();
        const Index n = X.rows();
        const Labels labels(y);
        const Labels classes = detail::all_classes(comm, labels, Base::name);
        const Eigen::VectorXi codes = n > 0 ? kestrel::detail::encode_labels(labels, classes) : Eigen::VectorXi();
        // The class weights from every rank's codes, as one process computes them.
        const std::vector<int> all_codes = comm.gather(std::vector<int>(codes.data(), codes.data() + codes.size()));
        Eigen::VectorXd class_weights;
        comm.agree([&] {
            class_weights = p.class_weight.weights(
                classes, Eigen::Map<const Eigen::VectorXi>(all_codes.data(), static_cast<Index>(all_codes.size())),
                Base::name);
        });
        const bool weighted = comm.max(sw.uniform() ? 0 : 1) == 1 || !p.class_weight.is_none();
        std::vector<double> target(static_cast<std::size_t>(n)), weight;
        double total = 0;
        for (Index i = 0; i < n; ++i) {
            target[static_cast<std::size_t>(i)] = codes[i];
            if (weighted) {
                weight.push_back(static_cast<double>(sw[i]) * class_weights[codes[i]]);
                total += weight.back();
            }
        }
        if (weighted && !(comm.total(total) > 0)) {
            throw invalid_input(std::string(Base::name) +
                                ": every sample of every rank weighs 0 once class_weight is applied");
        }
        kestrel::detail::distributed_access<Base>::set_classes(*this, classes);
        this->fit_rows(X, target, weight, classes.size() == 2 ? 1 : classes.size(), layout);
        return *this;
    }
};

}  // namespace distributed
}  // namespace kestrel
