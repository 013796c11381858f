#pragma once
/// \file
/// The histogram splitter (`max_bins` 2..256): each feature's values are cut once into at most
/// max_bins bins and stored as one byte per value; a node's split search sums its samples' class
/// counts (or Σw, Σwy) per bin of each examined feature and scores every occupied bin's edge,
/// so a node costs one pass over its samples (for up to eight examined features at once) plus
/// one over max_bins bins per feature, and splitting it one stable pass over its sample list.
/// Nodes of at most 64 samples sort each examined feature's bins instead.
///
/// The bin edges are scikit-learn's HistGradientBoosting's: with at most max_bins distinct
/// values, the midpoints between consecutive ones (so every node's samples split as the exact
/// splitter splits them, though where a node has no value between two edges the threshold is
/// the edge, not the midpoint of the node's own values); with
/// more, the percentiles at 100·k/max_bins (k = 1 … max_bins − 1, midpoint interpolation),
/// duplicates removed. A value goes to the first bin whose upper edge is ≥ it; a split after bin b
/// has threshold edge[b], so x ≤ threshold sends exactly bins 0..b left. The random splitter
/// draws a bin edge uniformly between the node's lowest and highest occupied bins.

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <type_traits>
#include <utility>
#include <vector>

#include "../../core/detail/memory.hpp"
#include "../../core/detail/parallel.hpp"
#include "../../core/random.hpp"
#include "../../core/types.hpp"
#include "../options.hpp"
#include "criteria.hpp"
#include "grow.hpp"
#include "radix.hpp"

namespace kestrel::tree::detail {

/// The training rows cut into bins per feature: one byte per value, feature-major.
struct binned {
    Index n_rows = 0, n_features = 0;
    std::vector<std::uint8_t> codes;         ///< codes[f·n_rows + i]: the bin of X(i, f)
    std::vector<std::vector<double>> edges;  ///< per feature, each bin's upper edge but the last's

    /// Bins the columns of X (any Eigen expression) into at most `max_bins` bins, features in
    /// parallel.
    template <class M>
    binned(const M& X, int max_bins, int n_jobs) : n_rows(X.rows()), n_features(X.cols()) {
        codes.resize(static_cast<std::size_t>(n_rows * n_features));
        edges.resize(static_cast<std::size_t>(n_features));
        kestrel::detail::parallel_for(n_features, n_jobs, [&](Index f) {
            using S = typename std::remove_cvref_t<M>::Scalar;
            std::vector<S> sorted(static_cast<std::size_t>(n_rows));
            std::vector<std::int32_t> order(static_cast<std::size_t>(n_rows));
            for (Index i = 0; i < n_rows; ++i) {
                sorted[static_cast<std::size_t>(i)] = X(i, f);
                order[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(i);
            }
            radix_sort(sorted, order);
            std::vector<double>& e = edges[static_cast<std::size_t>(f)];
            Index distinct = n_rows > 0 ? 1 : 0;
            for (Index k = 1; k < n_rows && distinct <= max_bins; ++k) {
                distinct += sorted[static_cast<std::size_t>(k)] != sorted[static_cast<std::size_t>(k - 1)] ? 1 : 0;
            }
            if (distinct <= max_bins) {
                for (Index k = 1; k < n_rows; ++k) {
                    const double a = static_cast<double>(sorted[static_cast<std::size_t>(k - 1)]);
                    const double b = static_cast<double>(sorted[static_cast<std::size_t>(k)]);
                    if (a != b) e.push_back((a + b) * 0.5);
                }
            } else {
                const double last = static_cast<double>(n_rows - 1);
                for (int k = 1; k < max_bins; ++k) {
                    const double at = last * k / max_bins;
                    const auto lo = static_cast<std::size_t>(std::floor(at)),
                               hi = static_cast<std::size_t>(std::ceil(at));
                    e.push_back((static_cast<double>(sorted[lo]) + static_cast<double>(sorted[hi])) * 0.5);
                }
                e.erase(std::unique(e.begin(), e.end()), e.end());
            }
            // Walk the sorted values once: each gets the first bin whose edge is >= it.
            std::uint8_t* out = codes.data() + f * n_rows;
            std::size_t bin = 0;
            for (Index k = 0; k < n_rows; ++k) {
                const double x = static_cast<double>(sorted[static_cast<std::size_t>(k)]);
                while (bin < e.size() && e[bin] < x) ++bin;
                out[order[static_cast<std::size_t>(k)]] = static_cast<std::uint8_t>(bin);
            }
        });
    }

    /// The number of bins of feature f.
    [[nodiscard]] Index bins(Index f) const {
        return static_cast<Index>(edges[static_cast<std::size_t>(f)].size()) + 1;
    }
};

/// Grows one tree with histogram splits; see the file comment.
class histogram_grower : public grower_base<histogram_grower> {
    using base = grower_base<histogram_grower>;
    friend base;

public:
    /// `weight` holds each training row's weight; rows of weight 0 are not in the tree.
    histogram_grower(const binned& data, const targets& target, const std::vector<double>& weight,
                     const grow_settings& settings, random_engine& rng)
        : base(data.n_features, target, weight, settings, rng), data_(data) {
        const bool classification = target.classification();
        const auto kept = static_cast<std::size_t>(
            std::count_if(weight.begin(), weight.begin() + data.n_rows, [](double w) { return w > 0; }));
        // Every row is written, and kept (its place taken) when its weight is positive: no branch
        // on the weights, which a bootstrap sample draws at random.
        rows_.resize(kept + 1);
        stats_.resize(kept + 1);
        std::size_t at = 0;
        for (Index i = 0; i < data.n_rows; ++i) {
            const auto r = static_cast<std::size_t>(i);
            const double w = weight[r];
            rows_[at] = static_cast<std::int32_t>(i);
            stats_[at] = {w, classification ? static_cast<double>(target.codes[r]) : target.y[r]};
            at += w > 0 ? 1 : 0;
        }
        rows_.resize(kept);
        stats_.resize(kept);
        scratch_.resize(kept);
        scratch_stats_.resize(kept);
        side_.resize(kept);
        all_features_.resize(static_cast<std::size_t>(data.n_features));
        std::iota(all_features_.begin(), all_features_.end(), Index{0});
        fill_sums_.resize(static_cast<std::size_t>(std::max<Index>(data.n_features, filled_together)));
        fill_counts_.resize(fill_sums_.size());
        const Index k = target.classification() ? target.n_classes : 2;  // counts, or Σw and Σwy
        stride_ = k;
        subtract_ = settings.max_features >= data.n_features && settings.splitter == Splitter::best &&
                    settings.max_leaf_nodes == 0;
        if (!subtract_) {
            hist_.resize(static_cast<std::size_t>(256 * k));
            count_.resize(256);
        }
        // Squared error with every leaf of one sample or more, unconstrained: a node's candidates
        // need no sample counts (an edge between occupied bins leaves samples on both sides, and
        // a bin is occupied when its Σw, of positive weights, is), so the best splitter's
        // histograms keep none; the split's position comes from the partition.
        // (Such nodes are scanned by scan_squared alone: scan's other path and random_edge read counts.)
        uncounted_ = !subtract_ && settings.splitter == Splitter::best && !classification &&
                     settings.criterion == Criterion::squared_error && settings.monotonic.empty() &&
                     settings.min_samples_leaf <= 1;
    }

private:
    [[nodiscard]] Index size() const noexcept { return static_cast<Index>(rows_.size()); }
    [[nodiscard]] const std::int32_t* node_rows(Index start) const { return rows_.data() + start; }

