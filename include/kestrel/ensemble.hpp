#pragma once
/// \file
/// kestrel::ensemble: forests of trees and gradient boosting, as sklearn.ensemble:
/// RandomForestClassifier, RandomForestRegressor, ExtraTreesClassifier, ExtraTreesRegressor,
/// HistGradientBoostingClassifier and HistGradientBoostingRegressor.

#include "ensemble/extra_trees_classifier.hpp"
#include "ensemble/extra_trees_regressor.hpp"
#include "ensemble/hist_gradient_boosting_classifier.hpp"
#include "ensemble/hist_gradient_boosting_regressor.hpp"
#include "ensemble/random_forest_classifier.hpp"
#include "ensemble/random_forest_regressor.hpp"
