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
#include "../core/detail/estimator_base.hpp"
#include "../core/detail/validation.hpp"
#include "../core/types.hpp"

namespace kestrel::preprocessing {

/// StandardScaler's hyperparameters, in scikit-learn's order.
struct StandardScalerParams {
    /// scikit-learn's class name.
    static constexpr std::string_view name = "StandardScaler";
    bool with_mean = true;  ///< subtract the mean
    bool with_std = true;   ///< divide by the standard deviation
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static constexpr void fields(Self& p, F&& field) {
        field("with_mean", p.with_mean);
        field("with_std", p.with_std);
    }
    /// Nothing to check: every value of these fields is valid. Part of the Params contract.
    constexpr void validate() const noexcept {}
    friend constexpr bool operator==(const StandardScalerParams&, const StandardScalerParams&) = default;
};

/// Standardises features as scikit-learn's `StandardScaler`: z = (x − mean) / scale, with the
/// population variance (ddof = 0), optional sample weights, and `partial_fit` for data seen in
/// batches (Chan, Golub and LeVeque's pairwise update, as scikit-learn's
/// `_incremental_mean_and_var`). A feature of (near) zero variance gets scale 1, as in
/// scikit-learn. Sums are accumulated in double for either scalar. NaN and infinity are rejected.
template <std::floating_point T = double>
class StandardScaler : public estimator_base<StandardScaler<T>, T, StandardScalerParams>,
                       public transformer_mixin<StandardScaler<T>, T> {
    using base = estimator_base<StandardScaler<T>, T, StandardScalerParams>;

public:
    /// scikit-learn's class name.
    static constexpr std::string_view name = StandardScalerParams::name;
    using base::base;
    using base::fit;

    /// Computes the mean and variance of X's columns (forgetting any earlier fit), each row
    /// weighted by `sample_weight` (non-negative, one per row; `fit(X)` without).
    template <matrix_of<T> M, vector_of<T> W>
    StandardScaler& fit(const M& X, const W& sample_weight) {
        reset();
        return partial_fit(X, sample_weight);
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
        this->validate_predict(X);
        return kestrel::detail::transform_rows(*this, X);
    }

    /// X · scale + mean: undoes transform.
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> inverse_transform(const M& Z) const {
        this->validate_predict(Z);
        Matrix<T> X = Z;
        if (this->params_.with_std) X.array().rowwise() *= scale_.transpose().array();
        if (this->params_.with_mean) X.rowwise() += mean_.transpose();
        return X;
    }

    /// Per-feature mean; empty when both with_mean and with_std are false (None in scikit-learn).
    [[nodiscard]] const Vector<T>& mean() const { return this->fitted(mean_); }
    /// Per-feature population variance; empty when with_std is false.
    [[nodiscard]] const Vector<T>& var() const { return this->fitted(var_); }
    /// Per-feature scale (standard deviation, 1 where it is zero); empty when with_std is false.
    [[nodiscard]] const Vector<T>& scale() const { return this->fitted(scale_); }
    /// Samples seen so far (the sum of their weights when weighted).
    [[nodiscard]] T n_samples_seen() const { return static_cast<T>(this->fitted(n_samples_seen_)); }

private:
    friend struct kestrel::detail::persistence_access;
    friend struct kestrel::detail::one_row_access;

    [[nodiscard]] Index transform_width() const noexcept { return this->n_features_in_; }
    // (x − mean) / scale, feature by feature.
    void transform_row(const T* x, T* out) const noexcept {
        const bool center = this->params_.with_mean, scale = this->params_.with_std;
        for (Index j = 0; j < this->n_features_in_; ++j) {
            T v = x[j];
            if (center) v -= mean_[j];
            if (scale) v /= scale_[j];
            out[j] = v;
        }
    }
    template <class>
    friend struct kestrel::detail::distributed_access;

    // The running statistics in double are what partial_fit continues from; mean_, var_ and
    // scale_ (in T, scikit-learn's names) are written for readers and recomputed from them.
    template <class Archive>
    void persist(Archive& a) {
        const Index d = a.n_features();
        a.value("n_samples_seen_", n_samples_seen_);
        a.vector("_running_mean", sum_mean_, d);
        a.vector("_running_var", sum_var_, d);
        a.require(n_samples_seen_ > 0, "n_samples_seen_ must be positive");
        a.require((sum_var_.array() >= 0).all(), "_running_var holds a negative variance");
        if constexpr (Archive::loading) {
            publish();
        } else {
            a.vector("mean_", mean_);
            a.vector("var_", var_);
            a.vector("scale_", scale_);
        }
    }

    void reset() {
        this->n_features_in_ = 0;
        n_samples_seen_ = 0;
        sum_mean_.resize(0);
        sum_var_.resize(0);
        mean_.resize(0);
        var_.resize(0);
        scale_.resize(0);
    }

    template <class M, class W>
    StandardScaler& update(const M& X, const W& sample_weight) {
        const sample_weights<T> checked = this->validate_data(X, sample_weight, /*reset=*/false);
        const Index n = X.rows(), d = X.cols();
        const bool weighted = sample_weight.size() > 0;
        const Eigen::VectorXd w = checked.dense().template cast<double>();
        const Eigen::MatrixXd Xd = X.template cast<double>();

        if (!this->is_fitted()) {
            sum_mean_ = Eigen::VectorXd::Zero(d);
            sum_var_ = Eigen::VectorXd::Zero(d);
        }
        const double new_count = weighted ? w.sum() : static_cast<double>(n);
        if (this->params_.with_mean || this->params_.with_std) {
            // Chan et al.'s update of (count, mean, variance) by a batch, as scikit-learn does it.
            const Eigen::VectorXd new_sum =
                weighted ? Eigen::VectorXd(Xd.transpose() * w) : Eigen::VectorXd(Xd.colwise().sum().transpose());
            const double last_count = n_samples_seen_;
            const double updated_count = last_count + new_count;
            const Eigen::VectorXd last_sum = sum_mean_ * last_count;
            const Eigen::VectorXd updated_mean = (last_sum + new_sum) / updated_count;
            if (this->params_.with_std) {
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
                    updated_unnormalised =
                        sum_var_ * last_count + new_unnormalised +
                        ((last_sum / last_over_new - new_sum).array().square() * (last_over_new / updated_count))
                            .matrix();
                }
                sum_var_ = updated_unnormalised / updated_count;
            }
            sum_mean_ = updated_mean;
        }
        n_samples_seen_ += new_count;
        this->n_features_in_ = d;
        publish();
        return *this;
    }

    // Copies the double-precision statistics into the T-valued accessors.
    void publish() {
        const bool any = this->params_.with_mean || this->params_.with_std;
        mean_ = any ? Vector<T>(sum_mean_.template cast<T>()) : Vector<T>();
        if (!this->params_.with_std) {
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

    double n_samples_seen_ = 0;
    Eigen::VectorXd sum_mean_;  // running mean, in double
    Eigen::VectorXd sum_var_;   // running population variance, in double
    Vector<T> mean_, var_, scale_;
};

}  // namespace kestrel::preprocessing
