#include "cases.hpp"

#include <cmath>

#include <kestrel/core/random.hpp>

#include "../support/data.hpp"
#include "../support/harness.hpp"
#include "../support/quality.hpp"

namespace kestrel::bench {

namespace {

// Smoke data: the shapes of the full cases at a size that runs in milliseconds, around a
// coefficient vector with `nnz` non-zeros.
Vector<double> sparse_truth(Index d, Index nnz, random_engine& rng) {
    Vector<double> w = Vector<double>::Zero(d);
    for (const Index j : rng.sample_without_replacement(d, nnz)) w(j) = rng.uniform(-10.0, 10.0);
    return w;
}

}  // namespace

const RegressionCase& l1() {
    static const RegressionCase c = [] {
        if (!smoke()) return RegressionCase{load<double>("l1_X"), load_vector<double>("l1_y")};
        random_engine rng(3);
        RegressionCase s{gaussian(2000, 20, rng), {}};
        s.y = (s.X * sparse_truth(20, 20, rng)).array() + 3.0 + gaussian(2000, 1, rng).col(0).array();
        return s;
    }();
    return c;
}

const LassoCase& l2() {
    static const LassoCase c = [] {
        LassoCase s;
        if (!smoke()) {
            s.X = load<double>("l2_X");
            s.y = load_vector<double>("l2_y");
            s.alpha = load_vector<double>("l2_alpha")(0);
            s.path = load_vector<double>("l2_path");
            return s;
        }
        random_engine rng(4);
        s.X = gaussian(1000, 100, rng);
        s.y = (s.X * sparse_truth(100, 10, rng)).array() + gaussian(1000, 1, rng).col(0).array();
        s.alpha = 0.1;
        s.path.resize(5);
        for (Index i = 0; i < s.path.size(); ++i) s.path(i) = 2.0 * std::pow(10.0, -0.5 * static_cast<double>(i));
        return s;
    }();
    return c;
}

const LogisticCase& l3() {
    static const LogisticCase c = [] {
        LogisticCase s;
        if (!smoke()) {
            s.X = load<double>("l3_X");
            s.y = load_vector<double>("l3_y").cast<int>();
            return s;
        }
        random_engine rng(5);
        s.X = gaussian(2000, 20, rng);
        const Vector<double> margin = s.X * sparse_truth(20, 10, rng) + 3.0 * gaussian(2000, 1, rng).col(0);
        s.y = (margin.array() > 0.0).cast<int>();
        return s;
    }();
    return c;
}

void report_regression(benchmark::State& state, const RegressionCase& c, const Vector<double>& coef, double intercept,
                       int threads, double seconds) {
    using benchmark::Counter;
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

}  // namespace kestrel::bench
