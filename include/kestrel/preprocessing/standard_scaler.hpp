#pragma once
/// \file
/// StandardScaler: centre each feature on its mean and scale it to unit variance.

#include <cmath>
#include <concepts>
#include <limits>
#include <string_view>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/dataset.hpp"
#include "../core/detail/validation.hpp"
#include "../core/types.hpp"

namespace kestrel::preprocessing {

/// Standardises features as scikit-learn's `StandardScaler`: z = (x − mean) / scale, with the
/// population variance (ddof = 0), optional sample weights, and `partial_fit` for data seen in
/// batches (Chan, Golub and LeVeque's pairwise update, as scikit-learn's
/// `_incremental_mean_and_var`). A feature of (near) zero variance gets scale 1, as in
/// scikit-learn. Sums are accumulated in double for either scalar. NaN and infinity are rejected.
template <std::floating_point T = double>
class StandardScaler {
public:
    using scalar_type = T;
    static constexpr std::string_view name = "StandardScaler";

    struct Params {
        bool with_mean = true;  ///< subtract the mean
        bool with_std = true;   ///< divide by the standard deviation
        constexpr void validate() const noexcept {}
        friend constexpr bool operator==(const Params&, const Params&) = default;
    };

    explicit StandardScaler(Params params = {}) : params_(params) {}

    [[nodiscard]] const Params& params() const noexcept { return params_; }
    StandardScaler& set_params(const Params& params) {
        params_ = params;
        return *this;
    }
    [[nodiscard]] bool is_fitted() const noexcept { return n_features_in_ > 0; }

    /// Computes the mean and variance of X's columns (forgetting any earlier fit).
    template <matrix_of<T> M>
    StandardScaler& fit(const M& X) {
        reset();
        return partial_fit(X);
    }

    /// As fit(X), each row weighted by `sample_weight` (non-negative, one per row).
    template <matrix_of<T> M, vector_of<T> W>
    StandardScaler& fit(const M& X, const W& sample_weight) {
        reset();
        return partial_fit(X, sample_weight);
    }

    /// Fits on a Dataset's X (and its sample_weight when it has one); its targets are ignored.
    template <class Target>
    StandardScaler& fit(const Dataset<T, Target>& data) {
        return data.sample_weight.size() > 0 ? fit(data.X, data.sample_weight) : fit(data.X);
    }

    /// Updates the statistics with one more batch of rows.
    template <matrix_of<T> M>
    StandardScaler& partial_fit(const M& X) {
        return update(X, Vector<T>());
    }

    /// Updates the statistics with one more batch of weighted rows.
    template <matrix_of<T> M, vector_of<T> W>
    StandardScaler& partial_fit(const M& X, const W& sample_weight) {
        return update(X, sample_weight);
    }

    /// (X − mean) / scale, as the parameters ask. Throws not_fitted, invalid_input.
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> transform(const M& X) const {
        detail::check_predict_matrix(X, is_fitted(), n_features_in_, name);
        Matrix<T> Z = X;
        if (params_.with_mean) Z.rowwise() -= mean_.transpose();
        if (params_.with_std) Z.array().rowwise() /= scale_.transpose().array();
        return Z;
    }

    /// X · scale + mean: undoes transform.
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> inverse_transform(const M& Z) const {
        detail::check_predict_matrix(Z, is_fitted(), n_features_in_, name);
        Matrix<T> X = Z;
        if (params_.with_std) X.array().rowwise() *= scale_.transpose().array();
        if (params_.with_mean) X.rowwise() += mean_.transpose();
        return X;
    }

    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> fit_transform(const M& X) {
        return fit(X).transform(X);
    }

    /// Per-feature mean; empty when both with_mean and with_std are false (None in scikit-learn).
    [[nodiscard]] const Vector<T>& mean() const { return fitted(mean_); }
    /// Per-feature population variance; empty when with_std is false.
    [[nodiscard]] const Vector<T>& var() const { return fitted(var_); }
    /// Per-feature scale (standard deviation, 1 where it is zero); empty when with_std is false.
    [[nodiscard]] const Vector<T>& scale() const { return fitted(scale_); }
    /// Samples seen so far (the sum of their weights when weighted).
    [[nodiscard]] T n_samples_seen() const {
        detail::check_fitted(is_fitted(), name);
        return static_cast<T>(n_samples_seen_);
    }
    [[nodiscard]] Index n_features_in() const {
        detail::check_fitted(is_fitted(), name);
        return n_features_in_;
    }

private:
    void reset() {
        n_features_in_ = 0;
        n_samples_seen_ = 0;
        sum_mean_.resize(0);
        sum_var_.resize(0);
        mean_.resize(0);
        var_.resize(0);
        scale_.resize(0);
    }

