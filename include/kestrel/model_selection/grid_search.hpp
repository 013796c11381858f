#pragma once
/// \file
/// GridSearchCV: pick the hyperparameters with the best cross-validated score. param_grid builds
/// the candidates from axes, each naming a field of the estimator's Params (`&Ridge<>::Params::alpha`)
/// or of one step of a Pipeline (`step<1>(&LogisticRegression<>::Params::C)`).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "../core/concepts.hpp"
#include "../core/dataset.hpp"
#include "../core/detail/parallel.hpp"
#include "../core/detail/validation.hpp"
#include "../core/error.hpp"
#include "../core/print.hpp"
#include "../core/progress.hpp"
#include "../core/types.hpp"
#include "../core/warnings.hpp"
#include "cross_validation.hpp"
#include "scoring.hpp"

namespace kestrel::model_selection {

/// One axis of a parameter grid: the values one field of Params takes.
template <class P>
struct GridAxis {
    /// One setter per value of the axis, in the order given; each writes its value into a Params.
    std::vector<std::function<void(P&)>> settings;
};

/// An axis over the member `field` of a Params: `axis(&LogisticRegression<>::Params::C, {0.1, 1.0, 10.0})`.
template <class P, class V>
[[nodiscard]] GridAxis<P> axis(V P::*field, std::vector<V> values) {
    GridAxis<P> out;
    for (const V& v : values) out.settings.push_back([field, v](P& p) { p.*field = v; });
    return out;
}

/// An axis through a setter, for anything a field pointer cannot reach:
/// `axis<Pipe::Params, double>([](auto& p, double c) { std::get<1>(p.steps).C = c; }, {0.1, 1.0})`.
template <class P, class V, class Setter>
requires std::invocable<Setter&, P&, const V&>
[[nodiscard]] GridAxis<P> axis(Setter set, std::vector<V> values) {
    GridAxis<P> out;
    for (const V& v : values) out.settings.push_back([set, v](P& p) mutable { set(p, v); });
    return out;
}

namespace detail {

/// Which step of a Pipeline a StepField names: by position, or by estimator type.
template <std::size_t I>
struct step_at {};
template <class Estimator>
struct step_of_type {};

/// The Params of a Pipeline: a tuple `steps` of the steps' Params, and `estimators`, their types.
template <class P>
concept pipeline_params = requires(P& p) {
    typename P::estimators;
    std::tuple_size<std::remove_cvref_t<decltype(p.steps)>>::value;
};

template <class E, class Tuple>
struct count_in;
template <class E, class... Ts>
struct count_in<E, std::tuple<Ts...>>
    : std::integral_constant<std::size_t, (std::size_t{std::is_same_v<E, Ts>} + ... + 0)> {};

template <class E, class Tuple>
struct index_in;
template <class E, class... Ts>
struct index_in<E, std::tuple<Ts...>> {
    static constexpr std::size_t value = [] {
        constexpr bool same[] = {std::is_same_v<E, Ts>..., false};
        std::size_t i = 0;
        while (i < sizeof...(Ts) && !same[i]) ++i;
        return i;
    }();
};

struct no_steps {
    using estimators = std::tuple<>;
};

template <class P>
inline constexpr std::size_t pipeline_size = std::tuple_size_v<typename P::estimators>;

/// The position a step selector stands for in the Pipeline whose Params is P, checked.
template <class P, class Selector>
struct step_index;

template <class P, std::size_t I>
struct step_index<P, step_at<I>> {
    static_assert(pipeline_params<P>,
                  "kestrel::model_selection::step<I>(field) names a field of a Pipeline step, but the searched "
                  "estimator is not a Pipeline: name its field directly, axis(&E::Params::field, {...})");
    static constexpr std::size_t n = [] {
        if constexpr (pipeline_params<P>) return pipeline_size<P>;
        return std::size_t{1};
    }();
    static_assert(!pipeline_params<P> || I < n,
                  "kestrel::model_selection::step<I>(field): the index I is past the Pipeline's last step");
    static constexpr bool valid = pipeline_params<P> && I < n;
    static constexpr std::size_t value = I < n ? I : 0;
};

template <class P, class Estimator>
struct step_index<P, step_of_type<Estimator>> {
    static_assert(pipeline_params<P>,
                  "kestrel::model_selection::step<E>(field) names a field of a Pipeline step, but the searched "
                  "estimator is not a Pipeline: name its field directly, axis(&E::Params::field, {...})");
    using steps = typename std::conditional_t<pipeline_params<P>, P, no_steps>::estimators;
    static constexpr std::size_t count = count_in<Estimator, steps>::value;
    static_assert(!pipeline_params<P> || count >= 1,
                  "kestrel::model_selection::step<E>(field): E is not one of the Pipeline's step types");
    static_assert(count <= 1,
                  "kestrel::model_selection::step<E>(field): E is more than one step of the Pipeline; name the "
                  "step by its index instead, step<I>(field)");
    static constexpr bool valid = count == 1;
    static constexpr std::size_t value = valid ? index_in<Estimator, steps>::value : 0;
};

}  // namespace detail

/// A field of one step's Params inside a Pipeline's Params; made by step<I>(field) or step<E>(field).
template <class Selector, class S, class V>
struct StepField {
    V S::*member;  ///< the field, a pointer to a member of the step's Params type S
};

/// The field `field` of the Pipeline's step at position I (0 = first), for axis():
/// `axis(step<1>(&LogisticRegression<>::Params::C), {0.1, 1.0})`. Checked at compile time when the
/// axis meets the Pipeline's Params (in param_grid): I must be a step, and `field` a member of that
/// step's Params.
template <std::size_t I, class S, class V>
[[nodiscard]] constexpr StepField<detail::step_at<I>, S, V> step(V S::*field) noexcept {
    return {field};
}

/// The field `field` of the Pipeline's step of type Estimator, for axis():
/// `axis(step<LogisticRegression<>>(&LogisticRegression<>::Params::C), {0.1, 1.0})`. Estimator
/// must be exactly one of the steps (otherwise name the step by index); checked at compile time.
template <class Estimator, class S, class V>
[[nodiscard]] constexpr StepField<detail::step_of_type<Estimator>, S, V> step(V S::*field) noexcept {
    return {field};
}

/// An axis whose Params type is known only when it meets one (a Pipeline step's field): its
/// field and where its values come from (a list; RandomizedSearchCV also takes distributions).
template <class Field, class Source>
struct FieldAxis {
    Field field;    ///< the field the axis sets: a member pointer or a StepField
    Source source;  ///< its values: a std::vector of them, or a distribution (RandomizedSearchCV only)
};

/// An axis over a Pipeline step's field: `axis(step<1>(&LogisticRegression<>::Params::C), {0.1, 1.0})`.
template <class Selector, class S, class V>
[[nodiscard]] FieldAxis<StepField<Selector, S, V>, std::vector<V>> axis(StepField<Selector, S, V> field,
                                                                        std::vector<V> values) {
    return {field, std::move(values)};
}

namespace detail {

/// The field `member` of `params`, a Params of type P (or derived from its class).
template <class P, class S, class V>
V& field_of(P& params, V S::*member) {
    static_assert(std::is_base_of_v<S, P>,
                  "kestrel::model_selection::axis: the field is not a member of the searched estimator's Params");
    if constexpr (std::is_base_of_v<S, P>) {
        return params.*member;
    } else {
        static V unused{};  // only in a program that has failed the static_assert above
        return unused;
    }
}

/// The field a StepField names inside a Pipeline's Params P.
template <class P, class Selector, class S, class V>
V& field_of(P& params, const StepField<Selector, S, V>& field) {
    using index = step_index<P, Selector>;
    if constexpr (index::valid) {
        using StepParams = std::remove_cvref_t<decltype(std::get<index::value>(params.steps))>;
        static_assert(std::is_base_of_v<S, StepParams>,
                      "kestrel::model_selection::step(field): the field is not a member of that step's Params");
        if constexpr (std::is_base_of_v<S, StepParams>) return std::get<index::value>(params.steps).*field.member;
    }
    static V unused{};  // only in a program that has failed one of the static_asserts
    return unused;
}

template <class P>
GridAxis<P> as_grid_axis(const GridAxis<P>& a) {
    return a;
}

template <class P, class Field, class Source>
GridAxis<P> as_grid_axis(const FieldAxis<Field, Source>& a) {
    GridAxis<P> out;
    if constexpr (requires { a.source.begin(); }) {
        for (const auto& v : a.source) {
            out.settings.push_back([field = a.field, v](P& p) { detail::field_of(p, field) = v; });
        }
        return out;
    } else {
        static_assert(!std::is_same_v<Source, Source>,
                      "kestrel::model_selection::param_grid: a distribution has no grid of values; sample it with "
                      "param_distributions and RandomizedSearchCV, or give a list of values");
        return out;
    }
}

}  // namespace detail

/// Every combination of the axes' values applied to `base`, the last axis varying fastest.
/// (scikit-learn's ParameterGrid orders the axes by parameter name; here they keep the order given.)
/// An axis is axis(&E::Params::field, {...}), axis(step<I>(&S::Params::field), {...}) or
/// axis(step<S>(&S::Params::field), {...}) for a Pipeline, or a GridAxis<P> built by hand.
template <class P, class... Axes>
[[nodiscard]] std::vector<P> param_grid(const P& base, const Axes&... axes) {
    const std::vector<GridAxis<P>> resolved{detail::as_grid_axis<P>(axes)...};
    std::vector<P> grid{base};
    for (const GridAxis<P>& a : resolved) {
        std::vector<P> next;
        next.reserve(grid.size() * a.settings.size());
        for (const P& p : grid) {
            for (const auto& set : a.settings) {
                P q = p;
                set(q);
                next.push_back(q);
            }
        }
        grid = std::move(next);
    }
    return grid;
}

namespace detail {

/// (name, value as Python writes it) of each field of p: scikit-learn's parameter names, a
/// Pipeline's as "step__field" (make_pipeline's step names).
template <class P>
void param_entries(const P& p, const std::string& prefix, std::vector<std::pair<std::string, std::string>>& out) {
    if constexpr (pipeline_params<P>) {
        const std::vector<std::string> names = [&]<std::size_t... I>(std::index_sequence<I...>) {
            return kestrel::detail::pipeline_step_names(
                {std::string(std::tuple_element_t<I, typename P::estimators>::name)...});
        }
        (std::make_index_sequence<pipeline_size<P>>{});
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (param_entries(std::get<I>(p.steps), prefix + names[I] + "__", out), ...);
        }
        (std::make_index_sequence<pipeline_size<P>>{});
    } else if constexpr (requires(P & q) { P::fields(q, [](std::string_view, auto&) {}); }) {
        P copy = p;
        P::fields(copy, [&](std::string_view name, const auto& value) {
            out.emplace_back(prefix + std::string(name), kestrel::detail::python_value(value));
        });
    }
}

}  // namespace detail

