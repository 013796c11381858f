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
    using scalar_type = T;       ///< the scalar of X (float or double)
    using target_type = Target;  ///< the type of y: Labels or Vector<T>

    Matrix<T> X;                             ///< samples × features, one sample a row
    Target y;                                ///< one target per sample (empty for unlabelled data)
    Vector<T> sample_weight;                 ///< one weight per sample; empty means uniform
    std::vector<std::string> feature_names;  ///< one name per column of X (may be empty)
    std::vector<std::string> target_names;   ///< class names, indexed by label (classification data)

    /// The number of samples: rows of X.
    [[nodiscard]] Index n_samples() const noexcept { return X.rows(); }
    /// The number of features: columns of X.
    [[nodiscard]] Index n_features() const noexcept { return X.cols(); }
};

}  // namespace kestrel
