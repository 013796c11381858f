#pragma once
/// \file
/// make_regression: a random linear model with Gaussian inputs, as sklearn.datasets.make_regression.

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <optional>
#include <vector>

#include <Eigen/Core>
#include <Eigen/QR>

#include "../core/dataset.hpp"
#include "../core/params.hpp"
#include "../core/random.hpp"
#include "../core/types.hpp"
#include "detail/sampling.hpp"

namespace kestrel::datasets {

/// Parameters of make_regression, in scikit-learn's order and with its defaults.
/// `effective_rank` absent is scikit-learn's None (well-conditioned standard-normal inputs).
/// scikit-learn's `n_targets` (one target only here) and `coef` (the coefficients are always
/// returned) have no field.
struct MakeRegressionParams {
    Index n_samples = 100;                  ///< samples
    Index n_features = 100;                 ///< features
    Index n_informative = 10;               ///< features with a non-zero coefficient
    double bias = 0.0;                      ///< the intercept added to y
    std::optional<Index> effective_rank{};  ///< approximate rank of X; absent = full rank
    double tail_strength = 0.5;             ///< weight of the singular-value tail, in [0, 1] (with effective_rank)
    double noise = 0.0;                     ///< standard deviation of the Gaussian noise added to y
    bool shuffle = true;                    ///< shuffle the samples and the features
    /// The seed of every random draw.
    std::uint64_t random_state = default_random_state;

    /// Throws invalid_parameter naming the first field out of its range.
    void validate() const {
        constexpr std::string_view who = "make_regression";
        require_param(n_samples >= 0, who, "n_samples", n_samples, "must be >= 0");
        require_param(n_features >= 1, who, "n_features", n_features, "must be >= 1");
        require_param(n_informative >= 0, who, "n_informative", n_informative, "must be >= 0");
        require_param(!effective_rank || *effective_rank >= 1, who, "effective_rank", effective_rank.value_or(0),
                      "must be >= 1 or absent");
        require_param(tail_strength >= 0 && tail_strength <= 1, who, "tail_strength", tail_strength,
                      "must be in [0, 1]");
        require_param(noise >= 0, who, "noise", noise, "must be >= 0");
        require_param(std::isfinite(bias), who, "bias", bias, "must be finite");
    }
};

/// A make_regression result: the Dataset (y = X · coef + bias + noise) plus the true
/// coefficients `coef` (scikit-learn's `coef=True`), in the order of X's (shuffled) columns.
template <std::floating_point T>
struct RegressionDataset : Dataset<T, Vector<T>> {
    Vector<T> coef;  ///< the true coefficients, one per feature (0 for the uninformative ones)
};

namespace detail {

/// A matrix with the bell-shaped singular profile of scikit-learn's `make_low_rank_matrix`:
/// U · diag(s) · Vᵀ with random orthonormal U, V and
/// s_i = (1 - tail_strength) · exp(-(i / effective_rank)²) + tail_strength · exp(-0.1 · i / effective_rank).
/// A template so that the QR code is compiled only where make_regression is called.
template <class Engine>
Matrix<double> low_rank_matrix(Index n_samples, Index n_features, double effective_rank, double tail_strength,
                               Engine& rng) {
    const Index n = std::min(n_samples, n_features);
    const auto orthonormal = [&](Index rows) {
        Eigen::MatrixXd gaussian(rows, n);
        fill_standard_normal(gaussian, rng);
        return Eigen::MatrixXd(Eigen::HouseholderQR<Eigen::MatrixXd>(gaussian).householderQ() *
                               Eigen::MatrixXd::Identity(rows, n));
    };
    const Eigen::MatrixXd u = orthonormal(n_samples);
    const Eigen::MatrixXd v = orthonormal(n_features);
    Eigen::VectorXd s(n);
    for (Index i = 0; i < n; ++i) {
        const double r = static_cast<double>(i) / effective_rank;
        s[i] = (1 - tail_strength) * std::exp(-r * r) + tail_strength * std::exp(-0.1 * r);
    }
    return u * s.asDiagonal() * v.transpose();
}

}  // namespace detail

/// A random regression problem, as scikit-learn's `make_regression`: X standard normal (or, with
/// `effective_rank`, a low-rank matrix with a fat singular tail), `n_informative` coefficients
/// uniform in [0, 100) and the rest zero, y = X · coef + bias + N(0, noise²); rows and columns
/// shuffled. Values are computed in double and rounded to T. The stream is kestrel's
/// (deterministic per random_state on every platform), not NumPy's. Throws invalid_parameter.
template <std::floating_point T = double>
RegressionDataset<T> make_regression(const MakeRegressionParams& params = {}) {
    params.validate();
    random_engine rng(params.random_state);
    const Index n = params.n_samples, d = params.n_features;
    const Index n_inf = std::min(params.n_informative, d);

    Matrix<double> low_rank;
    if (params.effective_rank) {
        low_rank =
            detail::low_rank_matrix(n, d, static_cast<double>(*params.effective_rank), params.tail_strength, rng);
    }
    Vector<double> coef = Vector<double>::Zero(d);
    for (Index j = 0; j < n_inf; ++j) coef[j] = 100 * rng.uniform();
    const std::vector<Index> row_of = detail::destinations(n, params.shuffle, rng);
    const std::vector<Index> column_of = detail::destinations(d, params.shuffle, rng);

    RegressionDataset<T> out;
    out.X.resize(n, d);
    out.y.resize(n);
    Eigen::Matrix<double, 1, Eigen::Dynamic> row(d);
    for (Index r = 0; r < n; ++r) {
        if (params.effective_rank) {
            row = low_rank.row(r);
        } else {
            detail::fill_standard_normal(row, rng);
        }
        double target = row.dot(coef.transpose()) + params.bias;
        if (params.noise > 0) target += params.noise * rng.normal();
        const Index i = row_of[static_cast<std::size_t>(r)];
        for (Index j = 0; j < d; ++j) out.X(i, column_of[static_cast<std::size_t>(j)]) = static_cast<T>(row[j]);
        out.y[i] = static_cast<T>(target);
    }
    out.coef.resize(d);
    for (Index j = 0; j < d; ++j) out.coef[column_of[static_cast<std::size_t>(j)]] = static_cast<T>(coef[j]);
    return out;
}

}  // namespace kestrel::datasets