    /// Adds positions [start, end) to `out` from the samples' weights and targets, which are kept
    /// in position order (the same sums as from the rows, without their scattered reads).
    void add_samples(Index start, Index end, sums& out) const {
        const sample_stat* s = stats_.data();
        if (this->target_.classification()) {
            for (Index k = start; k < end; ++k) out.add_class(static_cast<Index>(s[k].v), s[k].w);
        } else {
            for (Index k = start; k < end; ++k) out.add_value(s[k].v, s[k].w);
        }
    }

    /// The histograms of every feature of one node (the subtraction path).
    struct block {
        Index start = 0;
        std::vector<double> sums;   ///< feature f's bin b at (f·256 + b)·stride
        std::vector<Index> counts;  ///< at f·256 + b
    };

    void search(Index start, Index end, split_choice& best) {
        if (subtract_) {
            search_with_blocks(start, end, best);
            return;
        }
        if (end - start <= small_node && this->s_.splitter == Splitter::best) {
            search_small(start, end, best);
            return;
        }
        Index best_bin = -1;
        const Index per = 256 * stride_;
        if (this->s_.splitter == Splitter::random) {
            with_proxy([&](auto proxy) {
                this->for_features([&](Index f) {
                    fill_together(&f, 1, start, end, true, 0);
                    return examine(f, start, end, data_.bins(f), hist_.data(), count_.data(), proxy, best, best_bin);
                });
            });
        } else {
            // The histograms of the features drawn first are filled in one pass over the node's
            // samples, which reads each sample's row and target once for all of them (as many as
            // keep the histograms within 8 MB).
            const Index fit = std::max<Index>(1, (Index{1} << 20) / per - 1);
            const Index most = std::min({this->s_.max_features, n_features(), filled_together, fit});
            hist_.resize(static_cast<std::size_t>((most + 1) * per));
            count_.resize(static_cast<std::size_t>((most + 1) * 256));
            const bool counted = !uncounted_;
            with_proxy([&](auto proxy) {
                for_slots(
                    most,
                    [&](const Index* features, Index count, Index first) {
                        fill_together(features, count, start, end, counted, first);
                    },
                    [&](Index f, Index at) {
                        Index* c = counted ? count_.data() + at * 256 : nullptr;
                        return examine(f, start, end, data_.bins(f), hist_.data() + at * per, c, proxy, best, best_bin);
                    });
            });
        }
        if (best.pos >= end) return;
        const Index left = partition(start, end, best.feature, best_bin);
        if (uncounted_) {
            best.pos = start + left;
            best.missing_left = left > end - best.pos;  // NaN at predict: the larger child
        }
    }

    /// At most how many features' histograms fill_together fills in one pass.
    static constexpr Index filled_together = 8;

