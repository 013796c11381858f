#pragma once
// The imputer and the preprocessing estimators beyond the first wave, in their own translation
// unit of the conformance battery (test_battery_preprocessing.cpp); test_battery.cpp reads this
// list too, to check that every estimator is in one of them.
#include <tuple>

#include <kestrel/impute/simple_imputer.hpp>
#include <kestrel/preprocessing/max_abs_scaler.hpp>
#include <kestrel/preprocessing/normalizer.hpp>
#include <kestrel/preprocessing/ordinal_encoder.hpp>
#include <kestrel/preprocessing/polynomial_features.hpp>
#include <kestrel/preprocessing/robust_scaler.hpp>

namespace kestrel::conformance {

using preprocessing_estimators =
    std::tuple<impute::SimpleImputer<double>, preprocessing::RobustScaler<double>, preprocessing::MaxAbsScaler<double>,
               preprocessing::Normalizer<double>, preprocessing::PolynomialFeatures<double>,
               preprocessing::OrdinalEncoder<double>>;

}  // namespace kestrel::conformance
