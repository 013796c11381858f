#pragma once
/// \file
/// The exact splitter: every threshold between two distinct values of a feature, over features
/// presorted once.
///
/// Every feature's training values are sorted once (`presorted`, shared by the trees of a
/// forest). A tree keeps, per feature, its samples in that order, and every node owns one range
/// [start, end) of positions that is the same for all features: splitting a node partitions each
/// feature's range stably into the left samples then the right ones, so the children stay sorted
/// and nothing is sorted again. Finding a node's best split is one pass over each examined
/// feature's range; splitting, one pass over every feature's range. The candidate positions
/// (values closer than 1e-7 are not separated) and the thresholds (the midpoint of the two
/// values, or the lower one when the midpoint rounds up to the upper) are scikit-learn's.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "../../core/detail/parallel.hpp"
#include "../../core/random.hpp"
#include "../../core/types.hpp"
#include "../options.hpp"
#include "criteria.hpp"
#include "grow.hpp"
#include "radix.hpp"

namespace kestrel::tree::detail {

/// Each feature's rows in increasing order of value (ties by row), with the values; the rows
/// whose value is missing (NaN) last, in row order.
template <class T>
struct presorted {
    Index n_rows = 0, n_features = 0;
    std::vector<T> values;           ///< feature-major: values[f·n_rows + k]
    std::vector<std::int32_t> rows;  ///< rows[f·n_rows + k]
    std::vector<char> has_missing;   ///< per feature

    /// Sorts the columns of X (any Eigen expression), features in parallel.
    template <class M>
    presorted(const M& X, int n_jobs) : n_rows(X.rows()), n_features(X.cols()) {
        const auto size = static_cast<std::size_t>(n_rows * n_features);
        values.resize(size);
        rows.resize(size);
        has_missing.assign(static_cast<std::size_t>(n_features), 0);
        kestrel::detail::parallel_for(n_features, n_jobs, [&](Index f) {
            std::vector<T> v;
            std::vector<std::int32_t> r, missing;
            v.reserve(static_cast<std::size_t>(n_rows));
            r.reserve(static_cast<std::size_t>(n_rows));
            for (Index i = 0; i < n_rows; ++i) {
                const T x = X(i, f);
                if (x != x) {
                    missing.push_back(static_cast<std::int32_t>(i));
                } else {
                    v.push_back(x);
                    r.push_back(static_cast<std::int32_t>(i));
                }
            }
            radix_sort(v, r);
            v.resize(static_cast<std::size_t>(n_rows), std::numeric_limits<T>::quiet_NaN());
            r.insert(r.end(), missing.begin(), missing.end());
            has_missing[static_cast<std::size_t>(f)] = missing.empty() ? 0 : 1;
            std::copy(v.begin(), v.end(), values.begin() + f * n_rows);
            std::copy(r.begin(), r.end(), rows.begin() + f * n_rows);
        });
    }
};

/// Grows one tree with exact splits; see the file comment.
template <class T>
class exact_grower : public grower_base<exact_grower<T>> {
    using base = grower_base<exact_grower<T>>;
    friend base;

public:
    /// `weight` holds each training row's weight; rows of weight 0 are not in the tree.
    exact_grower(const presorted<T>& data, const targets& target, const std::vector<double>& weight,
                 const grow_settings& settings, random_engine& rng)
        : base(data.n_features, target, weight, settings, rng), d_(data.n_features), has_missing_(data.has_missing) {
        for (double w : weight) m_ += w > 0 ? 1 : 0;
        const auto size = static_cast<std::size_t>(m_ * d_);
        values_.resize(size);
        rows_.resize(size);
        for (Index f = 0; f < d_; ++f) {
            const T* v = data.values.data() + f * data.n_rows;
            const std::int32_t* r = data.rows.data() + f * data.n_rows;
            T* vo = values_.data() + f * m_;
            std::int32_t* ro = rows_.data() + f * m_;
            Index k = 0;
            for (Index j = 0; j < data.n_rows; ++j) {
                if (weight[static_cast<std::size_t>(r[j])] > 0) {
                    vo[k] = v[j];
                    ro[k] = r[j];
                    ++k;
                }
            }
        }
        scratch_values_.resize(static_cast<std::size_t>(m_));
        scratch_rows_.resize(static_cast<std::size_t>(m_));
        goes_left_.assign(static_cast<std::size_t>(data.n_rows), 0);
    }

private:
    [[nodiscard]] Index size() const noexcept { return m_; }
    /// The rows of positions start, start + 1, … (in feature 0's order; every feature holds the
    /// same set in a node's range).
    [[nodiscard]] const std::int32_t* node_rows(Index start) const { return rows_.data() + start; }

