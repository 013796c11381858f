#pragma once
/// \file
/// The vector kernels kestrel's estimators share, and the only header that names xsimd.
///
/// Each kernel in `kestrel::detail::simd` has a plain-loop twin of the same name in
/// `kestrel::detail::scalar`; the tests hold the two together on every length and alignment.
/// The instruction set is chosen at compile time (`xsimd::default_arch`): build with
/// `-march=native` (the bench and release presets) to get AVX2 or AVX-512. Pointers need not
/// be aligned.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include <xsimd/xsimd.hpp>

#include "../types.hpp"

namespace kestrel::detail {

namespace scalar {

template <class T>
T dot(const T* a, const T* b, Index n) noexcept {
    T sum = 0;
    for (Index i = 0; i < n; ++i) sum += a[i] * b[i];
    return sum;
}

template <class T>
void axpy(T alpha, const T* x, T* y, Index n) noexcept {
    for (Index i = 0; i < n; ++i) y[i] += alpha * x[i];
}

template <class T>
T squared_norm(const T* a, Index n) noexcept {
    return dot(a, a, n);
}

template <class T>
T squared_distance(const T* a, const T* b, Index n) noexcept {
    T sum = 0;
    for (Index i = 0; i < n; ++i) {
        const T d = a[i] - b[i];
        sum += d * d;
    }
    return sum;
}

template <class T>
void squared_distances(const T* x, const T* rows, Index n_rows, Index n_features, Index row_stride, T* out) noexcept {
    for (Index r = 0; r < n_rows; ++r) out[r] = squared_distance(x, rows + r * row_stride, n_features);
}

/// Index of the first smallest value; -1 when n is 0.
template <class T>
Index argmin(const T* a, Index n) noexcept {
    if (n <= 0) return -1;
    Index best = 0;
    for (Index i = 1; i < n; ++i) {
        if (a[i] < a[best]) best = i;
    }
    return best;
}

/// Centres laid out for `nearest_centers`: each shifted by −shift, with half its squared norm.
template <class T>
class packed_centers {
public:
    packed_centers() = default;
    /// k centres of d features, rows `stride` apart; `shift` (d values) is subtracted from every centre.
    packed_centers(const T* centers, Index k, Index d, Index stride, const T* shift)
        : k_(k), d_(d), coords_(static_cast<std::size_t>(k * d)), half_norms_(static_cast<std::size_t>(k)),
          shift_(shift, shift + d) {
        for (Index j = 0; j < k; ++j) {
            T norm = 0;
            for (Index f = 0; f < d; ++f) {
                const T v = centers[j * stride + f] - shift[f];
                coords_[static_cast<std::size_t>(j * d + f)] = v;
                norm += v * v;
            }
            half_norms_[static_cast<std::size_t>(j)] = norm / 2;
        }
    }
    [[nodiscard]] Index n_centers() const noexcept { return k_; }
    [[nodiscard]] Index n_features() const noexcept { return d_; }
    [[nodiscard]] const T* center(Index j) const noexcept { return coords_.data() + j * d_; }
    [[nodiscard]] T half_norm(Index j) const noexcept { return half_norms_[static_cast<std::size_t>(j)]; }
    [[nodiscard]] const T* shift() const noexcept { return shift_.data(); }

private:
    Index k_ = 0, d_ = 0;
    std::vector<T> coords_, half_norms_, shift_;
};

/// labels[i] = the first j minimising ½‖c_j‖² − x_i·c_j (x_i and c_j both shifted), that is the
/// nearest centre, for the n rows of X starting `stride` elements apart.
/// Returns how many of the labels it overwrote changed.
template <class T>
Index nearest_centers(const T* X, Index n, Index stride, const packed_centers<T>& centers, int* labels) noexcept {
    const Index d = centers.n_features();
    const T* shift = centers.shift();
    Index changed = 0;
    for (Index i = 0; i < n; ++i) {
        const T* x = X + i * stride;
        T best = 0;
        int best_index = 0;
        for (Index j = 0; j < centers.n_centers(); ++j) {
            const T* c = centers.center(j);
            T score = centers.half_norm(j);
            for (Index f = 0; f < d; ++f) score -= (x[f] - shift[f]) * c[f];
            if (j == 0 || score < best) {
                best = score;
                best_index = static_cast<int>(j);
            }
        }
        changed += labels[i] != best_index;
        labels[i] = best_index;
    }
    return changed;
}

/// Copies `rows` rows of d features (`stride` elements apart) into one tile of Lanes rows stored
/// feature by feature, out[f·Lanes + lane]; lanes past `rows` are set to zero.
template <Index Lanes, class T>
void transpose_tile(const T* X, Index rows, Index stride, Index d, T* out) noexcept {
    for (Index lane = 0; lane < Lanes; ++lane) {
        if (lane >= rows) {
            for (Index f = 0; f < d; ++f) out[f * Lanes + lane] = T(0);
            continue;
        }
        const T* x = X + lane * stride;
        for (Index f = 0; f < d; ++f) out[f * Lanes + lane] = x[f];
    }
}

/// Σ swᵢ·(log(1 + e^zᵢ) − yᵢ zᵢ): the weighted half binomial deviance of raw predictions z against
/// targets y in {0, 1}, evaluated without overflow; writes its derivative rᵢ = swᵢ·(σ(zᵢ) − yᵢ).
template <class T>
T binomial_loss_gradient(const T* z, const T* y, const T* sw, T* r, Index n) noexcept {
    T sum = 0;
    for (Index i = 0; i < n; ++i) {
        const T e = std::exp(-std::abs(z[i]));
        const T p = z[i] >= T(0) ? T(1) / (T(1) + e) : e / (T(1) + e);
        sum += sw[i] * (std::max(z[i], T(0)) + std::log1p(e) - y[i] * z[i]);
        r[i] = sw[i] * (p - y[i]);
    }
    return sum;
}

}  // namespace scalar

namespace simd {

template <class T>
using batch = xsimd::batch<T>;

/// Lanes in one register of T on the compile-time architecture.
template <class T>
inline constexpr Index width = static_cast<Index>(batch<T>::size);

template <class T>
T reduce_sum(const batch<T>& b) noexcept {
#if XSIMD_VERSION_MAJOR >= 9
    return xsimd::reduce_add(b);
#else
    return xsimd::hadd(b);
#endif
}

template <class T>
T reduce_min(const batch<T>& b) noexcept {
    alignas(64) T lanes[batch<T>::size];
    b.store_aligned(lanes);
    return *std::min_element(lanes, lanes + batch<T>::size);
}

/// Σ a[i]·b[i], four accumulators to hide the FMA latency.
template <class T>
T dot(const T* a, const T* b, Index n) noexcept {
    constexpr Index w = width<T>;
    batch<T> s0(T(0)), s1(T(0)), s2(T(0)), s3(T(0));
    Index i = 0;
    for (; i + 4 * w <= n; i += 4 * w) {
        s0 = xsimd::fma(batch<T>::load_unaligned(a + i), batch<T>::load_unaligned(b + i), s0);
        s1 = xsimd::fma(batch<T>::load_unaligned(a + i + w), batch<T>::load_unaligned(b + i + w), s1);
        s2 = xsimd::fma(batch<T>::load_unaligned(a + i + 2 * w), batch<T>::load_unaligned(b + i + 2 * w), s2);
        s3 = xsimd::fma(batch<T>::load_unaligned(a + i + 3 * w), batch<T>::load_unaligned(b + i + 3 * w), s3);
    }
    for (; i + w <= n; i += w) {
        s0 = xsimd::fma(batch<T>::load_unaligned(a + i), batch<T>::load_unaligned(b + i), s0);
    }
    T sum = reduce_sum((s0 + s1) + (s2 + s3));
    for (; i < n; ++i) sum += a[i] * b[i];
    return sum;
}

/// y += alpha·x.
template <class T>
void axpy(T alpha, const T* x, T* y, Index n) noexcept {
    constexpr Index w = width<T>;
    const batch<T> va(alpha);
    Index i = 0;
    for (; i + 2 * w <= n; i += 2 * w) {
        xsimd::fma(va, batch<T>::load_unaligned(x + i), batch<T>::load_unaligned(y + i)).store_unaligned(y + i);
        xsimd::fma(va, batch<T>::load_unaligned(x + i + w), batch<T>::load_unaligned(y + i + w))
            .store_unaligned(y + i + w);
    }
    for (; i + w <= n; i += w) {
        xsimd::fma(va, batch<T>::load_unaligned(x + i), batch<T>::load_unaligned(y + i)).store_unaligned(y + i);
    }
    for (; i < n; ++i) y[i] += alpha * x[i];
}

/// Σ a[i]².
template <class T>
T squared_norm(const T* a, Index n) noexcept {
    return dot(a, a, n);
}

/// Σ (a[i] − b[i])².
template <class T>
T squared_distance(const T* a, const T* b, Index n) noexcept {
    constexpr Index w = width<T>;
    batch<T> s0(T(0)), s1(T(0));
    Index i = 0;
    for (; i + 2 * w <= n; i += 2 * w) {
        const auto d0 = batch<T>::load_unaligned(a + i) - batch<T>::load_unaligned(b + i);
        const auto d1 = batch<T>::load_unaligned(a + i + w) - batch<T>::load_unaligned(b + i + w);
        s0 = xsimd::fma(d0, d0, s0);
        s1 = xsimd::fma(d1, d1, s1);
    }
    for (; i + w <= n; i += w) {
        const auto d = batch<T>::load_unaligned(a + i) - batch<T>::load_unaligned(b + i);
        s0 = xsimd::fma(d, d, s0);
    }
    T sum = reduce_sum(s0 + s1);
    for (; i < n; ++i) {
        const T d = a[i] - b[i];
        sum += d * d;
    }
    return sum;
}

/// out[r] = ‖x − rows[r]‖² for the n_rows rows starting `row_stride` elements apart.
template <class T>
void squared_distances(const T* x, const T* rows, Index n_rows, Index n_features, Index row_stride, T* out) noexcept {
    for (Index r = 0; r < n_rows; ++r) out[r] = squared_distance(x, rows + r * row_stride, n_features);
}

/// Index of the first smallest value (as numpy.argmin); -1 when n is 0. Values must not be NaN.
template <class T>
Index argmin(const T* a, Index n) noexcept {
    constexpr Index w = width<T>;
    if (n < 2 * w) return scalar::argmin(a, n);
    batch<T> lowest = batch<T>::load_unaligned(a);
    Index i = w;
    for (; i + w <= n; i += w) lowest = xsimd::min(lowest, batch<T>::load_unaligned(a + i));
    T m = reduce_min(lowest);
    for (; i < n; ++i) m = std::min(m, a[i]);
    const batch<T> target(m);
    Index block = 0;
    for (; block + w <= n; block += w) {
        if (xsimd::any(batch<T>::load_unaligned(a + block) == target)) break;
    }
    for (Index j = block; j < n; ++j) {
        if (a[j] == m) return j;
    }
    return -1;
}

// The register tiles below live in registers only when their short loops are unrolled, which
// -O2 does not do by itself.
#if defined(__clang__)
#define KESTREL_UNROLL _Pragma("unroll")
#elif defined(__GNUC__)
#define KESTREL_UNROLL _Pragma("GCC unroll 16")
#else
#define KESTREL_UNROLL
#endif

// Pins a register value loaded once to a register: without it, GCC reloads it as a memory operand
// of every FMA that uses it, which on AVX2 cores makes the loads, not the FMAs, set the pace.
#if defined(__GNUC__) && defined(__AVX2__) && !defined(__AVX512F__)
#define KESTREL_IN_REGISTER(reg) __asm__("" : "+x"(reg))
#else
#define KESTREL_IN_REGISTER(reg) (void)(reg)
#endif

#if defined(__AVX512F__)
// GCC 12's AVX-512 intrinsics start their results from a self-initialised undefined register,
// which -Wuninitialized reports wherever they inline: the AVX-512 kernels below turn it off.
#if defined(__GNUC__) && !defined(__clang__)
#define KESTREL_AVX512_BEGIN \
    _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wuninitialized\"") \
        _Pragma("GCC diagnostic ignored \"-Wmaybe-uninitialized\"")
#define KESTREL_AVX512_END _Pragma("GCC diagnostic pop")
#else
#define KESTREL_AVX512_BEGIN
#define KESTREL_AVX512_END
#endif
KESTREL_AVX512_BEGIN
namespace avx512 {

/// Transposes the 16×16 block r in registers: on entry r[i] is row i, on return r[f] is column f.
/// Interleaves 32-bit then 64-bit elements within 128-bit lanes, then moves 128-bit lanes twice.
inline void transpose16(__m512 (&r)[16]) noexcept {
    __m512 t[16];
    KESTREL_UNROLL
    for (int i = 0; i < 8; ++i) {
        t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    KESTREL_UNROLL
    for (int i = 0; i < 4; ++i) {
        r[4 * i] = _mm512_shuffle_ps(t[4 * i], t[4 * i + 2], 0x44);
        r[4 * i + 1] = _mm512_shuffle_ps(t[4 * i], t[4 * i + 2], 0xEE);
        r[4 * i + 2] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0x44);
        r[4 * i + 3] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0xEE);
    }
    KESTREL_UNROLL
    for (int j = 0; j < 4; ++j) {
        t[j] = _mm512_shuffle_f32x4(r[j], r[4 + j], 0x88);
        t[4 + j] = _mm512_shuffle_f32x4(r[j], r[4 + j], 0xDD);
        t[8 + j] = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0x88);
        t[12 + j] = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0xDD);
    }
    KESTREL_UNROLL
    for (int j = 0; j < 4; ++j) {
        r[j] = _mm512_shuffle_f32x4(t[j], t[8 + j], 0x88);
        r[j + 8] = _mm512_shuffle_f32x4(t[j], t[8 + j], 0xDD);
        r[j + 4] = _mm512_shuffle_f32x4(t[4 + j], t[12 + j], 0x88);
        r[j + 12] = _mm512_shuffle_f32x4(t[4 + j], t[12 + j], 0xDD);
    }
}

