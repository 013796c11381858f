#include "cases.hpp"

#include <cmath>
#include <type_traits>
#include <utility>

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

// The float copies the float variants fit on, made once with the case.
RegressionCase with_float(RegressionCase c) {
    c.X_float = c.X.cast<float>();
    c.y_float = c.y.cast<float>();
    return c;
}

LogisticCase with_float(LogisticCase c) {
    c.X_float = c.X.cast<float>();
    return c;
}

// The logistic cases are bandwidth-bound: their binary measures one read of an array the size of
// each X a fit reads (the double data, and its float copy, half the size), after the FMA ceilings
// and before every other benchmark.
[[gnu::init_priority(1001)]] const ReadCeiling read_l3("L3", [] { return 2 * l3().X.size(); });
[[gnu::init_priority(1001)]] const ReadCeiling read_l3_float("L3_float", [] { return l3().X_float.size(); });
[[gnu::init_priority(1001)]] const ReadCeiling read_l5("L5", [] { return 2 * l5().X.size(); });
[[gnu::init_priority(1001)]] const ReadCeiling read_l5_float("L5_float", [] { return l5().X_float.size(); });

}  // namespace

const RegressionCase& l1() {
    static const RegressionCase c = [] {
        if (!smoke()) return with_float(RegressionCase{load<double>("l1_X"), load_vector<double>("l1_y")});
        random_engine rng(3);
        RegressionCase s{gaussian(2000, 20, rng), {}};
        s.y = (s.X * sparse_truth(20, 20, rng)).array() + 3.0 + gaussian(2000, 1, rng).col(0).array();
        return with_float(std::move(s));
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
        } else {
            random_engine rng(4);
            s.X = gaussian(1000, 100, rng);
            s.y = (s.X * sparse_truth(100, 10, rng)).array() + gaussian(1000, 1, rng).col(0).array();
            s.alpha = 0.1;
            s.path.resize(5);
            for (Index i = 0; i < s.path.size(); ++i) s.path(i) = 2.0 * std::pow(10.0, -0.5 * static_cast<double>(i));
        }
        s.X_float = s.X.cast<float>();
        s.y_float = s.y.cast<float>();
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
            return with_float(std::move(s));
        }
        random_engine rng(5);
        s.X = gaussian(2000, 20, rng);
        const Vector<double> margin = s.X * sparse_truth(20, 10, rng) + 3.0 * gaussian(2000, 1, rng).col(0);
        s.y = (margin.array() > 0.0).cast<int>();
        return with_float(std::move(s));
    }();
    return c;
}

// As generate_data.py's L4 at a smoke size: a linear target with noise, then each column scaled
// by 10^U(-1, 1) and shifted by U(-50, 50).
const RegressionCase& l4() {
    static const RegressionCase c = [] {
        if (!smoke()) return with_float(RegressionCase{load<double>("l4_X"), load_vector<double>("l4_y")});
        random_engine rng(6);
        RegressionCase s{gaussian(2000, 20, rng), {}};
        s.y = (s.X * sparse_truth(20, 10, rng)).array() + 10.0 + 5.0 * gaussian(2000, 1, rng).col(0).array();
        for (Index j = 0; j < s.X.cols(); ++j) {
            const double scale = std::pow(10.0, rng.uniform(-1.0, 1.0));
            s.X.col(j) = (s.X.col(j).array() * scale + rng.uniform(-50.0, 50.0)).matrix();
        }
        return with_float(std::move(s));
    }();
    return c;
}

// As generate_data.py's L5 at a smoke size: coefficients N(0, 1)·3/√d, intercept 0.5, labels
// drawn from the model's probabilities.
const LogisticCase& l5() {
    static const LogisticCase c = [] {
        LogisticCase s;
        if (!smoke()) {
            s.X = load<double>("l5_X");
            s.y = load_vector<double>("l5_y").cast<int>();
            return with_float(std::move(s));
        }
        random_engine rng(7);
        s.X = gaussian(2000, 20, rng);
        const Vector<double> w = gaussian(20, 1, rng).col(0) * (3.0 / std::sqrt(20.0));
        const Vector<double> margin = (s.X * w).array() + 0.5;
        s.y.resize(margin.size());
        for (Index i = 0; i < margin.size(); ++i) s.y(i) = rng.uniform() < 1.0 / (1.0 + std::exp(-margin(i))) ? 1 : 0;
        return with_float(std::move(s));
    }();
    return c;
}

template <class T>
void report_regression(benchmark::State& state, const RegressionCase& c, const Vector<T>& coef, T intercept,
                       int threads, double seconds) {
    using benchmark::Counter;
    const Fit fit = regression_fit(c.X, c.y, coef.template cast<double>(), static_cast<double>(intercept));
    const double d = static_cast<double>(c.X.cols());
    const double gram_flops = static_cast<double>(c.X.rows()) * d * d;
    const double peak = std::is_same_v<T, float> ? peak_flops_float : peak_flops_double;
    state.counters["r2"] = fit.r2;
    state.counters["mse"] = fit.mse;
    state.counters["threads"] = threads;
    state.counters["FLOP/s"] = Counter(gram_flops, Counter::kIsIterationInvariantRate);
    state.counters["peak_frac"] = gram_flops * fits(state) / seconds / peak;
}

template <class T>
void report_lasso(benchmark::State& state, const LassoCase& c, const Vector<T>& coef, double alpha, int n_iter,
                  int threads, double l1_ratio) {
    const LassoQuality q = lasso_quality(c.X, c.y, coef.template cast<double>(), alpha, l1_ratio);
    state.counters["objective"] = q.objective;
    state.counters["dual_gap"] = q.duality_gap;
    state.counters["nonzeros"] = static_cast<double>(q.nonzeros);
    state.counters["n_iter"] = n_iter;
    state.counters["threads"] = threads;
}

template <class T>
void report_logistic(benchmark::State& state, const LogisticCase& c, const Vector<T>& coef, T intercept, int n_iter,
                     int threads) {
    const LogisticQuality q =
        logistic_quality(c.X, c.y, coef.template cast<double>(), static_cast<double>(intercept), c.C);
    state.counters["objective"] = q.objective;
    state.counters["accuracy"] = q.accuracy;
    state.counters["n_iter"] = n_iter;
    state.counters["threads"] = threads;
}

template void report_regression<float>(benchmark::State&, const RegressionCase&, const Vector<float>&, float, int,
                                       double);
template void report_regression<double>(benchmark::State&, const RegressionCase&, const Vector<double>&, double, int,
                                        double);
template void report_lasso<float>(benchmark::State&, const LassoCase&, const Vector<float>&, double, int, int, double);
template void report_lasso<double>(benchmark::State&, const LassoCase&, const Vector<double>&, double, int, int,
                                   double);
template void report_logistic<float>(benchmark::State&, const LogisticCase&, const Vector<float>&, float, int, int);
template void report_logistic<double>(benchmark::State&, const LogisticCase&, const Vector<double>&, double, int, int);

}  // namespace kestrel::bench
