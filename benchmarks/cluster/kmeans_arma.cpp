// K1/K2 reference: Armadillo's arma::kmeans (Lloyd, OpenMP-parallel when built with -fopenmp).
// arma::kmeans stops once the centres stop moving and does not say after how many iterations,
// so it is driven one iteration per call from the shared initial centres. Its distance loop needs
// about a second per K1 iteration, so it runs only the first iterations of each case (`n_iter`
// says how many) to keep the whole run within minutes: its time per iteration is what compares.
#include <algorithm>

#include <armadillo>

#include "../support/harness.hpp"
#include "cases.hpp"

namespace kestrel::bench {
namespace {

void arma_kmeans(benchmark::State& state, const KMeansCase& (*get_case)(), Bound bound, int max_iterations) {
    const KMeansCase& c = get_case();
    const auto d = static_cast<arma::uword>(c.X.cols());
    const auto k = static_cast<arma::uword>(c.initial_centers.rows());
    // A row-major n×d matrix is Armadillo's column-major d×n, one sample a column: no copy.
    const arma::fmat data(const_cast<float*>(c.X.data()), d, static_cast<arma::uword>(c.X.rows()), false, true);
    const int n_iter = std::min(c.n_iter, max_iterations);
    arma::fmat means;
    const Stopwatch clock;
    for (auto _ : state) {
        means = arma::fmat(const_cast<float*>(c.initial_centers.data()), d, k);
        for (int iter = 0; iter < n_iter; ++iter) {
            if (!arma::kmeans(means, data, k, arma::keep_existing, 1, false)) {
                state.SkipWithError("arma::kmeans failed");
                return;
            }
        }
    }
    const double seconds = clock.seconds();
    const Matrix<float> centers = Eigen::Map<const Matrix<float>>(means.memptr(), c.initial_centers.rows(), c.X.cols());
    report_kmeans(state, c, centers, n_iter, openmp_threads(), bound, seconds);
}

const bool registered = [] {
    add("BM_K1/arma_lloyd", [](benchmark::State& s) { arma_kmeans(s, k1, Bound::compute, 3); });
    add("BM_K2/arma_lloyd", [](benchmark::State& s) { arma_kmeans(s, k2, Bound::bandwidth, 5); });
    return true;
}();

}  // namespace
}  // namespace kestrel::bench