    void on_leaf(Index, Index) {}

    void search(Index start, Index end, split_choice& best) {
        this->for_features([&](Index f) {
            const T* v = values_.data() + f * m_;
            Index end_present = end;  // the node's samples missing f come last
            if (has_missing_[static_cast<std::size_t>(f)]) {
                while (end_present > start && v[end_present - 1] != v[end_present - 1]) --end_present;
            }
            if (end_present == start ||
                static_cast<double>(v[end_present - 1]) <= static_cast<double>(v[start]) + feature_threshold) {
                return false;
            }
            if (this->s_.splitter == Splitter::random) {
                random_threshold(f, start, end, best);
            } else {
                scan(f, start, end_present, end, best);
            }
            return true;
        });
        if (best.pos < end) partition(start, end, best);
    }

    /// Every threshold of feature f, by the criterion's fastest loop; positions [end_present, end)
    /// hold the node's samples missing f.
    void scan(Index f, Index start, Index end_present, Index end, split_choice& best) {
        const Criterion c = this->s_.criterion;
        if (this->target_.classification()) {
            if (this->unit_) {
                scan_sums<true, true>(f, start, end_present, end, best);
            } else {
                scan_sums<true, false>(f, start, end_present, end, best);
            }
        } else if (c == Criterion::absolute_error) {
            scan_absolute_error(f, start, end, best);
        } else if (this->unit_) {
            scan_sums<false, true>(f, start, end_present, end, best);
        } else {
            scan_sums<false, false>(f, start, end_present, end, best);
        }
    }

    /// Takes the split after sorted position `boundary` − 1 of f (n_left samples left, those
    /// missing f among them when missing_left) when its score beats the best so far. Without
    /// missing samples, NaN at predict goes to the larger child, as scikit-learn sends it.
    void consider(double score, Index f, Index start, Index end, Index boundary, Index n_left, Index n_missing,
                  bool missing_left, const T* v, split_choice& best) {
        if (score > best.proxy) {
            best.proxy = score;
            best.feature = f;
            best.pos = start + n_left;
            best.boundary = boundary;
            best.n_missing = n_missing;
            best.missing_left = n_missing > 0 ? missing_left : n_left > end - start - n_left;
            best.threshold = midpoint(v[boundary - 1], v[boundary]);
        }
    }

