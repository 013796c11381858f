#pragma once
/// \file
/// load_diabetes: diabetes progression (442 samples, 10 scaled features, real target).

#include <concepts>

#include "../core/dataset.hpp"
#include "../core/types.hpp"
#include "detail/diabetes_data.hpp"
#include "detail/embedded.hpp"

namespace kestrel::datasets {

/// The diabetes data: 442 patients, 10 features mean-centred and scaled to unit sum of squares
/// (scikit-learn's `scaled=True`); the target measures disease progression one year later.
/// `target_names` is empty.
/// The values are bit-identical to scikit-learn 1.2's `load_diabetes()` with default arguments (as
/// float64; converted to T). Source and licence: see detail/diabetes_data.hpp. Embedded: needs no file.
template <std::floating_point T = double>
Dataset<T, Vector<T>> load_diabetes() {
    return detail::load_embedded<T, Vector<T>, detail::diabetes_data>();
}

}  // namespace kestrel::datasets
