// Writes fuzz_model's seed corpus: one model file of every estimator fuzz_model loads, each fitted
// on at most 40 rows so that every file stays a few KB. Every fit passes its (empty) sample
// weights: clang 14 rejects the unweighted fit(X) and fit(X, y) that estimator_base forwards.
// Usage: make_model_corpus DIR      (tests/fuzz/run.sh says how it is built and run)
#include <cstdlib>
#include <limits>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <kestrel/cluster/kmeans.hpp>
#include <kestrel/cluster/minibatch_kmeans.hpp>
#include <kestrel/datasets/iris.hpp>
#include <kestrel/datasets/make_regression.hpp>
#include <kestrel/dummy/dummy_classifier.hpp>
#include <kestrel/ensemble/extra_trees_regressor.hpp>
#include <kestrel/ensemble/hist_gradient_boosting_classifier.hpp>
#include <kestrel/ensemble/hist_gradient_boosting_regressor.hpp>
#include <kestrel/ensemble/random_forest_classifier.hpp>
#include <kestrel/impute/simple_imputer.hpp>
#include <kestrel/io/persistence.hpp>
#include <kestrel/linear_model/elastic_net.hpp>
#include <kestrel/linear_model/lasso.hpp>
#include <kestrel/linear_model/linear_regression.hpp>
#include <kestrel/linear_model/logistic_regression.hpp>
#include <kestrel/linear_model/ridge.hpp>
#include <kestrel/pipeline/pipeline.hpp>
#include <kestrel/preprocessing/min_max_scaler.hpp>
#include <kestrel/preprocessing/max_abs_scaler.hpp>
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

using namespace kestrel;

