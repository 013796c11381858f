// Piece: the metrics module header alone.
#include <kestrel/metrics.hpp>

int main() {}
