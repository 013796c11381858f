// Piece: kestrel/datasets/digits.hpp alone.
#include <kestrel/datasets/digits.hpp>

int main() {}
