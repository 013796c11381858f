// scikit-learn models in kestrel: each tests/reference/persistence/<case>.kestrel is a fitted
// scikit-learn 1.2 estimator or pipeline converted by python/kestrel_convert.py (see
// tests/reference/gen_persistence.py); kestrel loads it and must give scikit-learn's outputs on the
// case's test rows to 1e-12 (labels exactly; SVC's decision_function and SVR's predict to 1e-12
// relative to their largest magnitude; the trees' and forests' feature importances and out-of-bag
// scores too; their test rows are float32 values, as scikit-learn's trees read X).
#include <algorithm>
#include <cmath>
#include <string>

#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/cluster/kmeans.hpp>
#include <kestrel/cluster/minibatch_kmeans.hpp>
#include <kestrel/dummy/dummy_classifier.hpp>
#include <kestrel/ensemble/extra_trees_classifier.hpp>
#include <kestrel/ensemble/extra_trees_regressor.hpp>
#include <kestrel/ensemble/random_forest_classifier.hpp>
#include <kestrel/ensemble/random_forest_regressor.hpp>
#include <kestrel/io/persistence.hpp>
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
#include <kestrel/svm/linear_svr.hpp>
#include <kestrel/svm/nu_svc.hpp>
#include <kestrel/svm/nu_svr.hpp>
#include <kestrel/svm/one_class_svm.hpp>
#include <kestrel/svm/svc.hpp>
#include <kestrel/svm/svr.hpp>
#include <kestrel/tree/decision_tree_classifier.hpp>
#include <kestrel/tree/decision_tree_regressor.hpp>
#include <kestrel/tree/extra_tree_classifier.hpp>
#include <kestrel/tree/extra_tree_regressor.hpp>

using namespace kestrel;

