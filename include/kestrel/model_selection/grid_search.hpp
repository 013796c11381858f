#pragma once
/// \file
/// GridSearchCV: pick the hyperparameters with the best cross-validated score; param_grid builds
/// the candidates.

#include <algorithm>
#include <cmath>
#include <functional>
#include <string_view>
#include <utility>
#include <vector>

#include "../core/concepts.hpp"
#include "../core/detail/parallel.hpp"
#include "../core/detail/validation.hpp"
#include "../core/error.hpp"
#include "../core/types.hpp"
#include "cross_validation.hpp"

namespace kestrel::model_selection {

/// One axis of a parameter grid: the values one field of Params takes.
template <class P>
struct GridAxis {
    std::vector<std::function<void(P&)>> settings;
};

/// An axis over the member `field` of a Params: `axis(&LogisticRegression<>::Params::C, {0.1, 1.0, 10.0})`.
template <class P, class V>
[[nodiscard]] GridAxis<P> axis(V P::*field, std::vector<V> values) {
    GridAxis<P> out;
    for (const V& v : values) out.settings.push_back([field, v](P& p) { p.*field = v; });
    return out;
}

/// An axis through a setter, for nested Params such as a Pipeline's:
/// `axis<Pipe::Params, double>([](auto& p, double c) { std::get<1>(p.steps).C = c; }, {0.1, 1.0})`.
template <class P, class V, class Setter>
requires std::invocable<Setter&, P&, const V&>
[[nodiscard]] GridAxis<P> axis(Setter set, std::vector<V> values) {
    GridAxis<P> out;
    for (const V& v : values) out.settings.push_back([set, v](P& p) mutable { set(p, v); });
    return out;
}

/// Every combination of the axes' values applied to `base`, the last axis varying fastest.
/// (scikit-learn's ParameterGrid orders the axes by parameter name; here they keep the order given.)
template <class P, class... Axes>
[[nodiscard]] std::vector<P> param_grid(const P& base, const Axes&... axes) {
    std::vector<P> grid{base};
    for (const GridAxis<P>* a : {&axes...}) {
        std::vector<P> next;
        next.reserve(grid.size() * a->settings.size());
        for (const P& p : grid) {
            for (const auto& set : a->settings) {
                P q = p;
                set(q);
                next.push_back(q);
            }
        }
        grid = std::move(next);
    }
    return grid;
}

/// Exhaustive search over candidate hyperparameters, as scikit-learn's `GridSearchCV` with the
/// estimator's own score: every candidate is cross-validated on the same splits (candidates ×
/// folds spread over `n_jobs` threads), the best mean test score wins (the first on ties, as
/// scikit-learn's rank 1), and with `refit` a clone with the best parameters is fitted on all
/// the data and answers predict, predict_proba, score, ...
template <detail::scoring_estimator E>
class GridSearchCV {
public:
    using scalar_type = scalar_of<E>;
    using target_type = typename E::target_type;
    using Params = typename E::Params;
    static constexpr std::string_view name = "GridSearchCV";

    /// Per-candidate results, as scikit-learn's `cv_results_`.
    struct CvResults {
        std::vector<Params> params;
        Matrix<double> split_test_score;  ///< candidates × folds
        Vector<double> mean_test_score;
        Vector<double> std_test_score;  ///< population standard deviation over folds
        Labels rank_test_score;         ///< 1 = best; ties share the lowest rank
        Vector<double> mean_fit_time;
        Vector<double> mean_score_time;
    };

    /// Throws invalid_parameter when there are no candidates.
    GridSearchCV(E estimator, std::vector<Params> candidates, CrossValidator cv = 5, int n_jobs = 1, bool refit = true)
        : estimator_(std::move(estimator)), candidates_(std::move(candidates)), cv_(std::move(cv)), n_jobs_(n_jobs),
          refit_(refit) {
        if (candidates_.empty()) throw invalid_parameter("GridSearchCV: the list of candidate parameters is empty");
    }

