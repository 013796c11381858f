#pragma once
/// \file
/// load_iris: Fisher's iris flowers (150 samples, 4 features, 3 classes).

#include <concepts>

#include "../core/dataset.hpp"
#include "../core/types.hpp"
#include "detail/embedded.hpp"
#include "detail/iris_data.hpp"

namespace kestrel::datasets {

/// The iris data: 150 flowers, 4 measurements in cm, classes 0 = setosa, 1 = versicolor, 2 = virginica.
/// The values are bit-identical to scikit-learn 1.2's `load_iris()` with default arguments (as
/// float64; converted to T). Source and licence: see detail/iris_data.hpp. Embedded: needs no file.
template <std::floating_point T = double>
Dataset<T, Labels> load_iris() {
    return detail::load_embedded<T, Labels, detail::iris_data>();
}

}  // namespace kestrel::datasets