namespace {

constexpr double tolerance = 1e-12;

using LinearRegression = linear_model::LinearRegression<double>;
using Ridge = linear_model::Ridge<double>;
using Lasso = linear_model::Lasso<double>;
using ElasticNet = linear_model::ElasticNet<double>;
using Logistic = linear_model::LogisticRegression<double>;
using KMeans = cluster::KMeans<double>;
using MiniBatchKMeans = cluster::MiniBatchKMeans<double>;
using StandardScaler = preprocessing::StandardScaler<double>;
using MinMaxScaler = preprocessing::MinMaxScaler<double>;
using OneHotEncoder = preprocessing::OneHotEncoder<double>;
using SimpleImputer = impute::SimpleImputer<double>;
using Dummy = dummy::DummyClassifier<double>;
using SVC = svm::SVC<double>;
using SVR = svm::SVR<double>;
using LinearSVC = svm::LinearSVC<double>;
using LinearSVR = svm::LinearSVR<double>;
using DecisionTreeClassifier = tree::DecisionTreeClassifier<double>;
using DecisionTreeRegressor = tree::DecisionTreeRegressor<double>;
using ExtraTreeClassifier = tree::ExtraTreeClassifier<double>;
using ExtraTreeRegressor = tree::ExtraTreeRegressor<double>;
using RandomForestClassifier = ensemble::RandomForestClassifier<double>;
using RandomForestRegressor = ensemble::RandomForestRegressor<double>;
using ExtraTreesClassifier = ensemble::ExtraTreesClassifier<double>;
using ExtraTreesRegressor = ensemble::ExtraTreesRegressor<double>;
template <class... Steps>
using Pipeline = pipeline::Pipeline<Steps...>;

/// The converted model of `name`, loaded as E.
template <class E>
E model(const std::string& name) {
    return io::load<E>(test::reference_path("persistence/" + name + ".kestrel"));
}

/// kestrel's `got` against scikit-learn's member `member` of the case, to `tolerance`.
template <class M>
void check_close(const test::FixtureCase& c, const std::string& member, const M& got) {
    const Matrix<double> want = c.matrix(member);
    const Matrix<double> have = got;
    const double error = test::max_abs_error(have, want);
    INFO(member << ": " << have.rows() << " x " << have.cols() << ", scikit-learn's " << want.rows() << " x "
                << want.cols() << ", largest difference " << error);
    CHECK(error <= tolerance);
}

/// As check_close, relative to the largest magnitude of scikit-learn's values (when above 1): for
/// the libsvm models, whose values are sums over a few hundred support vectors of coefficients up
/// to C times kernel values, which kestrel forms from blocked inner products (libsvm from one dot
/// product a pair) and adds in another order, so that their rounding grows with the values.
template <class M>
void check_close_relative(const test::FixtureCase& c, const std::string& member, const M& got) {
    const Matrix<double> want = c.matrix(member);
    const Matrix<double> have = got;
    const double error = test::max_abs_error(have, want);
    const double scale = std::max(1.0, want.cwiseAbs().maxCoeff());
    INFO(member << ": " << have.rows() << " x " << have.cols() << ", scikit-learn's " << want.rows() << " x "
                << want.cols() << ", largest difference " << error << ", largest value " << scale
                << ", relative difference " << error / scale);
    CHECK(error <= tolerance * scale);
}

void check_labels(const test::FixtureCase& c, const Labels& got) { CHECK(got == c.labels("predict")); }

/// A regressor (or a pipeline ending in one): predict.
template <class E>
void check_regressor(const std::string& name) {
    const E m = model<E>(name);
    const auto c = test::fixture_case("persistence/" + name);
    const Matrix<double> X = c.matrix("X");
    check_close(c, "predict", m.predict(X));
}

/// A regressor fitted on several targets: predict_matrix.
template <class E>
void check_multi_target(const std::string& name) {
    const E m = model<E>(name);
    const auto c = test::fixture_case("persistence/" + name);
    const Matrix<double> X = c.matrix("X");
    CHECK(m.n_targets() == 2);
    check_close(c, "predict", m.predict_matrix(X));
}

/// A classifier: predict and predict_proba, and decision_function when `scores`.
template <class E>
void check_classifier(const std::string& name, bool scores) {
    const E m = model<E>(name);
    const auto c = test::fixture_case("persistence/" + name);
    const Matrix<double> X = c.matrix("X");
    check_labels(c, m.predict(X));
    check_close(c, "predict_proba", m.predict_proba(X));
    if constexpr (requires { m.decision_function(X); }) {
        if (scores) check_close(c, "decision_function", m.decision_function(X));
    }
}

/// An SVC (or a pipeline ending in one): predict and decision_function.
template <class E>
void check_svc(const std::string& name) {
    const E m = model<E>(name);
    const auto c = test::fixture_case("persistence/" + name);
    const Matrix<double> X = c.matrix("X");
    check_labels(c, m.predict(X));
    check_close_relative(c, "decision_function", m.decision_function(X));
}

/// A classifier without predict_proba (LinearSVC): predict and decision_function.
template <class E>
void check_decision(const std::string& name) {
    const E m = model<E>(name);
    const auto c = test::fixture_case("persistence/" + name);
    const Matrix<double> X = c.matrix("X");
    check_labels(c, m.predict(X));
    check_close(c, "decision_function", m.decision_function(X));
}

/// An SVR: predict, relative to its largest value.
template <class E>
void check_svr(const std::string& name) {
    const E m = model<E>(name);
    const auto c = test::fixture_case("persistence/" + name);
    check_close_relative(c, "predict", m.predict(c.matrix("X")));
}

/// A tree or a forest (or a pipeline ending in one): predict (and predict_proba for a classifier),
/// then scikit-learn's feature_importances_ and, when the case has it, oob_score_.
template <class E>
void check_trees(const std::string& name) {
    const E m = model<E>(name);
    const auto c = test::fixture_case("persistence/" + name);
    const Matrix<double> X = c.matrix("X");
    if constexpr (requires { m.predict_proba(X); }) {
        check_labels(c, m.predict(X));
        check_close(c, "predict_proba", m.predict_proba(X));
    } else {
        check_close(c, "predict", m.predict(X));
    }
    const auto& last = [&]() -> const auto& {
        if constexpr (requires { m.template step<1>(); }) {
            return m.template step<1>();
        } else {
            return m;
        }
    }();
    check_close(c, "feature_importances", last.feature_importances());
    if constexpr (requires { last.oob_score(); }) {
        if (last.params().oob_score) check_close(c, "oob_score", Matrix<double>::Constant(1, 1, last.oob_score()));
    }
}

/// A transformer: transform.
template <class E>
void check_transformer(const std::string& name) {
    const E m = model<E>(name);
    const auto c = test::fixture_case("persistence/" + name);
    const Matrix<double> X = c.matrix("X");
    check_close(c, "transform", m.transform(X));
}

/// A clusterer: predict and transform.
template <class E>
void check_clusterer(const std::string& name) {
    const E m = model<E>(name);
    const auto c = test::fixture_case("persistence/" + name);
    const Matrix<double> X = c.matrix("X");
    check_labels(c, m.predict(X));
    check_close(c, "transform", m.transform(X));
}

}  // namespace

