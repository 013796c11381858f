#pragma once
/// \file
/// RobustScaler: centre each feature on its median and scale it by an interquantile range.

#include <concepts>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/dataset.hpp"
#include "../core/detail/estimator_base.hpp"
#include "../core/detail/validation.hpp"
#include "../core/params.hpp"
#include "../core/types.hpp"
#include "../impute/detail/missing.hpp"
#include "detail/scaling.hpp"

namespace kestrel::preprocessing {

/// RobustScaler's hyperparameters: scikit-learn's, with `quantile_range=(min, max)` as two fields.
struct RobustScalerParams {
    /// scikit-learn's class name.
    static constexpr std::string_view name = "RobustScaler";
    bool with_centering = true;      ///< subtract the median
    bool with_scaling = true;        ///< divide by the interquantile range
    double quantile_range_min = 25;  ///< lower percentile of the range, in [0, 100]
    double quantile_range_max = 75;  ///< upper percentile, in [quantile_range_min, 100]
    bool unit_variance = false;      ///< rescale so that normal data gets unit variance
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static constexpr void fields(Self& p, F&& field) {
        field("with_centering", p.with_centering);
        field("with_scaling", p.with_scaling);
        field("quantile_range_min", p.quantile_range_min);
        field("quantile_range_max", p.quantile_range_max);
        field("unit_variance", p.unit_variance);
    }
    /// Throws invalid_parameter: a percentile outside [0, 100], a range whose bounds are out of
    /// order, or unit_variance with a range that does not lie strictly inside (0, 100).
    constexpr void validate() const {
        require_param(quantile_range_min >= 0 && quantile_range_min <= 100, name, "quantile_range_min",
                      quantile_range_min, "must lie in [0, 100]");
        require_param(quantile_range_max >= quantile_range_min && quantile_range_max <= 100, name, "quantile_range_max",
                      quantile_range_max, "must lie in [quantile_range_min, 100]");
        // The normal quantiles of the range must be finite and distinct.
        require_param(!unit_variance || (quantile_range_min > 0 && quantile_range_max < 100 &&
                                         quantile_range_min < quantile_range_max),
                      name, "unit_variance", unit_variance, "needs 0 < quantile_range_min < quantile_range_max < 100");
    }
    friend constexpr bool operator==(const RobustScalerParams&, const RobustScalerParams&) = default;
};

/// Scales features as scikit-learn's `RobustScaler`: z = (x − center) / scale, with center the
/// median of each feature and scale the difference of its quantile_range_max-th and
/// quantile_range_min-th percentiles (NumPy's linear interpolation), 1 where that is below
/// 10·epsilon; with `unit_variance`, scale is further divided by the same range of the standard
/// normal distribution. NaN is ignored at fit and kept by transform, as in scikit-learn; infinity
/// is refused, and so is a feature with no value but NaN.
template <std::floating_point T = double>
class RobustScaler : public estimator_base<RobustScaler<T>, T, RobustScalerParams>,
                     public transformer_mixin<RobustScaler<T>, T> {
    using base = estimator_base<RobustScaler<T>, T, RobustScalerParams>;

public:
    /// scikit-learn's class name.
    static constexpr std::string_view name = RobustScalerParams::name;
    /// NaN in X is a missing value: ignored by fit, kept by transform.
    static constexpr bool allow_nan = true;
    using base::base;
    using base::fit;

    /// Computes each feature's median and interquantile range. Throws invalid_parameter,
    /// invalid_input.
    template <matrix_of<T> M>
    RobustScaler& fit(const M& X) {
        this->n_features_in_ = 0;
        this->params_.validate();
        impute::detail::check_missing_input(X, impute::detail::missing_marker<T>{}, name);
        const RobustScalerParams& p = this->params_;
        const Index d = X.cols();
        center_.resize(p.with_centering ? d : 0);
        scale_.resize(p.with_scaling ? d : 0);
        const double adjust = p.unit_variance ? detail::normal_ppf(p.quantile_range_max / 100.0) -
                                                    detail::normal_ppf(p.quantile_range_min / 100.0)
                                              : 1.0;
        for (Index j = 0; j < d; ++j) {
            const std::vector<double> values = detail::sorted_observed(X, j, name);
            if (p.with_centering) center_[j] = static_cast<T>(detail::percentile_of_sorted(values, 50));
            if (p.with_scaling) {
                const T range = static_cast<T>(detail::percentile_of_sorted(values, p.quantile_range_max) -
                                               detail::percentile_of_sorted(values, p.quantile_range_min));
                scale_[j] = detail::nonzero_scale(range);
                if (p.unit_variance) scale_[j] = static_cast<T>(static_cast<double>(scale_[j]) / adjust);
            }
        }
        this->n_features_in_ = d;
        return *this;
    }

    /// (X − center) / scale, as the parameters ask; NaN stays NaN. Throws not_fitted, invalid_input.
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> transform(const M& X) const {
        checked(X);
        return kestrel::detail::transform_rows(*this, X);
    }

    /// Z · scale + center: undoes transform.
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> inverse_transform(const M& Z) const {
        checked(Z);
        Matrix<T> X = Z;
        if (this->params_.with_scaling) X.array().rowwise() *= scale_.transpose().array();
        if (this->params_.with_centering) X.rowwise() += center_.transpose();
        return X;
    }

    /// Per-feature median; empty without with_centering (None in scikit-learn).
    [[nodiscard]] const Vector<T>& center() const { return this->fitted(center_); }
    /// Per-feature interquantile range (1 where it is near zero); empty without with_scaling.
    [[nodiscard]] const Vector<T>& scale() const { return this->fitted(scale_); }

private:
    friend struct kestrel::detail::persistence_access;
    friend struct kestrel::detail::one_row_access;

    [[nodiscard]] Index transform_width() const noexcept { return this->n_features_in_; }
    void transform_row(const T* x, T* out) const noexcept {
        const bool center = this->params_.with_centering, scale = this->params_.with_scaling;
        for (Index j = 0; j < this->n_features_in_; ++j) {
            T v = x[j];
            if (center) v -= center_[j];
            if (scale) v /= scale_[j];
            out[j] = v;
        }
    }

    template <class Archive>
    void persist(Archive& a) {
        const Index d = a.n_features();
        if (this->params_.with_centering) a.vector("center_", center_, d);
        if (this->params_.with_scaling) {
            a.vector("scale_", scale_, d);
            a.require((scale_.array() > T(0)).all(), "scale_ must be positive");
        }
        if constexpr (Archive::loading) {
            if (!this->params_.with_centering) center_.resize(0);
            if (!this->params_.with_scaling) scale_.resize(0);
        }
    }

    template <class M>
    void checked(const M& X) const {
        kestrel::detail::check_fitted(this->is_fitted(), name);
        kestrel::detail::check_n_features(X.cols(), this->n_features_in_, name);
        impute::detail::check_missing_input(X, impute::detail::missing_marker<T>{}, name);
    }

    Vector<T> center_, scale_;
};

}  // namespace kestrel::preprocessing