/// transpose16 of 16 full rows of 16 floats at X (rows `stride` apart), with the moves between
/// 128-bit lanes done by the loads: lane a of z[b][m] holds features 4b..4b+3 of row 4a + m, so
/// only the 4×4 transposes within lanes are left to shuffles, which share one port with the FMAs.
inline void transpose16_rows(const float* X, Index stride, __m512 (&r)[16]) noexcept {
    KESTREL_UNROLL
    for (int b = 0; b < 4; ++b) {
        __m512 z[4];
        KESTREL_UNROLL
        for (int m = 0; m < 4; ++m) {
            const float* x = X + m * stride + 4 * b;
            z[m] = _mm512_broadcast_f32x4(_mm_loadu_ps(x));
            z[m] = _mm512_mask_broadcast_f32x4(z[m], 0x00F0, _mm_loadu_ps(x + 4 * stride));
            z[m] = _mm512_mask_broadcast_f32x4(z[m], 0x0F00, _mm_loadu_ps(x + 8 * stride));
            z[m] = _mm512_mask_broadcast_f32x4(z[m], 0xF000, _mm_loadu_ps(x + 12 * stride));
        }
        const __m512 t0 = _mm512_unpacklo_ps(z[0], z[1]), t1 = _mm512_unpackhi_ps(z[0], z[1]);
        const __m512 t2 = _mm512_unpacklo_ps(z[2], z[3]), t3 = _mm512_unpackhi_ps(z[2], z[3]);
        r[4 * b] = _mm512_shuffle_ps(t0, t2, 0x44);
        r[4 * b + 1] = _mm512_shuffle_ps(t0, t2, 0xEE);
        r[4 * b + 2] = _mm512_shuffle_ps(t1, t3, 0x44);
        r[4 * b + 3] = _mm512_shuffle_ps(t1, t3, 0xEE);
    }
}

