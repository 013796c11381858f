#pragma once
/// \file
/// Weights every estimator shares: checked sample weights that know when they are uniform, and
/// `ClassWeight`, scikit-learn's `class_weight` (None, 'balanced' or a {label: weight} dict).

#include <algorithm>
#include <concepts>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "error.hpp"
#include "types.hpp"

namespace kestrel {

/// Per-sample weights after checking: either uniform (every weight 1, nothing stored, so
/// unweighted data adds no stream of ones to the memory traffic) or one non-negative finite
/// weight per sample, not all zero. Made by the estimators' input checks; read by their kernels.
template <std::floating_point T>
class sample_weights {
public:
    /// `n` unit weights.
    explicit sample_weights(Index n = 0) noexcept : n_(n) {}
    /// Explicit weights (already checked). All ones counts as uniform.
    explicit sample_weights(Vector<T> values) : n_(values.size()), values_(std::move(values)) {
        if ((values_.array() == T(1)).all()) values_.resize(0);
    }

    /// Whether every weight is 1.
    [[nodiscard]] bool uniform() const noexcept { return values_.size() == 0; }
    /// The number of samples weighted.
    [[nodiscard]] Index size() const noexcept { return n_; }
    /// The weight of sample `i` (1 when uniform); `i` must be in [0, size()).
    [[nodiscard]] T operator[](Index i) const noexcept { return uniform() ? T(1) : values_[i]; }
    /// The stored weights: empty when uniform.
    [[nodiscard]] const Vector<T>& values() const noexcept { return values_; }
    /// One weight per sample, ones when uniform.
    [[nodiscard]] Vector<T> dense() const { return uniform() ? Vector<T>(Vector<T>::Ones(n_)) : values_; }
    /// Σ wᵢ.
    [[nodiscard]] T sum() const { return uniform() ? static_cast<T>(n_) : values_.sum(); }

private:
    Index n_ = 0;
    Vector<T> values_;
};

/// Per-class weights that multiply the sample weights of a classifier's fit, as scikit-learn's
/// `class_weight`: `ClassWeight::none` (every class 1), `ClassWeight::balanced`
/// (n_samples / (n_classes · count of the class)), or a map from label to weight
/// (`ClassWeight{{0, 1.0}, {1, 5.0}}`; classes it leaves out weigh 1). One type for every
/// classifier.
class ClassWeight {
public:
    static const ClassWeight none;      ///< scikit-learn's None: every class weighs 1
    static const ClassWeight balanced;  ///< scikit-learn's 'balanced': n_samples / (n_classes · class count)

    /// As ClassWeight::none.
    constexpr ClassWeight() = default;
    /// Weight per label. Throws invalid_parameter for a negative or non-finite weight or a
    /// label given twice.
    ClassWeight(std::initializer_list<std::pair<int, double>> weights)
        : ClassWeight(std::vector<std::pair<int, double>>(weights)) {}
    /// As above, from pairs built at run time.
    explicit ClassWeight(std::vector<std::pair<int, double>> weights)
        : kind_(kind::per_class), weights_(std::move(weights)) {
        std::sort(weights_.begin(), weights_.end());
        for (std::size_t i = 0; i < weights_.size(); ++i) {
            const auto [label, weight] = weights_[i];
            if (!(weight >= 0) || weight > 1e300) {
                throw invalid_parameter("ClassWeight: the weight of class " + std::to_string(label) +
                                        " must be finite and >= 0");
            }
            if (i > 0 && weights_[i - 1].first == label) {
                throw invalid_parameter("ClassWeight: class " + std::to_string(label) + " is given twice");
            }
        }
    }

    /// Whether this is ClassWeight::none.
    [[nodiscard]] constexpr bool is_none() const noexcept { return kind_ == kind::none; }
    /// Whether this is ClassWeight::balanced.
    [[nodiscard]] constexpr bool is_balanced() const noexcept { return kind_ == kind::balanced; }
    /// The (label, weight) pairs of a per-class map, sorted by label; empty otherwise.
    [[nodiscard]] const std::vector<std::pair<int, double>>& per_class() const noexcept { return weights_; }

    /// One weight per entry of the sorted `classes`, given each training sample's class code
    /// (its position in `classes`). Throws invalid_input when the map names a label that is not
    /// among the classes, as scikit-learn does.
    [[nodiscard]] Eigen::VectorXd weights(const Labels& classes, const Eigen::VectorXi& codes,
                                          std::string_view estimator) const {
        const Index K = classes.size();
        Eigen::VectorXd out = Eigen::VectorXd::Ones(K);
        if (kind_ == kind::balanced) {
            Eigen::VectorXd count = Eigen::VectorXd::Zero(K);
            for (Index i = 0; i < codes.size(); ++i) count[codes[i]] += 1;
            for (Index k = 0; k < K; ++k) {
                out[k] = static_cast<double>(codes.size()) / (static_cast<double>(K) * count[k]);
            }
        } else if (kind_ == kind::per_class) {
            for (const auto& [label, weight] : weights_) {
                const int* found = std::find(classes.data(), classes.data() + K, label);
                if (found == classes.data() + K) {
                    throw invalid_input(std::string(estimator) + ": class_weight names class " + std::to_string(label) +
                                        ", which is not among the classes of y");
                }
                out[found - classes.data()] = weight;
            }
        }
        return out;
    }

    friend bool operator==(const ClassWeight&, const ClassWeight&) = default;

private:
    enum class kind { none, balanced, per_class };
    constexpr explicit ClassWeight(kind k) noexcept : kind_(k) {}

    kind kind_ = kind::none;
    std::vector<std::pair<int, double>> weights_;
};

inline constexpr ClassWeight ClassWeight::none{};
inline constexpr ClassWeight ClassWeight::balanced{ClassWeight::kind::balanced};

}  // namespace kestrel
