// Micro-benchmarks of k-means' nearest-centre assignment (cluster/detail/assign/), one core, one
// pass over X per iteration, so that its tuned thresholds are measured on more than K1 and K2:
//   BM_kmeans_assign/<T>/k<k>/d<d>/<l2|ram>/<variant>
// for k in {2, 4, 5, 8, 9, 12, 16, 32, 100}, d in {2, 8, 16, 50, 64}, float and double, with X
// about 256 KiB (in the L2 cache) or 128 MiB (from memory). Variants:
//   nearest        assign::nearest_centers, what Lloyd runs
//   centers        centres in the lanes (by_centers), where nearest takes rows in the lanes
//   rows           the portable rows-in-lanes kernel (generic by_rows), up to one register of
//                  centres, where nearest takes another path
//   rows_isa       the instruction set's rows-in-lanes kernel for a whole register of centres,
//                  where nearest stops at 8 (AVX-512 float: k = 9..16)
//   centers_lanes  by_centers with its last group kept in the lanes, where nearest scores that
//                  group (at most 4 centres) with rows in the lanes
// plus BM_kmeans_assign_last/float/k<k>/... for last groups of 1, 2, 4 and 5 centres. Counters:
// rows/s, FLOP/s (2·k·d per row) and bytes/s (one read of X).
#include <algorithm>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include <kestrel/cluster/detail/assign/assign.hpp>
#include <kestrel/core/random.hpp>
#include <kestrel/core/types.hpp>

#include "../support/data.hpp"
#include "../support/harness.hpp"

