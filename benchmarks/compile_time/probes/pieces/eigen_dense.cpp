// Floor: Eigen/Dense alone (Core, LU, Cholesky, QR, SVD, Geometry, Eigenvalues).
#include <Eigen/Dense>

int main() {}