    /// for_features_drawn for the best splitter, each feature given a slot of the caller's
    /// scratch: the first `most` drawn are prepared together, prepare(features, count, 0), into
    /// slots 0..count−1; one drawn later is prepared alone into slot `most`; examine(f, slot).
    template <class Prepare, class Examine>
    void for_slots(Index most, Prepare&& prepare, Examine&& examine) {
        Index slot = 0, ahead = 0;
        this->for_features_drawn(
            most,
            [&](const Index* features, Index count) {
                prepare(features, count, Index{0});
                ahead = count;
            },
            [&](Index f) {
                const Index at = std::min(slot++, ahead);
                if (at == ahead) prepare(&f, Index{1}, at);
                return examine(f, at);
            });
    }

    /// The histograms of `count` features over positions [start, end), each into its slot of
    /// hist_ and count_ (slot first + i for features[i]; the counts only when `counted`), their
    /// bins cleared first.
    void fill_together(const Index* features, Index count, Index start, Index end, bool counted, Index first) {
        const Index per = 256 * stride_;
        for (Index i = 0; i < count; ++i) {
            const Index nb = data_.bins(features[i]);
            double* h = hist_.data() + (first + i) * per;
            Index* c = count_.data() + (first + i) * 256;
            std::fill(h, h + nb * stride_, 0.0);
            if (counted) std::fill(c, c + nb, Index{0});
            fill_sums_[static_cast<std::size_t>(i)] = h;
            fill_counts_[static_cast<std::size_t>(i)] = counted ? c : nullptr;
        }
        fill_groups(features, count, start, end, fill_sums_.data(), fill_counts_.data());
    }

    /// The histograms of features[0..count) over positions [start, end), added into h[i] (and,
    /// where c[i] is not null, the counts into c[i]; all of them or none), a group of up to four
    /// features a pass over the samples.
    void fill_groups(const Index* features, Index count, Index start, Index end, double* const* h, Index* const* c) {
        for (Index i = 0; i < count; i += 4) {
            const Index g = std::min<Index>(count - i, 4);
            if (c[i] != nullptr) {
                fill_group<true>(g, features + i, start, end, h + i, c + i);
            } else {
                fill_group<false>(g, features + i, start, end, h + i, c + i);
            }
        }
    }

    template <bool Counted>
    void fill_group(Index g, const Index* features, Index start, Index end, double* const* h, Index* const* c) {
        switch (g) {
            case 1:
                fill_group<1, Counted>(features, start, end, h, c);
                break;
            case 2:
                fill_group<2, Counted>(features, start, end, h, c);
                break;
            case 3:
                fill_group<3, Counted>(features, start, end, h, c);
                break;
            default:
                fill_group<4, Counted>(features, start, end, h, c);
                break;
        }
    }

    /// fill_groups' pass for G features.
    template <int G, bool Counted>
    void fill_group(const Index* features, Index start, Index end, double* const* sums, Index* const* counts) {
        const Index stride = stride_;
        std::array<const std::uint8_t*, G> code{};
        std::array<double*, G> h{};
        std::array<Index*, G> count{};
        for (int g = 0; g < G; ++g) {
            code[g] = data_.codes.data() + features[g] * data_.n_rows;
            h[g] = sums[g];
            count[g] = counts[g];
        }
        const std::int32_t* rows = rows_.data();
        const sample_stat* stat = stats_.data();
        // The codes of the row `ahead` samples on are fetched early: a node's rows are scattered.
        constexpr Index ahead = 24;
        const auto fetch = [&](Index k) {
            if (k + ahead < end) {
                for (int g = 0; g < G; ++g) kestrel::detail::prefetch(code[g] + rows[k + ahead]);
            }
        };
        if (this->target_.classification()) {
            for (Index k = start; k < end; ++k) {
                fetch(k);
                const std::int32_t r = rows[k];
                const double w = stat[k].w;
                const auto c = static_cast<Index>(stat[k].v);
                for (int g = 0; g < G; ++g) {
                    const Index b = code[g][r];
                    if constexpr (Counted) ++count[g][b];
                    h[g][b * stride + c] += w;
                }
            }
        } else {
            for (Index k = start; k < end; ++k) {
                fetch(k);
                const std::int32_t r = rows[k];
                const double w = stat[k].w, v = stat[k].v;
                for (int g = 0; g < G; ++g) {
                    const Index b = code[g][r];
                    if constexpr (Counted) ++count[g][b];
                    double* bin = h[g] + b * stride;  // Σw and Σwy side by side: one store of two
                    bin[0] += w;
                    bin[1] += w * v;
                }
            }
        }
    }

    /// Nodes of at most this many samples sort their samples' bins instead of filling and
    /// scanning every bin: the same splits, at a cost that follows the node's size.
    static constexpr Index small_node = 64;
    /// The room of a small node's keys of one feature in node_keys_: its samples' and a block of
    /// rank_sort's padding.
    static constexpr Index key_slot = small_node + 16;

