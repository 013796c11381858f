#pragma once
/// \file
/// One tree of histogram gradient boosting, grown leaf-wise as scikit-learn's `TreeGrower`:
/// the splittable leaf of largest gain is split next (a binary heap ordered as Python's heapq,
/// so that ties break alike), until max_leaf_nodes leaves, max_depth, min_samples_leaf or a gain
/// ≤ 0 stop it. A node's histogram holds, per feature and bin, the sums of the float gradients and
/// hessians (in double) and the count, added in the node's sample order; the smaller child's is
/// built from its samples and the larger one's is the parent's minus it. Splits are scored by
/// the loss reduction of Chen & Guestrin (2016, eq. 7) with the values bounded by the monotonic
/// constraints; missing values go to the side that gains more; categorical features split by
/// sorting their categories on sum_g / (sum_h + 10), as LightGBM and scikit-learn.
///
/// Every sum runs in a fixed order (samples in their order within each node, features and
/// candidate splits in index order), and work is shared among threads only across features,
/// across fixed blocks of samples, or between tasks that write apart (the root's two sums): the
/// tree is the same bits for any number of threads.
///
/// In a fit whose rows are spread over processes (kestrel::distributed), each process grows the
/// same tree over its own rows: `grower_settings::sum_over_shards` sums the root's totals and
/// every histogram it builds over the processes, so that each decides every split from the sums
/// over all rows. A node's sample count is then the count over all rows (`node::count`), while
/// its range of `partition` covers this process's rows only.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <numeric>
#include <optional>
#include <type_traits>
#include <vector>

#include "../../core/detail/memory.hpp"
#include "../../core/detail/parallel.hpp"
#include "../../core/types.hpp"
#include "hgb_scan.hpp"
#include "sides.hpp"

namespace kestrel::ensemble::detail::hgb {

/// A 256-bit set of bins or categories.
using bitset256 = std::array<std::uint32_t, 8>;
inline bool in_bitset(const bitset256& b, unsigned v) noexcept { return (b[v >> 5] >> (v & 31)) & 1u; }
inline void set_bit(bitset256& b, unsigned v) noexcept { b[v >> 5] |= 1u << (v & 31); }
/// The raw categories of a set of bins: bin b of a categorical feature is `categories[b]`.
inline bitset256 raw_bitset(const bitset256& bins, const std::vector<double>& categories) noexcept {
    bitset256 raw{};
    for (std::size_t b = 0; b < categories.size(); ++b) {
        if (in_bitset(bins, static_cast<unsigned>(b))) set_bit(raw, static_cast<unsigned>(categories[b]));
    }
    return raw;
}

#if defined(__GNUC__) || defined(__clang__)
/// Four doubles added at once (one AVX addition, or two SSE2 ones).
using hist_lanes = double __attribute__((vector_size(32)));
/// Two doubles added at once: a bin's gradient and hessian lanes.
using hist_pair = double __attribute__((vector_size(16)));
/// (g, h, 1, 0): what one sample adds to its bin. (Set through a reference: a 32-byte vector
/// returned by value changes the calling convention between targets with and without AVX.)
inline void set_lanes(hist_lanes& out, double g, double h) noexcept { out = hist_lanes{g, h, 1.0, 0.0}; }
/// (g, h): what one sample adds to its bin's gradient and hessian lanes.
inline void set_lanes(hist_pair& out, double g, double h) noexcept { out = hist_pair{g, h}; }
/// bin += (g, h, 1, 0).
inline void add_to_bin(hist_bin& bin, const hist_lanes& update) noexcept {
    hist_lanes current;
    std::memcpy(&current, static_cast<const void*>(&bin), sizeof current);
    current += update;
    std::memcpy(static_cast<void*>(&bin), &current, sizeof current);
}
/// (bin.g, bin.h) += (g, h).
inline void add_to_bin(hist_bin& bin, const hist_pair& update) noexcept {
    hist_pair current;
    std::memcpy(&current, static_cast<const void*>(&bin), sizeof current);
    current += update;
    std::memcpy(static_cast<void*>(&bin), &current, sizeof current);
}
/// out = a − b, lane by lane (which keeps the unused lane at zero).
inline void subtract_bin(const hist_bin& a, const hist_bin& b, hist_bin& out) noexcept {
    hist_lanes x, y;
    std::memcpy(&x, static_cast<const void*>(&a), sizeof x);
    std::memcpy(&y, static_cast<const void*>(&b), sizeof y);
    x -= y;
    std::memcpy(static_cast<void*>(&out), &x, sizeof x);
}
#else
struct hist_lanes {
    double g, h;
};
struct hist_pair {
    double g, h;
};
inline void set_lanes(hist_lanes& out, double g, double h) noexcept { out = hist_lanes{g, h}; }
inline void set_lanes(hist_pair& out, double g, double h) noexcept { out = hist_pair{g, h}; }
inline void add_to_bin(hist_bin& bin, const hist_lanes& update) noexcept {
    bin.g += update.g;
    bin.h += update.h;
    bin.count += 1;
}
inline void add_to_bin(hist_bin& bin, const hist_pair& update) noexcept {
    bin.g += update.g;
    bin.h += update.h;
}
inline void subtract_bin(const hist_bin& a, const hist_bin& b, hist_bin& out) noexcept {
    out.g = a.g - b.g;
    out.h = a.h - b.h;
    out.count = a.count - b.count;
    out.unused = 0;
}
#endif

/// A fitted tree as scikit-learn's TreePredictor: nodes depth-first, left child first.
struct tree_nodes {
    std::vector<double> value;           ///< leaves: the raw score added (shrunk); inner nodes: their value
    std::vector<int> feature;            ///< split feature (leaves: 0)
    std::vector<double> threshold;       ///< numeric splits: x ≤ threshold goes left
    std::vector<int> bin_threshold;      ///< numeric splits: bin ≤ this goes left
    std::vector<std::uint8_t> missing_left, is_leaf, categorical;
    std::vector<int> left, right;        ///< children (leaves: 0)
    std::vector<int> bitset;             ///< categorical splits: index into the bitsets below (others: -1)
    std::vector<int> count;              ///< training samples reaching the node
    std::vector<bitset256> binned_bitsets, raw_bitsets;  ///< bins / raw categories going left

