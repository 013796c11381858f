// Preprocessing and pipelines: StandardScaler, MinMaxScaler, RobustScaler and MaxAbsScaler on the
// wine data (the statistics they learn, what they make of the features), Normalizer's unit rows,
// string class names through LabelEncoder, the same logistic regression with and without scaling
// in a Pipeline and after PolynomialFeatures, and OneHotEncoder and OrdinalEncoder in a Pipeline
// on the digits (each pixel's ink level, cut into five bands, taken as a category). Every model
// is printed as scikit-learn prints it and judged on a stratified held-out quarter.
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <kestrel/datasets/digits.hpp>
#include <kestrel/datasets/wine.hpp>
#include <kestrel/linear_model/logistic_regression.hpp>
#include <kestrel/metrics/classification.hpp>
#include <kestrel/model_selection/train_test_split.hpp>
#include <kestrel/pipeline/pipeline.hpp>
#include <kestrel/preprocessing/label_encoder.hpp>
#include <kestrel/preprocessing/max_abs_scaler.hpp>
#include <kestrel/preprocessing/min_max_scaler.hpp>
#include <kestrel/preprocessing/normalizer.hpp>
#include <kestrel/preprocessing/one_hot_encoder.hpp>
#include <kestrel/preprocessing/ordinal_encoder.hpp>
#include <kestrel/preprocessing/polynomial_features.hpp>
#include <kestrel/preprocessing/robust_scaler.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>

using namespace kestrel;

namespace {

/// Test accuracy, macro F1 and log loss of a fitted classifier, on one line after its repr.
template <class Model>
void evaluate(const Model& model, const Matrix<double>& X_test, const Labels& y_test) {
    const Labels predicted = model.predict(X_test);
    std::cout << "  " << model << '\n';
    std::printf("    accuracy %.4f, macro F1 %.4f, log loss %.4f\n", metrics::accuracy_score(y_test, predicted),
                metrics::f1_score(y_test, predicted, {.average = metrics::Average::macro}),
                metrics::log_loss(y_test, model.predict_proba(X_test)));
}

void print_row(const char* label, const auto& values) {
    std::printf("  %-24s", label);
    for (Index j = 0; j < 4; ++j) std::printf(" %10.3f", static_cast<double>(values[j]));
    std::printf("  ...\n");
}

}  // namespace

