#pragma once
/// \file
/// The Gram matrix Σᵢ vᵢvᵢᵀ of shifted, weighted rows vᵢ = √wᵢ (xᵢ − s) of a row-major matrix, at
/// close to the machine's FMA peak: the normal equations of least squares and the Hessian XᵀDX of
/// Newton's method are this product.
///
/// Rows are taken in blocks of up to `gram_accumulator::block_rows`. Each block is packed once,
/// shifted and weighted, into panels of one register's width (panel p holds columns p·W … p·W+W−1
/// of every row of the block, row after row), so that the product reads every operand with
/// aligned, sequential loads. A register tile of 3 panels × NR columns (24 × 8 doubles on
/// AVX-512, 12 × 4 on AVX2) then accumulates 3·NR registers over the block's rows, one FMA per
/// loaded element of the tile's column and broadcast element of its row; only tiles touching the
/// lower triangle are computed, with three panels wherever they can: the last one or two panels'
/// products with the columns before them are taken as their mirror image and stored so, which
/// only `at()` reads. While a block is multiplied, the next block's rows are prefetched, so that
/// the memory read of X overlaps the arithmetic instead of preceding it.
///
/// The sums run in row order within a block and blocks are added in order: the result depends on
/// the rows and the block boundaries only, never on a thread count.

#include <algorithm>
#include <cstddef>
#include <type_traits>
#include <vector>

#include "../types.hpp"
#include "batch.hpp"

namespace kestrel::detail::simd {

namespace scalar {

/// Plain-loop twin of gram_accumulator: G (column-major, d × d, leading dimension ldg) lower
/// triangle += Σᵢ vᵢvᵢᵀ over m rows of X (row stride ld), vᵢ = rwᵢ (xᵢ − s) (rw null: 1).
template <class T>
void gram_update(const T* X, Index ld, Index m, Index d, const T* shift, const T* root_w, T* G, Index ldg) {
    std::vector<T> v(static_cast<std::size_t>(d));
    for (Index i = 0; i < m; ++i) {
        const T r = root_w != nullptr ? root_w[i] : T(1);
        for (Index j = 0; j < d; ++j) v[static_cast<std::size_t>(j)] = r * (X[i * ld + j] - shift[j]);
        for (Index c = 0; c < d; ++c) {
            for (Index a = c; a < d; ++a) G[c * ldg + a] += v[static_cast<std::size_t>(a)] * v[static_cast<std::size_t>(c)];
        }
    }
}

}  // namespace scalar

/// Accumulates the lower triangle of Σᵢ vᵢvᵢᵀ, vᵢ = √wᵢ (xᵢ − s), over blocks of rows; also gives
/// Σᵢ cᵢ vᵢ for coefficients c of the block's rows (Xᵀy and the column sums of the normal
/// equations) from the packed block.
template <class T>
class gram_accumulator {
public:
    /// Rows a block holds at most.
    static constexpr Index block_rows = 64;

    /// The Gram matrix of d columns, plus `extra` columns given with each block (pack's `extras`),
    /// whose products with the d columns and with each other come out of the same tiles.
    explicit gram_accumulator(Index d, Index extra = 0)
        : d_(d), extra_(extra), panels_((d + extra + W - 1) / W),
          packed_(static_cast<std::size_t>(panels_ * panel_stride)),
          gram_(static_cast<std::size_t>(panels_ * W * panels_ * W), T(0)) {}

    /// Whether `extra` more columns fit in the padding of d columns' last panel: then they add
    /// no panel, and at most a few column blocks of tiles.
    [[nodiscard]] static constexpr bool fits_in_padding(Index d, Index extra) noexcept {
        return (d + extra + W - 1) / W == (d + W - 1) / W;
    }

    /// Packs rows [0, m) of X (row stride ld, m ≤ block_rows): √wᵢ (xᵢ − s), root_w null for
    /// weights 1; then the extra columns, extras[e][i] for row i, as given. The padding columns of
    /// the last panel stay zero. X may be of another precision than T (float data packed for a
    /// double Gram), converted on the way.
    template <class S>
    void pack(const S* X, Index ld, Index m, const T* shift, const T* root_w, const T* const* extras = nullptr) {
        rows_ = m;
        const Index full = d_ / W;
        for (Index i = 0; i < m; ++i) {
            const S* x = X + i * ld;
            const T rs = root_w != nullptr ? root_w[i] : T(1);
            if constexpr (std::is_same_v<S, T>) {
                if (root_w != nullptr) {
                    const batch<T> r(rs);
                    for (Index p = 0; p < full; ++p) {
                        const batch<T> v = batch<T>::load_unaligned(x + p * W) - batch<T>::load_unaligned(shift + p * W);
                        (v * r).store_aligned(panel(p) + i * W);
                    }
                } else {
                    for (Index p = 0; p < full; ++p) {
                        const batch<T> v = batch<T>::load_unaligned(x + p * W) - batch<T>::load_unaligned(shift + p * W);
                        v.store_aligned(panel(p) + i * W);
                    }
                }
            } else {
                // A register's width at a time: a loop of fixed length, which the compiler turns
                // into one conversion.
                for (Index p = 0; p < full; ++p) {
                    T* out = panel(p) + i * W;
                    const S* xp = x + p * W;
                    const T* sp = shift + p * W;
                    for (Index j = 0; j < W; ++j) out[j] = rs * (static_cast<T>(xp[j]) - sp[j]);
                }
            }
            // The last panels: the rest of the data columns, then the extra columns. Their padding
            // columns were zeroed with the buffer and are never written.
            Index c = full * W;
            for (; c < d_; ++c) panel(full)[i * W + c % W] = rs * (static_cast<T>(x[c]) - shift[c]);
            for (Index e = 0; e < extra_; ++e, ++c) panel(c / W)[i * W + c % W] = extras[e][i];
        }
    }

