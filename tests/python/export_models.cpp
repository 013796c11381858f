// The kestrel side of tests/python/check_from_kestrel.py: fits every kestrel estimator (and some
// pipelines) in double on the bundled datasets and writes, into the directory given as the only
// argument, <case>.kestrel (the model, by kestrel::io::save) and <case>.npz (the test rows X and
// kestrel's outputs on them: predict, predict_proba, decision_function, transform as the model
// has them, and a tree's or forest's feature_importances_). float32_ridge.kestrel is a float
// model, which the converter must refuse.
//
// The test rows are the rows i with i % 4 == 0, at most 40 of them; the models are fitted on the
// other rows (OneHotEncoder on all rows, so that every test category is known).
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <kestrel/cluster/kmeans.hpp>
#include <kestrel/cluster/minibatch_kmeans.hpp>
#include <kestrel/core/error.hpp>
#include <kestrel/datasets/breast_cancer.hpp>
#include <kestrel/datasets/diabetes.hpp>
#include <kestrel/datasets/iris.hpp>
#include <kestrel/datasets/wine.hpp>
#include <kestrel/dummy/dummy_classifier.hpp>
#include <kestrel/ensemble/extra_trees_classifier.hpp>
#include <kestrel/ensemble/extra_trees_regressor.hpp>
#include <kestrel/ensemble/random_forest_classifier.hpp>
#include <kestrel/ensemble/random_forest_regressor.hpp>
#include <kestrel/impute/simple_imputer.hpp>
#include <kestrel/io/npz.hpp>
#include <kestrel/io/persistence.hpp>
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
#include <kestrel/svm/svc.hpp>
#include <kestrel/svm/svr.hpp>
#include <kestrel/tree/decision_tree_classifier.hpp>
#include <kestrel/tree/decision_tree_regressor.hpp>
#include <kestrel/tree/extra_tree_classifier.hpp>
#include <kestrel/tree/extra_tree_regressor.hpp>

using namespace kestrel;

