// K1/K2 reference: dlib's find_clusters_using_kmeans (serial Lloyd over dlib column vectors).
// It stops when no assignment changes and does not report its iteration count, so it is driven
// one iteration per call. Serial, it needs seconds per K1 iteration, so it runs only the first
// iterations of each case (`n_iter` says how many) to keep the whole run within minutes: its time
// per iteration is what compares.
#include <algorithm>
#include <map>
#include <vector>

#include <dlib/matrix.h>
#include <dlib/svm/kkmeans.h>

#include "../support/harness.hpp"
#include "cases.hpp"

namespace kestrel::bench {
namespace {

using sample_type = dlib::matrix<float, 0, 1>;

std::vector<sample_type> to_dlib(const Matrix<float>& rows) {
    std::vector<sample_type> samples(static_cast<std::size_t>(rows.rows()));
    for (Index i = 0; i < rows.rows(); ++i) {
        auto& s = samples[static_cast<std::size_t>(i)];
        s.set_size(rows.cols());
        std::copy_n(rows.row(i).data(), rows.cols(), &s(0));
    }
    return samples;
}

void dlib_kmeans(benchmark::State& state, const KMeansCase& (*get_case)(), Bound bound, int max_iterations) {
    const KMeansCase& c = get_case();
    // Converting millions of rows takes seconds: once per case, not once per repetition.
    static std::map<const KMeansCase*, std::vector<sample_type>> converted;
    if (!converted.contains(&c)) converted.emplace(&c, to_dlib(c.X));
    const std::vector<sample_type>& samples = converted.at(&c);
    const std::vector<sample_type> initial = to_dlib(c.initial_centers);
    const int n_iter = std::min(c.n_iter, max_iterations);
    std::vector<sample_type> centers;
    const Stopwatch clock;
    for (auto _ : state) {
        centers = initial;
        for (int iter = 0; iter < n_iter; ++iter) dlib::find_clusters_using_kmeans(samples, centers, 1);
    }
    const double seconds = clock.seconds();
    Matrix<float> result(c.initial_centers.rows(), c.X.cols());
    for (Index j = 0; j < result.rows(); ++j) {
        std::copy_n(&centers[static_cast<std::size_t>(j)](0), result.cols(), result.row(j).data());
    }
    report_kmeans(state, c, result, n_iter, 1, bound, seconds);
}

const bool registered = [] {
    add("BM_K1/dlib_lloyd", [](benchmark::State& s) { dlib_kmeans(s, k1, Bound::compute, 1); });
    add("BM_K2/dlib_lloyd", [](benchmark::State& s) { dlib_kmeans(s, k2, Bound::bandwidth, 3); });
    return true;
}();

}  // namespace
}  // namespace kestrel::bench