/// Per-candidate results of a search, as scikit-learn's `cv_results_`. Printed (operator<<) as a
/// table: one candidate a row, with its rank, mean and standard deviation of the test scores,
/// mean fit time, and the parameters that differ between candidates.
template <class P>
struct CvResults {
    std::vector<P> params;            ///< each candidate's parameters, in the order they were searched
    Matrix<double> split_test_score;  ///< candidates × folds
    Vector<double> mean_test_score;   ///< per candidate: the mean of its row of split_test_score
    Vector<double> std_test_score;    ///< population standard deviation over folds
    Labels rank_test_score;           ///< 1 = best; ties share the lowest rank
    Vector<double> mean_fit_time;     ///< per candidate: mean seconds to fit on a training fold
    Vector<double> mean_score_time;   ///< per candidate: mean seconds to score a test fold

    friend std::ostream& operator<<(std::ostream& out, const CvResults& r) {
        const std::size_t n = r.params.size();
        std::vector<std::vector<std::pair<std::string, std::string>>> entries(n);
        for (std::size_t c = 0; c < n; ++c) detail::param_entries(r.params[c], "", entries[c]);
        // Columns: the parameters whose value is not the same for every candidate.
        std::vector<std::size_t> varying;
        for (std::size_t k = 0; n > 0 && k < entries[0].size(); ++k) {
            for (std::size_t c = 1; c < n; ++c) {
                if (entries[c][k].second != entries[0][k].second) {
                    varying.push_back(k);
                    break;
                }
            }
        }
        const auto number = [](double x, int decimals) {
            char buffer[64];
            std::snprintf(buffer, sizeof buffer, "%.*f", decimals, x);
            return std::string(buffer);
        };
        std::vector<std::string> header{"rank", "mean_test_score", "std_test_score", "mean_fit_time"};
        for (const std::size_t k : varying) header.push_back("param_" + entries[0][k].first);
        std::vector<std::vector<std::string>> rows;
        for (std::size_t c = 0; c < n; ++c) {
            const auto i = static_cast<Index>(c);
            std::vector<std::string> row{std::to_string(r.rank_test_score[i]), number(r.mean_test_score[i], 6),
                                         number(r.std_test_score[i], 6), number(r.mean_fit_time[i], 4)};
            for (const std::size_t k : varying) row.push_back(entries[c][k].second);
            rows.push_back(std::move(row));
        }
        std::vector<std::size_t> width(header.size());
        for (std::size_t j = 0; j < header.size(); ++j) {
            width[j] = header[j].size();
            for (const auto& row : rows) width[j] = std::max(width[j], row[j].size());
        }
        const auto line = [&](const std::vector<std::string>& cells) {
            for (std::size_t j = 0; j < cells.size(); ++j) {
                if (j > 0) out << "  ";
                // Numbers right-aligned, parameter values left-aligned.
                const std::string pad(width[j] - cells[j].size(), ' ');
                out << (j < 4 ? pad + cells[j] : cells[j] + (j + 1 < cells.size() ? pad : ""));
            }
            out << '\n';
        };
        line(header);
        for (const auto& row : rows) line(row);
        return out;
    }
};

