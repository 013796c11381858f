// Piece: the core module header alone.
#include <kestrel/core.hpp>

int main() {}