/// scalar::transpose_tile<16> for float, 16 features at a time through registers; the masked
/// loads read nothing past a row's last feature.
inline void transpose_tile(const float* X, Index rows, Index stride, Index d, float* out) noexcept {
    for (Index f0 = 0; f0 < d; f0 += 16) {
        const auto cols = static_cast<unsigned>(std::min<Index>(16, d - f0));
        const auto mask = static_cast<__mmask16>((1u << cols) - 1u);
        __m512 r[16];
        for (Index i = 0; i < 16; ++i)
            r[i] = i < rows ? _mm512_maskz_loadu_ps(mask, X + i * stride + f0) : _mm512_setzero_ps();
        transpose16(r);
        for (unsigned j = 0; j < cols; ++j) _mm512_storeu_ps(out + (f0 + j) * 16, r[j]);
    }
}

// Folds 16 features of a 16-row tile into the scores of C centres: the rows' features
// [f0, f0 + 16) (mask: those that exist) are transposed in registers, then each feature f meets
// every centre, acc[c] += (shift[f] − x_f)·coords[f·16 + c]: score_centers' arithmetic.
template <int C>
inline void score_chunk(const float* X, Index rows, Index stride, __mmask16 mask, const float* shift,
                        const float* coords, __m512 (&acc)[C]) noexcept {
    __m512 r[16];
    if (rows == 16 && mask == 0xFFFF) {
        transpose16_rows(X, stride, r);
    } else {
        KESTREL_UNROLL
        for (Index i = 0; i < 16; ++i)
            r[i] = i < rows ? _mm512_maskz_loadu_ps(mask, X + i * stride) : _mm512_setzero_ps();
        transpose16(r);
    }
    // Unrolled, so that r and acc stay in registers.
    KESTREL_UNROLL
    for (int f = 0; f < 16; ++f) {
        const __m512 x = _mm512_sub_ps(_mm512_set1_ps(shift[f]), r[f]);
        KESTREL_UNROLL
        for (int c = 0; c < C; ++c) acc[c] = _mm512_fmadd_ps(x, _mm512_set1_ps(coords[f * 16 + c]), acc[c]);
    }
}

/// Folds the C centres held in lanes [0, C) of one packed group (`group`: their half norms, then
/// their coordinates 16 to a feature; lanes past the last centre hold +inf norms) into the best
/// score and centre of each of `rows` rows of X, one row per lane, numbering them from `first`.
/// Each score is score_groups' FMA chain, so a centre scores the same in either layout; features
/// past the last multiple of 16 are gathered one at a time. Strict comparisons keep the earlier
/// centre on a tie. Needs 15·stride to fit an int.
template <int C>
inline void fold_group_by_rows(const float* X, Index rows, Index stride, Index d, const float* group,
                               const float* shift, float first, __m512& best, __m512& best_index) noexcept {
    const float* coords = group + 16;
    const Index full = d / 16 * 16;
    __m512 acc[C];
    KESTREL_UNROLL
    for (int c = 0; c < C; ++c) acc[c] = _mm512_set1_ps(group[c]);
    for (Index f0 = 0; f0 < full; f0 += 16)
        score_chunk<C>(X + f0, rows, stride, 0xFFFF, shift + f0, coords + f0 * 16, acc);
    if (full < d) {
        const auto in_rows = static_cast<__mmask16>((1u << rows) - 1u);
        const __m512i offsets = _mm512_mullo_epi32(
            _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), _mm512_set1_epi32(static_cast<int>(stride)));
        for (Index f = full; f < d; ++f) {
            const __m512 column = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), in_rows, offsets, X + f, 4);
            const __m512 x = _mm512_sub_ps(_mm512_set1_ps(shift[f]), column);
            KESTREL_UNROLL
            for (int c = 0; c < C; ++c) acc[c] = _mm512_fmadd_ps(x, _mm512_set1_ps(coords[f * 16 + c]), acc[c]);
        }
    }
    KESTREL_UNROLL
    for (int c = 0; c < C; ++c) {
        const __mmask16 better = _mm512_cmp_ps_mask(acc[c], best, _CMP_LT_OQ);
        best = _mm512_mask_blend_ps(better, best, acc[c]);
        best_index = _mm512_mask_blend_ps(better, best_index, _mm512_set1_ps(first + static_cast<float>(c)));
    }
}

/// Stores lanes [0, rows) of `index` as labels[0..rows); returns how many of them changed.
inline Index store_labels(int* labels, Index rows, __m512i index) noexcept {
    const auto in_rows = static_cast<__mmask16>((1u << rows) - 1u);
    const __m512i old = _mm512_maskz_loadu_epi32(in_rows, labels);
    _mm512_mask_storeu_epi32(labels, in_rows, index);
    return __builtin_popcount(_mm512_mask_cmpneq_epi32_mask(in_rows, old, index));
}

/// The last `count` (1 to 4) centres, lanes [0, count) of `group`, folded into the best scores and
/// centres so far of `rows` rows of X (score[r], center[r]); stores each row's centre as its
/// label and returns how many labels changed.
inline Index fold_last_centers(const float* X, Index rows, Index stride, Index d, const float* group, Index count,
                               const float* shift, float first, const float* score, const float* center,
                               int* labels) noexcept {
    __m512 best = _mm512_load_ps(score), best_index = _mm512_load_ps(center);
    if (count == 1) {
        fold_group_by_rows<1>(X, rows, stride, d, group, shift, first, best, best_index);
    } else if (count == 2) {
        fold_group_by_rows<2>(X, rows, stride, d, group, shift, first, best, best_index);
    } else {
        fold_group_by_rows<4>(X, rows, stride, d, group, shift, first, best, best_index);
    }
    return store_labels(labels, rows, _mm512_cvttps_epi32(best_index));
}

}  // namespace avx512
KESTREL_AVX512_END
#endif

