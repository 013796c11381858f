#pragma once
/// \file
/// The cluster module's benchmark cases (benchmarks/README.md), as data every implementation in
/// bench_cluster reads, and the counters their benchmarks report. Each case is loaded on first
/// use, outside any timed region: from generate_data.py's .npy files, or made in-process for a
/// smoke run (support/data.hpp).

#include <benchmark/benchmark.h>

#include <kestrel/core/types.hpp>

namespace kestrel::bench {

/// K1 and K2: fixed-iteration Lloyd/Elkan from the same initial centres.
struct KMeansCase {
    Matrix<float> X;
    Matrix<float> initial_centers;
    int n_iter = 30;  ///< iterations every implementation runs (convergence checks off)
};

const KMeansCase& k1();
const KMeansCase& k2();

/// What every k-means benchmark reports: iterations per fit, time per iteration, inertia, and
/// either GFLOP/s of the distance computation (2·n·k·d per iteration, for the compute-bound K1)
/// or GB/s of one read of X per iteration (the bandwidth-bound K2), each against its nominal ceiling.
enum class Bound { compute, bandwidth };
void report_kmeans(benchmark::State& state, const KMeansCase& c, const Matrix<float>& centers, int n_iter, int threads,
                   Bound bound, double seconds);

}  // namespace kestrel::bench
