// The one-row methods of k-means, DummyClassifier, the transformers a pipeline starts with
// (transform_one) and Pipelines: the bits of the batch methods on every row, nothing allocated.
#include "one_row_check.hpp"

#include <cmath>
#include <limits>
#include <string>

#include <kestrel/cluster.hpp>
#include <kestrel/datasets.hpp>
#include <kestrel/dummy.hpp>
#include <kestrel/ensemble.hpp>
#include <kestrel/impute.hpp>
#include <kestrel/linear_model.hpp>
#include <kestrel/model_selection.hpp>
#include <kestrel/pipeline.hpp>
#include <kestrel/preprocessing.hpp>
#include <kestrel/svm.hpp>

using namespace kestrel;

namespace {

template <class T>
struct more_data {
    Matrix<T> X, X_missing;
    Labels y;
    Vector<T> target;
};
// 250 rows of 11 features on unequal scales; X_missing has a NaN in feature 3 of one row in 7.
template <class T>
more_data<T> make_more() {
    const auto c = datasets::make_classification<T>(
        {.n_samples = 250, .n_features = 11, .n_informative = 6, .n_classes = 3, .random_state = 23});
    more_data<T> out{c.X, c.X, c.y, Vector<T>(250)};
    for (Index i = 0; i < 250; ++i) {
        for (Index j = 0; j < 11; ++j) out.X(i, j) = c.X(i, j) * static_cast<T>(1 + 3 * j) + static_cast<T>(j);
        out.X_missing.row(i) = out.X.row(i);
        if (i % 7 == 0) out.X_missing(i, 3) = std::numeric_limits<T>::quiet_NaN();
        out.target[i] = out.X(i, 0) - T(0.5) * out.X(i, 5) + static_cast<T>(c.y[i]);
    }
    return out;
}

}  // namespace

TEMPLATE_TEST_CASE("k-means, DummyClassifier and transformers: one row is the batch's row, bit for bit", "[edge]",
                   float, double) {
    using T = TestType;
    const more_data<T> d = make_more<T>();
    for (const int k : {1, 3, 8, 13}) {
        INFO("k = " << k);
        check_rows<11, 0>(cluster::KMeans<T>({.n_clusters = k, .n_init = 1, .random_state = 4}).fit(d.X), d.X);
    }
    check_rows<11, 0>(cluster::MiniBatchKMeans<T>({.n_clusters = 5, .random_state = 4}).fit(d.X), d.X);
    for (const auto strategy : {dummy::Strategy::most_frequent, dummy::Strategy::prior, dummy::Strategy::constant}) {
        check_rows<11, 3>(dummy::DummyClassifier<T>({.strategy = strategy, .constant = 2}).fit(d.X, d.y), d.X);
    }
    // The random strategies: one row is a batch of one (each call starts from random_state).
    for (const auto strategy : {dummy::Strategy::stratified, dummy::Strategy::uniform}) {
        const auto model = dummy::DummyClassifier<T>({.strategy = strategy, .random_state = 9}).fit(d.X, d.y);
        for (Index i = 0; i < 20; ++i) {
            const Matrix<T> one = d.X.row(i);
            const std::span<const T> row(d.X.row(i).data(), 11);
            CHECK(model.predict_one(row) == model.predict(one)[0]);
            CHECK(model.predict_proba_one(row) == model.predict_proba(one).row(0).transpose());
        }
    }
    check_transform(preprocessing::StandardScaler<T>().fit(d.X), d.X);
    check_transform(preprocessing::StandardScaler<T>({.with_mean = false}).fit(d.X), d.X);
    check_transform(preprocessing::MinMaxScaler<T>({.feature_range_min = -1, .feature_range_max = 2}).fit(d.X), d.X);
    check_transform(preprocessing::MinMaxScaler<T>({.clip = true}).fit(d.X.topRows(100)), d.X);
    check_transform(preprocessing::MaxAbsScaler<T>().fit(d.X_missing), d.X_missing);
    check_transform(preprocessing::RobustScaler<T>().fit(d.X_missing), d.X_missing);
    check_transform(impute::SimpleImputer<T>().fit(d.X_missing), d.X_missing);
    check_transform(impute::SimpleImputer<T>({.strategy = impute::Strategy::median, .add_indicator = true}).fit(d.X_missing),
                    d.X_missing);
}