TEST_CASE("a converted scikit-learn LinearRegression predicts in kestrel as in scikit-learn", "[io][sklearn]") {
    check_regressor<LinearRegression>("linear_regression");
    check_regressor<LinearRegression>("linear_regression_no_intercept");
    check_multi_target<LinearRegression>("linear_regression_two_targets");
}

TEST_CASE("a converted scikit-learn Ridge predicts in kestrel as in scikit-learn", "[io][sklearn]") {
    check_regressor<Ridge>("ridge");
    check_multi_target<Ridge>("ridge_two_targets");
}

TEST_CASE("converted scikit-learn Lasso and ElasticNet predict in kestrel as in scikit-learn", "[io][sklearn]") {
    check_regressor<Lasso>("lasso");
    check_regressor<ElasticNet>("elastic_net");
}

TEST_CASE("a converted scikit-learn LogisticRegression predicts in kestrel as in scikit-learn", "[io][sklearn]") {
    check_classifier<Logistic>("logistic_multinomial", true);
    check_classifier<Logistic>("logistic_binary", true);
    const Logistic binary = model<Logistic>("logistic_binary");
    CHECK(binary.params().solver == linear_model::Solver::newton_cholesky);
    CHECK(binary.params().class_weight == ClassWeight{{0, 2.0}, {1, 1.0}});
}

TEST_CASE("converted scikit-learn KMeans and MiniBatchKMeans cluster in kestrel as in scikit-learn", "[io][sklearn]") {
    check_clusterer<KMeans>("kmeans");
    CHECK(model<KMeans>("kmeans").params().algorithm == cluster::Algorithm::elkan);
    check_clusterer<MiniBatchKMeans>("minibatch_kmeans");
    CHECK(model<MiniBatchKMeans>("minibatch_kmeans").params().max_no_improvement == 0);
}

TEST_CASE("converted scikit-learn scalers transform in kestrel as in scikit-learn", "[io][sklearn]") {
    check_transformer<StandardScaler>("standard_scaler");
    check_transformer<StandardScaler>("standard_scaler_no_mean");
    check_transformer<MinMaxScaler>("min_max_scaler");
    const MinMaxScaler scaler = model<MinMaxScaler>("min_max_scaler");
    CHECK(scaler.params().feature_range_min == -1);
    CHECK(scaler.params().feature_range_max == 2);
    CHECK(scaler.params().clip);
    check_transformer<preprocessing::RobustScaler<double>>("robust_scaler");
    check_transformer<preprocessing::RobustScaler<double>>("robust_scaler_no_centering");
    CHECK(model<preprocessing::RobustScaler<double>>("robust_scaler").params().quantile_range_max == 80);
    check_transformer<preprocessing::MaxAbsScaler<double>>("max_abs_scaler");
    check_classifier<Pipeline<preprocessing::Normalizer<double>, Logistic>>("pipeline_normalizer_logistic", true);
}

TEST_CASE("converted scikit-learn PolynomialFeatures and OrdinalEncoder transform in kestrel as in scikit-learn",
          "[io][sklearn]") {
    using Poly = preprocessing::PolynomialFeatures<double>;
    using Ordinal = preprocessing::OrdinalEncoder<double>;
    check_transformer<Poly>("polynomial_features");
    const Poly poly = model<Poly>("polynomial_features");
    CHECK(poly.params().min_degree == 2);
    CHECK(poly.params().degree == 3);
    CHECK(poly.n_output_features() == 11);
    check_regressor<Pipeline<Poly, Ridge>>("pipeline_polynomial_ridge");
    check_transformer<Ordinal>("ordinal_encoder");
    const Ordinal ordinal = model<Ordinal>("ordinal_encoder");
    CHECK(ordinal.params().unknown_value == -1);
    CHECK(!ordinal.params().encoded_missing_value.has_value());
    CHECK(ordinal.has_missing() == std::vector<bool>{false, true, false, false});
}

