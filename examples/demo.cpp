// kestrel's demo: the iris data set, split, scaled, classified and clustered, as a scikit-learn
// user would do it.
#include <cmath>
#include <iomanip>
#include <iostream>

#include <kestrel/cluster.hpp>
#include <kestrel/datasets/iris.hpp>
#include <kestrel/dummy.hpp>
#include <kestrel/linear_model.hpp>
#include <kestrel/metrics.hpp>
#include <kestrel/model_selection.hpp>
#include <kestrel/pipeline.hpp>
#include <kestrel/preprocessing.hpp>

int main() {
    using namespace kestrel;
    const auto iris = datasets::load_iris();
    std::cout << "iris: " << iris.n_samples() << " samples, " << iris.n_features() << " features, "
              << iris.target_names.size() << " classes\n";

    auto [X_train, X_test, y_train, y_test] =
        model_selection::train_test_split(iris.X, iris.y, {.test_size = 0.25, .random_state = 0, .stratify = true});
    std::cout << "split: " << X_train.rows() << " train, " << X_test.rows() << " test\n";

    preprocessing::StandardScaler<> scaler;
    const Matrix<double> Z_train = scaler.fit_transform(X_train);
    std::cout << std::fixed << std::setprecision(3) << "feature means: " << scaler.mean().transpose()
              << "\nfeature scales: " << scaler.scale().transpose() << '\n';

    auto model = pipeline::make_pipeline(preprocessing::StandardScaler<>(), linear_model::LogisticRegression<>());
    model.fit(X_train, y_train);
    const Labels predicted = model.predict(X_test);
    std::cout << "logistic regression test accuracy: " << metrics::accuracy_score(y_test, predicted) << '\n'
              << metrics::classification_report(y_test, predicted, {.target_names = iris.target_names});

    dummy::DummyClassifier<> baseline;
    std::cout << "baseline (DummyClassifier, prior) test accuracy: "
              << baseline.fit(X_train, y_train).score(X_test, y_test) << '\n';

    const Vector<double> folds = model_selection::cross_val_score(model, iris.X, iris.y, 5);
    std::cout << "5-fold cross-validated accuracy: " << folds.mean() << " (+/- "
              << std::sqrt((folds.array() - folds.mean()).square().mean()) << ")\n";

    cluster::KMeans<> kmeans({.n_clusters = 3, .n_init = 10, .random_state = 42});
    const Labels clusters = kmeans.fit_predict(Z_train);
    std::cout << "k-means on the scaled training set: inertia " << kmeans.inertia() << ", adjusted Rand index "
              << metrics::adjusted_rand_score(y_train, clusters) << '\n';
}
