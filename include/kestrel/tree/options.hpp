#pragma once
/// \file
/// The options of kestrel::tree and the tree ensembles: `Criterion`, `Splitter`, `Size` (a count
/// or a fraction of the samples, as scikit-learn's `min_samples_leaf=5` or `=0.01`) and
/// `MaxFeatures` (`sqrt`, `log2`, a count or a fraction).

#include <algorithm>
#include <cmath>
#include <optional>
#include <string_view>

#include "../core/error.hpp"
#include "../core/params.hpp"
#include "../core/types.hpp"

namespace kestrel::tree {

/// scikit-learn's `criterion`: the impurity a split lowers. Classifiers take gini, entropy and
/// log_loss (the same as entropy); regressors squared_error, friedman_mse, absolute_error and
/// poisson.
enum class Criterion {
    gini,            ///< 1 − Σₖ pₖ²
    entropy,         ///< −Σₖ pₖ log₂ pₖ
    log_loss,        ///< as entropy
    squared_error,   ///< the weighted variance; leaves predict the mean
    friedman_mse,    ///< squared error, splits scored by Friedman's improvement
    absolute_error,  ///< mean absolute deviation from the weighted median; leaves predict it
    poisson,         ///< half Poisson deviance; leaves predict the mean (y ≥ 0, Σy > 0)
};
/// scikit-learn's spellings of Criterion's values.
constexpr enum_table<Criterion, 7> enum_names(Criterion) {
    return {{{Criterion::gini, "gini"},
             {Criterion::entropy, "entropy"},
             {Criterion::log_loss, "log_loss"},
             {Criterion::squared_error, "squared_error"},
             {Criterion::friedman_mse, "friedman_mse"},
             {Criterion::absolute_error, "absolute_error"},
             {Criterion::poisson, "poisson"}}};
}
/// Whether `c` is one of the classification criteria.
constexpr bool is_classification(Criterion c) noexcept {
    return c == Criterion::gini || c == Criterion::entropy || c == Criterion::log_loss;
}

/// scikit-learn's `splitter`.
enum class Splitter {
    best,    ///< the best threshold of each feature examined
    random,  ///< one threshold drawn uniformly between the node's smallest and largest value
};
/// scikit-learn's spellings of Splitter's values.
constexpr enum_table<Splitter, 2> enum_names(Splitter) {
    return {{{Splitter::best, "best"}, {Splitter::random, "random"}}};
}

/// A number of samples given as a count (`5`) or as a fraction of the training samples (`0.01`),
/// as scikit-learn's `min_samples_split`, `min_samples_leaf` and `max_samples`.
class Size {
public:
    /// A count.
    constexpr Size(int count) noexcept : value_(count) {}
    /// A fraction of the training samples.
    constexpr Size(double fraction) noexcept : value_(fraction), fraction_(true) {}

    /// Whether this is a fraction (rather than a count).
    [[nodiscard]] constexpr bool is_fraction() const noexcept { return fraction_; }
    /// The count or the fraction.
    [[nodiscard]] constexpr double value() const noexcept { return value_; }
    /// The count this is for n samples: a fraction is rounded up, at least `at_least`.
    [[nodiscard]] Index count(Index n, Index at_least = 1) const noexcept {
        if (!fraction_) return static_cast<Index>(value_);
        return std::max<Index>(at_least, static_cast<Index>(std::ceil(value_ * static_cast<double>(n))));
    }

    /// Calls field(name, v) with the count (int) or the fraction (double), and takes back what it
    /// leaves there: model files and printing see scikit-learn's int or float.
    template <class F>
    static void field(std::string_view name, Size& size, F& field) {
        if (!size.is_fraction()) {
            int count = static_cast<int>(size.value());
            try {
                field(name, count);
                size = Size(count);
                return;
            } catch (const io_error&) {
            }
        }
        double fraction = size.value();
        field(name, fraction);
        size = Size(fraction);
    }

