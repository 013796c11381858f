#pragma once
/// \file
/// distributed::RandomForestClassifier, RandomForestRegressor, ExtraTreesClassifier and
/// ExtraTreesRegressor: the trees divided among the ranks, each grown over the rows of the rank
/// that grows it, then every tree sent to every rank.
///
/// Tree t of n_estimators is grown by one rank: the ranks holding rows take the trees in
/// contiguous blocks, in rank order (a rank without rows grows none). It draws from the seed the
/// single-process forest gives tree t (ensemble::detail::tree_seed): its bootstrap sample of that
/// rank's rows, its features' order and its thresholds. So tree t is tree t of the single-process
/// forest fitted on the rows of the rank that grew it, and on one rank the distributed forest is
/// the single-process forest, bit for bit. The classes are those of all ranks. Each tree's flat
/// node arrays are then gathered, so that every rank holds every tree, the same bits on each.

#include <algorithm>
#include <concepts>
#include <cstdint>
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
#include "../core/types.hpp"
#include "../core/weights.hpp"
#include "../ensemble/extra_trees_classifier.hpp"
#include "../ensemble/extra_trees_regressor.hpp"
#include "../ensemble/random_forest_classifier.hpp"
#include "../ensemble/random_forest_regressor.hpp"
#include "../metrics/regression.hpp"
#include "../tree/structure.hpp"
#include "communicator.hpp"
#include "detail/shard.hpp"

namespace kestrel::distributed {
namespace detail {

/// Appends tree `t`'s flat node arrays to `out`: node_count, max_depth and the value width, then
/// every array of tree::Tree (integers are exact in double).
inline void pack_tree(const tree::Tree& t, std::vector<double>& out) {
    out.push_back(static_cast<double>(t.node_count));
    out.push_back(static_cast<double>(t.max_depth));
    out.push_back(static_cast<double>(t.value.cols()));
    const auto ints = [&](const Eigen::VectorXi& v) {
        for (Index i = 0; i < v.size(); ++i) out.push_back(static_cast<double>(v[i]));
    };
    const auto reals = [&](const double* v, Index n) { out.insert(out.end(), v, v + n); };
    ints(t.children_left);
    ints(t.children_right);
    ints(t.feature);
    ints(t.n_node_samples);
    ints(t.missing_go_to_left);
    reals(t.threshold.data(), t.node_count);
    reals(t.impurity.data(), t.node_count);
    reals(t.weighted_n_node_samples.data(), t.node_count);
    reals(t.value.data(), t.value.size());
}

/// The tree pack_tree wrote at `at`; moves `at` past it.
inline tree::Tree unpack_tree(const double*& at) {
    tree::Tree t;
    t.node_count = static_cast<Index>(at[0]);
    t.max_depth = static_cast<Index>(at[1]);
    const auto width = static_cast<Index>(at[2]);
    at += 3;
    const Index n = t.node_count;
    const auto ints = [&](Eigen::VectorXi& v) {
        v.resize(n);
        for (Index i = 0; i < n; ++i) v[i] = static_cast<int>(at[i]);
        at += n;
    };
    const auto reals = [&](double* v, Index count) {
        std::copy(at, at + count, v);
        at += count;
    };
    ints(t.children_left);
    ints(t.children_right);
    ints(t.feature);
    ints(t.n_node_samples);
    ints(t.missing_go_to_left);
    t.threshold.resize(n);
    reals(t.threshold.data(), n);
    t.impurity.resize(n);
    reals(t.impurity.data(), n);
    t.weighted_n_node_samples.resize(n);
    reals(t.weighted_n_node_samples.data(), n);
    t.value.resize(n, width);
    reals(t.value.data(), n * width);
    return t;
}

/// The trees [first, end) of n_estimators that this rank grows: the ranks holding rows take
/// contiguous blocks, in rank order; a rank without rows takes none.
struct tree_block {
    Index first = 0;  ///< the first tree this rank grows
    Index end = 0;    ///< one past the last
    /// The number of trees this rank grows.
    [[nodiscard]] Index count() const noexcept { return end - first; }
};

/// This rank's block of `n_estimators` trees, given every rank's row count.
inline tree_block block_of(const communicator& comm, Index n_rows, Index n_estimators) {
    const std::vector<std::int64_t> rows = comm.gather(static_cast<std::int64_t>(n_rows));
    Index holders = 0, before = 0;
    for (int r = 0; r < comm.size(); ++r) {
        if (rows[static_cast<std::size_t>(r)] == 0) continue;
        if (r < comm.rank()) ++before;
        ++holders;
    }
    if (n_rows == 0) return {};
    return {n_estimators * before / holders, n_estimators * (before + 1) / holders};
}

/// The fit shared by the four distributed forests, which derive from this: this derives from
/// `Base` (the single-process forest), whose fitted state the fit sets.
template <class Base>
class forest : public Base {
public:
    using Params = typename Base::Params;  ///< the single-process forest's Params