#if defined(__AVX2__) && defined(__FMA__) && !defined(__AVX512F__)
namespace avx2 {

// Features [0, 4) of 8 rows at X (`stride` apart) with one row per lane: r[f] lane l is feature f
// of row l. Rows l and l + 4 are loaded into the two 128-bit halves of one register, so a 4×4
// transpose within each half does the rest.
inline void transpose8x4(const float* X, Index stride, __m256 (&r)[4]) noexcept {
    __m256 z[4];
    KESTREL_UNROLL
    for (int m = 0; m < 4; ++m) {
        z[m] = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(X + m * stride)),
                                    _mm_loadu_ps(X + (m + 4) * stride), 1);
    }
    const __m256 t0 = _mm256_unpacklo_ps(z[0], z[1]), t1 = _mm256_unpackhi_ps(z[0], z[1]);
    const __m256 t2 = _mm256_unpacklo_ps(z[2], z[3]), t3 = _mm256_unpackhi_ps(z[2], z[3]);
    r[0] = _mm256_shuffle_ps(t0, t2, 0x44);
    r[1] = _mm256_shuffle_ps(t0, t2, 0xEE);
    r[2] = _mm256_shuffle_ps(t1, t3, 0x44);
    r[3] = _mm256_shuffle_ps(t1, t3, 0xEE);
}

/// Stores lanes [0, rows) of `index` as labels[0..rows); returns how many of them changed.
inline Index store_labels(int* labels, Index rows, __m256i index) noexcept {
    if (rows == 8) {
        const __m256i old = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(labels));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(labels), index);
        const int same = _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(old, index)));
        return 8 - __builtin_popcount(static_cast<unsigned>(same));
    }
    alignas(32) int lanes[8];
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), index);
    Index changed = 0;
    for (Index r = 0; r < rows; ++r) {
        changed += labels[r] != lanes[r];
        labels[r] = lanes[r];
    }
    return changed;
}

// The AVX2 row kernels work on blocks of `tiles` tiles of 8 rows, one row per lane: three
// registers of rows, so that each broadcast coordinate feeds three FMAs.
inline constexpr int tiles = 3;
inline constexpr Index block_rows = 8 * tiles;

// block_rows rows of X from row 0 (`rows` of them exist) into `tile` feature by feature, as the
// shift − x that the scoring loops multiply: tile[f·block_rows + 8·t + lane] for row 8·t + lane.
// Full tiles are transposed 4 features at a time in registers, features past the last multiple
// of 4 gathered one at a time; lanes past the last row hold 0.
inline void fill_tiles(const float* X, Index rows, Index stride, Index d, const float* shift, float* tile) noexcept {
    constexpr Index S = block_rows;
    const Index full = d / 4 * 4;
    for (Index t = 0; t < tiles; ++t) {
        const float* x = X + 8 * t * stride;
        float* out = tile + 8 * t;
        const Index in_tile = std::clamp<Index>(rows - 8 * t, 0, 8);
        if (in_tile == 8) {
            for (Index f0 = 0; f0 < full; f0 += 4) {
                __m256 r[4];
                transpose8x4(x + f0, stride, r);
                KESTREL_UNROLL
                for (int j = 0; j < 4; ++j)
                    _mm256_store_ps(out + (f0 + j) * S, _mm256_sub_ps(_mm256_set1_ps(shift[f0 + j]), r[j]));
            }
            for (Index f = full; f < d; ++f) {
                const float* c = x + f;
                const Index s = stride;
                const __m256 column = _mm256_setr_ps(c[0], c[s], c[2 * s], c[3 * s], c[4 * s], c[5 * s], c[6 * s], c[7 * s]);
                _mm256_store_ps(out + f * S, _mm256_sub_ps(_mm256_set1_ps(shift[f]), column));
            }
            continue;
        }
        for (Index f = 0; f < d; ++f) {
            for (Index lane = 0; lane < 8; ++lane) out[f * S + lane] = lane < in_tile ? shift[f] - x[lane * stride + f] : 0.0f;
        }
    }
}

// Scores centres [first, first + CB) of `group` (their half norms, then their coordinates 8 to a
// feature) against the tiles of fill_tiles and folds them, in centre order, into each lane's best
// score and centre (numbered from `base`): acc += (shift − x)·c feature by feature from the half
// norm, score_centers' FMA chain.
template <int CB>
inline void score_tiles(const float* tile, Index d, const float* group, int first, float base, __m256 (&best)[tiles],
                        __m256 (&best_index)[tiles]) noexcept {
    constexpr Index S = block_rows;
    const float* coords = group + 8 + first;
    __m256 acc[tiles][CB];
    KESTREL_UNROLL
    for (int c = 0; c < CB; ++c) {
        const __m256 half_norm = _mm256_set1_ps(group[first + c]);
        KESTREL_UNROLL
        for (int t = 0; t < tiles; ++t) acc[t][c] = half_norm;
    }
    // The three registers of rows are named, not an array, so that they stay in registers.
    static_assert(tiles == 3, "one named register per tile");
    for (Index f = 0; f < d; ++f) {
        __m256 x0 = _mm256_load_ps(tile + f * S), x1 = _mm256_load_ps(tile + f * S + 8),
               x2 = _mm256_load_ps(tile + f * S + 16);
        KESTREL_IN_REGISTER(x0);
        KESTREL_IN_REGISTER(x1);
        KESTREL_IN_REGISTER(x2);
        KESTREL_UNROLL
        for (int c = 0; c < CB; ++c) {
            const __m256 b = _mm256_broadcast_ss(coords + f * 8 + c);
            acc[0][c] = _mm256_fmadd_ps(x0, b, acc[0][c]);
            acc[1][c] = _mm256_fmadd_ps(x1, b, acc[1][c]);
            acc[2][c] = _mm256_fmadd_ps(x2, b, acc[2][c]);
        }
    }
    KESTREL_UNROLL
    for (int c = 0; c < CB; ++c) {
        const __m256 index = _mm256_set1_ps(base + static_cast<float>(first + c));
        KESTREL_UNROLL
        for (int t = 0; t < tiles; ++t) {
            const __m256 better = _mm256_cmp_ps(acc[t][c], best[t], _CMP_LT_OQ);
            best[t] = _mm256_blendv_ps(best[t], acc[t][c], better);
            best_index[t] = _mm256_blendv_ps(best_index[t], index, better);
        }
    }
}

// Stores the centres of a block's `rows` rows (best_index, as float) as labels[0..rows); returns
// how many of them changed.
inline Index store_block_labels(int* labels, Index rows, const __m256 (&best_index)[tiles]) noexcept {
    Index changed = 0;
    for (Index t = 0; 8 * t < rows; ++t)
        changed += store_labels(labels + 8 * t, std::min<Index>(8, rows - 8 * t), _mm256_cvttps_epi32(best_index[t]));
    return changed;
}

/// The last `count` (1 to 4) centres, lanes [0, count) of `group`, folded into the best scores and
/// centres so far of `rows` (at most block_rows) rows of X (score[r], center[r]), with the rows in
/// the lanes (`tile`: block_rows·d floats); stores each row's centre as its label and returns how
/// many labels changed.
inline Index fold_last_centers(const float* X, Index rows, Index stride, Index d, const float* group, Index count,
                               const float* shift, float first, const float* score, const float* center,
                               int* labels, float* tile) noexcept {
    fill_tiles(X, rows, stride, d, shift, tile);
    __m256 best[tiles], best_index[tiles];
    for (int t = 0; t < tiles; ++t) {
        best[t] = _mm256_load_ps(score + 8 * t);
        best_index[t] = _mm256_load_ps(center + 8 * t);
    }
    if (count == 1) {
        score_tiles<1>(tile, d, group, 0, first, best, best_index);
    } else if (count == 2) {
        score_tiles<2>(tile, d, group, 0, first, best, best_index);
    } else {
        score_tiles<4>(tile, d, group, 0, first, best, best_index);
    }
    return store_block_labels(labels, rows, best_index);
}

}  // namespace avx2
#endif

