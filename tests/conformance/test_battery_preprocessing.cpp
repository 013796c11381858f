// The conformance battery over the imputer and the preprocessing estimators beyond the first wave
// (the list: preprocessing_estimators.hpp).
#include "battery.hpp"
#include "preprocessing_estimators.hpp"

namespace kc = kestrel::conformance;
using namespace kestrel;

template <>
struct kc::traits<impute::SimpleImputer<double>> {
    static impute::SimpleImputer<double>::Params alternative_params() {
        return {.strategy = impute::Strategy::median, .add_indicator = true, .keep_empty_features = true};
    }
    static impute::SimpleImputer<double>::Params invalid_params() { return {.missing_values = NAN}; }
};

template <>
struct kc::traits<preprocessing::RobustScaler<double>> {
    static preprocessing::RobustScaler<double>::Params alternative_params() {
        return {.with_centering = false, .quantile_range_min = 10, .unit_variance = true};
    }
    static preprocessing::RobustScaler<double>::Params invalid_params() { return {.quantile_range_min = 90}; }
};

template <>
struct kc::traits<preprocessing::Normalizer<double>> {
    static preprocessing::Normalizer<double>::Params alternative_params() { return {.norm = preprocessing::Norm::l1}; }
};

template <>
struct kc::traits<preprocessing::PolynomialFeatures<double>> {
    static preprocessing::PolynomialFeatures<double>::Params alternative_params() {
        return {.min_degree = 2, .degree = 3, .interaction_only = true, .include_bias = false};
    }
    static preprocessing::PolynomialFeatures<double>::Params invalid_params() { return {.min_degree = 3}; }
};

template <>
struct kc::traits<preprocessing::OrdinalEncoder<double>> {
    static constexpr bool integer_features = true;
    /// NaN is a category of the features that held it at fit; elsewhere it is an unknown
    /// category, refused under the default handle_unknown = error, as in scikit-learn.
    static constexpr const char* nan_unknown_at_predict =
        "NaN at predict in a feature that held none at fit is an unknown category (scikit-learn's ValueError)";
    static preprocessing::OrdinalEncoder<double>::Params alternative_params() {
        return {.handle_unknown = preprocessing::OrdinalHandleUnknown::use_encoded_value,
                .unknown_value = -1,
                .encoded_missing_value = -2};
    }
    static preprocessing::OrdinalEncoder<double>::Params invalid_params() { return {.unknown_value = -1}; }
};

TEST_CASE("every imputer and preprocessing estimator passes the conformance battery", "[conformance]") {
    kc::run_all(static_cast<kc::preprocessing_estimators*>(nullptr));
    kc::print_table();
}
