#pragma once
/// \file
/// The portable nearest-centre kernels of k-means, on the register batches of core/simd, and
/// their plain-loop twins in `scalar`. Each algorithm takes an instruction set's hooks (`Isa`):
/// portable_isa below has none; avx512.hpp and avx2.hpp supply float kernels with raw intrinsics
/// that these algorithms call where they pay; assign.hpp picks the hooks of the target once.

#include "../../../core/detail/linear_rows.hpp"
#include <algorithm>
#include <cstddef>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

#include "../../../core/simd/batch.hpp"
#include "../../../core/types.hpp"

namespace kestrel::cluster::detail::assign {

namespace simd = kestrel::detail::simd;
using simd::batch;
using simd::width;

namespace scalar {

/// Centres as scalar::nearest_centers reads them, one after another: each shifted by −shift, with
/// half its squared norm.
template <class T>
class center_rows {
public:
    center_rows() = default;
    /// k centres of d features, rows `stride` apart; `shift` (d values) is subtracted from every centre.
    center_rows(const T* centers, Index k, Index d, Index stride, const T* shift)
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
Index nearest_centers(const T* X, Index n, Index stride, const center_rows<T>& centers, int* labels) noexcept {
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

}  // namespace scalar

/// Centres laid out for `nearest_centers`: groups of `width<T>` centres, each group holding its
/// centres' half squared norms then their coordinates feature by feature, one register wide,
/// every centre shifted by −shift. Lanes past the last centre hold +inf norms and zero coordinates.
template <class T>
class center_groups {
public:
    center_groups() = default;
    /// k centres of d features, rows `stride` apart; `shift` (d values) is subtracted from every centre.
    center_groups(const T* centers, Index k, Index d, Index stride, const T* shift)
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
                    norm = kestrel::detail::multiply_add(v, v, norm);  // as cluster::detail::nearest_center_row
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
    simd::aligned_vector<T> data_;  // whole cache lines per register load
    std::vector<T> shift_;
};

/// Rows of X that `nearest_centers` scores at once: as many as the registers hold beside the sums.
template <class T>
inline constexpr Index nearest_rows = sizeof(batch<T>) >= 64 ? 8 : 4;

/// Centres up to which `nearest_centers` puts rows rather than centres in the lanes: with half a
/// register of centres or fewer, the lanes the other layout wastes outweigh transposing the rows.
template <class T>
inline constexpr Index rows_in_lanes_max_centers = std::max<Index>(1, width<T> / 2);

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
    for (Index byte = 0; byte < d * Index{sizeof(T)}; byte += 64) simd::prefetch(bytes + byte);
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

/// The hooks of an instruction set without kernels of its own, and the interface the ISA files
/// fill in: `has_kernels<T>` tells whether by_rows<C> (rows in the lanes, for C ≥ k centres) and
/// fold_last_group (a last, nearly empty group of centres scored with rows in the lanes) exist for
/// T; last_group_by_rows(centers, stride) whether by_centers takes that route; last_group_rows<T>
/// how many rows it gathers for it, and last_group_tile whether fold_last_group needs a tile of
/// them; transpose_tile is scalar::transpose_tile<width<T>>, in registers where the ISA can;
/// keep_in_register(reg) pins a register where the compiler would reload it from memory.
struct portable_isa {
    template <class T>
    static constexpr bool has_kernels = false;
    template <class T>
    static constexpr Index last_group_rows = 1;
    static constexpr bool last_group_tile = false;

