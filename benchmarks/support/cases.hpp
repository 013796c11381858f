#pragma once
/// \file
/// The benchmark cases of benchmarks/README.md, as data every implementation in a binary reads.
///
/// A full run reads the .npy files that benchmarks/generate_data.py wrote once (so the C++ and
/// the scikit-learn sides see identical inputs); a smoke run (KESTREL_BENCH_SMOKE=1) makes tiny
/// cases in-process, so that CI proves every binary runs without Python or data files.
/// Each case is loaded on first use, outside any timed region.

#include <string>

#include <kestrel/core/types.hpp>

namespace kestrel::bench {

/// True when KESTREL_BENCH_SMOKE is set to anything but "0" or "".
bool smoke();

/// Where the .npy files live: $KESTREL_BENCH_DATA, else benchmarks/data in the source tree.
std::string data_dir();

/// K1 and K2: fixed-iteration Lloyd/Elkan from the same initial centres.
struct KMeansCase {
    Matrix<float> X;
    Matrix<float> initial_centers;
    int n_iter = 30;  ///< iterations every implementation runs (convergence checks off)
};

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

const KMeansCase& k1();
const KMeansCase& k2();
const RegressionCase& l1();
const LassoCase& l2();
const LogisticCase& l3();

}  // namespace kestrel::bench
