// Piece: the pipeline module header alone.
#include <kestrel/pipeline.hpp>

int main() {}