    [[nodiscard]] int size() const noexcept { return static_cast<int>(value.size()); }
    int add() {
        value.push_back(0);
        feature.push_back(0);
        threshold.push_back(0);
        bin_threshold.push_back(0);
        missing_left.push_back(0);
        is_leaf.push_back(0);
        categorical.push_back(0);
        left.push_back(0);
        right.push_back(0);
        bitset.push_back(-1);
        count.push_back(0);
        return size() - 1;
    }

    /// The leaf reached by a sample of raw values x (x[f] for feature f); known[f] tells a
    /// categorical feature's known categories (an unknown one goes where missing values go).
    template <class X>
    [[nodiscard]] int leaf_raw(const X& x, const std::vector<bitset256>& known) const noexcept {
        int node = 0;
        while (!is_leaf[static_cast<std::size_t>(node)]) {
            const auto s = static_cast<std::size_t>(node);
            const double v = static_cast<double>(x(feature[s]));
            bool go_left;
            if (categorical[s]) {
                const bool valid = v == v && v >= 0 && v < 256 && v == std::floor(v) &&
                                   in_bitset(known[static_cast<std::size_t>(feature[s])], static_cast<unsigned>(v));
                go_left = valid ? in_bitset(raw_bitsets[static_cast<std::size_t>(bitset[s])], static_cast<unsigned>(v))
                                : missing_left[s] != 0;
            } else if (v != v) {
                go_left = missing_left[s] != 0;
            } else {
                go_left = v <= threshold[s];
            }
            node = go_left ? left[s] : right[s];
        }
        return node;
    }

    /// The leaf reached by a sample of bins b (b(f) for feature f).
    template <class B>
    [[nodiscard]] int leaf_binned(const B& b, int missing_bin) const noexcept {
        int node = 0;
        while (!is_leaf[static_cast<std::size_t>(node)]) {
            const auto s = static_cast<std::size_t>(node);
            const unsigned v = b(feature[s]);
            bool go_left;
            if (categorical[s]) {
                go_left = in_bitset(binned_bitsets[static_cast<std::size_t>(bitset[s])], v);
            } else if (static_cast<int>(v) == missing_bin) {
                go_left = missing_left[s] != 0;
            } else {
                go_left = static_cast<int>(v) <= bin_threshold[s];
            }
            node = go_left ? left[s] : right[s];
        }
        return node;
    }
};

/// What every tree of a fit shares.
struct grower_settings {
    int n_bins = 256;  ///< including the missing-values bin, the last
    const std::vector<int>* n_bins_non_missing = nullptr;
    const std::vector<std::uint8_t>* has_missing = nullptr;
    const std::vector<std::uint8_t>* is_categorical = nullptr;
    const std::vector<std::vector<double>>* thresholds = nullptr;  ///< the bin mapper's
    std::vector<signed char> monotonic;                            ///< −1, 0, 1 per feature (empty: none)
    std::vector<std::vector<int>> interaction;                     ///< groups (empty: no constraints)
    std::optional<int> max_leaf_nodes;
    std::optional<int> max_depth;
    int min_samples_leaf = 20;
    double l2 = 0;
    double min_hessian = 1e-3;
    double shrinkage = 1;
    int threads = 1;
    /// Replaces values[0..n) by their sums over the processes holding the fit's rows, the same
    /// bits on each (empty: this process holds every row).
    std::function<void(double*, std::size_t)> sum_over_shards;
};

/// The binned training data: n rows, d features, column-major bin codes.
struct binned_matrix {
    const std::uint8_t* bins = nullptr;
    Index n = 0, d = 0;
    [[nodiscard]] const std::uint8_t* column(Index f) const noexcept { return bins + f * n; }
};

/// The best split of a node found so far.
struct split_info {
    double gain = -1;
    int feature = 0;
    int bin = 0;
    bool missing_left = false;
    double gl = 0, hl = 0, gr = 0, hr = 0;
    std::uint32_t nl = 0, nr = 0;
    double vl = 0, vr = 0;
    bool categorical = false;
    bitset256 bitset{};
};

/// What a grower allocates, kept from one tree to the next of a fit: the samples' partition
/// (which ends up holding the leaves' samples), the histogram slots, the gathered gradients, the
/// partition's buffers and the histogram packed for a reduction. A new slot of d·n_bins bins
/// (410 KB for 50 features of 256 bins) costs more to allocate and zero than to fill, and a tree
/// takes several.
struct grower_scratch {
    std::vector<std::uint32_t> partition;
    std::vector<std::vector<hist_bin>> pool;
    std::vector<float> ordered_g, ordered_h;
    std::vector<double> packed;  ///< a histogram packed for sum_over_shards
    std::vector<std::uint32_t> partition_lefts, partition_rights;  ///< a partition's sides, by block
};

/// Grows one tree.
class grower {
public:
    struct node {
        int depth = 0;
        Index start = 0, stop = 0;
        double sum_g = 0, sum_h = 0, value = 0;
        double lower = -std::numeric_limits<double>::infinity(), upper = std::numeric_limits<double>::infinity();
        split_info split;
        bool is_leaf = false;
        int left = -1, right = -1;
        std::vector<int> allowed;  ///< features a split may use (every feature when unconstrained)
        std::vector<int> groups;   ///< interaction groups still in force
        int hist = -1;             ///< slot of its histogram
        Index count = 0;           ///< samples in the node, over every process's rows
        /// The node's samples held by this process: partition[start, stop).
        [[nodiscard]] Index n() const noexcept { return stop - start; }
    };