    /// The best split of a small node, every feature's samples sorted by bin (rank_sort), and
    /// the node's samples partitioned by it: for squared error without constraints every
    /// examined feature's candidates listed (list_candidates) and scored together (first_best),
    /// else each feature scanned in turn (scan_small). The codes of the features drawn first are
    /// read in one pass before any is scanned: a small node's rows are scattered, and reads that
    /// do not wait on a scan's branches overlap.
    void search_small(Index start, Index end, split_choice& best) {
        const Index n = end - start;
        if (n == 2) {
            search_pair(start, best);
            return;
        }
        Index best_bin = -1;
        const Index most = std::min(this->s_.max_features, n_features());
        node_keys_.resize(static_cast<std::size_t>((most + 1) * key_slot));
        node_spread_.resize(static_cast<std::size_t>(most + 1));
        const auto gather = [&](const Index* features, Index count, Index first) {
            for (Index i = first; i < first + count; ++i) {
                node_spread_[static_cast<std::size_t>(i)] =
                    gather_keys(features[i - first], start, n, node_keys_.data() + i * key_slot);
            }
        };
        if (!this->target_.classification() && this->s_.criterion == Criterion::squared_error &&
            this->s_.monotonic.empty()) {
            // Every feature's candidates listed first, then all of them scored together.
            Index listed = 0;
            listed_.clear();
            for_slots(most, gather, [&](Index f, Index at) {
                if (!node_spread_[static_cast<std::size_t>(at)]) return false;
                rank_sort(node_keys_.data() + at * key_slot, n);
                listed_.push_back({f, listed});
                listed = list_candidates(start, n, listed);
                return true;
            });
            const squared_error_scores proxy{this->node_.sum, this->node_.weight};
            double top = best.proxy;
            candidate_scores_.resize(candidate_w_.size());
            const Index at = first_best(listed, candidate_w_.data(), candidate_wy_.data(), candidate_open_.data(),
                                        candidate_scores_.data(), proxy, top);
            if (at >= 0) {
                std::size_t k = listed_.size() - 1;
                while (listed_[k].first > at) --k;
                const Index i = at - listed_[k].first;
                best_bin = record_split(best, top, listed_[k].feature, candidate_bin_[static_cast<std::size_t>(at)],
                                        start, i + 1, n);
            }
        } else {
            with_proxy([&](auto proxy) {
                for_slots(most, gather, [&](Index f, Index at) {
                    if (!node_spread_[static_cast<std::size_t>(at)]) return false;
                    scan_small(f, start, n, node_keys_.data() + at * key_slot, proxy, best, best_bin);
                    return true;
                });
            });
        }
        if (best.pos < end) partition(start, end, best.feature, best_bin);
    }

    /// search_small for a node of two samples, a third of a deep tree's splits: a feature
    /// separates them or not, and the split it makes is one of two (either sample left), each
    /// scored once, as scan_small scores it.
    void search_pair(Index start, split_choice& best) {
        const std::int32_t r0 = rows_[static_cast<std::size_t>(start)], r1 = rows_[static_cast<std::size_t>(start + 1)];
        const sample_stat* stat = stats_.data() + start;
        std::array<double, 2> score{};  // with sample k left
        std::array<bool, 2> scored{false, false};
        Index best_bin = -1;
        with_proxy([&](auto proxy) {
            this->for_features([&](Index f) {
                const std::uint8_t* code = data_.codes.data() + f * data_.n_rows;
                const unsigned b0 = code[r0], b1 = code[r1];
                if (b0 == b1) return false;
                const Index k = b0 < b1 ? 0 : 1;
                const bool check = this->constrained(f);
                if (!scored[static_cast<std::size_t>(k)] || check) {
                    const sample_stat& s = stat[k];
                    const double wl = s.w;
                    double candidate = -infinity;
                    if (!check && !this->target_.classification()) {
                        if (allowed(1, 2, wl)) {
                            std::array<double, 2> left{};
                            left[0] += s.w;
                            left[1] += s.w * s.v;
                            candidate = proxy(left.data(), wl);
                        }
                    } else {
                        // (monotonic_ok reads the left sums from left_sums_.)
                        left_sums_.assign(static_cast<std::size_t>(stride_), 0.0);
                        double* left = left_sums_.data();
                        if (this->target_.classification()) {
                            left[static_cast<Index>(s.v)] += s.w;
                        } else {
                            left[0] += s.w;
                            left[1] += s.w * s.v;
                        }
                        if (allowed(1, 2, wl) && (!check || monotonic_ok(f, wl))) candidate = proxy(left, wl);
                    }
                    score[static_cast<std::size_t>(k)] = candidate;
                    scored[static_cast<std::size_t>(k)] = !check;  // a constrained feature's score is its own
                }
                const double candidate = score[static_cast<std::size_t>(k)];
                if (candidate > best.proxy) best_bin = record_split(best, candidate, f, std::min(b0, b1), start, 1, 2);
                return true;
            });
        });
        if (best.pos < start + 2) {
            // The partition: the sample of the smaller bin goes left.
            const std::uint8_t* code = data_.codes.data() + best.feature * data_.n_rows;
            if (code[r0] > best_bin) {
                std::swap(rows_[static_cast<std::size_t>(start)], rows_[static_cast<std::size_t>(start + 1)]);
                std::swap(stats_[static_cast<std::size_t>(start)], stats_[static_cast<std::size_t>(start + 1)]);
            }
        }
    }

    /// Feature f's keys of the small node at `start` of n samples, in the node's order: its bin
    /// above its position in the node. False when they all share one bin.
    bool gather_keys(Index f, Index start, Index n, std::uint16_t* out) const {
        static_assert(small_node <= 256, "a small node's positions are sorted as one byte");
        const std::uint8_t* code = data_.codes.data() + f * data_.n_rows;
        const std::int32_t* rows = rows_.data() + start;
        unsigned lo = 255, hi = 0;
        for (Index k = 0; k < n; ++k) {
            const unsigned b = code[rows[k]];
            out[k] = static_cast<std::uint16_t>(b << 8 | static_cast<unsigned>(k));
            lo = std::min(lo, b);
            hi = std::max(hi, b);
        }
        return lo != hi;
    }