    template <class T>
    static bool last_group_by_rows(const center_groups<T>&, Index) noexcept {
        return false;
    }
    template <class T>
    static void transpose_tile(const T* X, Index rows, Index stride, Index d, T* out) noexcept {
        scalar::transpose_tile<width<T>>(X, rows, stride, d, out);
    }
    template <class R>
    static void keep_in_register(R&) noexcept {}
};

namespace generic {

// Scores R negated shifted rows (tile, R×d) against V consecutive groups of centres and folds
// them into each row's best score and index per lane; the strict comparison keeps the earlier
// (smaller) index on a tie.
template <class Isa, Index V, Index R, class T>
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
            Isa::keep_in_register(c[v].data);
        }
        KESTREL_UNROLL
        for (Index r = 0; r < R; ++r) {
            const batch<T> x(tile[r * d + f]);
            KESTREL_UNROLL
            for (Index v = 0; v < V; ++v) acc[r][v] = simd::fma(x, c[v], acc[r][v]);
        }
    }
    KESTREL_UNROLL
    for (Index v = 0; v < V; ++v) {
        const batch<T> index = lane_index + batch<T>(first_index + static_cast<T>(v * w));
        KESTREL_UNROLL
        for (Index r = 0; r < R; ++r) {
            const auto better = acc[r][v] < best[r];
            best[r] = simd::select(better, acc[r][v], best[r]);
            best_index[r] = simd::select(better, index, best_index[r]);
        }
    }
}

// Scores the C consecutive centres from `first` against a tile of width<T> rows stored feature by
// feature (tile[f·w + lane] for row `lane`) and folds them, in centre order, into each lane's best
// score and index; the strict comparison keeps the earlier centre on a tie. Each score is the same
// FMA chain, in the same order, as in score_groups, so both layouts give the same labels.
template <Index C, class T>
inline void score_centers(const T* tile, Index d, const center_groups<T>& centers, Index first, batch<T>& best,
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
        for (Index c = 0; c < C; ++c) acc[c] = simd::fma(x, batch<T>(coords[c][f * w]), acc[c]);
    }
    KESTREL_UNROLL
    for (Index c = 0; c < C; ++c) {
        const auto better = acc[c] < best;
        best = simd::select(better, acc[c], best);
        best_index = simd::select(better, batch<T>(static_cast<T>(first + c)), best_index);
    }
}

// The index of the nearest centre for each lane of a tile (see score_centers).
template <class T>
inline batch<T> tile_nearest(const T* tile, Index d, const center_groups<T>& centers) noexcept {
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

// nearest_centers with centres in the lanes: a tile of nearest_rows<T> rows against two groups of
// width<T> centres at a time, then one horizontal argmin per row; a last group that
// last_group_by_rows picks then meets last_group_rows<T> rows at once, one per lane. After each
// tile (or each such run of rows), tile_done(first_row, rows, their labels) runs while the rows
// are in cache, its work overlapping the scoring of the next.
template <class Isa, class T, class Tile>
Index by_centers(const T* X, Index n, Index stride, const center_groups<T>& centers, int* labels, Tile&& tile_done) {
    constexpr Index w = width<T>;
    constexpr Index R = nearest_rows<T>;
    const Index d = centers.n_features();
    const bool last_by_rows = Isa::last_group_by_rows(centers, stride);
    const Index lane_groups = centers.n_groups() - (last_by_rows ? 1 : 0);
    const Index group_stride = centers.group_stride();
    const T* shift = centers.shift();
    // The tile on the stack unless it is large: the kernel runs once per block of rows.
    constexpr Index stack_values = 4096 / Index{sizeof(T)};
    alignas(64) T stack_tile[stack_values];
    std::vector<T> heap_tile(R * d > stack_values ? static_cast<std::size_t>(R * d) : 0);
    T* const tile_data = R * d > stack_values ? heap_tile.data() : stack_tile;
    const batch<T> lane_index = simd::lane_numbers<T>();
    // With the last group by rows: the best score and centre so far of each of the rows it meets,
    // and (AVX2) those rows in the lanes.
    constexpr Index last_rows = Isa::template last_group_rows<T>;
    [[maybe_unused]] alignas(64) T row_score[last_rows] = {};
    [[maybe_unused]] alignas(64) T row_center[last_rows] = {};
    [[maybe_unused]] simd::aligned_vector<T> by_rows_tile(
        last_by_rows && Isa::last_group_tile ? static_cast<std::size_t>(last_rows * d) : 0);
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
            score_groups<Isa, 2, R>(tile_data, d, centers.group(g), group_stride, static_cast<T>(g * w), lane_index,
                                    best, best_index);
        }
        if (g < lane_groups) {
            score_groups<Isa, 1, R>(tile_data, d, centers.group(g), group_stride, static_cast<T>(g * w), lane_index,
                                    best, best_index);
        }
        if (!last_by_rows) {
            for (Index r = 0; r < rows; ++r)
                changed += store_label(labels + i0 + r, simd::lane_argmin(best[r], best_index[r]));
            tile_done(i0, rows, static_cast<const int*>(labels + i0));
            continue;
        }
        if constexpr (Isa::template has_kernels<T>) {
            constexpr Index block = last_rows;
            static_assert(block % R == 0, "tiles fill a block of rows");
            const Index at = i0 % block;
            for (Index r = 0; r < rows; ++r)
                row_center[at + r] = simd::lane_argmin(best[r], best_index[r], row_score[at + r]);
            if (at + R == block || i0 + rows == n) {
                const Index first = i0 - at, count = at + rows;
                changed += Isa::fold_last_group(X + first * stride, count, stride, centers, lane_groups, row_score,
                                                row_center, labels + first, by_rows_tile.data());
                tile_done(first, count, static_cast<const int*>(labels + first));
            }
        }
    }
    return changed;
}

