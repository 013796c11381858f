#pragma once
/// \file
/// SVC: C-support vector classification with a kernel, libsvm's solver, one-vs-one over pairs of
/// classes.

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/detail/estimator_base.hpp"
#include "../core/detail/parallel.hpp"
#include "../core/detail/validation.hpp"
#include "../core/error.hpp"
#include "../core/params.hpp"
#include "../core/random.hpp"
#include "../core/types.hpp"
#include "../core/weights.hpp"
#include "detail/kernel_cache.hpp"
#include "detail/smo.hpp"
#include "kernels.hpp"

namespace kestrel::svm {

/// scikit-learn's `decision_function_shape`.
enum class DecisionFunctionShape {
    ovr,  ///< (n, K): the pairwise votes plus a confidence in (−⅓, ⅓), as scikit-learn
    ovo,  ///< (n, K(K−1)/2): libsvm's decision value of each pair
};
/// scikit-learn's spellings of DecisionFunctionShape's values.
constexpr enum_table<DecisionFunctionShape, 2> enum_names(DecisionFunctionShape) {
    return {{{DecisionFunctionShape::ovr, "ovr"}, {DecisionFunctionShape::ovo, "ovo"}}};
}

/// SVC's hyperparameters, in scikit-learn's order; kestrel adds n_jobs.
struct SVCParams {
    static constexpr std::string_view name = "SVC";
    double C = 1.0;                                ///< penalty of the hinge loss, > 0
    Kernel kernel = Kernel::rbf;                   ///< linear, poly, rbf or sigmoid (precomputed: not yet)
    int degree = 3;                                ///< poly's degree, ≥ 0
    Gamma gamma = Gamma::scale;                    ///< scale, auto_ or a number > 0 (poly, rbf, sigmoid)
    double coef0 = 0.0;                            ///< poly's and sigmoid's constant term
    bool shrinking = true;                         ///< libsvm's shrinking heuristic
    bool probability = false;                      ///< Platt scaling: not supported yet, must be false
    double tol = 1e-3;                             ///< stop when the maximal violating pair's gap ≤ tol
    double cache_size = 200;                       ///< megabytes of cached kernel rows, > 0
    ClassWeight class_weight = ClassWeight::none;  ///< multiplies C per class
    int max_iter = -1;                             ///< iterations per pair; −1: libsvm's cap
    DecisionFunctionShape decision_function_shape = DecisionFunctionShape::ovr;
    bool break_ties = false;                            ///< predict by decision_function's argmax (ovr)
    std::uint64_t random_state = default_random_state;  ///< for Platt scaling's folds (unused yet)
    int n_jobs = 0;                                     ///< threads for kernel rows; 0 = all cores
    friend bool operator==(const SVCParams&, const SVCParams&) = default;
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static void fields(Self& p, F&& field) {
        field("C", p.C);
        field("kernel", p.kernel);
        field("degree", p.degree);
        Gamma::field("gamma", p.gamma, field);
        field("coef0", p.coef0);
        field("shrinking", p.shrinking);
        field("probability", p.probability);
        field("tol", p.tol);
        field("cache_size", p.cache_size);
        field("class_weight", p.class_weight);
        field("max_iter", p.max_iter);
        field("decision_function_shape", p.decision_function_shape);
        field("break_ties", p.break_ties);
        field("random_state", p.random_state);
        field("n_jobs", p.n_jobs);
    }
    constexpr void validate() const {
        require_param(C > 0, name, "C", C, "must be > 0");
        require_param(kernel != Kernel::precomputed, name, "kernel", "precomputed", "is not supported yet");
        require_param(degree >= 0, name, "degree", degree, "must be >= 0");
        require_param(!gamma.is_number() || gamma.value() > 0, name, "gamma", gamma.value(),
                      "must be > 0, Gamma::scale or Gamma::auto_");
        require_param(!probability, name, "probability", probability,
                      "must be false: Platt scaling (probability estimates) is not supported yet");
        require_param(tol > 0, name, "tol", tol, "must be > 0");
        require_param(cache_size > 0, name, "cache_size", cache_size, "must be > 0");
        require_param(max_iter >= -1, name, "max_iter", max_iter, "must be -1 (no limit) or >= 0");
        require_param(!(break_ties && decision_function_shape == DecisionFunctionShape::ovo), name, "break_ties",
                      break_ties, "must be false when decision_function_shape is ovo");
        require_param(n_jobs >= 0, name, "n_jobs", n_jobs, "must be >= 0");
    }
};

/// C-support vector classification, as scikit-learn 1.2's `SVC` (libsvm's C-SVC): for each pair
/// of classes i < j (in the order of classes()), the dual
/// min ½αᵀQα − Σα, 0 ≤ αₜ ≤ C·class_weight·sample_weight, yᵀα = 0 is solved by libsvm's SMO
/// (detail/smo.hpp) to the same stopping rule, so support(), dual_coef() and intercept() are
/// libsvm's. Kernel rows come from X through an LRU cache of `cache_size` MB; the kernel matrix is
/// never formed. predict takes the pairwise vote (ties to the first class), or with break_ties
/// the argmax of the ovr decision_function.
///
/// Throws invalid_parameter for C ≤ 0, γ ≤ 0, tol ≤ 0, cache_size ≤ 0, degree < 0,
/// probability = true or Kernel::precomputed (not supported yet), break_ties with ovo;
/// invalid_input for one class only, NaN/inf, mismatched lengths, a class whose samples all weigh
/// 0, a wrong feature count at predict, coef() with a non-linear kernel.
template <std::floating_point T = double>
class SVC : public estimator_base<SVC<T>, T, SVCParams>, public classifier_mixin<SVC<T>, T> {
    using base = estimator_base<SVC<T>, T, SVCParams>;

public:
    static constexpr std::string_view name = SVCParams::name;
    using base::base;
    using base::fit;

