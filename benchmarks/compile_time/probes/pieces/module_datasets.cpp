// Piece: the datasets module header alone.
#include <kestrel/datasets.hpp>

int main() {}
