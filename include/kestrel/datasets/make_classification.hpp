#pragma once
/// \file
/// make_classification: Gaussian clusters on the vertices of a hypercube, as
/// sklearn.datasets.make_classification.

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <iterator>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "../core/dataset.hpp"
#include "../core/params.hpp"
#include "../core/random.hpp"
#include "../core/types.hpp"
#include "detail/sampling.hpp"

namespace kestrel::datasets {

/// Parameters of make_classification, in scikit-learn's order and with its defaults. `weights`
/// empty is scikit-learn's None (balanced classes); it may hold n_classes or n_classes - 1 values
/// (the last class then gets the rest). `shift` and `scale` absent are scikit-learn's None: a
/// random shift in [-class_sep, class_sep] and a random scale in [1, 101] per feature.
struct MakeClassificationParams {
    Index n_samples = 100;              ///< samples
    Index n_features = 20;              ///< all features: informative, redundant, repeated and noise
    Index n_informative = 2;            ///< features that carry the classes (the hypercube's dimensions)
    Index n_redundant = 2;              ///< random linear combinations of the informative features
    Index n_repeated = 0;               ///< copies of informative and redundant features
    int n_classes = 2;                  ///< classes, labelled 0 .. n_classes − 1
    Index n_clusters_per_class = 2;     ///< Gaussian clusters per class
    std::vector<double> weights{};      ///< class proportions; empty = balanced
    double flip_y = 0.01;               ///< fraction of samples given a random class
    double class_sep = 1.0;             ///< half the side of the hypercube: larger is easier
    bool hypercube = true;              ///< clusters on hypercube vertices (false: a random polytope)
    std::optional<double> shift = 0.0;  ///< added to every feature; absent = random per feature
    std::optional<double> scale = 1.0;  ///< multiplies every feature; absent = random per feature
    bool shuffle = true;                ///< shuffle the samples and the features
    /// The seed of every random draw.
    std::uint64_t random_state = default_random_state;

