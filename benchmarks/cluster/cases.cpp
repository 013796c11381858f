#include "cases.hpp"

#include <cstddef>
#include <cstdint>

#include <kestrel/core/random.hpp>

#include "../support/data.hpp"
#include "../support/harness.hpp"
#include "../support/quality.hpp"

namespace kestrel::bench {

namespace {

// Smoke data: the shapes of the full cases at a size that runs in milliseconds.
KMeansCase smoke_blobs(Index n, Index d, Index k, std::uint64_t seed) {
    random_engine rng(seed);
    Matrix<double> centres(k, d);
    for (Index i = 0; i < centres.size(); ++i) centres.data()[i] = rng.uniform(-10.0, 10.0);
    Matrix<double> X = 4.0 * gaussian(n, d, rng);
    for (Index i = 0; i < n; ++i) X.row(i) += centres.row(rng.index_below(k));
    KMeansCase c;
    c.X = X.cast<float>();
    c.initial_centers.resize(k, d);
    const auto rows = rng.sample_without_replacement(n, k);
    for (Index j = 0; j < k; ++j) c.initial_centers.row(j) = c.X.row(rows[static_cast<std::size_t>(j)]);
    c.n_iter = 5;
    return c;
}

// K2 is the bandwidth-bound case: its binary measures the read of an array the size of its X,
// after the FMA ceilings and before every other benchmark.
[[gnu::init_priority(1001)]] const ReadCeiling read_k2("K2", [] { return k2().X.size(); });

}  // namespace

const KMeansCase& k1() {
    static const KMeansCase c = [] {
        if (smoke()) return smoke_blobs(2000, 50, 20, 1);
        return KMeansCase{load<float>("k1_X"), load<float>("k1_init"), 30};
    }();
    return c;
}

const KMeansCase& k2() {
    static const KMeansCase c = [] {
        if (smoke()) return smoke_blobs(20000, 16, 8, 2);
        return KMeansCase{load<float>("k2_X"), load<float>("k2_init"), 30};
    }();
    return c;
}

void report_kmeans(benchmark::State& state, const KMeansCase& c, const Matrix<float>& centers, int n_iter, int threads,
                   Bound bound, double seconds) {
    using benchmark::Counter;
    const double n = static_cast<double>(c.X.rows());
    const double d = static_cast<double>(c.X.cols());
    const double k = static_cast<double>(c.initial_centers.rows());
    state.counters["n_iter"] = n_iter;
    state.counters["s_per_iter"] = Counter(n_iter, Counter::kIsIterationInvariantRate | Counter::kInvert);
    state.counters["inertia"] = inertia(c.X, centers);
    state.counters["threads"] = threads;
    if (bound == Bound::compute) {
        const double flops = 2.0 * n * k * d * n_iter;
        state.counters["FLOP/s"] = Counter(flops, Counter::kIsIterationInvariantRate);
        state.counters["peak_frac"] = flops * fits(state) / seconds / peak_flops_float;
    } else {
        const double bytes = n * d * sizeof(float) * n_iter;
        state.counters["bytes/s"] = Counter(bytes, Counter::kIsIterationInvariantRate);
        state.counters["peak_frac"] = bytes * fits(state) / seconds / read_bandwidth;
    }
}

}  // namespace kestrel::bench
