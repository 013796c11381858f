#pragma once
/// \file
/// The rule for vector code: the register batches are named only in core/simd/. Raw intrinsics
/// appear only in a file named for its instruction set (avx512.hpp, avx2.hpp), guarded once at
/// its top, beside a portable twin (generic.hpp) that holds the same scores to the same bits and
/// a test built with -march=native as well as portably (tests/*/test_*_kernels.cpp). The choice
/// of instruction set is made once, here.
///
/// k-means' nearest-centre assignment: the kernels of the compile-time target behind one entry.

#include "../../../core/types.hpp"
#include "avx2.hpp"
#include "avx512.hpp"
#include "generic.hpp"

namespace kestrel::cluster::detail::assign {

/// The hooks of the instruction set this translation unit is compiled for.
#if defined(__AVX512F__)
using native_isa = avx512::isa;
#elif defined(__AVX2__) && defined(__FMA__)
using native_isa = avx2::isa;
#else
using native_isa = portable_isa;
#endif

/// nearest_centers, calling rows_done(first, count, labels) for consecutive runs of at most 256
/// rows (each starting a multiple of 4 rows in) once their labels are known, while the rows are
/// still in cache: `labels` points at those rows' labels, labels[0] being row `first`'s.
template <class T, class Rows>
Index nearest_centers(const T* X, Index n, Index stride, const center_groups<T>& centers, int* labels,
                      Rows&& rows_done) {
    return generic::nearest_centers<native_isa>(X, n, stride, centers, labels, rows_done);
}

/// labels[i] = the first j minimising ½‖c_j‖² − x_i·c_j (x_i and c_j both shifted), that is the
/// nearest centre, for the n rows of X starting `stride` elements apart. Register-blocked with no
/// n×k scores stored: up to `rows_in_lanes_max_centers<T>` centres, width<T> rows share a register
/// and meet one centre at a time (with AVX-512 or AVX2 float, up to one register of centres, the
/// rows transposed in registers); beyond, a tile of `nearest_rows<T>` rows meets two registers of
/// centres at a time (and, with AVX-512 or AVX2 float, a last register holding at most 4 centres
/// goes back to rows in the lanes). Both compute every score identically. Centre indices travel
/// as T, exact below 2^24 centres for float. Returns how many of the labels it overwrote changed.
template <class T>
Index nearest_centers(const T* X, Index n, Index stride, const center_groups<T>& centers, int* labels) {
    return nearest_centers(X, n, stride, centers, labels, [](Index, Index, const int*) noexcept {});
}

/// The centres-in-lanes layout alone, on the target's kernels (for tests and benchmarks).
template <class T>
Index by_centers(const T* X, Index n, Index stride, const center_groups<T>& centers, int* labels) {
    return generic::by_centers<native_isa>(X, n, stride, centers, labels, [](Index, Index, const int*) noexcept {});
}

/// The rows-in-lanes layout alone, on the target's kernels (for tests and benchmarks).
template <class T>
Index by_rows(const T* X, Index n, Index stride, const center_groups<T>& centers, int* labels) {
    return generic::by_rows<native_isa>(X, n, stride, centers, labels);
}

/// scalar::transpose_tile<width<T>> on the target's kernels.
template <class T>
void transpose_tile(const T* X, Index rows, Index stride, Index d, T* out) noexcept {
    native_isa::transpose_tile(X, rows, stride, d, out);
}

}  // namespace kestrel::cluster::detail::assign
