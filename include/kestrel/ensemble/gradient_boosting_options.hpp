#pragma once
/// \file
/// The options of the histogram gradient boosting estimators: `Loss` and `Scoring`.

#include <string_view>

#include "../core/params.hpp"

namespace kestrel::ensemble {

/// scikit-learn's `loss` of HistGradientBoostingRegressor / Classifier. The regressor takes
/// squared_error, absolute_error, poisson and quantile; the classifier log_loss.
enum class Loss {
    squared_error,   ///< half the squared error; predictions are the raw scores
    absolute_error,  ///< |y − f|; each leaf then predicts the median of its residuals
    poisson,         ///< half the Poisson deviance, log link (y ≥ 0, Σy > 0)
    quantile,        ///< the pinball loss of the `quantile` parameter; leaves predict that quantile of residuals
    log_loss,        ///< the binomial (two classes) or multinomial log loss, one tree a class with more
};
/// scikit-learn's spellings of Loss's values.
constexpr enum_table<Loss, 5> enum_names(Loss) {
    return {{{Loss::squared_error, "squared_error"},
             {Loss::absolute_error, "absolute_error"},
             {Loss::poisson, "poisson"},
             {Loss::quantile, "quantile"},
             {Loss::log_loss, "log_loss"}}};
}

/// scikit-learn's `scoring` for early stopping: `loss`, the training loss (on the validation
/// split when validation_fraction is set).
enum class Scoring {
    loss,  ///< minus the mean loss
};
/// scikit-learn's spellings of Scoring's values.
constexpr enum_table<Scoring, 1> enum_names(Scoring) { return {{{Scoring::loss, "loss"}}}; }

}  // namespace kestrel::ensemble
