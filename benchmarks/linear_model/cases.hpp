#pragma once
/// \file
/// The linear_model module's benchmark cases (benchmarks/README.md), as data every implementation
/// in bench_linear_model reads, and the counters their benchmarks report. Each case is loaded on
/// first use, outside any timed region: from generate_data.py's .npy files, or made in-process
/// for a smoke run (support/data.hpp). Every case also holds its X (and real-valued y) cast to
/// float once, for the float variants; the quality figures are always computed on the double data.

#include <type_traits>

#include <benchmark/benchmark.h>

#include <kestrel/core/types.hpp>

namespace kestrel::bench {

/// L1, L4: dense least squares, OLS and ridge.
struct RegressionCase {
    Matrix<double> X;
    Vector<double> y;
    double ridge_alpha = 1.0;
    Matrix<float> X_float{};
    Vector<float> y_float{};
};

/// L2: lasso at one alpha and along a path of alphas (largest first), warm-started; and the
/// elastic net with the same alphas at l1_ratio enet_l1_ratio.
struct LassoCase {
    Matrix<double> X;
    Vector<double> y;
    double alpha = 0;
    Vector<double> path;
    double tol = 1e-4;
    int max_iter = 1000;
    double enet_l1_ratio = 0.5;
    Matrix<float> X_float{};
    Vector<float> y_float{};
};

/// L3, L5: binary logistic regression, labels 0 and 1.
struct LogisticCase {
    Matrix<double> X;
    Labels y;
    double C = 1.0;
    double tol = 1e-4;
    int max_iter = 100;
    Matrix<float> X_float{};
};

/// L1: iid standard normal columns.
const RegressionCase& l1();
const LassoCase& l2();
/// L3: make_classification.
const LogisticCase& l3();
/// L4: make_regression with unequal column scales and far-from-origin means.
const RegressionCase& l4();
/// L5: iid standard normal X, labels drawn from a known logistic model.
const LogisticCase& l5();

/// A case's X in precision T: its double data or the float copy.
template <class T, class Case>
const Matrix<T>& features(const Case& c) {
    if constexpr (std::is_same_v<T, float>) {
        return c.X_float;
    } else {
        return c.X;
    }
}

/// A regression case's y in precision T.
template <class T, class Case>
const Vector<T>& targets(const Case& c) {
    if constexpr (std::is_same_v<T, float>) {
        return c.y_float;
    } else {
        return c.y;
    }
}

/// Quality (on the double data) and Gram throughput (n·d² per fit) of a least-squares fit in
/// precision T; `peak_frac` against the nominal FMA peak of T.
template <class T>
void report_regression(benchmark::State& state, const RegressionCase& c, const Vector<T>& coef, T intercept,
                       int threads, double seconds);

/// Objective, duality gap and non-zeros of a lasso fit at `alpha` (an elastic net's at l1_ratio < 1)
/// on the double data, and its iterations (summed over a path).
template <class T>
void report_lasso(benchmark::State& state, const LassoCase& c, const Vector<T>& coef, double alpha, int n_iter,
                  int threads, double l1_ratio = 1.0);

/// Objective, accuracy (on the double data) and iterations of a logistic fit.
template <class T>
void report_logistic(benchmark::State& state, const LogisticCase& c, const Vector<T>& coef, T intercept, int n_iter,
                     int threads);

}  // namespace kestrel::bench
