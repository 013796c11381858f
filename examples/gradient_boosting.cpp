// Histogram gradient boosting: a classifier on breast cancer with a tenth of its values missing
// (NaN, no imputation needed), its test accuracy and log loss after 10, 50 and all iterations
// (staged_predict_proba), early stopping on a validation split; a regressor on diabetes with a
// monotonic constraint, and the model saved and loaded back.
#include <cmath>
#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>

#include <kestrel/core/random.hpp>
#include <kestrel/datasets/breast_cancer.hpp>
#include <kestrel/datasets/diabetes.hpp>
#include <kestrel/ensemble/hist_gradient_boosting_classifier.hpp>
#include <kestrel/ensemble/hist_gradient_boosting_regressor.hpp>
#include <kestrel/io/persistence.hpp>
#include <kestrel/model_selection/train_test_split.hpp>

namespace ensemble = kestrel::ensemble;

namespace {

double log_loss(const kestrel::Matrix<double>& proba, const kestrel::Labels& y, const kestrel::Labels& classes) {
    double total = 0;
    for (kestrel::Index i = 0; i < y.size(); ++i) {
        const kestrel::Index k = y[i] == classes[0] ? 0 : 1;
        total -= std::log(std::max(proba(i, k), 1e-15));
    }
    return total / static_cast<double>(y.size());
}

}  // namespace

int main() {
    std::cout << std::fixed << std::setprecision(4);

    auto cancer = kestrel::datasets::load_breast_cancer();
    kestrel::random_engine rng(0);
    for (kestrel::Index i = 0; i < cancer.X.rows(); ++i) {
        for (kestrel::Index j = 0; j < cancer.X.cols(); ++j) {
            if (rng.uniform() < 0.1) cancer.X(i, j) = std::numeric_limits<double>::quiet_NaN();
        }
    }
    const auto split =
        kestrel::model_selection::train_test_split(cancer.X, cancer.y, {.random_state = 0, .stratify = true});

    ensemble::HistGradientBoostingClassifier<> clf({.max_iter = 200, .early_stopping = false});
    clf.fit(split.X_train, split.y_train);
    std::cout << "breast cancer, 10% missing: " << clf << '\n';
    const auto staged = clf.staged_predict_proba(split.X_test);
    for (std::size_t it : {std::size_t{10}, std::size_t{50}, staged.size()}) {
        std::cout << "  after " << it << " iterations: test log loss "
                  << log_loss(staged[it - 1], split.y_test, clf.classes()) << '\n';
    }
    std::cout << "  test accuracy " << clf.score(split.X_test, split.y_test) << '\n';

    ensemble::HistGradientBoostingClassifier<> stopped(
        {.max_iter = 500, .early_stopping = true, .validation_fraction = 0.2, .n_iter_no_change = 10});
    stopped.fit(split.X_train, split.y_train);
    std::cout << "  with early stopping: " << stopped.n_iter() << " iterations, validation loss "
              << -stopped.validation_score()[stopped.validation_score().size() - 1] << ", test accuracy "
              << stopped.score(split.X_test, split.y_test) << '\n';

    const auto diabetes = kestrel::datasets::load_diabetes();
    const auto rsplit = kestrel::model_selection::train_test_split(diabetes.X, diabetes.y, {.random_state = 0});
    // Feature 2 is the body-mass index: the prediction may only grow with it.
    std::vector<int> monotonic(static_cast<std::size_t>(diabetes.X.cols()), 0);
    monotonic[2] = 1;
    ensemble::HistGradientBoostingRegressor<> reg(
        {.learning_rate = 0.05, .max_iter = 200, .max_leaf_nodes = 15, .monotonic_cst = monotonic});
    reg.fit(rsplit.X_train, rsplit.y_train);
    std::cout << "diabetes: " << reg << ": R^2 " << reg.score(rsplit.X_test, rsplit.y_test) << '\n';

    std::stringstream file;
    kestrel::io::save(reg, file);
    const auto loaded = kestrel::io::load<ensemble::HistGradientBoostingRegressor<>>(file);
    std::cout << "  saved and loaded: the same predictions: " << std::boolalpha
              << (loaded.predict(rsplit.X_test) == reg.predict(rsplit.X_test)) << '\n';
}
