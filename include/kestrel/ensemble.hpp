#pragma once
/// \file
/// kestrel::ensemble: forests of trees, as sklearn.ensemble: RandomForestClassifier,
/// RandomForestRegressor, ExtraTreesClassifier and ExtraTreesRegressor.

#include "ensemble/extra_trees_classifier.hpp"
#include "ensemble/extra_trees_regressor.hpp"
#include "ensemble/random_forest_classifier.hpp"
#include "ensemble/random_forest_regressor.hpp"
