// Floor: Eigen/Core alone.
#include <Eigen/Core>

int main() {}