    /// A forest fitting over the ranks of `comm` (which must outlive the fits).
    forest(MPI_Comm comm, Params params) : Base(std::move(params)), comm_(comm) {}

    /// The communicator the fits run over.
    [[nodiscard]] MPI_Comm comm() const noexcept { return comm_.get(); }

protected:
    using scalar = typename Base::scalar_type;  ///< the floating-point type of the data

    /// The classifiers' fit: every rank's rows X, labels y and weights (empty: all 1).
    template <class M, class W>
    void fit_classes(const M& X, const Labels& labels, const W& sample_weight) {
        const sample_weights<scalar> sw = start(X, labels, sample_weight);
        const Params& p = this->params();
        const Index n = X.rows();
        const Labels classes = all_classes(comm_, labels, Base::name);
        const Index K = classes.size();
        const Eigen::VectorXi codes = n > 0 ? kestrel::detail::encode_labels(labels, classes) : Eigen::VectorXi();
        // ClassWeight::balanced counts every rank's rows of each class.
        Eigen::VectorXd per_class = Eigen::VectorXd::Ones(K);
        if (p.class_weight.is_balanced()) {
            std::vector<std::int64_t> counts(static_cast<std::size_t>(K + 1), 0);
            for (Index i = 0; i < n; ++i) ++counts[static_cast<std::size_t>(codes[i])];
            counts.back() = n;
            comm_.sum(counts.data(), K + 1);
            for (Index k = 0; k < K; ++k) {
                per_class[k] = static_cast<double>(counts.back()) /
                               (static_cast<double>(K) * static_cast<double>(counts[static_cast<std::size_t>(k)]));
            }
        }
        const tree_block block = block_of(comm_, n, p.n_estimators);
        tree::detail::fit_target target;
        std::vector<typename Base::tree_type> grown;
        this->classes_ = classes;
        comm_.agree([&] {
            if (!p.class_weight.is_balanced()) per_class = p.class_weight.weights(classes, codes, Base::name);
            if (n == 0) return;
            // As tree::detail::classification_target, over every rank's classes.
            target.target.n_classes = K;
            target.target.codes.assign(codes.data(), codes.data() + codes.size());
            target.weight.resize(static_cast<std::size_t>(n));
            for (Index i = 0; i < n; ++i) {
                target.weight[static_cast<std::size_t>(i)] = static_cast<double>(sw[i]) * per_class[codes[i]];
            }
            target.weighted = !sw.uniform() || !p.class_weight.is_none();
            if (block.count() > 0) tree::detail::check_total_weight(target.weight, Base::name);
            grown = this->grow_range(X, target, block.first, block.count());
        });
        install(grown, X.cols());
        if (p.oob_score) {
            this->oob_decision_function_ =
                n > 0 ? this->oob_average(X, target.target, block.first, block.end) : Matrix<double>(0, K);
            std::int64_t correct = 0;
            for (Index i = 0; i < n; ++i) {
                Index best = 0;
                this->oob_decision_function_.row(i).maxCoeff(&best);
                if (classes[best] == labels[i]) ++correct;
            }
            const std::int64_t total = comm_.total(static_cast<std::int64_t>(n));
            this->oob_score_ = static_cast<double>(comm_.total(correct)) / static_cast<double>(total);
        }
    }

