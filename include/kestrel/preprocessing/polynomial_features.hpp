#pragma once
/// \file
/// PolynomialFeatures: every product of the features up to a degree, in scikit-learn's order.

#include <algorithm>
#include <concepts>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/dataset.hpp"
#include "../core/detail/estimator_base.hpp"
#include "../core/detail/validation.hpp"
#include "../core/error.hpp"
#include "../core/params.hpp"
#include "../core/types.hpp"

namespace kestrel::preprocessing {

/// PolynomialFeatures' hyperparameters: scikit-learn's, with `degree=(min_degree, max_degree)`
/// as two fields (`degree` alone is scikit-learn's integer degree); `order` is left out (the
/// output is always a kestrel Matrix).
struct PolynomialFeaturesParams {
    /// scikit-learn's class name.
    static constexpr std::string_view name = "PolynomialFeatures";
    int min_degree = 0;             ///< the smallest degree of the non-bias terms (scikit-learn's degree[0])
    int degree = 2;                 ///< the largest degree of the terms (scikit-learn's degree or degree[1])
    bool interaction_only = false;  ///< only products of distinct features (no x², x²y, ...)
    bool include_bias = true;       ///< start with a column of ones (the degree-0 term)
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static constexpr void fields(Self& p, F&& field) {
        field("min_degree", p.min_degree);
        field("degree", p.degree);
        field("interaction_only", p.interaction_only);
        field("include_bias", p.include_bias);
    }
    /// Throws invalid_parameter: degrees below zero or out of order, or an empty output
    /// (degree 0 without include_bias).
    constexpr void validate() const {
        require_param(min_degree >= 0, name, "min_degree", min_degree, "must be >= 0");
        require_param(degree >= min_degree, name, "degree", degree, "must be >= min_degree");
        require_param(degree > 0 || include_bias, name, "degree", degree,
                      "must be > 0 without include_bias: the output would be empty");
    }
    friend constexpr bool operator==(const PolynomialFeaturesParams&, const PolynomialFeaturesParams&) = default;
};

/// Generates polynomial and interaction features as scikit-learn's `PolynomialFeatures` on dense
/// input: the output's columns are the bias (with `include_bias`), then, degree by degree from
/// max(1, min_degree) to degree, the products x_i1·x_i2·…·x_ik over i1 ≤ i2 ≤ … ≤ ik (strictly
/// increasing with `interaction_only`) in lexicographic order — scikit-learn's column order,
/// computed with its order of multiplications, so values agree to the last bit. `powers()` gives
/// each column's exponents. NaN and infinity are refused, as scikit-learn does; a parameter set
/// whose output count exceeds 2^61 throws invalid_input at fit.
template <std::floating_point T = double>
class PolynomialFeatures : public estimator_base<PolynomialFeatures<T>, T, PolynomialFeaturesParams>,
                           public transformer_mixin<PolynomialFeatures<T>, T> {
    using base = estimator_base<PolynomialFeatures<T>, T, PolynomialFeaturesParams>;

public:
    /// scikit-learn's class name.
    static constexpr std::string_view name = PolynomialFeaturesParams::name;
    using base::base;
    using base::fit;

    /// Checks X and counts the output columns. Throws invalid_parameter, invalid_input.
    template <matrix_of<T> M>
    PolynomialFeatures& fit(const M& X) {
        this->n_features_in_ = 0;
        this->params_.validate();
        kestrel::detail::check_training_matrix(X, name);
        const std::optional<Index> count = output_count(this->params_, X.cols());
        if (!count) {
            throw invalid_input(kestrel::detail::prefixed(
                name, "degree " + std::to_string(this->params_.degree) + " over " + std::to_string(X.cols()) +
                          " features gives more output features than kestrel counts (2^61)"));
        }
        n_output_features_ = *count;
        this->n_features_in_ = X.cols();
        return *this;
    }

    /// The polynomial features of X, `n_output_features()` columns. Throws not_fitted, invalid_input.
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> transform(const M& X) const {
        this->validate_predict(X);
        const std::vector<std::pair<Index, Index>> all = terms();
        const bool bias = this->params_.include_bias;
        const Index kept = n_output_features_ - (bias ? 1 : 0);
        // Column-major work space: every term is a column product of an earlier one.
        Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> W(X.rows(), static_cast<Index>(all.size()));
        for (Index t = 0; t < W.cols(); ++t) {
            const auto [from, j] = all[static_cast<std::size_t>(t)];
            if (from < 0) {
                W.col(t) = X.col(j);
            } else {
                W.col(t) = W.col(from).cwiseProduct(X.col(j));
            }
        }
        Matrix<T> Z(X.rows(), n_output_features_);
        if (bias) Z.col(0).setOnes();
        Z.rightCols(kept) = W.rightCols(kept);
        return Z;
    }

    /// Columns of transform's output, scikit-learn's `n_output_features_`.
    [[nodiscard]] Index n_output_features() const { return this->fitted(n_output_features_); }
    /// Columns of transform's output (the name pipelines ask for); equal to n_output_features().
    [[nodiscard]] Index n_features_out() const { return n_output_features(); }
    /// The exponent of each input feature (column) in each output column (row), scikit-learn's
    /// `powers_`: `n_output_features()` × `n_features_in()`. Throws not_fitted.
    [[nodiscard]] Matrix<int> powers() const {
        const Index n_out = n_output_features();
        const std::vector<std::pair<Index, Index>> all = terms();
        Matrix<int> P = Matrix<int>::Zero(static_cast<Index>(all.size()), this->n_features_in_);
        for (std::size_t t = 0; t < all.size(); ++t) {
            const auto [from, j] = all[t];
            if (from >= 0) P.row(static_cast<Index>(t)) = P.row(from);
            ++P(static_cast<Index>(t), j);
        }
        Matrix<int> out = Matrix<int>::Zero(n_out, this->n_features_in_);
        const Index kept = n_out - (this->params_.include_bias ? 1 : 0);
        out.bottomRows(kept) = P.bottomRows(kept);
        return out;
    }

private:
    friend struct kestrel::detail::persistence_access;

    template <class Archive>
    void persist(Archive& a) {
        if constexpr (Archive::loading) {
            // Only n_features_in_ and the parameters are stored; the count follows from them.
            const std::optional<Index> count = output_count(this->params_, a.n_features());
            a.require(count.has_value(), "the degree gives more output features than kestrel counts (2^61)");
            n_output_features_ = count.value_or(0);
        }
    }

    static constexpr Index count_limit = std::numeric_limits<Index>::max() / 4;

    /// C(n, k), or nothing above count_limit. Each step at least doubles the partial result, so
    /// the loop ends within 63 steps of the limit.
    static std::optional<Index> binomial(Index n, Index k) {
        if (k < 0 || k > n) return 0;
        k = std::min(k, n - k);
        Index r = 1;
        for (Index i = 1; i <= k; ++i) {
            const Index top = n - k + i;
            if (r > count_limit / top) return std::nullopt;
            r = r * top / i;  // C(n − k + i, i): exact
        }
        return r;
    }

    /// The number of output columns (scikit-learn's `_num_combinations`), or nothing when it, or
    /// the count of all terms transform works through, exceeds count_limit.
    static std::optional<Index> output_count(const PolynomialFeaturesParams& p, Index d) {
        const Index bias = p.include_bias ? 1 : 0;
        const Index degree = p.degree, first = std::max(1, p.min_degree);
        if (!p.interaction_only) {
            // Terms of degree 1..D: C(d + D, D) − 1.
            const std::optional<Index> all = binomial(d + degree, d);
            if (!all) return std::nullopt;
            const std::optional<Index> below = binomial(d + first - 1, d);
            return *all - *below + bias;
        }
        Index total = bias, all = 0;
        for (Index k = 1; k <= std::min(degree, d); ++k) {
            const std::optional<Index> block = binomial(d, k);
            if (!block || all > count_limit - *block) return std::nullopt;
            all += *block;
            if (k >= first) total += *block;
        }
        return total;
    }

    /// The non-bias terms of degrees 1 .. degree in scikit-learn's order, each as (from, j): x_j
    /// itself when `from` is −1, else term `from` (of the degree below, its features all >= j)
    /// times x_j — the multiplications scikit-learn's dense transform does, so values agree to the
    /// last bit. The output keeps the last `n_output_features_` (less the bias) of them.
    [[nodiscard]] std::vector<std::pair<Index, Index>> terms() const {
        const PolynomialFeaturesParams& p = this->params_;
        const Index d = this->n_features_in_;
        std::vector<std::pair<Index, Index>> out;
        if (p.degree == 0) return out;
        // index[j]: the first term of the current degree whose smallest feature is j; index[d]:
        // one past its last term.
        std::vector<Index> index(static_cast<std::size_t>(d) + 1);
        for (Index j = 0; j < d; ++j) {
            index[static_cast<std::size_t>(j)] = static_cast<Index>(out.size());
            out.emplace_back(-1, j);
        }
        index[static_cast<std::size_t>(d)] = static_cast<Index>(out.size());
        for (Index k = 2; k <= p.degree; ++k) {
            std::vector<Index> next(static_cast<std::size_t>(d) + 1);
            const Index end = index[static_cast<std::size_t>(d)];
            Index j = 0;
            for (; j < d; ++j) {
                const auto u = static_cast<std::size_t>(j);
                next[u] = static_cast<Index>(out.size());
                const Index start = p.interaction_only ? index[u + 1] : index[u];
                if (end <= start) break;
                for (Index from = start; from < end; ++from) out.emplace_back(from, j);
            }
            for (; j <= d; ++j) next[static_cast<std::size_t>(j)] = static_cast<Index>(out.size());
            index = std::move(next);
            if (index[0] == index[static_cast<std::size_t>(d)]) break;  // no term of degree k
        }
        return out;
    }

    Index n_output_features_ = 0;
};

}  // namespace kestrel::preprocessing
