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
template <class T>
void nearest_centers(const T* X, Index n, Index stride, const packed_centers<T>& centers, int* labels) noexcept {
    const Index d = centers.n_features();
    const T* shift = centers.shift();
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
        labels[i] = best_index;
    }
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
// smallest score, then one for the smallest index holding it.
template <class T>
T lane_argmin(const batch<T>& b, const batch<T>& index) noexcept {
    const auto lowest = all_lanes_min(b);
    const auto candidates = xsimd::select(b == lowest, index, batch<T>(std::numeric_limits<T>::max()));
    alignas(64) T lanes[batch<T>::size];
    all_lanes_min(candidates).store_aligned(lanes);
    return lanes[0];
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
        for (Index v = 0; v < V; ++v) c[v] = batch<T>::load_unaligned(coords + v * group_stride + f * w);
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

#undef KESTREL_UNROLL

// Asks for the d values of a row ahead of their use: the hardware prefetcher alone leaves the first
// touch of each row waiting on memory while the kernels are busy scoring.
template <class T>
inline void prefetch_row(const T* row, Index d) noexcept {
    const char* bytes = reinterpret_cast<const char*>(row);
    for (Index byte = 0; byte < d * Index{sizeof(T)}; byte += 64) __builtin_prefetch(bytes + byte);
}

// nearest_centers with centres in the lanes: a tile of nearest_rows<T> rows against two groups of
// width<T> centres at a time, then one horizontal argmin per row.
template <class T>
void by_centers(const T* X, Index n, Index stride, const packed_centers<T>& centers, int* labels) {
    constexpr Index w = width<T>;
    constexpr Index R = nearest_rows<T>;
    const Index d = centers.n_features();
    const Index groups = centers.n_groups();
    const Index group_stride = centers.group_stride();
    const T* shift = centers.shift();
    std::vector<T> tile(static_cast<std::size_t>(R * d));
    alignas(64) T lanes[w];
    for (Index l = 0; l < w; ++l) lanes[l] = static_cast<T>(l);
    const auto lane_index = batch<T>::load_aligned(lanes);
    for (Index i0 = 0; i0 < n; i0 += R) {
        const Index rows = std::min(R, n - i0);
        // Shifting each row once here keeps ‖c‖² − 2x·c free of the cancellation a large mean causes;
        // storing shift − x lets the scoring loop use plain FMAs with broadcasts straight from memory.
        for (Index r = 0; r < R; ++r) {
            T* out = tile.data() + r * d;
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
        for (; g + 2 <= groups; g += 2) {
            score_groups<2, R>(tile.data(), d, centers.group(g), group_stride, static_cast<T>(g * w), lane_index, best,
                               best_index);
        }
        if (g < groups) {
            score_groups<1, R>(tile.data(), d, centers.group(g), group_stride, static_cast<T>(g * w), lane_index, best,
                               best_index);
        }
        for (Index r = 0; r < rows; ++r) labels[i0 + r] = static_cast<int>(lane_argmin(best[r], best_index[r]));
    }
}

// nearest_centers with rows in the lanes, for few centres: width<T> rows, transposed so that lane
// r holds row r, are scored against one broadcast centre at a time, so no lane is wasted on a
// missing centre and no row needs a horizontal argmin.
template <class T>
void by_rows(const T* X, Index n, Index stride, const packed_centers<T>& centers, int* labels) {
    constexpr Index w = width<T>;
    const Index d = centers.n_features();
    std::vector<T, xsimd::aligned_allocator<T, 64>> tiles(static_cast<std::size_t>(2 * d * w));
    T* current = tiles.data();
    T* next = tiles.data() + d * w;
    alignas(64) T lanes[w];
    if (n > 0) scalar::transpose_tile<w>(X, std::min(w, n), stride, d, next);
    for (Index i0 = 0; i0 < n; i0 += w) {
        std::swap(current, next);
        // The following tile is transposed before this one is scored: a register loaded right
        // after being written lane by lane would wait for the scalar stores to reach the cache.
        // The tile after that is fetched meanwhile, one tile ahead being too late to hide memory.
        if (i0 + w < n) {
            for (Index i = i0 + 2 * w; i < std::min(n, i0 + 3 * w); ++i) prefetch_row(X + i * stride, d);
            scalar::transpose_tile<w>(X + (i0 + w) * stride, std::min(w, n - i0 - w), stride, d, next);
        }
        tile_nearest(current, d, centers).store_aligned(lanes);
        for (Index r = 0, rows = std::min(w, n - i0); r < rows; ++r) labels[i0 + r] = static_cast<int>(lanes[r]);
    }
}

}  // namespace nearest

/// Centres up to which `nearest_centers` puts rows rather than centres in the lanes: with half a
/// register of centres or fewer, the lanes the other layout wastes outweigh transposing the rows.
template <class T>
inline constexpr Index rows_in_lanes_max_centers = std::max<Index>(1, width<T> / 2);

/// labels[i] = the first j minimising ½‖c_j‖² − x_i·c_j (x_i and c_j both shifted), that is the
/// nearest centre, for the n rows of X starting `stride` elements apart. Register-blocked with no
/// n×k scores stored: up to `rows_in_lanes_max_centers<T>` centres, width<T> rows share a register
/// and meet one centre at a time; beyond, a tile of `nearest_rows<T>` rows meets two registers of
/// centres at a time. Both compute every score identically. Centre indices travel as T, exact
/// below 2^24 centres for float.
template <class T>
void nearest_centers(const T* X, Index n, Index stride, const packed_centers<T>& centers, int* labels) {
    if (centers.n_centers() <= rows_in_lanes_max_centers<T>) {
        nearest::by_rows(X, n, stride, centers, labels);
    } else {
        nearest::by_centers(X, n, stride, centers, labels);
    }
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