    /// The regressors' fit: every rank's rows X, targets y and weights (empty: all 1).
    template <class M, class V, class W>
    void fit_values(const M& X, const V& y, const W& sample_weight) {
        const sample_weights<scalar> sw = start(X, y, sample_weight);
        const Params& p = this->params();
        const Index n = X.rows();
        const tree_block block = block_of(comm_, n, p.n_estimators);
        tree::detail::fit_target target;
        std::vector<typename Base::tree_type> grown;
        comm_.agree([&] {
            if (n == 0) return;
            target = tree::detail::regression_target(y, p.criterion, sw, Base::name);
            grown = this->grow_range(X, target, block.first, block.count());
        });
        install(grown, X.cols());
        if (p.oob_score) {
            this->oob_prediction_ =
                n > 0 ? Eigen::VectorXd(this->oob_average(X, target.target, block.first, block.end).col(0))
                      : Eigen::VectorXd();
            oob_r2(target.target.y);
        }
    }

private:
    /// The checks every rank makes before any tree grows: the Params (warm_start refused), the
    /// same feature count on every rank, finite values where NaN is refused, y's length, and this
    /// rank's X, y and weights as the single-process fit checks them. Returns this rank's weights.
    template <class M, class Y, class W>
    sample_weights<scalar> start(const M& X, const Y& y, const W& sample_weight) {
        const Params& p = this->params();
        comm_.agree([&] {
            p.validate();
            require_param(tree::is_classification(p.criterion) == Base::is_classifier, Base::name, "criterion",
                          enum_name(p.criterion),
                          Base::is_classifier ? "must be gini, entropy or log_loss"
                                              : "must be squared_error, friedman_mse, absolute_error or poisson");
            require_param(!p.warm_start, Base::name, "warm_start", p.warm_start,
                          "must be false in a distributed fit (its trees are divided among the ranks by "
                          "n_estimators, so added trees would not follow the first ones)");
        });
        const bool nan_ok = Base::allow_nan && p.max_bins == 0 && p.criterion != tree::Criterion::absolute_error;
        check_shard(comm_, X, Base::name, /*values=*/!nan_ok);
        check_rows_of(comm_, X.rows(), y.size(), Base::name, "y");
        sample_weights<scalar> sw;
        comm_.agree([&] {
            if (X.rows() == 0) {
                kestrel::detail::check_same_length(0, sample_weight.size(), Base::name, "sample_weight");
                return;
            }
            sw = tree::detail::check_fit<scalar>(p, Base::is_classifier, Base::name, X, y, sample_weight, nan_ok,
                                                 Base::allow_nan
                                                     ? tree::detail::missing_values_rule
                                                     : std::string_view("by RandomForest, not by ExtraTrees"));
        });
        return sw;
    }

    /// Sends every rank's grown trees to every rank and installs them all, in order.
    void install(const std::vector<typename Base::tree_type>& grown, Index d) {
        std::vector<double> packed;
        for (const auto& e : grown) pack_tree(e.tree(), packed);
        const std::vector<double> all = comm_.gather(packed);
        std::vector<tree::Tree> trees;
        trees.reserve(static_cast<std::size_t>(this->params().n_estimators));
        const double* at = all.data();
        while (at != all.data() + all.size()) trees.push_back(unpack_tree(at));
        this->adopt_trees(std::move(trees), d);
    }

