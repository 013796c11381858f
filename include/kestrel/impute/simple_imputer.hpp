#pragma once
/// \file
/// SimpleImputer: replace missing values by a per-feature statistic or a constant.

#include <algorithm>
#include <concepts>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/dataset.hpp"
#include "../core/detail/estimator_base.hpp"
#include "../core/detail/validation.hpp"
#include "../core/error.hpp"
#include "../core/params.hpp"
#include "../core/types.hpp"
#include "detail/missing.hpp"

namespace kestrel::impute {

/// scikit-learn's `strategy` of SimpleImputer: what replaces a missing value.
enum class Strategy {
    mean,           ///< the mean of the feature's observed values
    median,         ///< their median (the mean of the two middle values for an even count)
    most_frequent,  ///< their most frequent value, the smallest of those tied
    constant,       ///< `fill_value`
};
/// scikit-learn's spellings of Strategy's values.
constexpr enum_table<Strategy, 4> enum_names(Strategy) {
    return {{{Strategy::mean, "mean"},
             {Strategy::median, "median"},
             {Strategy::most_frequent, "most_frequent"},
             {Strategy::constant, "constant"}}};
}

/// SimpleImputer's hyperparameters, in scikit-learn's order (`verbose` and `copy` left out).
struct SimpleImputerParams {
    /// scikit-learn's class name.
    static constexpr std::string_view name = "SimpleImputer";
    /// The number that marks a missing entry; empty (the default) means NaN, scikit-learn's np.nan.
    /// When it is a number, NaN in X is refused, as in scikit-learn.
    std::optional<double> missing_values;
    Strategy strategy = Strategy::mean;  ///< the statistic written into missing entries
    /// The value Strategy::constant fills in; empty means 0, scikit-learn's default for numbers.
    std::optional<double> fill_value;
    bool add_indicator = false;        ///< append MissingIndicator's 0/1 columns to transform's output
    bool keep_empty_features = false;  ///< keep features with no observed value at fit (imputed with 0)
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static constexpr void fields(Self& p, F&& field) {
        field("missing_values", p.missing_values);
        field("strategy", p.strategy);
        field("fill_value", p.fill_value);
        field("add_indicator", p.add_indicator);
        field("keep_empty_features", p.keep_empty_features);
    }
    /// Throws invalid_parameter: a missing_values or fill_value that is not finite.
    constexpr void validate() const {
        constexpr double inf = std::numeric_limits<double>::infinity();
        if (missing_values) {
            require_param(*missing_values > -inf && *missing_values < inf, name, "missing_values", *missing_values,
                          "must be a finite number; leave it empty for NaN");
        }
        if (fill_value) {
            require_param(*fill_value > -inf && *fill_value < inf, name, "fill_value", *fill_value, "must be finite");
        }
    }
    friend constexpr bool operator==(const SimpleImputerParams&, const SimpleImputerParams&) = default;
};

/// Imputes missing values as scikit-learn 1.2's `SimpleImputer` on dense numeric data: `fit`
/// records one statistic per feature over its observed (non-missing) values — the mean, the
/// median, the most frequent value (ties go to the smallest) or `fill_value` — and `transform`
/// writes it into each missing entry. A feature with no observed value at fit is dropped from
/// transform's output (its statistic is NaN), unless `keep_empty_features` (then it is imputed
/// with 0, or with fill_value under Strategy::constant, which never drops). With `add_indicator`,
/// transform appends one 0/1 column per feature that had a missing value at fit
/// (`indicator_features()`), 1 where the entry was missing. Infinity is refused; NaN is the
/// default marker (`allow_nan`), and refused when `missing_values` is a number.
template <std::floating_point T = double>
class SimpleImputer : public estimator_base<SimpleImputer<T>, T, SimpleImputerParams>,
                      public transformer_mixin<SimpleImputer<T>, T> {
    using base = estimator_base<SimpleImputer<T>, T, SimpleImputerParams>;

public:
    /// scikit-learn's class name.
    static constexpr std::string_view name = SimpleImputerParams::name;
    /// NaN in X marks a missing value (with the default missing_values).
    static constexpr bool allow_nan = true;
    using base::base;
    using base::fit;

    /// Computes each feature's statistic over its observed values. Throws invalid_parameter,
    /// invalid_input (no samples or features, infinity, NaN when missing_values is a number).
    template <matrix_of<T> M>
    SimpleImputer& fit(const M& X) {
        this->n_features_in_ = 0;
        this->params_.validate();
        const detail::missing_marker<T> missing = marker();
        detail::check_missing_input(X, missing, name);
        const Index n = X.rows(), d = X.cols();
        const SimpleImputerParams& p = this->params_;
        statistics_.resize(d);
        std::vector<Index> with_missing;
        std::vector<T> observed;
        observed.reserve(static_cast<std::size_t>(n));
        for (Index j = 0; j < d; ++j) {
            observed.clear();
            for (Index i = 0; i < n; ++i) {
                if (!missing(X(i, j))) observed.push_back(X(i, j));
            }
            if (observed.size() < static_cast<std::size_t>(n)) with_missing.push_back(j);
            if (p.strategy == Strategy::constant) {
                statistics_[j] = static_cast<T>(p.fill_value.value_or(0.0));
            } else if (observed.empty()) {
                statistics_[j] = p.keep_empty_features ? T(0) : std::numeric_limits<T>::quiet_NaN();
            } else {
                statistics_[j] = statistic(observed);
            }
        }
        indicator_features_ = p.add_indicator ? indices(with_missing) : Labels();
        kept_features_ = kept();
        this->n_features_in_ = d;
        return *this;
    }

    /// X with each missing entry replaced by its feature's statistic, less the features dropped
    /// at fit, then the indicator columns when add_indicator: `n_features_out()` columns.
    /// Throws not_fitted, invalid_input.
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> transform(const M& X) const {
        kestrel::detail::check_fitted(this->is_fitted(), name);
        kestrel::detail::check_n_features(X.cols(), this->n_features_in_, name);
        detail::check_missing_input(X, marker(), name);
        return kestrel::detail::transform_rows(*this, X);
    }

    /// Puts the missing marker (NaN or missing_values) back where the indicator columns say an
    /// entry was missing, as scikit-learn's inverse_transform; features without an indicator keep
    /// their imputed values, and a feature dropped at fit is 0 where its indicator is not set.
    /// Needs add_indicator (invalid_parameter otherwise). Throws not_fitted, invalid_input.
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> inverse_transform(const M& Z) const {
        kestrel::detail::check_fitted(this->is_fitted(), name);
        if (!this->params_.add_indicator) {
            throw invalid_parameter(kestrel::detail::prefixed(
                name, "inverse_transform needs the indicator columns: fit with add_indicator = true"));
        }
        if (Z.cols() != n_features_out()) {
            throw invalid_input(kestrel::detail::prefixed(name, "X has " + std::to_string(Z.cols()) +
                                                                    " columns, but transform gives " +
                                                                    std::to_string(n_features_out())));
        }
        kestrel::detail::check_finite(Z, name);
        const Index kept = kept_features_.size();
        const detail::missing_marker<T> missing = marker();
        const T marker_value = missing.nan ? std::numeric_limits<T>::quiet_NaN() : missing.value;
        Matrix<T> X = Matrix<T>::Zero(Z.rows(), this->n_features_in_);
        for (Index k = 0; k < kept; ++k) X.col(kept_features_[k]) = Z.col(k);
        for (Index f = 0; f < indicator_features_.size(); ++f) {
            for (Index i = 0; i < Z.rows(); ++i) {
                if (Z(i, kept + f) != T(0)) X(i, indicator_features_[f]) = marker_value;
            }
        }
        return X;
    }

    /// Each feature's fill value: the statistic of its observed values, NaN for a feature dropped
    /// at fit, fill_value (0 when empty) under Strategy::constant.
    [[nodiscard]] const Vector<T>& statistics() const { return this->fitted(statistics_); }
    /// The features that had a missing value at fit, ascending (MissingIndicator's `features_`):
    /// the indicator columns of transform. Empty unless add_indicator.
    [[nodiscard]] const Labels& indicator_features() const { return this->fitted(indicator_features_); }
    /// Columns of transform's output: the features kept, then the indicator columns.
    [[nodiscard]] Index n_features_out() const {
        return this->fitted(kept_features_).size() + indicator_features_.size();
    }

private:
    friend struct kestrel::detail::persistence_access;
    friend struct kestrel::detail::one_row_access;
    friend struct kestrel::detail::export_access;

    [[nodiscard]] Index transform_width() const noexcept { return kept_features_.size() + indicator_features_.size(); }
    // The kept features, missing entries replaced by their statistic, then the indicators.
    void transform_row(const T* x, T* out) const noexcept {
        const detail::missing_marker<T> missing = marker();
        const Index kept = kept_features_.size();
        for (Index k = 0; k < kept; ++k) {
            const T v = x[kept_features_[k]];
            out[k] = missing(v) ? statistics_[kept_features_[k]] : v;
        }
        for (Index f = 0; f < indicator_features_.size(); ++f) out[kept + f] = missing(x[indicator_features_[f]]) ? T(1) : T(0);
    }
    // With a number as the missing marker, NaN is refused (as transform refuses it).
    void check_row_values(const T* x) const {
        if (!this->params_.missing_values) return;
        for (Index j = 0; j < this->n_features_in_; ++j) {
            if (x[j] != x[j]) {
                throw invalid_input(std::string(name) + ": the row holds NaN at feature " + std::to_string(j) +
                                    ", but missing_values is " + std::to_string(*this->params_.missing_values) +
                                    " (NaN is not a missing value then)");
            }
        }
    }

    // scikit-learn's statistics_ holds NaN for a dropped feature; the model file keeps every
    // number finite, so it stores 0 there and lists those features in _empty_features.
    template <class Archive>
    void persist(Archive& a) {
        const Index d = a.n_features();
        Vector<T> stored = statistics_;
        Labels empty;
        if constexpr (!Archive::loading) {
            std::vector<Index> dropped;
            for (Index j = 0; j < d; ++j) {
                if (statistics_[j] != statistics_[j]) {
                    dropped.push_back(j);
                    stored[j] = T(0);
                }
            }
            empty = indices(dropped);
        }
        a.vector("statistics_", stored, d);
        a.labels("_empty_features", empty);
        const bool indicator = this->params_.add_indicator;
        if (indicator) a.labels("indicator_features_", indicator_features_);
        if constexpr (Archive::loading) {
            const bool may_drop = this->params_.strategy != Strategy::constant && !this->params_.keep_empty_features;
            a.require(empty.size() == 0 || may_drop,
                      "_empty_features must be empty under strategy constant or keep_empty_features");
            a.require(empty.size() == 0 || (empty.minCoeff() >= 0 && empty.maxCoeff() < d),
                      "_empty_features must lie in [0, n_features_in_)");
            if (!indicator) indicator_features_.resize(0);
            a.require(indicator_features_.size() == 0 ||
                          (indicator_features_.minCoeff() >= 0 && indicator_features_.maxCoeff() < d),
                      "indicator_features_ must lie in [0, n_features_in_)");
            if (indicator) {
                // A feature with no observed value had missing values, so it has an indicator.
                for (Index k = 0; k < empty.size(); ++k) {
                    a.require(std::binary_search(indicator_features_.begin(), indicator_features_.end(), empty[k]),
                              "every feature in _empty_features must be in indicator_features_");
                }
            }
            for (Index k = 0; k < empty.size(); ++k) stored[empty[k]] = std::numeric_limits<T>::quiet_NaN();
            statistics_ = stored;
            kept_features_ = kept();
        }
    }

    detail::missing_marker<T> marker() const {
        const std::optional<double>& value = this->params_.missing_values;
        return {.nan = !value.has_value(), .value = value ? static_cast<T>(*value) : T(0)};
    }

    // The statistic of a non-empty list of observed values (reordered in place).
    T statistic(std::vector<T>& observed) const {
        const std::size_t count = observed.size();
        if (this->params_.strategy == Strategy::mean) {
            double sum = 0;
            for (const T x : observed) sum += static_cast<double>(x);
            return static_cast<T>(sum / static_cast<double>(count));
        }
        std::sort(observed.begin(), observed.end());
        if (this->params_.strategy == Strategy::median) {
            const std::size_t half = count / 2;
            return count % 2 == 1 ? observed[half] : (observed[half - 1] + observed[half]) / T(2);
        }
        // The longest run of equal values in sorted order; the first (smallest) of equal runs wins.
        T best = observed.front();
        std::size_t best_count = 0;
        for (std::size_t begin = 0; begin < count;) {
            std::size_t end = begin + 1;
            while (end < count && observed[end] == observed[begin]) ++end;
            if (end - begin > best_count) {
                best_count = end - begin;
                best = observed[begin];
            }
            begin = end;
        }
        return best;
    }

    // The features transform keeps: those with a statistic (all of them under constant or
    // keep_empty_features, whose statistics are never NaN).
    Labels kept() const {
        std::vector<Index> out;
        for (Index j = 0; j < statistics_.size(); ++j) {
            if (statistics_[j] == statistics_[j]) out.push_back(j);
        }
        return indices(out);
    }

    static Labels indices(const std::vector<Index>& list) {
        Labels out(static_cast<Index>(list.size()));
        for (std::size_t k = 0; k < list.size(); ++k) out[static_cast<Index>(k)] = static_cast<int>(list[k]);
        return out;
    }

    Vector<T> statistics_;
    Labels indicator_features_;  // features with a missing value at fit (add_indicator only)
    Labels kept_features_;       // features transform keeps, ascending
};

}  // namespace kestrel::impute