/// scalar::transpose_tile<width<T>>: `rows` rows of d features into a tile stored feature by
/// feature. With AVX-512, float tiles are transposed 16×16 in registers.
template <class T>
void transpose_tile(const T* X, Index rows, Index stride, Index d, T* out) noexcept {
#if defined(__AVX512F__)
    if constexpr (std::is_same_v<T, float> && width<T> == 16) {
        avx512::transpose_tile(X, rows, stride, d, out);
        return;
    }
#endif
    scalar::transpose_tile<width<T>>(X, rows, stride, d, out);
}

/// Centres laid out for `nearest_centers`: groups of `width<T>` centres, each group holding its
/// centres' half squared norms then their coordinates feature by feature, one register wide,
/// every centre shifted by −shift. Lanes past the last centre hold +inf norms and zero coordinates.
template <class T>
class packed_centers {
public:
    packed_centers() = default;
    /// k centres of d features, rows `stride` apart; `shift` (d values) is subtracted from every centre.
    packed_centers(const T* centers, Index k, Index d, Index stride, const T* shift)
        : k_(k), d_(d), groups_((k + width<T> - 1) / width<T>),
          data_(static_cast<std::size_t>(groups_ * group_stride())), shift_(shift, shift + d) {
        constexpr Index w = width<T>;
        for (Index g = 0; g < groups_; ++g) {
            T* block = data_.data() + g * group_stride();
            for (Index lane = 0; lane < w; ++lane) {
                const Index j = g * w + lane;
                T norm = 0;
                for (Index f = 0; f < d; ++f) {
                    const T v = j < k ? centers[j * stride + f] - shift[f] : T(0);
                    block[w + f * w + lane] = v;
                    norm += v * v;
                }
                block[lane] = j < k ? norm / 2 : std::numeric_limits<T>::infinity();
            }
        }
    }
    [[nodiscard]] Index n_centers() const noexcept { return k_; }
    [[nodiscard]] Index n_features() const noexcept { return d_; }
    [[nodiscard]] Index n_groups() const noexcept { return groups_; }
    /// Elements from one group to the next: the norms, then d rows of coordinates.
    [[nodiscard]] Index group_stride() const noexcept { return (d_ + 1) * width<T>; }
    [[nodiscard]] const T* group(Index g) const noexcept { return data_.data() + g * group_stride(); }
    [[nodiscard]] const T* shift() const noexcept { return shift_.data(); }

private:
    Index k_ = 0, d_ = 0, groups_ = 0;
    std::vector<T, xsimd::aligned_allocator<T, 64>> data_;  // whole cache lines per register load
    std::vector<T> shift_;
};

/// Rows of X that `nearest_centers` scores at once: as many as the registers hold beside the sums.
template <class T>
inline constexpr Index nearest_rows = sizeof(batch<T>) >= 64 ? 8 : 4;