    /// Fits on samples X and integer labels y (at least two distinct), with per-sample weights
    /// that multiply C (samples of weight 0 are left out, as scikit-learn does).
    template <matrix_of<T> M, label_vector L, vector_of<T> W>
    SVC& fit(const M& X, const L& y, const W& sample_weight) {
        const SVCParams& params = this->params_;
        this->n_features_in_ = 0;
        const sample_weights<T> sw = this->validate_data(X, y, sample_weight);
        classes_ = kestrel::detail::unique_labels(y, name);
        const Eigen::VectorXi codes = kestrel::detail::encode_labels(y, classes_);
        const Eigen::VectorXd class_weight = params.class_weight.weights(classes_, codes, name);
        const Index K = classes_.size(), n_pairs = K * (K - 1) / 2;

        // Each class's samples of positive weight, in row order (libsvm groups them so).
        std::vector<std::vector<Index>> members(static_cast<std::size_t>(K));
        for (Index i = 0; i < X.rows(); ++i) {
            if (sw[i] > T(0)) members[static_cast<std::size_t>(codes[i])].push_back(i);
        }
        for (Index k = 0; k < K; ++k) {
            if (members[static_cast<std::size_t>(k)].empty()) {
                throw invalid_input(std::string(name) + ": every sample of class " + std::to_string(classes_[k]) +
                                    " has weight 0; each class needs a sample of positive weight");
            }
        }

        const Matrix<T> Xd = X;
        kernel_ = {params.kernel, params.degree, params.gamma.resolve(Xd), params.coef0};
        const int threads = kestrel::detail::resolve_n_jobs(params.n_jobs);

        // The solution of every pair, by position in the class's member list.
        std::vector<Eigen::VectorXd> alpha(static_cast<std::size_t>(n_pairs));
        Eigen::VectorXd rho(n_pairs);
        n_iter_.resize(n_pairs);
        fit_status_ = 0;
        std::vector<std::vector<char>> nonzero(static_cast<std::size_t>(K));
        for (Index k = 0; k < K; ++k) nonzero[static_cast<std::size_t>(k)].assign(members[k].size(), 0);
        Index pair = 0;
        for (Index a = 0; a < K; ++a) {
            for (Index b = a + 1; b < K; ++b, ++pair) {
                const auto& ma = members[static_cast<std::size_t>(a)];
                const auto& mb = members[static_cast<std::size_t>(b)];
                const Index na = static_cast<Index>(ma.size()), l = na + static_cast<Index>(mb.size());
                Matrix<T> rows(l, Xd.cols());
                svm::detail::smo_problem problem{Eigen::VectorXd::Constant(l, -1.0), Eigen::VectorXi(l),
                                                 Eigen::VectorXd(l), std::vector<Index>(static_cast<std::size_t>(l))};
                for (Index t = 0; t < l; ++t) {
                    const bool first = t < na;
                    const Index i = first ? ma[static_cast<std::size_t>(t)] : mb[static_cast<std::size_t>(t - na)];
                    rows.row(t) = Xd.row(i);
                    problem.y[t] = first ? 1 : -1;
                    problem.C[t] = params.C * class_weight[first ? a : b] * static_cast<double>(sw[i]);
                    problem.row[static_cast<std::size_t>(t)] = t;
                }
                svm::detail::kernel_cache<T> cache(rows, kernel_, params.cache_size, threads);
                svm::detail::smo_result result =
                    svm::detail::solve_smo(cache, problem, params.tol, params.shrinking, params.max_iter);
                for (Index t = 0; t < l; ++t) {
                    if (result.alpha[t] > 0) {
                        if (t < na) {
                            nonzero[static_cast<std::size_t>(a)][static_cast<std::size_t>(t)] = 1;
                        } else {
                            nonzero[static_cast<std::size_t>(b)][static_cast<std::size_t>(t - na)] = 1;
                        }
                    }
                }
                if (result.reached_max_iter) fit_status_ = 1;
                n_iter_[pair] = static_cast<int>(std::min<std::int64_t>(result.n_iter, 2147483647));
                rho[pair] = result.rho;
                alpha[static_cast<std::size_t>(pair)] = std::move(result.alpha);
            }
        }

        // The support vectors, grouped by class, and where each class's start.
        n_support_.resize(K);
        std::vector<Index> sv_support;
        Eigen::VectorXi sv_start(K + 1);
        sv_start[0] = 0;
        for (Index k = 0; k < K; ++k) {
            for (std::size_t t = 0; t < members[k].size(); ++t) {
                if (nonzero[static_cast<std::size_t>(k)][t]) sv_support.push_back(members[k][t]);
            }
            sv_start[k + 1] = static_cast<int>(sv_support.size());
            n_support_[k] = sv_start[k + 1] - sv_start[k];
        }
        const Index n_sv = static_cast<Index>(sv_support.size());
        support_.resize(n_sv);
        support_vectors_.resize(n_sv, Xd.cols());
        for (Index s = 0; s < n_sv; ++s) {
            support_[s] = static_cast<int>(sv_support[static_cast<std::size_t>(s)]);
            support_vectors_.row(s) = Xd.row(sv_support[static_cast<std::size_t>(s)]);
        }

        // libsvm's sv_coef layout: in pair (a, b), the coefficients yₜαₜ of class a's support
        // vectors sit in row b − 1, class b's in row a.
        Matrix<double> dual = Matrix<double>::Zero(K - 1, n_sv);
        pair = 0;
        for (Index a = 0; a < K; ++a) {
            for (Index b = a + 1; b < K; ++b, ++pair) {
                const Eigen::VectorXd& al = alpha[static_cast<std::size_t>(pair)];
                const Index na = static_cast<Index>(members[a].size());
                Index q = sv_start[a];
                for (Index t = 0; t < na; ++t) {
                    if (nonzero[static_cast<std::size_t>(a)][static_cast<std::size_t>(t)]) dual(b - 1, q++) = al[t];
                }
                q = sv_start[b];
                for (Index t = 0; t < static_cast<Index>(members[b].size()); ++t) {
                    if (nonzero[static_cast<std::size_t>(b)][static_cast<std::size_t>(t)]) dual(a, q++) = -al[na + t];
                }
            }
        }
        // scikit-learn's signs: intercept −rho; for two classes both flipped, so that positive
        // decision values mean classes()[1].
        if (K == 2) {
            dual_coef_ = (-dual).cast<T>();
            intercept_ = rho.cast<T>();
        } else {
            dual_coef_ = dual.cast<T>();
            intercept_ = (-rho).cast<T>();
        }
        this->n_features_in_ = Xd.cols();
        update_coef();
        return *this;
    }

