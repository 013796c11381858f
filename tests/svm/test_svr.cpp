// SVR against scikit-learn 1.2 (tests/reference/gen_svm.py): libsvm's dual solution at a tight
// tolerance, predictions at the default one, sample weights, and the errors.
#include <cmath>
#include <iostream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "fixtures.hpp"
#include "svm_support.hpp"

#include <kestrel/core/concepts.hpp>
#include <kestrel/core/error.hpp>
#include <kestrel/svm/svr.hpp>

using namespace kestrel;
using kestrel::test::fixture_case;
using kestrel::test::max_relative_error;
using kestrel::test::parity;
using kestrel::test::same;
using kestrel::test::svm_kernels;
using svm::Gamma;
using svm::Kernel;
using svm::SVR;
using svm::SVRParams;

static_assert(regressor<SVR<double>> && regressor<SVR<float>>);
static_assert(!classifier<SVR<double>>);

namespace {

// The kernels' parameters as gen_svm.py's SVR_KERNELS.
SVRParams svr_kernel_params(const std::string& kernel) {
    if (kernel == "linear") return {.kernel = Kernel::linear};
    if (kernel == "poly") return {.kernel = Kernel::poly, .degree = 2, .coef0 = 1.0};
    if (kernel == "sigmoid") return {.kernel = Kernel::sigmoid, .coef0 = -1.0, .C = 0.5};
    return {.C = 3.0, .epsilon = 0.2};
}

template <class T>
SVR<T> fit_case(const test::FixtureCase& c, SVRParams params) {
    SVR<T> model(params);
    model.fit(c.matrix("X").template cast<T>().eval(), c.vector("y").template cast<T>().eval(),
              c.vector("sample_weight").template cast<T>().eval());
    return model;
}

template <class T>
double check_tight(const std::string& name, const SVRParams& params, double tol) {
    INFO(name);
    const auto c = fixture_case("svm/" + name);
    const SVR<T> model = fit_case<T>(c, params);
    CHECK(model.fit_status() == 0);
    const double intercept = parity(model.intercept(), c.vector("intercept"));
    const double predict = parity(model.predict(c.matrix("X").template cast<T>()), c.vector("predict"));
    CHECK(intercept < tol);
    CHECK(predict < tol);
    double worst = std::max(intercept, predict);
    if (sizeof(T) == 8) {
        // The path is libsvm's, iteration for iteration.
        CHECK(model.n_iter() == static_cast<int>(c.scalar("n_iter")));
        CHECK(same(model.support(), c.labels("support")));
        if (same(model.support(), c.labels("support"))) {
            const double dual = parity(model.dual_coef(), c.matrix("dual_coef"));
            CHECK(dual < tol);
            worst = std::max(worst, dual);
        }
    }
    if (params.kernel == Kernel::linear) {
        const double coef = parity(model.coef(), c.matrix("coef"));
        CHECK(coef < tol);
        worst = std::max(worst, coef);
    }
    return worst;
}

}  // namespace

TEMPLATE_TEST_CASE("SVR at tol=1e-8 has scikit-learn's support, dual_coef, intercept and predictions", "[svm][svr]",
                   float, double) {
    using T = TestType;
    // float rounds X and the kernel values; the linear kernel's fit is the most sensitive to it.
    const double tol = sizeof(T) == 4 ? 5e-3 : 1e-5;
    for (const std::string& kernel : svm_kernels) {
        SVRParams params = svr_kernel_params(kernel);
        params.tol = 1e-8;
        const double worst = check_tight<T>("svr_tight_" + kernel, params, tol);
        if (sizeof(T) == 8) std::cout << "SVR parity diabetes " << kernel << ": " << worst << "\n";
    }
    const double worst = check_tight<T>("svr_weights", {.tol = 1e-8, .epsilon = 0.05}, tol);
    if (sizeof(T) == 8) std::cout << "SVR parity svr_weights: " << worst << "\n";
}

TEST_CASE("SVR at the default tol predicts as scikit-learn", "[svm][svr]") {
    for (const std::string& kernel : svm_kernels) {
        INFO(kernel);
        const auto c = fixture_case("svm/svr_default_" + kernel);
        const SVR<double> model = fit_case<double>(c, svr_kernel_params(kernel));
        const Vector<double> predicted = model.predict(c.matrix("X"));
        // Both stop within tol of the optimum: predictions agree to far less than the tube's width.
        CHECK(test::max_abs_error(predicted, c.vector("predict")) < 1e-2);
        CHECK(std::abs(model.support().size() - c.labels("support").size()) <= 2);
    }
}

TEST_CASE("SVR: integer sample weights equal repeated rows, and a tube wider than y", "[svm][svr]") {
    const auto c = fixture_case("svm/svr_tight_rbf");
    const Matrix<double> X = c.matrix("X");
    const Vector<double> y = c.vector("y");
    Vector<double> w(X.rows());
    std::vector<Index> rows;
    for (Index i = 0; i < X.rows(); ++i) {
        w[i] = static_cast<double>(i % 3);
        for (Index r = 0; r < i % 3; ++r) rows.push_back(i);
    }
    Matrix<double> Xr(static_cast<Index>(rows.size()), X.cols());
    Vector<double> yr(static_cast<Index>(rows.size()));
    for (std::size_t r = 0; r < rows.size(); ++r) {
        Xr.row(static_cast<Index>(r)) = X.row(rows[r]);
        yr[static_cast<Index>(r)] = y[rows[r]];
    }
    // γ given: Gamma::scale would read the variance of the repeated rows, another γ.
    const SVRParams params{.gamma = 0.1, .tol = 1e-10};
    SVR<double> weighted(params), repeated(params);
    weighted.fit(X, y, w);
    repeated.fit(Xr, yr);
    CHECK(max_relative_error(weighted.predict(X), repeated.predict(X), 1e-2) < 1e-6);

    // Every target inside the tube: no support vectors, a constant prediction.
    SVR<double> wide({.epsilon = 2 * y.cwiseAbs().maxCoeff() + 1});
    wide.fit(X, y);
    CHECK(wide.support().size() == 0);
    CHECK(wide.predict(X).isApproxToConstant(wide.intercept()[0]));
}

TEST_CASE("SVR refuses bad parameters and input with typed errors", "[svm][svr]") {
    const auto c = fixture_case("svm/svr_tight_rbf");
    Matrix<double> X = c.matrix("X");
    const Vector<double> y = c.vector("y");
    for (const SVRParams& bad :
         {SVRParams{.C = 0}, SVRParams{.epsilon = -0.1}, SVRParams{.gamma = 0.0}, SVRParams{.gamma = -1.0},
          SVRParams{.tol = 0}, SVRParams{.cache_size = -1}}) {
        SVR<double> model(bad);
        CHECK_THROWS_AS(model.fit(X, y), invalid_parameter);
    }
    SVR<double> precomputed({.kernel = Kernel::precomputed});
    CHECK_THROWS_WITH(precomputed.fit(X, y), Catch::Contains("square kernel matrix"));
    SVR<double> model;
    CHECK_THROWS_AS(model.predict(X), not_fitted);
    model.fit(X, y);
    CHECK_THROWS_WITH(model.coef(), Catch::Contains("linear kernel"));
    CHECK_THROWS_AS(model.predict(X.leftCols(3)), invalid_input);
    CHECK_THROWS_AS(SVR<double>().fit(X, y.head(10)), invalid_input);
    X(0, 0) = std::nan("");
    CHECK_THROWS_AS(SVR<double>().fit(X, y), invalid_input);
}