namespace nearest {

// Lane i ↔ lane i ^ Half: one level of a butterfly reduction.
template <std::size_t Half>
struct partner_lane {
    static constexpr unsigned get(std::size_t i, std::size_t) noexcept { return static_cast<unsigned>(i ^ Half); }
};

template <std::size_t Half, class T>
batch<T> swap_lanes(const batch<T>& b) noexcept {
    using index_type = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    using arch = typename batch<T>::arch_type;
#if XSIMD_VERSION_MAJOR >= 13
    return xsimd::swizzle(b, xsimd::make_batch_constant<index_type, arch, partner_lane<Half>>());
#else
    return xsimd::swizzle(b, xsimd::make_batch_constant<xsimd::batch<index_type, arch>, partner_lane<Half>>());
#endif
}

// Every lane ends up holding the smallest lane of b (a butterfly, unrolled so it inlines).
template <class T>
batch<T> all_lanes_min(batch<T> b) noexcept {
    constexpr std::size_t lanes = batch<T>::size;
    static_assert(lanes <= 16, "wider registers need another butterfly level");
    if constexpr (lanes >= 16) b = xsimd::min(b, swap_lanes<8>(b));
    if constexpr (lanes >= 8) b = xsimd::min(b, swap_lanes<4>(b));
    if constexpr (lanes >= 4) b = xsimd::min(b, swap_lanes<2>(b));
    if constexpr (lanes >= 2) b = xsimd::min(b, swap_lanes<1>(b));
    return b;
}

// The index of b's smallest lane, the smallest index among equal ones: a butterfly for the
// smallest score, then one for the smallest index holding it; `score` gets that smallest score.
template <class T>
T lane_argmin(const batch<T>& b, const batch<T>& index, T& score) noexcept {
    const auto lowest = all_lanes_min(b);
    const auto candidates = xsimd::select(b == lowest, index, batch<T>(std::numeric_limits<T>::max()));
    alignas(64) T lanes[batch<T>::size];
    all_lanes_min(candidates).store_aligned(lanes);
    score = lowest.get(0);
    return lanes[0];
}

// lane_argmin without the score.
template <class T>
T lane_argmin(const batch<T>& b, const batch<T>& index) noexcept {
    T score;
    return lane_argmin(b, index, score);
}


// Scores R negated shifted rows (tile, R×d) against V consecutive groups of centres and folds
// them into each row's best score and index per lane; the strict comparison keeps the earlier
// (smaller) index on a tie.
template <Index V, Index R, class T>
inline void score_groups(const T* tile, Index d, const T* group, Index group_stride, T first_index,
                         const batch<T>& lane_index, batch<T>* best, batch<T>* best_index) noexcept {
    constexpr Index w = width<T>;
    batch<T> acc[R][V];
    KESTREL_UNROLL
    for (Index v = 0; v < V; ++v) {
        const auto half_norm = batch<T>::load_unaligned(group + v * group_stride);
        KESTREL_UNROLL
        for (Index r = 0; r < R; ++r) acc[r][v] = half_norm;
    }
    const T* coords = group + w;
    for (Index f = 0; f < d; ++f) {
        batch<T> c[V];
        KESTREL_UNROLL
        for (Index v = 0; v < V; ++v) {
            c[v] = batch<T>::load_unaligned(coords + v * group_stride + f * w);
            KESTREL_IN_REGISTER(c[v].data);
        }
        KESTREL_UNROLL
        for (Index r = 0; r < R; ++r) {
            const batch<T> x(tile[r * d + f]);
            KESTREL_UNROLL
            for (Index v = 0; v < V; ++v) acc[r][v] = xsimd::fma(x, c[v], acc[r][v]);
        }
    }
    KESTREL_UNROLL
    for (Index v = 0; v < V; ++v) {
        const batch<T> index = lane_index + batch<T>(first_index + static_cast<T>(v * w));
        KESTREL_UNROLL
        for (Index r = 0; r < R; ++r) {
            const auto better = acc[r][v] < best[r];
            best[r] = xsimd::select(better, acc[r][v], best[r]);
            best_index[r] = xsimd::select(better, index, best_index[r]);
        }
    }
}

// Scores the C consecutive centres from `first` against a tile of width<T> rows stored feature by
// feature (tile[f·w + lane] for row `lane`) and folds them, in centre order, into each lane's best
// score and index; the strict comparison keeps the earlier centre on a tie. Each score is the same
// FMA chain, in the same order, as in score_groups, so both layouts give the same labels.
template <Index C, class T>
inline void score_centers(const T* tile, Index d, const packed_centers<T>& centers, Index first, batch<T>& best,
                          batch<T>& best_index) noexcept {
    constexpr Index w = width<T>;
    const T* shift = centers.shift();
    const T* coords[C];
    batch<T> acc[C];
    KESTREL_UNROLL
    for (Index c = 0; c < C; ++c) {
        const Index j = first + c;
        const T* group = centers.group(j / w);
        acc[c] = batch<T>(group[j % w]);
        coords[c] = group + w + j % w;
    }
    for (Index f = 0; f < d; ++f) {
        const auto x = batch<T>(shift[f]) - batch<T>::load_aligned(tile + f * w);
        KESTREL_UNROLL
        for (Index c = 0; c < C; ++c) acc[c] = xsimd::fma(x, batch<T>(coords[c][f * w]), acc[c]);
    }
    KESTREL_UNROLL
    for (Index c = 0; c < C; ++c) {
        const auto better = acc[c] < best;
        best = xsimd::select(better, acc[c], best);
        best_index = xsimd::select(better, batch<T>(static_cast<T>(first + c)), best_index);
    }
}

// The index of the nearest centre for each lane of a tile (see score_centers).
template <class T>
inline batch<T> tile_nearest(const T* tile, Index d, const packed_centers<T>& centers) noexcept {
    const Index k = centers.n_centers();
    batch<T> best(std::numeric_limits<T>::infinity()), best_index(T(0));
    Index j = 0;
    for (; j + 8 <= k; j += 8) score_centers<8>(tile, d, centers, j, best, best_index);
    if (j + 4 <= k) {
        score_centers<4>(tile, d, centers, j, best, best_index);
        j += 4;
    }
    if (j + 2 <= k) {
        score_centers<2>(tile, d, centers, j, best, best_index);
        j += 2;
    }
    if (j < k) score_centers<1>(tile, d, centers, j, best, best_index);
    return best_index;
}

// Writes a centre index carried as T; 1 when it differs from the label it overwrites.
template <class T>
inline Index store_label(int* label, T index) noexcept {
    const int value = static_cast<int>(index);
    const Index changed = *label != value;
    *label = value;
    return changed;
}

// Asks for the d values of a row ahead of their use: the hardware prefetcher alone leaves the first
// touch of each row waiting on memory while the kernels are busy scoring.
template <class T>
inline void prefetch_row(const T* row, Index d) noexcept {
    const char* bytes = reinterpret_cast<const char*>(row);
    for (Index byte = 0; byte < d * Index{sizeof(T)}; byte += 64) __builtin_prefetch(bytes + byte);
}

// prefetch_row for rows [first, first + count) of X's n, contiguous ones fetched as one span, a
// line at a time.
template <class T>
inline void prefetch_rows(const T* X, Index first, Index count, Index n, Index stride, Index d) noexcept {
    const Index end = std::min(n, first + count);
    if (stride != d) {
        for (Index i = first; i < end; ++i) prefetch_row(X + i * stride, d);
    } else if (first < end) {
        prefetch_row(X + first * d, (end - first) * d);
    }
}

// Whether by_centers scores the last group of centres with rows in the lanes: with float and
// AVX-512 or AVX2, when that group is at most a quarter (AVX-512) or half (AVX2) full, the lanes it
// would leave empty cost more than moving the rows into the lanes.
template <class T>
bool last_group_by_rows(const packed_centers<T>& centers, Index stride) noexcept {
#if defined(__AVX512F__)
    if constexpr (std::is_same_v<T, float> && width<T> == 16) {
        const Index groups = centers.n_groups();
        return groups > 1 && centers.n_centers() - (groups - 1) * 16 <= 4 &&
               stride <= std::numeric_limits<int>::max() / 16;
    }
#elif defined(__AVX2__) && defined(__FMA__)
    if constexpr (std::is_same_v<T, float> && width<T> == 8) {
        const Index groups = centers.n_groups();
        return groups > 1 && centers.n_centers() - (groups - 1) * 8 <= 4;
    }
#endif
    (void)centers, (void)stride;
    return false;
}

// Rows whose best scores by_centers gathers before scoring a last group by rows: one register of
// rows with AVX-512, a block of avx2::fold_last_centers with AVX2 (which alone needs `tile`).
#if defined(__AVX512F__)
template <class T>
inline constexpr Index last_group_rows = width<T>;
inline constexpr bool last_group_tile = false;
#elif defined(__AVX2__) && defined(__FMA__)
template <class T>
inline constexpr Index last_group_rows = avx2::block_rows;
inline constexpr bool last_group_tile = true;
#else
template <class T>
inline constexpr Index last_group_rows = 1;
inline constexpr bool last_group_tile = false;
#endif

#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
// Centre group `group` (the last) with rows in the lanes, folded into the best scores and centres
// so far of `rows` rows of X (score, center); stores their labels and returns how many changed.
// `tile` holds last_group_rows<float>·d floats (AVX2 only).
inline Index fold_last_group(const float* X, Index rows, Index stride, const packed_centers<float>& centers,
                             Index group, const float* score, const float* center, int* labels, float* tile) noexcept {
    const Index first = group * width<float>;
#if defined(__AVX512F__)
    (void)tile;
    return avx512::fold_last_centers(X, rows, stride, centers.n_features(), centers.group(group),
                                     centers.n_centers() - first, centers.shift(), static_cast<float>(first), score,
                                     center, labels);
#else
    return avx2::fold_last_centers(X, rows, stride, centers.n_features(), centers.group(group),
                                   centers.n_centers() - first, centers.shift(), static_cast<float>(first), score,
                                   center, labels, tile);
#endif
}
#endif

// nearest_centers with centres in the lanes: a tile of nearest_rows<T> rows against two groups of
// width<T> centres at a time, then one horizontal argmin per row; a last group that
// last_group_by_rows picks then meets last_group_rows<T> rows at once, one per lane. After each
// tile (or each such run of rows), tile_done(first_row, rows, their labels) runs while the rows
// are in cache, its work overlapping the scoring of the next.
template <class T, class Tile>
Index by_centers(const T* X, Index n, Index stride, const packed_centers<T>& centers, int* labels, Tile&& tile_done) {
    constexpr Index w = width<T>;
    constexpr Index R = nearest_rows<T>;
    const Index d = centers.n_features();
    const bool last_by_rows = last_group_by_rows(centers, stride);
    const Index lane_groups = centers.n_groups() - (last_by_rows ? 1 : 0);
    const Index group_stride = centers.group_stride();
    const T* shift = centers.shift();
    // The tile on the stack unless it is large: the kernel runs once per block of rows.
    constexpr Index stack_values = 4096 / Index{sizeof(T)};
    alignas(64) T stack_tile[stack_values];
    std::vector<T> heap_tile(R * d > stack_values ? static_cast<std::size_t>(R * d) : 0);
    T* const tile_data = R * d > stack_values ? heap_tile.data() : stack_tile;
    alignas(64) T lanes[w];
    for (Index l = 0; l < w; ++l) lanes[l] = static_cast<T>(l);
    const auto lane_index = batch<T>::load_aligned(lanes);
    // With the last group by rows: the best score and centre so far of each of the rows it meets,
    // and (AVX2) those rows in the lanes.
    [[maybe_unused]] alignas(64) T row_score[last_group_rows<T>] = {};
    [[maybe_unused]] alignas(64) T row_center[last_group_rows<T>] = {};
    [[maybe_unused]] std::vector<T, xsimd::aligned_allocator<T, 64>> by_rows_tile(
        last_by_rows && last_group_tile ? static_cast<std::size_t>(last_group_rows<T> * d) : 0);
    Index changed = 0;
    for (Index i0 = 0; i0 < n; i0 += R) {
        const Index rows = std::min(R, n - i0);
        // Shifting each row once here keeps ‖c‖² − 2x·c free of the cancellation a large mean causes;
        // storing shift − x lets the scoring loop use plain FMAs with broadcasts straight from memory.
        for (Index r = 0; r < R; ++r) {
            T* out = tile_data + r * d;
            if (r >= rows) {
                std::fill(out, out + d, T(0));
                continue;
            }
            const T* x = X + (i0 + r) * stride;
            if (i0 + R + r < n) prefetch_row(x + R * stride, d);
            Index f = 0;
            for (; f + w <= d; f += w) {
                (batch<T>::load_unaligned(shift + f) - batch<T>::load_unaligned(x + f)).store_unaligned(out + f);
            }
            for (; f < d; ++f) out[f] = shift[f] - x[f];
        }
        batch<T> best[R], best_index[R];
        for (Index r = 0; r < R; ++r) {
            best[r] = batch<T>(std::numeric_limits<T>::infinity());
            best_index[r] = lane_index;
        }
        Index g = 0;
        for (; g + 2 <= lane_groups; g += 2) {
            score_groups<2, R>(tile_data, d, centers.group(g), group_stride, static_cast<T>(g * w), lane_index, best,
                               best_index);
        }
        if (g < lane_groups) {
            score_groups<1, R>(tile_data, d, centers.group(g), group_stride, static_cast<T>(g * w), lane_index, best,
                               best_index);
        }
        if (!last_by_rows) {
            for (Index r = 0; r < rows; ++r)
                changed += store_label(labels + i0 + r, lane_argmin(best[r], best_index[r]));
            tile_done(i0, rows, static_cast<const int*>(labels + i0));
            continue;
        }
#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
        if constexpr (std::is_same_v<T, float> && (w == 16 || w == 8)) {
            constexpr Index block = last_group_rows<T>;
            static_assert(block % R == 0, "tiles fill a block of rows");
            const Index at = i0 % block;
            for (Index r = 0; r < rows; ++r)
                row_center[at + r] = lane_argmin(best[r], best_index[r], row_score[at + r]);
            if (at + R == block || i0 + rows == n) {
                const Index first = i0 - at, count = at + rows;
                changed += fold_last_group(X + first * stride, count, stride, centers, lane_groups, row_score,
                                           row_center, labels + first, by_rows_tile.data());
                tile_done(first, count, static_cast<const int*>(labels + first));
            }
        }
#endif
    }
    return changed;
}

template <class T>
Index by_centers(const T* X, Index n, Index stride, const packed_centers<T>& centers, int* labels) {
    return by_centers(X, n, stride, centers, labels, [](Index, Index, const int*) noexcept {});
}

// nearest_centers with rows in the lanes, for few centres: width<T> rows, transposed so that lane
// r holds row r, are scored against one broadcast centre at a time, so no lane is wasted on a
// missing centre and no row needs a horizontal argmin.
template <class T>
Index by_rows(const T* X, Index n, Index stride, const packed_centers<T>& centers, int* labels, Index readable = -1) {
    if (readable < n) readable = n;
    constexpr Index w = width<T>;
    const Index d = centers.n_features();
    std::vector<T, xsimd::aligned_allocator<T, 64>> tiles(static_cast<std::size_t>(2 * d * w));
    T* current = tiles.data();
    T* next = tiles.data() + d * w;
    alignas(64) T lanes[w];
    Index changed = 0;
    if (n > 0) transpose_tile(X, std::min(w, n), stride, d, next);
    for (Index i0 = 0; i0 < n; i0 += w) {
        std::swap(current, next);
        // The following tile is transposed before this one is scored: a register loaded right
        // after being written lane by lane would wait for the scalar stores to reach the cache.
        // Rows a few tiles ahead are fetched meanwhile, one tile ahead being too late to hide memory.
        if (i0 + w < n) {
            constexpr Index ahead = 4 * w;
            for (Index i = i0 + ahead; i < std::min(readable, i0 + ahead + w); ++i) prefetch_row(X + i * stride, d);
            transpose_tile(X + (i0 + w) * stride, std::min(w, n - i0 - w), stride, d, next);
        }
        tile_nearest(current, d, centers).store_aligned(lanes);
        for (Index r = 0, rows = std::min(w, n - i0); r < rows; ++r) changed += store_label(labels + i0 + r, lanes[r]);
    }
    return changed;
}

}  // namespace nearest