    /// Throws invalid_parameter naming the first field out of its range.
    void validate() const {
        constexpr std::string_view who = "make_classification";
        require_param(n_samples >= 0, who, "n_samples", n_samples, "must be >= 0");
        require_param(n_informative >= 1, who, "n_informative", n_informative, "must be >= 1");
        require_param(n_redundant >= 0, who, "n_redundant", n_redundant, "must be >= 0");
        require_param(n_repeated >= 0, who, "n_repeated", n_repeated, "must be >= 0");
        require_param(n_informative + n_redundant + n_repeated <= n_features, who, "n_features", n_features,
                      "must be >= n_informative + n_redundant + n_repeated");
        require_param(n_classes >= 1, who, "n_classes", n_classes, "must be >= 1");
        require_param(n_clusters_per_class >= 1, who, "n_clusters_per_class", n_clusters_per_class, "must be >= 1");
        // Beyond 30 informative features only the last 30 keep the vertices distinct (see hypercube_vertices).
        require_param(std::log2(static_cast<double>(n_classes) * static_cast<double>(n_clusters_per_class)) <=
                          static_cast<double>(std::min<Index>(n_informative, 30)),
                      who, "n_informative", n_informative,
                      "must satisfy n_classes * n_clusters_per_class <= 2**n_informative");
        require_param(weights.empty() || std::ssize(weights) == n_classes || std::ssize(weights) == n_classes - 1, who,
                      "weights", std::to_string(weights.size()) + " values",
                      "must be empty or hold n_classes or n_classes - 1 values");
        for (const double w : weights) require_param(w >= 0 && w <= 1, who, "weights", w, "must be in [0, 1]");
        require_param(flip_y >= 0 && flip_y <= 1, who, "flip_y", flip_y, "must be in [0, 1]");
        require_param(std::isfinite(class_sep), who, "class_sep", class_sep, "must be finite");
    }
};

namespace detail {

/// n distinct vertices of the {0, 1}^d hypercube, one a row, in random order. Beyond 30
/// dimensions the leading d - 30 coordinates are free random bits and the last 30 keep the
/// vertices distinct, as scikit-learn's `_generate_hypercube`.
inline Matrix<double> hypercube_vertices(Index n, Index d, random_engine& rng) {
    const Index distinct_bits = std::min<Index>(d, 30);
    // Floyd's algorithm: n distinct codes below 2^distinct_bits without a table of them all.
    const std::uint64_t universe = std::uint64_t{1} << distinct_bits;
    std::vector<std::uint64_t> codes;
    codes.reserve(static_cast<std::size_t>(n));
    for (std::uint64_t j = universe - static_cast<std::uint64_t>(n); j < universe; ++j) {
        const std::uint64_t t = rng.below(j + 1);
        codes.push_back(std::find(codes.begin(), codes.end(), t) == codes.end() ? t : j);
    }
    rng.shuffle(codes.begin(), codes.end());
    Matrix<double> vertices(n, d);
    for (Index k = 0; k < n; ++k) {
        for (Index j = 0; j < d - distinct_bits; ++j) vertices(k, j) = static_cast<double>(rng.below(2));
        for (Index b = 0; b < distinct_bits; ++b) {
            const auto bit = (codes[static_cast<std::size_t>(k)] >> (distinct_bits - 1 - b)) & 1U;
            vertices(k, d - distinct_bits + b) = static_cast<double>(bit);
        }
    }
    return vertices;
}

/// Samples in each cluster: n_samples · weight / n_clusters_per_class rounded down, the rest
/// dealt one by one from the first cluster; cut to n_samples if the weights sum above 1.
inline std::vector<Index> classification_cluster_sizes(const MakeClassificationParams& p) {
    std::vector<double> weights = p.weights;
    if (weights.empty()) weights.assign(static_cast<std::size_t>(p.n_classes), 1.0 / p.n_classes);
    if (std::ssize(weights) == p.n_classes - 1) {
        weights.push_back(1.0 - std::accumulate(weights.begin(), weights.end(), 0.0));
    }
    const Index n_clusters = p.n_classes * p.n_clusters_per_class;
    std::vector<Index> sizes(static_cast<std::size_t>(n_clusters));
    for (Index k = 0; k < n_clusters; ++k) {
        const double w = std::max(0.0, weights[static_cast<std::size_t>(k % p.n_classes)]);
        sizes[static_cast<std::size_t>(k)] =
            static_cast<Index>(static_cast<double>(p.n_samples) * w / static_cast<double>(p.n_clusters_per_class));
    }
    const Index assigned = std::accumulate(sizes.begin(), sizes.end(), Index{0});
    for (Index i = 0; i < p.n_samples - assigned; ++i) ++sizes[static_cast<std::size_t>(i % n_clusters)];
    Index left = p.n_samples;
    for (Index& size : sizes) {
        size = std::min(size, left);
        left -= size;
    }
    return sizes;
}

}  // namespace detail

/// A random n-class problem, as scikit-learn's `make_classification` (after Guyon, "Design of
/// experiments for the NIPS 2003 variable selection benchmark"): each class is
/// `n_clusters_per_class` Gaussian clusters around vertices of a hypercube of side 2·class_sep
/// in the `n_informative` first features, each cluster given a random covariance; then
/// `n_redundant` random linear combinations of the informative features, `n_repeated` copies of
/// informative or redundant ones, and standard-normal noise features. A fraction `flip_y` of the
/// labels is redrawn at random; features are shifted then scaled; rows and columns are shuffled.
/// Values are computed in double and rounded to T. The stream is kestrel's (deterministic per
/// random_state on every platform), not NumPy's. Throws invalid_parameter.
template <std::floating_point T = double>
Dataset<T, Labels> make_classification(const MakeClassificationParams& params = {}) {
    params.validate();
    random_engine rng(params.random_state);
    const Index n = params.n_samples, d = params.n_features, n_inf = params.n_informative;
    const Index n_red = params.n_redundant, n_rep = params.n_repeated;
    const Index n_clusters = params.n_classes * params.n_clusters_per_class;

    Matrix<double> centroids = detail::hypercube_vertices(n_clusters, n_inf, rng);
    centroids.array() = centroids.array() * (2 * params.class_sep) - params.class_sep;
    if (!params.hypercube) {
        for (Index k = 0; k < n_clusters; ++k) centroids.row(k) *= rng.uniform();
        for (Index j = 0; j < n_inf; ++j) centroids.col(j) *= rng.uniform();
    }
    std::vector<Matrix<double>> covariances(static_cast<std::size_t>(n_clusters));
    for (auto& A : covariances) {
        A.resize(n_inf, n_inf);
        for (Index a = 0; a < A.size(); ++a) A.data()[a] = 2 * rng.uniform() - 1;
    }
    Matrix<double> B(n_inf, n_red);
    for (Index a = 0; a < B.size(); ++a) B.data()[a] = 2 * rng.uniform() - 1;
    std::vector<Index> repeated_from(static_cast<std::size_t>(n_rep));
    for (Index& source : repeated_from) {
        source = static_cast<Index>(static_cast<double>(n_inf + n_red - 1) * rng.uniform() + 0.5);
    }
    Vector<double> shift = Vector<double>::Constant(d, params.shift.value_or(0.0));
    if (!params.shift) {
        for (Index j = 0; j < d; ++j) shift[j] = (2 * rng.uniform() - 1) * params.class_sep;
    }
    Vector<double> scale = Vector<double>::Constant(d, params.scale.value_or(1.0));
    if (!params.scale) {
        for (Index j = 0; j < d; ++j) scale[j] = 1 + 100 * rng.uniform();
    }
    const std::vector<Index> row_of = detail::destinations(n, params.shuffle, rng);
    const std::vector<Index> column_of = detail::destinations(d, params.shuffle, rng);

    Dataset<T, Labels> out;
    out.X.resize(n, d);
    out.y.resize(n);
    const std::vector<Index> sizes = detail::classification_cluster_sizes(params);
    Eigen::Matrix<double, 1, Eigen::Dynamic> z(n_inf), row(d);
    Index generated = 0;
    for (Index k = 0; k < n_clusters; ++k) {
        for (Index r = 0; r < sizes[static_cast<std::size_t>(k)]; ++r, ++generated) {
            detail::fill_standard_normal(z, rng);
            row.head(n_inf).noalias() = z * covariances[static_cast<std::size_t>(k)] + centroids.row(k);
            row.segment(n_inf, n_red).noalias() = row.head(n_inf) * B;
            for (Index c = 0; c < n_rep; ++c) row[n_inf + n_red + c] = row[repeated_from[static_cast<std::size_t>(c)]];
            auto useless = row.tail(d - n_inf - n_red - n_rep);
            detail::fill_standard_normal(useless, rng);
            const Index i = row_of[static_cast<std::size_t>(generated)];
            for (Index j = 0; j < d; ++j) {
                out.X(i, column_of[static_cast<std::size_t>(j)]) = static_cast<T>((row[j] + shift[j]) * scale[j]);
            }
            out.y[i] = static_cast<int>(k % params.n_classes);
        }
    }
    for (Index i = 0; i < n; ++i) {
        if (rng.uniform() < params.flip_y) {
            out.y[i] = static_cast<int>(rng.below(static_cast<std::uint64_t>(params.n_classes)));
        }
    }
    return out;
}

}  // namespace kestrel::datasets
