#pragma once
/// \file
/// What SVC and NuSVC share: one-vs-one training of libsvm's binary duals over pairs of classes,
/// libsvm's model layout (support vectors grouped by class, K − 1 rows of dual coefficients),
/// decision values, votes, and Platt's probabilities with libsvm's internal 5-fold
/// cross-validation and pairwise coupling.

#include <algorithm>
#include <array>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "../../core/concepts.hpp"
#include "../../core/detail/estimator_base.hpp"
#include "../../core/detail/parallel.hpp"
#include "../../core/detail/validation.hpp"
#include "../../core/one_row.hpp"
#include "../../core/error.hpp"
#include "../../core/params.hpp"
#include "../../core/types.hpp"
#include "../../core/weights.hpp"
#include "../kernels.hpp"
#include "kernel_cache.hpp"
#include "platt.hpp"
#include "smo.hpp"
#include "support_rows.hpp"

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

namespace detail {

/// The base of SVC (P has `C`) and NuSVC (P has `nu`); see svc.hpp and nu_svc.hpp.
template <class Derived, std::floating_point T, class P>
class libsvm_classifier : public estimator_base<Derived, T, P>, public classifier_mixin<Derived, T> {
    using base = estimator_base<Derived, T, P>;
    static constexpr bool is_nu = requires(const P& p) { p.nu; };

public:
    using base::base;
    using base::fit;

