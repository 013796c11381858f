// L1 and L4 reference: Armadillo over LAPACK/BLAS. OLS as arma::solve on the centred design (QR least
// squares, dgels); ridge by the normal equations (syrk + Cholesky), as a C++ user would write them.
// Centring, which the intercept needs, is inside the timed region as it is for kestrel.
#include <string>
#include <utility>

#include <armadillo>

#include "../support/harness.hpp"
#include "cases.hpp"

namespace kestrel::bench {
namespace {

enum class Method { ols, ridge };

void arma_least_squares(benchmark::State& state, const RegressionCase& c, Method method) {
    const auto n = static_cast<arma::uword>(c.X.rows());
    const auto d = static_cast<arma::uword>(c.X.cols());
    // Row-major n×d is Armadillo's d×n, one sample a column.
    const arma::mat Xt(const_cast<double*>(c.X.data()), d, n, false, true);
    const arma::vec y(const_cast<double*>(c.y.data()), n, false, true);
    arma::vec coef;
    double intercept = 0;
    const Stopwatch clock;
    for (auto _ : state) {
        const arma::vec x_mean = arma::mean(Xt, 1);
        const double y_mean = arma::mean(y);
        const arma::mat A = (Xt.each_col() - x_mean).t();
        const arma::vec b = y - y_mean;
        if (method == Method::ols) {
            coef = arma::solve(A, b);
        } else {
            const arma::mat gram = A.t() * A + c.ridge_alpha * arma::eye(d, d);
            coef = arma::solve(gram, A.t() * b, arma::solve_opts::likely_sympd);
        }
        intercept = y_mean - arma::dot(x_mean, coef);
        benchmark::DoNotOptimize(coef.memptr());
    }
    const double seconds = clock.seconds();
    const Vector<double> w = Eigen::Map<const Vector<double>>(coef.memptr(), c.X.cols());
    report_regression(state, c, w, intercept, openmp_threads(), seconds);
}

const bool registered = [] {
    for (const auto& [id, data] : {std::pair{"L1", &l1}, std::pair{"L4", &l4}}) {
        add(std::string("BM_") + id + "/arma_ols",
            [data](benchmark::State& s) { arma_least_squares(s, data(), Method::ols); });
        add(std::string("BM_") + id + "/arma_ridge",
            [data](benchmark::State& s) { arma_least_squares(s, data(), Method::ridge); });
    }
    return true;
}();

}  // namespace
}  // namespace kestrel::bench