#if defined(__AVX512F__)
KESTREL_AVX512_BEGIN
namespace avx512 {

// nearest::by_rows for float with the tile never leaving the registers, for C ≥ k centres (lanes
// past k hold +inf half norms and never win). Features past the last multiple of 16 are scored
// from a zero-padded copy: a padded feature adds 0·0, which leaves every score as it is.
// After each tile, tile_done(first_row, rows, their labels) runs while the rows are in cache.
template <int C, class Tile>
Index by_rows(const float* X, Index n, Index stride, const packed_centers<float>& centers, int* labels,
              Tile&& tile_done) noexcept {
    const Index d = centers.n_features(), full = d / 16 * 16, rest = d - full;
    const float* group = centers.group(0);
    const float* coords = group + 16;
    const float* shift = centers.shift();
    alignas(64) float rest_coords[16 * 16] = {};
    float rest_shift[16] = {};
    for (Index f = 0; f < rest; ++f) {
        rest_shift[f] = shift[full + f];
        for (int c = 0; c < 16; ++c) rest_coords[f * 16 + c] = coords[(full + f) * 16 + c];
    }
    const auto rest_mask = static_cast<__mmask16>((1u << rest) - 1u);
    Index changed = 0;
    // Rows fetched four tiles ahead: the hardware prefetcher alone leaves the loads waiting on
    // memory. Contiguous rows are fetched as one span, a line at a time.
    constexpr Index ahead = 64;
    alignas(64) int tile_labels[2][16];
    Index last_rows = 0;
    for (Index i0 = 0; i0 < n; i0 += 16) {
        const Index rows = std::min<Index>(16, n - i0);
        nearest::prefetch_rows(X, i0 + ahead, 16, n, stride, d);
        __m512 acc[C];
        for (int c = 0; c < C; ++c) acc[c] = _mm512_set1_ps(group[c]);
        const float* tile = X + i0 * stride;
        for (Index f0 = 0; f0 < full; f0 += 16)
            score_chunk<C>(tile + f0, rows, stride, 0xFFFF, shift + f0, coords + f0 * 16, acc);
        if (rest > 0) score_chunk<C>(tile + full, rows, stride, rest_mask, rest_shift, rest_coords, acc);
        __m512 best = _mm512_set1_ps(std::numeric_limits<float>::infinity());
        __m512i index = _mm512_setzero_si512();
        for (int c = 0; c < C; ++c) {
            const __mmask16 better = _mm512_cmp_ps_mask(acc[c], best, _CMP_LT_OQ);
            best = _mm512_mask_blend_ps(better, best, acc[c]);
            index = _mm512_mask_blend_epi32(better, index, _mm512_set1_epi32(c));
        }
        changed += store_labels(labels + i0, rows, index);
        // The caller gets each tile's labels one tile later, from a whole-register store long
        // since written: reading single lanes right after it would wait for it, and scoring the
        // next tile meanwhile keeps the loads from memory going.
        if (i0 > 0) tile_done(i0 - 16, Index{16}, static_cast<const int*>(tile_labels[(i0 / 16 + 1) & 1]));
        _mm512_store_si512(tile_labels[(i0 / 16) & 1], index);
        last_rows = rows;
    }
    if (n > 0) tile_done((n - 1) / 16 * 16, last_rows, static_cast<const int*>(tile_labels[((n - 1) / 16) & 1]));
    return changed;
}

}  // namespace avx512
KESTREL_AVX512_END
#endif