    /// The best split on a small node by feature f, whose keys (gather_keys) span more than one
    /// bin: the keys sorted, every bin edge between two of them scored by `proxy`. Samples of one
    /// bin keep the node's order (which is the rows' order), so the sums add up as a bin-by-bin
    /// pass would.
    template <class Proxy>
    void scan_small(Index f, Index start, Index n, std::uint16_t* unsorted, Proxy proxy, split_choice& best,
                    Index& best_bin) {
        const sample_stat* stat = stats_.data() + start;
        rank_sort(unsorted, n);
        const bool check = this->constrained(f);
        const std::uint16_t* key = keys_.data();
        left_sums_.assign(static_cast<std::size_t>(stride_), 0.0);
        double* left = left_sums_.data();
        double wl = 0;
        const bool classification = this->target_.classification();
        for (Index i = 0; i + 1 < n; ++i) {
            const sample_stat& s = stat[key[i] & 0xff];
            wl += s.w;
            if (classification) {
                left[static_cast<Index>(s.v)] += s.w;
            } else {
                left[0] += s.w;
                left[1] += s.w * s.v;
            }
            if ((key[i + 1] >> 8) == (key[i] >> 8)) continue;
            if (!allowed(i + 1, n, wl)) continue;
            if (check && !monotonic_ok(f, wl)) continue;
            const double candidate = proxy(left, wl);
            if (candidate > best.proxy) best_bin = record_split(best, candidate, f, key[i] >> 8, start, i + 1, n);
        }
    }

    /// Lists a small node's candidates on one feature, whose keys rank_sort sorted into keys_,
    /// from candidate `first` on: each edge between two of its n samples' bins, the left side's
    /// running Σw and Σwy, whether it may split, and the bin below it. Returns the next free
    /// candidate.
    Index list_candidates(Index start, Index n, Index first) {
        const auto end = static_cast<std::size_t>(first + n - 1);
        if (candidate_w_.size() < end) {
            candidate_w_.resize(end);
            candidate_wy_.resize(end);
            candidate_open_.resize(end);
            candidate_bin_.resize(end);
        }
        const std::uint16_t* key = keys_.data();
        const sample_stat* stat = stats_.data() + start;
        double* wls = candidate_w_.data() + first;
        double* sls = candidate_wy_.data() + first;
        std::uint8_t* open = candidate_open_.data() + first;
        std::uint8_t* bin = candidate_bin_.data() + first;
        const Index min_leaf = this->s_.min_samples_leaf;
        const double min_weight = this->s_.min_weight_leaf, wt = this->node_.weight;
        double wl = 0, sl = 0;
        for (Index i = 0; i + 1 < n; ++i) {
            const sample_stat& s = stat[key[i] & 0xff];
            wl += s.w;
            sl += s.w * s.v;
            wls[i] = wl;
            sls[i] = sl;
            bin[i] = static_cast<std::uint8_t>(key[i] >> 8);
            // A candidate: a bin edge between two samples, leaving both sides what they need.
            open[i] = static_cast<std::uint8_t>(((key[i + 1] >> 8) != (key[i] >> 8)) & (i + 1 >= min_leaf) &
                                                (n - i - 1 >= min_leaf) & (wl >= min_weight) & (wt - wl >= min_weight));
        }
        return first + n - 1;
    }

    /// The first of m candidates (the left side's Σw wls and Σwy sls; open: whether each may split)
    /// whose squared-error score beats `top`, which it becomes; −1 when none does. The scores
    /// (into `score`) are the proxy's, in a loop that vectorises; then their best in a second one
    /// (the scores are ≥ 0, or −∞ for a closed candidate or a NaN, so that their bits compare as
    /// integers in the order of their values), and the first candidate that has it.
    static Index first_best(Index m, const double* wls, const double* sls, const std::uint8_t* open, double* score,
                            const squared_error_scores& proxy, double& top) {
        const double wt = proxy.wt, st = proxy.st;
        for (Index i = 0; i < m; ++i) {
            const double p = squared_error_proxy(sls[i], wls[i], st, wt);
            score[i] = open[i] != 0 && p == p ? p : -infinity;
        }
        std::int64_t high = std::bit_cast<std::int64_t>(-infinity);
        for (Index i = 0; i < m; ++i) high = std::max(high, std::bit_cast<std::int64_t>(score[i]));
        if (!(std::bit_cast<double>(high) > top)) return -1;
        Index at = 0;
        while (std::bit_cast<std::int64_t>(score[at]) != high) ++at;
        top = score[at];
        return at;
    }

