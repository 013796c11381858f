// This machine's ceilings, measured by every benchmark binary in the same run as kestrel:
// BM_ceiling/fma_float and BM_ceiling/fma_double (FMA peak, `FLOP/s`), and in the binary of a
// bandwidth-bound case BM_ceiling/read_<case> (one read of an array the size of the case's X,
// `bytes/s`; its time is that of one read of X), which that module's cases.cpp registers.
// Each runs on all OpenMP threads, as kestrel's benchmarks do; benchmarks/report.py relates
// kestrel's throughput to them.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
#include <immintrin.h>
#endif

#include "data.hpp"
#include "harness.hpp"

namespace kestrel::bench {
namespace {

using benchmark::Counter;

// One register of T on the widest vector unit the build targets (the bench preset's
// -march=native), and the operations the ceilings use; plain T where there is none.
template <class T>
struct Simd {
    using reg = T;
    static reg broadcast(T x) { return x; }
    static reg fma(reg a, reg b, reg c) { return a * b + c; }
    static reg add(reg a, reg b) { return a + b; }
};

#if defined(__AVX512F__)
template <>
struct Simd<float> {
    using reg = __m512;
    static reg broadcast(float x) { return _mm512_set1_ps(x); }
    static reg fma(reg a, reg b, reg c) { return _mm512_fmadd_ps(a, b, c); }
    static reg add(reg a, reg b) { return _mm512_add_ps(a, b); }
};
template <>
struct Simd<double> {
    using reg = __m512d;
    static reg broadcast(double x) { return _mm512_set1_pd(x); }
    static reg fma(reg a, reg b, reg c) { return _mm512_fmadd_pd(a, b, c); }
    static reg add(reg a, reg b) { return _mm512_add_pd(a, b); }
};
#elif defined(__AVX2__) && defined(__FMA__)
template <>
struct Simd<float> {
    using reg = __m256;
    static reg broadcast(float x) { return _mm256_set1_ps(x); }
    static reg fma(reg a, reg b, reg c) { return _mm256_fmadd_ps(a, b, c); }
    static reg add(reg a, reg b) { return _mm256_add_ps(a, b); }
};
template <>
struct Simd<double> {
    using reg = __m256d;
    static reg broadcast(double x) { return _mm256_set1_pd(x); }
    static reg fma(reg a, reg b, reg c) { return _mm256_fmadd_pd(a, b, c); }
    static reg add(reg a, reg b) { return _mm256_add_pd(a, b); }
};
#endif

template <class T>
constexpr std::int64_t lanes = sizeof(typename Simd<T>::reg) / sizeof(T);

template <class T, int N>
T sum_of(const typename Simd<T>::reg (&regs)[N]) {
    typename Simd<T>::reg total = regs[0];
    for (int i = 1; i < N; ++i) total = Simd<T>::add(total, regs[i]);
    T values[lanes<T>];
    std::memcpy(values, &total, sizeof total);
    T sum = 0;
    for (const T v : values) sum += v;
    return sum;
}

// Independent chains: more than FMA units × FMA latency (2 × 4 cycles on AVX-512 cores), so
// that every unit issues an FMA each cycle; 12 of them and the two constants fit in AVX2's 16
// registers. The work comes in chunks of some 40 µs, handed out dynamically as kestrel's
// k-means hands out its blocks, so that a core shared with another process slows the figure by
// the share it lost rather than holding the other thread at the barrier.
constexpr int fma_chains = 12;
constexpr std::int64_t fma_rounds_per_chunk = std::int64_t{1} << 14;
constexpr int fma_chunks_per_thread = 64;

template <class T>
void fma_peak(benchmark::State& state) {
    using S = Simd<T>;
    const int threads = openmp_threads();
    const int chunks = fma_chunks_per_thread * threads;
    for (auto _ : state) {
#if defined(_OPENMP)
#pragma omp parallel for schedule(dynamic) num_threads(threads)
#endif
        for (int chunk = 0; chunk < chunks; ++chunk) {
            // x ← 0.75·x + 0.25 tends to 1: no overflow and no denormals, whatever the rounds.
            const typename S::reg a = S::broadcast(T(0.75));
            const typename S::reg b = S::broadcast(T(0.25));
            typename S::reg acc[fma_chains];
            for (int c = 0; c < fma_chains; ++c) acc[c] = S::broadcast(T(c));
            for (std::int64_t r = 0; r < fma_rounds_per_chunk; ++r) {
#pragma GCC unroll 12
                for (int c = 0; c < fma_chains; ++c) acc[c] = S::fma(acc[c], a, b);
            }
            T sum = sum_of<T>(acc);
            benchmark::DoNotOptimize(sum);
        }
    }
    const double flops = 2.0 * fma_chains * static_cast<double>(lanes<T> * fma_rounds_per_chunk) * chunks;
    state.counters["FLOP/s"] = Counter(flops, Counter::kIsIterationInvariantRate);
    state.counters["threads"] = threads;
}

// Accumulators per thread in the read: enough independent adds that the loads, not their
// latency, set the pace.
constexpr int read_accumulators = 8;

struct Free {
    void operator()(float* p) const { std::free(p); }
};

// 32-bit integer lanes in one register of the widest vector unit, for the read: integer adds
// cost the same whatever the bits they add (a double array read as floats holds denormals and NaN,
// which float adds may take slow paths on).
struct Words {
#if defined(__AVX512F__)
    using reg = __m512i;
    static reg zero() { return _mm512_setzero_si512(); }
    static reg add_load(reg a, const void* p) { return _mm512_add_epi32(a, _mm512_loadu_si512(p)); }
    static std::uint32_t sum(reg a) { return static_cast<std::uint32_t>(_mm512_reduce_add_epi32(a)); }
#elif defined(__AVX2__)
    using reg = __m256i;
    static reg zero() { return _mm256_setzero_si256(); }
    static reg add_load(reg a, const void* p) {
        return _mm256_add_epi32(a, _mm256_loadu_si256(static_cast<const __m256i*>(p)));
    }
    static std::uint32_t sum(reg a) {
        std::uint32_t lanes[8];
        std::memcpy(lanes, &a, sizeof a);
        std::uint32_t total = 0;
        for (const std::uint32_t v : lanes) total += v;
        return total;
    }
#else
    using reg = std::uint32_t;
    static reg zero() { return 0; }
    static reg add_load(reg a, const void* p) {
        std::uint32_t v;
        std::memcpy(&v, p, sizeof v);
        return a + v;
    }
    static std::uint32_t sum(reg a) { return a; }
#endif
};

// Bytes a block of the read covers: one register of words a chain.
constexpr std::int64_t read_block_bytes = read_accumulators * static_cast<std::int64_t>(sizeof(Words::reg));

// Reads `blocks` blocks of bytes at x once on `threads` OpenMP threads, each its share of a static
// schedule; returns the sum of their words, so that the reads are not optimised away.
std::uint32_t read_once(const unsigned char* x, std::int64_t blocks, int threads) {
    std::uint32_t total = 0;
#if defined(_OPENMP)
#pragma omp parallel num_threads(threads) reduction(+ : total)
#endif
    {
        Words::reg acc[read_accumulators];
        for (auto& r : acc) r = Words::zero();
#if defined(_OPENMP)
#pragma omp for schedule(static)
#endif
        for (std::int64_t i = 0; i < blocks; ++i) {
            const unsigned char* p = x + i * read_block_bytes;
#pragma GCC unroll 8
            for (int c = 0; c < read_accumulators; ++c) {
                acc[c] = Words::add_load(acc[c], p + c * static_cast<std::int64_t>(sizeof(Words::reg)));
            }
        }
        for (const auto& r : acc) total += Words::sum(r);
    }
    return total;
}

void read_floats(benchmark::State& state, Index floats) {
    const std::int64_t blocks =
        (floats * static_cast<std::int64_t>(sizeof(float)) + read_block_bytes - 1) / read_block_bytes;
    const std::size_t bytes = static_cast<std::size_t>(blocks * read_block_bytes);
    // aligned_alloc leaves the pages untouched, so that the parallel fill places each page with
    // the thread whose share of the static schedule reads it.
    const std::unique_ptr<float, Free> data(static_cast<float*>(std::aligned_alloc(64, bytes)));
    if (!data) throw std::bad_alloc();
    float* const x = data.get();
    const std::int64_t per_block = read_block_bytes / static_cast<std::int64_t>(sizeof(float));
    const int threads = openmp_threads();
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) num_threads(threads)
#endif
    for (std::int64_t i = 0; i < blocks; ++i) {
        for (std::int64_t j = 0; j < per_block; ++j) x[i * per_block + j] = static_cast<float>(j);
    }
    for (auto _ : state) {
        std::uint32_t total = read_once(reinterpret_cast<const unsigned char*>(x), blocks, threads);
        benchmark::DoNotOptimize(total);
    }
    state.counters["bytes/s"] = Counter(static_cast<double>(bytes), Counter::kIsIterationInvariantRate);
    state.counters["threads"] = threads;
}

// Each repetition at least half a second; a smoke run only proves they run.
void set_ceiling_time(benchmark::internal::Benchmark* b) {
    if (!smoke()) b->MinTime(0.5);
}

// Registered before the read ceilings and the binary's other benchmarks (default priority), so
// that they run first.
struct Ceilings {
    Ceilings() {
        set_ceiling_time(add("BM_ceiling/fma_float", fma_peak<float>));
        set_ceiling_time(add("BM_ceiling/fma_double", fma_peak<double>));
    }
};
[[gnu::init_priority(1000)]] const Ceilings ceilings;

}  // namespace

double seconds_of_one_read(const void* data, std::size_t bytes) {
    const auto blocks = static_cast<std::int64_t>(bytes) / read_block_bytes;
    const auto start = std::chrono::steady_clock::now();
    std::uint32_t total = read_once(static_cast<const unsigned char*>(data), blocks, openmp_threads());
    benchmark::DoNotOptimize(total);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

ReadCeiling::ReadCeiling(const std::string& case_id, Index (*floats)()) {
    set_ceiling_time(
        add("BM_ceiling/read_" + case_id, [floats](benchmark::State& state) { read_floats(state, floats()); }));
}

}  // namespace kestrel::bench
