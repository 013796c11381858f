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

#include <concepts>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>

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
    if (!ok) detail::invalid_parameter_value(estimator, name, value, rule);
}

/// A `Params` aggregate whose values can be checked, at compile time when it is a constant.
template <class P>
concept validatable_params = std::default_initializable<P> && std::copyable<P> && requires(const P& p) {
    p.validate();
};

}  // namespace kestrel
