#pragma once
/// \file
/// SVR: ε-support vector regression with a kernel, libsvm's solver (the shared machinery:
/// detail/libsvm_single.hpp).

#include <concepts>
#include <string_view>

#include "../core/params.hpp"
#include "detail/libsvm_single.hpp"
#include "kernels.hpp"

namespace kestrel::svm {

/// SVR's hyperparameters, in scikit-learn's order; kestrel adds n_jobs.
struct SVRParams {
    /// The estimator's name, as scikit-learn spells it: in messages, printing and model files.
    static constexpr std::string_view name = "SVR";
    Kernel kernel = Kernel::rbf;  ///< linear, poly, rbf, sigmoid or precomputed
    int degree = 3;               ///< poly's degree, ≥ 0
    Gamma gamma = Gamma::scale;   ///< scale, auto_ or a number > 0 (poly, rbf, sigmoid)
    double coef0 = 0.0;           ///< poly's and sigmoid's constant term
    double tol = 1e-3;            ///< stop when the maximal violating pair's gap ≤ tol
    double C = 1.0;               ///< penalty of the ε-insensitive loss, > 0
    double epsilon = 0.1;         ///< half-width of the tube without loss, ≥ 0
    bool shrinking = true;        ///< libsvm's shrinking heuristic
    double cache_size = 200;      ///< megabytes of cached kernel rows, > 0
    int max_iter = -1;            ///< solver iterations; −1: libsvm's cap
    int n_jobs = 0;               ///< threads for kernel rows; 0 = all cores
    friend bool operator==(const SVRParams&, const SVRParams&) = default;
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static void fields(Self& p, F&& field) {
        field("kernel", p.kernel);
        field("degree", p.degree);
        Gamma::field("gamma", p.gamma, field);
        field("coef0", p.coef0);
        field("tol", p.tol);
        field("C", p.C);
        field("epsilon", p.epsilon);
        field("shrinking", p.shrinking);
        field("cache_size", p.cache_size);
        field("max_iter", p.max_iter);
        field("n_jobs", p.n_jobs);
    }
    /// Throws invalid_parameter naming the first field out of its range; constexpr, so a constant
    /// Params with a bad value does not compile.
    constexpr void validate() const {
        require_param(degree >= 0, name, "degree", degree, "must be >= 0");
        require_param(!gamma.is_number() || gamma.value() > 0, name, "gamma", gamma.value(),
                      "must be > 0, Gamma::scale or Gamma::auto_");
        require_param(tol > 0, name, "tol", tol, "must be > 0");
        require_param(C > 0, name, "C", C, "must be > 0");
        require_param(epsilon >= 0, name, "epsilon", epsilon, "must be >= 0");
        require_param(cache_size > 0, name, "cache_size", cache_size, "must be > 0");
        require_param(max_iter >= -1, name, "max_iter", max_iter, "must be -1 (no limit) or >= 0");
        require_param(n_jobs >= 0, name, "n_jobs", n_jobs, "must be >= 0");
    }
};

/// ε-support vector regression, as scikit-learn 1.2's `SVR` (libsvm's epsilon-SVR): the dual
/// over α⁺, α⁻ ∈ [0, C·sample_weight] of ½(α⁺ − α⁻)ᵀK(α⁺ − α⁻) + ε·Σ(α⁺ + α⁻) − yᵀ(α⁺ − α⁻),
/// Σ(α⁺ − α⁻) = 0, solved by libsvm's SMO (detail/smo.hpp) to the same stopping rule, so
/// support(), dual_coef() (α⁺ − α⁻) and intercept() are libsvm's. Kernel rows come from X
/// through an LRU cache of `cache_size` MB. With Kernel::precomputed, fit takes the n × n kernel
/// matrix and predict the kernel matrix between its samples and the training samples.
///
/// Throws invalid_parameter for C ≤ 0, ε < 0, γ ≤ 0, tol ≤ 0, cache_size ≤ 0, degree < 0;
/// invalid_input for NaN/inf, mismatched lengths, a non-square matrix with Kernel::precomputed,
/// a wrong feature count at predict, coef() with a non-linear kernel.
template <std::floating_point T = double>
class SVR : public detail::libsvm_regressor<SVR<T>, T, SVRParams> {
    using base = detail::libsvm_regressor<SVR<T>, T, SVRParams>;

public:
    /// The class's name in messages, in its printed repr and in model files.
    static constexpr std::string_view name = SVRParams::name;
    using base::base;
    using base::fit;

private:
    friend struct kestrel::detail::persistence_access;
};

}  // namespace kestrel::svm