namespace kestrel::bench {
namespace {

namespace assign = kestrel::cluster::detail::assign;
using benchmark::Counter;

enum class Footprint { l2, ram };

// Rows of d values of T that make X about 256 KiB (in L2) or 128 MiB (four times this host's L3);
// a smoke run takes a few tiles and a tail.
Index rows_for(Footprint footprint, Index d, Index value_bytes) {
    if (smoke()) return footprint == Footprint::l2 ? 67 : 261;
    const Index bytes = footprint == Footprint::l2 ? Index{256} << 10 : Index{128} << 20;
    return std::max<Index>(64, bytes / (d * value_bytes));
}

// One problem per scalar type, kept while consecutive benchmarks ask for the same X (they are
// registered in that order), so that only one large X is held at a time.
template <class T>
struct problem {
    Matrix<T> X;
    Matrix<T> centers;
    Vector<T> shift;
    std::vector<int> labels;
    Index k = -1;
};

template <class T>
problem<T>& data(Index n, Index d, Index k) {
    static problem<T> p;
    if (p.X.rows() != n || p.X.cols() != d) {
        random_engine rng(static_cast<std::uint64_t>(n * 131 + d));
        p.X.resize(n, d);
        for (Index i = 0; i < p.X.size(); ++i) p.X.data()[i] = rng.uniform(T(-1), T(1));
        p.shift = p.X.colwise().mean().transpose();
        p.labels.assign(static_cast<std::size_t>(n), -1);
        p.k = -1;
    }
    if (p.k != k) {
        random_engine rng(static_cast<std::uint64_t>(k));
        p.centers.resize(k, d);
        for (Index j = 0; j < k; ++j) p.centers.row(j) = p.X.row(rng.index_below(n));
        p.k = k;
    }
    return p;
}

// The native hooks with the last group of centres always left in the lanes.
struct lanes_last_isa : assign::native_isa {
    template <class T>
    static bool last_group_by_rows(const assign::center_groups<T>&, Index) noexcept {
        return false;
    }
};

// Whether nearest_centers scores a last group of k centres of d features with rows in the lanes.
template <class T>
bool last_group_by_rows(Index k, Index d) {
    const std::vector<T> centers(static_cast<std::size_t>(k * d), T(0)), shift(static_cast<std::size_t>(d), T(0));
    return assign::native_isa::last_group_by_rows(assign::center_groups<T>(centers.data(), k, d, d, shift.data()), d);
}

template <class Isa, int C, class T>
Index isa_rows(const T* X, Index n, Index stride, const assign::center_groups<T>& centers, int* labels) {
    return Isa::template by_rows<C>(X, n, stride, centers, labels, [](Index, Index, const int*) noexcept {});
}

template <class T, class Kernel>
void time_kernel(benchmark::State& state, Footprint footprint, Index k, Index d, Kernel kernel) {
    problem<T>& p = data<T>(rows_for(footprint, d, Index{sizeof(T)}), d, k);
    const assign::center_groups<T> centers(p.centers.data(), k, d, d, p.shift.data());
    const Index n = p.X.rows();
    for (auto _ : state) {
        benchmark::DoNotOptimize(kernel(p.X.data(), n, d, centers, p.labels.data()));
        benchmark::ClobberMemory();
    }
    const auto rows = static_cast<double>(n);
    state.counters["rows/s"] = Counter(rows, Counter::kIsIterationInvariantRate);
    state.counters["FLOP/s"] = Counter(2.0 * rows * static_cast<double>(k * d), Counter::kIsIterationInvariantRate);
    state.counters["bytes/s"] =
        Counter(rows * static_cast<double>(d * Index{sizeof(T)}), Counter::kIsIterationInvariantRate);
}

template <class T, class Kernel>
void add_kernel(const std::string& group, Footprint footprint, Index k, Index d, const std::string& variant,
                Kernel kernel) {
    const std::string name = group + "/" + (sizeof(T) == 4 ? "float" : "double") + "/k" + std::to_string(k) + "/d" +
                             std::to_string(d) + (footprint == Footprint::l2 ? "/l2/" : "/ram/") + variant;
    auto* b = add(name, [=](benchmark::State& state) { time_kernel<T>(state, footprint, k, d, kernel); });
    b->Unit(benchmark::kMicrosecond);
    // Hundreds of cases: a short minimum time each keeps a full run within minutes.
    if (!smoke()) b->MinTime(0.05);
}

template <class T>
void add_sweep() {
    constexpr Index w = assign::width<T>;
    constexpr bool isa_kernels = assign::native_isa::template has_kernels<T>;
    // The rows-in-lanes path nearest_centers takes up to this many centres.
    constexpr Index rows_max = isa_kernels ? 8 : assign::rows_in_lanes_max_centers<T>;
    const std::string group = "BM_kmeans_assign";
    for (const Index d : {2, 8, 16, 50, 64}) {
        for (const Footprint footprint : {Footprint::l2, Footprint::ram}) {
            for (const Index k : {2, 4, 5, 8, 9, 12, 16, 32, 100}) {
                add_kernel<T>(group, footprint, k, d, "nearest",
                              [](const T* X, Index n, Index s, const assign::center_groups<T>& c, int* l) {
                                  return assign::nearest_centers(X, n, s, c, l);
                              });
                if (k <= rows_max) {
                    add_kernel<T>(group, footprint, k, d, "centers",
                                  [](const T* X, Index n, Index s, const assign::center_groups<T>& c, int* l) {
                                      return assign::by_centers(X, n, s, c, l);
                                  });
                }
                if ((k > rows_max || isa_kernels) && k <= w) {
                    add_kernel<T>(group, footprint, k, d, "rows",
                                  [](const T* X, Index n, Index s, const assign::center_groups<T>& c, int* l) {
                                      return assign::by_rows(X, n, s, c, l);
                                  });
                }
                if constexpr (isa_kernels) {
                    if (k > rows_max && k <= w) {
                        add_kernel<T>(group, footprint, k, d, "rows_isa",
                                      [](const T* X, Index n, Index s, const assign::center_groups<T>& c, int* l) {
                                          return isa_rows<assign::native_isa, static_cast<int>(w)>(X, n, s, c, l);
                                      });
                    }
                }
                if (last_group_by_rows<T>(k, d)) {
                    add_kernel<T>(group, footprint, k, d, "centers_lanes",
                                  [](const T* X, Index n, Index s, const assign::center_groups<T>& c, int* l) {
                                      return assign::generic::by_centers<lanes_last_isa>(
                                          X, n, s, c, l, [](Index, Index, const int*) noexcept {});
                                  });
                }
            }
        }
    }
}

// Last groups of 1, 2, 4 (scored with rows in the lanes where the instruction set can) and 5
// centres (always in the lanes), each against the same groups kept in the lanes.
void add_last_group_sweep() {
    using T = float;
    constexpr Index w = assign::width<T>;
    for (const Index d : {8, 50}) {
        for (const Footprint footprint : {Footprint::l2, Footprint::ram}) {
            for (const Index k : {w + 1, w + 2, w + 4, w + 5}) {
                add_kernel<T>("BM_kmeans_assign_last", footprint, k, d, "nearest",
                              [](const T* X, Index n, Index s, const assign::center_groups<T>& c, int* l) {
                                  return assign::nearest_centers(X, n, s, c, l);
                              });
                add_kernel<T>("BM_kmeans_assign_last", footprint, k, d, "centers_lanes",
                              [](const T* X, Index n, Index s, const assign::center_groups<T>& c, int* l) {
                                  return assign::generic::by_centers<lanes_last_isa>(
                                      X, n, s, c, l, [](Index, Index, const int*) noexcept {});
                              });
            }
        }
    }
}

const bool registered = [] {
    add_sweep<float>();
    add_sweep<double>();
    add_last_group_sweep();
    return true;
}();

}  // namespace
}  // namespace kestrel::bench