    /// g and h are the n gradients and hessians (h ignored when `constant_hessian`: each is 1);
    /// `scratch.partition` ends up holding the leaves' samples. Every histogram slot already in
    /// `scratch` is free: a node fills its slot's allowed features before it reads them, and
    /// never reads the others, which keep an earlier tree's values.
    grower(const binned_matrix& X, const float* g, const float* h, bool constant_hessian, const grower_settings& s,
           grower_scratch& scratch)
        : X_(X), g_(g), h_(h), constant_(constant_hessian), s_(s), partition_(scratch.partition), pool_(scratch.pool),
          ordered_g_(scratch.ordered_g), ordered_h_(scratch.ordered_h), packed_(scratch.packed),
          partition_lefts_(scratch.partition_lefts), partition_rights_(scratch.partition_rights) {
        for (auto slot = static_cast<int>(pool_.size()); slot-- > 0;) free_.push_back(slot);
    }

    /// Grows the tree; leaves' values are shrunk at the end.
    void grow() {
        const Index n = X_.n;
        partition_.resize(static_cast<std::size_t>(n));
        node root;
        root.start = 0;
        root.stop = n;
        // The root's sums, chains of additions in sample order, one on each thread (from 65,536
        // samples, with more than one thread). The partition's first order, 0 … n − 1, is not
        // written: the root's split (node 0's, the first) reads it as such.
        double sg = 0, sh = 0;
        kestrel::detail::parallel_for(2, n >= 65536 ? s_.threads : 1, [&](Index task) {
            if (task == 0) {
                for (Index i = 0; i < n; ++i) sg += static_cast<double>(g_[i]);
            } else if (constant_) {
                sh = static_cast<double>(n);
            } else {
                for (Index i = 0; i < n; ++i) sh += static_cast<double>(h_[i]);
            }
        });
        root.count = n;
        if (s_.sum_over_shards) {
            double totals[3] = {sg, sh, static_cast<double>(n)};
            s_.sum_over_shards(totals, 3);
            sg = totals[0];
            sh = totals[1];
            root.count = static_cast<Index>(totals[2]);
        }
        root.sum_g = sg;
        root.sum_h = sh;
        root.value = 0;
        const Index total = root.count;
        nodes_.push_back(std::move(root));
        if (total < 2 * static_cast<Index>(s_.min_samples_leaf) || sh < s_.min_hessian) {
            finalize_leaf(0);
        } else {
            if (!s_.interaction.empty()) {
                std::vector<int> all;
                for (std::size_t k = 0; k < s_.interaction.size(); ++k) {
                    nodes_[0].groups.push_back(static_cast<int>(k));
                    all.insert(all.end(), s_.interaction[k].begin(), s_.interaction[k].end());
                }
                std::sort(all.begin(), all.end());
                all.erase(std::unique(all.begin(), all.end()), all.end());
                nodes_[0].allowed = std::move(all);
            } else {
                for (Index f = 0; f < X_.d; ++f) nodes_[0].allowed.push_back(static_cast<int>(f));
            }
            nodes_[0].hist = take_histogram();
            build_histogram(0);
            find_split_and_push(0);
        }
        while (!heap_.empty()) split_next();
        // A root that is a leaf holds every sample, in order.
        if (nodes_.front().is_leaf) std::iota(partition_.begin(), partition_.end(), std::uint32_t{0});
        for (int leaf : leaves_) nodes_[static_cast<std::size_t>(leaf)].value *= s_.shrinkage;
    }

    [[nodiscard]] const std::vector<node>& nodes() const noexcept { return nodes_; }
    [[nodiscard]] const std::vector<int>& leaves() const noexcept { return leaves_; }
    /// Sets a leaf's value (the absolute error and quantile losses refit them).
    void set_value(int leaf, double v) { nodes_[static_cast<std::size_t>(leaf)].value = v; }

    /// The tree in predictor form.
    [[nodiscard]] tree_nodes predictor() const {
        tree_nodes out;
        fill(out, 0);
        return out;
    }

private:
    int fill(tree_nodes& out, int g) const {
        const node& nd = nodes_[static_cast<std::size_t>(g)];
        const int me = out.add();
        const auto m = static_cast<std::size_t>(me);
        out.count[m] = static_cast<int>(nd.count);
        out.value[m] = nd.value;
        if (nd.is_leaf) {
            out.is_leaf[m] = 1;
            return me;
        }
        const split_info& sp = nd.split;
        out.feature[m] = sp.feature;
        out.bin_threshold[m] = sp.bin;
        out.missing_left[m] = sp.missing_left ? 1 : 0;
        out.categorical[m] = sp.categorical ? 1 : 0;
        const auto f = static_cast<std::size_t>(sp.feature);
        if (sp.categorical) {
            out.bitset[m] = static_cast<int>(out.binned_bitsets.size());
            out.binned_bitsets.push_back(sp.bitset);
            out.raw_bitsets.push_back(raw_bitset(sp.bitset, (*s_.thresholds)[f]));
        } else if (sp.bin == (*s_.n_bins_non_missing)[f] - 1) {
            out.threshold[m] = std::numeric_limits<double>::infinity();  // a split on missing values
        } else {
            out.threshold[m] = (*s_.thresholds)[f][static_cast<std::size_t>(sp.bin)];
        }
        const int l = fill(out, nd.left);
        out.left[m] = l;
        const int r = fill(out, nd.right);
        out.right[m] = r;
        return me;
    }