    /// Fits on samples X (with Kernel::precomputed: the n × n kernel matrix of the training
    /// samples) and integer labels y (at least two distinct), with per-sample weights that
    /// multiply each sample's bound (samples of weight 0 are left out, as scikit-learn does).
    template <matrix_of<T> M, label_vector L, vector_of<T> W>
    Derived& fit(const M& X, const L& y, const W& sample_weight) {
        const P& params = this->params_;
        const std::string_view name = Derived::name;
        this->n_features_in_ = 0;
        const sample_weights<T> sw = this->validate_data(X, y, sample_weight);
        if (params.kernel == Kernel::precomputed && X.rows() != X.cols()) {
            throw invalid_input(std::string(name) +
                                ": with kernel=precomputed, X must be the square kernel matrix of the training "
                                "samples (n_samples x n_samples); got " +
                                std::to_string(X.rows()) + "x" + std::to_string(X.cols()));
        }
        classes_ = kestrel::detail::unique_labels(y, name);
        const Eigen::VectorXi codes = kestrel::detail::encode_labels(y, classes_);
        class_weight_ = params.class_weight.weights(classes_, codes, name);
        const Index K = classes_.size(), n_pairs = K * (K - 1) / 2;

        // Each class's samples of positive weight, in row order (libsvm groups them so).
        std::vector<std::vector<Index>> members(static_cast<std::size_t>(K));
        Eigen::VectorXd class_total = Eigen::VectorXd::Zero(K);
        for (Index i = 0; i < X.rows(); ++i) {
            class_total[codes[i]] += static_cast<double>(sw[i]);
            if (sw[i] > T(0)) members[static_cast<std::size_t>(codes[i])].push_back(i);
        }
        for (Index k = 0; k < K; ++k) {
            if (members[static_cast<std::size_t>(k)].empty()) {
                throw invalid_input(std::string(name) + ": every sample of class " + std::to_string(classes_[k]) +
                                    " has weight 0; each class needs a sample of positive weight");
            }
        }
        if constexpr (is_nu) {
            // libsvm's feasibility of ν for each pair: ν(n_a + n_b)/2 ≤ min(n_a, n_b), n the weight sums.
            for (Index a = 0; a < K; ++a) {
                for (Index b = a + 1; b < K; ++b) {
                    const double na = class_total[a], nb = class_total[b];
                    if (params.nu * (na + nb) / 2 > std::min(na, nb)) {
                        throw invalid_input(std::string(name) + ": specified nu is infeasible: classes " +
                                            std::to_string(classes_[a]) + " and " + std::to_string(classes_[b]) +
                                            " (sample weights summing to " + std::to_string(na) + " and " +
                                            std::to_string(nb) + ") need nu <= 2 * min / sum = " +
                                            std::to_string(2 * std::min(na, nb) / (na + nb)));
                    }
                }
            }
        }

        const Matrix<T> Xd = X;
        kernel_ = {params.kernel, params.degree, params.gamma.resolve(Xd), params.coef0};
        threads_ = kestrel::detail::resolve_n_jobs(params.n_jobs);
        const auto bound = [&](Index k) { return is_nu ? 1.0 : c_of(params) * class_weight_[k]; };

        auto progress = this->start_progress(0, "");
        // Platt's scaling first, as libsvm: its folds draw from the seeded generator.
        probA_.resize(params.probability ? n_pairs : 0);
        probB_.resize(params.probability ? n_pairs : 0);
        if (params.probability) {
            svm::detail::libsvm_random random(svm::detail::libsvm_seed(params.random_state));
            Index pair = 0;
            for (Index a = 0; a < K; ++a) {
                for (Index b = a + 1; b < K; ++b, ++pair) {
                    const auto [A, B] = platt_pair(Xd, sw, members[static_cast<std::size_t>(a)],
                                                   members[static_cast<std::size_t>(b)], bound(a), bound(b), random,
                                                   &progress);
                    probA_[pair] = static_cast<T>(A);
                    probB_[pair] = static_cast<T>(B);
                }
            }
        }

        // The solution of every pair, as yₜαₜ by position in the two classes' member lists. With
        // more than two classes the pairs are solved in parallel, each on one thread with its
        // share of the cache (the cache's size changes only what is recomputed, never the
        // solution), so the model is the same for any n_jobs.
        std::vector<std::pair<Index, Index>> pairs;
        for (Index a = 0; a < K; ++a) {
            for (Index b = a + 1; b < K; ++b) pairs.emplace_back(a, b);
        }
        std::vector<binary_solution> solutions(static_cast<std::size_t>(n_pairs));
        const int pair_threads = static_cast<int>(std::min<Index>(threads_, n_pairs));
        const double cache_share = params.cache_size / pair_threads;
        kestrel::detail::parallel_for(n_pairs, pair_threads, [&](Index pair) {
            const auto [a, b] = pairs[static_cast<std::size_t>(pair)];
            solutions[static_cast<std::size_t>(pair)] =
                solve_binary(Xd, sw, members[static_cast<std::size_t>(a)], members[static_cast<std::size_t>(b)],
                             bound(a), bound(b), cache_share, &progress);
        });
        n_iter_.resize(n_pairs);
        fit_status_ = 0;
        std::vector<std::vector<char>> nonzero(static_cast<std::size_t>(K));
        for (Index k = 0; k < K; ++k) nonzero[static_cast<std::size_t>(k)].assign(members[k].size(), 0);
        for (Index pair = 0; pair < n_pairs; ++pair) {
            const auto [a, b] = pairs[static_cast<std::size_t>(pair)];
            const binary_solution& s = solutions[static_cast<std::size_t>(pair)];
            const Index na = static_cast<Index>(members[static_cast<std::size_t>(a)].size());
            for (Index t = 0; t < s.coef.size(); ++t) {
                if (s.coef[t] == 0) continue;
                if (t < na) {
                    nonzero[static_cast<std::size_t>(a)][static_cast<std::size_t>(t)] = 1;
                } else {
                    nonzero[static_cast<std::size_t>(b)][static_cast<std::size_t>(t - na)] = 1;
                }
            }
            if (s.reached_max_iter) fit_status_ = 1;
            n_iter_[pair] = static_cast<int>(std::min<std::int64_t>(s.n_iter, 2147483647));
        }

        // The support vectors, grouped by class.
        n_support_.resize(K);
        std::vector<Index> sv_support;
        Eigen::VectorXi sv_begin(K + 1);
        sv_begin[0] = 0;
        for (Index k = 0; k < K; ++k) {
            for (std::size_t t = 0; t < members[k].size(); ++t) {
                if (nonzero[static_cast<std::size_t>(k)][t]) sv_support.push_back(members[k][t]);
            }
            sv_begin[k + 1] = static_cast<int>(sv_support.size());
            n_support_[k] = sv_begin[k + 1] - sv_begin[k];
        }
        const Index n_sv = static_cast<Index>(sv_support.size());
        support_.resize(n_sv);
        for (Index s = 0; s < n_sv; ++s) support_[s] = static_cast<int>(sv_support[static_cast<std::size_t>(s)]);
        if (params.kernel == Kernel::precomputed) {
            support_vectors_.resize(0, 0);  // as scikit-learn: the kernel matrix's columns support() stand in
        } else {
            support_vectors_.resize(n_sv, Xd.cols());
            for (Index s = 0; s < n_sv; ++s) support_vectors_.row(s) = Xd.row(sv_support[static_cast<std::size_t>(s)]);
        }

        // libsvm's sv_coef layout: in pair (a, b), the coefficients of class a's support vectors
        // sit in row b − 1, class b's in row a.
        Matrix<double> dual = Matrix<double>::Zero(K - 1, n_sv);
        Eigen::VectorXd rho(n_pairs);
        Index pair = 0;
        for (Index a = 0; a < K; ++a) {
            for (Index b = a + 1; b < K; ++b, ++pair) {
                const binary_solution& s = solutions[static_cast<std::size_t>(pair)];
                const Index na = static_cast<Index>(members[a].size());
                Index q = sv_begin[a];
                for (Index t = 0; t < na; ++t) {
                    if (nonzero[static_cast<std::size_t>(a)][static_cast<std::size_t>(t)]) dual(b - 1, q++) = s.coef[t];
                }
                q = sv_begin[b];
                for (Index t = 0; t < static_cast<Index>(members[b].size()); ++t) {
                    if (nonzero[static_cast<std::size_t>(b)][static_cast<std::size_t>(t)]) dual(a, q++) = s.coef[na + t];
                }
                rho[pair] = s.rho;
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
        shape_fit_ = {Xd.rows(), Xd.cols()};
        this->n_features_in_ = Xd.cols();
        update_coef();
        this->end_progress(progress);
        if (fit_status_ != 0 && !progress.stopped()) svm::detail::warn_terminated_early(name, params.max_iter);
        return static_cast<Derived&>(*this);
    }

    /// Decision values: for two classes one column (positive: classes()[1]); otherwise (n, K)
    /// with DecisionFunctionShape::ovr or (n, K(K−1)/2) with ovo, pairs ordered (0, 1),
    /// (0, 2), ..., (1, 2), ..., positive for the first class of the pair. With
    /// Kernel::precomputed, X is the kernel matrix between the samples and the training samples.
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> decision_function(const M& X) const {
        this->validate_predict(X);
        const kestrel::detail::row_major_ref<T> rows(X);
        Matrix<T> out(rows.rows(), decision_width());
        for_rows(rows, [&](const T* x, Index i, scratch& s) { decision_row(x, out.row(i).data(), s); });
        return out;
    }

    /// The predicted label of each row of X: libsvm's pairwise vote (ties to the first class),
    /// or with break_ties the argmax of the ovr decision_function.
    template <matrix_of<T> M>
    [[nodiscard]] Labels predict(const M& X) const {
        this->validate_predict(X);
        const kestrel::detail::row_major_ref<T> rows(X);
        Labels out(rows.rows());
        for_rows(rows, [&](const T* x, Index i, scratch& s) { out[i] = predict_row(x, s); });
        return out;
    }

    /// Class probabilities (n, K), columns in the order of classes(): each pair's decision value
    /// through its Platt sigmoid (probA(), probB()), coupled as libsvm (Wu, Lin and Weng 2004,
    /// method 2). Needs probability = true at fit; throws invalid_input otherwise. As in
    /// scikit-learn, the argmax may differ from predict, which votes on the decision values.
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> predict_proba(const M& X) const {
        check_proba_available();
        this->validate_predict(X);
        const kestrel::detail::row_major_ref<T> rows(X);
        Matrix<T> out(rows.rows(), classes_.size());
        for_rows(rows, [&](const T* x, Index i, scratch& s) { proba_row(x, out.row(i).data(), s); });
        return out;
    }

    /// log of predict_proba.
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> predict_log_proba(const M& X) const {
        return kestrel::detail::log_of_entries(predict_proba(X));
    }

    /// Indices (into the training rows) of the support vectors, grouped by class.
    [[nodiscard]] const Labels& support() const { return this->fitted(support_); }
    /// The support vectors, one a row, in the order of support() (empty with Kernel::precomputed).
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
    /// The weight of each class (class_weight resolved; all 1 without one).
    [[nodiscard]] const Eigen::VectorXd& class_weight() const { return this->fitted(class_weight_); }
    /// Platt's A of each pair (empty without probability = true).
    [[nodiscard]] const Vector<T>& probA() const { return this->fitted(probA_); }
    /// Platt's B of each pair (empty without probability = true).
    [[nodiscard]] const Vector<T>& probB() const { return this->fitted(probB_); }
    /// Solver iterations of each pair.
    [[nodiscard]] const Eigen::VectorXi& n_iter() const { return this->fitted(n_iter_); }
    /// 0 when every pair met tol, 1 when a pair stopped at max_iter.
    [[nodiscard]] int fit_status() const { return this->fitted(fit_status_); }
    /// The shape of the training X: {rows, columns}.
    [[nodiscard]] const std::array<Index, 2>& shape_fit() const { return this->fitted(shape_fit_); }
    /// The primal weights of each pair (one row for two classes), Kernel::linear only. Throws
    /// invalid_input for another kernel.
    [[nodiscard]] const Matrix<T>& coef() const {
        this->fitted(coef_);
        if (this->params_.kernel != Kernel::linear) {
            throw invalid_input(std::string(Derived::name) + ": coef() is only available when using a linear kernel");
        }
        return coef_;
    }

protected:
    template <class Archive>
    void persist(Archive& a) {
        const P& p = this->params_;
        a.labels("classes_", classes_);
        const Index K = classes_.size(), n_pairs = K * (K - 1) / 2;
        a.require(K >= 2, "classes_ must hold at least two classes");
        a.vector("class_weight_", class_weight_, K);
        a.require((class_weight_.array() >= 0).all() && class_weight_.allFinite(),
                  "class_weight_ must hold finite weights >= 0");
        a.labels("_n_support", n_support_, K, false);
        a.require((n_support_.array() >= 1).all(), "_n_support holds a class without support vectors");
        // Summed in Index: the counts are int32 each, their sum need not be.
        const Index n_sv = n_support_.template cast<Index>().sum();
        a.labels("support_", support_, n_sv, false);
        a.require((support_.array() >= 0).all(), "support_ holds a negative index");
        if (p.kernel == Kernel::precomputed) {
            a.matrix("support_vectors_", support_vectors_, 0, 0);
            a.require((support_.array().template cast<Index>() < a.n_features()).all(),
                      "support_ holds an index past the training samples (n_features_in_)");
        } else {
            a.matrix("support_vectors_", support_vectors_, n_sv, a.n_features());
        }
        a.matrix("dual_coef_", dual_coef_, K - 1, n_sv);
        a.vector("intercept_", intercept_, n_pairs);
        a.vector("probA_", probA_, p.probability ? n_pairs : 0);
        a.vector("probB_", probB_, p.probability ? n_pairs : 0);
        a.labels("n_iter_", n_iter_, n_pairs, false);
        a.require((n_iter_.array() >= 0).all(), "n_iter_ holds a negative count");
        a.value("fit_status_", fit_status_);
        a.require(fit_status_ == 0 || fit_status_ == 1, "fit_status_ must be 0 or 1");
        a.value("_gamma", kernel_.gamma);
        a.require(kernel_.gamma > 0, "_gamma must be > 0");
        kernel_.kernel = p.kernel;
        kernel_.degree = p.degree;
        kernel_.coef0 = p.coef0;
        threads_ = kestrel::detail::resolve_n_jobs(p.n_jobs);
        std::vector<Index> shape{shape_fit_[0], shape_fit_[1]};
        a.integers("shape_fit_", shape, 2);
        a.require(shape[0] >= 1 && shape[1] == a.n_features(), "shape_fit_ must be (n_samples >= 1, n_features_in_)");
        if constexpr (Archive::loading) {
            shape_fit_ = {shape[0], shape[1]};
            update_coef();
        }
    }

private:
    // A binary problem's solution: yₜαₜ of its variables (first list, then second) and the bias.
    struct binary_solution {
        Eigen::VectorXd coef;
        double rho = 0;
        std::int64_t n_iter = 0;
        bool reached_max_iter = false;
    };

    static double c_of(const P& p) {
        if constexpr (is_nu) {
            return 1.0;
        } else {
            return p.C;
        }
    }


    // libsvm's binary C-SVC (bounds c_first·w and c_second·w) or ν-SVC (bounds w, α starting at
    // ν·Σw/2 on each side, then scaled by 1/r) with `first` as y = +1 and `second` as y = −1.
    binary_solution solve_binary(const Matrix<T>& X, const sample_weights<T>& sw, const std::vector<Index>& first,
                                 const std::vector<Index>& second, double c_first, double c_second,
                                 double cache_mb, kestrel::detail::progress_reporter* progress) const {
        const P& params = this->params_;
        const Index n1 = static_cast<Index>(first.size()), l = n1 + static_cast<Index>(second.size());
        std::vector<Index> rows(first);
        rows.insert(rows.end(), second.begin(), second.end());
        const Matrix<T> data = svm::detail::gather_rows(kernel_, X, rows);
        svm::detail::smo_problem problem{Eigen::VectorXd::Constant(l, is_nu ? 0.0 : -1.0), Eigen::VectorXi(l),
                                         Eigen::VectorXd(l), std::vector<Index>(static_cast<std::size_t>(l)), {},
                                         is_nu};
        for (Index t = 0; t < l; ++t) {
            const double w = static_cast<double>(sw[rows[static_cast<std::size_t>(t)]]);
            problem.y[t] = t < n1 ? 1 : -1;
            problem.C[t] = is_nu ? w : (t < n1 ? c_first : c_second) * w;
            problem.row[static_cast<std::size_t>(t)] = t;
        }
        if constexpr (is_nu) {
            double nu_l = 0;
            for (Index t = 0; t < l; ++t) nu_l += params.nu * problem.C[t];
            double left[2] = {nu_l / 2, nu_l / 2};
            problem.alpha.resize(l);
            for (Index t = 0; t < l; ++t) {
                double& side = left[t < n1 ? 0 : 1];
                problem.alpha[t] = std::min(problem.C[t], side);
                side -= problem.alpha[t];
            }
        }
        svm::detail::kernel_cache<T> cache(data, kernel_, cache_mb, threads_);
        svm::detail::smo_result result =
            svm::detail::solve_smo(cache, problem, params.tol, params.shrinking, params.max_iter, progress);
        binary_solution out;
        out.coef.resize(l);
        if constexpr (is_nu) {
            for (Index t = 0; t < l; ++t) out.coef[t] = result.alpha[t] * (problem.y[t] / result.r);
            out.rho = result.rho / result.r;
        } else {
            for (Index t = 0; t < l; ++t) out.coef[t] = result.alpha[t] * problem.y[t];
            out.rho = result.rho;
        }
        out.n_iter = result.n_iter;
        out.reached_max_iter = result.reached_max_iter;
        return out;
    }

    // Platt's A and B of the pair (first, second) as libsvm finds them: decision values of
    // 5-fold cross-validation over a shuffled order, then the sigmoid fit to them. Each fold's
    // model is libsvm's training of the fold's rest, whose classes libsvm sorts by label, so the
    // second class comes first there and its decision values are negated back.
    std::pair<double, double> platt_pair(const Matrix<T>& X, const sample_weights<T>& sw, const std::vector<Index>& first,
                                         const std::vector<Index>& second, double c_first, double c_second,
                                         svm::detail::libsvm_random& random,
                                         kestrel::detail::progress_reporter* progress) const {
        const Index n1 = static_cast<Index>(first.size()), l = n1 + static_cast<Index>(second.size());
        const auto row_of = [&](Index t) {
            return t < n1 ? first[static_cast<std::size_t>(t)] : second[static_cast<std::size_t>(t - n1)];
        };
        std::vector<Index> perm(static_cast<std::size_t>(l));
        for (Index t = 0; t < l; ++t) perm[static_cast<std::size_t>(t)] = t;
        for (Index t = 0; t < l; ++t) {
            const Index u = t + random.bounded(static_cast<int>(l - t));
            std::swap(perm[static_cast<std::size_t>(t)], perm[static_cast<std::size_t>(u)]);
        }
        Eigen::VectorXd decision(l), label(l);
        for (Index t = 0; t < l; ++t) label[t] = t < n1 ? 1.0 : -1.0;
        constexpr Index folds = 5;
        for (Index f = 0; f < folds; ++f) {
            const Index begin = f * l / folds, end = (f + 1) * l / folds;
            std::vector<Index> train_first, train_second;  // rows of the fold's rest, by class
            for (Index s = 0; s < l; ++s) {
                if (s >= begin && s < end) continue;
                const Index t = perm[static_cast<std::size_t>(s)];
                (t < n1 ? train_first : train_second).push_back(row_of(t));
            }
            if (train_first.empty() || train_second.empty()) {
                const double value = train_first.empty() && train_second.empty() ? 0.0 : train_first.empty() ? -1.0 : 1.0;
                for (Index s = begin; s < end; ++s) decision[perm[static_cast<std::size_t>(s)]] = value;
                continue;
            }
            const binary_solution fold =
                solve_binary(X, sw, train_second, train_first, c_second, c_first, this->params_.cache_size, progress);
            random.reseed();  // libsvm's training of the fold seeds the generator again
            std::vector<Index> sv_rows;
            std::vector<double> sv_coef;
            for (Index t = 0; t < fold.coef.size(); ++t) {
                if (fold.coef[t] == 0) continue;
                const Index n_second = static_cast<Index>(train_second.size());
                sv_rows.push_back(t < n_second ? train_second[static_cast<std::size_t>(t)]
                                               : train_first[static_cast<std::size_t>(t - n_second)]);
                sv_coef.push_back(fold.coef[t]);
            }
            std::vector<Index> held_out;
            for (Index s = begin; s < end; ++s) held_out.push_back(row_of(perm[static_cast<std::size_t>(s)]));
            const Matrix<T> kv = cross_kernel(X, held_out, sv_rows);
            for (Index s = begin; s < end; ++s) {
                double sum = 0;
                for (std::size_t v = 0; v < sv_rows.size(); ++v) {
                    sum += sv_coef[v] * static_cast<double>(kv(s - begin, static_cast<Index>(v)));
                }
                decision[perm[static_cast<std::size_t>(s)]] = -(sum - fold.rho);
            }
        }
        return svm::detail::sigmoid_train(decision, label);
    }

    // Kernel values between training rows `a` and training rows `b` of X (|a| × |b|).
    Matrix<T> cross_kernel(const Matrix<T>& X, const std::vector<Index>& a, const std::vector<Index>& b) const {
        Matrix<T> out(static_cast<Index>(a.size()), static_cast<Index>(b.size()));
        if (kernel_.kernel == Kernel::precomputed) {
            for (Index s = 0; s < out.rows(); ++s) {
                for (Index t = 0; t < out.cols(); ++t) {
                    out(s, t) = X(a[static_cast<std::size_t>(s)], b[static_cast<std::size_t>(t)]);
                }
            }
            return out;
        }
        Matrix<T> A(out.rows(), X.cols()), B(out.cols(), X.cols());
        for (Index s = 0; s < out.rows(); ++s) A.row(s) = X.row(a[static_cast<std::size_t>(s)]);
        for (Index t = 0; t < out.cols(); ++t) B.row(t) = X.row(b[static_cast<std::size_t>(t)]);
        const Vector<T> na = A.rowwise().squaredNorm(), nb = B.rowwise().squaredNorm();
        return svm::detail::kernel_block(kernel_, A, B, na, nb);
    }

    // The linear kernel's primal weights, as scikit-learn's coef_: Σ over the pair's support
    // vectors of their coefficient times the vector.
    void update_coef() {
        sv_norms_ = svm::detail::support_norms(support_vectors_);
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

    friend struct kestrel::detail::one_row_access;
    friend struct kestrel::detail::export_access;

    /// Classes up to which the one-row methods keep their pairs on the stack; a model of more
    /// classes answers the batch methods only.
    static constexpr Index row_classes = 32;
    static constexpr Index row_pairs = row_classes * (row_classes - 1) / 2;

    // Working memory of one row: the pairs' values, confidences and Platt's coupling.
    struct scratch {
        T* pairs;
        T* confidence;
        T* votes;
        double* r;
        double* Q;
        double* Qp;
        double* p;
        const T* kernel_values = nullptr;  ///< the row's kernel values, when computed with other rows'
    };
    template <Index K>
    struct stack_scratch {
        T pairs[K * (K - 1) / 2];
        T confidence[K], votes[K];
        double r[K * K], Q[K * K], Qp[K], p[K];
        scratch view() noexcept { return {pairs, confidence, votes, r, Q, Qp, p}; }
    };

    void check_one_row_model() const {
        if (classes_.size() > row_classes) {
            throw invalid_input(std::string(Derived::name) + ": the one-row methods take models of up to " +
                                std::to_string(row_classes) + " classes; this one has " +
                                std::to_string(classes_.size()) + " (call the batch methods with one row)");
        }
    }
    void check_proba_available() const {
        this->fitted(classes_);
        if (!this->params_.probability || probA_.size() == 0) {
            throw invalid_input(std::string(Derived::name) +
                                ": predict_proba is not available when probability=false; fit with probability = "
                                "true for Platt-scaled probabilities");
        }
    }

    // Runs body(x, i, scratch) for every row i of X, in parallel over blocks of rows, each thread
    // with its own working memory. The kernel values of four rows at a time come first, from the
    // support vectors laid out feature by feature (support_lanes), with the bits the one-row
    // path gives them.
    template <class Body>
    void for_rows(const kestrel::detail::row_major_ref<T>& X, Body&& body) const {
        const Index n = X.rows(), K = classes_.size(), n_pairs = K * (K - 1) / 2;
        constexpr Index block = 64;
        const auto lanes = svm::detail::batch_lanes(kernel_, support_vectors_, n);
        kestrel::detail::parallel_for((n + block - 1) / block, threads_, [&](Index b) {
            std::vector<T> pairs(static_cast<std::size_t>(n_pairs)), confidence(static_cast<std::size_t>(K)),
                votes(confidence.size());
            std::vector<double> r(static_cast<std::size_t>(K * K)), Q(r.size()), Qp(static_cast<std::size_t>(K)),
                p(static_cast<std::size_t>(K));
            scratch s{pairs.data(), confidence.data(), votes.data(), r.data(), Q.data(), Qp.data(), p.data()};
            svm::detail::rows_with_kernel_values(
                kernel_, lanes, sv_norms_, b * block, std::min(n, (b + 1) * block),
                [&](Index i) { return X.row(i).data(); }, [&](const T* x, Index i, const T* values) {
                    s.kernel_values = values;
                    body(x, i, s);
                });
        });
    }

    // scikit-learn's sign of each pair's decision value (for two classes the one value, positive
    // for classes()[1]; otherwise positive for the pair's first class): each support vector's
    // kernel value times its coefficient in each of its class's pairs, added in support-vector
    // order, then the intercept.
    // `values`: the row's kernel values, already computed (kernel_values_of_rows), or null.
    void pair_row(const T* x, T* pairs, const T* values = nullptr) const noexcept {
        const Index K = classes_.size(), n_pairs = K * (K - 1) / 2;
        for (Index p = 0; p < n_pairs; ++p) pairs[p] = 0;
        Index c = 0, next = n_support_[0];
        svm::detail::for_each_kernel_value(kernel_, x, support_vectors_, sv_norms_, support_, values, [&](Index s, T k) {
            while (s >= next) next += n_support_[++c];
            // Support vector s of class c has one coefficient per other class o, in row
            // o (o < c) or o − 1 (o > c) of dual_coef_.
            for (Index r = 0; r < K - 1; ++r) {
                const Index o = r < c ? r : r + 1;
                const Index p = c < o ? svm::detail::pair_index(c, o, K) : svm::detail::pair_index(o, c, K);
                pairs[p] = kestrel::detail::multiply_add(dual_coef_(r, s), k, pairs[p]);
            }
        });
        for (Index p = 0; p < n_pairs; ++p) pairs[p] += intercept_[p];
    }

    // scikit-learn's _ovr_decision_function of one row: each class's votes plus its summed
    // confidences squashed into (−⅓, ⅓), so ties in votes are broken by confidence but never
    // outweigh a vote.
    void ovr_row(const T* pairs, T* confidence, T* out) const noexcept {
        const Index K = classes_.size();
        for (Index k = 0; k < K; ++k) out[k] = confidence[k] = 0;
        Index p = 0;
        for (Index a = 0; a < K; ++a) {
            for (Index b = a + 1; b < K; ++b, ++p) {
                const T value = pairs[p];
                confidence[a] += value;
                confidence[b] -= value;
                out[value < T(0) ? b : a] += T(1);
            }
        }
        for (Index k = 0; k < K; ++k) out[k] += confidence[k] / (T(3) * (std::abs(confidence[k]) + T(1)));
    }

    [[nodiscard]] Index decision_width() const noexcept {
        const Index K = classes_.size();
        if (K == 2) return 1;
        return this->params_.decision_function_shape == DecisionFunctionShape::ovo ? K * (K - 1) / 2 : K;
    }
    void decision_row(const T* x, T* out, scratch& s) const noexcept {
        if (classes_.size() == 2 || this->params_.decision_function_shape == DecisionFunctionShape::ovo) {
            pair_row(x, out, s.kernel_values);
            return;
        }
        pair_row(x, s.pairs, s.kernel_values);
        ovr_row(s.pairs, s.confidence, out);
    }
    void decision_row(const T* x, T* out) const noexcept {
        stack_scratch<row_classes> s;
        scratch v = s.view();
        decision_row(x, out, v);
    }

    [[nodiscard]] int predict_row(const T* x, scratch& s) const noexcept {
        const Index K = classes_.size();
        pair_row(x, s.pairs, s.kernel_values);
        // libsvm votes for the first class when its own decision value −f is > 0.
        if (K == 2) return classes_[-s.pairs[0] > T(0) ? 0 : 1];
        // The votes, or with break_ties the ovr values.
        T* score = s.votes;
        if (this->params_.break_ties) {
            ovr_row(s.pairs, s.confidence, score);
        } else {
            for (Index k = 0; k < K; ++k) score[k] = 0;
            Index p = 0;
            for (Index a = 0; a < K; ++a) {
                for (Index b = a + 1; b < K; ++b, ++p) score[s.pairs[p] > T(0) ? a : b] += T(1);
            }
        }
        Index best = 0;
        for (Index k = 1; k < K; ++k) {
            if (score[k] > score[best]) best = k;
        }
        return classes_[best];
    }
    [[nodiscard]] int predict_row(const T* x) const noexcept {
        stack_scratch<row_classes> s;
        scratch v = s.view();
        return predict_row(x, v);
    }

    void proba_row(const T* x, T* out, scratch& s) const noexcept {
        const Index K = classes_.size();
        pair_row(x, s.pairs, s.kernel_values);
        constexpr double min_prob = 1e-7;
        Index q = 0;
        for (Index a = 0; a < K; ++a) {
            for (Index b = a + 1; b < K; ++b, ++q) {
                // libsvm's decision value is positive for the pair's first class.
                const double value = K == 2 ? -static_cast<double>(s.pairs[0]) : static_cast<double>(s.pairs[q]);
                const double p = svm::detail::sigmoid_predict(value, static_cast<double>(probA_[q]),
                                                              static_cast<double>(probB_[q]));
                s.r[a * K + b] = std::clamp(p, min_prob, 1 - min_prob);
                s.r[b * K + a] = 1 - s.r[a * K + b];
            }
        }
        svm::detail::couple_pairwise(s.r, K, s.p, s.Q, s.Qp);
        for (Index k = 0; k < K; ++k) out[k] = static_cast<T>(s.p[k]);
    }
    void proba_row(const T* x, T* out) const noexcept {
        stack_scratch<row_classes> s;
        scratch v = s.view();
        proba_row(x, out, v);
    }

    svm::detail::kernel_function kernel_;
    int threads_ = 1;
    Labels classes_;
    Eigen::VectorXd class_weight_;
    Labels support_;
    Matrix<T> support_vectors_;
    Vector<T> sv_norms_;  // ‖sv‖² of each support vector (derived, not saved)
    Eigen::VectorXi n_support_;
    Matrix<T> dual_coef_;
    Vector<T> intercept_;
    Vector<T> probA_;
    Vector<T> probB_;
    Matrix<T> coef_;
    Eigen::VectorXi n_iter_;
    int fit_status_ = 0;
    std::array<Index, 2> shape_fit_{0, 0};
};

}  // namespace detail
}  // namespace kestrel::svm
