#pragma once
// The gradient boosting estimators of the conformance battery, in their own translation unit
// (test_battery_hgb.cpp) so that the battery's parts build in parallel; test_battery.cpp reads
// this list too, to check that every estimator is in one of them.
#include <tuple>

#include <kestrel/ensemble/hist_gradient_boosting_classifier.hpp>
#include <kestrel/ensemble/hist_gradient_boosting_regressor.hpp>

namespace kestrel::conformance {

using hgb_estimators = std::tuple<ensemble::HistGradientBoostingClassifier<double>,
                                  ensemble::HistGradientBoostingRegressor<double>>;

}  // namespace kestrel::conformance