    // --- histograms -----------------------------------------------------------------------
    int take_histogram() {
        const std::size_t size = static_cast<std::size_t>(X_.d * s_.n_bins);
        if (!free_.empty()) {
            const int slot = free_.back();
            free_.pop_back();
            pool_[static_cast<std::size_t>(slot)].resize(size);
            return slot;
        }
        pool_.emplace_back(size);
        return static_cast<int>(pool_.size()) - 1;
    }
    void release_histogram(int id) {
        node& nd = nodes_[static_cast<std::size_t>(id)];
        if (nd.hist >= 0) free_.push_back(nd.hist);
        nd.hist = -1;
    }
    hist_bin* histogram(int id) { return pool_[static_cast<std::size_t>(nodes_[static_cast<std::size_t>(id)].hist)].data(); }

    /// Adds the node's samples to the histograms of G features at once (one pass over the
    /// gradients for G histograms, each small enough for the first-level cache). Each bin adds
    /// its samples in the node's order. With constant hessians (oh null: each 1), a sample adds
    /// (g, 1) to its bin's gradient and hessian lanes, one 2-wide addition where (g, 0, 1, 0)
    /// took a 4-wide one; the hessian lane, which then holds the count, moves to the count lane
    /// at the end, so that the bins hold what the 4-wide additions gave.
    template <int G>
    void accumulate(const int* features, Index m, const std::uint32_t* idx, const float* og, const float* oh,
                    hist_bin* out) const {
        const std::uint8_t* col[G];
        hist_bin* hb[G];
        for (int j = 0; j < G; ++j) {
            col[j] = X_.column(features[j]);
            hb[j] = out + static_cast<std::size_t>(features[j]) * static_cast<std::size_t>(s_.n_bins);
            std::fill(hb[j], hb[j] + s_.n_bins, hist_bin{});
        }
        if (oh != nullptr) {
            add_samples<G, hist_lanes, false>(col, hb, m, idx, og, oh);
            return;
        }
        add_samples<G, hist_pair, true>(col, hb, m, idx, og, oh);
        for (int j = 0; j < G; ++j) {
            for (hist_bin* bin = hb[j]; bin != hb[j] + s_.n_bins; ++bin) {
                bin->count = bin->h;
                bin->h = 0;
            }
        }
    }

    /// hb[j][bin of sample s in column j] += the lanes of (og[i], oh[i]), or of (og[i], 1) with
    /// HessianOne, for the node's samples s = idx[i] (idx null: s = i), i < m, in order.
    template <int G, class Lanes, bool HessianOne>
    void add_samples(const std::uint8_t* const* col, hist_bin* const* hb, Index m, const std::uint32_t* idx,
                     const float* og, const float* oh) const {
        const auto hessian = [&](Index i) {
            if constexpr (HessianOne) {
                return 1.0;
            } else {
                return static_cast<double>(oh[i]);
            }
        };
        if (!idx) {
            for (Index i = 0; i < m; ++i) {
                Lanes u;
                set_lanes(u, static_cast<double>(og[i]), hessian(i));
                for (int j = 0; j < G; ++j) add_to_bin(hb[j][col[j][i]], u);
            }
            return;
        }
        // A node's samples are scattered, in increasing order. One holding at least one in 16 of
        // these rows reads the lines of a column in order, mostly every one, which the processor
        // fetches ahead by itself; the bins of a sparser node are fetched ahead of use.
        const auto add = [&](auto fetch_ahead) {
            constexpr Index ahead = 24;
            for (Index i = 0; i < m; ++i) {
                if constexpr (decltype(fetch_ahead)::value) {
                    if (i + ahead < m) {
                        for (int j = 0; j < G; ++j) kestrel::detail::prefetch(col[j] + idx[i + ahead]);
                    }
                }
                const std::size_t s = idx[i];
                Lanes u;
                set_lanes(u, static_cast<double>(og[i]), hessian(i));
                for (int j = 0; j < G; ++j) add_to_bin(hb[j][col[j][s]], u);
            }
        };
        if (m * 16 < X_.n) {
            add(std::true_type{});
        } else {
            add(std::false_type{});
        }
    }