    /// Adds the packed block's Σ vᵢvᵢᵀ to the lower triangle, prefetching `next_bytes` bytes from
    /// `next` (the next block's rows; null for none) along the way, a cache line every few FMAs.
    ///
    /// Tiles span three panels of rows. When the panels do not divide by three, the last one or
    /// two panels' products with the columns before them are taken as their mirror image, three
    /// panels of those columns against the last panels' columns, so that every tile off the
    /// diagonal has three panels (one- and two-panel tiles load almost one operand per FMA).
    /// Column blocks holding padding only are skipped.
    void update(const void* next = nullptr, std::size_t next_bytes = 0) {
        // Register tiles, and the prefetches spread evenly over them.
        Index tiles = 0;
        for_each_tile([&](Index, Index, Index) { ++tiles; });
        const char* fetch = static_cast<const char*>(next);
        Index lines = next != nullptr ? static_cast<Index>((next_bytes + 63) / 64) : 0;
        const Index per_tile = (lines + tiles - 1) / std::max<Index>(tiles, 1);
        const Index ldg = leading_dimension();
        for_each_tile([&](Index first, Index rows, Index j0) {
            const T* b = panel(j0 / W) + j0 % W;
            T* g = gram_.data() + j0 * ldg + first * W;
            const Index count = std::clamp<Index>(lines, 0, per_tile);
            const Index columns = std::min(NR, d_ + extra_ - j0);
            switch (rows) {
                case 3:
                    tile_columns<3, NR>(columns, panel(first), b, g, ldg, fetch, count);
                    break;
                case 2:
                    tile_columns<2, NR>(columns, panel(first), b, g, ldg, fetch, count);
                    break;
                default:
                    tile_columns<1, NR>(columns, panel(first), b, g, ldg, fetch, count);
                    break;
            }
            fetch += 64 * count;
            lines -= count;
        });
    }

    /// out[j] += Σᵢ c[i]·vᵢⱼ over the packed block's rows, j < d: four chains of FMAs (rows i mod
    /// 4) added at the end, so that the FMA latency does not set the pace.
    void weighted_column_sums(const T* c, T* out) const {
        for (Index p = 0; p < panels_; ++p) {
            const T* a = panel(p);
            batch<T> acc0(T(0)), acc1(T(0)), acc2(T(0)), acc3(T(0));
            Index i = 0;
            for (; i + 4 <= rows_; i += 4) {
                acc0 = fma(batch<T>(c[i]), batch<T>::load_aligned(a + i * W), acc0);
                acc1 = fma(batch<T>(c[i + 1]), batch<T>::load_aligned(a + (i + 1) * W), acc1);
                acc2 = fma(batch<T>(c[i + 2]), batch<T>::load_aligned(a + (i + 2) * W), acc2);
                acc3 = fma(batch<T>(c[i + 3]), batch<T>::load_aligned(a + (i + 3) * W), acc3);
            }
            for (; i < rows_; ++i) acc0 = fma(batch<T>(c[i]), batch<T>::load_aligned(a + i * W), acc0);
            const batch<T> acc = (acc0 + acc1) + (acc2 + acc3);
            alignas(64) T lanes[W];
            acc.store_aligned(lanes);
            const Index n = std::min<Index>(W, d_ - p * W);
            for (Index j = 0; j < n; ++j) out[p * W + j] += lanes[j];
        }
    }

    /// The accumulated lower triangle written into G's (an Eigen matrix, d × d), its upper
    /// triangle set to zero.
    template <class M>
    void lower_triangle(M& G) const {
        G.setZero(d_, d_);
        for (Index col = 0; col < d_; ++col) {
            for (Index row = col; row < d_; ++row) G(row, col) = at(row, col);
        }
    }

    /// Element (a, c), a ≥ c, of the accumulated lower triangle; the extra columns are
    /// a = d … d + extra − 1.
    [[nodiscard]] T at(Index a, Index c) const noexcept {
        const Index tail = tail_first() * W, ld = panels_ * W;
        // The last panels' products with the columns before them are stored as their mirror image.
        return a >= tail && c < tail ? gram_[static_cast<std::size_t>(a * ld + c)]
                                     : gram_[static_cast<std::size_t>(c * ld + a)];
    }

private:
    static constexpr Index W = width<T>;
    // Columns of a register tile: 8 where there are 32 vector registers (AVX-512), else 4, and
    // never more than a panel holds.
    static constexpr Index NR = std::min<Index>(W, sizeof(batch<float>) >= 64 ? 8 : 4);