namespace {

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

std::filesystem::path out_dir;

/// Rows of `source` at `rows`.
template <class M>
M rows_of(const M& source, const std::vector<Index>& rows) {
    M out(static_cast<Index>(rows.size()), source.cols());
    for (std::size_t r = 0; r < rows.size(); ++r) out.row(static_cast<Index>(r)) = source.row(rows[r]);
    return out;
}

/// Test rows (i % 4 == 0, at most 40) and training rows (the others) of n.
struct Split {
    std::vector<Index> test, train;
    explicit Split(Index n) {
        for (Index i = 0; i < n; ++i) {
            (i % 4 == 0 && test.size() < 40 ? test : train).push_back(i);
        }
    }
};

/// X and y split into training and test rows.
template <class Target>
struct Parts {
    Matrix<double> X_train, X_test;
    Target y_train;
};

template <class Target>
Parts<Target> split(const Matrix<double>& X, const Target& y) {
    const Split s(X.rows());
    return {rows_of(X, s.train), rows_of(X, s.test), rows_of(y, s.train)};
}

Matrix<double> as_matrix(const Labels& labels) { return labels.cast<double>(); }
template <class Derived>
Matrix<double> as_matrix(const Eigen::MatrixBase<Derived>& m) {
    return m;
}

/// Saves the model as <name>.kestrel and X with every output the model has as <name>.npz.
template <class E>
void save_case(const std::string& name, const E& model, const Matrix<double>& X) {
    io::save(model, (out_dir / (name + ".kestrel")).string());
    std::map<std::string, Matrix<double>> arrays{{"X", X}};
    if constexpr (requires { model.predict(X); }) arrays["predict"] = as_matrix(model.predict(X));
    if constexpr (requires { model.predict_proba(X); }) {
        try {
            arrays["predict_proba"] = model.predict_proba(X);
        } catch (const invalid_input&) {
            // An SVC or NuSVC fitted with probability = false has no probabilities.
        }
    }
    if constexpr (requires { model.decision_function(X); }) arrays["decision_function"] = model.decision_function(X);
    if constexpr (requires { model.transform(X); }) arrays["transform"] = model.transform(X);
    if constexpr (requires { model.feature_importances(); }) {
        arrays["feature_importances_"] = Matrix<double>(model.feature_importances());
    }
    io::save_npz<double>((out_dir / (name + ".npz")).string(), arrays);
    std::printf("%s\n", name.c_str());
}

void linear_models() {
    const auto diabetes = datasets::load_diabetes();
    const auto p = split(diabetes.X, Matrix<double>(diabetes.y));
    const Vector<double> y = p.y_train.col(0);
    Matrix<double> Y(y.size(), 2);
    Y.col(0) = y;
    Y.col(1) = y.array().log().matrix();
    save_case("linear_regression", LinearRegression().fit(p.X_train, y), p.X_test);
    save_case("linear_regression_no_intercept", LinearRegression({.fit_intercept = false}).fit(p.X_train, y), p.X_test);
    {
        LinearRegression two;
        two.fit(p.X_train, Y);
        io::save(two, (out_dir / "linear_regression_two_targets.kestrel").string());
        io::save_npz<double>((out_dir / "linear_regression_two_targets.npz").string(),
                             {{"X", p.X_test}, {"predict", two.predict_matrix(p.X_test)}});
        Ridge ridge({.alpha = 1.0});
        ridge.fit(p.X_train, Y);
        io::save(ridge, (out_dir / "ridge_two_targets.kestrel").string());
        io::save_npz<double>((out_dir / "ridge_two_targets.npz").string(),
                             {{"X", p.X_test}, {"predict", ridge.predict_matrix(p.X_test)}});
    }
    save_case("ridge", Ridge({.alpha = 0.3}).fit(p.X_train, y), p.X_test);
    save_case("lasso", Lasso({.alpha = 0.05}).fit(p.X_train, y), p.X_test);
    save_case(
        "elastic_net",
        ElasticNet({.alpha = 0.002, .l1_ratio = 0.6, .precompute = linear_model::Precompute::true_, .max_iter = 5000})
            .fit(p.X_train, y),
        p.X_test);
    save_case(
        "elastic_net_plain",
        ElasticNet({.alpha = 0.01, .precompute = linear_model::Precompute::false_, .positive = true}).fit(p.X_train, y),
        p.X_test);
    save_case("pipeline_scaler_elastic_net",
              pipeline::make_pipeline(StandardScaler(), ElasticNet({.alpha = 0.1, .l1_ratio = 0.3})).fit(p.X_train, y),
              p.X_test);

    linear_model::Ridge<float> single({.alpha = 0.3});
    single.fit(p.X_train.cast<float>(), Vector<float>(y.cast<float>()));
    io::save(single, (out_dir / "float32_ridge.kestrel").string());
}

void classifiers() {
    const auto iris = datasets::load_iris();
    const auto wine = datasets::load_wine();
    const auto cancer = datasets::load_breast_cancer();
    {
        const auto p = split(iris.X, iris.y);
        save_case("logistic_multinomial", Logistic({.C = 0.5, .max_iter = 1000}).fit(p.X_train, p.y_train), p.X_test);
        save_case("dummy_constant",
                  Dummy({.strategy = dummy::Strategy::constant, .constant = 2}).fit(p.X_train, p.y_train), p.X_test);
    }
    {
        const Matrix<double> first_ten = cancer.X.leftCols(10);
        const auto p = split(first_ten, cancer.y);
        save_case("logistic_binary",
                  Logistic({.class_weight = ClassWeight{{0, 2.0}, {1, 1.0}},
                            .solver = linear_model::Solver::newton_cholesky,
                            .max_iter = 200})
                      .fit(p.X_train, p.y_train),
                  p.X_test);
    }
    {
        const auto p = split(cancer.X, cancer.y);
        save_case("pipeline_scaler_logistic",
                  pipeline::make_pipeline(StandardScaler(), Logistic({.C = 0.2, .class_weight = ClassWeight::balanced}))
                      .fit(p.X_train, p.y_train),
                  p.X_test);
        save_case("dummy_most_frequent", Dummy({.strategy = dummy::Strategy::most_frequent}).fit(p.X_train, p.y_train),
                  p.X_test);
    }
    {
        const auto p = split(wine.X, wine.y);
        save_case("dummy_prior", Dummy().fit(p.X_train, p.y_train), p.X_test);
        save_case("pipeline_scaler_logistic_ovr",
                  pipeline::make_pipeline(StandardScaler(), Logistic({.penalty = linear_model::Penalty::none,
                                                                      .solver = linear_model::Solver::newton_cholesky}))
                      .fit(p.X_train, p.y_train),
                  p.X_test);
        save_case("pipeline_repeated",
                  pipeline::make_pipeline(StandardScaler(), KMeans({.n_clusters = 5, .n_init = 2, .random_state = 2}),
                                          StandardScaler(), Logistic({.max_iter = 500}))
                      .fit(p.X_train, p.y_train),
                  p.X_test);
        save_case("pipeline_scaler_dummy", pipeline::make_pipeline(MinMaxScaler(), Dummy()).fit(p.X_train, p.y_train),
                  p.X_test);
    }
}

void clusterers() {
    const auto iris = datasets::load_iris();
    const auto wine = datasets::load_wine();
    const auto p = split(iris.X, iris.y);
    save_case("kmeans",
              KMeans({.n_clusters = 3, .n_init = 3, .random_state = 0, .algorithm = cluster::Algorithm::elkan})
                  .fit(p.X_train),
              p.X_test);
    save_case(
        "minibatch_kmeans",
        MiniBatchKMeans({.n_clusters = 4, .batch_size = 30, .random_state = 7, .max_no_improvement = 0}).fit(p.X_train),
        p.X_test);
    save_case(
        "minibatch_kmeans_no_labels",
        MiniBatchKMeans({.n_clusters = 3, .batch_size = 50, .compute_labels = false, .init_size = 90}).fit(p.X_train),
        p.X_test);
    const auto w = split(wine.X, wine.y);
    save_case("pipeline_minmax_kmeans",
              pipeline::make_pipeline(MinMaxScaler(), KMeans({.n_clusters = 3, .n_init = 5, .random_state = 1}))
                  .fit(w.X_train),
              w.X_test);
}

void support_vector_machines() {
    const auto iris = datasets::load_iris();
    const auto wine = datasets::load_wine();
    const auto cancer = datasets::load_breast_cancer();
    const auto diabetes = datasets::load_diabetes();
    {
        const auto p = split(cancer.X, cancer.y);
        save_case("pipeline_scaler_svc_binary",
                  pipeline::make_pipeline(StandardScaler(), SVC({.C = 2.0})).fit(p.X_train, p.y_train), p.X_test);
        save_case("pipeline_scaler_svc_binary_linear",
                  pipeline::make_pipeline(
                      StandardScaler(),
                      SVC({.C = 0.1, .kernel = svm::Kernel::linear, .class_weight = ClassWeight{{0, 2.0}, {1, 1.0}}}))
                      .fit(p.X_train, p.y_train),
                  p.X_test);
    }
    {
        const auto p = split(iris.X, iris.y);
        save_case("svc_linear",
                  SVC({.C = 0.5, .kernel = svm::Kernel::linear, .class_weight = ClassWeight{{0, 2.0}, {2, 0.5}}})
                      .fit(p.X_train, p.y_train),
                  p.X_test);
        save_case("svc_poly_ovo",
                  SVC({.kernel = svm::Kernel::poly,
                       .degree = 3,
                       .gamma = 0.5,
                       .coef0 = 1.0,
                       .decision_function_shape = svm::DecisionFunctionShape::ovo,
                       .random_state = 12345})
                      .fit(p.X_train, p.y_train),
                  p.X_test);
    }
    {
        const auto p = split(wine.X, wine.y);
        save_case("pipeline_scaler_svc_balanced",
                  pipeline::make_pipeline(StandardScaler(), SVC({.C = 3.0, .class_weight = ClassWeight::balanced}))
                      .fit(p.X_train, p.y_train),
                  p.X_test);
        save_case(
            "pipeline_scaler_svc_sigmoid",
            pipeline::make_pipeline(
                StandardScaler(),
                SVC({.kernel = svm::Kernel::sigmoid, .gamma = svm::Gamma::auto_, .coef0 = 0.5, .break_ties = true}))
                .fit(p.X_train, p.y_train),
            p.X_test);
    }
    const auto d = split(diabetes.X, Matrix<double>(diabetes.y));
    const Vector<double> y = d.y_train.col(0);
    save_case("svr_rbf", SVR({.C = 500.0, .epsilon = 5.0}).fit(d.X_train, y), d.X_test);
    save_case("svr_linear", SVR({.kernel = svm::Kernel::linear, .C = 1000.0, .epsilon = 2.0}).fit(d.X_train, y),
              d.X_test);
    save_case("svr_poly",
              SVR({.kernel = svm::Kernel::poly, .degree = 2, .gamma = svm::Gamma::auto_, .coef0 = 1.0, .C = 300.0})
                  .fit(d.X_train, y),
              d.X_test);
}

void linear_support_vector_machines() {
    const auto iris = datasets::load_iris();
    const auto wine = datasets::load_wine();
    const auto cancer = datasets::load_breast_cancer();
    const auto diabetes = datasets::load_diabetes();
    {
        const auto p = split(cancer.X, cancer.y);
        save_case("pipeline_scaler_linear_svc_binary",
                  pipeline::make_pipeline(StandardScaler(), LinearSVC({.C = 0.5,
                                                                       .class_weight = ClassWeight{{0, 2.0}, {1, 1.0}},
                                                                       .random_state = 5,
                                                                       .max_iter = 100000}))
                      .fit(p.X_train, p.y_train),
                  p.X_test);
    }
    {
        const auto p = split(iris.X, iris.y);
        save_case("linear_svc_l1",
                  LinearSVC({.penalty = svm::Penalty::l1, .dual = false, .C = 0.5, .max_iter = 100000})
                      .fit(p.X_train, p.y_train),
                  p.X_test);
        save_case("linear_svc_hinge_no_intercept",
                  LinearSVC({.loss = svm::Loss::hinge, .C = 0.2, .fit_intercept = false, .max_iter = 100000})
                      .fit(p.X_train, p.y_train),
                  p.X_test);
    }
    {
        const auto p = split(wine.X, wine.y);
        save_case("pipeline_scaler_linear_svc_crammer_singer",
                  pipeline::make_pipeline(StandardScaler(), LinearSVC({.C = 0.3,
                                                                       .multi_class = svm::MultiClass::crammer_singer,
                                                                       .intercept_scaling = 2.0,
                                                                       .class_weight = ClassWeight::balanced,
                                                                       .max_iter = 10000}))
                      .fit(p.X_train, p.y_train),
                  p.X_test);
    }
    const auto d = split(diabetes.X, Matrix<double>(diabetes.y));
    const Vector<double> y = d.y_train.col(0);
    save_case("pipeline_scaler_linear_svr",
              pipeline::make_pipeline(StandardScaler(), LinearSVR({.epsilon = 5.0, .C = 10.0, .max_iter = 100000}))
                  .fit(d.X_train, y),
              d.X_test);
    save_case("linear_svr_squared_no_intercept",
              LinearSVR({.epsilon = 1.0,
                         .C = 100.0,
                         .loss = svm::Loss::squared_epsilon_insensitive,
                         .fit_intercept = false,
                         .dual = false,
                         .max_iter = 100000})
                  .fit(d.X_train, y),
              d.X_test);
}

/// X rounded to float32: scikit-learn's trees read X so, kestrel's as it is, and an input within
/// float32 rounding of a threshold (a histogram split's bin edge is a training value) could go to
/// another child in the two; float32 values go alike.
Matrix<double> float32_rows(const Matrix<double>& X) { return X.cast<float>().cast<double>(); }

void trees_and_forests() {
    const auto iris = datasets::load_iris();
    const auto wine = datasets::load_wine();
    const auto cancer = datasets::load_breast_cancer();
    const auto diabetes = datasets::load_diabetes();
    {
        const auto p = split(wine.X, wine.y);
        save_case("decision_tree_classifier",
                  DecisionTreeClassifier(
                      {.criterion = tree::Criterion::entropy, .max_depth = 5, .class_weight = ClassWeight::balanced})
                      .fit(p.X_train, p.y_train),
                  float32_rows(p.X_test));
        save_case("random_forest_classifier",
                  RandomForestClassifier({.n_estimators = 5,
                                          .max_depth = 5,
                                          .oob_score = true,
                                          .random_state = 3,
                                          .class_weight = ClassWeight{{0, 2.0}, {1, 1.0}, {2, 0.5}}})
                      .fit(p.X_train, p.y_train),
                  float32_rows(p.X_test));
    }
    {
        const auto p = split(iris.X, iris.y);
        save_case("extra_tree_classifier",
                  ExtraTreeClassifier(
                      {.max_depth = 5, .max_features = tree::MaxFeatures::sqrt, .random_state = 7, .max_leaf_nodes = 8})
                      .fit(p.X_train, p.y_train),
                  float32_rows(p.X_test));
        save_case("extra_trees_classifier",
                  ExtraTreesClassifier({.n_estimators = 5,
                                        .criterion = tree::Criterion::log_loss,
                                        .max_depth = 5,
                                        .max_features = 2,
                                        .n_jobs = 2,
                                        .random_state = 11})
                      .fit(p.X_train, p.y_train),
                  float32_rows(p.X_test));
    }
    {
        const auto p = split(cancer.X, cancer.y);
        save_case("pipeline_scaler_decision_tree",
                  pipeline::make_pipeline(StandardScaler(), DecisionTreeClassifier({.max_depth = 5,
                                                                                    .min_samples_leaf = 0.02,
                                                                                    .ccp_alpha = 0.005}))
                      .fit(p.X_train, p.y_train),
                  p.X_test);
        // Histogram splits: scikit-learn has no max_bins; the thresholds are ordinary ones.
        save_case("decision_tree_classifier_histogram",
                  DecisionTreeClassifier({.max_depth = 5, .max_bins = 32}).fit(p.X_train, p.y_train),
                  float32_rows(p.X_test));
    }
    const auto d = split(diabetes.X, Matrix<double>(diabetes.y));
    const Vector<double> y = d.y_train.col(0);
    save_case("decision_tree_regressor",
              DecisionTreeRegressor(
                  {.criterion = tree::Criterion::absolute_error, .max_depth = 4, .min_samples_leaf = 5})
                  .fit(d.X_train, y),
              float32_rows(d.X_test));
    save_case("extra_tree_regressor",
              ExtraTreeRegressor({.max_depth = 5, .min_samples_split = 0.05, .random_state = 4}).fit(d.X_train, y),
              float32_rows(d.X_test));
    save_case("random_forest_regressor",
              RandomForestRegressor({.n_estimators = 5,
                                     .max_depth = 5,
                                     .max_features = 0.5,
                                     .oob_score = true,
                                     .max_samples = tree::Size(0.8),
                                     .max_bins = 64})
                  .fit(d.X_train, y),
              float32_rows(d.X_test));
    save_case("extra_trees_regressor",
              ExtraTreesRegressor({.n_estimators = 5,
                                   .criterion = tree::Criterion::poisson,
                                   .max_depth = 5,
                                   .max_leaf_nodes = 12,
                                   .bootstrap = true,
                                   .warm_start = true,
                                   .max_samples = tree::Size(200)})
                  .fit(d.X_train, y),
              float32_rows(d.X_test));
}

void transformers() {
    const auto wine = datasets::load_wine();
    const auto iris = datasets::load_iris();
    const auto p = split(wine.X, wine.y);
    save_case("standard_scaler", StandardScaler().fit(p.X_train), p.X_test);
    save_case("standard_scaler_no_mean", StandardScaler({.with_mean = false}).fit(p.X_train), p.X_test);
    save_case("standard_scaler_no_std", StandardScaler({.with_std = false}).fit(p.X_train), p.X_test);
    save_case("min_max_scaler",
              MinMaxScaler({.feature_range_min = -1, .feature_range_max = 2, .clip = true}).fit(p.X_train), p.X_test);

    save_case(
        "robust_scaler",
        preprocessing::RobustScaler<double>({.quantile_range_min = 10, .quantile_range_max = 80, .unit_variance = true})
            .fit(p.X_train),
        p.X_test);
    save_case("robust_scaler_no_scaling", preprocessing::RobustScaler<double>({.with_scaling = false}).fit(p.X_train),
              p.X_test);
    save_case("max_abs_scaler", preprocessing::MaxAbsScaler<double>().fit(p.X_train), p.X_test);
    save_case("pipeline_normalizer_logistic",
              pipeline::make_pipeline(preprocessing::Normalizer<double>({.norm = preprocessing::Norm::max}),
                                      Logistic({.C = 100.0, .max_iter = 1000}))
                  .fit(p.X_train, p.y_train),
              p.X_test);

    save_case("polynomial_features",
              preprocessing::PolynomialFeatures<double>({.min_degree = 2, .degree = 3, .include_bias = false})
                  .fit(p.X_train.leftCols(4)),
              p.X_test.leftCols(4));
    save_case("pipeline_polynomial_ridge",
              pipeline::make_pipeline(preprocessing::PolynomialFeatures<double>({.interaction_only = true}),
                                      linear_model::Ridge<double>({.alpha = 10.0}))
                  .fit(p.X_train.leftCols(5), Vector<double>(p.y_train.cast<double>())),
              p.X_test.leftCols(5));
    {
        // Iris doubled and rounded: integer categories, NaN in column 1 of every 9th training row.
        const auto q = split(iris.X, iris.y);
        Matrix<double> codes = (2 * q.X_train).array().round().matrix();
        for (Index i = 0; i < codes.rows(); i += 9) codes(i, 1) = std::numeric_limits<double>::quiet_NaN();
        save_case("ordinal_encoder",
                  preprocessing::OrdinalEncoder<double>(
                      {.handle_unknown = preprocessing::OrdinalHandleUnknown::use_encoded_value,
                       .unknown_value = -1,
                       .encoded_missing_value = -2})
                      .fit(codes),
                  Matrix<double>((2 * q.X_test).array().round().matrix()));
    }

    // Wine with every 7th entry missing (NaN, or -1 as the marker) and feature 4 all missing in
    // the training rows: dropped, or kept with keep_empty_features.
    Matrix<double> holes = wine.X;
    for (Index k = 0; k < holes.size(); k += 7) holes.data()[k] = std::nan("");
    const auto h = split(holes, wine.y);
    Matrix<double> holes_train = h.X_train;
    holes_train.col(4).setConstant(std::nan(""));
    save_case("simple_imputer",
              SimpleImputer({.strategy = impute::Strategy::median, .add_indicator = true}).fit(holes_train), h.X_test);
    save_case(
        "simple_imputer_keep",
        SimpleImputer({.strategy = impute::Strategy::most_frequent, .keep_empty_features = true}).fit(holes_train),
        h.X_test);
    const Matrix<double> marked_train = holes_train.array().isNaN().select(-1.0, holes_train);
    const Matrix<double> marked_test = h.X_test.array().isNaN().select(-1.0, h.X_test);
    save_case(
        "simple_imputer_marker",
        SimpleImputer(
            {.missing_values = -1, .strategy = impute::Strategy::constant, .fill_value = 2.5, .add_indicator = true})
            .fit(marked_train),
        marked_test);

    const Matrix<double> categories = iris.X.array().floor().matrix();
    const Split s(categories.rows());
    save_case("one_hot_encoder", OneHotEncoder({.drop = preprocessing::Drop::first}).fit(categories),
              rows_of(categories, s.test));
    const Matrix<double> halves = (2 * iris.X.array()).floor().matrix();
    save_case(
        "one_hot_encoder_ignore",
        OneHotEncoder({.drop = preprocessing::Drop::if_binary, .handle_unknown = preprocessing::HandleUnknown::ignore})
            .fit(rows_of(halves, s.train)),
        rows_of(halves, s.test));
    const auto c = split(categories, iris.y);
    save_case(
        "pipeline_encoder_logistic",
        pipeline::make_pipeline(OneHotEncoder({.handle_unknown = preprocessing::HandleUnknown::ignore}), Logistic())
            .fit(c.X_train, c.y_train),
        c.X_test);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUTPUT_DIRECTORY\n", argv[0]);
        return 2;
    }
    try {
        out_dir = argv[1];
        std::filesystem::create_directories(out_dir);
        linear_models();
        classifiers();
        clusterers();
        transformers();
        support_vector_machines();
        linear_support_vector_machines();
        trees_and_forests();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "export_models: %s\n", e.what());
        return 1;
    }
    return 0;
}
