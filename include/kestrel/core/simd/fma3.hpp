#pragma once
/// \file
/// The fused multiply-add of x86's FMA3, in raw intrinsics for what xsimd 8 lacks: its fma is
/// a·b + c on AVX-512, which GCC fuses from -O2 on but not at -O1. The portable twin is
/// simd::multiply_add's a·b + c (batch.hpp); tests/svm/test_svm_kernels.cpp, which needs the
/// fused bits, also runs -march=native. Compiled only for targets with FMA3.

#if defined(__FMA__) && (defined(__x86_64__) || defined(__i386__))

#include <immintrin.h>

#include <type_traits>

namespace kestrel::detail::simd::fma3 {

/// a·b + c per lane, rounded once: B is an xsimd batch of float or double, 16, 32 or 64 bytes
/// wide (64 only with AVX-512).
template <class T, class B>
B multiply_add(const B& a, const B& b, const B& c) noexcept {
    constexpr bool is_float = std::is_same_v<T, float>;
    if constexpr (sizeof(B) == 16) {
        if constexpr (is_float) return _mm_fmadd_ps(a, b, c);
        else return _mm_fmadd_pd(a, b, c);
    } else if constexpr (sizeof(B) == 32) {
        if constexpr (is_float) return _mm256_fmadd_ps(a, b, c);
        else return _mm256_fmadd_pd(a, b, c);
    } else {
        static_assert(sizeof(B) == 64, "a batch of 16, 32 or 64 bytes");
#if defined(__AVX512F__)
        if constexpr (is_float) return _mm512_fmadd_ps(a, b, c);
        else return _mm512_fmadd_pd(a, b, c);
#endif
    }
}

}  // namespace kestrel::detail::simd::fma3

#endif  // __FMA__ on x86
