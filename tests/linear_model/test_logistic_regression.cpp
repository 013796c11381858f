#include <limits>
#include <string>

#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/datasets/breast_cancer.hpp>
#include <kestrel/datasets/wine.hpp>
#include <kestrel/linear_model/logistic_regression.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>

#include "common.hpp"

using namespace kestrel;
using kestrel::ClassWeight;
using kestrel::linear_model::LogisticRegression;
using kestrel::linear_model::Penalty;
using kestrel::linear_model::Solver;
using kestrel::test::fixture_case;
using kestrel::test::max_abs_error;
using kestrel::test::max_relative_error;
using kestrel::test::tolerance;

static_assert(probabilistic_classifier<LogisticRegression<double>> &&
              probabilistic_classifier<LogisticRegression<float>>);
static_assert(!regressor<LogisticRegression<double>>);
static_assert((LogisticRegression<>::Params{.C = 10}.validate(), true),
              "Params::validate() is usable in constant expressions");

namespace {

template <class T>
Dataset<T, Labels> standardised(Dataset<T, Labels> data) {
    data.X = preprocessing::StandardScaler<T>().fit_transform(data.X);
    return data;
}

template <class T>
Dataset<T, Labels> breast_cancer() {
    return standardised(datasets::load_breast_cancer<T>());
}

/// Wine with its labels moved to 3, 4, 5, so that labels are not positions.
template <class T>
Dataset<T, Labels> wine() {
    auto data = standardised(datasets::load_wine<T>());
    data.y.array() += 3;
    return data;
}

template <class T>
void check_against(const LogisticRegression<T>& model, const Matrix<T>& X, const std::string& prefix, double coef_tol,
                   double proba_tol) {
    INFO(prefix);
    const auto expected = fixture_case("linear_model/" + prefix);
    const Matrix<double> coef = expected.matrix("coef");
    // Element by element in double; in float, relative to the largest coefficient, since float's
    // rounding of the data alone moves the optimum by about 1e-7 of the coefficients' scale.
    const double scale = std::is_same_v<T, double> ? 1e-300 : coef.cwiseAbs().maxCoeff();
    CHECK(max_relative_error(model.coef(), coef, scale) < coef_tol);
    const Vector<double> intercept = expected.vector("intercept");
    CHECK(max_abs_error(model.intercept(), intercept) < coef_tol * intercept.cwiseAbs().maxCoeff());
    // The reference keeps every fourth row's probabilities.
    const Matrix<T> proba = model.predict_proba(X);
    Matrix<T> every_fourth(proba.rows() / 4 + (proba.rows() % 4 ? 1 : 0), proba.cols());
    for (Index i = 0; i < every_fourth.rows(); ++i) every_fourth.row(i) = proba.row(4 * i);
    CHECK(max_abs_error(every_fourth, expected.matrix("proba")) < proba_tol);
}

}  // namespace

TEMPLATE_TEST_CASE("LogisticRegression matches scikit-learn on breast cancer", "[logistic_regression]", float, double) {
    using T = TestType;
    const auto data = breast_cancer<T>();
    const double coef_tol = tolerance<T>(1e-4, 1e-3), proba_tol = tolerance<T>(1e-5, 5e-4);
    const Vector<T> w = test::reference_weights<T>(data.n_samples());
    struct Case {
        std::string prefix;
        typename LogisticRegression<T>::Params params;
        bool weighted;
    };
    const Case cases[] = {
        {"logistic_binary", {.tol = 1e-10, .max_iter = 10000}, false},
        {"logistic_binary_balanced", {.tol = 1e-10, .class_weight = ClassWeight::balanced, .max_iter = 10000}, false},
        {"logistic_binary_weighted", {.tol = 1e-10, .C = 0.5, .max_iter = 10000}, true},
        {"logistic_binary_newton", {.tol = 1e-10, .solver = Solver::newton_cholesky, .max_iter = 10000}, false},
        {"logistic_binary_newton_balanced",
         {.tol = 1e-10, .class_weight = ClassWeight::balanced, .solver = Solver::newton_cholesky, .max_iter = 10000},
         false},
        {"logistic_binary_default", {}, false},
    };
    for (const Case& c : cases) {
        LogisticRegression<T> model(c.params);
        if (c.weighted) {
            model.fit(data.X, data.y, w);
        } else {
            model.fit(data.X, data.y);
        }
        check_against(model, data.X, c.prefix, coef_tol, proba_tol);
        CHECK(model.coef().rows() == 1);
        CHECK(model.classes() == fixture_case("linear_model/logistic_binary").labels("classes"));
        if constexpr (std::is_same_v<T, double>) {
            // Both solvers follow scikit-learn's iterates, so they stop after as many iterations.
            CHECK(model.converged());
            CHECK(model.n_iter() == static_cast<int>(fixture_case("linear_model/" + c.prefix).vector("n_iter")[0]));
        }
    }
}

