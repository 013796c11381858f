#pragma once
/// \file
/// load_wine: wine recognition (178 samples, 13 features, 3 classes).

#include <concepts>

#include "../core/dataset.hpp"
#include "../core/types.hpp"
#include "detail/embedded.hpp"
#include "detail/wine_data.hpp"

namespace kestrel::datasets {

/// The wine data: 178 wines, 13 chemical measurements, classes 0, 1, 2 (three cultivators).
/// The values are bit-identical to scikit-learn 1.2's `load_wine()` with default arguments (as
/// float64; converted to T). Source and licence: see detail/wine_data.hpp. Embedded: needs no file.
template <std::floating_point T = double>
Dataset<T, Labels> load_wine() {
    return detail::load_embedded<T, Labels, detail::wine_data>();
}

}  // namespace kestrel::datasets
