// L1 and L4: least squares on n=200k, d=100, OLS and ridge (α=1) with an intercept, all cores; in
// double and in float (on the case's float copy of X and y). L1's columns are iid standard normal,
// L4's have unequal scales and far-from-origin means.
// Reference: least_squares_arma.cpp beside this file.
//
// kestrel_gram times the fit's Gram pass alone (the centred normal equations XᵀX, Xᵀy and the
// means, as LinearRegression forms them), the part of a fit the FMA peak bounds.
#include <string>

#include <kestrel/linear_model/detail/normal_equations.hpp>
#include <kestrel/linear_model/linear_regression.hpp>
#include <kestrel/linear_model/ridge.hpp>

#include "../support/harness.hpp"
#include "cases.hpp"

namespace kestrel::bench {
namespace {

template <class T, class Model>
void kestrel_least_squares(benchmark::State& state, const RegressionCase& c, Model model) {
    const Matrix<T>& X = features<T>(c);
    const Vector<T>& y = targets<T>(c);
    const Stopwatch clock;
    for (auto _ : state) model.fit(X, y);
    const double seconds = clock.seconds();
    report_regression<T>(state, c, model.coef(), model.intercept(), openmp_threads(), seconds);
}

template <class T>
void kestrel_gram(benchmark::State& state, const RegressionCase& c) {
    using benchmark::Counter;
    const Matrix<T>& X = features<T>(c);
    const linear_model::detail::ColMatrix<T> Y = targets<T>(c);
    const kestrel::detail::row_major_ref<T> Xr(X);
    for (auto _ : state) {
        auto ne = linear_model::detail::centred_normal_equations<T>(Xr, Y, Vector<T>(), true, 0);
        benchmark::DoNotOptimize(ne.gram.data());
    }
    const double d = static_cast<double>(X.cols());
    state.counters["FLOP/s"] = Counter(static_cast<double>(X.rows()) * d * d, Counter::kIsIterationInvariantRate);
    state.counters["threads"] = openmp_threads();
}

template <class T>
void register_case(const std::string& id, const RegressionCase& (*data)(), const std::string& suffix) {
    using linear_model::LinearRegression;
    using linear_model::Ridge;
    add("BM_" + id + "/kestrel_ols" + suffix,
        [data](benchmark::State& s) { kestrel_least_squares<T>(s, data(), LinearRegression<T>()); });
    add("BM_" + id + "/kestrel_ridge" + suffix,
        [data](benchmark::State& s) { kestrel_least_squares<T>(s, data(), Ridge<T>({.alpha = data().ridge_alpha})); });
    add("BM_" + id + "/kestrel_gram" + suffix, [data](benchmark::State& s) { kestrel_gram<T>(s, data()); });
}

const bool registered = [] {
    for (const auto& [id, data] : {std::pair{"L1", &l1}, std::pair{"L4", &l4}}) {
        register_case<double>(id, data, "");
        register_case<float>(id, data, "_float");
    }
    return true;
}();

}  // namespace
}  // namespace kestrel::bench
