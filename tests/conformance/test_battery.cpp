// The conformance battery over every kestrel estimator but the trees and forests (those:
// test_battery_tree.cpp), gradient boosting (test_battery_hgb.cpp) and the imputer and later
// preprocessing estimators (test_battery_preprocessing.cpp). A new estimator joins by adding one
// line to `all_estimators` (or to tree_estimators.hpp / hgb_estimators.hpp /
// preprocessing_estimators.hpp); the "every estimator is listed" test fails until it does.
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "battery.hpp"
#include "hgb_estimators.hpp"
#include "preprocessing_estimators.hpp"
#include "tree_estimators.hpp"

#include <kestrel/cluster/kmeans.hpp>
#include <kestrel/cluster/minibatch_kmeans.hpp>
#include <kestrel/dummy/dummy_classifier.hpp>
#include <kestrel/linear_model/elastic_net.hpp>
#include <kestrel/linear_model/lasso.hpp>
#include <kestrel/linear_model/linear_regression.hpp>
#include <kestrel/linear_model/logistic_regression.hpp>
#include <kestrel/linear_model/ridge.hpp>
#include <kestrel/preprocessing/min_max_scaler.hpp>
#include <kestrel/preprocessing/one_hot_encoder.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>
#include <kestrel/svm/linear_svc.hpp>
#include <kestrel/svm/linear_svr.hpp>
#include <kestrel/svm/nu_svc.hpp>
#include <kestrel/svm/nu_svr.hpp>
#include <kestrel/svm/one_class_svm.hpp>
#include <kestrel/svm/svc.hpp>
#include <kestrel/svm/svr.hpp>

namespace kc = kestrel::conformance;
using namespace kestrel;

template <>
struct kc::traits<preprocessing::StandardScaler<double>> {
    static preprocessing::StandardScaler<double>::Params alternative_params() { return {.with_mean = false}; }
};

template <>
struct kc::traits<preprocessing::MinMaxScaler<double>> {
    static preprocessing::MinMaxScaler<double>::Params alternative_params() {
        return {.feature_range_min = -1, .clip = true};
    }
    static preprocessing::MinMaxScaler<double>::Params invalid_params() { return {.feature_range_min = 2}; }
};

template <>
struct kc::traits<preprocessing::OneHotEncoder<double>> {
    static constexpr bool integer_features = true;
    static preprocessing::OneHotEncoder<double>::Params alternative_params() {
        return {.handle_unknown = preprocessing::HandleUnknown::ignore};
    }
};

template <>
struct kc::traits<cluster::KMeans<double>> {
    static cluster::KMeans<double>::Params alternative_params() {
        return {.n_clusters = 3, .algorithm = cluster::Algorithm::elkan};
    }
    static cluster::KMeans<double>::Params invalid_params() { return {.n_clusters = 0}; }
};

template <>
struct kc::traits<cluster::MiniBatchKMeans<double>> {
    static cluster::MiniBatchKMeans<double>::Params alternative_params() { return {.n_clusters = 3, .batch_size = 16}; }
    static cluster::MiniBatchKMeans<double>::Params invalid_params() { return {.n_clusters = 0}; }
    // As in scikit-learn (an xfail there too): a repeated row can be drawn into a batch twice.
    static constexpr const char* weights_not_repeats = "random mini-batches sample repeated rows differently";
};

template <>
struct kc::traits<linear_model::LinearRegression<double>> {
    static linear_model::LinearRegression<double>::Params alternative_params() { return {.fit_intercept = false}; }
};

template <>
struct kc::traits<linear_model::Ridge<double>> {
    static linear_model::Ridge<double>::Params alternative_params() { return {.alpha = 3.5, .fit_intercept = false}; }
    static linear_model::Ridge<double>::Params invalid_params() { return {.alpha = -1}; }
};

template <>
struct kc::traits<linear_model::Lasso<double>> {
    static linear_model::Lasso<double>::Params alternative_params() { return {.alpha = 0.1, .tol = 1e-8}; }
    static linear_model::Lasso<double>::Params invalid_params() { return {.alpha = -0.5}; }
};

template <>
struct kc::traits<linear_model::ElasticNet<double>> {
    static linear_model::ElasticNet<double>::Params alternative_params() { return {.alpha = 0.1, .l1_ratio = 0.2}; }
    static linear_model::ElasticNet<double>::Params invalid_params() { return {.l1_ratio = 1.5}; }
};

template <>
struct kc::traits<linear_model::LogisticRegression<double>> {
    static linear_model::LogisticRegression<double>::Params alternative_params() {
        return {.C = 0.5, .solver = linear_model::Solver::newton_cholesky};
    }
    static linear_model::LogisticRegression<double>::Params invalid_params() { return {.C = 0}; }
};

template <>
struct kc::traits<dummy::DummyClassifier<double>> {
    static dummy::DummyClassifier<double>::Params alternative_params() {
        return {.strategy = dummy::Strategy::most_frequent};
    }
    static dummy::DummyClassifier<double>::Params invalid_params() { return {.strategy = dummy::Strategy::constant}; }
    static constexpr const char* one_class_fits = "a baseline: scikit-learn's DummyClassifier fits one class too";
};

template <>
struct kc::traits<svm::SVC<double>> {
    static svm::SVC<double>::Params alternative_params() {
        return {.C = 0.5,
                .kernel = svm::Kernel::poly,
                .degree = 2,
                .gamma = 0.3,
                .coef0 = 1,
                .probability = true,
                .class_weight = ClassWeight::balanced,
                .decision_function_shape = svm::DecisionFunctionShape::ovo};
    }
    static svm::SVC<double>::Params invalid_params() { return {.C = 0}; }
};

