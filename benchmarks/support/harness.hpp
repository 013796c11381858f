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
#include <cstddef>
#include <exception>
#include <string>
#include <utility>

#include <benchmark/benchmark.h>

#include <kestrel/core/types.hpp>

namespace kestrel::bench {

/// The nominal 2-core ceilings of kestrel's design (benchmarks/README.md), measured on another
/// host; those of the machine at hand are BM_ceiling/*'s.
inline constexpr double peak_flops_float = 447e9;
inline constexpr double peak_flops_double = 225e9;
inline constexpr double read_bandwidth = 77e9;

/// Registers `fn(state)` under `name`, in milliseconds. An exception (missing data, a failed fit)
/// marks that benchmark as failed instead of ending the binary.
template <class F>
benchmark::internal::Benchmark* add_guarded(const std::string& name, F fn) {
    return benchmark::RegisterBenchmark(name.c_str(),
                                        [fn](benchmark::State& state) {
                                            try {
                                                fn(state);
                                            } catch (const std::exception& e) {
                                                state.SkipWithError(e.what());
                                            }
                                        })
        ->Unit(benchmark::kMillisecond);
}

/// As add_guarded(), timed in wall-clock time.
template <class F>
benchmark::internal::Benchmark* add(const std::string& name, F fn) {
    return add_guarded(name, std::move(fn))->UseRealTime();
}

/// As add(), for a benchmark that reports its own time of each iteration
/// (state.SetIterationTime): a reference whose fit is timed apart from its untimed set-up, or
/// inside another process (ranger). Google Benchmark allows manual time or real time, not both.
template <class F>
benchmark::internal::Benchmark* add_manual_time(const std::string& name, F fn) {
    return add_guarded(name, std::move(fn))->UseManualTime();
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

/// Fits timed by a benchmark so far, for its rates.
inline double fits(const benchmark::State& state) { return static_cast<double>(state.iterations()); }

/// Registers `BM_ceiling/read_<case_id>`: one parallel read of an array of `floats()` floats, the
/// size of a bandwidth-bound case's X, on all OpenMP threads (ceilings.cpp); `floats` is called
/// when the benchmark runs. A module's cases.cpp defines one per such case at namespace scope
/// with `[[gnu::init_priority(1001)]]`, so that it runs after the FMA ceilings and before the
/// binary's other benchmarks.
struct ReadCeiling {
    ReadCeiling(const std::string& case_id, Index (*floats)());
};

/// Seconds of one parallel read of `bytes` bytes at `data` (the bytes past the last whole block of
/// eight registers, at most 511, are not read), as BM_ceiling/read_<case> reads its own array, on
/// all OpenMP threads (ceilings.cpp): the bound of a fit that reads this very array, measured
/// beside it.
double seconds_of_one_read(const void* data, std::size_t bytes);

/// Threads an implementation may use when it follows OpenMP's setting.
int openmp_threads();

}  // namespace kestrel::bench