TEST_CASE("a converted scikit-learn OneHotEncoder encodes in kestrel as in scikit-learn", "[io][sklearn]") {
    check_transformer<OneHotEncoder>("one_hot_encoder");
    check_transformer<OneHotEncoder>("one_hot_encoder_ignore");
}

TEST_CASE("a converted scikit-learn SimpleImputer imputes in kestrel as in scikit-learn", "[io][sklearn]") {
    check_transformer<SimpleImputer>("simple_imputer");
    check_transformer<SimpleImputer>("simple_imputer_keep");
    check_transformer<SimpleImputer>("simple_imputer_marker");
    const SimpleImputer dropped = model<SimpleImputer>("simple_imputer");
    CHECK(std::isnan(dropped.statistics()[4]));  // all missing at fit: dropped, as scikit-learn's NaN
    CHECK(dropped.n_features_out() == 12 + dropped.indicator_features().size());
    CHECK(model<SimpleImputer>("simple_imputer_marker").params().missing_values == -1.0);
    check_classifier<Pipeline<SimpleImputer, StandardScaler, Logistic>>("pipeline_imputer_scaler_logistic", true);
}

TEST_CASE("a converted scikit-learn DummyClassifier predicts in kestrel as in scikit-learn", "[io][sklearn]") {
    check_classifier<Dummy>("dummy_prior", false);
    check_classifier<Pipeline<StandardScaler, Dummy>>("pipeline_scaler_dummy_most_frequent", false);
    check_classifier<Pipeline<StandardScaler, Dummy>>("pipeline_scaler_dummy_constant", false);
}

TEST_CASE("converted scikit-learn pipelines predict in kestrel as in scikit-learn", "[io][sklearn]") {
    check_classifier<Pipeline<StandardScaler, Logistic>>("pipeline_scaler_logistic", true);
    check_classifier<Pipeline<StandardScaler, Logistic>>("pipeline_scaler_logistic_ovr", true);
    check_classifier<Pipeline<OneHotEncoder, Logistic>>("pipeline_encoder_logistic", true);
    check_classifier<Pipeline<StandardScaler, KMeans, StandardScaler, Logistic>>("pipeline_repeated", true);
    check_clusterer<Pipeline<MinMaxScaler, KMeans>>("pipeline_minmax_kmeans");
    check_regressor<Pipeline<StandardScaler, ElasticNet>>("pipeline_scaler_elastic_net");
}

TEST_CASE("converted scikit-learn SVCs classify in kestrel as in scikit-learn", "[io][sklearn]") {
    check_svc<Pipeline<StandardScaler, SVC>>("pipeline_scaler_svc_binary");
    check_svc<Pipeline<StandardScaler, SVC>>("pipeline_scaler_svc_binary_linear");
    check_svc<SVC>("svc_linear");
    check_svc<SVC>("svc_poly_ovo");
    check_svc<Pipeline<StandardScaler, SVC>>("pipeline_scaler_svc_balanced");
    check_svc<Pipeline<StandardScaler, SVC>>("pipeline_scaler_svc_sigmoid");
    const SVC poly = model<SVC>("svc_poly_ovo");
    CHECK(poly.params().kernel == svm::Kernel::poly);
    CHECK(poly.params().gamma == svm::Gamma(0.5));
    CHECK(poly.params().decision_function_shape == svm::DecisionFunctionShape::ovo);
    CHECK(poly.n_support().sum() == poly.support_vectors().rows());
    const SVC linear = model<SVC>("svc_linear");
    CHECK(linear.params().class_weight == ClassWeight{{0, 2.0}, {2, 0.5}});
    CHECK(linear.coef().rows() == 3);
    CHECK(linear.class_weight()[0] == 2.0);
    // probability=True: Platt's probA_ and probB_ come along, and predict_proba is scikit-learn's.
    using ProbaPipeline = Pipeline<StandardScaler, SVC>;
    check_svc<ProbaPipeline>("pipeline_scaler_svc_proba");
    const auto c = test::fixture_case("persistence/pipeline_scaler_svc_proba");
    check_close_relative(c, "predict_proba", model<ProbaPipeline>("pipeline_scaler_svc_proba").predict_proba(c.matrix("X")));
    check_svc<Pipeline<StandardScaler, svm::NuSVC<double>>>("pipeline_scaler_nusvc");
}

