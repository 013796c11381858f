// The conformance battery over the trees and forests (the list: tree_estimators.hpp).
#include "battery.hpp"
#include "tree_estimators.hpp"

namespace kc = kestrel::conformance;
using namespace kestrel;
using tree::Criterion;
using tree::MaxFeatures;

// A forest draws each tree's bootstrap sample over the rows it is given, so repeating a row or
// giving it weight 0 changes which rows the trees see.
constexpr const char* bootstrap_draws =
    "each tree's bootstrap sample is drawn over the rows given, so repeated or dropped rows change the draws (as in "
    "scikit-learn)";

template <>
struct kc::traits<tree::DecisionTreeClassifier<double>> {
    static tree::DecisionTreeClassifier<double>::Params alternative_params() {
        return {.criterion = Criterion::entropy,
                .max_depth = 3,
                .min_samples_leaf = 2,
                .max_features = 0.75,
                .class_weight = ClassWeight::balanced,
                .ccp_alpha = 0.01};
    }
    static tree::DecisionTreeClassifier<double>::Params invalid_params() { return {.max_depth = 0}; }
};

template <>
struct kc::traits<tree::DecisionTreeRegressor<double>> {
    static tree::DecisionTreeRegressor<double>::Params alternative_params() {
        return {.criterion = Criterion::absolute_error, .max_leaf_nodes = 5};
    }
    static tree::DecisionTreeRegressor<double>::Params invalid_params() { return {.min_samples_split = 1}; }
};

template <>
struct kc::traits<tree::ExtraTreeClassifier<double>> {
    static tree::ExtraTreeClassifier<double>::Params alternative_params() {
        return {.criterion = Criterion::log_loss, .max_features = MaxFeatures::log2, .random_state = 3};
    }
    static tree::ExtraTreeClassifier<double>::Params invalid_params() { return {.min_samples_leaf = 0.0}; }
};

template <>
struct kc::traits<tree::ExtraTreeRegressor<double>> {
    static tree::ExtraTreeRegressor<double>::Params alternative_params() {
        return {.criterion = Criterion::friedman_mse, .min_samples_split = 0.1};
    }
    static tree::ExtraTreeRegressor<double>::Params invalid_params() { return {.ccp_alpha = -1}; }
};

template <>
struct kc::traits<ensemble::RandomForestClassifier<double>> {
    static ensemble::RandomForestClassifier<double>::Params alternative_params() {
        return {.n_estimators = 7,
                .criterion = Criterion::entropy,
                .max_features = 2,
                .oob_score = true,
                .n_jobs = 1,
                .max_samples = 0.8};
    }
    static ensemble::RandomForestClassifier<double>::Params invalid_params() { return {.n_estimators = 0}; }
    static constexpr const char* weights_not_repeats = bootstrap_draws;
};

template <>
struct kc::traits<ensemble::RandomForestRegressor<double>> {
    static ensemble::RandomForestRegressor<double>::Params alternative_params() {
        return {.n_estimators = 5, .criterion = Criterion::friedman_mse, .max_depth = 4, .oob_score = true};
    }
    static ensemble::RandomForestRegressor<double>::Params invalid_params() { return {.max_samples = 0}; }
    static constexpr const char* weights_not_repeats = bootstrap_draws;
};

template <>
struct kc::traits<ensemble::ExtraTreesClassifier<double>> {
    static ensemble::ExtraTreesClassifier<double>::Params alternative_params() {
        return {.n_estimators = 6, .bootstrap = true, .oob_score = true, .class_weight = ClassWeight::balanced};
    }
    static ensemble::ExtraTreesClassifier<double>::Params invalid_params() { return {.oob_score = true}; }
};

template <>
struct kc::traits<ensemble::ExtraTreesRegressor<double>> {
    static ensemble::ExtraTreesRegressor<double>::Params alternative_params() {
        return {.n_estimators = 4, .max_depth = 4, .warm_start = true};
    }
    static ensemble::ExtraTreesRegressor<double>::Params invalid_params() { return {.max_depth = 0}; }
};

TEST_CASE("every tree and forest passes the conformance battery", "[conformance]") {
    kc::run_all(static_cast<kc::tree_estimators*>(nullptr));
    kc::print_table();
}