    /// Sorts the n distinct keys `in` into keys_: each key goes to its rank, the number of keys
    /// below it, counted for whole blocks of sixteen keys at a time (`in` is padded above n with
    /// the largest key, to a whole block). No branch depends on the keys; a comparison sort
    /// mispredicts on runs this short.
    void rank_sort(std::uint16_t* in, Index n) {
        static_assert(small_node % 16 == 0, "rank_sort pads to whole blocks of sixteen keys");
        constexpr Index block = 16;
        const Index padded = (n + block - 1) / block * block;
        // Fills of a fixed size (a slot has room for a block past its keys), which compile to a
        // few stores instead of calls.
        std::fill_n(in + n, block, std::uint16_t{0xffff});
        ranks_.fill(0);
        std::uint16_t* rank = ranks_.data();
        // Four keys a pass (the pad, above every key, counts for none): a pass adds to every rank
        // in memory, so fewer passes make a shorter chain of them.
        for (Index j = 0; j < n; j += 4) {
            const std::uint16_t x0 = in[j], x1 = in[j + 1], x2 = in[j + 2], x3 = in[j + 3];
            for (Index i = 0; i < padded; ++i) {
                const std::uint16_t y = in[i];
                rank[i] = static_cast<std::uint16_t>(rank[i] + (x0 < y ? 1 : 0) + (x1 < y ? 1 : 0) + (x2 < y ? 1 : 0) +
                                                     (x3 < y ? 1 : 0));
            }
        }
        for (Index i = 0; i < n; ++i) keys_[rank[i]] = in[i];
    }

    /// Scores feature f's bins (sums h, counts c: null when uncounted_) against `best`; false
    /// when the node's samples all fall in one bin.
    template <class Proxy>
    bool examine(Index f, Index start, Index end, Index nb, const double* h, const Index* c, Proxy proxy,
                 split_choice& best, Index& best_bin) {
        Index lo = 0, hi = nb - 1;
        if (c != nullptr) {
            while (c[lo] == 0) ++lo;
            while (c[hi] == 0) --hi;
        } else {
            while (h[lo * stride_] == 0) ++lo;
            while (h[hi * stride_] == 0) --hi;
        }
        if (lo == hi) return false;
        h_ = h;
        c_ = c;
        const Index b = this->s_.splitter == Splitter::random ? random_edge(f, start, end, lo, hi, best)
                                                              : scan(f, start, end, lo, hi, proxy, best);
        if (b >= 0) best_bin = b;
        return true;
    }

    /// Every feature examined at every node: a node's histograms come from its parent's, the
    /// smaller child's filled from its samples and the larger's the parent's minus those. Nodes of
    /// at most small_node samples sort their bins (scan_small) instead, and only the children that
    /// will be searched with histograms keep theirs.
    void search_with_blocks(Index start, Index end, split_choice& best) {
        if (end - start <= small_node) {
            // Sorting a few samples' bins costs less than the node's histograms of every feature,
            // which are neither kept nor made for such nodes.
            search_small(start, end, best);
            return;
        }
        block node = take(start);
        if (node.sums.empty()) fill_all(start, end, node);
        Index best_bin = -1;
        const Index per = 256 * stride_;
        with_proxy([&](auto proxy) {
            this->for_features([&](Index f) {
                return examine(f, start, end, data_.bins(f), node.sums.data() + f * per, node.counts.data() + f * 256,
                               proxy, best, best_bin);
            });
        });
        if (best.pos >= end) return;
        partition(start, end, best.feature, best_bin);
        const Index pos = best.pos;
        const bool left_smaller = pos - start <= end - pos;
        const Index large_size = left_smaller ? end - pos : pos - start;
        const Index small_size = left_smaller ? pos - start : end - pos;
        // Histograms are kept for the children that will be searched with them: those that can
        // split (min_samples_split) and are not small nodes.
        const auto wants = [&](Index size) { return size >= this->s_.min_samples_split && size > small_node; };
        if (!wants(large_size) && !wants(small_size)) return;
        block small;
        if (left_smaller) {
            fill_all(start, pos, small);
        } else {
            fill_all(pos, end, small);
        }
        if (wants(large_size)) {
            for (std::size_t i = 0; i < node.sums.size(); ++i) node.sums[i] -= small.sums[i];
            for (std::size_t i = 0; i < node.counts.size(); ++i) node.counts[i] -= small.counts[i];
            node.start = left_smaller ? pos : start;
        }
        if (wants(small_size)) cache_.push_back(std::move(small));
        if (wants(large_size)) cache_.push_back(std::move(node));
    }

    /// The kept histograms of the node starting at `start` (empty when there are none).
    block take(Index start) {
        for (std::size_t i = 0; i < cache_.size(); ++i) {
            if (cache_[i].start == start) {
                block out = std::move(cache_[i]);
                cache_.erase(cache_.begin() + static_cast<std::ptrdiff_t>(i));
                return out;
            }
        }
        return {};
    }

    /// Drops the kept histograms of nodes inside [start, end), which became leaves.
    void on_leaf(Index start, Index end) {
        if (!subtract_) return;
        std::erase_if(cache_, [&](const block& b) { return b.start >= start && b.start < end; });
    }

    /// Every feature's histograms of positions [start, end).
    void fill_all(Index start, Index end, block& out) {
        out.start = start;
        out.sums.assign(static_cast<std::size_t>(n_features() * 256 * stride_), 0.0);
        out.counts.assign(static_cast<std::size_t>(n_features() * 256), 0);
        for (Index f = 0; f < n_features(); ++f) {
            fill_sums_[static_cast<std::size_t>(f)] = out.sums.data() + f * 256 * stride_;
            fill_counts_[static_cast<std::size_t>(f)] = out.counts.data() + f * 256;
        }
        fill_groups(all_features_.data(), n_features(), start, end, fill_sums_.data(), fill_counts_.data());
    }

    [[nodiscard]] Index n_features() const { return data_.n_features; }

