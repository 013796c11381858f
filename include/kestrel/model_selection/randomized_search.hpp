#pragma once
/// \file
/// RandomizedSearchCV: cross-validate a fixed number of candidates drawn from value lists and
/// distributions (uniform, loguniform, randint); param_distributions collects the axes.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../core/random.hpp"
#include "grid_search.hpp"

namespace kestrel::model_selection {

/// Real numbers uniform on [low, high). (scipy.stats.uniform takes loc and scale instead: its
/// uniform(loc, scale) is this uniform(loc, loc + scale).)
struct Uniform {
    /// @{
    /// The bounds: `low` included, `high` excluded; defaults 0 and 1.
    double low = 0, high = 1;
    /// @}
    /// One value in [low, high), drawn from `rng`.
    [[nodiscard]] double sample(random_engine& rng) const { return rng.uniform(low, high); }
};

/// Real numbers whose logarithm is uniform: low · (high / low)^u, u uniform on [0, 1), as
/// scipy.stats.loguniform(low, high). For scales such as C or alpha: loguniform(1e-3, 1e3).
struct LogUniform {
    /// @{
    /// The bounds: `low` included, `high` excluded; 0 < low < high; defaults 1 and 10.
    double low = 1, high = 10;
    /// @}
    /// One value in [low, high), drawn from `rng` uniformly on the log scale.
    [[nodiscard]] double sample(random_engine& rng) const {
        return std::exp(rng.uniform(std::log(low), std::log(high)));
    }
};

/// Integers uniform on low, low + 1, ..., high − 1 (high excluded), as scipy.stats.randint(low, high).
struct RandInt {
    /// @{
    /// The bounds: `low` included, `high` excluded; defaults 0 and 1.
    long long low = 0, high = 1;
    /// @}
    /// One integer in low .. high − 1, drawn from `rng`.
    [[nodiscard]] long long sample(random_engine& rng) const {
        return low + static_cast<long long>(rng.below(static_cast<std::uint64_t>(high - low)));
    }
};

/// Uniform on [low, high). Throws invalid_parameter unless low < high, both finite.
[[nodiscard]] inline Uniform uniform(double low, double high) {
    if (!(std::isfinite(low) && std::isfinite(high) && low < high)) {
        throw invalid_parameter("uniform(low, high): needs finite low < high, got " + std::to_string(low) + ", " +
                                std::to_string(high));
    }
    return {low, high};
}

/// Log-uniform on [low, high). Throws invalid_parameter unless 0 < low < high, both finite.
[[nodiscard]] inline LogUniform loguniform(double low, double high) {
    if (!(std::isfinite(low) && std::isfinite(high) && 0 < low && low < high)) {
        throw invalid_parameter("loguniform(low, high): needs finite 0 < low < high, got " + std::to_string(low) +
                                ", " + std::to_string(high));
    }
    return {low, high};
}

/// The integers low .. high − 1. Throws invalid_parameter unless low < high.
[[nodiscard]] inline RandInt randint(long long low, long long high) {
    if (!(low < high)) {
        throw invalid_parameter("randint(low, high): needs low < high, got " + std::to_string(low) + ", " +
                                std::to_string(high));
    }
    return {low, high};
}

/// A distribution axis() takes: `sample(random_engine&)` draws one value.
template <class D>
concept distribution = std::same_as<D, Uniform> || std::same_as<D, LogUniform> || std::same_as<D, RandInt>;

/// An axis drawing the member `field` of a Params from a distribution:
/// `axis(&LogisticRegression<>::Params::C, loguniform(1e-3, 1e3))`.
template <class P, class V, distribution D>
[[nodiscard]] FieldAxis<V P::*, D> axis(V P::*field, D dist) {
    return {field, dist};
}

/// An axis drawing a Pipeline step's field from a distribution:
/// `axis(step<1>(&LogisticRegression<>::Params::C), loguniform(1e-3, 1e3))`.
template <class Selector, class S, class V, distribution D>
[[nodiscard]] FieldAxis<StepField<Selector, S, V>, D> axis(StepField<Selector, S, V> field, D dist) {
    return {field, dist};
}

namespace detail {

template <class V>
struct optional_value {
    using type = V;
};
template <class V>
struct optional_value<std::optional<V>> {
    using type = V;
};

/// Stores a drawn number in a field: of the field's own type (or the type it is an optional of).
template <class D, class V>
void assign_draw(V& field, auto value) {
    using U = typename optional_value<V>::type;
    if constexpr (std::same_as<D, RandInt>) {
        static_assert(std::is_integral_v<U> && !std::is_same_v<U, bool>,
                      "kestrel::model_selection::randint draws integers; the field is not an integer");
        field = static_cast<U>(value);
    } else {
        static_assert(
            std::is_floating_point_v<U>,
            "kestrel::model_selection::uniform / loguniform draw real numbers; the field is not floating-point");
        field = static_cast<U>(value);
    }
}

}  // namespace detail

/// Where RandomizedSearchCV draws its candidates from: a base Params and axes, each a list of
/// values (one is chosen uniformly) or a distribution. Built by param_distributions().
template <class P>
class ParamDistributions {
public:
    /// One axis: a list of settings to choose from, or a distribution to draw from.
    struct Entry {
        std::vector<std::function<void(P&)>> choices;  ///< a list's settings; empty for a distribution
        std::function<void(P&, random_engine&)> draw;  ///< a distribution's draw
    };

