#pragma once
/// \file
/// Options shared by several linear models (scikit-learn's string options, as scoped enums).

#include "../core/params.hpp"

namespace kestrel::linear_model {

/// Whether coordinate descent works on the Gram matrix XᵀX (scikit-learn's `precompute`) in
/// Lasso, ElasticNet, lasso_path and enet_path. `auto_` uses it when there are more samples than
/// features.
enum class Precompute { auto_, true_, false_ };
/// scikit-learn's spellings of Precompute's values.
constexpr enum_table<Precompute, 3> enum_names(Precompute) {
    return {{{Precompute::auto_, "auto"}, {Precompute::true_, "true"}, {Precompute::false_, "false"}}};
}

}  // namespace kestrel::linear_model
