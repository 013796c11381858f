// L3 and L5: binary logistic regression on n=200k, d=100, C=1, tol 1e-4, with the lbfgs and
// newton-cholesky solvers, all cores; in double and in float (on the case's float copy of X).
// L3 is make_classification's data, L5 a well-conditioned draw from a known logistic model.
// Reference: logistic_liblinear.cpp beside this file.
#include <string>
#include <utility>

#include <kestrel/linear_model/logistic_regression.hpp>

#include "../support/harness.hpp"
#include "cases.hpp"

namespace kestrel::bench {
namespace {

using linear_model::LogisticRegression;
using linear_model::Solver;

template <class T>
void kestrel_logistic(benchmark::State& state, const LogisticCase& c, Solver solver) {
    const Matrix<T>& X = features<T>(c);
    const linear_model::LogisticRegressionParams params{
        .tol = c.tol, .C = c.C, .solver = solver, .max_iter = c.max_iter};
    LogisticRegression<T> model(params);
    for (auto _ : state) model.fit(X, c.y);
    report_logistic<T>(state, c, model.coef().row(0).transpose(), model.intercept()(0), model.n_iter(),
                       openmp_threads());
}

template <class T>
void register_case(const std::string& id, const LogisticCase& (*data)(), const std::string& suffix) {
    add("BM_" + id + "/kestrel_lbfgs" + suffix,
        [data](benchmark::State& s) { kestrel_logistic<T>(s, data(), Solver::lbfgs); });
    add("BM_" + id + "/kestrel_newton" + suffix,
        [data](benchmark::State& s) { kestrel_logistic<T>(s, data(), Solver::newton_cholesky); });
}

const bool registered = [] {
    for (const auto& [id, data] : {std::pair{"L3", &l3}, std::pair{"L5", &l5}}) {
        register_case<double>(id, data, "");
        register_case<float>(id, data, "_float");
    }
    return true;
}();

}  // namespace
}  // namespace kestrel::bench