    /// The node's histogram over its allowed features, from its samples: the gradients are
    /// gathered in the node's order once, then features go four at a time, shared among the
    /// threads (which only decides who adds, not the order of the additions).
    void build_histogram(int id) {
        const node& nd = nodes_[static_cast<std::size_t>(id)];
        const Index m = nd.n();
        const bool root = m == X_.n;
        const std::uint32_t* idx = root ? nullptr : partition_.data() + nd.start;
        const float* og = g_;
        const float* oh = constant_ ? nullptr : h_;
        if (!root) {
            ordered_g_.resize(static_cast<std::size_t>(m));
            if (!constant_) ordered_h_.resize(static_cast<std::size_t>(m));
            const kestrel::detail::partition parts(m, std::max<Index>(1, std::min<Index>(16, m / 8192)));
            kestrel::detail::parallel_for(parts, s_.threads, [&](Index, Index begin, Index end) {
                for (Index i = begin; i < end; ++i) ordered_g_[static_cast<std::size_t>(i)] = g_[idx[i]];
                if (!constant_) {
                    for (Index i = begin; i < end; ++i) ordered_h_[static_cast<std::size_t>(i)] = h_[idx[i]];
                }
            });
            og = ordered_g_.data();
            if (!constant_) oh = ordered_h_.data();
        }
        hist_bin* out = histogram(id);
        const std::vector<int>& features = nd.allowed;
        const auto d = static_cast<Index>(features.size());
        const Index threads = m >= 2048 ? std::max(1, s_.threads) : 1;
        // Tasks: a multiple of the threads (one a feature when fewer), each of at most four
        // features, the larger ones first: the threads take tasks as they come free, and 28
        // features as 4,4,4,4,3,3,3,3 end together on two threads; as 3,4,3,4,... one thread
        // waits while the other adds the last four.
        const Index tasks = std::min(d, threads * ((d + 4 * threads - 1) / (4 * threads)));
        const Index per_task = d / tasks, larger = d % tasks;
        kestrel::detail::parallel_for(tasks, static_cast<int>(threads), [&](Index t) {
            const Index f0 = t * per_task + std::min(t, larger), f1 = f0 + per_task + (t < larger ? 1 : 0);
            for (Index f = f0; f < f1; f += 4) {
                const int* group = features.data() + f;
                switch (std::min<Index>(4, f1 - f)) {
                    case 4: accumulate<4>(group, m, idx, og, oh, out); break;
                    case 3: accumulate<3>(group, m, idx, og, oh, out); break;
                    case 2: accumulate<2>(group, m, idx, og, oh, out); break;
                    default: accumulate<1>(group, m, idx, og, oh, out); break;
                }
            }
        });
        if (s_.sum_over_shards) sum_histogram(features, out);
    }

    /// Sums a histogram over the processes: its bins' gradients, hessians (unless constant) and
    /// counts over the given features, packed together for one reduction.
    void sum_histogram(const std::vector<int>& features, hist_bin* out) {
        const auto nb = static_cast<std::size_t>(s_.n_bins);
        const std::size_t lanes = constant_ ? 2 : 3;
        std::vector<double>& packed = packed_;
        packed.resize(features.size() * nb * lanes);
        double* at = packed.data();
        for (int f : features) {
            const hist_bin* hb = out + static_cast<std::size_t>(f) * nb;
            for (std::size_t b = 0; b < nb; ++b) {
                *at++ = hb[b].g;
                if (!constant_) *at++ = hb[b].h;
                *at++ = hb[b].count;
            }
        }
        s_.sum_over_shards(packed.data(), packed.size());
        at = packed.data();
        for (int f : features) {
            hist_bin* hb = out + static_cast<std::size_t>(f) * nb;
            for (std::size_t b = 0; b < nb; ++b) {
                hb[b].g = *at++;
                if (!constant_) hb[b].h = *at++;
                hb[b].count = *at++;
            }
        }
    }

    /// child = parent − sibling over the sibling's allowed features.
    void subtract_histogram(int parent, int sibling, int child) {
        const hist_bin* p = histogram(parent);
        const hist_bin* s = histogram(sibling);
        hist_bin* c = histogram(child);
        const auto nb = static_cast<std::size_t>(s_.n_bins);
        const std::vector<int>& features = nodes_[static_cast<std::size_t>(sibling)].allowed;
        const auto count = static_cast<Index>(features.size());
        kestrel::detail::parallel_for(count, count >= 8 ? s_.threads : 1, [&](Index k) {
            const std::size_t first = static_cast<std::size_t>(features[static_cast<std::size_t>(k)]) * nb;
            for (std::size_t o = first; o < first + nb; ++o) subtract_bin(p[o], s[o], c[o]);
        });
    }

    // --- split finding --------------------------------------------------------------------
    [[nodiscard]] double bin_hessian(const hist_bin& b) const noexcept {
        return constant_ ? b.count : b.h;
    }

    /// What a scan of one of the node's features reads.
    [[nodiscard]] scan_setup setup_of(const node& nd, int monotonic) const noexcept {
        scan_setup setup;
        setup.sum_g = nd.sum_g;
        setup.sum_h = nd.sum_h;
        setup.loss_node = nd.value * nd.sum_g;
        setup.lower = nd.lower;
        setup.upper = nd.upper;
        setup.l2 = s_.l2;
        setup.min_hessian = s_.min_hessian;
        setup.count = static_cast<std::uint32_t>(nd.count);
        setup.min_samples_leaf = static_cast<std::uint32_t>(s_.min_samples_leaf);
        setup.monotonic = monotonic;
        setup.constant_hessian = constant_;
        return setup;
    }

    /// Left-to-right scan: missing values (if any) go right.
    void scan_left_to_right(const hist_bin* hb, int f, bool has_missing, const node& nd, int monotonic,
                            split_info& out) const {
        const int end = (*s_.n_bins_non_missing)[static_cast<std::size_t>(f)] - 1 + (has_missing ? 1 : 0);
        const scan_result best = hgb::scan_left_to_right(hb, end, setup_of(nd, monotonic));
        if (best.bin >= 0) {
            out.gain = best.gain;
            out.bin = best.bin;
            out.missing_left = false;
            set_sides(out, nd, best.gl, best.hl, best.nl);
        }
    }

