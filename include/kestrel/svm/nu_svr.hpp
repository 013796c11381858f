#pragma once
/// \file
/// NuSVR: ν-support vector regression with a kernel, libsvm's ν solver (the shared machinery:
/// detail/libsvm_single.hpp).

#include <concepts>
#include <string_view>

#include "../core/params.hpp"
#include "detail/libsvm_single.hpp"
#include "kernels.hpp"

namespace kestrel::svm {

/// NuSVR's hyperparameters, in scikit-learn's order; kestrel adds n_jobs.
struct NuSVRParams {
    /// The estimator's name, as scikit-learn spells it: in messages, printing and model files.
    static constexpr std::string_view name = "NuSVR";
    double nu = 0.5;              ///< bounds the fraction of errors from above and of support vectors from below, in (0, 1]
    double C = 1.0;               ///< penalty of the errors, > 0
    Kernel kernel = Kernel::rbf;  ///< linear, poly, rbf, sigmoid or precomputed
    int degree = 3;               ///< poly's degree, ≥ 0
    Gamma gamma = Gamma::scale;   ///< scale, auto_ or a number > 0 (poly, rbf, sigmoid)
    double coef0 = 0.0;           ///< poly's and sigmoid's constant term
    bool shrinking = true;        ///< libsvm's shrinking heuristic
    double tol = 1e-3;            ///< stop when the maximal violating pair's gap ≤ tol
    double cache_size = 200;      ///< megabytes of cached kernel rows, > 0
    int max_iter = -1;            ///< solver iterations; −1: libsvm's cap
    int n_jobs = 0;               ///< threads for kernel rows; 0 = all cores
    friend bool operator==(const NuSVRParams&, const NuSVRParams&) = default;
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static void fields(Self& p, F&& field) {
        field("nu", p.nu);
        field("C", p.C);
        field("kernel", p.kernel);
        field("degree", p.degree);
        Gamma::field("gamma", p.gamma, field);
        field("coef0", p.coef0);
        field("shrinking", p.shrinking);
        field("tol", p.tol);
        field("cache_size", p.cache_size);
        field("max_iter", p.max_iter);
        field("n_jobs", p.n_jobs);
    }
    /// Throws invalid_parameter naming the first field out of its range; constexpr, so a constant
    /// Params with a bad value does not compile.
    constexpr void validate() const {
        require_param(nu > 0 && nu <= 1, name, "nu", nu, "must be in (0, 1]");
        require_param(C > 0, name, "C", C, "must be > 0");
        require_param(degree >= 0, name, "degree", degree, "must be >= 0");
        require_param(!gamma.is_number() || gamma.value() > 0, name, "gamma", gamma.value(),
                      "must be > 0, Gamma::scale or Gamma::auto_");
        require_param(tol > 0, name, "tol", tol, "must be > 0");
        require_param(cache_size > 0, name, "cache_size", cache_size, "must be > 0");
        require_param(max_iter >= -1, name, "max_iter", max_iter, "must be -1 (no limit) or >= 0");
        require_param(n_jobs >= 0, name, "n_jobs", n_jobs, "must be >= 0");
    }
};

/// ν-support vector regression, as scikit-learn 1.2's `NuSVR` (libsvm's ν-SVR): the ε of SVR's
/// tube becomes a variable, and ν bounds the fraction of samples outside it from above and the
/// fraction of support vectors from below. libsvm's ν solver (detail/smo.hpp) to the same
/// stopping rule, so support(), dual_coef() and intercept() are libsvm's. Precomputed kernels as
/// SVR.
///
/// Throws invalid_parameter for ν ∉ (0, 1], C ≤ 0, γ ≤ 0, tol ≤ 0, cache_size ≤ 0, degree < 0;
/// invalid_input as SVR.
template <std::floating_point T = double>
class NuSVR : public detail::libsvm_regressor<NuSVR<T>, T, NuSVRParams> {
    using base = detail::libsvm_regressor<NuSVR<T>, T, NuSVRParams>;

public:
    /// The class's name in messages, in its printed repr and in model files.
    static constexpr std::string_view name = NuSVRParams::name;
    using base::base;
    using base::fit;

private:
    friend struct kestrel::detail::persistence_access;
};

}  // namespace kestrel::svm