    /// Calls body(proxy) with the criterion's proxy of a split given the running left sums and
    /// weight, squared error's inlined.
    template <class Body>
    void with_proxy(Body&& body) {
        if (!this->target_.classification() && this->s_.criterion == Criterion::squared_error) {
            const double st = this->node_.sum, wt = this->node_.weight;
            body(squared_error_scores{st, wt});
        } else {
            body([this](const double* left, double wl) { return score(left, wl); });
        }
    }

    /// The criterion's proxy of a split, given its running left sums and weight wl.
    double score(const double* left, double wl) {
        const double wt = this->node_.weight;
        if (this->target_.classification()) {
            return classification_proxy(this->s_.criterion, left, this->node_.counts.data(), this->right_counts_.data(),
                                        this->target_.n_classes, wl, wt);
        }
        return regression_proxy(this->s_.criterion, left[1], wl, this->node_.sum, wt);
    }

    /// Adds bin b to the running left sums.
    void add_bin(Index b, std::vector<double>& left, double& wl) {
        const double* h = h_ + b * stride_;
        if (this->target_.classification()) {
            for (Index c = 0; c < stride_; ++c) {
                left[static_cast<std::size_t>(c)] += h[c];
                wl += h[c];
            }
        } else {
            left[0] += h[0];
            left[1] += h[1];
            wl += h[0];
        }
    }

    /// Whether the running left sums (weight wl) keep feature f's monotonic constraint.
    [[nodiscard]] bool monotonic_ok(Index f, double wl) const {
        return this->monotonic_ok_sums(f, left_sums_.data(), left_sums_[1], wl);
    }

    /// Whether a split leaving nl of n samples and weight wl left is allowed.
    [[nodiscard]] bool allowed(Index nl, Index n, double wl) const {
        return nl >= this->s_.min_samples_leaf && n - nl >= this->s_.min_samples_leaf &&
               wl >= this->s_.min_weight_leaf && this->node_.weight - wl >= this->s_.min_weight_leaf;
    }

    /// Every occupied bin's upper edge of feature f scored by `proxy`; returns the chosen bin when
    /// it beats `best`.
    template <class Proxy>
    Index scan(Index f, Index start, Index end, Index lo, Index hi, Proxy proxy, split_choice& best) {
        // The occupied bins below hi, listed without a branch (which bins are empty follows no
        // pattern a predictor could learn).
        Index* occupied = occupied_.data();
        Index m = 0;
        if (c_ != nullptr) {
            for (Index b = lo; b < hi; ++b) {
                occupied[m] = b;
                m += c_[b] != 0 ? 1 : 0;
            }
        } else {
            for (Index b = lo; b < hi; ++b) {
                occupied[m] = b;
                m += h_[b * stride_] != 0 ? 1 : 0;
            }
        }
        const bool check = this->constrained(f);
        if constexpr (std::is_same_v<Proxy, squared_error_scores>) {
            if (!check) return scan_squared(f, start, end, m, proxy, best);
        }
        left_sums_.assign(static_cast<std::size_t>(stride_), 0.0);
        double wl = 0;
        Index nl = 0, chosen = -1;
        for (Index k = 0; k < m; ++k) {
            const Index b = occupied[k];
            add_bin(b, left_sums_, wl);
            nl += c_[b];
            if (!allowed(nl, end - start, wl)) continue;
            if (check && !monotonic_ok(f, wl)) continue;
            const double s = proxy(left_sums_.data(), wl);
            if (s > best.proxy) chosen = record_split(best, s, f, b, start, nl, end - start);
        }
        return chosen;
    }

    /// scan's pass for squared error without constraints over its m occupied bins: the running
    /// sums first (as add_bin adds them), then every edge's score at once (first_best).
    Index scan_squared(Index f, Index start, Index end, Index m, const squared_error_scores& proxy,
                       split_choice& best) {
        const Index* occupied = occupied_.data();
        double* wls = running_w_.data();
        double* sls = running_wy_.data();
        Index* nls = running_n_.data();
        const Index n = end - start, min_leaf = this->s_.min_samples_leaf;
        const double min_weight = this->s_.min_weight_leaf, wt = proxy.wt;
        double wl = 0, sl = 0;
        if (c_ != nullptr) {
            Index nl = 0;
            for (Index k = 0; k < m; ++k) {
                const Index b = occupied[k];
                const double* h = h_ + b * stride_;
                sl += h[1];
                wl += h[0];
                nl += c_[b];
                wls[k] = wl;
                sls[k] = sl;
                nls[k] = nl;
                open_[k] = static_cast<std::uint8_t>((nl >= min_leaf) & (n - nl >= min_leaf) & (wl >= min_weight) &
                                                     (wt - wl >= min_weight));
            }
        } else {  // uncounted_: every edge leaves samples on both sides
            for (Index k = 0; k < m; ++k) {
                const double* h = h_ + occupied[k] * stride_;
                sl += h[1];
                wl += h[0];
                wls[k] = wl;
                sls[k] = sl;
                open_[k] = static_cast<std::uint8_t>((wl >= min_weight) & (wt - wl >= min_weight));
            }
        }
        double top = best.proxy;
        const Index at = first_best(m, wls, sls, open_.data(), scores_.data(), proxy, top);
        if (at < 0) return -1;
        // Uncounted, the position is the partition's to say (search); start marks a split found.
        return record_split(best, top, f, occupied[at], start, c_ != nullptr ? nls[at] : 0, n);
    }

