// Printing estimators as scikit-learn's repr, against Python's and scikit-learn's own text
// (tests/reference/gen_print.py).
#include <sstream>
#include <string>
#include <vector>

#include <catch.hpp>
#include <kestrel/cluster/kmeans.hpp>
#include <kestrel/cluster/minibatch_kmeans.hpp>
#include <kestrel/dummy/dummy_classifier.hpp>
#include <kestrel/impute/simple_imputer.hpp>
#include <kestrel/linear_model/elastic_net.hpp>
#include <kestrel/linear_model/lasso.hpp>
#include <kestrel/linear_model/linear_regression.hpp>
#include <kestrel/linear_model/logistic_regression.hpp>
#include <kestrel/linear_model/ridge.hpp>
#include <kestrel/pipeline/pipeline.hpp>
#include <kestrel/preprocessing/max_abs_scaler.hpp>
#include <kestrel/preprocessing/min_max_scaler.hpp>
#include <kestrel/preprocessing/normalizer.hpp>
#include <kestrel/preprocessing/one_hot_encoder.hpp>
#include <kestrel/preprocessing/ordinal_encoder.hpp>
#include <kestrel/preprocessing/polynomial_features.hpp>
#include <kestrel/preprocessing/robust_scaler.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>
#include <kestrel/svm/linear_svc.hpp>
#include <kestrel/svm/nu_svc.hpp>
#include <kestrel/svm/one_class_svm.hpp>
#include <kestrel/svm/svc.hpp>

#include "fixtures.hpp"

using namespace kestrel;
using kestrel::test::fixture_case;

TEST_CASE("floats print as Python's repr writes them", "[print]") {
    const auto expected = fixture_case("print/floats");
    const Vector<double> values = expected.vector("values");
    const std::vector<std::string> repr = expected.strings("repr");
    REQUIRE(static_cast<std::size_t>(values.size()) == repr.size());
    for (Index i = 0; i < values.size(); ++i) {
        INFO(repr[static_cast<std::size_t>(i)]);
        CHECK(detail::python_float(values[i]) == repr[static_cast<std::size_t>(i)]);
    }
}

TEST_CASE("estimators print as scikit-learn's repr", "[print]") {
    using linear_model::Solver;
    const std::vector<std::string> printed = {
        to_string(linear_model::Ridge<>({.alpha = 250.0})),
        to_string(linear_model::Ridge<>({.fit_intercept = false})),
        to_string(linear_model::LinearRegression<>({.fit_intercept = false})),
        to_string(linear_model::Lasso<>({.alpha = 0.0001})),
        to_string(linear_model::ElasticNet<>({.l1_ratio = 0.25})),
        to_string(linear_model::LogisticRegression<>({.C = 0.1})),
        to_string(linear_model::LogisticRegression<>({.class_weight = ClassWeight{{1, 0.5}, {0, 2.0}}})),
        to_string(linear_model::LogisticRegression<>({.solver = Solver::newton_cholesky})),
        to_string(linear_model::LogisticRegression<>({.class_weight = ClassWeight::balanced})),
        to_string(cluster::KMeans<>({.n_clusters = 3})),
        to_string(cluster::KMeans<>({.tol = 1e-5})),
        to_string(cluster::KMeans<>({.init = cluster::Init::random})),
        to_string(cluster::KMeans<>({.algorithm = cluster::Algorithm::elkan})),
        to_string(cluster::MiniBatchKMeans<>({.batch_size = 16})),
        to_string(preprocessing::StandardScaler<>({.with_mean = false})),
        to_string(preprocessing::MinMaxScaler<>({.clip = true})),
        to_string(preprocessing::OneHotEncoder<>({.handle_unknown = preprocessing::HandleUnknown::ignore})),
        to_string(dummy::DummyClassifier<>({.strategy = dummy::Strategy::most_frequent})),
        to_string(dummy::DummyClassifier<>()),
        to_string(linear_model::LogisticRegression<>()),
    };
    CHECK(printed == fixture_case("print/estimators").strings("repr"));
}

TEST_CASE("several changed parameters print sorted by name, as scikit-learn; operator<< prints the same",
          "[print]") {
    const linear_model::LogisticRegression<float> model(
        {.C = 0.5, .solver = linear_model::Solver::newton_cholesky, .max_iter = 1000});
    std::ostringstream out;
    out << model;
    CHECK(to_string(model) == out.str());
    const std::vector<std::string> printed{
        out.str(),
        to_string(dummy::DummyClassifier<>({.strategy = dummy::Strategy::constant, .constant = 3})),
        to_string(cluster::KMeans<>({.n_clusters = 3, .init = cluster::Init::random, .max_iter = 5})),
        to_string(svm::SVC<>({.C = 3.0, .gamma = 0.7, .probability = true, .tol = 1e-8})),
        to_string(svm::NuSVC<>({.nu = 0.3, .kernel = svm::Kernel::poly, .degree = 2, .break_ties = true})),
        to_string(svm::LinearSVC<>({.penalty = svm::Penalty::l1, .dual = false, .C = 0.5})),
        to_string(svm::OneClassSVM<>({.gamma = svm::Gamma::auto_, .nu = 0.2})),
    };
    CHECK(printed == fixture_case("print/several").strings("repr"));
    CHECK(to_string(cluster::KMeans<>({.random_state = 18446744073709551615ULL})) ==
          "KMeans(random_state=18446744073709551615)");
}

TEST_CASE("the imputer and the later preprocessing estimators print as scikit-learn's repr", "[print]") {
    const std::vector<std::string> printed{
        to_string(impute::SimpleImputer<>({.missing_values = -1, .strategy = impute::Strategy::median})),
        to_string(impute::SimpleImputer<>(
            {.strategy = impute::Strategy::constant, .fill_value = 0.5, .add_indicator = true})),
        to_string(preprocessing::RobustScaler<>({.with_centering = false, .unit_variance = true})),
        to_string(preprocessing::MaxAbsScaler<>()),
        to_string(preprocessing::Normalizer<>({.norm = preprocessing::Norm::max})),
        to_string(preprocessing::PolynomialFeatures<>({.degree = 3, .interaction_only = true})),
        to_string(preprocessing::PolynomialFeatures<>({.include_bias = false})),
        to_string(preprocessing::OrdinalEncoder<>({.encoded_missing_value = -2})),
        to_string(preprocessing::OrdinalEncoder<>(
            {.handle_unknown = preprocessing::OrdinalHandleUnknown::use_encoded_value, .unknown_value = -1})),
    };
    CHECK(printed == fixture_case("print/imputer_and_preprocessing").strings("repr"));
}

TEST_CASE("a pipeline prints its steps under make_pipeline's names", "[print]") {
    const auto model =
        pipeline::make_pipeline(preprocessing::StandardScaler<>(), preprocessing::StandardScaler<>({.with_std = false}),
                                linear_model::Ridge<>({.alpha = 2.0}));
    std::ostringstream out;
    out << model;
    CHECK(out.str() ==
          "Pipeline(steps=[('standardscaler-1', StandardScaler()), ('standardscaler-2', "
          "StandardScaler(with_std=False)), ('ridge', Ridge(alpha=2.0))])");
    CHECK(to_string(model) == out.str());
}
