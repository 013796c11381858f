// Linear models on two classic data sets: least squares, ridge and the lasso on diabetes
// (R², mean squared and mean absolute error on a held-out quarter), then logistic regression on
// breast cancer (accuracy, log loss, the confusion matrix and the classification report on a
// stratified held-out quarter, features standardised on the training part).
#include <iomanip>
#include <iostream>

#include <kestrel/datasets/breast_cancer.hpp>
#include <kestrel/datasets/diabetes.hpp>
#include <kestrel/linear_model.hpp>
#include <kestrel/metrics/classification.hpp>
#include <kestrel/metrics/regression.hpp>
#include <kestrel/model_selection/train_test_split.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>

namespace lm = kestrel::linear_model;

int main() {
    std::cout << std::fixed << std::setprecision(3);

    const auto diabetes = kestrel::datasets::load_diabetes();
    const auto [X_train, X_test, y_train, y_test] =
        kestrel::model_selection::train_test_split(diabetes.X, diabetes.y, {.random_state = 0});
    std::cout << "diabetes: " << X_train.rows() << " training and " << X_test.rows() << " test samples\n";

    const auto report = [&](const char* name, const auto& model) {
        const kestrel::Vector<double> predicted = model.predict(X_test);
        std::cout << "  " << std::left << std::setw(20) << name << std::right
                  << "R² = " << kestrel::metrics::r2_score(y_test, predicted)
                  << ", MSE = " << kestrel::metrics::mean_squared_error(y_test, predicted)
                  << ", MAE = " << kestrel::metrics::mean_absolute_error(y_test, predicted) << '\n';
    };

    lm::LinearRegression<> ols;
    ols.fit(X_train, y_train);
    report("LinearRegression", ols);

    lm::Ridge<> ridge({.alpha = 0.1});
    ridge.fit(X_train, y_train);
    report("Ridge(alpha=0.1)", ridge);

    lm::Lasso<> lasso({.alpha = 0.1});
    lasso.fit(X_train, y_train);
    report("Lasso(alpha=0.1)", lasso);
    std::cout << "    " << (lasso.coef().array() != 0).count() << " of " << lasso.coef().size()
              << " coefficients non-zero, " << lasso.n_iter() << " passes\n";

    const auto cancer = kestrel::datasets::load_breast_cancer();
    auto split = kestrel::model_selection::train_test_split(cancer.X, cancer.y, {.random_state = 0, .stratify = true});
    kestrel::preprocessing::StandardScaler<> scaler;
    const kestrel::Matrix<double> Z_train = scaler.fit_transform(split.X_train);
    const kestrel::Matrix<double> Z_test = scaler.transform(split.X_test);

    lm::LogisticRegression<> classifier;
    classifier.fit(Z_train, split.y_train);
    const kestrel::Labels predicted = classifier.predict(Z_test);
    std::cout << "\nbreast cancer: LogisticRegression (lbfgs, " << classifier.n_iter() << " iterations)\n"
              << "  accuracy = " << kestrel::metrics::accuracy_score(split.y_test, predicted) << '\n'
              << "  log loss = " << kestrel::metrics::log_loss(split.y_test, classifier.predict_proba(Z_test)) << '\n'
              << "  confusion matrix (rows: true malignant, benign; columns: predicted):\n"
              << kestrel::metrics::confusion_matrix(split.y_test, predicted) << "\n\n"
              << kestrel::metrics::classification_report(split.y_test, predicted,
                                                         {.target_names = cancer.target_names, .digits = 3});
}
