// K1 (compute-bound) and K2 (bandwidth-bound) k-means: kestrel's Lloyd and Elkan from the case's
// initial centres, a fixed number of iterations (tol = 0), all cores. The references live in
// kmeans_<reference>.cpp beside this file.
#include <kestrel/cluster/kmeans.hpp>

#include "../support/harness.hpp"
#include "cases.hpp"

namespace kestrel::bench {
namespace {

using kestrel::cluster::Algorithm;
using kestrel::cluster::KMeans;

void kestrel_kmeans(benchmark::State& state, const KMeansCase& (*get_case)(), Algorithm algorithm, Bound bound) {
    const KMeansCase& c = get_case();
    KMeans<float> km({.n_clusters = static_cast<int>(c.initial_centers.rows()),
                      .n_init = 1,
                      .max_iter = c.n_iter,
                      .tol = 0,
                      .algorithm = algorithm,
                      .n_jobs = 0});
    const Stopwatch clock;
    for (auto _ : state) km.fit_from(c.X, c.initial_centers);
    const double seconds = clock.seconds();
    report_kmeans(state, c, km.cluster_centers(), km.n_iter(), openmp_threads(), bound, seconds);
}

const bool registered = [] {
    add("BM_K1/kestrel_lloyd", [](benchmark::State& s) { kestrel_kmeans(s, k1, Algorithm::lloyd, Bound::compute); });
    add("BM_K1/kestrel_elkan", [](benchmark::State& s) { kestrel_kmeans(s, k1, Algorithm::elkan, Bound::compute); });
    add("BM_K2/kestrel_lloyd", [](benchmark::State& s) { kestrel_kmeans(s, k2, Algorithm::lloyd, Bound::bandwidth); });
    add("BM_K2/kestrel_elkan", [](benchmark::State& s) { kestrel_kmeans(s, k2, Algorithm::elkan, Bound::bandwidth); });
    return true;
}();

}  // namespace
}  // namespace kestrel::bench
