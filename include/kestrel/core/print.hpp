#pragma once
/// \file
/// Printing estimators as scikit-learn's repr: the class name and the hyperparameters that differ
/// from their defaults, sorted by name as scikit-learn lists them, each value as Python writes it:
/// `LogisticRegression(C=0.1, solver='newton-cholesky')`, `KMeans()`,
/// `Pipeline(steps=[('standardscaler', StandardScaler()), ('ridge', Ridge(alpha=2.0))])`.

#include <algorithm>
#include <charconv>
#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "params.hpp"
#include "weights.hpp"

namespace kestrel {

namespace detail {

/// `x` as Python's repr(float) writes it: the shortest digits that read back as x, in positional
/// notation for exponents −4 to 15 ("0.0001", "1.0", "250.0") and scientific otherwise ("1e-05").
inline std::string python_float(double x) {
    if (x != x) return "nan";
    if (x == std::numeric_limits<double>::infinity()) return "inf";
    if (x == -std::numeric_limits<double>::infinity()) return "-inf";
    char buffer[64];
    const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, x, std::chars_format::scientific);
    if (error != std::errc()) return "?";
    const std::string text(buffer, end);  // "-1.2345e-05"
    const std::size_t e = text.find('e');
    const bool negative = text[0] == '-';
    std::string digits;
    for (std::size_t i = negative ? 1 : 0; i < e; ++i) {
        if (text[i] != '.') digits.push_back(text[i]);
    }
    const int exponent = std::stoi(text.substr(e + 1));
    std::string out = negative ? "-" : "";
    if (exponent < -4 || exponent >= 16) {
        out += digits.substr(0, 1);
        if (digits.size() > 1) out += "." + digits.substr(1);
        out += exponent < 0 ? "e-" : "e+";
        const int magnitude = exponent < 0 ? -exponent : exponent;
        out += (magnitude < 10 ? "0" : "") + std::to_string(magnitude);
    } else if (exponent < 0) {
        out += "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
    } else {
        const auto point = static_cast<std::size_t>(exponent) + 1;
        if (digits.size() <= point) {
            out += digits + std::string(point - digits.size(), '0') + ".0";
        } else {
            out += digits.substr(0, point) + "." + digits.substr(point);
        }
    }
    return out;
}

/// A hyperparameter's value as Python writes it.
template <class V>
std::string python_value(const V& v) {
    if constexpr (std::is_same_v<V, bool>) {
        return v ? "True" : "False";
    } else if constexpr (std::is_integral_v<V>) {
        return std::to_string(v);
    } else if constexpr (std::is_floating_point_v<V>) {
        return python_float(static_cast<double>(v));
    } else if constexpr (named_enum<V>) {
        return "'" + std::string(enum_name(v)) + "'";
    } else if constexpr (std::is_same_v<V, std::vector<int>>) {
        std::string out = "[";
        for (std::size_t i = 0; i < v.size(); ++i) out += (i > 0 ? ", " : "") + std::to_string(v[i]);
        return out + "]";
    } else if constexpr (std::is_same_v<V, std::vector<std::vector<int>>>) {
        std::string out = "[";
        for (std::size_t i = 0; i < v.size(); ++i) out += (i > 0 ? ", " : "") + python_value(v[i]);
        return out + "]";
    } else if constexpr (std::is_same_v<V, ClassWeight>) {
        if (v.is_none()) return "None";
        if (v.is_balanced()) return "'balanced'";
        std::string out = "{";
        for (const auto& [label, weight] : v.per_class()) {
            out += (out.size() > 1 ? ", " : "") + std::to_string(label) + ": " + python_float(weight);
        }
        return out + "}";
    } else {
        return v ? python_value(*v) : std::string("None");
    }
}

/// make_pipeline's step names: each class name in lower case, then "-1", "-2", ... on names
/// that repeat.
inline std::vector<std::string> pipeline_step_names(std::vector<std::string> names) {
    for (std::string& name : names) {
        for (char& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    std::vector<std::string> out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        std::size_t repeats = 0, before = 0;
        for (std::size_t j = 0; j < names.size(); ++j) {
            if (names[j] == names[i]) {
                ++repeats;
                if (j < i) ++before;
            }
        }
        out.push_back(repeats == 1 ? names[i] : names[i] + "-" + std::to_string(before + 1));
    }
    return out;
}

template <class E>
concept printable_params = requires(typename E::Params& p) {
    E::name;
    E::Params::fields(p, [](std::string_view, auto&) {});
};

}  // namespace detail

namespace detail {

template <class P>
concept named_params = requires(P& p) {
    P::name;
    P::fields(p, [](std::string_view, auto&) {});
};

/// `Name(param=value, ...)`: the parameters of `params` that differ from their defaults, sorted by
/// name as scikit-learn's get_params lists them (`C` before `dual`).
template <class Params>
std::string repr(std::string_view name, const Params& given) {
    std::vector<std::string> defaults;
    Params reference{};
    Params::fields(reference,
                   [&](std::string_view, const auto& field) { defaults.push_back(detail::python_value(field)); });
    Params params = given;
    std::vector<std::pair<std::string, std::string>> changed;
    std::size_t i = 0;
    Params::fields(params, [&](std::string_view field_name, const auto& field) {
        std::string value = detail::python_value(field);
        if (value != defaults[i++]) changed.emplace_back(std::string(field_name), std::move(value));
    });
    std::sort(changed.begin(), changed.end());
    std::string out(name);
    out += "(";
    for (std::size_t k = 0; k < changed.size(); ++k) {
        out += (k > 0 ? ", " : "") + changed[k].first + "=" + changed[k].second;
    }
    return out + ")";
}

}  // namespace detail

/// scikit-learn's repr of `e`: `Name(param=value, ...)` with the parameters that differ from
/// their defaults, sorted by name as scikit-learn's get_params lists them (`C` before `dual`).
template <detail::printable_params E>
std::string to_string(const E& e) {
    return detail::repr(E::name, e.params());
}

/// An estimator's Params as that estimator prints with them: `LogisticRegression(C=0.1)`.
template <detail::named_params P>
std::string to_string(const P& params) {
    return detail::repr(P::name, params);
}

/// Prints to_string(e).
template <detail::printable_params E>
std::ostream& operator<<(std::ostream& out, const E& e) {
    return out << to_string(e);
}

/// Prints to_string(params).
template <detail::named_params P>
std::ostream& operator<<(std::ostream& out, const P& params) {
    return out << to_string(params);
}

}  // namespace kestrel
