#pragma once
/// \file
/// Pipeline: a chain of transformers ending in any estimator, typed at compile time.

#include <concepts>
#include <cstddef>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "../core/concepts.hpp"
#include "../core/dataset.hpp"
#include "../core/detail/validation.hpp"
#include "../core/one_row.hpp"
#include "../core/print.hpp"
#include "../core/types.hpp"

namespace kestrel::pipeline {

namespace detail {

template <class... Steps>
using last_of = std::tuple_element_t<sizeof...(Steps) - 1, std::tuple<Steps...>>;

template <class... Steps>
using first_of = std::tuple_element_t<0, std::tuple<Steps...>>;

template <class Tuple, std::size_t... I>
constexpr bool leading_steps_transform(std::index_sequence<I...>) {
    return (transformer<std::tuple_element_t<I, Tuple>> && ...);
}

/// Whether every step but the last models `transformer`.
template <class... Steps>
inline constexpr bool all_but_last_transform =
    leading_steps_transform<std::tuple<Steps...>>(std::make_index_sequence<sizeof...(Steps) - 1>{});

/// Supplies `target_type` when the final step has one (it is supervised).
template <class Last>
struct target_of {};

template <class Last>
requires requires { typename Last::target_type; }
struct target_of<Last> {
    using target_type = typename Last::target_type;
};

}  // namespace detail

/// Chains steps as scikit-learn's `Pipeline`: `fit` fits each step on the output of the steps
/// before it and hands the result on; `predict`, `predict_proba`, `transform`, `score`, ...
/// send X through every step's `transform` and call the last step's method. The pipeline models
/// whatever concepts its last step models (a classifier's pipeline is a classifier).
///
/// Every step but the last must model `kestrel::transformer`, and every step must compute in the
/// same scalar; anything else is a compile error saying so. Steps are reachable by index with
/// `step<I>()`. Its `Params` holds each step's `Params`, so `clone` and grid search work on it.
template <estimator... Steps>
class Pipeline : public detail::target_of<detail::last_of<Steps...>>,
                 public one_row_methods<Pipeline<Steps...>, scalar_of<detail::first_of<Steps...>>> {
    static_assert(sizeof...(Steps) >= 1, "kestrel::pipeline::Pipeline needs at least one step");
    static_assert(detail::all_but_last_transform<Steps...>,
                  "kestrel::pipeline::Pipeline: every step but the last must model kestrel::transformer "
                  "(have a const transform(X) -> Matrix<T>); a classifier or regressor can only be the last step");
    static_assert((std::same_as<scalar_of<Steps>, scalar_of<detail::first_of<Steps...>>> && ...),
                  "kestrel::pipeline::Pipeline: every step must use the same scalar type (all float or all double)");

    using Last = detail::last_of<Steps...>;
    static constexpr std::size_t n_steps = sizeof...(Steps);

public:
    using scalar_type = scalar_of<detail::first_of<Steps...>>;  ///< the floating-point type every step computes in
    using T = scalar_type;                                      ///< short for scalar_type
    /// The class's name in messages and in its printed repr.
    static constexpr std::string_view name = "Pipeline";
    /// Whether a row may hold NaN: whether the first step takes missing values.
    static constexpr bool allow_nan = kestrel::detail::takes_missing<detail::first_of<Steps...>>();

    /// Each step's hyperparameters, in order.
    struct Params {
        /// The step types, for naming a step's field by type (model_selection::step<E>(field)).
        using estimators = std::tuple<Steps...>;
        std::tuple<typename Steps::Params...> steps{};  ///< step I's Params at position I, in step order
        /// Validates every step's Params in order: throws what the first failing step's validate()
        /// throws (invalid_parameter).
        constexpr void validate() const {
            std::apply([](const auto&... p) { (p.validate(), ...); }, steps);
        }
        friend constexpr bool operator==(const Params&, const Params&) = default;
        /// Prints as the pipeline these parameters build: `Pipeline(steps=[...])`.
        friend std::ostream& operator<<(std::ostream& out, const Params& p) { return out << Pipeline(p); }
    };

    /// Steps built from their parameters.
    explicit Pipeline(Params params = {})
        : steps_(std::apply([](const auto&... p) { return std::tuple<Steps...>(Steps(p)...); }, params.steps)) {}

    /// Steps given as estimator objects (their parameters are kept, any fitted state too).
    explicit Pipeline(Steps... steps) requires(sizeof...(Steps) > 0) : steps_(std::move(steps)...) {}

    /// Every step's current hyperparameters, gathered into one Params (a copy).
    [[nodiscard]] Params params() const {
        return Params{
            std::apply([](const auto&... s) { return std::tuple<typename Steps::Params...>(s.params()...); }, steps_)};
    }
    /// Gives each step its Params from `params.steps`, as each step's set_params does; returns the
    /// pipeline.
    Pipeline& set_params(const Params& params) {
        set_step_params(params, std::index_sequence_for<Steps...>{});
        return *this;
    }
    /// Whether the last step is fitted (fit fits the steps in order, the last one last).
    [[nodiscard]] bool is_fitted() const noexcept { return std::get<n_steps - 1>(steps_).is_fitted(); }

    /// The I-th step.
    template <std::size_t I>
    [[nodiscard]] auto& step() noexcept {
        return std::get<I>(steps_);
    }
    /// The I-th step, read-only.
    template <std::size_t I>
    [[nodiscard]] const auto& step() const noexcept {
        return std::get<I>(steps_);
    }
    /// The number of steps.
    [[nodiscard]] static constexpr std::size_t size() noexcept { return n_steps; }

    /// Fits every step in turn on samples and targets (the last step must be supervised). y must be
    /// a target the last step takes (target_for): int labels for a classifier, a vector of T for a
    /// regressor; anything else fails to compile here, naming the concept it breaks.
    template <matrix_of<T> M, target_for<Last> Y>
    requires supervised_estimator<Last> Pipeline& fit(const M& X, const Y& y) {
        Matrix<T> Xt = fit_leading(X, &y, std::make_index_sequence<n_steps - 1>{});
        std::get<n_steps - 1>(steps_).fit(Xt, y);
        return *this;
    }

    /// Fits every step in turn on samples alone (the last step must be unsupervised).
    template <matrix_of<T> M>
    requires unsupervised_estimator<Last> Pipeline& fit(const M& X) {
        Matrix<T> Xt = fit_leading(X, static_cast<const int*>(nullptr), std::make_index_sequence<n_steps - 1>{});
        std::get<n_steps - 1>(steps_).fit(Xt);
        return *this;
    }

    /// Fits on a Dataset's X and y (the last step must be supervised and take this Target).
    template <class Target, class L = Last>
    requires supervised_estimator<L> && std::same_as<Target, typename L::target_type> Pipeline& fit(
        const Dataset<T, Target>& data) {
        return fit(data.X, data.y);
    }

    /// The last step's predictions for X (n_samples × n_features) sent through the other steps'
    /// transform: one per sample. Throws what the steps throw (not_fitted before fit, invalid_input).
    template <matrix_of<T> M>
    requires predictor<Last>
    [[nodiscard]] auto predict(const M& X) const { return last().predict(transform_leading(X)); }

    /// The last step's class probabilities for transformed X: n_samples × n_classes.
    template <matrix_of<T> M>
    requires requires(const Last& e, const Matrix<T>& Z) { e.predict_proba(Z); }
    [[nodiscard]] auto predict_proba(const M& X) const { return last().predict_proba(transform_leading(X)); }

    /// The last step's log class probabilities for transformed X: n_samples × n_classes.
    template <matrix_of<T> M>
    requires requires(const Last& e, const Matrix<T>& Z) { e.predict_log_proba(Z); }
    [[nodiscard]] auto predict_log_proba(const M& X) const { return last().predict_log_proba(transform_leading(X)); }

    /// The last step's decision function for transformed X (its shape is the last step's).
    template <matrix_of<T> M>
    requires requires(const Last& e, const Matrix<T>& Z) { e.decision_function(Z); }
    [[nodiscard]] auto decision_function(const M& X) const { return last().decision_function(transform_leading(X)); }

    /// X sent through every step's transform, the last step's included (the last step must be a
    /// transformer): n_samples × the last step's output columns.
    template <matrix_of<T> M>
    requires transformer<Last>
    [[nodiscard]] Matrix<T> transform(const M& X) const { return last().transform(transform_leading(X)); }

    /// The last step's score (accuracy for classifiers, R² for regressors) on transformed X.
    template <matrix_of<T> M, class Y>
    requires requires(const Last& e, const Matrix<T>& Z, const Y& y) { e.score(Z, y); }
    [[nodiscard]] auto score(const M& X, const Y& y) const { return last().score(transform_leading(X), y); }

    /// The last step's classes (a classifier's sorted labels).
    [[nodiscard]] decltype(auto) classes() const requires requires(const Last& e) { e.classes(); }
    { return last().classes(); }

    /// The number of features the first step was fitted on (what X must have).
    [[nodiscard]] Index n_features_in() const { return std::get<0>(steps_).n_features_in(); }

    /// make_pipeline's names of the steps: each class name in lower case ("standardscaler"),
    /// with "-1", "-2", ... on names that repeat.
    [[nodiscard]] static std::vector<std::string> step_names() {
        return kestrel::detail::pipeline_step_names({std::string(Steps::name)...});
    }

    /// scikit-learn's repr: `Pipeline(steps=[('standardscaler', StandardScaler()), ...])`.
    friend std::ostream& operator<<(std::ostream& out, const Pipeline& p) {
        const std::vector<std::string> names = step_names();
        out << "Pipeline(steps=[";
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((out << (I > 0 ? ", " : "") << "('" << names[I] << "', " << kestrel::to_string(std::get<I>(p.steps_))
                  << ")"),
             ...);
        }
        (std::make_index_sequence<n_steps>{});
        return out << "])";
    }

private:
    friend struct kestrel::detail::one_row_access;
    friend struct kestrel::detail::export_access;

