// Piece: kestrel/datasets/generators.hpp alone.
#include <kestrel/datasets/generators.hpp>

int main() {}
