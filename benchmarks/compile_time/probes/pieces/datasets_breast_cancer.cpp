// Piece: kestrel/datasets/breast_cancer.hpp alone.
#include <kestrel/datasets/breast_cancer.hpp>

int main() {}