/// The options shared by the searches, in scikit-learn's order: `scoring` (default: the
/// estimator's score), `n_jobs` (candidates × folds spread over threads; 0 = all cores; the
/// results do not depend on it), `refit` (fit the best candidate on all the data), `cv`.
template <class E>
struct SearchOptions {
    Scorer<E> scoring{};    ///< how each test fold is scored, greater is better; default: E's own score
    int n_jobs = 1;         ///< threads for the candidates × folds fits; 0 = all cores; default 1
    bool refit = true;      ///< refit the best candidate on all the data (needed to predict and score)
    CrossValidator cv = 5;  ///< the splits: a fold count (default 5), a splitter, or explicit splits
};

namespace detail {

/// What GridSearchCV and RandomizedSearchCV share: cross-validating candidates, choosing the best,
/// the refit, and the accessors.
template <class E>
class search_base {
public:
    using scalar_type = scalar_of<E>;             ///< the searched estimator's floating-point type
    using target_type = typename E::target_type;  ///< the searched estimator's targets (Labels or Vector)
    using Params = typename E::Params;            ///< the searched estimator's hyperparameters: one candidate
    /// The per-candidate results, as cv_results() returns them.
    using CvResults = model_selection::CvResults<Params>;

    /// Whether `fit` has run (and succeeded); true also after a fit with refit = false.
    [[nodiscard]] bool is_fitted() const noexcept { return fitted_; }
    /// The candidate with the best mean test score (the first of equals, as scikit-learn's rank 1).
    [[nodiscard]] const Params& best_params() const { return results().params[static_cast<std::size_t>(best_index())]; }
    /// The best candidate's mean test score (cv_results().mean_test_score at best_index()).
    /// Throws not_fitted before fit.
    [[nodiscard]] double best_score() const { return results().mean_test_score[best_index()]; }
    /// The best candidate's row in cv_results(), 0-based. Throws not_fitted before fit.
    [[nodiscard]] Index best_index() const {
        kestrel::detail::check_fitted(fitted_, name_);
        return best_index_;
    }
    /// Every candidate's fold scores, their mean, standard deviation and rank, and the fit and
    /// score times (scikit-learn's `cv_results_`). Throws not_fitted before fit.
    [[nodiscard]] const CvResults& cv_results() const { return results(); }
    /// The estimator refitted on all the data with best_params(). Throws not_fitted before fit, and
    /// after a fit with refit = false.
    [[nodiscard]] const E& best_estimator() const {
        kestrel::detail::check_fitted(fitted_, name_);
        if (!has_best_estimator_) {
            throw not_fitted(std::string(name_) +
                             " was fitted with refit = false, so it has no best_estimator() and cannot predict or "
                             "score; best_params(), best_index(), best_score() and cv_results() are available");
        }
        return best_estimator_;
    }
    /// The scorer the candidates were ranked by.
    [[nodiscard]] const Scorer<E>& scorer() const noexcept { return options_.scoring; }
    /// Whether the last fit was ended early by the progress callback: the results then hold the
    /// candidates whose every fold was scored (the first candidate always is).
    [[nodiscard]] bool cancelled() const noexcept { return cancelled_; }