#if defined(__AVX2__) && defined(__FMA__) && !defined(__AVX512F__)
namespace avx2 {

// nearest::by_rows for float, for C ≥ k centres (lanes past k hold +inf half norms and never
// win): blocks of block_rows rows, one row per lane, are transposed into a buffer (fill_tiles),
// then scored 4 centres at a time, so that each broadcast coordinate feeds 3 FMAs and 12
// independent accumulators hide the FMA latency. After each block, tile_done(first_row, rows,
// their labels) runs while its rows are in cache.
template <int C, class Tile>
Index by_rows(const float* X, Index n, Index stride, const packed_centers<float>& centers, int* labels,
              Tile&& tile_done) {
    constexpr int CB = C < 4 ? C : 4;
    const Index d = centers.n_features();
    const float* group = centers.group(0);
    const float* shift = centers.shift();
    std::vector<float, xsimd::aligned_allocator<float, 64>> tile(static_cast<std::size_t>(block_rows * d));
    // Rows fetched a few blocks ahead: the hardware prefetcher alone leaves loads waiting on memory.
    constexpr Index ahead = 3 * block_rows;
    Index changed = 0;
    for (Index i0 = 0; i0 < n; i0 += block_rows) {
        const Index rows = std::min(block_rows, n - i0);
        nearest::prefetch_rows(X, i0 + ahead, block_rows, n, stride, d);
        fill_tiles(X + i0 * stride, rows, stride, d, shift, tile.data());
        __m256 best[tiles], best_index[tiles];
        KESTREL_UNROLL
        for (int t = 0; t < tiles; ++t) {
            best[t] = _mm256_set1_ps(std::numeric_limits<float>::infinity());
            best_index[t] = _mm256_setzero_ps();
        }
        KESTREL_UNROLL
        for (int first = 0; first < C; first += CB) score_tiles<CB>(tile.data(), d, group, first, 0.0f, best, best_index);
        changed += store_block_labels(labels + i0, rows, best_index);
        tile_done(i0, rows, static_cast<const int*>(labels + i0));
    }
    return changed;
}

}  // namespace avx2
#endif

#undef KESTREL_UNROLL
#undef KESTREL_IN_REGISTER
#undef KESTREL_AVX512_BEGIN
#undef KESTREL_AVX512_END

/// Centres up to which `nearest_centers` puts rows rather than centres in the lanes: with half a
/// register of centres or fewer, the lanes the other layout wastes outweigh transposing the rows.
template <class T>
inline constexpr Index rows_in_lanes_max_centers = std::max<Index>(1, width<T> / 2);

/// labels[i] = the first j minimising ½‖c_j‖² − x_i·c_j (x_i and c_j both shifted), that is the
/// nearest centre, for the n rows of X starting `stride` elements apart. Register-blocked with no
/// n×k scores stored: up to `rows_in_lanes_max_centers<T>` centres, width<T> rows share a register
/// and meet one centre at a time (with AVX-512 or AVX2 float, up to one register of centres, the
/// rows transposed in registers); beyond, a tile of `nearest_rows<T>` rows meets two registers of
/// centres at a time (and, with AVX-512 or AVX2 float, a last register holding at most 4 centres
/// goes back to rows in the lanes). Both compute every score identically. Centre indices travel as T, exact
/// below 2^24 centres for float. Returns how many of the labels it overwrote changed.
template <class T>
Index nearest_centers(const T* X, Index n, Index stride, const packed_centers<T>& centers, int* labels) {
    return nearest_centers(X, n, stride, centers, labels, [](Index, Index, const int*) noexcept {});
}

/// nearest_centers, calling rows_done(first, count, labels) for consecutive runs of at most 256
/// rows (each starting a multiple of 4 rows in) once their labels are known, while the rows are
/// still in cache: `labels` points at those rows' labels, labels[0] being row `first`'s.
template <class T, class Rows>
Index nearest_centers(const T* X, Index n, Index stride, const packed_centers<T>& centers, int* labels,
                      Rows&& rows_done) {
    const Index k = centers.n_centers();
#if defined(__AVX512F__)
    if constexpr (std::is_same_v<T, float> && width<T> == 16) {
        if (k == 1) return avx512::by_rows<1>(X, n, stride, centers, labels, rows_done);
        if (k == 2) return avx512::by_rows<2>(X, n, stride, centers, labels, rows_done);
        if (k <= 4) return avx512::by_rows<4>(X, n, stride, centers, labels, rows_done);
        if (k <= 8) return avx512::by_rows<8>(X, n, stride, centers, labels, rows_done);
    }
#elif defined(__AVX2__) && defined(__FMA__)
    if constexpr (std::is_same_v<T, float> && width<T> == 8) {
        if (k == 1) return avx2::by_rows<1>(X, n, stride, centers, labels, rows_done);
        if (k == 2) return avx2::by_rows<2>(X, n, stride, centers, labels, rows_done);
        if (k <= 4) return avx2::by_rows<4>(X, n, stride, centers, labels, rows_done);
        if (k <= 8) return avx2::by_rows<8>(X, n, stride, centers, labels, rows_done);
    }
#endif
    // Tile by tile: the caller's work on each tile overlaps the scoring of the next.
    if (k > rows_in_lanes_max_centers<T>) return nearest::by_centers(X, n, stride, centers, labels, rows_done);
    // Chunks of about 16 KiB of rows, handed over while in the L1 cache; each chunk fetches
    // ahead into the next.
    const Index chunk = std::clamp<Index>((Index{16} << 10) / std::max<Index>(1, centers.n_features() * Index{sizeof(T)}) / 16 * 16, 16, 256);
    Index changed = 0;
    for (Index b = 0; b < n; b += chunk) {
        const Index rows = std::min(chunk, n - b);
        changed += nearest::by_rows(X + b * stride, rows, stride, centers, labels + b, n - b);
        rows_done(b, rows, static_cast<const int*>(labels + b));
    }
    return changed;
}

/// Σ swᵢ·(log(1 + e^zᵢ) − yᵢ zᵢ) with rᵢ = swᵢ·(σ(zᵢ) − yᵢ), as scalar::binomial_loss_gradient.
template <class T>
T binomial_loss_gradient(const T* z, const T* y, const T* sw, T* r, Index n) noexcept {
    constexpr Index w = width<T>;
    const batch<T> one(T(1)), zero(T(0));
    batch<T> acc(T(0));
    Index i = 0;
    for (; i + w <= n; i += w) {
        const auto zi = batch<T>::load_unaligned(z + i);
        const auto yi = batch<T>::load_unaligned(y + i);
        const auto wi = batch<T>::load_unaligned(sw + i);
        const auto e = xsimd::exp(-xsimd::abs(zi));
        const auto inv = one / (one + e);
        const auto p = xsimd::select(zi >= zero, inv, e * inv);
        acc = xsimd::fma(wi, xsimd::max(zi, zero) + xsimd::log1p(e) - yi * zi, acc);
        (wi * (p - yi)).store_unaligned(r + i);
    }
    return reduce_sum(acc) + scalar::binomial_loss_gradient(z + i, y + i, sw + i, r + i, n - i);
}

}  // namespace simd

}  // namespace kestrel::detail