int main() {
    const auto wine = datasets::load_wine();
    auto [X_train, X_test, y_train, y_test] =
        model_selection::train_test_split(wine.X, wine.y, {.test_size = 0.25, .random_state = 0, .stratify = true});

    // What the scalers learn from the training part, on the first four features.
    std::printf("wine: %ld training and %ld test samples, %ld features of very different ranges\n",
                static_cast<long>(X_train.rows()), static_cast<long>(X_test.rows()), static_cast<long>(X_train.cols()));
    std::printf("  %-24s", "");
    for (Index j = 0; j < 4; ++j) std::printf(" %10.10s", wine.feature_names[static_cast<std::size_t>(j)].c_str());
    std::printf("\n");
    preprocessing::StandardScaler<> standard;
    const Matrix<double> Z = standard.fit_transform(X_train);
    print_row("StandardScaler mean()", standard.mean());
    print_row("StandardScaler scale()", standard.scale());
    print_row("  transformed mean", Z.colwise().mean());
    print_row("  transformed std",
              ((Z.rowwise() - Z.colwise().mean()).array().square().colwise().mean()).sqrt().eval());
    preprocessing::MinMaxScaler<> minmax;
    const Matrix<double> M = minmax.fit_transform(X_train);
    print_row("MinMaxScaler data_min()", minmax.data_min());
    print_row("MinMaxScaler data_max()", minmax.data_max());
    print_row("  transformed test min", minmax.transform(X_test).colwise().minCoeff());
    print_row("  transformed test max", minmax.transform(X_test).colwise().maxCoeff());
    preprocessing::RobustScaler<> robust;
    robust.fit(X_train);
    print_row("RobustScaler center()", robust.center());
    print_row("RobustScaler scale()", robust.scale());
    preprocessing::MaxAbsScaler<> max_abs;
    const Matrix<double> A = max_abs.fit_transform(X_train);
    print_row("MaxAbsScaler max_abs()", max_abs.max_abs());
    print_row("  transformed max |x|", A.cwiseAbs().colwise().maxCoeff());
    const Matrix<double> U = preprocessing::Normalizer<>().fit_transform(X_train);
    std::printf("  Normalizer (l2): the first rows' norms %.6f %.6f %.6f\n", U.row(0).norm(), U.row(1).norm(),
                U.row(2).norm());

    // Class names as strings: LabelEncoder gives the integer labels estimators take, and back.
    std::vector<std::string> names;
    for (const int label : y_train) names.push_back(wine.target_names[static_cast<std::size_t>(label)]);
    preprocessing::LabelEncoder<std::string> encoder;
    const Labels codes = encoder.fit_transform(names);
    std::printf("\nLabelEncoder on %zu string labels: classes()", names.size());
    for (const std::string& c : encoder.classes()) std::printf(" '%s'", c.c_str());
    const Labels some = encoder.transform(std::vector<std::string>{"class_2", "class_0"});
    std::printf("; transform({'class_2', 'class_0'}) = {%d, %d}\n", some[0], some[1]);

    // The same classifier without scaling, and after each scaler in a Pipeline.
    std::printf("\nwine, logistic regression (lbfgs, 100 iterations at most):\n");
    linear_model::LogisticRegression<> raw;
    raw.fit(X_train, codes);
    evaluate(raw, X_test, y_test);
    std::printf("    converged: %s\n", raw.converged() ? "yes" : "no (features of very different scales)");
    auto scaled = pipeline::make_pipeline(preprocessing::StandardScaler<>(), linear_model::LogisticRegression<>());
    scaled.fit(X_train, y_train);
    evaluate(scaled, X_test, y_test);
    auto ranged = pipeline::make_pipeline(preprocessing::MinMaxScaler<>(), linear_model::LogisticRegression<>());
    ranged.fit(X_train, y_train);
    evaluate(ranged, X_test, y_test);
    auto robust_pipe = pipeline::make_pipeline(preprocessing::RobustScaler<>(), linear_model::LogisticRegression<>());
    robust_pipe.fit(X_train, y_train);
    evaluate(robust_pipe, X_test, y_test);
    // Every product of two features, then scaled: 13 features become 104.
    auto quadratic = pipeline::make_pipeline(preprocessing::PolynomialFeatures<>({.include_bias = false}),
                                             preprocessing::StandardScaler<>(), linear_model::LogisticRegression<>());
    quadratic.fit(X_train, y_train);
    std::printf("  PolynomialFeatures(degree=2): %ld features -> %ld\n", static_cast<long>(X_train.cols()),
                static_cast<long>(quadratic.step<0>().n_output_features()));
    evaluate(quadratic, X_test, y_test);
    const Labels predicted = scaled.predict(X_test);
    const std::vector<std::string> predicted_names = encoder.inverse_transform(predicted.head(3));
    std::printf("  the first test predictions, decoded: '%s', '%s', '%s'\n", predicted_names[0].c_str(),
                predicted_names[1].c_str(), predicted_names[2].c_str());

    // OneHotEncoder in a Pipeline: a pixel's ink level (0 to 16) in five bands (0-3, 4-7, 8-11,
    // 12-15, 16) as a category, one indicator column each. A band a pixel never shows in training
    // is encoded as all zeros (handle_unknown='ignore').
    const auto digits = datasets::load_digits();
    const Matrix<double> bands = (digits.X.array() / 4).floor().matrix();
    auto [D_train, D_test, d_train, d_test] =
        model_selection::train_test_split(bands, digits.y, {.test_size = 0.25, .random_state = 0, .stratify = true});
    std::printf("\ndigits: %ld training and %ld test images of 64 pixels, ink levels in 5 bands\n",
                static_cast<long>(D_train.rows()), static_cast<long>(D_test.rows()));
    auto one_hot = pipeline::make_pipeline(
        preprocessing::OneHotEncoder<>({.handle_unknown = preprocessing::HandleUnknown::ignore}),
        linear_model::LogisticRegression<>({.C = 0.1, .max_iter = 200}));
    one_hot.fit(D_train, d_train);
    std::printf("  OneHotEncoder: 64 pixels -> %ld indicator columns\n",
                static_cast<long>(one_hot.step<0>().n_features_out()));
    evaluate(one_hot, D_test, d_test);
    // OrdinalEncoder keeps one column a pixel: each band's position among the bands that pixel
    // shows in training.
    auto ordinal = pipeline::make_pipeline(
        preprocessing::OrdinalEncoder<>({.handle_unknown = preprocessing::OrdinalHandleUnknown::use_encoded_value,
                                         .unknown_value = -1}),
        linear_model::LogisticRegression<>({.C = 0.1, .max_iter = 200}));
    ordinal.fit(D_train, d_train);
    std::printf("  OrdinalEncoder: pixel 20 shows %ld bands in training\n",
                static_cast<long>(ordinal.step<0>().categories()[20].size()));
    evaluate(ordinal, D_test, d_test);
    auto standard_digits = pipeline::make_pipeline(preprocessing::StandardScaler<>(),
                                                   linear_model::LogisticRegression<>({.C = 0.1, .max_iter = 200}));
    standard_digits.fit(D_train, d_train);
    evaluate(standard_digits, D_test, d_test);
}