    /// Decision values: for two classes one per sample (positive: classes()[1]); otherwise
    /// (n, K) with DecisionFunctionShape::ovr or (n, K(K−1)/2) with ovo, pairs ordered (0, 1),
    /// (0, 2), ..., (1, 2), ..., positive for the first class of the pair.
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> decision_function(const M& X) const {
        const Matrix<T> pairs = pair_values(X);
        if (classes_.size() == 2 || this->params_.decision_function_shape == DecisionFunctionShape::ovo) return pairs;
        return ovr_decision(pairs);
    }

    /// The predicted label of each row of X.
    template <matrix_of<T> M>
    [[nodiscard]] Labels predict(const M& X) const {
        const Matrix<T> pairs = pair_values(X);
        const Index K = classes_.size(), n = pairs.rows();
        Labels out(n);
        if (K == 2) {
            // libsvm votes for the first class when its own decision value −f is > 0.
            for (Index i = 0; i < n; ++i) out[i] = classes_[-pairs(i, 0) > T(0) ? 0 : 1];
            return out;
        }
        if (this->params_.break_ties) {
            const Matrix<T> scores = ovr_decision(pairs);
            for (Index i = 0; i < n; ++i) {
                Index best = 0;
                scores.row(i).maxCoeff(&best);
                out[i] = classes_[best];
            }
            return out;
        }
        Eigen::VectorXi votes(K);
        for (Index i = 0; i < n; ++i) {
            votes.setZero();
            Index p = 0;
            for (Index a = 0; a < K; ++a) {
                for (Index b = a + 1; b < K; ++b, ++p) ++votes[pairs(i, p) > T(0) ? a : b];
            }
            Index best = 0;
            for (Index k = 1; k < K; ++k) {
                if (votes[k] > votes[best]) best = k;
            }
            out[i] = classes_[best];
        }
        return out;
    }

