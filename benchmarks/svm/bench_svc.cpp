// S1, S1-large, S3 (RBF C-SVC fits) and S4 (decision values of S1's model on 100,000 rows):
// kestrel's SVC in double and float, all cores; and the throughput of its kernel rows alone
// (BM_S1/kestrel_kernel_rows_<T>: S1's kernel rows computed through the solver's kernel cache,
// every request a miss), against the FMA ceiling. References: svc_libsvm.cpp beside this file,
// and scikit-learn in benchmarks/sklearn_bench.py.
// GCC 12 reports a false -Wrestrict inside std::string's operator+ once save_npy is inlined here
// (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <type_traits>

#include <kestrel/io/npy.hpp>
#include <kestrel/svm/detail/kernel_cache.hpp>
#include <kestrel/svm/svc.hpp>

#include "../support/data.hpp"
#include "../support/harness.hpp"
#include "cases.hpp"

namespace kestrel::bench {
namespace {

using svm::Gamma;
using svm::SVC;

template <class T>
constexpr double peak = sizeof(T) == sizeof(float) ? peak_flops_float : peak_flops_double;

template <class T>
SVC<T> make_svc(const SVCCase& c) {
    return SVC<T>({.C = c.C, .gamma = Gamma::scale, .tol = c.tol, .cache_size = c.cache_mb});
}

template <class T>
void kestrel_svc(benchmark::State& state, const SVCCase& (*get_case)()) {
    const SVCCase& c = get_case();
    const Matrix<T> X = c.X.template cast<T>();
    SVC<T> svc = make_svc<T>(c);
    const Stopwatch clock;
    for (auto _ : state) svc.fit(X, c.y);
    const double seconds = clock.seconds();
    report_svc(state, c, ovo_model(svc), svc.n_iter().template cast<double>().sum(), openmp_threads(), seconds,
               peak<T>);
}

// S1's kernel rows, as the solver computes them: R distinct rows through a fresh cache that holds
// them all, so that every request computes its row (R · n · d multiply-adds).
template <class T>
void kestrel_kernel_rows(benchmark::State& state) {
    using benchmark::Counter;
    const SVCCase& c = s1();
    const Matrix<T> X = c.X.template cast<T>();
    const Index n = X.rows(), rows = std::min<Index>(smoke() ? 16 : 256, n);
    const svm::detail::kernel_function kernel{svm::Kernel::rbf, 3, c.gamma, 0.0};
    const double cache_mb = static_cast<double>(rows * n) * sizeof(float) / (1024.0 * 1024.0) + 1.0;
    const int threads = openmp_threads();
    double checksum = 0;
    const Stopwatch clock;
    for (auto _ : state) {
        svm::detail::kernel_cache<T> cache(X, kernel, cache_mb, threads);
        for (Index i = 0; i < rows; ++i) checksum += cache.row(i)[(i * 7919) % n];
    }
    const double seconds = clock.seconds();
    benchmark::DoNotOptimize(checksum);
    const double flops = 2.0 * static_cast<double>(rows * n * X.cols());
    state.counters["rows"] = static_cast<double>(rows);
    state.counters["threads"] = threads;
    state.counters["FLOP/s"] = Counter(flops, Counter::kIsIterationInvariantRate);
    state.counters["peak_frac"] = flops * fits(state) / seconds / peak<T>;
}

// S4 with S1's double model (s1_kestrel_svc()) or a float model fitted once on S1's data cast.
template <class T>
const SVC<T>& s1_model() {
    if constexpr (std::is_same_v<T, double>) {
        return s1_kestrel_svc();
    } else {
        static const SVC<T> svc = [] {
            SVC<T> s = make_svc<T>(s1());
            s.fit(s1().X.template cast<T>(), s1().y);
            return s;
        }();
        return svc;
    }
}

template <class T>
void kestrel_predict(benchmark::State& state) {
    const SVC<T>& svc = s1_model<T>();
    const Matrix<T> X = s4_X().template cast<T>();
    Matrix<T> values;
    const Stopwatch clock;
    for (auto _ : state) values = svc.decision_function(X);
    const double seconds = clock.seconds();
    report_predict(state, values.col(0).template cast<double>(), svc.support_vectors().rows(), openmp_threads(),
                   seconds, peak<T>);
    // kestrel's values for scikit-learn's side of S4 (sklearn_bench.py reads them from the results
    // folder of the run, which benchmarks/run.sh names in KESTREL_BENCH_OUT).
    const char* out = std::getenv("KESTREL_BENCH_OUT");
    if (std::is_same_v<T, double> && out != nullptr && *out != '\0' && !smoke()) {
        io::save_npy((std::filesystem::path(out) / "S4_kestrel_decision.npy").string(), s4_kestrel_decision());
    }
}

const bool registered = [] {
    add("BM_S1/kestrel_double", [](benchmark::State& s) { kestrel_svc<double>(s, s1); });
    add("BM_S1/kestrel_float", [](benchmark::State& s) { kestrel_svc<float>(s, s1); });
    add("BM_S1/kestrel_kernel_rows_double", kestrel_kernel_rows<double>);
    add("BM_S1/kestrel_kernel_rows_float", kestrel_kernel_rows<float>);
    if (large_cases()) {
        // Minutes a fit: one repetition.
        add("BM_S1L/kestrel_double", [](benchmark::State& s) { kestrel_svc<double>(s, s1_large); })->Repetitions(1);
    }
    add("BM_S3/kestrel_double", [](benchmark::State& s) { kestrel_svc<double>(s, s3); });
    add("BM_S4/kestrel_double", kestrel_predict<double>);
    add("BM_S4/kestrel_float", kestrel_predict<float>);
    return true;
}();

}  // namespace
}  // namespace kestrel::bench
