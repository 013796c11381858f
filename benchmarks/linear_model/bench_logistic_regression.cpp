// L3: binary logistic regression on n=200k, d=100 doubles, C=1, tol 1e-4, with the lbfgs and
// newton-cholesky solvers, all cores. Reference: logistic_liblinear.cpp beside this file.
#include <kestrel/linear_model/logistic_regression.hpp>

#include "../support/harness.hpp"
#include "cases.hpp"

namespace kestrel::bench {
namespace {

using linear_model::LogisticRegression;
using linear_model::Solver;

void kestrel_logistic(benchmark::State& state, Solver solver) {
    const LogisticCase& c = l3();
    LogisticRegression<> model({.tol = c.tol, .C = c.C, .solver = solver, .max_iter = c.max_iter});
    for (auto _ : state) model.fit(c.X, c.y);
    report_logistic(state, c, model.coef().row(0).transpose(), model.intercept()(0), model.n_iter(), openmp_threads());
}

const bool registered = [] {
    add("BM_L3/kestrel_lbfgs", [](benchmark::State& s) { kestrel_logistic(s, Solver::lbfgs); });
    add("BM_L3/kestrel_newton", [](benchmark::State& s) { kestrel_logistic(s, Solver::newton_cholesky); });
    return true;
}();

}  // namespace
}  // namespace kestrel::bench
