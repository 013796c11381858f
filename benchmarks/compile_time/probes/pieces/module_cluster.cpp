// Piece: the cluster module header alone.
#include <kestrel/cluster.hpp>

int main() {}