    /// Indices (into the training rows) of the support vectors, grouped by class.
    [[nodiscard]] const Labels& support() const { return this->fitted(support_); }
    /// The support vectors, one a row, in the order of support().
    [[nodiscard]] const Matrix<T>& support_vectors() const { return this->fitted(support_vectors_); }
    /// The number of support vectors of each class.
    [[nodiscard]] const Eigen::VectorXi& n_support() const { return this->fitted(n_support_); }
    /// yₜαₜ of the support vectors in libsvm's one-vs-one layout: K − 1 rows (signs flipped for
    /// two classes, as scikit-learn).
    [[nodiscard]] const Matrix<T>& dual_coef() const { return this->fitted(dual_coef_); }
    /// The constant of each pair's decision function.
    [[nodiscard]] const Vector<T>& intercept() const { return this->fitted(intercept_); }
    /// The distinct training labels, sorted.
    [[nodiscard]] const Labels& classes() const { return this->fitted(classes_); }
    /// Solver iterations of each pair.
    [[nodiscard]] const Eigen::VectorXi& n_iter() const { return this->fitted(n_iter_); }
    /// 0 when every pair met tol, 1 when a pair stopped at max_iter.
    [[nodiscard]] int fit_status() const { return this->fitted(fit_status_); }
    /// The primal weights of each pair (one row for two classes), Kernel::linear only. Throws
    /// invalid_input for another kernel.
    [[nodiscard]] const Matrix<T>& coef() const {
        this->fitted(coef_);
        if (this->params_.kernel != Kernel::linear) {
            throw invalid_input(std::string(name) + ": coef() is only available when using a linear kernel");
        }
        return coef_;
    }

private:
    friend struct kestrel::detail::persistence_access;

    template <class Archive>
    void persist(Archive& a) {
        a.labels("classes_", classes_);
        const Index K = classes_.size(), n_pairs = K * (K - 1) / 2;
        a.require(K >= 2, "classes_ must hold at least two classes");
        a.labels("_n_support", n_support_, K, false);
        a.require((n_support_.array() >= 1).all(), "_n_support holds a class without support vectors");
        // Summed in Index: the counts are int32 each, their sum need not be.
        const Index n_sv = n_support_.template cast<Index>().sum();
        a.labels("support_", support_, n_sv, false);
        a.require((support_.array() >= 0).all(), "support_ holds a negative index");
        a.matrix("support_vectors_", support_vectors_, n_sv, a.n_features());
        a.matrix("dual_coef_", dual_coef_, K - 1, n_sv);
        a.vector("intercept_", intercept_, n_pairs);
        a.labels("n_iter_", n_iter_, n_pairs, false);
        a.require((n_iter_.array() >= 0).all(), "n_iter_ holds a negative count");
        a.value("fit_status_", fit_status_);
        a.require(fit_status_ == 0 || fit_status_ == 1, "fit_status_ must be 0 or 1");
        a.value("_gamma", kernel_.gamma);
        a.require(kernel_.gamma > 0, "_gamma must be > 0");
        const SVCParams& p = this->params_;
        kernel_.kernel = p.kernel;
        kernel_.degree = p.degree;
        kernel_.coef0 = p.coef0;
        if constexpr (Archive::loading) update_coef();
    }