    /// best_estimator()'s predict on X (n_samples × n_features). Throws not_fitted before fit and
    /// after a fit with refit = false.
    template <matrix_of<scalar_type> M>
    requires predictor<E>
    [[nodiscard]] auto predict(const M& X) const { return best_estimator().predict(X); }
    /// best_estimator()'s predict_proba on X: n_samples × n_classes. Throws as predict.
    template <matrix_of<scalar_type> M>
    requires requires(const E& e, const Matrix<scalar_type>& Z) { e.predict_proba(Z); }
    [[nodiscard]] auto predict_proba(const M& X) const { return best_estimator().predict_proba(X); }
    /// best_estimator()'s decision_function on X. Throws as predict.
    template <matrix_of<scalar_type> M>
    requires requires(const E& e, const Matrix<scalar_type>& Z) { e.decision_function(Z); }
    [[nodiscard]] auto decision_function(const M& X) const { return best_estimator().decision_function(X); }
    /// best_estimator()'s predict_one on one row (see core/one_row.hpp). Throws as predict.
    template <class... A>
    [[nodiscard]] auto predict_one(const A&... args) const -> decltype(std::declval<const E&>().predict_one(args...)) {
        return best_estimator().predict_one(args...);
    }
    /// best_estimator()'s predict_proba_one on one row.
    template <class... A>
    auto predict_proba_one(const A&... args) const -> decltype(std::declval<const E&>().predict_proba_one(args...)) {
        return best_estimator().predict_proba_one(args...);
    }
    /// best_estimator()'s decision_function_one on one row.
    template <class... A>
    auto decision_function_one(const A&... args) const
        -> decltype(std::declval<const E&>().decision_function_one(args...)) {
        return best_estimator().decision_function_one(args...);
    }
    /// The search's scorer (default: the estimator's score) of best_estimator() on X and y.
    template <matrix_of<scalar_type> M, target_for<E> Y>
    [[nodiscard]] double score(const M& X, const Y& y) const {
        return options_.scoring(best_estimator(), Matrix<scalar_type>(X), target_type(y));
    }

protected:
    search_base(E estimator, SearchOptions<E> options, std::string_view name)
        : estimator_(std::move(estimator)), options_(std::move(options)), name_(name) {}

