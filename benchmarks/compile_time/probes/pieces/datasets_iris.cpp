// Piece: kestrel/datasets/iris.hpp alone.
#include <kestrel/datasets/iris.hpp>

int main() {}
