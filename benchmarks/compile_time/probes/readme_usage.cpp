// The README's Usage example, line for line, in a main: what a new user compiles first.
#include <kestrel/kestrel.hpp>
using namespace kestrel;

int main() {
    auto data = datasets::load_breast_cancer();  // Dataset<double, Labels>
    auto [X_train, X_test, y_train, y_test] =
        model_selection::train_test_split(data.X, data.y, {.test_size = 0.25, .stratify = true});
    auto model =
        pipeline::make_pipeline(preprocessing::StandardScaler<>(), linear_model::LogisticRegression<>({.C = 1.0}));
    model.fit(X_train, y_train);
    double accuracy = metrics::accuracy_score(y_test, model.predict(X_test));
    Matrix<double> proba = model.predict_proba(X_test);  // columns follow model.classes()
    Labels clusters = cluster::KMeans<>({.n_clusters = 2, .random_state = 42}).fit_predict(X_train);
    model.predict(Matrix<double>::Ones(
        1, 3));  // throws kestrel::invalid_input: "X has 3 features, but StandardScaler was fitted with 30"
}
