// Floor: Eigen/Core with Cholesky and QR, what the linear models include.
#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/QR>

int main() {}