    /// Cross-validates every candidate on the same splits, ranks them, and refits the best.
    template <class M, class Y>
    void run(std::vector<Params> candidates, const M& X, const Y& y) {
        if (candidates.empty()) {
            throw invalid_parameter(std::string(name_) + ": the list of candidate parameters is empty");
        }
        for (const Params& p : candidates) p.validate();
        if (X.rows() != y.size()) {
            throw invalid_input(std::string(name_) + ": X has " + std::to_string(X.rows()) + " samples, but y has " +
                                std::to_string(y.size()));
        }
        const Matrix<scalar_type> data = X;
        const target_type targets = y;
        options_.scoring.check_target(targets);
        const std::vector<Split> splits = detail::resolve_splits<E>(options_.cv, data, targets);
        const auto n_candidates = static_cast<Index>(candidates.size());
        const auto n_folds = static_cast<Index>(splits.size());
        Matrix<double> scores(n_candidates, n_folds), fit_times(n_candidates, n_folds),
            score_times(n_candidates, n_folds);
        // One report per scored fold; a stop skips the folds not yet started, except the first
        // candidate's, so that at least one candidate is complete.
        kestrel::detail::progress_reporter progress(&progress_callback_, name_, n_candidates * n_folds, "test score");
        std::vector<char> done(static_cast<std::size_t>(n_candidates * n_folds), 0);
        kestrel::detail::parallel_for(
            n_candidates * n_folds, kestrel::detail::resolve_n_jobs(options_.n_jobs), [&](Index task) {
                const Index c = task / n_folds, f = task % n_folds;
                if (c > 0 && progress.stopped()) return;
                E model = clone(estimator_);
                model.set_params(candidates[static_cast<std::size_t>(c)]);
                detail::fit_and_score(std::move(model), data, targets, splits[static_cast<std::size_t>(f)],
                                      options_.scoring, scores(c, f), fit_times(c, f), score_times(c, f));
                done[static_cast<std::size_t>(task)] = 1;
                progress.tick_shared(scores(c, f));
            });
        cancelled_ = progress.stopped();
        if (cancelled_) {
            std::vector<Index> complete;
            for (Index c = 0; c < n_candidates; ++c) {
                bool all = true;
                for (Index f = 0; f < n_folds; ++f) all = all && done[static_cast<std::size_t>(c * n_folds + f)] != 0;
                if (all) complete.push_back(c);
            }
            std::vector<Params> kept;
            for (const Index c : complete) kept.push_back(candidates[static_cast<std::size_t>(c)]);
            candidates = std::move(kept);
            scores = Matrix<double>(scores(complete, Eigen::all));
            fit_times = Matrix<double>(fit_times(complete, Eigen::all));
            score_times = Matrix<double>(score_times(complete, Eigen::all));
        }

        const auto n_scored = static_cast<Index>(candidates.size());
        CvResults r;
        r.params = std::move(candidates);
        r.split_test_score = scores;
        r.mean_test_score = scores.rowwise().mean();
        r.std_test_score =
            ((scores.colwise() - r.mean_test_score).array().square().rowwise().sum() / static_cast<double>(n_folds))
                .sqrt();
        r.rank_test_score.resize(n_scored);
        for (Index c = 0; c < n_scored; ++c) {
            r.rank_test_score[c] = 1 + static_cast<int>((r.mean_test_score.array() > r.mean_test_score[c]).count());
        }
        r.mean_fit_time = fit_times.rowwise().mean();
        r.mean_score_time = score_times.rowwise().mean();
        r.mean_test_score.maxCoeff(&best_index_);  // the first of equal maxima
        results_ = std::move(r);

        fitted_ = true;
        has_best_estimator_ = false;
        if (options_.refit) {
            best_estimator_ = clone(estimator_);
            best_estimator_.set_params(best_params());
            best_estimator_.fit(data, targets);
            has_best_estimator_ = true;
        }
        if (cancelled_) {
            warn(warning_category::fit_stopped, name_,
                 "the progress callback stopped the search after " + std::to_string(progress.iterations()) +
                     " scored folds; the results hold the " + std::to_string(n_scored) + " of " +
                     std::to_string(n_candidates) + " candidates whose every fold was scored");
        }
    }