    /// One bin edge drawn uniformly between bins lo and hi of feature f (Extra-Trees).
    Index random_edge(Index f, Index start, Index end, Index lo, Index hi, split_choice& best) {
        const Index b = lo + this->rng_.index_below(hi - lo);
        left_sums_.assign(static_cast<std::size_t>(stride_), 0.0);
        double wl = 0;
        Index nl = 0;
        for (Index c = lo; c <= b; ++c) {
            add_bin(c, left_sums_, wl);
            nl += c_[c];
        }
        if (!allowed(nl, end - start, wl)) return -1;
        if (this->constrained(f) && !monotonic_ok(f, wl)) return -1;
        const double s = score(left_sums_.data(), wl);
        if (!(s > best.proxy)) return -1;
        return record_split(best, s, f, b, start, nl, end - start);
    }

    /// Makes the split after feature f's bin b, of score `score`, `best`: nl of the n samples of
    /// the node at `start` go left, and NaN at predict goes to the larger child. Returns b.
    Index record_split(split_choice& best, double score, Index f, Index b, Index start, Index nl, Index n) const {
        best.proxy = score;
        best.feature = f;
        best.pos = start + nl;
        best.missing_left = nl > n - nl;
        best.threshold = data_.edges[static_cast<std::size_t>(f)][static_cast<std::size_t>(b)];
        return b;
    }

    /// Reorders the node's samples stably: those of feature f's bins ≤ b first; returns how many
    /// those are.
    Index partition(Index start, Index end, Index f, Index b) {
        const std::uint8_t* code = data_.codes.data() + f * data_.n_rows;
        // Branch-free: each row is written to both sides and only its side's front advances (the
        // slot at `left` is free, its row already read), since the sides follow no pattern a
        // branch predictor could learn.
        std::int32_t* rows = rows_.data();
        std::uint8_t* side = side_.data();
        for (Index k = start; k < end; ++k) side[k - start] = code[rows[k]] <= b ? 1 : 0;
        partition_by_side(stats_.data(), start, end, scratch_stats_.data());
        return partition_by_side(rows, start, end, scratch_.data());
    }

    /// Reorders a[start, end) stably by side_: the elements marked 1 first; returns their number.
    template <class V>
    Index partition_by_side(V* a, Index start, Index end, V* scratch) {
        const std::uint8_t* side = side_.data();
        Index left = start, right = 0;
        for (Index k = start; k < end; ++k) {
            const V x = a[k];
            const Index goes_left = side[k - start];
            a[left] = x;
            scratch[right] = x;
            left += goes_left;
            right += 1 - goes_left;
        }
        std::copy(scratch, scratch + right, a + left);
        return left - start;
    }

    /// A sample as the searches read it: its weight, and its target (regression; the sums add
    /// w·y as the other splitter does, so that a build's contraction into one FMA treats both
    /// alike) or its class.
    struct sample_stat {
        double w, v;
    };

    const binned& data_;
    kestrel::detail::unzeroed_vector<std::int32_t> rows_, scratch_;
    kestrel::detail::unzeroed_vector<sample_stat> stats_, scratch_stats_;  ///< the samples', in rows_'s order
    kestrel::detail::unzeroed_vector<std::uint8_t> side_;                  ///< a partition's sides, 1 for left
    Index stride_ = 1;
    std::vector<double> hist_, left_sums_;  ///< slots of 256 bins' sums (the slot path); the running left sums
    std::vector<Index> count_;              ///< slots of 256 bins' sample counts
    const double* h_ = nullptr;             ///< the histogram being scored
    const Index* c_ = nullptr;              ///< its counts (null when uncounted_)
    bool subtract_ = false;
    bool uncounted_ = false;                ///< the best splitter's histograms keep no sample counts
    std::vector<Index> all_features_;       ///< 0..n_features − 1, for fill_all
    std::vector<double*> fill_sums_;        ///< fill_groups' histograms, a feature each
    std::vector<Index*> fill_counts_;       ///< and their counts
    std::vector<std::uint16_t> node_keys_;  ///< a small node's keys (bin << 8 | position) of each slot's feature
    std::vector<char> node_spread_;         ///< whether each slot's keys span more than one bin
    std::array<std::uint16_t, small_node> keys_{};   ///< one feature's keys, sorted
    std::array<std::uint16_t, small_node> ranks_{};  ///< rank_sort's ranks
    // The candidates of one feature of a node searched by histograms (scan_squared: its occupied
    // bins): the left side's running Σw, Σwy and count, whether each may split, its score; and
    // the occupied bins.
    std::array<double, 256> running_w_{}, running_wy_{}, scores_{};
    std::array<Index, 256> running_n_{}, occupied_{};
    std::array<std::uint8_t, 256> open_{};
    // A small node's candidates on every feature examined (list_candidates), and where each
    // feature's candidates begin.
    std::vector<double> candidate_w_, candidate_wy_, candidate_scores_;
    std::vector<std::uint8_t> candidate_open_, candidate_bin_;
    struct listed_feature {
        Index feature, first;
    };
    std::vector<listed_feature> listed_;
    std::vector<block> cache_;  ///< histograms of pending nodes (the subtraction path)
};

}  // namespace kestrel::tree::detail
