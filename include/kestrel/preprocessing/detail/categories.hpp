#pragma once
/// \file
/// The integer category of one input value and the model-file members of each feature's
/// categories, shared by OneHotEncoder and OrdinalEncoder.

#include <cmath>
#include <concepts>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../../core/detail/validation.hpp"
#include "../../core/error.hpp"
#include "../../core/types.hpp"

// In kestrel::detail, not kestrel::preprocessing::detail: the encoders' unqualified `detail::`
// names kestrel::detail.
namespace kestrel::detail {

/// `value` as an int category: an integer in int's range, or a whole floating-point number in
/// [−2³¹, 2³¹) (2³¹ is exact in every floating type, unlike int's largest value, which float
/// rounds up to 2³¹). Otherwise throws invalid_input naming the row and column; `allowed` ends the
/// message ("; categories must be integers in int's range" plus, say, ", or NaN").
template <class V>
int category_of(V value, Index row, Index col, std::string_view estimator, std::string_view allowed = "") {
    if constexpr (std::integral<V>) {
        if (std::in_range<int>(value)) return static_cast<int>(value);
    } else {
        if (value == std::trunc(value) && value >= V(-2147483648.0) && value < V(2147483648.0)) {
            return static_cast<int>(value);
        }
    }
    throw invalid_input(prefixed(estimator, "X holds " + std::to_string(value) + " at row " + std::to_string(row) +
                                                ", column " + std::to_string(col) +
                                                "; categories must be integers in int's range" + std::string(allowed)));
}

/// Saves or loads each of d features' categories as member "categories_/<j>". Loading grows the
/// list as members are found, so a false feature count is refused at the first missing member,
/// not allocated.
template <class Archive>
void persist_categories(Archive& a, std::vector<Labels>& categories, Index d) {
    if constexpr (Archive::loading) categories.clear();
    for (Index j = 0; j < d; ++j) {
        if constexpr (Archive::loading) categories.emplace_back();
        a.labels("categories_/" + std::to_string(j), categories[static_cast<std::size_t>(j)]);
    }
}

}  // namespace kestrel::detail