TEMPLATE_TEST_CASE("LogisticRegression matches scikit-learn on wine, labels 3, 4, 5", "[logistic_regression]", float,
                   double) {
    using T = TestType;
    const auto data = wine<T>();
    const double coef_tol = tolerance<T>(1e-4, 1e-3), proba_tol = tolerance<T>(1e-5, 5e-4);
    struct Case {
        std::string prefix;
        typename LogisticRegression<T>::Params params;
        bool weighted;
    };
    const Case cases[] = {
        {"logistic_wine", {.tol = 1e-10, .max_iter = 10000}, false},
        {"logistic_wine_balanced", {.tol = 1e-10, .class_weight = ClassWeight::balanced, .max_iter = 10000}, false},
        {"logistic_wine_weighted", {.tol = 1e-10, .C = 2.0, .max_iter = 10000}, true},
        {"logistic_wine_newton", {.tol = 1e-10, .solver = Solver::newton_cholesky, .max_iter = 10000}, false},
        {"logistic_wine_newton_balanced",
         {.tol = 1e-10, .class_weight = ClassWeight::balanced, .solver = Solver::newton_cholesky, .max_iter = 10000},
         false},
    };
    for (const Case& c : cases) {
        LogisticRegression<T> model(c.params);
        if (c.weighted) {
            model.fit(data.X, data.y, test::reference_weights<T>(data.n_samples()));
        } else {
            model.fit(data.X, data.y);
        }
        check_against(model, data.X, c.prefix, coef_tol, proba_tol);
        CHECK(model.coef().rows() == 3);
        CHECK(model.classes() == Labels::LinSpaced(3, 3, 5));
        const Labels predicted = model.predict(data.X);
        CHECK(((predicted.array() >= 3) && (predicted.array() <= 5)).all());
        if constexpr (std::is_same_v<T, double>) {
            CHECK(model.n_iter() ==
                  static_cast<int>(fixture_case("linear_model/" + c.prefix).vector("n_iter").maxCoeff()));
        }
    }
}

TEST_CASE("LogisticRegression without a penalty finds the maximum-likelihood fit", "[logistic_regression]") {
    const Matrix<double> X = fixture_case("linear_model/overlap").matrix("X");
    const Labels y = fixture_case("linear_model/overlap").labels("y");
    for (const auto& [solver, prefix] : {std::pair{Solver::lbfgs, "logistic_unpenalised_lbfgs"},
                                         std::pair{Solver::newton_cholesky, "logistic_unpenalised_newton_cholesky"}}) {
        LogisticRegression<> model({.penalty = Penalty::none, .tol = 1e-10, .solver = solver, .max_iter = 10000});
        model.fit(X, y);
        check_against(model, X, prefix, 1e-4, 1e-5);
        CHECK(model.classes() == Labels::LinSpaced(2, -1, 1));
    }
}

TEMPLATE_TEST_CASE("LogisticRegression gives the same answer for every memory layout", "[logistic_regression]", float,
                   double) {
    using T = TestType;
    const auto data = wine<T>();
    for (Solver solver : {Solver::lbfgs, Solver::newton_cholesky}) {
        LogisticRegression<T> row({.solver = solver}), col(row.params()), map(row.params());
        row.fit(data.X, data.y);
        col.fit(test::column_major(data.X), data.y);
        map.fit(Eigen::Map<const Matrix<T>>(data.X.data(), data.X.rows(), data.X.cols()), data.y);
        CHECK(col.coef() == row.coef());
        CHECK(map.coef() == row.coef());
        CHECK(col.predict(test::column_major(data.X)) == row.predict(data.X));
    }
}

