#pragma once
/// \file
/// Options shared by several linear models (scikit-learn's string options, as scoped enums).

namespace kestrel::linear_model {

/// Whether coordinate descent works on the Gram matrix XᵀX (scikit-learn's `precompute`) in
/// Lasso, ElasticNet, lasso_path and enet_path. `auto_` uses it when there are more samples than
/// features.
enum class Precompute { auto_, true_, false_ };

}  // namespace kestrel::linear_model
