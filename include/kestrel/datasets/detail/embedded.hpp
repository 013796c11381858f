#pragma once
/// \file
/// Turns the literal arrays of an embedded dataset into a Dataset at call time, so the data
/// headers stay plain constants (cheap to compile) and each loader works for float and double.

#include <concepts>
#include <cstddef>
#include <iterator>
#include <string>
#include <vector>

#include "../../core/dataset.hpp"
#include "../../core/types.hpp"

namespace kestrel::datasets::detail {

template <class Value, std::size_t N>
std::vector<std::string> embedded_names(const Value (&names)[N]) {
    return std::vector<std::string>(names, names + N);
}

/// The Dataset held by `Data` (one of the generated `<name>_data` structs): `data` row-major with
/// `n_features` columns, `target` class indices (Labels) or values (Vector<T>), the names.
template <std::floating_point T, class Target, class Data>
Dataset<T, Target> load_embedded() {
    constexpr Index n_features = Data::n_features;
    constexpr Index n_samples = static_cast<Index>(std::size(Data::data)) / n_features;
    static_assert(static_cast<Index>(std::size(Data::target)) == n_samples);
    Dataset<T, Target> out;
    out.X.resize(n_samples, n_features);
    for (Index i = 0; i < n_samples; ++i) {
        for (Index j = 0; j < n_features; ++j) out.X(i, j) = static_cast<T>(Data::data[i * n_features + j]);
    }
    out.y.resize(n_samples);
    for (Index i = 0; i < n_samples; ++i) out.y[i] = static_cast<typename Target::Scalar>(Data::target[i]);
    out.feature_names = embedded_names(Data::feature_names);
    if constexpr (requires { Data::target_names; }) out.target_names = embedded_names(Data::target_names);
    return out;
}

}  // namespace kestrel::datasets::detail