    /// Right-to-left scan (features with missing values): missing values go left.
    void scan_right_to_left(const hist_bin* hb, int f, const node& nd, int monotonic, split_info& out) const {
        const int start = (*s_.n_bins_non_missing)[static_cast<std::size_t>(f)] - 2;
        const scan_result best = hgb::scan_right_to_left(hb, start, setup_of(nd, monotonic), out.gain);
        if (best.bin >= 0) {
            out.gain = best.gain;
            out.bin = best.bin;
            out.missing_left = true;
            set_sides(out, nd, best.gl, best.hl, best.nl);
        }
    }

    void set_sides(split_info& out, const node& nd, double gl, double hl, std::uint32_t nl) const {
        out.gl = gl;
        out.gr = nd.sum_g - gl;
        out.hl = hl;
        out.hr = nd.sum_h - hl;
        out.nl = nl;
        out.nr = static_cast<std::uint32_t>(nd.count) - nl;
        out.vl = node_value(out.gl, out.hl, nd.lower, nd.upper, s_.l2);
        out.vr = node_value(out.gr, out.hr, nd.lower, nd.upper, s_.l2);
    }

    /// Categorical features: categories sorted by sum_g / (sum_h + 10), scanned from both ends
    /// up to the middle; categories of little support always go right.
    void scan_categories(const hist_bin* hb, int f, bool has_missing, const node& nd, int monotonic,
                         split_info& out) const {
        constexpr double min_cat_support = 10.0;
        const int non_missing = (*s_.n_bins_non_missing)[static_cast<std::size_t>(f)];
        const double support_factor = static_cast<double>(nd.count) / nd.sum_h;
        struct category {
            int bin;
            double value;
        };
        std::vector<category> cats;
        const auto consider = [&](int b) {
            const double hb_sum = bin_hessian(hb[b]);
            if (hb_sum * support_factor >= min_cat_support) cats.push_back({b, hb[b].g / (hb_sum + min_cat_support)});
        };
        for (int b = 0; b < non_missing; ++b) consider(b);
        if (has_missing) consider(s_.n_bins - 1);
        const auto used = static_cast<int>(cats.size());
        if (used <= 1) return;
        std::stable_sort(cats.begin(), cats.end(), [](const category& a, const category& b) { return a.value < b.value; });
        const auto n = static_cast<std::uint32_t>(nd.count);
        const double loss_node = nd.value * nd.sum_g;
        double best_gain = -1, best_gl = 0, best_hl = 0;
        std::uint32_t best_nl = 0;
        int best_threshold = -1, best_direction = 0;
        for (int direction : {1, -1}) {
            const int middle = direction == 1 ? (used + 1) / 2 : (used + 1) / 2 - 1;
            double gl = 0, hl = 0;
            std::uint32_t nl = 0;
            for (int i = 0; i < middle; ++i) {
                const int sorted = direction == 1 ? i : used - 1 - i;
                const hist_bin& b = hb[cats[static_cast<std::size_t>(sorted)].bin];
                nl += static_cast<std::uint32_t>(b.count);
                const std::uint32_t nr = n - nl;
                hl += bin_hessian(b);
                const double hr = nd.sum_h - hl;
                gl += b.g;
                const double gr = nd.sum_g - gl;
                if (nl < static_cast<std::uint32_t>(s_.min_samples_leaf) || hl < s_.min_hessian) continue;
                if (nr < static_cast<std::uint32_t>(s_.min_samples_leaf) || hr < s_.min_hessian) break;
                const double gain = split_gain(gl, hl, gr, hr, loss_node, monotonic, nd.lower, nd.upper, s_.l2);
                if (gain > best_gain && gain > 0) {
                    best_gain = gain;
                    best_threshold = sorted;
                    best_gl = gl;
                    best_hl = hl;
                    best_nl = nl;
                    best_direction = direction;
                }
            }
        }
        if (best_threshold < 0) return;
        out.gain = best_gain;
        out.bin = 0;
        set_sides(out, nd, best_gl, best_hl, best_nl);
        out.bitset = {};
        if (best_direction == 1) {
            for (int i = 0; i <= best_threshold; ++i) set_bit(out.bitset, static_cast<unsigned>(cats[static_cast<std::size_t>(i)].bin));
        } else {
            for (int i = best_threshold; i < used; ++i) set_bit(out.bitset, static_cast<unsigned>(cats[static_cast<std::size_t>(i)].bin));
        }
        if (has_missing) out.missing_left = in_bitset(out.bitset, static_cast<unsigned>(s_.n_bins - 1));
    }

    void find_split_and_push(int id) {
        const node& nd = nodes_[static_cast<std::size_t>(id)];
        const hist_bin* hist = pool_[static_cast<std::size_t>(nd.hist)].data();
        std::vector<split_info> per_feature(nd.allowed.size());
        const auto search = [&](Index k) {
            const int f = nd.allowed[static_cast<std::size_t>(k)];
            split_info& sp = per_feature[static_cast<std::size_t>(k)];
            sp.feature = f;
            sp.gain = -1;
            const auto fs = static_cast<std::size_t>(f);
            sp.categorical = (*s_.is_categorical)[fs] != 0;
            const bool missing = (*s_.has_missing)[fs] != 0;
            const int monotonic = s_.monotonic.empty() ? 0 : s_.monotonic[fs];
            const hist_bin* hb = hist + static_cast<std::size_t>(f) * static_cast<std::size_t>(s_.n_bins);
            if (sp.categorical) {
                scan_categories(hb, f, missing, nd, monotonic, sp);
            } else {
                scan_left_to_right(hb, f, missing, nd, monotonic, sp);
                if (missing) scan_right_to_left(hb, f, nd, monotonic, sp);
            }
        };
        const auto count = static_cast<Index>(nd.allowed.size());
        if (nd.n() >= 4096) {
            kestrel::detail::parallel_for(count, s_.threads, search);
        } else {
            for (Index k = 0; k < count; ++k) search(k);
        }
        std::size_t best = 0;
        for (std::size_t k = 1; k < per_feature.size(); ++k) {
            if (per_feature[k].gain > per_feature[best].gain) best = k;
        }
        node& target = nodes_[static_cast<std::size_t>(id)];
        target.split = per_feature.empty() ? split_info{} : per_feature[best];
        if (target.split.gain <= 0) {
            finalize_leaf(id);
        } else {
            heap_push(id);
        }
    }

