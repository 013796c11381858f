// The conformance battery over the histogram gradient boosting estimators (the list:
// hgb_estimators.hpp).
#include "battery.hpp"
#include "hgb_estimators.hpp"

namespace kc = kestrel::conformance;
using namespace kestrel;

// min_samples_leaf counts rows, and the bin thresholds are quantiles of the rows.
constexpr const char* rows_not_weights =
    "min_samples_leaf counts rows and the bin thresholds are quantiles of the rows, so repeating a row is not "
    "weighting it (as in scikit-learn)";

template <>
struct kc::traits<ensemble::HistGradientBoostingClassifier<double>> {
    static ensemble::HistGradientBoostingClassifier<double>::Params alternative_params() {
        return {.learning_rate = 0.3,
                .max_iter = 12,
                .max_leaf_nodes = 7,
                .min_samples_leaf = 3,
                .l2_regularization = 0.5,
                .max_bins = 32,
                .class_weight = ClassWeight::balanced,
                .n_jobs = 1};
    }
    static ensemble::HistGradientBoostingClassifier<double>::Params invalid_params() { return {.learning_rate = 0}; }
    static constexpr const char* weights_not_repeats = rows_not_weights;
};

template <>
struct kc::traits<ensemble::HistGradientBoostingRegressor<double>> {
    static ensemble::HistGradientBoostingRegressor<double>::Params alternative_params() {
        return {.loss = ensemble::Loss::absolute_error, .max_iter = 15, .max_depth = 3, .min_samples_leaf = 4};
    }
    static ensemble::HistGradientBoostingRegressor<double>::Params invalid_params() { return {.max_bins = 256}; }
    static constexpr const char* weights_not_repeats = rows_not_weights;
};

TEST_CASE("every gradient boosting estimator passes the conformance battery", "[conformance]") {
    kc::run_all(static_cast<kc::hgb_estimators*>(nullptr));
    kc::print_table();
}
