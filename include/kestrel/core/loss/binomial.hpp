#pragma once
/// \file
/// The half binomial deviance (logistic loss) of raw predictions and its derivative, as
/// scikit-learn's `HalfBinomialLoss`: vectorised, beside its scalar twin in `scalar`.

#include <algorithm>
#include <cmath>

#include "../simd/batch.hpp"
#include "../simd/math.hpp"
#include "../types.hpp"

namespace kestrel::detail::loss {

namespace scalar {

/// Σ swᵢ·(log(1 + e^zᵢ) − yᵢ zᵢ): the weighted half binomial deviance of raw predictions z against
/// targets y in {0, 1}, evaluated without overflow; writes its derivative rᵢ = swᵢ·(σ(zᵢ) − yᵢ).
template <class T>
T binomial_loss_gradient(const T* z, const T* y, const T* sw, T* r, Index n) noexcept {
    namespace math = kestrel::detail::simd::scalar;
    T sum = 0;
    for (Index i = 0; i < n; ++i) {
        const T e = math::exp(-std::abs(z[i]));
        const T p = math::sigmoid(z[i], e);
        sum += sw[i] * (std::max(z[i], T(0)) + math::log1p(e) - y[i] * z[i]);
        r[i] = sw[i] * (p - y[i]);
    }
    return sum;
}

}  // namespace scalar

/// Σ swᵢ·(log(1 + e^zᵢ) − yᵢ zᵢ) with rᵢ = swᵢ·(σ(zᵢ) − yᵢ), as scalar::binomial_loss_gradient.
template <class T>
T binomial_loss_gradient(const T* z, const T* y, const T* sw, T* r, Index n) noexcept {
    namespace simd = kestrel::detail::simd;
    using batch = simd::batch<T>;
    constexpr Index w = simd::width<T>;
    const batch zero(T(0));
    batch acc(T(0));
    Index i = 0;
    for (; i + w <= n; i += w) {
        const auto zi = batch::load_unaligned(z + i);
        const auto yi = batch::load_unaligned(y + i);
        const auto wi = batch::load_unaligned(sw + i);
        const auto e = simd::exp(-simd::abs(zi));
        const auto p = simd::sigmoid(zi, e);
        acc = simd::fma(wi, simd::max(zi, zero) + simd::log1p(e) - yi * zi, acc);
        (wi * (p - yi)).store_unaligned(r + i);
    }
    return simd::reduce_sum(acc) + scalar::binomial_loss_gradient(z + i, y + i, sw + i, r + i, n - i);
}

}  // namespace kestrel::detail::loss
