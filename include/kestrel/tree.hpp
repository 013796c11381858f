#pragma once
/// \file
/// kestrel::tree: decision trees, as sklearn.tree: DecisionTreeClassifier, DecisionTreeRegressor,
/// ExtraTreeClassifier and ExtraTreeRegressor, fitted into flat node arrays (`Tree`).

#include "tree/decision_tree_classifier.hpp"
#include "tree/decision_tree_regressor.hpp"
#include "tree/extra_tree_classifier.hpp"
#include "tree/extra_tree_regressor.hpp"
#include "tree/options.hpp"
#include "tree/structure.hpp"
