// L3 and L5: binary logistic regression on n=200k, d=100, C=1, tol 1e-4, with the lbfgs and
// newton-cholesky solvers, all cores; in double and in float (on the case's float copy of X).
// L3 is make_classification's data, L5 a well-conditioned draw from a known logistic model.
// Reference: logistic_liblinear.cpp beside this file.
//
// Besides the quality figures, each fit reports the work its solver did, for the bandwidth bound
// in RESULTS.md: `n_eval`, the objective-and-gradient evaluations (each one read of X), and for
// Newton `n_hess`, the Hessians (each a read of X and an n·d² Gram). They come from an untimed
// re-run of the solver on the objective LogisticRegression::fit builds, which must stop at the
// same iteration as the timed fits.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <kestrel/linear_model/detail/logistic_solver.hpp>
#include <kestrel/linear_model/logistic_regression.hpp>

#include "../support/data.hpp"
#include "../support/harness.hpp"
#include "cases.hpp"

namespace kestrel::bench {
namespace {

using linear_model::LogisticRegression;
using linear_model::Solver;

// The solver's run inside model.fit(X, y) on a binary problem, repeated: the objective built as
// LogisticRegression::fit builds it (target 1 for classes()[1], unit sample weights; for Newton
// the weights and the penalty divided by the weights' sum), solved from zero.
template <class T>
linear_model::detail::lbfgs_result solver_run(const LogisticRegression<T>& model, const Matrix<T>& X, const Labels& y,
                                              const linear_model::LogisticRegressionParams& params) {
    namespace detail = linear_model::detail;
    const bool newton = params.solver == Solver::newton_cholesky;
    const kestrel::detail::row_major_ref<T> Xr(X);
    const Vector<T> target = (y.array() == model.classes()[1]).template cast<T>();
    Vector<T> weight = Vector<T>::Ones(X.rows());
    double strength = 1.0 / params.C;
    if (newton) {
        const T total = weight.sum();
        weight /= total;
        strength /= static_cast<double>(total);
    }
    const detail::logistic_objective<T> objective(Xr, target, std::move(weight), 1, params.fit_intercept, strength,
                                                  params.n_jobs);
    Eigen::VectorXd packed = Eigen::VectorXd::Zero(objective.size());
    return detail::solve_logistic(objective, packed, newton, params.max_iter, params.tol, nullptr);
}

double median_of(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

template <class T>
void kestrel_logistic(benchmark::State& state, const LogisticCase& c, Solver solver) {
    const Matrix<T>& X = features<T>(c);
    const linear_model::LogisticRegressionParams params{
        .tol = c.tol, .C = c.C, .solver = solver, .max_iter = c.max_iter};
    LogisticRegression<T> model(params);
    for (auto _ : state) model.fit(X, c.y);
    report_logistic<T>(state, c, model.coef().row(0).transpose(), model.intercept()(0), model.n_iter(),
                       openmp_threads());
    const linear_model::detail::lbfgs_result run = solver_run(model, X, c.y, params);
    if (run.n_iter != model.n_iter()) {
        throw std::runtime_error("the solver's re-run took " + std::to_string(run.n_iter) + " iterations, the fit " +
                                 std::to_string(model.n_iter()));
    }
    // The bound's read of X measured beside the fit, on the threads the fit uses (n_jobs 0: OpenMP's
    // count): one read of this X, then one fit, five times (once in a smoke run), the medians
    // reported. BM_ceiling/read_<case> reads an array of its own minutes before, which on a shared
    // machine may find another bandwidth.
    std::vector<double> reads, fits;
    for (int pair = 0; pair < (smoke() ? 1 : 5); ++pair) {
        const std::size_t bytes = static_cast<std::size_t>(X.size()) * sizeof(T);
        const double first = seconds_of_one_read(X.data(), bytes);
        reads.push_back(std::min(first, seconds_of_one_read(X.data(), bytes)));
        const auto start = std::chrono::steady_clock::now();
        model.fit(X, c.y);
        fits.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    state.counters["read_X_s"] = median_of(reads);
    state.counters["paired_fit_s"] = median_of(fits);
    const double n = static_cast<double>(X.rows());
    const double d = static_cast<double>(X.cols());
    state.counters["n_eval"] = run.n_evaluations;
    state.counters["X_bytes"] = n * d * static_cast<double>(sizeof(T));
    if (solver == Solver::newton_cholesky) {
        state.counters["n_hess"] = run.n_hessians;
        state.counters["hessian_FLOP"] = n * d * d;
    }
}

// One Hessian XᵀDX of the Newton solver (at the zero coefficients of its first iteration), the
// part of its work the FMA peak bounds.
template <class T>
void kestrel_hessian(benchmark::State& state, const LogisticCase& c) {
    using benchmark::Counter;
    const Matrix<T>& X = features<T>(c);
    const kestrel::detail::row_major_ref<T> Xr(X);
    const Vector<T> target = (c.y.array() == 1).template cast<T>();
    const double n = static_cast<double>(X.rows()), d = static_cast<double>(X.cols());
    const linear_model::detail::logistic_objective<T> objective(Xr, target, Vector<T>::Constant(X.rows(), T(1) / T(n)),
                                                                1, true, 1.0 / c.C / n, 0);
    const Eigen::VectorXd zero = Eigen::VectorXd::Zero(objective.size());
    for (auto _ : state) {
        const Eigen::MatrixXd H = objective.binomial_hessian(zero);
        benchmark::DoNotOptimize(H.data());
    }
    state.counters["FLOP/s"] = Counter(n * d * d, Counter::kIsIterationInvariantRate);
    state.counters["threads"] = openmp_threads();
}

template <class T>
void register_case(const std::string& id, const LogisticCase& (*data)(), const std::string& suffix) {
    add("BM_" + id + "/kestrel_lbfgs" + suffix,
        [data](benchmark::State& s) { kestrel_logistic<T>(s, data(), Solver::lbfgs); });
    add("BM_" + id + "/kestrel_newton" + suffix,
        [data](benchmark::State& s) { kestrel_logistic<T>(s, data(), Solver::newton_cholesky); });
    add("BM_" + id + "/kestrel_hessian" + suffix, [data](benchmark::State& s) { kestrel_hessian<T>(s, data()); });
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
