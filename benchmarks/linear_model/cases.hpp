#pragma once
/// \file
/// The linear_model module's benchmark cases (benchmarks/README.md), as data every implementation
/// in bench_linear_model reads, and the counters their benchmarks report. Each case is loaded on
/// first use, outside any timed region: from generate_data.py's .npy files, or made in-process
/// for a smoke run (support/data.hpp).

#include <benchmark/benchmark.h>

#include <kestrel/core/types.hpp>

namespace kestrel::bench {

/// L1: dense least squares, OLS and ridge.
struct RegressionCase {
    Matrix<double> X;
    Vector<double> y;
    double ridge_alpha = 1.0;
};

/// L2: lasso at one alpha and along a path of alphas (largest first), warm-started.
struct LassoCase {
    Matrix<double> X;
    Vector<double> y;
    double alpha = 0;
    Vector<double> path;
    double tol = 1e-4;
    int max_iter = 1000;
};

/// L3: binary logistic regression, labels 0 and 1.
struct LogisticCase {
    Matrix<double> X;
    Labels y;
    double C = 1.0;
    double tol = 1e-4;
    int max_iter = 100;
};

const RegressionCase& l1();
const LassoCase& l2();
const LogisticCase& l3();

/// Quality and Gram throughput (n·d² per fit) of a least-squares fit.
void report_regression(benchmark::State& state, const RegressionCase& c, const Vector<double>& coef, double intercept,
                       int threads, double seconds);

/// Objective, duality gap and non-zeros of a lasso fit at `alpha`, and its iterations (summed
/// over a path).
void report_lasso(benchmark::State& state, const LassoCase& c, const Vector<double>& coef, double alpha, int n_iter,
                  int threads);

/// Objective, accuracy and iterations of a logistic fit.
void report_logistic(benchmark::State& state, const LogisticCase& c, const Vector<double>& coef, double intercept,
                     int n_iter, int threads);

}  // namespace kestrel::bench