    /// Passes over feature f's sorted values [start, end_present), keeping the left counts
    /// (Classification) or the left Σwy; Unit: every weight is 1. With samples missing f
    /// (positions [end_present, end)), scikit-learn's three kinds of split are scored: each
    /// threshold with the missing samples right, then with them left, then the present samples
    /// left and the missing right (threshold +inf).
    template <bool Classification, bool Unit>
    void scan_sums(Index f, Index start, Index end_present, Index end, split_choice& best) {
        const T* v = values_.data() + f * m_;
        const std::int32_t* r = rows_.data() + f * m_;
        const double* w = this->weight_.data();
        const std::int32_t* codes = this->target_.codes.data();
        const double* y = this->target_.y.data();
        const Index k = this->target_.n_classes, min_leaf = this->s_.min_samples_leaf;
        const double min_weight = this->s_.min_weight_leaf, wt = this->node_.weight;
        const Criterion c = this->s_.criterion;
        const Index n = end - start, n_missing = end - end_present;
        double* cl = this->left_.counts.data();
        // The missing samples' sums.
        missing_counts_.assign(static_cast<std::size_t>(k), 0.0);
        double w_missing = 0, s_missing = 0;
        for (Index i = end_present; i < end; ++i) {
            const std::int32_t row = r[i];
            const double wi = Unit ? 1.0 : w[row];
            w_missing += wi;
            if constexpr (Classification) {
                missing_counts_[static_cast<std::size_t>(codes[row])] += wi;
            } else {
                s_missing += wi * y[row];
            }
        }
        auto score = [&](double wl, double sl) {
            if constexpr (Classification) {
                return classification_proxy(c, cl, this->node_.counts.data(), this->right_counts_.data(), k, wl, wt);
            } else {
                return regression_proxy(c, sl, wl, this->node_.sum, wt);
            }
        };
        const bool check = this->constrained(f);  // (then no sample misses a value: NaN is refused)
        for (int pass = 0; pass < (n_missing > 0 ? 2 : 1); ++pass) {
            const bool missing_left = pass == 1;
            double wl = missing_left ? w_missing : 0.0, sl = missing_left ? s_missing : 0.0;
            for (Index j = 0; j < k; ++j) cl[j] = missing_left ? missing_counts_[static_cast<std::size_t>(j)] : 0.0;
            const Index n_extra = missing_left ? n_missing : 0;
            for (Index i = start; i + 1 < end_present; ++i) {
                const std::int32_t row = r[i];
                const double wi = Unit ? 1.0 : w[row];
                wl += wi;
                if constexpr (Classification) {
                    cl[codes[row]] += wi;
                } else {
                    sl += wi * y[row];
                }
                if (static_cast<double>(v[i + 1]) <= static_cast<double>(v[i]) + feature_threshold) continue;
                const Index n_left = i + 1 - start + n_extra;
                if (n_left < min_leaf) continue;
                if (n - n_left < min_leaf) break;
                if (wl < min_weight || wt - wl < min_weight) continue;
                if (check && !this->monotonic_ok_sums(f, cl, sl, wl)) continue;
                consider(score(wl, sl), f, start, end, i + 1, n_left, n_missing, missing_left, v, best);
            }
        }
        if (n_missing > 0) {
            const Index n_left = end_present - start;
            const double wl = wt - w_missing;
            if (n_left < min_leaf || n_missing < min_leaf || wl < min_weight || w_missing < min_weight) return;
            for (Index j = 0; j < k; ++j) {
                cl[j] = this->node_.counts[static_cast<std::size_t>(j)] - missing_counts_[static_cast<std::size_t>(j)];
            }
            const double s = score(wl, this->node_.sum - s_missing);
            if (s > best.proxy) {
                best.proxy = s;
                best.feature = f;
                best.pos = end_present;
                best.boundary = end_present;
                best.n_missing = n_missing;
                best.missing_left = false;
                best.threshold = infinity;
            }
        }
    }

    /// absolute_error: the children's weighted medians and deviations at every position, O(n²)
    /// per node and feature as scikit-learn's.
    void scan_absolute_error(Index f, Index start, Index end, split_choice& best) {
        const T* v = values_.data() + f * m_;
        const std::int32_t* r = rows_.data() + f * m_;
        double wl = 0;
        const double wt = this->node_.weight;
        const bool check = this->constrained(f);
        for (Index i = start; i + 1 < end; ++i) {
            wl += this->weight_[static_cast<std::size_t>(r[i])];
            if (static_cast<double>(v[i + 1]) <= static_cast<double>(v[i]) + feature_threshold) continue;
            const Index pos = i + 1;
            if (pos - start < this->s_.min_samples_leaf) continue;
            if (end - pos < this->s_.min_samples_leaf) break;
            if (wl < this->s_.min_weight_leaf || wt - wl < this->s_.min_weight_leaf) continue;
            double ml = 0, mr = 0;  // the children's medians
            const double il = absolute_error(this->target_, this->weight_, r + start, pos - start, this->pairs_, &ml);
            const double ir = absolute_error(this->target_, this->weight_, r + pos, end - pos, this->pairs_, &mr);
            if (check && !this->monotonic_ok(f, ml, mr)) continue;
            consider(-(wt - wl) * ir - wl * il, f, start, end, pos, pos - start, 0, false, v, best);
        }
    }