TEST_CASE("LogisticRegression probabilities, log-probabilities, decisions and predictions agree",
          "[logistic_regression]") {
    const auto data = breast_cancer<double>();
    LogisticRegression<> model;
    model.fit(data);
    const Matrix<double> proba = model.predict_proba(data.X);
    const Matrix<double> decision = model.decision_function(data.X);
    CHECK(decision.cols() == 1);
    CHECK(proba.rowwise().sum().isApprox(Vector<double>::Ones(data.n_samples())));
    CHECK(model.predict_log_proba(data.X).isApprox(proba.array().log().matrix()));
    const Labels predicted = model.predict(data.X);
    for (Index i = 0; i < data.n_samples(); ++i) {
        REQUIRE(predicted[i] == (decision(i, 0) > 0 ? 1 : 0));
        REQUIRE((proba(i, 1) > 0.5) == (decision(i, 0) > 0));
    }
    CHECK(model.score(data.X, data.y) == Approx((predicted.array() == data.y.array()).cast<double>().mean()));
}

TEST_CASE("LogisticRegression reports non-convergence as state", "[logistic_regression]") {
    const auto data = breast_cancer<double>();
    for (Solver solver : {Solver::lbfgs, Solver::newton_cholesky}) {
        LogisticRegression<> model({.tol = 1e-12, .solver = solver, .max_iter = 2});
        model.fit(data.X, data.y);
        CHECK_FALSE(model.converged());
        CHECK(model.n_iter() == 2);
    }
}

TEST_CASE("LogisticRegression gives the same answer on any number of threads", "[logistic_regression]") {
    // Enough rows for several chunks, each summed in a fixed order.
    const auto data = breast_cancer<double>();
    Matrix<double> X(data.n_samples() * 40, data.n_features());
    Labels y(X.rows());
    for (Index r = 0; r < 40; ++r) {
        X.middleRows(r * data.n_samples(), data.n_samples()) = data.X.array() + 0.01 * static_cast<double>(r);
        y.segment(r * data.n_samples(), data.n_samples()) = data.y;
    }
    LogisticRegression<> one({.n_jobs = 1}), two({.n_jobs = 2});
    CHECK(one.fit(X, y).coef() == two.fit(X, y).coef());
}

TEST_CASE("LogisticRegression rejects bad parameters and input", "[logistic_regression]") {
    const auto data = breast_cancer<double>();
    CHECK_THROWS_AS(LogisticRegression<>({.C = 0}).fit(data.X, data.y), invalid_parameter);
    CHECK_THROWS_AS(LogisticRegression<>({.C = -1}).fit(data.X, data.y), invalid_parameter);
    CHECK_THROWS_AS(LogisticRegression<>({.max_iter = 0}).fit(data.X, data.y), invalid_parameter);
    CHECK_THROWS_AS(LogisticRegression<>({.tol = -1}).fit(data.X, data.y), invalid_parameter);
    LogisticRegression<> model;
    CHECK_THROWS_AS(model.predict(data.X), not_fitted);
    CHECK_THROWS_AS(model.coef(), not_fitted);
    CHECK_THROWS_AS(model.fit(data.X, Labels::Constant(data.n_samples(), 1)), invalid_input);
    CHECK_THROWS_AS(model.fit(data.X, Labels(data.y.head(10))), invalid_input);
    Matrix<double> bad = data.X;
    bad(2, 2) = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(model.fit(bad, data.y), invalid_input);
    model.fit(data.X, data.y);
    CHECK_THROWS_WITH(model.predict(Matrix<double>::Zero(1, 5)),
                      "X has 5 features, but LogisticRegression was fitted with 30");
    CHECK_THROWS_AS(model.predict_proba(bad), invalid_input);
}

TEST_CASE("LogisticRegression names the first NaN or infinity of X for every solver and problem", "[logistic_regression]") {
    using Catch::Matchers::Contains;
    const auto binary = breast_cancer<double>();
    const auto multi = wine<double>();
    for (const double value : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                               -std::numeric_limits<double>::infinity()}) {
        for (const Solver solver : {Solver::lbfgs, Solver::newton_cholesky}) {
            for (const auto* data : {&binary.X, &multi.X}) {
                const Labels& y = data == &binary.X ? binary.y : multi.y;
                Matrix<double> bad = *data;
                bad(40, 3) = value;
                bad(90, 1) = value;
                LogisticRegression<> model({.solver = solver});
                CHECK_THROWS_WITH(model.fit(bad, y), Contains("at row 40, column 3"));
                // A row of weight zero still may not hold one.
                Vector<double> weights = Vector<double>::Ones(bad.rows());
                weights[40] = 0;
                CHECK_THROWS_WITH(model.fit(bad, y, weights), Contains("at row 40, column 3"));
                CHECK_FALSE(model.is_fitted());
            }
        }
    }
}
