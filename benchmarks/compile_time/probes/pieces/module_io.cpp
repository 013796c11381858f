// Piece: the io module header alone.
#include <kestrel/io.hpp>

int main() {}