    // --- the heap: Python's heapq, "smaller" meaning larger gain ---------------------------
    [[nodiscard]] bool before(int a, int b) const noexcept {
        return nodes_[static_cast<std::size_t>(a)].split.gain > nodes_[static_cast<std::size_t>(b)].split.gain;
    }
    void sift_down(std::size_t start, std::size_t pos) {
        const int item = heap_[pos];
        while (pos > start) {
            const std::size_t parent = (pos - 1) >> 1;
            if (before(item, heap_[parent])) {
                heap_[pos] = heap_[parent];
                pos = parent;
                continue;
            }
            break;
        }
        heap_[pos] = item;
    }
    void sift_up(std::size_t pos) {
        const std::size_t end = heap_.size(), start = pos;
        const int item = heap_[pos];
        std::size_t child = 2 * pos + 1;
        while (child < end) {
            const std::size_t right = child + 1;
            if (right < end && !before(heap_[child], heap_[right])) child = right;
            heap_[pos] = heap_[child];
            pos = child;
            child = 2 * pos + 1;
        }
        heap_[pos] = item;
        sift_down(start, pos);
    }
    void heap_push(int id) {
        heap_.push_back(id);
        sift_down(0, heap_.size() - 1);
    }
    int heap_pop() {
        const int last = heap_.back();
        heap_.pop_back();
        if (heap_.empty()) return last;
        const int top = heap_[0];
        heap_[0] = last;
        sift_up(0);
        return top;
    }

    void finalize_leaf(int id) {
        nodes_[static_cast<std::size_t>(id)].is_leaf = true;
        leaves_.push_back(id);
        release_histogram(id);
    }

    // --- splitting a node -----------------------------------------------------------------
    [[nodiscard]] bool goes_left(const split_info& sp, std::uint8_t b) const noexcept {
        if (sp.categorical) return in_bitset(sp.bitset, b);
        return (sp.missing_left && b == s_.n_bins - 1) || static_cast<int>(b) <= sp.bin;
    }

    /// Stable partition of the node's samples: left ones first, each side in its order. Blocks
    /// of samples are fixed by the count, so the result does not depend on the threads: each
    /// block's sides go to buffers (split_samples), then to their places among the node's. The
    /// root's samples are 0 … n − 1, not yet written: its blocks count their lefts, then place
    /// both sides straight into the partition.
    Index partition_node(const node& nd) {
        const split_info& sp = nd.split;
        const std::uint8_t* col = X_.column(sp.feature);
        std::uint32_t* idx = partition_.data() + nd.start;
        const bool first_order = &nd == &nodes_.front();  // the root, split once and first
        const Index m = nd.n();
        const kestrel::detail::partition parts(m, std::max<Index>(1, std::min<Index>(64, m / 16384)));
        const auto count = static_cast<std::size_t>(parts.count());
        left_bins left;
        for (int b = 0; b < s_.n_bins; ++b) {
            if (goes_left(sp, static_cast<std::uint8_t>(b))) left.set(static_cast<unsigned>(b));
        }
        std::vector<Index> lefts(count);
        if (first_order) {
            kestrel::detail::parallel_for(parts, s_.threads, [&](Index p, Index begin, Index end) {
                lefts[static_cast<std::size_t>(p)] = count_left(nd.start + begin, end - begin, col, left);
            });
        } else {
            partition_lefts_.resize(static_cast<std::size_t>(m));
            partition_rights_.resize(static_cast<std::size_t>(m));
            kestrel::detail::parallel_for(parts, s_.threads, [&](Index p, Index begin, Index end) {
                lefts[static_cast<std::size_t>(p)] =
                    split_samples(idx + begin, 0, end - begin, col, X_.n, left, partition_lefts_.data() + begin,
                                  partition_rights_.data() + begin);
            });
        }
        std::vector<Index> left_at(count), right_at(count);
        Index total_left = 0;
        for (std::size_t p = 0; p < count; ++p) total_left += lefts[p];
        Index l = 0, r = total_left;
        for (Index p = 0; p < parts.count(); ++p) {
            const auto q = static_cast<std::size_t>(p);
            left_at[q] = l;
            right_at[q] = r;
            l += lefts[q];
            r += (parts.end(p) - parts.begin(p)) - lefts[q];
        }
        kestrel::detail::parallel_for(parts, s_.threads, [&](Index p, Index begin, Index end) {
            const auto q = static_cast<std::size_t>(p);
            if (first_order) {
                place_consecutive(nd.start + begin, end - begin, col, left, lefts[q], idx, left_at[q], right_at[q]);
                return;
            }
            const Index nl = lefts[q], nr = end - begin - nl;
            // (a process may hold none of a node's samples)
            if (nl > 0) {
                std::memcpy(idx + left_at[q], partition_lefts_.data() + begin,
                            static_cast<std::size_t>(nl) * sizeof(std::uint32_t));
            }
            if (nr > 0) {
                std::memcpy(idx + right_at[q], partition_rights_.data() + begin,
                            static_cast<std::size_t>(nr) * sizeof(std::uint32_t));
            }
        });
        return total_left;
    }

