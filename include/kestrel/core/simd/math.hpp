#pragma once
/// \file
/// Vector elementary functions on batches (exp, log1p, the logistic sigmoid), each beside its
/// scalar twin in `scalar`: what losses and kernel rows evaluate lane by lane.

#include <cmath>

#include "batch.hpp"

namespace kestrel::detail::simd {

namespace scalar {

template <class T>
T exp(T x) noexcept {
    return std::exp(x);
}

template <class T>
T log1p(T x) noexcept {
    return std::log1p(x);
}

/// σ(z) = 1 / (1 + e^−z) from e = e^−|z|, which callers need anyway (log(1 + e^z) is
/// max(z, 0) + log1p(e)): 1/(1 + e) for z ≥ 0, e/(1 + e) below, neither of which overflows.
template <class T>
T sigmoid(T z, T e) noexcept {
    return z >= T(0) ? T(1) / (T(1) + e) : e / (T(1) + e);
}

}  // namespace scalar

using xsimd::exp;
using xsimd::log1p;

/// scalar::sigmoid, with one division: e/(1 + e) is taken as e·(1/(1 + e)).
template <class T>
batch<T> sigmoid(const batch<T>& z, const batch<T>& e) noexcept {
    const batch<T> one(T(1)), zero(T(0));
    const auto inv = one / (one + e);
    return xsimd::select(z >= zero, inv, e * inv);
}

}  // namespace kestrel::detail::simd