    template <matrix_of<scalar_type> M>
    GridSearchCV& fit(const M& X, const target_type& y) {
        for (const Params& p : candidates_) p.validate();
        if (X.rows() != y.size()) {
            throw invalid_input("GridSearchCV: X has " + std::to_string(X.rows()) + " samples, but y has " +
                                std::to_string(y.size()));
        }
        const Matrix<scalar_type> data = X;
        const target_type targets = y;
        const std::vector<Split> splits = detail::resolve_splits<E>(cv_, data, targets);
        const auto n_candidates = static_cast<Index>(candidates_.size());
        const auto n_folds = static_cast<Index>(splits.size());
        Matrix<double> scores(n_candidates, n_folds), fit_times(n_candidates, n_folds),
            score_times(n_candidates, n_folds);
        kestrel::detail::parallel_for(
            n_candidates * n_folds, kestrel::detail::resolve_n_jobs(n_jobs_), [&](Index task) {
                const Index c = task / n_folds, f = task % n_folds;
                E model = clone(estimator_);
                model.set_params(candidates_[static_cast<std::size_t>(c)]);
                detail::fit_and_score(std::move(model), data, targets, splits[static_cast<std::size_t>(f)],
                                      scores(c, f), fit_times(c, f), score_times(c, f));
            });

        CvResults r;
        r.params = candidates_;
        r.split_test_score = scores;
        r.mean_test_score = scores.rowwise().mean();
        r.std_test_score =
            ((scores.colwise() - r.mean_test_score).array().square().rowwise().sum() / static_cast<double>(n_folds))
                .sqrt();
        r.rank_test_score.resize(n_candidates);
        for (Index c = 0; c < n_candidates; ++c) {
            r.rank_test_score[c] = 1 + static_cast<int>((r.mean_test_score.array() > r.mean_test_score[c]).count());
        }
        r.mean_fit_time = fit_times.rowwise().mean();
        r.mean_score_time = score_times.rowwise().mean();
        r.mean_test_score.maxCoeff(&best_index_);  // the first of equal maxima
        results_ = std::move(r);

        fitted_ = true;
        has_best_estimator_ = false;
        if (refit_) {
            best_estimator_ = clone(estimator_);
            best_estimator_.set_params(best_params());
            best_estimator_.fit(data, targets);
            has_best_estimator_ = true;
        }
        return *this;
    }

    [[nodiscard]] bool is_fitted() const noexcept { return fitted_; }
    [[nodiscard]] const Params& best_params() const { return candidates_[static_cast<std::size_t>(best_index())]; }
    [[nodiscard]] double best_score() const { return cv_results().mean_test_score[best_index()]; }
    [[nodiscard]] Index best_index() const {
        kestrel::detail::check_fitted(fitted_, name);
        return best_index_;
    }
    [[nodiscard]] const CvResults& cv_results() const {
        kestrel::detail::check_fitted(fitted_, name);
        return results_;
    }
    /// The estimator refitted on all the data with best_params(); throws not_fitted without refit.
    [[nodiscard]] const E& best_estimator() const {
        kestrel::detail::check_fitted(has_best_estimator_, name);
        return best_estimator_;
    }

    template <matrix_of<scalar_type> M>
    requires predictor<E>
    [[nodiscard]] auto predict(const M& X) const { return best_estimator().predict(X); }
    template <matrix_of<scalar_type> M>
    requires requires(const E& e, const Matrix<scalar_type>& Z) { e.predict_proba(Z); }
    [[nodiscard]] auto predict_proba(const M& X) const { return best_estimator().predict_proba(X); }
    template <matrix_of<scalar_type> M>
    [[nodiscard]] double score(const M& X, const target_type& y) const {
        return static_cast<double>(best_estimator().score(X, y));
    }

private:
    E estimator_;
    std::vector<Params> candidates_;
    CrossValidator cv_;
    int n_jobs_ = 1;
    bool refit_ = true;
    bool fitted_ = false;
    bool has_best_estimator_ = false;
    Index best_index_ = 0;
    CvResults results_;
    E best_estimator_;
};

}  // namespace kestrel::model_selection