TEST_CASE("converted scikit-learn OneClassSVMs score in kestrel as in scikit-learn", "[io][sklearn]") {
    const auto m = model<svm::OneClassSVM<double>>("one_class_svm");
    const auto c = test::fixture_case("persistence/one_class_svm");
    check_labels(c, m.predict(c.matrix("X")));
    check_close_relative(c, "decision_function", m.decision_function(c.matrix("X")));
}

TEST_CASE("converted scikit-learn SVRs predict in kestrel as in scikit-learn", "[io][sklearn]") {
    check_svr<SVR>("svr_rbf");
    check_svr<SVR>("svr_linear");
    check_svr<SVR>("svr_poly");
    CHECK(model<SVR>("svr_poly").params().gamma == svm::Gamma::auto_);
    check_svr<svm::NuSVR<double>>("nusvr_rbf");
}

TEST_CASE("converted scikit-learn LinearSVCs classify in kestrel as in scikit-learn", "[io][sklearn]") {
    check_decision<Pipeline<StandardScaler, LinearSVC>>("pipeline_scaler_linear_svc_binary");
    check_decision<LinearSVC>("linear_svc_l1");
    check_decision<LinearSVC>("linear_svc_hinge_no_intercept");
    check_decision<Pipeline<StandardScaler, LinearSVC>>("pipeline_scaler_linear_svc_crammer_singer");
    const LinearSVC l1 = model<LinearSVC>("linear_svc_l1");
    CHECK(l1.params().penalty == svm::Penalty::l1);
    CHECK_FALSE(l1.params().dual);
    CHECK(l1.coef().rows() == 3);
    CHECK(l1.converged());
    const LinearSVC hinge = model<LinearSVC>("linear_svc_hinge_no_intercept");
    CHECK(hinge.params().loss == svm::Loss::hinge);
    CHECK_FALSE(hinge.params().fit_intercept);
    CHECK(hinge.params().random_state == 1);
    CHECK(hinge.intercept().isZero(0.0));
    const auto binary = model<Pipeline<StandardScaler, LinearSVC>>("pipeline_scaler_linear_svc_binary");
    CHECK(binary.step<1>().params().class_weight == ClassWeight{{0, 2.0}, {1, 1.0}});
    CHECK(binary.step<1>().coef().rows() == 1);
    CHECK(binary.step<1>().intercept().size() == 1);
    const auto crammer = model<Pipeline<StandardScaler, LinearSVC>>("pipeline_scaler_linear_svc_crammer_singer");
    CHECK(crammer.step<1>().params().multi_class == svm::MultiClass::crammer_singer);
    CHECK(crammer.step<1>().params().class_weight == ClassWeight::balanced);
    CHECK(crammer.step<1>().params().intercept_scaling == 2.0);
}

TEST_CASE("converted scikit-learn LinearSVRs predict in kestrel as in scikit-learn", "[io][sklearn]") {
    check_regressor<Pipeline<StandardScaler, LinearSVR>>("pipeline_scaler_linear_svr");
    check_regressor<LinearSVR>("linear_svr_squared_no_intercept");
    const LinearSVR squared = model<LinearSVR>("linear_svr_squared_no_intercept");
    CHECK(squared.params().loss == svm::Loss::squared_epsilon_insensitive);
    CHECK_FALSE(squared.params().dual);
    CHECK_FALSE(squared.params().fit_intercept);
    CHECK(squared.intercept() == 0.0);
    CHECK(squared.converged());
}

