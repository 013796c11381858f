#pragma once
/// \file
/// load_digits: handwritten digits (1797 samples, 64 pixel features, 10 classes).

#include <concepts>

#include "../core/dataset.hpp"
#include "../core/types.hpp"
#include "detail/digits_data.hpp"
#include "detail/embedded.hpp"

namespace kestrel::datasets {

/// The digits data: 1797 8x8 images flattened row by row into features pixel_0_0 .. pixel_7_7
/// (values 0..16), classes 0..9 (target_names "0" .. "9").
/// The values are bit-identical to scikit-learn 1.2's `load_digits()` with default arguments (as
/// float64; converted to T). Source and licence: see detail/digits_data.hpp. Embedded: needs no file.
template <std::floating_point T = double>
Dataset<T, Labels> load_digits() {
    return detail::load_embedded<T, Labels, detail::digits_data>();
}

}  // namespace kestrel::datasets
