// An empty main that includes everything: the price of the umbrella header alone.
#include <kestrel/kestrel.hpp>

int main() {}
