// Floor: xsimd alone, which the SIMD kernels include.
#include <xsimd/xsimd.hpp>

int main() {}
