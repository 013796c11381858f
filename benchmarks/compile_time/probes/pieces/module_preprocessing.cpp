// Piece: the preprocessing module header alone.
#include <kestrel/preprocessing.hpp>

int main() {}
