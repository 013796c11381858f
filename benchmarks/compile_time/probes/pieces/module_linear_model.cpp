// Piece: the linear_model module header alone.
#include <kestrel/linear_model.hpp>

int main() {}
