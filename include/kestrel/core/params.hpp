#pragma once
/// \file
/// Hyperparameter checks usable from a `constexpr Params::validate()`.
///
/// `require_param(ok, ...)` does nothing when `ok` holds. Otherwise it calls a function that is
/// not `constexpr` and throws `invalid_parameter`, so a `Params` object checked inside a constant
/// expression with a bad value fails to compile, and at run time `fit` throws a message naming
/// the estimator, the parameter, its value and the rule.
///
/// ```cpp
/// struct Params {
///     int n_clusters = 8;
///     constexpr void validate() const {
///         require_param(n_clusters >= 1, "KMeans", "n_clusters", n_clusters, "must be >= 1");
///     }
/// };
/// ```

#include <array>
#include <concepts>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "error.hpp"

namespace kestrel {

namespace detail {

template <class V>
std::string param_value_text(const V& value) {
    if constexpr (std::is_same_v<V, bool>) {
        return value ? "true" : "false";
    } else if constexpr (std::is_arithmetic_v<V>) {
        std::ostringstream out;
        out.precision(17);
        out << value;
        return out.str();
    } else if constexpr (std::is_enum_v<V>) {
        return std::to_string(static_cast<long long>(value));
    } else {
        return std::string(value);
    }
}

/// Not constexpr on purpose: reaching it in a constant expression is the compile error.
template <class V>
[[noreturn]] void invalid_parameter_value(std::string_view estimator, std::string_view name, const V& value,
                                          std::string_view rule) {
    std::string message;
    message.append(estimator).append(": parameter ").append(name).append(" = ");
    message.append(param_value_text(value)).append(" is invalid: it ").append(rule).append(".");
    throw invalid_parameter(message);
}

}  // namespace detail

/// Checks one hyperparameter rule; see the file comment.
template <class V>
constexpr void require_param(bool ok, std::string_view estimator, std::string_view name, const V& value,
                             std::string_view rule) {
    // In a constant expression a broken rule stops compilation here, and the compiler prints this
    // line under the call to require_param that names the estimator, the parameter and the rule.
    if (!ok) detail::invalid_parameter_value(estimator, name, value, rule);  // bad hyperparameter: see rule above
}

/// A `Params` aggregate whose values can be checked, at compile time when it is a constant.
template <class P>
concept validatable_params = std::default_initializable<P> && std::copyable<P> && requires(const P& p) {
    p.validate();
};

/// An enum whose values have names, scikit-learn's spellings of the option: `enum_names(E{})`,
/// found by argument-dependent lookup in the enum's namespace, returns {value, name} pairs.
/// Model files store these names; printing shows them.
template <class E>
concept named_enum = std::is_enum_v<E> && requires {
    enum_names(E{});
};

/// The name of `value`, as scikit-learn spells it ("newton-cholesky", "k-means++").
template <named_enum E>
constexpr std::string_view enum_name(E value) {
    for (const auto& [v, text] : enum_names(E{})) {
        if (v == value) return text;
    }
    return "?";
}

/// The value named `text`; empty when no value has that name.
template <named_enum E>
constexpr std::optional<E> enum_value(std::string_view text) {
    for (const auto& [v, name] : enum_names(E{})) {
        if (name == text) return v;
    }
    return std::nullopt;
}

/// The {value, name} table of an enum, for its `enum_names` overload.
template <class E, std::size_t N>
using enum_table = std::array<std::pair<E, std::string_view>, N>;

}  // namespace kestrel
