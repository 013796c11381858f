// Piece: the model_selection module header alone.
#include <kestrel/model_selection.hpp>

int main() {}