    void check_no_weights(const Vector<scalar_type>& sample_weight) const {
        if (sample_weight.size() > 0) {
            throw invalid_input(std::string(name_) +
                                ": the Dataset has sample weights, which the search does not support; fit on its X "
                                "and y to search without them");
        }
    }

    [[nodiscard]] const CvResults& results() const {
        kestrel::detail::check_fitted(fitted_, name_);
        return results_;
    }

    E estimator_;
    SearchOptions<E> options_;
    std::string_view name_;
    progress_callback progress_callback_;
    bool cancelled_ = false;
    bool fitted_ = false;
    bool has_best_estimator_ = false;
    Index best_index_ = 0;
    CvResults results_;
    E best_estimator_;
};

}  // namespace detail

/// Exhaustive search over candidate hyperparameters, as scikit-learn's `GridSearchCV`: every
/// candidate is cross-validated on the same splits (candidates × folds spread over `n_jobs`
/// threads), scored by `scoring` (default: the estimator's score), the best mean test score wins
/// (the first on ties, as scikit-learn's rank 1), and with `refit` a clone with the best
/// parameters is fitted on all the data and answers predict, predict_proba, score, ...
///
/// ```cpp
/// using LR = linear_model::LogisticRegression<>;
/// auto pipe = pipeline::make_pipeline(preprocessing::StandardScaler<>(), LR());
/// GridSearchCV search(pipe, param_grid(pipe.params(), axis(step<LR>(&LR::Params::C), {0.1, 1.0, 10.0})),
///                     {.scoring = Scoring::roc_auc, .cv = 5});
/// search.fit(X, y);
/// std::cout << search.cv_results();
/// ```
template <detail::scoring_estimator E>
class GridSearchCV : public detail::search_base<E> {
    using base = detail::search_base<E>;

public:
    using typename base::Params;       ///< the searched estimator's hyperparameters: one candidate
    using typename base::scalar_type;  ///< the searched estimator's floating-point type
    using typename base::target_type;  ///< the searched estimator's targets (Labels or Vector)
    using Options = SearchOptions<E>;  ///< scoring, n_jobs, refit, cv
    /// The class's name in messages and warnings.
    static constexpr std::string_view name = "GridSearchCV";