    const Vector<T>& fitted(const Vector<T>& v) const {
        detail::check_fitted(is_fitted(), name);
        return v;
    }

    template <class M, class W>
    StandardScaler& update(const M& X, const W& sample_weight) {
        params_.validate();
        detail::check_training_matrix(X, name);
        if (is_fitted()) detail::check_n_features(X.cols(), n_features_in_, name);
        const Index n = X.rows(), d = X.cols();
        const bool weighted = sample_weight.size() > 0;
        const Eigen::VectorXd w = detail::checked_sample_weight<T>(sample_weight, n, name).template cast<double>();
        const Eigen::MatrixXd Xd = X.template cast<double>();

        if (!is_fitted()) {
            sum_mean_ = Eigen::VectorXd::Zero(d);
            sum_var_ = Eigen::VectorXd::Zero(d);
        }
        const double new_count = weighted ? w.sum() : static_cast<double>(n);
        if (params_.with_mean || params_.with_std) {
            // Chan et al.'s update of (count, mean, variance) by a batch, as scikit-learn does it.
            const Eigen::VectorXd new_sum = weighted ? Eigen::VectorXd(Xd.transpose() * w) : Eigen::VectorXd(Xd.colwise().sum().transpose());
            const double last_count = n_samples_seen_;
            const double updated_count = last_count + new_count;
            const Eigen::VectorXd last_sum = sum_mean_ * last_count;
            const Eigen::VectorXd updated_mean = (last_sum + new_sum) / updated_count;
            if (params_.with_std) {
                const Eigen::VectorXd batch_mean = new_sum / new_count;
                const Eigen::MatrixXd centred = Xd.rowwise() - batch_mean.transpose();
                Eigen::VectorXd correction, new_unnormalised;
                if (weighted) {
                    correction = centred.transpose() * w;
                    new_unnormalised = centred.array().square().matrix().transpose() * w;
                } else {
                    correction = centred.colwise().sum().transpose();
                    new_unnormalised = centred.array().square().colwise().sum().transpose();
                }
                new_unnormalised.array() -= correction.array().square() / new_count;
                Eigen::VectorXd updated_unnormalised = new_unnormalised;
                if (last_count > 0) {
                    const double last_over_new = last_count / new_count;
                    updated_unnormalised = sum_var_ * last_count + new_unnormalised +
                                           ((last_sum / last_over_new - new_sum).array().square() *
                                            (last_over_new / updated_count))
                                               .matrix();
                }
                sum_var_ = updated_unnormalised / updated_count;
            }
            sum_mean_ = updated_mean;
        }
        n_samples_seen_ += new_count;
        n_features_in_ = d;
        publish();
        return *this;
    }

    // Copies the double-precision statistics into the T-valued accessors.
    void publish() {
        const bool any = params_.with_mean || params_.with_std;
        mean_ = any ? Vector<T>(sum_mean_.template cast<T>()) : Vector<T>();
        if (!params_.with_std) {
            var_.resize(0);
            scale_.resize(0);
            return;
        }
        var_ = sum_var_.template cast<T>();
        scale_.resize(var_.size());
        // scikit-learn's _is_constant_feature: a variance within rounding of zero means a constant column.
        constexpr double eps = std::numeric_limits<double>::epsilon();
        for (Index j = 0; j < var_.size(); ++j) {
            const double v = sum_var_[j];
            const double bound = n_samples_seen_ * eps * v + std::pow(n_samples_seen_ * sum_mean_[j] * eps, 2);
            scale_[j] = v <= bound ? T(1) : static_cast<T>(std::sqrt(v));
        }
    }

    Params params_;
    Index n_features_in_ = 0;
    double n_samples_seen_ = 0;
    Eigen::VectorXd sum_mean_;  // running mean, in double
    Eigen::VectorXd sum_var_;   // running population variance, in double
    Vector<T> mean_, var_, scale_;
};

}  // namespace kestrel::preprocessing
