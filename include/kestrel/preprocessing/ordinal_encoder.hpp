#pragma once
/// \file
/// OrdinalEncoder: each integer category of a feature becomes its position among the feature's
/// sorted categories.

#include <algorithm>
#include <cmath>
#include <concepts>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/dataset.hpp"
#include "../core/detail/estimator_base.hpp"
#include "../core/detail/validation.hpp"
#include "../core/error.hpp"
#include "../core/params.hpp"
#include "../core/types.hpp"
#include "detail/categories.hpp"
#include "one_hot_encoder.hpp"

namespace kestrel::preprocessing {

/// scikit-learn's `handle_unknown` of OrdinalEncoder (its values differ from OneHotEncoder's
/// HandleUnknown): what transform does with a category not seen in fit.
enum class OrdinalHandleUnknown {
    error,              ///< throw invalid_input
    use_encoded_value,  ///< encode it as `unknown_value`
};
/// scikit-learn's spellings of OrdinalHandleUnknown's values.
constexpr enum_table<OrdinalHandleUnknown, 2> enum_names(OrdinalHandleUnknown) {
    return {{{OrdinalHandleUnknown::error, "error"}, {OrdinalHandleUnknown::use_encoded_value, "use_encoded_value"}}};
}

/// OrdinalEncoder's hyperparameters: scikit-learn's fields, in its order; categories are always
/// inferred ('auto') and the output is always T (`dtype` left out). The codes are integers, as
/// scikit-learn requires, and scikit-learn's np.nan is an empty optional here, as
/// SimpleImputer's missing_values.
struct OrdinalEncoderParams {
    /// scikit-learn's class name.
    static constexpr std::string_view name = "OrdinalEncoder";
    /// What transform does with a category unseen in fit.
    OrdinalHandleUnknown handle_unknown = OrdinalHandleUnknown::error;
    /// The code of unseen categories under use_encoded_value, or empty for NaN (scikit-learn's
    /// np.nan; scikit-learn has no default there and asks for one). It must stay empty
    /// (scikit-learn's None) under error, and must not be the code of a category seen in fit.
    std::optional<int> unknown_value;
    /// The code of NaN (a missing value) in features that held NaN at fit, or empty for NaN
    /// (scikit-learn's default np.nan). It must not be the code of a category of such a feature.
    std::optional<int> encoded_missing_value;
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static constexpr void fields(Self& p, F&& field) {
        field("handle_unknown", p.handle_unknown);
        field("unknown_value", p.unknown_value);
        field("encoded_missing_value", p.encoded_missing_value);
    }
    /// Throws invalid_parameter: an unknown_value under handle_unknown = error.
    constexpr void validate() const {
        if (unknown_value) {
            require_param(handle_unknown == OrdinalHandleUnknown::use_encoded_value, name, "unknown_value",
                          *unknown_value, "may only be set when handle_unknown is use_encoded_value");
        }
    }
    friend constexpr bool operator==(const OrdinalEncoderParams&, const OrdinalEncoderParams&) = default;
};

/// Encodes integer categorical features as scikit-learn 1.2's `OrdinalEncoder`: the value of
/// feature j becomes its position in `categories()[j]` (the distinct values seen in fit, sorted).
/// Input follows OneHotEncoder: a `Matrix<T>` of whole numbers in int's range, or any integer
/// Eigen matrix; any other value (infinity included) throws invalid_input. NaN is a missing
/// value, as in scikit-learn: a feature that held NaN at fit encodes it as
/// `encoded_missing_value` (scikit-learn's categories_ then ends with nan, which kestrel keeps
/// as `has_missing()`); elsewhere NaN is an unknown category. The output is `Matrix<T>`;
/// `inverse_transform` gives the categories back, with NaN for missing and unknown entries
/// (scikit-learn's nan and None).
template <std::floating_point T = double>
class OrdinalEncoder : public estimator_base<OrdinalEncoder<T>, T, OrdinalEncoderParams>,
                       public transformer_mixin<OrdinalEncoder<T>, T> {
    using base = estimator_base<OrdinalEncoder<T>, T, OrdinalEncoderParams>;

public:
    /// scikit-learn's class name.
    static constexpr std::string_view name = OrdinalEncoderParams::name;
    /// NaN in X is a missing value, a category of its own.
    static constexpr bool allow_nan = true;
    using base::base;
    using base::fit;

    /// Records the sorted distinct categories of each column and whether it held NaN. Throws
    /// invalid_input, and invalid_parameter when unknown_value or encoded_missing_value is the
    /// code of a category seen (scikit-learn's ValueError).
    template <category_matrix<T> M>
    OrdinalEncoder& fit(const M& X) {
        this->n_features_in_ = 0;
        const OrdinalEncoderParams& p = this->params_;
        p.validate();
        kestrel::detail::check_not_empty(X, name);
        std::vector<Labels> categories;
        std::vector<bool> has_missing;
        std::vector<int> values;
        for (Index j = 0; j < X.cols(); ++j) {
            values.clear();
            bool missing = false;
            for (Index i = 0; i < X.rows(); ++i) {
                if (is_nan(X(i, j))) {
                    missing = true;
                } else {
                    values.push_back(category(X(i, j), i, j));
                }
            }
            std::sort(values.begin(), values.end());
            values.erase(std::unique(values.begin(), values.end()), values.end());
            categories.push_back(Eigen::Map<const Labels>(values.data(), static_cast<Index>(values.size())));
            has_missing.push_back(missing);
            // scikit-learn counts the NaN category in the codes a feature uses.
            const auto used = static_cast<Index>(values.size()) + (missing ? 1 : 0);
            if (p.handle_unknown == OrdinalHandleUnknown::use_encoded_value && p.unknown_value) {
                require_param(!(*p.unknown_value >= 0 && *p.unknown_value < used), name, "unknown_value",
                              *p.unknown_value, "must not be the code of a category seen in fit");
            }
            if (missing && p.encoded_missing_value) {
                require_param(!(*p.encoded_missing_value >= 0 && *p.encoded_missing_value < used), name,
                              "encoded_missing_value", *p.encoded_missing_value,
                              "must not be the code of a category of a feature with missing values, such as "
                              "feature " +
                                  std::to_string(j));
            }
        }
        categories_ = std::move(categories);
        has_missing_ = std::move(has_missing);
        this->n_features_in_ = X.cols();
        return *this;
    }

    /// Each entry's code: its category's position, encoded_missing_value for NaN in a feature that
    /// held NaN at fit, unknown_value for an unseen category under use_encoded_value. Throws
    /// not_fitted, invalid_input (an unseen category under handle_unknown = error included).
    template <category_matrix<T> M>
    [[nodiscard]] Matrix<T> transform(const M& X) const {
        kestrel::detail::check_fitted(this->is_fitted(), name);
        kestrel::detail::check_n_features(X.cols(), this->n_features_in_, name);
        kestrel::detail::check_not_empty(X, name);
        const OrdinalEncoderParams& p = this->params_;
        Matrix<T> Z(X.rows(), X.cols());
        for (Index j = 0; j < X.cols(); ++j) {
            const std::size_t f = static_cast<std::size_t>(j);
            const Labels& cats = categories_[f];
            for (Index i = 0; i < X.rows(); ++i) {
                if (is_nan(X(i, j)) && has_missing_[f]) {
                    Z(i, j) = code(p.encoded_missing_value);
                    continue;
                }
                Index k = cats.size();
                std::string shown = "nan";
                if (!is_nan(X(i, j))) {
                    const int value = category(X(i, j), i, j);
                    const int* found = std::lower_bound(cats.data(), cats.data() + cats.size(), value);
                    if (found != cats.data() + cats.size() && *found == value) k = found - cats.data();
                    shown = std::to_string(value);
                }
                if (k < cats.size()) {
                    Z(i, j) = static_cast<T>(k);
                } else if (p.handle_unknown == OrdinalHandleUnknown::use_encoded_value) {
                    Z(i, j) = code(p.unknown_value);
                } else {
                    throw invalid_input(kestrel::detail::prefixed(
                        name,
                        "found unknown category " + shown + " in column " + std::to_string(j) + " during transform"));
                }
            }
        }
        return Z;
    }

    /// The categories of codes Z: encoded_missing_value (in a feature that held NaN at fit) and
    /// unknown_value (under use_encoded_value) give NaN, as does the code of the NaN category.
    /// Throws not_fitted, invalid_input (wrong width, infinity, or a code that is none of these
    /// nor a category's position — scikit-learn would index out of bounds or wrap around).
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> inverse_transform(const M& Z) const {
        kestrel::detail::check_fitted(this->is_fitted(), name);
        kestrel::detail::check_n_features(Z.cols(), this->n_features_in_, name);
        kestrel::detail::check_not_empty(Z, name);
        const OrdinalEncoderParams& p = this->params_;
        constexpr T nan = std::numeric_limits<T>::quiet_NaN();
        Matrix<T> X(Z.rows(), Z.cols());
        for (Index j = 0; j < Z.cols(); ++j) {
            const std::size_t f = static_cast<std::size_t>(j);
            const Labels& cats = categories_[f];
            const Index n_codes = cats.size() + (has_missing_[f] ? 1 : 0);
            for (Index i = 0; i < Z.rows(); ++i) {
                const T z = Z(i, j);
                if ((has_missing_[f] && is_code(z, p.encoded_missing_value)) ||
                    (p.handle_unknown == OrdinalHandleUnknown::use_encoded_value && is_code(z, p.unknown_value))) {
                    X(i, j) = nan;
                } else if (z >= T(0) && z < static_cast<T>(n_codes) && z == std::floor(z)) {
                    const auto k = static_cast<Index>(z);
                    X(i, j) = k < cats.size() ? static_cast<T>(cats[k]) : nan;
                } else {
                    throw invalid_input(kestrel::detail::prefixed(
                        name, "X holds " + std::to_string(z) + " at row " + std::to_string(i) + ", column " +
                                  std::to_string(j) + ", which is not a code of that feature"));
                }
            }
        }
        return X;
    }

    /// Each feature's categories seen in fit, sorted; scikit-learn's categories_ without the
    /// trailing nan of features that held NaN (see has_missing()). Throws not_fitted.
    [[nodiscard]] const std::vector<Labels>& categories() const { return this->fitted(categories_); }
    /// Whether each feature held NaN at fit (its scikit-learn categories_ end with nan). Throws
    /// not_fitted.
    [[nodiscard]] const std::vector<bool>& has_missing() const { return this->fitted(has_missing_); }

private:
    friend struct kestrel::detail::persistence_access;

    template <class Archive>
    void persist(Archive& a) {
        const Index d = a.n_features();
        kestrel::detail::persist_categories(a, categories_, d);
        std::vector<int> missing(has_missing_.begin(), has_missing_.end());
        a.integers("has_missing_", missing, d);
        if constexpr (Archive::loading) {
            has_missing_.assign(missing.begin(), missing.end());
            const OrdinalEncoderParams& p = this->params_;
            for (std::size_t j = 0; j < categories_.size(); ++j) {
                a.require(missing[j] == 0 || missing[j] == 1, "has_missing_ holds a value that is not 0 or 1");
                const Index used = categories_[j].size() + missing[j];
                a.require(used >= 1, "a feature has no categories");
                if (p.handle_unknown == OrdinalHandleUnknown::use_encoded_value && p.unknown_value) {
                    a.require(!(*p.unknown_value >= 0 && *p.unknown_value < used),
                              "unknown_value is the code of a category");
                }
                if (missing[j] == 1 && p.encoded_missing_value) {
                    a.require(!(*p.encoded_missing_value >= 0 && *p.encoded_missing_value < used),
                              "encoded_missing_value is the code of a category");
                }
            }
        }
    }

    template <class V>
    static bool is_nan(V value) {
        if constexpr (std::floating_point<V>) {
            return value != value;
        } else {
            return false;
        }
    }

    /// The code a parameter gives: its number, or NaN when it is empty.
    static T code(const std::optional<int>& value) {
        return value ? static_cast<T>(*value) : std::numeric_limits<T>::quiet_NaN();
    }

    /// Whether z is the code `value` gives (NaN matching NaN).
    static bool is_code(T z, const std::optional<int>& value) { return value ? z == static_cast<T>(*value) : z != z; }

    template <class V>
    static int category(V value, Index row, Index col) {
        return kestrel::detail::category_of(value, row, col, name, ", or NaN");
    }

    std::vector<Labels> categories_;
    std::vector<bool> has_missing_;
};

}  // namespace kestrel::preprocessing