// nearest_centers with rows in the lanes, for few centres: width<T> rows, transposed so that lane
// r holds row r, are scored against one broadcast centre at a time, so no lane is wasted on a
// missing centre and no row needs a horizontal argmin.
template <class Isa, class T>
Index by_rows(const T* X, Index n, Index stride, const center_groups<T>& centers, int* labels, Index readable = -1) {
    if (readable < n) readable = n;
    constexpr Index w = width<T>;
    const Index d = centers.n_features();
    simd::aligned_vector<T> tiles(static_cast<std::size_t>(2 * d * w));
    T* current = tiles.data();
    T* next = tiles.data() + d * w;
    alignas(64) T lanes[w];
    Index changed = 0;
    if (n > 0) Isa::transpose_tile(X, std::min(w, n), stride, d, next);
    for (Index i0 = 0; i0 < n; i0 += w) {
        std::swap(current, next);
        // The following tile is transposed before this one is scored: a register loaded right
        // after being written lane by lane would wait for the scalar stores to reach the cache.
        // Rows a few tiles ahead are fetched meanwhile, one tile ahead being too late to hide memory.
        if (i0 + w < n) {
            constexpr Index ahead = 4 * w;
            for (Index i = i0 + ahead; i < std::min(readable, i0 + ahead + w); ++i) prefetch_row(X + i * stride, d);
            Isa::transpose_tile(X + (i0 + w) * stride, std::min(w, n - i0 - w), stride, d, next);
        }
        tile_nearest(current, d, centers).store_aligned(lanes);
        for (Index r = 0, rows = std::min(w, n - i0); r < rows; ++r) changed += store_label(labels + i0 + r, lanes[r]);
    }
    return changed;
}

/// assign::nearest_centers (see assign.hpp) with the kernels of `Isa`: up to
/// rows_in_lanes_max_centers<T> centres (or, with Isa's kernels, up to 8) by rows, beyond by
/// centres; rows_done(first, count, labels) runs for consecutive runs of at most 256 rows.
template <class Isa, class T, class Rows>
Index nearest_centers(const T* X, Index n, Index stride, const center_groups<T>& centers, int* labels,
                      Rows&& rows_done) {
    const Index k = centers.n_centers();
    if constexpr (Isa::template has_kernels<T>) {
        if (k == 1) return Isa::template by_rows<1>(X, n, stride, centers, labels, rows_done);
        if (k == 2) return Isa::template by_rows<2>(X, n, stride, centers, labels, rows_done);
        if (k <= 4) return Isa::template by_rows<4>(X, n, stride, centers, labels, rows_done);
        if (k <= 8) return Isa::template by_rows<8>(X, n, stride, centers, labels, rows_done);
    }
    // Tile by tile: the caller's work on each tile overlaps the scoring of the next.
    if (k > rows_in_lanes_max_centers<T>) return by_centers<Isa>(X, n, stride, centers, labels, rows_done);
    // Chunks of about 16 KiB of rows, handed over while in the L1 cache; each chunk fetches
    // ahead into the next.
    const Index chunk = std::clamp<Index>(
        (Index{16} << 10) / std::max<Index>(1, centers.n_features() * Index{sizeof(T)}) / 16 * 16, 16, 256);
    Index changed = 0;
    for (Index b = 0; b < n; b += chunk) {
        const Index rows = std::min(chunk, n - b);
        changed += by_rows<Isa>(X + b * stride, rows, stride, centers, labels + b, n - b);
        rows_done(b, rows, static_cast<const int*>(labels + b));
    }
    return changed;
}

}  // namespace generic

}  // namespace kestrel::cluster::detail::assign
