#pragma once
/// \file
/// Normalizer: scale each sample (row) to unit norm.

#include <cmath>
#include <concepts>
#include <string_view>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/dataset.hpp"
#include "../core/detail/estimator_base.hpp"
#include "../core/detail/validation.hpp"
#include "../core/params.hpp"
#include "../core/types.hpp"
#include "detail/scaling.hpp"

namespace kestrel::preprocessing {

/// scikit-learn's `norm` of Normalizer: the norm each row is divided by.
enum class Norm {
    l1,   ///< the sum of absolute values
    l2,   ///< the Euclidean norm
    max,  ///< the largest absolute value
};
/// scikit-learn's spellings of Norm's values.
constexpr enum_table<Norm, 3> enum_names(Norm) { return {{{Norm::l1, "l1"}, {Norm::l2, "l2"}, {Norm::max, "max"}}}; }

/// Normalizer's hyperparameters, in scikit-learn's order (`copy` left out).
struct NormalizerParams {
    /// scikit-learn's class name.
    static constexpr std::string_view name = "Normalizer";
    Norm norm = Norm::l2;  ///< the norm each row is divided by
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static constexpr void fields(Self& p, F&& field) {
        field("norm", p.norm);
    }
    /// Nothing to check: every value of these fields is valid. Part of the Params contract.
    constexpr void validate() const noexcept {}
    friend constexpr bool operator==(const NormalizerParams&, const NormalizerParams&) = default;
};

/// Normalizes samples as scikit-learn's `Normalizer` (`sklearn.preprocessing.normalize`): each
/// row is divided by its l1, l2 or max norm; a row whose norm is below 10·epsilon is left as it
/// is. `fit` learns nothing but the feature count. NaN and infinity are refused.
template <std::floating_point T = double>
class Normalizer : public estimator_base<Normalizer<T>, T, NormalizerParams>,
                   public transformer_mixin<Normalizer<T>, T> {
    using base = estimator_base<Normalizer<T>, T, NormalizerParams>;

public:
    /// scikit-learn's class name.
    static constexpr std::string_view name = NormalizerParams::name;
    using base::base;
    using base::fit;

    /// Checks X and records its width. Throws invalid_input.
    template <matrix_of<T> M>
    Normalizer& fit(const M& X) {
        this->n_features_in_ = 0;
        this->params_.validate();
        kestrel::detail::check_training_matrix(X, name);
        this->n_features_in_ = X.cols();
        return *this;
    }

    /// Each row divided by its norm. Throws not_fitted, invalid_input.
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> transform(const M& X) const {
        this->validate_predict(X);
        Matrix<T> Z = X;
        for (Index i = 0; i < Z.rows(); ++i) {
            T norm;
            switch (this->params_.norm) {
                case Norm::l1:
                    norm = Z.row(i).cwiseAbs().sum();
                    break;
                case Norm::l2:
                    norm = std::sqrt(Z.row(i).squaredNorm());
                    break;
                default:
                    norm = Z.row(i).cwiseAbs().maxCoeff();
                    break;
            }
            Z.row(i) /= detail::nonzero_scale(norm);
        }
        return Z;
    }

private:
    friend struct kestrel::detail::persistence_access;

    // Nothing is learnt but n_features_in_, which every model file holds.
    template <class Archive>
    void persist(Archive&) {}
};

}  // namespace kestrel::preprocessing