    /// As field, for an optional Size (None when empty).
    template <class F>
    static void optional_field(std::string_view name, std::optional<Size>& size, F& field) {
        if (!size || !size->is_fraction()) {
            std::optional<int> count;
            if (size) count = static_cast<int>(size->value());
            try {
                field(name, count);
                size = count ? std::optional<Size>(Size(*count)) : std::nullopt;
                return;
            } catch (const io_error&) {
            }
        }
        std::optional<double> fraction;
        if (size) fraction = size->value();
        field(name, fraction);
        size = fraction ? std::optional<Size>(Size(*fraction)) : std::nullopt;
    }

    friend constexpr bool operator==(const Size&, const Size&) = default;

private:
    double value_ = 0;
    bool fraction_ = false;
};

/// How many features each split examines: `MaxFeatures::sqrt`, `MaxFeatures::log2`, a count
/// (`.max_features = 10`) or a fraction (`.max_features = 0.5`); an empty
/// `std::optional<MaxFeatures>` is scikit-learn's None (every feature).
class MaxFeatures {
public:
    /// How the number of features is given: ⌊√n_features⌋, ⌊log₂ n_features⌋, value() features,
    /// or ⌊value() · n_features⌋ (each at least 1).
    enum class Rule { sqrt, log2, count, fraction };
    static const MaxFeatures sqrt;  ///< scikit-learn's 'sqrt'
    static const MaxFeatures log2;  ///< scikit-learn's 'log2'

    /// A count of features (≥ 1; fit refuses more than the data has).
    constexpr MaxFeatures(int count) noexcept : rule_(Rule::count), value_(count) {}
    /// A fraction of the features, in (0, 1].
    constexpr MaxFeatures(double fraction) noexcept : rule_(Rule::fraction), value_(fraction) {}

    /// The rule: sqrt, log2, count or fraction.
    [[nodiscard]] constexpr Rule rule() const noexcept { return rule_; }
    /// The count or the fraction (unused by sqrt and log2).
    [[nodiscard]] constexpr double value() const noexcept { return value_; }
    /// Whether the value is one scikit-learn accepts before seeing the data.
    [[nodiscard]] constexpr bool valid() const noexcept {
        if (rule_ == Rule::count) return value_ >= 1;
        if (rule_ == Rule::fraction) return value_ > 0 && value_ <= 1;
        return true;
    }
    /// The number of features for d features, as scikit-learn resolves it (at least 1).
    [[nodiscard]] Index resolve(Index d) const noexcept {
        switch (rule_) {
            case Rule::sqrt:
                return std::max<Index>(1, static_cast<Index>(std::sqrt(static_cast<double>(d))));
            case Rule::log2:
                return std::max<Index>(1, static_cast<Index>(std::log2(static_cast<double>(d))));
            case Rule::count:
                return static_cast<Index>(value_);
            case Rule::fraction:
                return std::max<Index>(1, static_cast<Index>(value_ * static_cast<double>(d)));
        }
        return d;
    }

    /// For Params::fields: the value as scikit-learn holds it (None, 'sqrt', 'log2', an int or a
    /// float), and back.
    template <class F>
    static void field(std::string_view name, std::optional<MaxFeatures>& m, F& field) {
        if (m && (m->rule_ == Rule::count || m->rule_ == Rule::fraction)) {
            if (m->rule_ == Rule::count) {
                int count = static_cast<int>(m->value_);
                try {
                    field(name, count);
                    m = MaxFeatures(count);
                    return;
                } catch (const io_error&) {
                }
            }
            double fraction = m->value_;
            try {
                field(name, fraction);
                m = MaxFeatures(fraction);
                return;
            } catch (const io_error&) {
            }
        }
        std::optional<Named> named;
        if (m && m->rule_ == Rule::sqrt) named = Named::sqrt;
        if (m && m->rule_ == Rule::log2) named = Named::log2;
        try {
            field(name, named);
            m = !named ? std::nullopt : std::optional<MaxFeatures>(*named == Named::sqrt ? sqrt : log2);
            return;
        } catch (const io_error&) {
        }
        int count = 0;
        try {
            field(name, count);
            m = MaxFeatures(count);
            return;
        } catch (const io_error&) {
        }
        double fraction = 0;
        field(name, fraction);
        m = MaxFeatures(fraction);
    }