    /// The axes `entries` over the Params `base` (usually the estimator's params()); fields no axis
    /// sets keep base's value. Throws invalid_parameter when a list axis has no values.
    ParamDistributions(P base, std::vector<Entry> entries) : base_(std::move(base)), entries_(std::move(entries)) {
        for (const Entry& e : entries_) {
            if (!e.draw && e.choices.empty()) {
                throw invalid_parameter("param_distributions: an axis has an empty list of values");
            }
        }
    }

    /// The Params every candidate starts from before the axes set their fields.
    [[nodiscard]] const P& base() const noexcept { return base_; }

    /// `n_iter` candidates, as scikit-learn's ParameterSampler: when every axis is a list, distinct
    /// points of their grid (at most all of them) in random order; otherwise independent draws, axis
    /// by axis in the order given. The same for the same random_state. Throws invalid_parameter
    /// for n_iter < 1.
    [[nodiscard]] std::vector<P> sample(int n_iter, std::uint64_t random_state) const {
        require_param(n_iter >= 1, "RandomizedSearchCV", "n_iter", n_iter, "must be >= 1");
        random_engine rng(random_state);
        std::vector<P> out;
        const bool all_lists = std::all_of(entries_.begin(), entries_.end(), [](const Entry& e) { return !e.draw; });
        if (all_lists) {
            // The size of the grid, saturating: a grid larger than any index is sampled with rejection.
            std::uint64_t size = 1;
            for (const Entry& e : entries_) {
                const auto k = static_cast<std::uint64_t>(e.choices.size());
                size = size > std::numeric_limits<std::uint64_t>::max() / k ? std::numeric_limits<std::uint64_t>::max()
                                                                            : size * k;
            }
            const auto count = std::min<std::uint64_t>(static_cast<std::uint64_t>(n_iter), size);
            std::vector<std::uint64_t> points;
            if (2 * count > size) {
                for (const Index i :
                     rng.sample_without_replacement(static_cast<Index>(size), static_cast<Index>(count))) {
                    points.push_back(static_cast<std::uint64_t>(i));
                }
            } else {
                while (points.size() < count) {
                    const std::uint64_t i = rng.below(size);
                    if (std::find(points.begin(), points.end(), i) == points.end()) points.push_back(i);
                }
            }
            for (std::uint64_t point : points) {
                // Mixed-radix digits, the last axis fastest, as param_grid orders the grid.
                P q = base_;
                std::vector<std::size_t> digit(entries_.size());
                for (std::size_t a = entries_.size(); a-- > 0;) {
                    const auto k = static_cast<std::uint64_t>(entries_[a].choices.size());
                    digit[a] = static_cast<std::size_t>(point % k);
                    point /= k;
                }
                for (std::size_t a = 0; a < entries_.size(); ++a) entries_[a].choices[digit[a]](q);
                out.push_back(std::move(q));
            }
            return out;
        }
        for (int i = 0; i < n_iter; ++i) {
            P q = base_;
            for (const Entry& e : entries_) {
                if (e.draw) {
                    e.draw(q, rng);
                } else {
                    e.choices[static_cast<std::size_t>(rng.below(e.choices.size()))](q);
                }
            }
            out.push_back(std::move(q));
        }
        return out;
    }

private:
    P base_;
    std::vector<Entry> entries_;
};

namespace detail {

template <class P>
typename ParamDistributions<P>::Entry as_entry(const GridAxis<P>& a) {
    return {a.settings, {}};
}

template <class P, class Field, class Source>
typename ParamDistributions<P>::Entry as_entry(const FieldAxis<Field, Source>& a) {
    if constexpr (distribution<Source>) {
        return {{}, [field = a.field, dist = a.source](P& p, random_engine& rng) {
                    auto& target = detail::field_of(p, field);
                    detail::assign_draw<Source>(target, dist.sample(rng));
                }};
    } else {
        return {as_grid_axis<P>(a).settings, {}};
    }
}

}  // namespace detail

/// The axes RandomizedSearchCV samples, over `base` (usually the estimator's params()):
/// `param_distributions(pipe.params(), axis(step<1>(&LR::Params::C), loguniform(1e-3, 1e3)),
/// axis(step<1>(&LR::Params::fit_intercept), {true, false}))`. Lists and distributions mix.
template <class P, class... Axes>
[[nodiscard]] ParamDistributions<P> param_distributions(const P& base, const Axes&... axes) {
    return ParamDistributions<P>(base, {detail::as_entry<P>(axes)...});
}

/// RandomizedSearchCV's options, in scikit-learn's order: `n_iter` candidates, then as
/// SearchOptions, and `random_state`, the seed of the draws.
template <class E>
struct RandomizedSearchOptions {
    int n_iter = 10;        ///< how many candidates to draw and cross-validate; >= 1; default 10
    Scorer<E> scoring{};    ///< how each test fold is scored, greater is better; default: E's own score
    int n_jobs = 1;         ///< threads for the candidates × folds fits; 0 = all cores; default 1
    bool refit = true;      ///< refit the best candidate on all the data (needed to predict and score)
    CrossValidator cv = 5;  ///< the splits: a fold count (default 5), a splitter, or explicit splits
    std::uint64_t random_state = default_random_state;  ///< the seed of the candidates' draws
};

/// Search over `n_iter` candidates drawn from `param_distributions`, as scikit-learn's
/// `RandomizedSearchCV`: the candidates are drawn with kestrel's own generator from
/// `random_state` (the same candidates, scores and choice for any n_jobs and on every platform,
/// though not scikit-learn's draws), then cross-validated, ranked and refitted as GridSearchCV.
///
/// ```cpp
/// RandomizedSearchCV search(pipe, param_distributions(pipe.params(), axis(step<1>(&LR::Params::C),
///                                                     loguniform(1e-3, 1e3))),
///                           {.n_iter = 20, .scoring = Scoring::neg_log_loss, .random_state = 7});
/// ```
template <detail::scoring_estimator E>
class RandomizedSearchCV : public detail::search_base<E> {
    using base = detail::search_base<E>;

public:
    using typename base::Params;       ///< the searched estimator's hyperparameters: one candidate
    using typename base::scalar_type;  ///< the searched estimator's floating-point type
    using typename base::target_type;  ///< the searched estimator's targets (Labels or Vector)
    /// n_iter, scoring, n_jobs, refit, cv and random_state.
    using Options = RandomizedSearchOptions<E>;
    /// The class's name in messages and warnings.
    static constexpr std::string_view name = "RandomizedSearchCV";

