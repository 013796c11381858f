#pragma once
/// \file
/// `Dataset`: samples, targets and their names, as the loaders return them.

#include <concepts>
#include <string>
#include <vector>

#include "types.hpp"

namespace kestrel {

/// Samples `X` (one a row), targets `y`, optional `sample_weight` (empty means uniform) and names.
/// `Target` is `Labels` for classification data and `Vector<T>` for regression data.
template <std::floating_point T, class Target = Vector<T>>
struct Dataset {
    using scalar_type = T;
    using target_type = Target;

    Matrix<T> X;
    Target y;
    Vector<T> sample_weight;
    std::vector<std::string> feature_names;
    std::vector<std::string> target_names;

    [[nodiscard]] Index n_samples() const noexcept { return X.rows(); }
    [[nodiscard]] Index n_features() const noexcept { return X.cols(); }
};

}  // namespace kestrel
