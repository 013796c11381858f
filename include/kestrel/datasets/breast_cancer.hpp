#pragma once
/// \file
/// load_breast_cancer: Breast Cancer Wisconsin, diagnostic (569 samples, 30 features, 2 classes).

#include <concepts>

#include "../core/dataset.hpp"
#include "../core/types.hpp"
#include "detail/breast_cancer_data.hpp"
#include "detail/embedded.hpp"

namespace kestrel::datasets {

/// The breast cancer data: 569 tumours, 30 features, classes 0 = malignant, 1 = benign.
/// The values are bit-identical to scikit-learn 1.2's `load_breast_cancer()` with default arguments (as
/// float64; converted to T). Source and licence: see detail/breast_cancer_data.hpp. Embedded: needs no file.
template <std::floating_point T = double>
Dataset<T, Labels> load_breast_cancer() {
    return detail::load_embedded<T, Labels, detail::breast_cancer_data>();
}

}  // namespace kestrel::datasets