    /// Searches `estimator` over candidates drawn from `distributions` (param_distributions's
    /// output) with `options`. The options are checked when fit draws (n_iter) and splits (cv).
    RandomizedSearchCV(E estimator, ParamDistributions<Params> distributions, Options options = {})
        : base(std::move(estimator),
               SearchOptions<E>{std::move(options.scoring), options.n_jobs, options.refit, std::move(options.cv)},
               name),
          distributions_(std::move(distributions)), n_iter_(options.n_iter), random_state_(options.random_state) {}

    /// Sets the callback told of each scored fold, which can stop the search (as GridSearchCV's).
    RandomizedSearchCV& set_progress_callback(progress_callback callback) {
        this->progress_callback_ = std::move(callback);
        return *this;
    }

    /// Draws the candidates and cross-validates them on X and y (target_for, as GridSearchCV).
    /// Throws invalid_parameter for n_iter < 1.
    template <matrix_of<scalar_type> M, target_for<E> Y>
    RandomizedSearchCV& fit(const M& X, const Y& y) {
        this->run(distributions_.sample(n_iter_, random_state_), X, y);
        return *this;
    }
    /// Searches on a Dataset's X and y (without sample weights; see GridSearchCV::fit).
    template <target_for<E> Target>
    RandomizedSearchCV& fit(const Dataset<scalar_type, Target>& data) {
        this->check_no_weights(data.sample_weight);
        return fit(data.X, data.y);
    }

private:
    ParamDistributions<Params> distributions_;
    int n_iter_ = 10;
    std::uint64_t random_state_ = default_random_state;
};

}  // namespace kestrel::model_selection