    /// The candidates (param_grid's output) and the options. Throws invalid_parameter when there are
    /// no candidates.
    GridSearchCV(E estimator, std::vector<Params> candidates, Options options)
        : base(std::move(estimator), std::move(options), name), candidates_(std::move(candidates)) {
        if (candidates_.empty()) throw invalid_parameter("GridSearchCV: the list of candidate parameters is empty");
    }

    /// The candidates, the splits, threads and refit positionally, scored by the estimator's score.
    GridSearchCV(E estimator, std::vector<Params> candidates, CrossValidator cv = 5, int n_jobs = 1, bool refit = true)
        : GridSearchCV(std::move(estimator), std::move(candidates),
                       Options{.n_jobs = n_jobs, .refit = refit, .cv = std::move(cv)}) {}

    /// Sets the callback told of each scored fold (value: its test score), which can stop the
    /// search (kestrel/core/progress.hpp); an empty one removes it.
    GridSearchCV& set_progress_callback(progress_callback callback) {
        this->progress_callback_ = std::move(callback);
        return *this;
    }

    /// Cross-validates every candidate on X and y (y as the estimator's fit takes it: target_for).
    template <matrix_of<scalar_type> M, target_for<E> Y>
    GridSearchCV& fit(const M& X, const Y& y) {
        this->run(candidates_, X, y);
        return *this;
    }
    /// Cross-validates on a Dataset's X and y. Throws invalid_input when it has sample weights,
    /// which the search does not pass on.
    template <target_for<E> Target>
    GridSearchCV& fit(const Dataset<scalar_type, Target>& data) {
        this->check_no_weights(data.sample_weight);
        return fit(data.X, data.y);
    }

private:
    std::vector<Params> candidates_;
};

}  // namespace kestrel::model_selection