    /// The out-of-bag R² over every rank's rows: as metrics::r2_score when one rank holds every
    /// row, otherwise from the reduced sums of y, of the squared residuals and of the squared
    /// deviations from the mean.
    void oob_r2(const std::vector<double>& y) {
        const Index n = static_cast<Index>(y.size());
        const Eigen::Map<const Eigen::VectorXd> truth(y.data(), n);
        const std::vector<std::int64_t> rows = comm_.gather(static_cast<std::int64_t>(n));
        int holders = 0, holder = 0;
        std::int64_t total = 0;
        for (int r = 0; r < comm_.size(); ++r) {
            total += rows[static_cast<std::size_t>(r)];
            if (rows[static_cast<std::size_t>(r)] > 0) ++holders, holder = r;
        }
        if (holders == 1) {
            double score = 0;
            comm_.agree([&] {
                if (n > 0) score = static_cast<double>(metrics::r2_score(truth, this->oob_prediction_));
            });
            comm_.broadcast(&score, 1, holder);
            this->oob_score_ = score;
            return;
        }
        const double mean = comm_.total(truth.sum()) / static_cast<double>(total);
        Eigen::VectorXd sums(2);
        sums[0] = (truth - this->oob_prediction_).squaredNorm();
        sums[1] = (truth.array() - mean).square().sum();
        comm_.sum(sums);
        this->oob_score_ = sums[1] == 0 ? (sums[0] == 0 ? 1.0 : 0.0) : 1 - sums[0] / sums[1];
    }

    communicator comm_;
};

}  // namespace detail

/// RandomForestClassifier over the rows of every rank of an MPI communicator: its n_estimators
/// trees divided among the ranks holding rows, in contiguous blocks, each tree grown over its
/// rank's rows with the seed the single-process forest gives it, then every tree sent to every
/// rank. Tree t equals tree t of ensemble::RandomForestClassifier fitted on the rows of the rank
/// that grew it (over the classes of all ranks: a class a rank lacks counts zero in its trees); on
/// one rank the forest is the single-process forest, bit for bit. Every rank holds the same trees,
/// so predictions of the same rows are the same bits on every rank. ClassWeight::balanced counts
/// every rank's rows. With oob_score, oob_decision_function() holds this rank's rows, from the
/// trees this rank grew (their out-of-bag rows are this rank's), and oob_score() the accuracy over
/// all ranks' rows. warm_start is refused (invalid_parameter). Every rank must call fit with the
/// same Params; a rank may hold no rows (it grows no trees) or only some classes. What the
/// single-process forest requires of its rows, each rank that grows trees requires of its own
/// (max_samples as a count at most its rows, a weight total above zero). Bad input on any rank is
/// thrown on every rank, the same exception; no progress callback is called.
template <std::floating_point T = double>
class RandomForestClassifier : public detail::forest<ensemble::RandomForestClassifier<T>> {
    using Base = detail::forest<ensemble::RandomForestClassifier<T>>;

public:
    using Params = typename Base::Params;  ///< ensemble::RandomForestClassifierParams

    /// A classifier fitting over the ranks of `comm` (which must outlive the fits).
    explicit RandomForestClassifier(MPI_Comm comm, Params params = {}) : Base(comm, std::move(params)) {}

    /// Fits on every rank's samples and labels (this rank passes its own); every rank must call it.
    template <matrix_of<T> M, label_vector L>
    RandomForestClassifier& fit(const M& X, const L& y) {
        return fit(X, y, Vector<T>());
    }
    /// As fit(X, y), each row weighted (finite, non-negative; the rows of a rank that grows trees
    /// must not all weigh 0).
    template <matrix_of<T> M, label_vector L, vector_of<T> W>
    RandomForestClassifier& fit(const M& X, const L& y, const W& sample_weight) {
        this->fit_classes(X, Labels(y), sample_weight);
        return *this;
    }
};

/// RandomForestRegressor over the rows of every rank of an MPI communicator, its trees divided
/// among the ranks as distributed::RandomForestClassifier's: tree t equals tree t of
/// ensemble::RandomForestRegressor fitted on the rows of the rank that grew it, and every rank
/// holds every tree. With oob_score, oob_prediction() holds this rank's rows (from the trees this
/// rank grew) and oob_score() the R² over all ranks' rows. warm_start is refused.
template <std::floating_point T = double>
class RandomForestRegressor : public detail::forest<ensemble::RandomForestRegressor<T>> {
    using Base = detail::forest<ensemble::RandomForestRegressor<T>>;

public:
    using Params = typename Base::Params;  ///< ensemble::RandomForestRegressorParams

