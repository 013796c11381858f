// The one-row methods: predict_one, predict_proba_one and decision_function_one give the bits of the
// batch methods on every row, allocate nothing (operator new is counted), take every row type, and
// check rows as the batch methods check matrices; fixed_features<N, K> is noexcept and checks the
// model once.
//
// Allocations are counted twice over: operator new is replaced, and Eigen's own allocations (which
// bypass it) are refused while a one-row call runs (EIGEN_RUNTIME_NO_MALLOC), each refusal counted.
#include "one_row_check.hpp"

#include <cmath>
#include <limits>
#include <string>

#include <kestrel/datasets.hpp>
#include <kestrel/ensemble.hpp>
#include <kestrel/linear_model.hpp>
#include <kestrel/svm/linear_svc.hpp>
#include <kestrel/svm/linear_svr.hpp>
#include <kestrel/tree.hpp>

using namespace kestrel;

namespace {

// 300 rows of 7 features (one row in 11 with a NaN in feature 2 when `missing`), three classes
// and a real target.
template <class T>
struct data {
    Matrix<T> X;
    Labels y3, y2;
    Vector<T> target;
};
template <class T>
data<T> make_data(bool missing) {
    const auto c = datasets::make_classification<T>(
        {.n_samples = 300, .n_features = 7, .n_informative = 5, .n_classes = 3, .random_state = 3});
    data<T> out{c.X, c.y, Labels(300), Vector<T>(300)};
    for (Index i = 0; i < 300; ++i) {
        if (missing && i % 11 == 0) out.X(i, 2) = std::numeric_limits<T>::quiet_NaN();
        out.y2[i] = c.y[i] == 2 ? 1 : 0;
        out.target[i] = c.X(i, 0) * T(3) - c.X(i, 4) + static_cast<T>(c.y[i]);
    }
    return out;
}

}  // namespace

TEMPLATE_TEST_CASE("trees, forests and boosting: predict_one is the batch predict's row, bit for bit", "[edge]", float,
                   double) {
    using T = TestType;
    for (const bool missing : {false, true}) {
        const data<T> d = make_data<T>(missing);
        INFO("missing values: " << missing);
        check_rows<7, 3>(tree::DecisionTreeClassifier<T>({.max_depth = 8}).fit(d.X, d.y3), d.X);
        check_rows<7, 0>(tree::DecisionTreeRegressor<T>({.max_depth = 8}).fit(d.X, d.target), d.X);
        check_rows<7, 3>(ensemble::RandomForestClassifier<T>({.n_estimators = 20, .max_depth = 6, .n_jobs = 1}).fit(d.X, d.y3),
                         d.X);
        check_rows<7, 2>(ensemble::RandomForestClassifier<T>({.n_estimators = 9, .n_jobs = 1}).fit(d.X, d.y2), d.X);
        check_rows<7, 0>(ensemble::RandomForestRegressor<T>({.n_estimators = 12, .n_jobs = 1}).fit(d.X, d.target), d.X);
        ensemble::HistGradientBoostingClassifierParams hp;
        hp.max_iter = 15;
        check_rows<7, 3>(ensemble::HistGradientBoostingClassifier<T>(hp).fit(d.X, d.y3), d.X);
        check_rows<7, 2>(ensemble::HistGradientBoostingClassifier<T>(hp).fit(d.X, d.y2), d.X);
        ensemble::HistGradientBoostingRegressorParams rp;
        rp.max_iter = 15;
        check_rows<7, 0>(ensemble::HistGradientBoostingRegressor<T>(rp).fit(d.X, d.target), d.X);
        rp.loss = ensemble::Loss::poisson;
        check_rows<7, 0>(ensemble::HistGradientBoostingRegressor<T>(rp).fit(d.X, d.target.array().abs().matrix()), d.X);
        if (!missing) {
            check_rows<7, 0>(ensemble::ExtraTreesRegressor<T>({.n_estimators = 7, .n_jobs = 1}).fit(d.X, d.target), d.X);
            check_rows<7, 3>(ensemble::ExtraTreesClassifier<T>({.n_estimators = 7, .n_jobs = 1}).fit(d.X, d.y3), d.X);
        }
    }
}

