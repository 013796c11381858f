#pragma once
/// \file
/// MinMaxScaler: map each feature linearly onto a given range.

#include <concepts>
#include <limits>
#include <string_view>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/dataset.hpp"
#include "../core/detail/estimator_base.hpp"
#include "../core/detail/linear_rows.hpp"
#include "../core/detail/validation.hpp"
#include "../core/params.hpp"
#include "../core/types.hpp"

namespace kestrel::preprocessing {

/// MinMaxScaler's hyperparameters: scikit-learn's `feature_range=(min, max)` as two fields, then
/// `clip`.
struct MinMaxScalerParams {
    /// scikit-learn's class name.
    static constexpr std::string_view name = "MinMaxScaler";
    double feature_range_min = 0;  ///< lower end of the target range
    double feature_range_max = 1;  ///< upper end; must exceed feature_range_min
    bool clip = false;             ///< clip transformed values into the range
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static constexpr void fields(Self& p, F&& field) {
        field("feature_range_min", p.feature_range_min);
        field("feature_range_max", p.feature_range_max);
        field("clip", p.clip);
    }
    /// Throws invalid_parameter: a bound that is not finite, or a range whose minimum is not below
    /// its maximum.
    constexpr void validate() const {
        constexpr double inf = std::numeric_limits<double>::infinity();
        require_param(feature_range_min > -inf && feature_range_min < inf, name, "feature_range_min", feature_range_min,
                      "must be finite");
        require_param(feature_range_max > -inf && feature_range_max < inf, name, "feature_range_max", feature_range_max,
                      "must be finite");
        require_param(feature_range_min < feature_range_max, name, "feature_range_max", feature_range_max,
                      "must be greater than feature_range_min");
    }
    friend constexpr bool operator==(const MinMaxScalerParams&, const MinMaxScalerParams&) = default;
};

/// Scales features as scikit-learn's `MinMaxScaler`: x' = x · scale + min, with
/// scale = (range_max − range_min) / (data_max − data_min) and min = range_min − data_min · scale,
/// so the fitted data spans [feature_range_min, feature_range_max]. A feature whose range is below
/// 10·epsilon gets a data range of 1 (as scikit-learn), so it maps to range_min + (x − data_min).
/// `partial_fit` widens the running minimum and maximum batch by batch. NaN and infinity are
/// rejected (scikit-learn ignores NaN instead).
template <std::floating_point T = double>
class MinMaxScaler : public estimator_base<MinMaxScaler<T>, T, MinMaxScalerParams>,
                     public transformer_mixin<MinMaxScaler<T>, T> {
    using base = estimator_base<MinMaxScaler<T>, T, MinMaxScalerParams>;

public:
    /// scikit-learn's class name.
    static constexpr std::string_view name = MinMaxScalerParams::name;
    using base::base;
    using base::fit;

    /// Records each column's minimum and maximum (forgetting any earlier fit).
    /// Throws invalid_parameter, invalid_input.
    template <matrix_of<T> M>
    MinMaxScaler& fit(const M& X) {
        this->n_features_in_ = 0;
        n_samples_seen_ = 0;
        return partial_fit(X);
    }

    /// Widens the running minimum and maximum with one more batch of rows.
    template <matrix_of<T> M>
    MinMaxScaler& partial_fit(const M& X) {
        this->validate_data(X, Vector<T>(), /*reset=*/false);
        if (this->is_fitted()) {
            data_min_ = data_min_.cwiseMin(X.colwise().minCoeff().transpose());
            data_max_ = data_max_.cwiseMax(X.colwise().maxCoeff().transpose());
        } else {
            data_min_ = X.colwise().minCoeff().transpose();
            data_max_ = X.colwise().maxCoeff().transpose();
        }
        n_samples_seen_ += X.rows();
        const Index d = X.cols();
        this->n_features_in_ = d;
        data_range_ = data_max_ - data_min_;
        const T span = static_cast<T>(this->params_.feature_range_max - this->params_.feature_range_min);
        const T low = static_cast<T>(this->params_.feature_range_min);
        const T tiny = T(10) * std::numeric_limits<T>::epsilon();
        scale_.resize(d);
        for (Index j = 0; j < d; ++j) scale_[j] = span / (data_range_[j] < tiny ? T(1) : data_range_[j]);
        min_ = (Vector<T>::Constant(d, low).array() - data_min_.array() * scale_.array()).matrix();
        return *this;
    }

    /// X · scale + min, clipped into the range when `clip`. Throws not_fitted, invalid_input.
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> transform(const M& X) const {
        this->validate_predict(X);
        return kestrel::detail::transform_rows(*this, X);
    }

    /// (Z − min) / scale: undoes transform (not a clip).
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> inverse_transform(const M& Z) const {
        this->validate_predict(Z);
        Matrix<T> X = Z;
        X.rowwise() -= min_.transpose();
        X.array().rowwise() /= scale_.transpose().array();
        return X;
    }

    /// Per-feature minimum seen in fit.
    [[nodiscard]] const Vector<T>& data_min() const { return this->fitted(data_min_); }
    /// Per-feature maximum seen in fit.
    [[nodiscard]] const Vector<T>& data_max() const { return this->fitted(data_max_); }
    /// data_max − data_min (zero for a constant feature).
    [[nodiscard]] const Vector<T>& data_range() const { return this->fitted(data_range_); }
    /// Per-feature multiplier of transform.
    [[nodiscard]] const Vector<T>& scale() const { return this->fitted(scale_); }
    /// Per-feature offset of transform, added after the multiplication.
    [[nodiscard]] const Vector<T>& min() const { return this->fitted(min_); }
    /// Rows seen by fit and partial_fit since the last fit, scikit-learn's `n_samples_seen_`.
    [[nodiscard]] Index n_samples_seen() const { return this->fitted(n_samples_seen_); }

private:
    friend struct kestrel::detail::persistence_access;
    friend struct kestrel::detail::one_row_access;

    [[nodiscard]] Index transform_width() const noexcept { return this->n_features_in_; }
    // x · scale + min (one multiply-add: kestrel::detail::multiply_add), then the clip.
    void transform_row(const T* x, T* out) const noexcept {
        const T low = static_cast<T>(this->params_.feature_range_min);
        const T high = static_cast<T>(this->params_.feature_range_max);
        for (Index j = 0; j < this->n_features_in_; ++j) {
            T v = kestrel::detail::multiply_add(x[j], scale_[j], min_[j]);
            if (this->params_.clip) v = std::min(std::max(v, low), high);
            out[j] = v;
        }
    }

    template <class Archive>
    void persist(Archive& a) {
        const Index d = a.n_features();
        a.value("n_samples_seen_", n_samples_seen_);
        a.vector("data_min_", data_min_, d);
        a.vector("data_max_", data_max_, d);
        a.vector("data_range_", data_range_, d);
        a.vector("scale_", scale_, d);
        a.vector("min_", min_, d);
        // A count of rows past 2^53 is not one a fit reaches, and partial_fit must not overflow it.
        a.require(n_samples_seen_ >= 1 && n_samples_seen_ < (Index{1} << 53), "n_samples_seen_ is out of range");
    }

    Index n_samples_seen_ = 0;
    Vector<T> data_min_, data_max_, data_range_, scale_, min_;
};

}  // namespace kestrel::preprocessing
