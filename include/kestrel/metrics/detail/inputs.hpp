#pragma once
/// \file
/// Input checks and label bookkeeping shared by kestrel's metrics.

#include <algorithm>
#include <concepts>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <Eigen/Core>

#include "../../core/concepts.hpp"
#include "../../core/detail/validation.hpp"
#include "../../core/error.hpp"
#include "../../core/types.hpp"

namespace kestrel::metrics {

/// A dense Eigen column vector (or expression) of float or double values.
template <class V>
concept real_vector = dense_matrix<V> && std::floating_point<typename std::remove_cvref_t<V>::Scalar> &&
    (std::remove_cvref_t<V>::ColsAtCompileTime == 1);

/// The scalar of a real_vector.
template <class V>
using value_of = typename std::remove_cvref_t<V>::Scalar;

namespace detail {

using kestrel::detail::prefixed;

/// Throws invalid_input unless `a` and `b` have the same, positive, length.
inline void check_lengths(Index a, Index b, std::string_view metric, std::string_view a_name = "y_true",
                          std::string_view b_name = "y_pred") {
    if (a != b) {
        throw invalid_input(prefixed(metric, std::string(a_name) + " has " + std::to_string(a) + " samples, but " +
                                                 std::string(b_name) + " has " + std::to_string(b)));
    }
    if (a == 0) throw invalid_input(prefixed(metric, "got 0 samples; at least 1 is required"));
}

/// Sample weights in double; ones when `sample_weight` is empty. Throws invalid_input.
template <class W>
Eigen::VectorXd weights_or_ones(const W& sample_weight, Index n, std::string_view metric) {
    const Eigen::VectorXd w = sample_weight.template cast<double>();
    return kestrel::detail::checked_sample_weight<double>(w, n, metric);
}

using kestrel::detail::label_code;

/// The sorted distinct values of one or two label vectors (kestrel's label encoder), as a std::vector.
inline std::vector<int> sorted_labels(const Eigen::Ref<const Labels>& a, const Eigen::Ref<const Labels>& b = Labels()) {
    const Labels labels = kestrel::detail::distinct_labels(a, b);
    return {labels.data(), labels.data() + labels.size()};
}

}  // namespace detail

}  // namespace kestrel::metrics