    /// A regressor fitting over the ranks of `comm` (which must outlive the fits).
    explicit RandomForestRegressor(MPI_Comm comm, Params params = {}) : Base(comm, std::move(params)) {}

    /// Fits on every rank's samples and targets (this rank passes its own); every rank must call it.
    template <matrix_of<T> M, vector_of<T> V>
    RandomForestRegressor& fit(const M& X, const V& y) {
        return fit(X, y, Vector<T>());
    }
    /// As fit(X, y), each row weighted (finite, non-negative).
    template <matrix_of<T> M, vector_of<T> V, vector_of<T> W>
    RandomForestRegressor& fit(const M& X, const V& y, const W& sample_weight) {
        this->fit_values(X, y, sample_weight);
        return *this;
    }
};

/// ExtraTreesClassifier over the rows of every rank of an MPI communicator, its trees divided
/// among the ranks as distributed::RandomForestClassifier's: tree t equals tree t of
/// ensemble::ExtraTreesClassifier fitted on the rows of the rank that grew it (its random
/// thresholds drawn within that rank's rows), and every rank holds every tree. NaN is refused, on
/// every rank. warm_start is refused.
template <std::floating_point T = double>
class ExtraTreesClassifier : public detail::forest<ensemble::ExtraTreesClassifier<T>> {
    using Base = detail::forest<ensemble::ExtraTreesClassifier<T>>;

public:
    using Params = typename Base::Params;  ///< ensemble::ExtraTreesClassifierParams

    /// A classifier fitting over the ranks of `comm` (which must outlive the fits).
    explicit ExtraTreesClassifier(MPI_Comm comm, Params params = {}) : Base(comm, std::move(params)) {}

    /// Fits on every rank's samples and labels (this rank passes its own); every rank must call it.
    template <matrix_of<T> M, label_vector L>
    ExtraTreesClassifier& fit(const M& X, const L& y) {
        return fit(X, y, Vector<T>());
    }
    /// As fit(X, y), each row weighted (finite, non-negative; the rows of a rank that grows trees
    /// must not all weigh 0).
    template <matrix_of<T> M, label_vector L, vector_of<T> W>
    ExtraTreesClassifier& fit(const M& X, const L& y, const W& sample_weight) {
        this->fit_classes(X, Labels(y), sample_weight);
        return *this;
    }
};

/// ExtraTreesRegressor over the rows of every rank of an MPI communicator, its trees divided
/// among the ranks as distributed::RandomForestClassifier's: tree t equals tree t of
/// ensemble::ExtraTreesRegressor fitted on the rows of the rank that grew it, and every rank holds
/// every tree. NaN is refused, on every rank. warm_start is refused.
template <std::floating_point T = double>
class ExtraTreesRegressor : public detail::forest<ensemble::ExtraTreesRegressor<T>> {
    using Base = detail::forest<ensemble::ExtraTreesRegressor<T>>;

public:
    using Params = typename Base::Params;  ///< ensemble::ExtraTreesRegressorParams

    /// A regressor fitting over the ranks of `comm` (which must outlive the fits).
    explicit ExtraTreesRegressor(MPI_Comm comm, Params params = {}) : Base(comm, std::move(params)) {}

    /// Fits on every rank's samples and targets (this rank passes its own); every rank must call it.
    template <matrix_of<T> M, vector_of<T> V>
    ExtraTreesRegressor& fit(const M& X, const V& y) {
        return fit(X, y, Vector<T>());
    }
    /// As fit(X, y), each row weighted (finite, non-negative).
    template <matrix_of<T> M, vector_of<T> V, vector_of<T> W>
    ExtraTreesRegressor& fit(const M& X, const V& y, const W& sample_weight) {
        this->fit_values(X, y, sample_weight);
        return *this;
    }
};

}  // namespace kestrel::distributed