template <>
struct kc::traits<svm::SVR<double>> {
    static svm::SVR<double>::Params alternative_params() {
        return {.kernel = svm::Kernel::linear, .gamma = svm::Gamma::auto_, .C = 2, .epsilon = 0.01};
    }
    static svm::SVR<double>::Params invalid_params() { return {.epsilon = -1}; }
    // tests/svm/test_svr.cpp checks the weights against repeated rows with γ given.
    static constexpr const char* weights_not_repeats =
        "the default gamma='scale' is 1 / (d * Var(X)) of the rows given, as in scikit-learn, so repeating or "
        "dropping rows changes gamma";
};

template <>
struct kc::traits<svm::NuSVC<double>> {
    static svm::NuSVC<double>::Params alternative_params() {
        return {.nu = 0.3,
                .kernel = svm::Kernel::sigmoid,
                .gamma = svm::Gamma::auto_,
                .coef0 = -0.5,
                .probability = true,
                .random_state = 5};
    }
    static svm::NuSVC<double>::Params invalid_params() { return {.nu = 1.5}; }
};

template <>
struct kc::traits<svm::NuSVR<double>> {
    static svm::NuSVR<double>::Params alternative_params() {
        return {.nu = 0.3, .C = 4, .kernel = svm::Kernel::poly, .degree = 2, .gamma = 0.2};
    }
    static svm::NuSVR<double>::Params invalid_params() { return {.nu = 0}; }
    static constexpr const char* weights_not_repeats = kc::traits<svm::SVR<double>>::weights_not_repeats;
};

template <>
struct kc::traits<svm::OneClassSVM<double>> {
    static svm::OneClassSVM<double>::Params alternative_params() { return {.kernel = svm::Kernel::linear, .nu = 0.1}; }
    static svm::OneClassSVM<double>::Params invalid_params() { return {.nu = -0.1}; }
    static constexpr const char* weights_not_repeats = kc::traits<svm::SVR<double>>::weights_not_repeats;
};

template <>
struct kc::traits<svm::LinearSVC<double>> {
    static svm::LinearSVC<double>::Params alternative_params() {
        return {.penalty = svm::Penalty::l1, .dual = false, .C = 0.5, .class_weight = ClassWeight::balanced};
    }
    static svm::LinearSVC<double>::Params invalid_params() { return {.loss = svm::Loss::hinge, .dual = false}; }
};

template <>
struct kc::traits<svm::LinearSVR<double>> {
    static svm::LinearSVR<double>::Params alternative_params() {
        return {.epsilon = 0.1, .C = 2, .loss = svm::Loss::squared_epsilon_insensitive, .dual = false};
    }
    static svm::LinearSVR<double>::Params invalid_params() { return {.epsilon = -1}; }
    // tests/svm/test_linear_svr.cpp checks weights against repeated rows at a tight tolerance.
    static constexpr const char* weights_not_repeats =
        "dual coordinate descent visits the rows in a seeded random order, so repeated rows take another path; at "
        "the default tol=1e-4 the two fits agree to that tolerance, not to rounding";
};

using all_estimators = std::tuple<  //
    preprocessing::StandardScaler<double>, preprocessing::MinMaxScaler<double>, preprocessing::OneHotEncoder<double>,
    cluster::KMeans<double>, cluster::MiniBatchKMeans<double>, linear_model::LinearRegression<double>,
    linear_model::Ridge<double>, linear_model::Lasso<double>, linear_model::ElasticNet<double>,
    linear_model::LogisticRegression<double>, dummy::DummyClassifier<double>, svm::SVC<double>, svm::SVR<double>,
    svm::NuSVC<double>, svm::NuSVR<double>, svm::OneClassSVM<double>, svm::LinearSVC<double>, svm::LinearSVR<double>>;

namespace {

template <class... E>
std::set<std::string> listed_names(std::tuple<E...>*) {
    return {std::string(E::name)...};
}

template <class... E, class... F>
std::set<std::string> listed_names(std::tuple<E...>* a, std::tuple<F...>* b) {
    std::set<std::string> names = listed_names(a);
    names.merge(listed_names(b));
    return names;
}

}  // namespace

TEST_CASE("every estimator passes the conformance battery", "[conformance]") {
    kc::run_all(static_cast<all_estimators*>(nullptr));
    kc::print_table();
}

TEST_CASE("every estimator a header defines is in the battery", "[conformance]") {
    // An estimator is a class template over a floating-point scalar with a nested Params.
    const std::regex estimator_class(R"(template <std::floating_point T = double>\s*class\s+([A-Z]\w*))");
    std::set<std::string> listed =
        listed_names(static_cast<all_estimators*>(nullptr), static_cast<kc::tree_estimators*>(nullptr));
    listed.merge(listed_names(static_cast<kc::hgb_estimators*>(nullptr)));
    listed.merge(listed_names(static_cast<kc::preprocessing_estimators*>(nullptr)));
    std::set<std::string> defined;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(KESTREL_INCLUDE_DIR)) {
        if (entry.path().extension() != ".hpp") continue;
        std::ifstream in(entry.path());
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        for (std::sregex_iterator it(text.begin(), text.end(), estimator_class), end; it != end; ++it) {
            defined.insert((*it)[1]);
        }
    }
    REQUIRE(!defined.empty());
    for (const auto& name : defined) {
        INFO(name << " is defined under include/kestrel but missing from all_estimators in " << __FILE__);
        CHECK(listed.count(name) == 1);
    }
}
