#pragma once
// The tree and forest estimators of the conformance battery. They run in their own translation
// unit (test_battery_tree.cpp) so that the two halves of the battery build in parallel;
// test_battery.cpp reads this list too, to check that every estimator is in one of them.
#include <tuple>

#include <kestrel/ensemble/extra_trees_classifier.hpp>
#include <kestrel/ensemble/extra_trees_regressor.hpp>
#include <kestrel/ensemble/random_forest_classifier.hpp>
#include <kestrel/ensemble/random_forest_regressor.hpp>
#include <kestrel/tree/decision_tree_classifier.hpp>
#include <kestrel/tree/decision_tree_regressor.hpp>
#include <kestrel/tree/extra_tree_classifier.hpp>
#include <kestrel/tree/extra_tree_regressor.hpp>

namespace kestrel::conformance {

using tree_estimators = std::tuple<                                                     //
    tree::DecisionTreeClassifier<double>, tree::DecisionTreeRegressor<double>,          //
    tree::ExtraTreeClassifier<double>, tree::ExtraTreeRegressor<double>,                //
    ensemble::RandomForestClassifier<double>, ensemble::RandomForestRegressor<double>,  //
    ensemble::ExtraTreesClassifier<double>, ensemble::ExtraTreesRegressor<double>>;

}  // namespace kestrel::conformance
