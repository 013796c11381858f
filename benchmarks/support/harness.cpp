#include "harness.hpp"

#if defined(_OPENMP)
#include <omp.h>
#endif

#include "quality.hpp"

namespace kestrel::bench {

namespace {

using benchmark::Counter;

double fits(const benchmark::State& state) { return static_cast<double>(state.iterations()); }

}  // namespace

void report_kmeans(benchmark::State& state, const KMeansCase& c, const Matrix<float>& centers, int n_iter,
                   int threads, Bound bound, double seconds) {
    const double n = static_cast<double>(c.X.rows());
    const double d = static_cast<double>(c.X.cols());
    const double k = static_cast<double>(c.initial_centers.rows());
    state.counters["n_iter"] = n_iter;
    state.counters["s_per_iter"] = Counter(n_iter, Counter::kIsIterationInvariantRate | Counter::kInvert);
    state.counters["inertia"] = inertia(c.X, centers);
    state.counters["threads"] = threads;
    if (bound == Bound::compute) {
        const double flops = 2.0 * n * k * d * n_iter;
        state.counters["FLOP/s"] = Counter(flops, Counter::kIsIterationInvariantRate);
        state.counters["peak_frac"] = flops * fits(state) / seconds / peak_flops_float;
    } else {
        const double bytes = n * d * sizeof(float) * n_iter;
        state.counters["bytes/s"] = Counter(bytes, Counter::kIsIterationInvariantRate);
        state.counters["peak_frac"] = bytes * fits(state) / seconds / read_bandwidth;
    }
}

void report_regression(benchmark::State& state, const RegressionCase& c, const Vector<double>& coef, double intercept,
                       int threads, double seconds) {
    const Fit fit = regression_fit(c.X, c.y, coef, intercept);
    const double d = static_cast<double>(c.X.cols());
    const double gram_flops = static_cast<double>(c.X.rows()) * d * d;
    state.counters["r2"] = fit.r2;
    state.counters["mse"] = fit.mse;
    state.counters["threads"] = threads;
    state.counters["FLOP/s"] = Counter(gram_flops, Counter::kIsIterationInvariantRate);
    state.counters["peak_frac"] = gram_flops * fits(state) / seconds / peak_flops_double;
}

void report_lasso(benchmark::State& state, const LassoCase& c, const Vector<double>& coef, double alpha, int n_iter,
                  int threads) {
    const LassoQuality q = lasso_quality(c.X, c.y, coef, alpha);
    state.counters["objective"] = q.objective;
    state.counters["dual_gap"] = q.duality_gap;
    state.counters["nonzeros"] = static_cast<double>(q.nonzeros);
    state.counters["n_iter"] = n_iter;
    state.counters["threads"] = threads;
}

void report_logistic(benchmark::State& state, const LogisticCase& c, const Vector<double>& coef, double intercept,
                     int n_iter, int threads) {
    const LogisticQuality q = logistic_quality(c.X, c.y, coef, intercept, c.C);
    state.counters["objective"] = q.objective;
    state.counters["accuracy"] = q.accuracy;
    state.counters["n_iter"] = n_iter;
    state.counters["threads"] = threads;
}

int openmp_threads() {
#if defined(_OPENMP)
    return omp_get_max_threads();
#else
    return 1;
#endif
}

}  // namespace kestrel::bench
