#pragma once
/// \file
/// make_blobs: isotropic Gaussian clusters, as sklearn.datasets.make_blobs.

#include <concepts>
#include <cstdint>
#include <iterator>
#include <numeric>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "../core/dataset.hpp"
#include "../core/params.hpp"
#include "../core/random.hpp"
#include "../core/types.hpp"
#include "detail/sampling.hpp"

namespace kestrel::datasets {

/// make_blobs' `centers`: absent (scikit-learn's None: 3 random centres, or one per entry of
/// `n_samples_per_center`), a number of random centres, or the centres themselves, one a row.
using BlobCenters = std::variant<std::monostate, Index, Matrix<double>>;

/// Parameters of make_blobs, in scikit-learn's order and with its defaults. scikit-learn's
/// `n_samples` may be a list; here that list is `n_samples_per_center`, which overrides
/// `n_samples` when not empty. `cluster_std` holds one value for every centre, or one per centre.
/// `return_centers` has no field: the centres are always returned.
struct MakeBlobsParams {
    Index n_samples = 100;                              ///< samples in all, split evenly over the centres
    std::vector<Index> n_samples_per_center{};          ///< samples per centre; overrides n_samples when not empty
    Index n_features = 2;                               ///< ignored when `centers` holds a matrix
    BlobCenters centers{};                              ///< None, a number of random centres, or the centres
    std::vector<double> cluster_std{1.0};               ///< standard deviation: one for all, or one per centre
    std::pair<double, double> center_box{-10.0, 10.0};  ///< (low, high) bounds of random centres
    bool shuffle = true;                                ///< shuffle the samples (otherwise grouped by centre)
    /// The seed of the centres, samples and shuffle.
    std::uint64_t random_state = default_random_state;

    /// Throws invalid_parameter naming the first field out of its range.
    void validate() const {
        constexpr std::string_view who = "make_blobs";
        require_param(n_samples >= 0, who, "n_samples", n_samples, "must be >= 0");
        for (const Index count : n_samples_per_center) {
            require_param(count >= 0, who, "n_samples_per_center", count, "must hold counts >= 0");
        }
        if (const auto* count = std::get_if<Index>(&centers)) {
            require_param(*count >= 1, who, "centers", *count, "must be >= 1");
            require_param(n_samples_per_center.empty(), who, "centers", *count,
                          "must be absent or a matrix when n_samples_per_center is given");
        }
        if (const auto* matrix = std::get_if<Matrix<double>>(&centers)) {
            require_param(matrix->rows() >= 1 && matrix->cols() >= 1, who, "centers",
                          std::to_string(matrix->rows()) + "x" + std::to_string(matrix->cols()),
                          "must have at least one row and one column");
            require_param(n_samples_per_center.empty() || std::ssize(n_samples_per_center) == matrix->rows(), who,
                          "centers", std::to_string(matrix->rows()) + " rows",
                          "must have one row per entry of n_samples_per_center");
        } else {
            require_param(n_features >= 1, who, "n_features", n_features, "must be >= 1");
        }
        require_param(!cluster_std.empty(), who, "cluster_std", "{}", "must hold at least one value");
        for (const double s : cluster_std) require_param(s >= 0, who, "cluster_std", s, "must hold values >= 0");
        require_param(center_box.first <= center_box.second, who, "center_box",
                      std::to_string(center_box.first) + ", " + std::to_string(center_box.second),
                      "must be (low, high) with low <= high");
    }
};

/// A make_blobs result: the Dataset (X, labels y = index of each sample's centre) plus the
/// centres (scikit-learn's `return_centers=True`).
template <std::floating_point T>
struct BlobsDataset : Dataset<T, Labels> {
    Matrix<T> centers;  ///< the centres, one a row: n_centres × n_features
};

/// Isotropic Gaussian blobs for clustering, as scikit-learn's `make_blobs`: samples are split
/// over the centres as evenly as possible (the first `n_samples % n_centres` get one more), each
/// drawn from N(centre, cluster_std² I); random centres are uniform in `center_box`. Values are
/// computed in double and rounded to T, so the float data is the double data rounded. The stream
/// is kestrel's (deterministic per random_state on every platform), not NumPy's.
/// Throws invalid_parameter.
template <std::floating_point T = double>
BlobsDataset<T> make_blobs(const MakeBlobsParams& params = {}) {
    params.validate();
    random_engine rng(params.random_state);

    Matrix<double> centers;
    if (const auto* given = std::get_if<Matrix<double>>(&params.centers)) {
        centers = *given;
    } else {
        const Index* count = std::get_if<Index>(&params.centers);
        const Index n_centers = count                                 ? *count
                                : params.n_samples_per_center.empty() ? Index{3}
                                                                      : std::ssize(params.n_samples_per_center);
        centers.resize(n_centers, params.n_features);
        for (Index k = 0; k < n_centers; ++k) {
            for (Index j = 0; j < params.n_features; ++j) {
                centers(k, j) = rng.uniform(params.center_box.first, params.center_box.second);
            }
        }
    }
    const Index n_centers = centers.rows(), n_features = centers.cols();
    require_param(std::ssize(params.cluster_std) == 1 || std::ssize(params.cluster_std) == n_centers, "make_blobs",
                  "cluster_std", std::to_string(params.cluster_std.size()) + " values",
                  "must hold one value or one per centre (" + std::to_string(n_centers) + ")");

    std::vector<Index> per_center = params.n_samples_per_center;
    if (per_center.empty()) {
        per_center.assign(static_cast<std::size_t>(n_centers), params.n_samples / n_centers);
        for (Index k = 0; k < params.n_samples % n_centers; ++k) ++per_center[static_cast<std::size_t>(k)];
    }
    const Index n_samples = std::accumulate(per_center.begin(), per_center.end(), Index{0});

    BlobsDataset<T> out;
    out.X.resize(n_samples, n_features);
    out.y.resize(n_samples);
    const std::vector<Index> row_of = detail::destinations(n_samples, params.shuffle, rng);
    Index generated = 0;
    for (Index k = 0; k < n_centers; ++k) {
        const double std_k = params.cluster_std[params.cluster_std.size() == 1 ? 0 : static_cast<std::size_t>(k)];
        for (Index r = 0; r < per_center[static_cast<std::size_t>(k)]; ++r, ++generated) {
            const Index i = row_of[static_cast<std::size_t>(generated)];
            for (Index j = 0; j < n_features; ++j) out.X(i, j) = static_cast<T>(centers(k, j) + std_k * rng.normal());
            out.y[i] = static_cast<int>(k);
        }
    }
    out.centers = centers.cast<T>();
    return out;
}

}  // namespace kestrel::datasets