    /// One threshold drawn uniformly between the node's extremes of feature f (Extra-Trees).
    void random_threshold(Index f, Index start, Index end, split_choice& best) {
        const T* v = values_.data() + f * m_;
        const std::int32_t* r = rows_.data() + f * m_;
        const double low = static_cast<double>(v[start]), high = static_cast<double>(v[end - 1]);
        double threshold = low + (high - low) * this->rng_.uniform();
        if (threshold == high) threshold = low;
        const Index pos =
            std::upper_bound(v + start, v + end, threshold, [](double t, T x) { return t < static_cast<double>(x); }) -
            v;
        if (pos - start < this->s_.min_samples_leaf || end - pos < this->s_.min_samples_leaf) return;
        sums& l = this->left_;
        l.clear(this->target_.n_classes);
        for (Index k = start; k < pos; ++k) l.add(this->target_, r[k], this->weight_[static_cast<std::size_t>(r[k])]);
        const double wt = this->node_.weight;
        if (l.weight < this->s_.min_weight_leaf || wt - l.weight < this->s_.min_weight_leaf) return;
        const bool check = this->constrained(f);
        double score;
        if (this->target_.classification()) {
            if (check && !this->monotonic_ok_sums(f, l.counts.data(), 0.0, l.weight)) return;
            score = classification_proxy(this->s_.criterion, l.counts.data(), this->node_.counts.data(),
                                         this->right_counts_.data(), this->target_.n_classes, l.weight, wt);
        } else if (this->s_.criterion == Criterion::absolute_error) {
            double ml = 0, mr = 0;  // the children's medians
            const double il = absolute_error(this->target_, this->weight_, r + start, pos - start, this->pairs_, &ml);
            const double ir = absolute_error(this->target_, this->weight_, r + pos, end - pos, this->pairs_, &mr);
            if (check && !this->monotonic_ok(f, ml, mr)) return;
            score = -(wt - l.weight) * ir - l.weight * il;
        } else {
            if (check && !this->monotonic_ok_sums(f, nullptr, l.sum, l.weight)) return;
            score = regression_proxy(this->s_.criterion, l.sum, l.weight, this->node_.sum, wt);
        }
        if (score > best.proxy) {
            best.proxy = score;
            best.feature = f;
            best.pos = pos;
            best.boundary = pos;
            best.n_missing = 0;
            best.missing_left = pos - start > end - pos;
            best.threshold = threshold;
        }
    }

    /// scikit-learn's threshold between two sorted values: their midpoint, or the lower value
    /// when the midpoint rounds to the upper one.
    static double midpoint(T a, T b) {
        const double t = static_cast<double>(a) / 2.0 + static_cast<double>(b) / 2.0;
        if (t == static_cast<double>(b) || std::isinf(t)) return static_cast<double>(a);
        return t;
    }

    /// Splits positions [start, end) of every feature stably into the chosen split's left
    /// samples, then the right ones.
    void partition(Index start, Index end, const split_choice& split) {
        const std::int32_t* chosen = rows_.data() + split.feature * m_;
        const bool missing_left = split.n_missing > 0 && split.missing_left;
        for (Index k = start; k < split.boundary; ++k) goes_left_[static_cast<std::size_t>(chosen[k])] = 1;
        if (missing_left) {
            for (Index k = end - split.n_missing; k < end; ++k) goes_left_[static_cast<std::size_t>(chosen[k])] = 1;
        }
        for (Index f = 0; f < d_; ++f) {
            if (f == split.feature && !missing_left) continue;  // already in order
            T* v = values_.data() + f * m_;
            std::int32_t* r = rows_.data() + f * m_;
            // Branch-free: each sample is written to both sides and only its side's front
            // advances (the slot at `left` is free, its sample already read).
            T* scratch_v = scratch_values_.data();
            std::int32_t* scratch_r = scratch_rows_.data();
            const std::uint8_t* side = goes_left_.data();
            Index left = start, right = 0;
            for (Index k = start; k < end; ++k) {
                const std::int32_t row = r[k];
                const T value = v[k];
                const Index goes_left = side[row];
                v[left] = value;
                r[left] = row;
                scratch_v[right] = value;
                scratch_r[right] = row;
                left += goes_left;
                right += 1 - goes_left;
            }
            std::copy(scratch_values_.begin(), scratch_values_.begin() + right, v + left);
            std::copy(scratch_rows_.begin(), scratch_rows_.begin() + right, r + left);
        }
        for (Index k = start; k < split.pos; ++k) goes_left_[static_cast<std::size_t>(chosen[k])] = 0;
    }

    std::vector<double> missing_counts_;

    Index d_ = 0, m_ = 0;
    const std::vector<char>& has_missing_;
    std::vector<T> values_, scratch_values_;
    std::vector<std::int32_t> rows_, scratch_rows_;
    std::vector<std::uint8_t> goes_left_;
};

}  // namespace kestrel::tree::detail