    /// The names scikit-learn gives the two rules.
    enum class Named { sqrt, log2 };
    friend constexpr enum_table<Named, 2> enum_names(Named) { return {{{Named::sqrt, "sqrt"}, {Named::log2, "log2"}}}; }

    friend constexpr bool operator==(const MaxFeatures&, const MaxFeatures&) = default;

private:
    constexpr explicit MaxFeatures(Rule rule) noexcept : rule_(rule) {}
    Rule rule_ = Rule::sqrt;
    double value_ = 0;
};

inline constexpr MaxFeatures MaxFeatures::sqrt{MaxFeatures::Rule::sqrt};
inline constexpr MaxFeatures MaxFeatures::log2{MaxFeatures::Rule::log2};

namespace detail {

/// The rules every tree's and forest's structure parameters share, as scikit-learn 1.2 checks
/// them.
template <class P>
constexpr void validate_structure(const P& p, std::string_view name) {
    require_param(!p.max_depth || *p.max_depth >= 1, name, "max_depth", p.max_depth.value_or(0),
                  "must be >= 1 (or empty for no limit)");
    require_param(
        p.min_samples_split.is_fraction() ? p.min_samples_split.value() > 0 && p.min_samples_split.value() <= 1
                                          : p.min_samples_split.value() >= 2,
        name, "min_samples_split", p.min_samples_split.value(), "must be an integer >= 2 or a fraction in (0, 1]");
    require_param(p.min_samples_leaf.is_fraction() ? p.min_samples_leaf.value() > 0 && p.min_samples_leaf.value() < 1
                                                   : p.min_samples_leaf.value() >= 1,
                  name, "min_samples_leaf", p.min_samples_leaf.value(),
                  "must be an integer >= 1 or a fraction in (0, 1)");
    require_param(p.min_weight_fraction_leaf >= 0 && p.min_weight_fraction_leaf <= 0.5, name,
                  "min_weight_fraction_leaf", p.min_weight_fraction_leaf, "must be in [0, 0.5]");
    require_param(!p.max_features || p.max_features->valid(), name, "max_features",
                  p.max_features ? p.max_features->value() : 0.0,
                  "must be a count >= 1, a fraction in (0, 1], MaxFeatures::sqrt or MaxFeatures::log2");
    require_param(!p.max_leaf_nodes || *p.max_leaf_nodes >= 2, name, "max_leaf_nodes", p.max_leaf_nodes.value_or(0),
                  "must be >= 2 (or empty for no limit)");
    require_param(p.min_impurity_decrease >= 0, name, "min_impurity_decrease", p.min_impurity_decrease, "must be >= 0");
    require_param(p.ccp_alpha >= 0, name, "ccp_alpha", p.ccp_alpha, "must be >= 0");
    require_param(p.max_bins == 0 || (p.max_bins >= 2 && p.max_bins <= 256), name, "max_bins", p.max_bins,
                  "must be 0 (exact sorted splits) or in [2, 256] (histogram splits)");
    require_param(p.max_bins == 0 || p.criterion != Criterion::absolute_error, name, "max_bins", p.max_bins,
                  "must be 0 with criterion absolute_error, whose medians need the samples, not bins");
    for (const int c : p.monotonic_cst) {
        require_param(c >= -1 && c <= 1, name, "monotonic_cst", c, "must hold only -1, 0 and 1");
    }
}

}  // namespace detail

}  // namespace kestrel::tree