namespace {

/// Every fourth iris flower: 38 rows, 4 features, all three classes.
template <class T>
Dataset<T, Labels> iris_rows() {
    const Dataset<T, Labels> all = datasets::load_iris<T>();
    Dataset<T, Labels> out;
    const Index n = (all.X.rows() + 3) / 4;
    out.X.resize(n, all.X.cols());
    out.y.resize(n);
    for (Index i = 0; i < n; ++i) {
        out.X.row(i) = all.X.row(4 * i);
        out.y[i] = all.y[4 * i];
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: make_model_corpus DIR\n";
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    std::filesystem::create_directories(dir);
    const auto write = [&](const std::string& file, const auto& model) {
        io::save(model, (dir / file).string());
        std::cout << (dir / file).string() << ": " << std::filesystem::file_size(dir / file) << " bytes\n";
    };

    const Dataset<double, Labels> iris = iris_rows<double>();
    const Vector<double> none;  // no sample weights
    const datasets::RegressionDataset<double> reg =
        datasets::make_regression<double>({.n_samples = 30, .n_features = 3, .n_informative = 2, .noise = 0.5});

    write("linear_regression", linear_model::LinearRegression<double>().fit(reg.X, reg.y, none));
    // Two targets: coef_ of two rows.
    Matrix<double> Y(reg.X.rows(), 2);
    Y.col(0) = reg.y;
    Y.col(1) = reg.X.col(0) - reg.y;
    write("ridge_two_targets", linear_model::Ridge<double>({.alpha = 0.5}).fit(reg.X, Y, none));
    write("lasso", linear_model::Lasso<double>({.alpha = 0.1}).fit(reg.X, reg.y, none));
    write("elastic_net", linear_model::ElasticNet<double>({.alpha = 0.1, .l1_ratio = 0.3}).fit(reg.X, reg.y, none));

    write("logistic_regression",
          linear_model::LogisticRegression<double>({.C = 0.5, .class_weight = ClassWeight{{0, 2.0}}, .max_iter = 200})
              .fit(iris.X, iris.y, none));
    // float, two classes (one coefficient row), one-vs-rest solver, balanced weights.
    const Dataset<float, Labels> iris_f = iris_rows<float>();
    Labels binary = (iris_f.y.array() == 2).cast<int>();
    write("logistic_regression_float32_binary",
          linear_model::LogisticRegression<float>(
              {.class_weight = ClassWeight::balanced, .solver = linear_model::Solver::newton_cholesky})
              .fit(iris_f.X, binary, Vector<float>()));

    write("kmeans", cluster::KMeans<double>({.n_clusters = 3}).fit(iris.X, none));
    write("minibatch_kmeans", cluster::MiniBatchKMeans<double>({.n_clusters = 3, .batch_size = 8}).fit(iris.X));

    write("standard_scaler", preprocessing::StandardScaler<double>().fit(iris.X, none));
    write("min_max_scaler",
          preprocessing::MinMaxScaler<double>({.feature_range_min = -1, .feature_range_max = 1, .clip = true})
              .fit(iris.X));
    // Whole centimetres: 3 to 6 categories per feature, the first of each dropped.
    const Matrix<double> categories = iris.X.array().floor().matrix();
    write("one_hot_encoder",
          preprocessing::OneHotEncoder<double>(
              {.drop = preprocessing::Drop::first, .handle_unknown = preprocessing::HandleUnknown::ignore})
              .fit(categories));
    // Every fifth entry missing and feature 2 all missing: dropped, with an indicator column.
    Matrix<double> holes = iris.X;
    for (Index k = 0; k < holes.size(); k += 5) holes.data()[k] = std::numeric_limits<double>::quiet_NaN();
    holes.col(2).setConstant(std::numeric_limits<double>::quiet_NaN());
    write("simple_imputer",
          impute::SimpleImputer<double>({.strategy = impute::Strategy::median, .add_indicator = true}).fit(holes));
    // Every seventh entry missing, no feature all missing.
    Matrix<double> gaps = iris.X;
    for (Index k = 0; k < gaps.size(); k += 7) gaps.data()[k] = std::numeric_limits<double>::quiet_NaN();
    write("robust_scaler",
          preprocessing::RobustScaler<double>({.quantile_range_min = 10, .unit_variance = true}).fit(gaps));
    write("max_abs_scaler", preprocessing::MaxAbsScaler<double>().fit(gaps));
    write("normalizer", preprocessing::Normalizer<double>({.norm = preprocessing::Norm::l1}).fit(iris.X));
    write("polynomial_features",
          preprocessing::PolynomialFeatures<double>({.min_degree = 2, .degree = 3, .interaction_only = true})
              .fit(iris.X));
    // Whole centimetres with holes: NaN a category of features 0, 1 and 3 (feature 2 all NaN).
    write("ordinal_encoder",
          preprocessing::OrdinalEncoder<double>(
              {.handle_unknown = preprocessing::OrdinalHandleUnknown::use_encoded_value, .unknown_value = -1})
              .fit(holes.array().floor().matrix()));
    write("dummy_classifier_constant",
          dummy::DummyClassifier<double>({.strategy = dummy::Strategy::constant, .constant = 1})
              .fit(iris.X, iris.y, none));

    // SVC: three classes (rbf, balanced weights), two classes (linear, a numeric gamma), poly with
    // ovo decision values; SVR with the rbf kernel.
    write("svc", svm::SVC<double>({.class_weight = ClassWeight::balanced}).fit(iris.X, iris.y, none));
    write("svc_binary_linear",
          svm::SVC<double>({.C = 0.5, .kernel = svm::Kernel::linear, .gamma = 0.25}).fit(iris.X, binary, none));
    write("svc_poly_ovo", svm::SVC<double>({.kernel = svm::Kernel::poly,
                                            .degree = 2,
                                            .gamma = svm::Gamma::auto_,
                                            .coef0 = 1.0,
                                            .decision_function_shape = svm::DecisionFunctionShape::ovo})
                              .fit(iris.X, iris.y, none));
    write("svr", svm::SVR<double>({.C = 10.0, .epsilon = 0.2}).fit(reg.X, reg.y, none));
    // Platt's probabilities, the ν forms, one-class, and a precomputed kernel.
    write("svc_probability", svm::SVC<double>({.probability = true}).fit(iris.X, iris.y, none));
    write("nu_svc", svm::NuSVC<double>({.nu = 0.3}).fit(iris.X, iris.y, none));
    write("nu_svr", svm::NuSVR<double>({.nu = 0.4, .C = 10.0}).fit(reg.X, reg.y, none));
    write("one_class_svm", svm::OneClassSVM<double>({.nu = 0.2}).fit(iris.X, none));
    const Matrix<double> gram = iris.X * iris.X.transpose();
    write("linear_svc", svm::LinearSVC<double>({.C = 0.5}).fit(iris.X, iris.y, none));
    write("linear_svc_crammer_singer",
          svm::LinearSVC<double>({.multi_class = svm::MultiClass::crammer_singer}).fit(iris.X, iris.y, none));
    write("linear_svr", svm::LinearSVR<double>({.epsilon = 0.1}).fit(reg.X, reg.y, none));
    write("svc_precomputed", svm::SVC<double>({.kernel = svm::Kernel::precomputed}).fit(gram, iris.y, none));

    // Trees: a pruned classifier with class weights, a best-first regressor, a forest with its
    // out-of-bag estimates, and a float forest of extremely randomised trees.
    write("decision_tree_classifier", tree::DecisionTreeClassifier<double>(
                                          {.max_depth = 4, .class_weight = ClassWeight::balanced, .ccp_alpha = 0.01})
                                          .fit(iris.X, iris.y, none));
    write("decision_tree_regressor",
          tree::DecisionTreeRegressor<double>({.criterion = tree::Criterion::friedman_mse, .max_leaf_nodes = 6})
              .fit(reg.X, reg.y, none));
    write("random_forest_classifier",
          ensemble::RandomForestClassifier<double>({.n_estimators = 3, .max_depth = 3, .oob_score = true})
              .fit(iris.X, iris.y, none));
    const Matrix<float> reg_float = reg.X.cast<float>();
    const Vector<float> reg_y_float = reg.y.cast<float>();
    write("extra_trees_regressor", ensemble::ExtraTreesRegressor<float>({.n_estimators = 2, .max_depth = 3})
                                       .fit(reg_float, reg_y_float, Vector<float>()));

    // Gradient boosting: a multiclass model with a categorical feature and missing values, and a
    // float regressor with monotonic constraints.
    Matrix<double> coded = iris.X;
    for (Index i = 0; i < coded.rows(); ++i) {
        coded(i, 1) = static_cast<double>(i % 3);
        if (i % 7 == 0) coded(i, 3) = std::numeric_limits<double>::quiet_NaN();
    }
    write("hist_gradient_boosting_classifier",
          ensemble::HistGradientBoostingClassifier<double>(
              {.max_iter = 3, .max_leaf_nodes = 4, .min_samples_leaf = 5, .categorical_features = {1}})
              .fit(coded, iris.y, none));
    std::vector<int> monotonic(static_cast<std::size_t>(reg.X.cols()), 0);
    monotonic[0] = 1;
    write("hist_gradient_boosting_regressor",
          ensemble::HistGradientBoostingRegressor<float>(
              {.max_iter = 3, .max_leaf_nodes = 4, .min_samples_leaf = 5, .monotonic_cst = monotonic})
              .fit(reg_float, reg_y_float, Vector<float>()));

    // Pipeline::fit does not compile with clang 14 either: the pipeline is made of fitted steps.
    preprocessing::MinMaxScaler<double> scaler;
    scaler.fit(iris.X);
    linear_model::LogisticRegression<double> logistic({.max_iter = 200});
    logistic.fit(scaler.transform(iris.X), iris.y, none);
    write("pipeline_min_max_scaler_logistic_regression", pipeline::make_pipeline(scaler, logistic));
    return EXIT_SUCCESS;
}