    void split_next() {
        const int id = heap_pop();
        const Index n_left = partition_node(nodes_[static_cast<std::size_t>(id)]);
        node left, right;
        {
            const node& nd = nodes_[static_cast<std::size_t>(id)];
            left.depth = right.depth = nd.depth + 1;
            left.start = nd.start;
            left.stop = nd.start + n_left;
            right.start = left.stop;
            right.stop = nd.stop;
            left.count = nd.split.nl;
            right.count = nd.split.nr;
            left.sum_g = nd.split.gl;
            left.sum_h = nd.split.hl;
            left.value = nd.split.vl;
            right.sum_g = nd.split.gr;
            right.sum_h = nd.split.hr;
            right.value = nd.split.vr;
            if (!s_.interaction.empty()) {
                for (int k : nd.groups) {
                    const std::vector<int>& group = s_.interaction[static_cast<std::size_t>(k)];
                    if (std::find(group.begin(), group.end(), nd.split.feature) == group.end()) continue;
                    left.groups.push_back(k);
                    left.allowed.insert(left.allowed.end(), group.begin(), group.end());
                }
                std::sort(left.allowed.begin(), left.allowed.end());
                left.allowed.erase(std::unique(left.allowed.begin(), left.allowed.end()), left.allowed.end());
            } else {
                left.allowed = nd.allowed;
            }
            right.groups = left.groups;
            right.allowed = left.allowed;
        }
        const int depth = left.depth;
        const std::size_t n_leaf_nodes = leaves_.size() + heap_.size() + 2;
        const int li = static_cast<int>(nodes_.size());
        const int ri = li + 1;
        nodes_.push_back(std::move(left));
        nodes_.push_back(std::move(right));
        node& nd = nodes_[static_cast<std::size_t>(id)];
        nd.left = li;
        nd.right = ri;
        node& L = nodes_[static_cast<std::size_t>(li)];
        node& R = nodes_[static_cast<std::size_t>(ri)];
        if (!(*s_.has_missing)[static_cast<std::size_t>(nd.split.feature)]) nd.split.missing_left = L.count > R.count;

        if (s_.max_leaf_nodes && n_leaf_nodes == static_cast<std::size_t>(*s_.max_leaf_nodes)) {
            finalize_leaf(li);
            finalize_leaf(ri);
            while (!heap_.empty()) {
                const int rest = heap_.back();
                heap_.pop_back();
                finalize_leaf(rest);
            }
            release_histogram(id);
            return;
        }
        if (s_.max_depth && depth == *s_.max_depth) {
            finalize_leaf(li);
            finalize_leaf(ri);
            release_histogram(id);
            return;
        }
        if (L.count < 2 * static_cast<Index>(s_.min_samples_leaf)) finalize_leaf(li);
        if (R.count < 2 * static_cast<Index>(s_.min_samples_leaf)) finalize_leaf(ri);
        if (!s_.monotonic.empty()) {
            const int cst = s_.monotonic[static_cast<std::size_t>(nd.split.feature)];
            if (cst == 0) {
                L.lower = R.lower = nd.lower;
                L.upper = R.upper = nd.upper;
            } else {
                const double mid = (L.value + R.value) / 2;
                if (cst == 1) {
                    L.lower = nd.lower;
                    L.upper = mid;
                    R.lower = mid;
                    R.upper = nd.upper;
                } else {
                    L.lower = mid;
                    L.upper = nd.upper;
                    R.lower = nd.lower;
                    R.upper = mid;
                }
            }
        }
        const bool split_left = !L.is_leaf, split_right = !R.is_leaf;
        if (split_left || split_right) {
            const int smallest = L.count < R.count ? li : ri;
            const int largest = smallest == li ? ri : li;
            nodes_[static_cast<std::size_t>(smallest)].hist = take_histogram();
            build_histogram(smallest);
            // A leaf needs no histogram: the larger child's is made only if it may split, and a
            // smaller child that is a leaf gives its slot back once the larger's is made.
            if (!nodes_[static_cast<std::size_t>(largest)].is_leaf) {
                nodes_[static_cast<std::size_t>(largest)].hist = take_histogram();
                subtract_histogram(id, smallest, largest);
            }
            release_histogram(id);
            if (nodes_[static_cast<std::size_t>(smallest)].is_leaf) release_histogram(smallest);
            if (split_left) find_split_and_push(li);
            if (split_right) find_split_and_push(ri);
        } else {
            release_histogram(id);
        }
    }

    const binned_matrix& X_;
    const float* g_;
    const float* h_;
    bool constant_;
    const grower_settings& s_;
    std::vector<std::uint32_t>& partition_;
    std::vector<node> nodes_;
    std::vector<int> leaves_;
    std::vector<int> heap_;
    std::vector<std::vector<hist_bin>>& pool_;
    std::vector<int> free_;
    std::vector<float>& ordered_g_;
    std::vector<float>& ordered_h_;
    std::vector<double>& packed_;
    std::vector<std::uint32_t>& partition_lefts_;
    std::vector<std::uint32_t>& partition_rights_;
};

}  // namespace kestrel::ensemble::detail::hgb
