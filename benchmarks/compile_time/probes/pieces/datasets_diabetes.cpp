// Piece: kestrel/datasets/diabetes.hpp alone.
#include <kestrel/datasets/diabetes.hpp>

int main() {}