    [[nodiscard]] const Last& last() const noexcept { return std::get<n_steps - 1>(steps_); }

    // One row through the pipeline: every leading step's transform_row in turn (two stack rows of
    // up to row_values values, used alternately), then the last step's row kernel. Each step's
    // batch method runs the same per-row kernel, so the bits are the batch's.
    static constexpr Index row_values = 256;
    template <std::size_t I = 0>
    static constexpr bool leading_rows() {
        if constexpr (I + 1 >= n_steps) {
            return true;
        } else {
            return kestrel::detail::has_transform_row<std::tuple_element_t<I, std::tuple<Steps...>>, T> &&
                   leading_rows<I + 1>();
        }
    }
    struct row_buffers {
        T a[row_values], b[row_values];
    };
    // The row the last step reads: x itself, or its transform by the leading steps.
    template <std::size_t I = 0>
    const T* leading_row(const T* x, row_buffers& buffers) const noexcept {
        if constexpr (I + 1 >= n_steps) {
            return x;
        } else {
            T* out = I % 2 == 0 ? buffers.a : buffers.b;
            kestrel::detail::one_row_access::transform(std::get<I>(steps_), x, out);
            return leading_row<I + 1>(out, buffers);
        }
    }
    void check_one_row_model() const {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((kestrel::detail::one_row_access::transform_width(std::get<I>(steps_)) > row_values
                  ? throw invalid_input("Pipeline: the one-row methods take steps of up to " +
                                        std::to_string(row_values) + " output features; step " + std::to_string(I) +
                                        " writes " +
                                        std::to_string(kestrel::detail::one_row_access::transform_width(
                                            std::get<I>(steps_))) +
                                        " (call the batch methods with one row)")
                  : void()),
             ...);
        }
        (std::make_index_sequence<n_steps - 1>{});
        kestrel::detail::one_row_access::check_model(last());
    }
    void check_row_values(const T* x) const { kestrel::detail::one_row_access::check_values(std::get<0>(steps_), x); }
    [[nodiscard]] auto predict_row(const T* x) const noexcept
        requires(leading_rows() && kestrel::detail::has_predict_row<Last, T>)
    {
        row_buffers buffers;
        return kestrel::detail::one_row_access::predict(last(), leading_row(x, buffers));
    }
    void proba_row(const T* x, T* out) const noexcept
        requires(leading_rows() && kestrel::detail::has_proba_row<Last, T>)
    {
        row_buffers buffers;
        kestrel::detail::one_row_access::proba(last(), leading_row(x, buffers), out);
    }
    void decision_row(const T* x, T* out) const noexcept
        requires(leading_rows() && kestrel::detail::has_decision_row<Last, T>)
    {
        row_buffers buffers;
        kestrel::detail::one_row_access::decision(last(), leading_row(x, buffers), out);
    }
    [[nodiscard]] Index decision_width() const noexcept
        requires kestrel::detail::has_decision_row<Last, T>
    {
        return kestrel::detail::one_row_access::decision_width(last());
    }
    void check_proba_available() const { kestrel::detail::one_row_access::check_proba(last()); }

    template <std::size_t... I>
    void set_step_params(const Params& params, std::index_sequence<I...>) {
        (std::get<I>(steps_).set_params(std::get<I>(params.steps)), ...);
    }

    // Fits step I on Xt (with y when the step is supervised) and replaces Xt by its transform.
    template <std::size_t I, class Y>
    void fit_step(Matrix<T>& Xt, const Y* y) {
        auto& s = std::get<I>(steps_);
        using S = std::remove_cvref_t<decltype(s)>;
        if constexpr (unsupervised_estimator<S>) {
            s.fit(Xt);
        } else {
            s.fit(Xt, *y);
        }
        Xt = s.transform(Xt);
    }

    template <class M, class Y, std::size_t... I>
    Matrix<T> fit_leading(const M& X, const Y* y, std::index_sequence<I...>) {
        Matrix<T> Xt = X;
        (fit_step<I>(Xt, y), ...);
        return Xt;
    }

    template <class M>
    Matrix<T> transform_leading(const M& X) const {
        Matrix<T> Xt = X;
        [&]<std::size_t... I>(std::index_sequence<I...>) { ((Xt = std::get<I>(steps_).transform(Xt)), ...); }
        (std::make_index_sequence<n_steps - 1>{});
        return Xt;
    }

    std::tuple<Steps...> steps_;
};

/// A Pipeline of the given steps, as scikit-learn's `make_pipeline`.
template <class... Steps>
[[nodiscard]] Pipeline<std::remove_cvref_t<Steps>...> make_pipeline(Steps&&... steps) {
    return Pipeline<std::remove_cvref_t<Steps>...>(std::forward<Steps>(steps)...);
}

}  // namespace kestrel::pipeline

namespace kestrel {

/// scikit-learn's repr of a pipeline, as its operator<< prints it.
template <class... Steps>
std::string to_string(const pipeline::Pipeline<Steps...>& p) {
    std::ostringstream out;
    out << p;
    return out.str();
}

}  // namespace kestrel
