// L1: least squares on n=200k, d=100 doubles, OLS and ridge (α=1) with an intercept, all cores.
// Reference: least_squares_arma.cpp beside this file.
#include <kestrel/linear_model/linear_regression.hpp>
#include <kestrel/linear_model/ridge.hpp>

#include "../support/harness.hpp"
#include "cases.hpp"

namespace kestrel::bench {
namespace {

template <class Model>
void kestrel_least_squares(benchmark::State& state, Model model) {
    const RegressionCase& c = l1();
    const Stopwatch clock;
    for (auto _ : state) model.fit(c.X, c.y);
    const double seconds = clock.seconds();
    report_regression(state, c, model.coef(), model.intercept(), openmp_threads(), seconds);
}

const bool registered = [] {
    using linear_model::LinearRegression;
    using linear_model::Ridge;
    add("BM_L1/kestrel_ols", [](benchmark::State& s) { kestrel_least_squares(s, LinearRegression<>()); });
    add("BM_L1/kestrel_ridge",
        [](benchmark::State& s) { kestrel_least_squares(s, Ridge<>({.alpha = l1().ridge_alpha})); });
    return true;
}();

}  // namespace
}  // namespace kestrel::bench
