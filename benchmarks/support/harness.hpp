#pragma once
/// \file
/// Registration and counters shared by every benchmark binary.
///
/// Names are `BM_<case>/<implementation>_<variant>` (`BM_K1/kestrel_lloyd`, `BM_K1/arma_lloyd`),
/// so that benchmarks/report.py can put each kestrel time beside the references' of the same
/// case and variant. Every benchmark measures wall time; K-cases also report the time of one
/// Lloyd/Elkan iteration (`s_per_iter`), and compute-bound kernels their throughput and its
/// fraction of the nominal ceilings below (`peak_frac`). report.py relates the throughput to the
/// ceilings that BM_ceiling/* (ceilings.cpp) measure in the same run instead.

#include <chrono>
#include <exception>
#include <string>

#include <benchmark/benchmark.h>

#include "cases.hpp"

namespace kestrel::bench {

/// The nominal 2-core ceilings of kestrel's design (benchmarks/README.md), measured on another
/// host; those of the machine at hand are BM_ceiling/*'s.
inline constexpr double peak_flops_float = 447e9;
inline constexpr double peak_flops_double = 225e9;
inline constexpr double read_bandwidth = 77e9;

/// Registers `fn(state)` under `name`, timed in wall-clock milliseconds. An exception (missing
/// data, a failed fit) marks that benchmark as failed instead of ending the binary.
template <class F>
benchmark::internal::Benchmark* add(const std::string& name, F fn) {
    return benchmark::RegisterBenchmark(name.c_str(),
                                        [fn](benchmark::State& state) {
                                            try {
                                                fn(state);
                                            } catch (const std::exception& e) {
                                                state.SkipWithError(e.what());
                                            }
                                        })
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
}

/// Wall time since construction, to relate a throughput to its ceiling inside the binary.
class Stopwatch {
public:
    [[nodiscard]] double seconds() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }

private:
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

/// What every k-means benchmark reports: iterations per fit, time per iteration, inertia, and
/// either GFLOP/s of the distance computation (2·n·k·d per iteration, for the compute-bound K1)
/// or GB/s of one read of X per iteration (the bandwidth-bound K2), each against its nominal ceiling.
enum class Bound { compute, bandwidth };
void report_kmeans(benchmark::State& state, const KMeansCase& c, const Matrix<float>& centers, int n_iter,
                   int threads, Bound bound, double seconds);

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

/// Threads an implementation may use when it follows OpenMP's setting.
int openmp_threads();

}  // namespace kestrel::bench