    // The linear kernel's primal weights, as scikit-learn's coef_: Σ over the pair's support
    // vectors of their coefficient times the vector.
    void update_coef() {
        if (kernel_.kernel != Kernel::linear) {
            coef_.resize(0, 0);
            return;
        }
        const Index K = classes_.size();
        if (K == 2) {
            coef_ = dual_coef_ * support_vectors_;
            return;
        }
        coef_.resize(K * (K - 1) / 2, support_vectors_.cols());
        const Eigen::VectorXi start = sv_start();
        Index p = 0;
        for (Index a = 0; a < K; ++a) {
            for (Index b = a + 1; b < K; ++b, ++p) {
                coef_.row(p) = dual_coef_.row(b - 1).segment(start[a], n_support_[a]) *
                                   support_vectors_.middleRows(start[a], n_support_[a]) +
                               dual_coef_.row(a).segment(start[b], n_support_[b]) *
                                   support_vectors_.middleRows(start[b], n_support_[b]);
            }
        }
    }

    Eigen::VectorXi sv_start() const {
        Eigen::VectorXi start(n_support_.size() + 1);
        start[0] = 0;
        for (Index k = 0; k < n_support_.size(); ++k) start[k + 1] = start[k] + n_support_[k];
        return start;
    }

    // scikit-learn's sign of each pair's decision value (for two classes the one column,
    // positive for classes()[1]; otherwise positive for the pair's first class), in blocks of
    // rows so that the kernel values take bounded memory.
    template <class M>
    Matrix<T> pair_values(const M& X) const {
        this->validate_predict(X);
        const Index K = classes_.size(), n = X.rows(), n_pairs = K * (K - 1) / 2;
        Matrix<T> out(n, n_pairs);
        const Vector<T> sv_norms = support_vectors_.rowwise().squaredNorm();
        const Eigen::VectorXi start = sv_start();
        constexpr Index block = 256;
        for (Index first = 0; first < n; first += block) {
            const Index rows = std::min(block, n - first);
            const Matrix<T> Xb = X.middleRows(first, rows);
            const Vector<T> norms = Xb.rowwise().squaredNorm();
            const Matrix<T> kv = svm::detail::kernel_block(kernel_, Xb, support_vectors_, norms, sv_norms);
            if (K == 2) {
                out.middleRows(first, rows) = kv * dual_coef_.row(0).transpose();
                out.middleRows(first, rows).array() += intercept_[0];
                continue;
            }
            Index p = 0;
            for (Index a = 0; a < K; ++a) {
                for (Index b = a + 1; b < K; ++b, ++p) {
                    out.col(p).segment(first, rows) =
                        kv.middleCols(start[a], n_support_[a]) *
                            dual_coef_.row(b - 1).segment(start[a], n_support_[a]).transpose() +
                        kv.middleCols(start[b], n_support_[b]) *
                            dual_coef_.row(a).segment(start[b], n_support_[b]).transpose();
                    out.col(p).segment(first, rows).array() += intercept_[p];
                }
            }
        }
        return out;
    }

    // scikit-learn's _ovr_decision_function: each class's votes plus its summed confidences
    // squashed into (−⅓, ⅓), so ties in votes are broken by confidence but never outweigh a vote.
    Matrix<T> ovr_decision(const Matrix<T>& pairs) const {
        const Index K = classes_.size(), n = pairs.rows();
        Matrix<T> votes = Matrix<T>::Zero(n, K), confidence = Matrix<T>::Zero(n, K);
        Index p = 0;
        for (Index a = 0; a < K; ++a) {
            for (Index b = a + 1; b < K; ++b, ++p) {
                for (Index i = 0; i < n; ++i) {
                    const T value = pairs(i, p);
                    confidence(i, a) += value;
                    confidence(i, b) -= value;
                    votes(i, value < T(0) ? b : a) += T(1);
                }
            }
        }
        return votes + (confidence.array() / (T(3) * (confidence.array().abs() + T(1)))).matrix();
    }

    svm::detail::kernel_function kernel_;
    Labels classes_;
    Labels support_;
    Matrix<T> support_vectors_;
    Eigen::VectorXi n_support_;
    Matrix<T> dual_coef_;
    Vector<T> intercept_;
    Matrix<T> coef_;
    Eigen::VectorXi n_iter_;
    int fit_status_ = 0;
};

}  // namespace kestrel::svm