TEMPLATE_TEST_CASE("linear models: predict_one is the batch predict's row, bit for bit", "[edge]", float, double) {
    using T = TestType;
    // 13 features: sums long enough that a different grouping would show in the last bits.
    const auto c = datasets::make_classification<T>(
        {.n_samples = 203, .n_features = 13, .n_informative = 8, .n_classes = 3, .random_state = 5});
    Vector<T> target(c.X.rows());
    Labels binary(c.X.rows());
    for (Index i = 0; i < c.X.rows(); ++i) {
        target[i] = c.X(i, 0) * T(2.5) - c.X(i, 7) + T(0.1) * static_cast<T>(i % 7);
        binary[i] = c.y[i] == 1 ? 1 : 0;
    }
    check_rows<13, 0>(linear_model::LinearRegression<T>().fit(c.X, target), c.X);
    check_rows<13, 0>(linear_model::Ridge<T>({.alpha = 0.5}).fit(c.X, target), c.X);
    check_rows<13, 0>(linear_model::Lasso<T>({.alpha = 0.01}).fit(c.X, target), c.X);
    check_rows<13, 0>(linear_model::ElasticNet<T>({.alpha = 0.01}).fit(c.X, target), c.X);
    check_rows<13, 2>(linear_model::LogisticRegression<T>().fit(c.X, binary), c.X);
    check_rows<13, 3>(linear_model::LogisticRegression<T>().fit(c.X, c.y), c.X);
    check_rows<13, 3>(linear_model::LogisticRegression<T>({.solver = linear_model::Solver::newton_cholesky}).fit(c.X, c.y),
                      c.X);
    check_rows<13, 1>(svm::LinearSVC<T>().fit(c.X, binary), c.X);
    check_rows<13, 3>(svm::LinearSVC<T>().fit(c.X, c.y), c.X);
    // One decision value comes as T from the fixed view: a binary classifier with probabilities
    // (K = 2 classes) or a model with K = 1 decision value; a 3-class LinearSVC gives an array.
    const auto binary_logistic = linear_model::LogisticRegression<T>().fit(c.X, binary);
    const auto binary_svc = svm::LinearSVC<T>().fit(c.X, binary);
    const auto three_svc = svm::LinearSVC<T>().fit(c.X, c.y);
    const std::array<T, 13> zeros{};
    STATIC_REQUIRE(std::is_same_v<decltype(fixed_features<13, 2>(binary_logistic).decision_function_one(zeros)), T>);
    STATIC_REQUIRE(std::is_same_v<decltype(fixed_features<13, 1>(binary_svc).decision_function_one(zeros)), T>);
    STATIC_REQUIRE(
        std::is_same_v<decltype(fixed_features<13, 3>(three_svc).decision_function_one(zeros)), std::array<T, 3>>);
    CHECK(fixed_features<13, 2>(binary_logistic).decision_function_one(zeros) ==
          binary_logistic.decision_function(Matrix<T>::Zero(1, 13))(0, 0));
    check_rows<13, 0>(svm::LinearSVR<T>().fit(c.X, target), c.X);

    // A row's score does not depend on where it sits: the rows from the second on, as a batch of
    // their own, and X in column-major order.
    const auto model = linear_model::LogisticRegression<T>().fit(c.X, c.y);
    const Matrix<T> all = model.predict_proba(c.X);
    const Matrix<T> shifted = model.predict_proba(Matrix<T>(c.X.bottomRows(c.X.rows() - 1)));
    const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor> column_major = c.X;
    CHECK(shifted == all.bottomRows(c.X.rows() - 1));
    CHECK(model.predict_proba(column_major) == all);
    // A multi-target model has no one-row predict.
    Matrix<T> two_targets(c.X.rows(), 2);
    two_targets << target, target * T(2);
    const auto multi = linear_model::Ridge<T>().fit(c.X, two_targets);
    const std::span<const T> row(c.X.row(0).data(), 13);
    CHECK_THROWS_WITH(multi.predict_one(row), Catch::Contains("predict_matrix()"));
}

TEST_CASE("HistGradientBoosting with categorical splits: predict_one walks them as predict", "[edge]") {
    data<double> d = make_data<double>(true);
    for (Index i = 0; i < d.X.rows(); ++i) d.X(i, 5) = std::floor(std::abs(d.X(i, 5)) * 3);
    ensemble::HistGradientBoostingClassifierParams hp;
    hp.max_iter = 10;
    hp.categorical_features = {5};
    check_rows<7, 3>(ensemble::HistGradientBoostingClassifier<double>(hp).fit(d.X, d.y3), d.X);
}

TEST_CASE("one-row methods check the row as the batch methods check X", "[edge]") {
    const data<double> d = make_data<double>(false);
    tree::DecisionTreeClassifier<double> unfitted;
    const std::array<double, 7> row{0, 1, 2, 3, 4, 5, 6};
    CHECK_THROWS_AS(unfitted.predict_one(row), not_fitted);
    CHECK_THROWS_AS(fixed_features<7>(unfitted), not_fitted);
    const auto model = ensemble::RandomForestClassifier<double>({.n_estimators = 3, .n_jobs = 1}).fit(d.X, d.y3);
    const std::array<double, 6> short_row{0, 1, 2, 3, 4, 5};
    CHECK_THROWS_WITH(model.predict_one(short_row), Catch::Contains("the row has 6 features, but the model was fitted with 7"));
    CHECK_THROWS_WITH(fixed_features<6>(model), Catch::Contains("fixed_features<6> of a model fitted with 7 features"));
    CHECK_THROWS_WITH((fixed_features<7, 2>(model)), Catch::Contains("3 outputs"));
    std::array<double, 7> infinite = row;
    infinite[4] = std::numeric_limits<double>::infinity();
    CHECK_THROWS_WITH(model.predict_one(infinite), Catch::Contains("infinite value at feature 4"));
    std::array<double, 2> too_few_outputs{};
    CHECK_THROWS_WITH(model.predict_proba_one(row, std::span<double>(too_few_outputs)),
                      Catch::Contains("predict_proba_one writes 3 values, but the output span holds 2"));
    // ExtraTrees take no missing values; the forests of the best splitter take NaN.
    std::array<double, 7> missing = row;
    missing[1] = std::numeric_limits<double>::quiet_NaN();
    CHECK_NOTHROW(model.predict_one(missing));
    const auto extra = ensemble::ExtraTreesClassifier<double>({.n_estimators = 3, .n_jobs = 1}).fit(d.X, d.y3);
    CHECK_THROWS_WITH(extra.predict_one(missing), Catch::Contains("NaN at feature 1"));
    const auto fast = fixed_features<7, 3>(model);
    STATIC_REQUIRE(noexcept(fast.predict_one(row)));
    STATIC_REQUIRE(noexcept(fast.predict_proba_one(row)));
    // The counter sees what it counts.
    CHECK(allocations_of([] { Vector<double> v(100); }) == 1);
    CHECK(allocations_of([] { std::vector<int> v(100); }) == 1);
}