TEMPLATE_TEST_CASE("Pipelines: one row is the batch's row, bit for bit", "[edge]", float, double) {
    using T = TestType;
    const more_data<T> d = make_more<T>();
    using pipeline::make_pipeline;
    check_rows<11, 3>(make_pipeline(preprocessing::StandardScaler<T>(), linear_model::LogisticRegression<T>()).fit(d.X, d.y),
                      d.X);
    check_rows<11, 0>(make_pipeline(preprocessing::RobustScaler<T>(), linear_model::Ridge<T>()).fit(d.X, d.target), d.X);
    check_rows<11, 0>(
        make_pipeline(preprocessing::MinMaxScaler<T>(), svm::SVC<T>()).fit(d.X, d.y), d.X, false);
    check_rows<11, 3>(make_pipeline(impute::SimpleImputer<T>(), preprocessing::StandardScaler<T>(),
                                    ensemble::RandomForestClassifier<T>({.n_estimators = 10, .max_depth = 6, .n_jobs = 1}))
                          .fit(d.X_missing, d.y),
                      d.X_missing);
    check_rows<11, 0>(make_pipeline(preprocessing::MaxAbsScaler<T>(), cluster::KMeans<T>({.n_clusters = 4, .n_init = 1}))
                          .fit(d.X),
                      d.X);
}

TEST_CASE("GridSearchCV answers one row through its best estimator", "[edge]") {
    const more_data<double> d = make_more<double>();
    using Logistic = linear_model::LogisticRegression<double>;
    std::vector<Logistic::Params> candidates{{.C = 0.01}, {.C = 1.0}};
    model_selection::GridSearchCV<Logistic> search(Logistic(), candidates, 3);
    search.fit(d.X, d.y);
    const std::span<const double> row(d.X.row(5).data(), 11);
    CHECK(search.predict_one(row) == search.best_estimator().predict_one(row));
    CHECK(search.predict_proba_one(row) == search.best_estimator().predict_proba_one(row));
    CHECK(search.decision_function_one(row) == search.best_estimator().decision_function_one(row));
    CHECK(search.predict_one(row) == search.predict(Matrix<double>(d.X.row(5)))[0]);
}

TEST_CASE("Pipelines and imputers: the one-row methods check rows as the batch methods", "[edge]") {
    const more_data<double> d = make_more<double>();
    const auto imputed = pipeline::make_pipeline(impute::SimpleImputer<double>(), linear_model::LogisticRegression<double>())
                             .fit(d.X_missing, d.y);
    std::array<double, 11> row{};
    row[3] = std::numeric_limits<double>::quiet_NaN();
    CHECK_NOTHROW(imputed.predict_one(row));
    const auto scaled = pipeline::make_pipeline(preprocessing::StandardScaler<double>(),
                                                linear_model::LogisticRegression<double>())
                            .fit(d.X, d.y);
    CHECK_THROWS_WITH(scaled.predict_one(row), Catch::Contains("NaN at feature 3"));
    const auto marked = impute::SimpleImputer<double>({.missing_values = -1.0}).fit(d.X);
    CHECK_THROWS_WITH(marked.transform_one(row), Catch::Contains("missing_values is -1"));
    const std::array<double, 10> short_row{};
    CHECK_THROWS_WITH(scaled.predict_one(short_row), Catch::Contains("the row has 10 features"));
    const pipeline::Pipeline<preprocessing::StandardScaler<double>, linear_model::LogisticRegression<double>> unfitted;
    CHECK_THROWS_AS(unfitted.predict_one(row), not_fitted);
}
