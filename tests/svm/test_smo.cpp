// The pieces under SVC and SVR on their own: kernel values, the LRU cache of kernel rows, and
// the SMO solver on problems whose solution is known in closed form.
#include <cmath>

#include "catch.hpp"

#include <kestrel/svm/detail/kernel_cache.hpp>
#include <kestrel/svm/detail/smo.hpp>
#include <kestrel/svm/kernels.hpp>

using namespace kestrel;
using svm::Kernel;
using svm::detail::kernel_cache;
using svm::detail::kernel_function;

TEST_CASE("kernel values follow their formulas, in blocks and one at a time", "[svm][smo]") {
    Matrix<double> A(3, 2), B(2, 2);
    A << 1, 2, -0.5, 0.25, 0, 3;
    B << 2, -1, 0.5, 0.5;
    const Vector<double> na = A.rowwise().squaredNorm(), nb = B.rowwise().squaredNorm();
    for (const kernel_function k :
         {kernel_function{Kernel::linear, 3, 0.5, 1}, kernel_function{Kernel::poly, 3, 0.5, 1},
          kernel_function{Kernel::rbf, 3, 0.5, 1}, kernel_function{Kernel::sigmoid, 3, 0.5, 1}}) {
        const Matrix<double> block = svm::detail::kernel_block(k, A, B, na, nb);
        for (Index i = 0; i < 3; ++i) {
            for (Index j = 0; j < 2; ++j) {
                const double dot = A.row(i).dot(B.row(j));
                const double expected = k.kernel == Kernel::linear ? dot
                                        : k.kernel == Kernel::poly ? std::pow(0.5 * dot + 1, 3)
                                        : k.kernel == Kernel::rbf ? std::exp(-0.5 * (A.row(i) - B.row(j)).squaredNorm())
                                                                  : std::tanh(0.5 * dot + 1);
                CHECK(block(i, j) == Approx(expected).epsilon(1e-14));
                CHECK(k(dot, na[i], nb[j]) == Approx(expected).epsilon(1e-14));
            }
        }
    }
    CHECK(kernel_function::integer_power(1.5, 0) == 1);
    CHECK(kernel_function::integer_power(-2.0, 5) == -32);
}

TEST_CASE("the kernel cache returns exact rows through evictions", "[svm][smo]") {
    Matrix<double> X(40, 3);
    for (Index i = 0; i < X.rows(); ++i) X.row(i) << std::sin(i), std::cos(0.3 * i), 0.1 * i - 2;
    const kernel_function k{Kernel::rbf, 3, 0.7, 0};
    const Matrix<double> full =
        svm::detail::kernel_block(k, X, X, X.rowwise().squaredNorm().eval(), X.rowwise().squaredNorm().eval());
    // 1e-6 MB holds less than two rows: the cache keeps two, so each new row evicts the oldest.
    kernel_cache<double> cache(X, k, 1e-6, 2);
    for (const Index i : {3, 7, 3, 39, 0, 7, 3}) {
        const float* row = cache.row(i);
        for (Index j = 0; j < X.rows(); ++j) CHECK(row[j] == Approx(full(i, j)).epsilon(1e-6));
        CHECK(cache.diagonal(i) == 1.0);
    }
    // Two rows held at once stay valid.
    const float* a = cache.row(5);
    const float* b = cache.row(6);
    CHECK(a[6] == b[5]);
}

TEST_CASE("SMO finds the maximal-margin pair and the bounded solution", "[svm][smo]") {
    // x = ±1 with labels ±1, linear kernel: w = 1, b = 0, α = ½ each when C ≥ ½.
    Matrix<double> X(2, 1);
    X << 1, -1;
    kernel_cache<double> cache(X, kernel_function{Kernel::linear, 3, 1, 0}, 1, 1);
    svm::detail::smo_problem problem{
        Eigen::VectorXd::Constant(2, -1.0), Eigen::VectorXi(2), Eigen::VectorXd::Constant(2, 10.0), {0, 1}};
    problem.y << 1, -1;
    auto result = svm::detail::solve_smo(cache, problem, 1e-12, true, -1);
    CHECK(result.alpha[0] == Approx(0.5));
    CHECK(result.alpha[1] == Approx(0.5));
    CHECK(result.rho == Approx(0.0).margin(1e-12));
    CHECK(result.objective == Approx(-0.5));
    CHECK(!result.reached_max_iter);
    // With C = 0.2 < ½ both α sit at C, and the bias is the middle of the feasible interval.
    problem.C.setConstant(0.2);
    result = svm::detail::solve_smo(cache, problem, 1e-12, true, -1);
    CHECK(result.alpha[0] == 0.2);
    CHECK(result.alpha[1] == 0.2);
    CHECK(result.rho == Approx(0.0).margin(1e-12));
}