TEST_CASE("converted scikit-learn decision trees predict in kestrel as in scikit-learn", "[io][sklearn]") {
    check_trees<DecisionTreeClassifier>("decision_tree_classifier");
    check_trees<Pipeline<StandardScaler, DecisionTreeClassifier>>("pipeline_scaler_decision_tree");
    check_trees<DecisionTreeRegressor>("decision_tree_regressor");
    const DecisionTreeClassifier classifier = model<DecisionTreeClassifier>("decision_tree_classifier");
    CHECK(classifier.params().criterion == tree::Criterion::entropy);
    CHECK(classifier.params().max_depth == 5);
    CHECK(classifier.params().class_weight == ClassWeight::balanced);
    CHECK(classifier.params().max_bins == 0);
    CHECK(classifier.classes().size() == 3);
    CHECK(classifier.tree().value.cols() == 3);
    CHECK(classifier.get_depth() <= 5);
    const auto pruned = model<Pipeline<StandardScaler, DecisionTreeClassifier>>("pipeline_scaler_decision_tree");
    CHECK(pruned.step<1>().params().ccp_alpha == 0.005);
    const DecisionTreeRegressor regressor = model<DecisionTreeRegressor>("decision_tree_regressor");
    CHECK(regressor.params().criterion == tree::Criterion::friedman_mse);
    CHECK(regressor.params().min_samples_leaf == tree::Size(5));
    CHECK(regressor.tree().value.cols() == 1);
}

TEST_CASE("converted scikit-learn extra trees predict in kestrel as in scikit-learn", "[io][sklearn]") {
    check_trees<ExtraTreeClassifier>("extra_tree_classifier");
    check_trees<ExtraTreeRegressor>("extra_tree_regressor");
    const ExtraTreeClassifier classifier = model<ExtraTreeClassifier>("extra_tree_classifier");
    CHECK(classifier.params().splitter == tree::Splitter::random);
    CHECK_FALSE(classifier.params().max_features.has_value());
    CHECK(classifier.params().max_leaf_nodes == 8);
    CHECK(classifier.get_n_leaves() <= 8);
    CHECK(classifier.params().random_state == 1);
    const ExtraTreeRegressor regressor = model<ExtraTreeRegressor>("extra_tree_regressor");
    CHECK(regressor.params().min_samples_split == tree::Size(0.05));
    CHECK(regressor.params().max_features == tree::MaxFeatures(0.7));
}

TEST_CASE("converted scikit-learn random forests predict in kestrel as in scikit-learn", "[io][sklearn]") {
    check_trees<RandomForestClassifier>("random_forest_classifier");
    check_trees<RandomForestRegressor>("random_forest_regressor");
    const RandomForestClassifier classifier = model<RandomForestClassifier>("random_forest_classifier");
    CHECK(classifier.estimators().size() == 5);
    CHECK(classifier.params().class_weight == ClassWeight{{0, 2.0}, {1, 1.0}, {2, 0.5}});
    CHECK(classifier.params().max_features == tree::MaxFeatures::sqrt);
    CHECK(classifier.params().n_jobs == 0);
    CHECK(classifier.oob_decision_function().cols() == 3);
    const RandomForestRegressor regressor = model<RandomForestRegressor>("random_forest_regressor");
    CHECK(regressor.estimators().size() == 5);
    CHECK(regressor.params().max_samples == tree::Size(0.8));
    CHECK(regressor.params().max_features == tree::MaxFeatures(0.5));
    CHECK(regressor.oob_prediction().size() > 0);
}

TEST_CASE("converted scikit-learn extra-trees forests predict in kestrel as in scikit-learn", "[io][sklearn]") {
    check_trees<ExtraTreesClassifier>("extra_trees_classifier");
    check_trees<ExtraTreesRegressor>("extra_trees_regressor");
    const ExtraTreesClassifier classifier = model<ExtraTreesClassifier>("extra_trees_classifier");
    CHECK(classifier.estimators().size() == 5);
    CHECK(classifier.params().max_features == tree::MaxFeatures::log2);
    CHECK_FALSE(classifier.params().bootstrap);
    const ExtraTreesRegressor regressor = model<ExtraTreesRegressor>("extra_trees_regressor");
    CHECK(regressor.params().bootstrap);
    CHECK(regressor.params().max_samples == tree::Size(200));
    CHECK(regressor.params().min_samples_leaf == tree::Size(3));
}