    // Panels lie one cache line further apart than they need, so that the same row of successive
    // panels does not fall in the same cache set (4 KB aliasing while packing).
    static constexpr Index panel_stride = block_rows * W + 64 / static_cast<Index>(sizeof(T));

    T* panel(Index p) noexcept { return packed_.data() + p * panel_stride; }
    [[nodiscard]] const T* panel(Index p) const noexcept { return packed_.data() + p * panel_stride; }

    [[nodiscard]] Index leading_dimension() const noexcept { return panels_ * W; }

    // The first panel of the last group of rows when the panels do not divide by three (its rows'
    // products with earlier columns are stored mirrored); panels_ when they do.
    [[nodiscard]] Index tail_first() const noexcept { return panels_ - panels_ % 3; }

    // Calls f(first panel, panels, first column) for each register tile of an update, in order:
    // for each group of three panels of rows, the column blocks up to its diagonal, then those of
    // the last (one or two) panels, mirrored; then the last panels' own diagonal. Column blocks of
    // padding only are skipped.
    template <class F>
    void for_each_tile(F&& f) const {
        const Index tail = tail_first(), used = d_ + extra_;
        for (Index p0 = 0; p0 < tail; p0 += 3) {
            // Within the diagonal block, the tile starts at the panel holding column j0: the
            // panels above it would only fill the upper triangle.
            for (Index j0 = 0; j0 < std::min(used, (p0 + 3) * W); j0 += NR) {
                const Index first = std::max(p0, j0 / W);
                f(first, p0 + 3 - first, j0);
            }
            for (Index j0 = tail * W; j0 < used; j0 += NR) f(p0, Index{3}, j0);
        }
        for (Index j0 = tail * W; j0 < used; j0 += NR) {
            const Index first = std::max(tail, j0 / W);
            f(first, panels_ - first, j0);
        }
    }

    // tile<MP, NC> for the narrowest NC ≤ Max, in steps of two, that covers `columns`: the last
    // column block, which holds the padding of the last panel, computes only the columns in use,
    // rounded up to an even count (d = 100 on AVX-512: 4 of 8, which saves 7% of the FMAs; the
    // normal equations' two extra columns make it 6).
    template <int MP, Index Max>
    void tile_columns(Index columns, const T* a, const T* b, T* g, Index ldg, const char* fetch,
                      Index fetch_lines) const noexcept {
        if constexpr (Max > 2) {
            if (columns <= Max - 2) {
                tile_columns<MP, Max - 2>(columns, a, b, g, ldg, fetch, fetch_lines);
                return;
            }
        }
        tile<MP, Max>(a, b, g, ldg, fetch, fetch_lines);
    }

    // G[i0 … i0 + MP·W, j0 … j0 + NC] += Σ over the block's rows of a-panels ⊗ b-columns.
    // `fetch_lines` cache lines from `fetch` are prefetched over the rows, one every few of them.
    template <int MP, Index NC>
    void tile(const T* a, const T* b, T* g, Index ldg, const char* fetch, Index fetch_lines) const noexcept {
        constexpr Index stride = panel_stride;
        batch<T> acc[MP][NC];
        KESTREL_UNROLL
        for (int v = 0; v < MP; ++v) {
            KESTREL_UNROLL
            for (Index j = 0; j < NC; ++j) acc[v][j] = batch<T>(T(0));
        }
        const Index every = std::max<Index>(1, rows_ / std::max<Index>(fetch_lines, 1));
        for (Index k = 0, fetched = 0, wait = 0; k < rows_; ++k) {
            if (fetched < fetch_lines && --wait <= 0) {
                prefetch_l2(fetch + 64 * fetched++);
                wait = every;
            }
            batch<T> av[MP];
            KESTREL_UNROLL
            for (int v = 0; v < MP; ++v) av[v] = batch<T>::load_aligned(a + v * stride + k * W);
            const T* bk = b + k * W;
            KESTREL_UNROLL
            for (Index j = 0; j < NC; ++j) {
                const batch<T> bj(bk[j]);
                KESTREL_UNROLL
                for (int v = 0; v < MP; ++v) acc[v][j] = fma(av[v], bj, acc[v][j]);
            }
        }
        KESTREL_UNROLL
        for (Index j = 0; j < NC; ++j) {
            KESTREL_UNROLL
            for (int v = 0; v < MP; ++v) {
                T* out = g + j * ldg + v * W;
                (batch<T>::load_aligned(out) + acc[v][j]).store_aligned(out);
            }
        }
    }

    Index d_, extra_, panels_, rows_ = 0;
    aligned_vector<T> packed_;
    aligned_vector<T> gram_;
};

}  // namespace kestrel::detail::simd
