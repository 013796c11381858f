#pragma once
/// \file
/// The bins of histogram gradient boosting: each feature's thresholds (scikit-learn's
/// `_BinMapper`), and the training data as column-major uint8 bin codes.
///
/// A numeric feature with at most max_bins distinct values gets the midpoints between them as
/// thresholds; otherwise the `midpoint` percentiles at 100·i/max_bins, i = 1 … max_bins−1, of its
/// values, computed as numpy.percentile computes them, so that the thresholds are scikit-learn's to
/// the bit. A categorical feature's bins are its known categories, in order. Value x falls in the
/// bin of the first threshold ≥ x; NaN falls in the last bin (index max_bins), kept for missing
/// values.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "../../core/types.hpp"
#include "binning/avx512.hpp"

namespace kestrel::ensemble::detail::hgb {

/// Thresholds are clipped to this, as scikit-learn's ALMOST_INF.
inline constexpr double almost_inf = 1e300;

/// numpy's `_lerp`: a + (b − a)·t, computed from b's side when t ≥ 1/2.
inline double numpy_lerp(double a, double b, double t) noexcept {
    const double diff = b - a;
    return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/// numpy.percentile(values, percent) with the default (linear) method, on sorted values.
inline double percentile_linear(const std::vector<double>& sorted, double percent) {
    const double q = percent / 100.0;
    const double last = static_cast<double>(sorted.size() - 1);
    const double virtual_index = last * q;
    if (virtual_index >= last) return sorted.back();
    if (virtual_index < 0) return sorted.front();
    const double previous = std::floor(virtual_index);
    const auto i = static_cast<std::size_t>(previous);
    return numpy_lerp(sorted[i], sorted[i + 1], virtual_index - previous);
}

/// numpy.percentile(values, percent, method="midpoint"), on sorted values.
inline double percentile_midpoint(const std::vector<double>& sorted, double percent) {
    const double q = percent / 100.0;
    const double last = static_cast<double>(sorted.size() - 1);
    const double virtual_index = 0.5 * (std::floor(last * q) + std::ceil(last * q));
    if (virtual_index >= last) return sorted.back();
    const double previous = std::floor(virtual_index);
    const auto i = static_cast<std::size_t>(previous);
    const double gamma = std::fmod(virtual_index, 1.0) == 0 ? 0.0 : 0.5;
    return numpy_lerp(sorted[i], sorted[i + 1], gamma);
}

/// The thresholds of one numeric feature from its non-missing values, sorted.
inline std::vector<double> numeric_thresholds(const std::vector<double>& values, int max_bins) {
    std::vector<double> distinct;
    for (double v : values) {
        if (distinct.empty() || distinct.back() != v) distinct.push_back(v);
    }
    std::vector<double> out;
    if (static_cast<int>(distinct.size()) <= max_bins) {
        for (std::size_t i = 0; i + 1 < distinct.size(); ++i) out.push_back((distinct[i] + distinct[i + 1]) * 0.5);
    } else {
        // np.linspace(0, 100, max_bins + 1)[1:-1]: i · (100 / max_bins).
        const double step = 100.0 / static_cast<double>(max_bins);
        for (int i = 1; i < max_bins; ++i) out.push_back(percentile_midpoint(values, static_cast<double>(i) * step));
    }
    for (double& t : out) t = std::min(t, almost_inf);
    return out;
}

/// Every feature's bins.
struct bin_mapper {
    int n_bins = 256;                              ///< max_bins + 1: the last bin holds missing values
    std::vector<std::vector<double>> thresholds;   ///< numeric: bin edges; categorical: the known categories
    std::vector<int> n_bins_non_missing;           ///< bins used by non-missing values, per feature
    std::vector<std::uint8_t> is_categorical;      ///< per feature

    [[nodiscard]] int missing_bin() const noexcept { return n_bins - 1; }
    [[nodiscard]] Index n_features() const noexcept { return static_cast<Index>(thresholds.size()); }

};

/// A feature's thresholds padded to 256 with +∞, for a search of eight steps without branches.
struct padded_thresholds {
    alignas(64) std::array<double, 256> edge;

    explicit padded_thresholds(const std::vector<double>& t) noexcept {
        edge.fill(std::numeric_limits<double>::infinity());
        std::copy(t.begin(), t.end(), edge.begin());
    }
    /// The number of thresholds < x (x not NaN): the bin of x.
    [[nodiscard]] unsigned bin(double x) const noexcept {
        unsigned at = 0;
        for (unsigned step = 128; step > 0; step >>= 1) {
            const unsigned next = at + step;
            at = edge[next - 1] < x ? next : at;  // chosen without a branch (a conditional move)
        }
        return at;
    }
    /// The bins of eight values (none NaN), searched side by side so that their steps overlap.
    void bins8(const double* x, unsigned* out) const noexcept {
        unsigned at[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (unsigned step = 128; step > 0; step >>= 1) {
            for (int j = 0; j < 8; ++j) {
                const unsigned next = at[j] + step;
                at[j] = edge[next - 1] < x[j] ? next : at[j];
            }
        }
        for (int j = 0; j < 8; ++j) out[j] = at[j];
    }
};

/// A feature's thresholds for float data: each the largest float ≤ its threshold, so that for a
/// float x the float is below x exactly when the threshold is; padded to 256 with +∞, and every
/// sixteenth one (edge[15], edge[31], …, edge[255]) copied to `coarse` for a search in two steps
/// of sixteen comparisons (AVX-512's, in binning/avx512.hpp). The thresholds are sorted and at
/// most 255, as a bin mapper's are: edge[255] is always +∞, so that the first step finds a block
/// among the sixteen.
struct float_thresholds {
    alignas(64) std::array<float, 16> coarse;
    alignas(64) std::array<float, 256> edge;

    /// Whether bin() compares sixteen lanes at a time (AVX-512 targets): elsewhere float data is
    /// binned by padded_thresholds' binary searches, eight side by side.
#if defined(__AVX512F__)
    static constexpr bool vectorised = true;
#else
    static constexpr bool vectorised = false;
#endif

    explicit float_thresholds(const std::vector<double>& t) noexcept {
        edge.fill(std::numeric_limits<float>::infinity());
        for (std::size_t k = 0; k < t.size() && k + 1 < edge.size(); ++k) {
            // Rounded to nearest (beyond the float range: ±∞), then one float down if that rose.
            float below = static_cast<float>(t[k]);
            if (static_cast<double>(below) > t[k]) {
                below = std::nextafter(below, -std::numeric_limits<float>::infinity());
            }
            edge[k] = below;
        }
        for (std::size_t k = 0; k < coarse.size(); ++k) coarse[k] = edge[16 * k + 15];
    }
    /// The number of thresholds < x (x not NaN): the bin of x. Sixteen coarse comparisons find
    /// x's block of sixteen thresholds (the blocks before it lie wholly below x), sixteen more
    /// count those of the block below x.
    [[nodiscard]] unsigned bin(float x) const noexcept {
#if defined(__AVX512F__)
        return avx512::bin_by_blocks(coarse.data(), edge.data(), x);
#else
        return bin_by_blocks(x);
#endif
    }
    /// The same two counts, a threshold at a time: AVX-512's twin.
    [[nodiscard]] unsigned bin_by_blocks(float x) const noexcept {
        unsigned block = 0, within = 0;
        for (float c : coarse) block += c < x ? 1 : 0;
        for (unsigned k = 0; k < 16; ++k) within += edge[16 * block + k] < x ? 1 : 0;
        return 16 * block + within;
    }
};

}  // namespace kestrel::ensemble::detail::hgb
