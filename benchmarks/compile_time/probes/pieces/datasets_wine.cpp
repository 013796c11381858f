// Piece: kestrel/datasets/wine.hpp alone.
#include <kestrel/datasets/wine.hpp>

int main() {}
