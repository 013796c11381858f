#pragma once
/// \file
/// NuSVC: ν-support vector classification with a kernel, libsvm's ν solver, one-vs-one over
/// pairs of classes (the shared machinery: detail/libsvm_classifier.hpp).

#include <concepts>
#include <cstdint>
#include <string_view>

#include "../core/params.hpp"
#include "../core/random.hpp"
#include "../core/weights.hpp"
#include "detail/libsvm_classifier.hpp"
#include "kernels.hpp"

namespace kestrel::svm {

/// NuSVC's hyperparameters, in scikit-learn's order; kestrel adds n_jobs.
struct NuSVCParams {
    /// The estimator's name, as scikit-learn spells it: in messages, printing and model files.
    static constexpr std::string_view name = "NuSVC";
    double nu = 0.5;                               ///< bounds the fraction of margin errors from above and of support vectors from below, in (0, 1]
    Kernel kernel = Kernel::rbf;                   ///< linear, poly, rbf, sigmoid or precomputed
    int degree = 3;                                ///< poly's degree, ≥ 0
    Gamma gamma = Gamma::scale;                    ///< scale, auto_ or a number > 0 (poly, rbf, sigmoid)
    double coef0 = 0.0;                            ///< poly's and sigmoid's constant term
    bool shrinking = true;                         ///< libsvm's shrinking heuristic
    bool probability = false;                      ///< Platt scaling at fit, for predict_proba
    double tol = 1e-3;                             ///< stop when the maximal violating pair's gap ≤ tol
    double cache_size = 200;                       ///< megabytes of cached kernel rows, > 0
    ClassWeight class_weight = ClassWeight::none;  ///< recorded in class_weight(); libsvm's ν form does not use it
    int max_iter = -1;                             ///< iterations per pair; −1: libsvm's cap
    DecisionFunctionShape decision_function_shape = DecisionFunctionShape::ovr;  ///< decision_function's columns
    bool break_ties = false;                            ///< predict by decision_function's argmax (ovr)
    std::uint64_t random_state = default_random_state;  ///< seeds Platt scaling's folds
    int n_jobs = 0;                                     ///< threads for kernel rows; 0 = all cores
    friend bool operator==(const NuSVCParams&, const NuSVCParams&) = default;
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static void fields(Self& p, F&& field) {
        field("nu", p.nu);
        field("kernel", p.kernel);
        field("degree", p.degree);
        Gamma::field("gamma", p.gamma, field);
        field("coef0", p.coef0);
        field("shrinking", p.shrinking);
        field("probability", p.probability);
        field("tol", p.tol);
        field("cache_size", p.cache_size);
        field("class_weight", p.class_weight);
        field("max_iter", p.max_iter);
        field("decision_function_shape", p.decision_function_shape);
        field("break_ties", p.break_ties);
        field("random_state", p.random_state);
        field("n_jobs", p.n_jobs);
    }
    /// Throws invalid_parameter naming the first field out of its range; constexpr, so a constant
    /// Params with a bad value does not compile.
    constexpr void validate() const {
        require_param(nu > 0 && nu <= 1, name, "nu", nu, "must be in (0, 1]");
        require_param(degree >= 0, name, "degree", degree, "must be >= 0");
        require_param(!gamma.is_number() || gamma.value() > 0, name, "gamma", gamma.value(),
                      "must be > 0, Gamma::scale or Gamma::auto_");
        require_param(tol > 0, name, "tol", tol, "must be > 0");
        require_param(cache_size > 0, name, "cache_size", cache_size, "must be > 0");
        require_param(max_iter >= -1, name, "max_iter", max_iter, "must be -1 (no limit) or >= 0");
        require_param(!(break_ties && decision_function_shape == DecisionFunctionShape::ovo), name, "break_ties",
                      break_ties, "must be false when decision_function_shape is ovo");
        require_param(n_jobs >= 0, name, "n_jobs", n_jobs, "must be >= 0");
    }
};

/// ν-support vector classification, as scikit-learn 1.2's `NuSVC` (libsvm's ν-SVC): for each
/// pair of classes, min ½αᵀQα subject to 0 ≤ αₜ ≤ sample_weightₜ, yᵀα = 0 and Σα = ν·Σw,
/// solved by libsvm's ν solver and rescaled by its r, so that the model has SVC's form (and
/// every accessor of SVC). ν is an upper bound on the fraction of margin errors and a lower
/// bound on the fraction of support vectors. As in scikit-learn, class_weight does not change
/// the solution. Probabilities, precomputed kernels, ovo/ovr and break_ties as SVC.
///
/// Throws invalid_parameter for ν ∉ (0, 1], γ ≤ 0, tol ≤ 0, cache_size ≤ 0, degree < 0,
/// break_ties with ovo; invalid_input with scikit-learn's "specified nu is infeasible" when
/// ν(n_a + n_b)/2 > min(n_a, n_b) for a pair of classes (n the sums of their weights), and as
/// SVC for the data.
template <std::floating_point T = double>
class NuSVC : public detail::libsvm_classifier<NuSVC<T>, T, NuSVCParams> {
    using base = detail::libsvm_classifier<NuSVC<T>, T, NuSVCParams>;

public:
    /// The class's name in messages, in its printed repr and in model files.
    static constexpr std::string_view name = NuSVCParams::name;
    using base::base;
    using base::fit;

private:
    friend struct kestrel::detail::persistence_access;
};

}  // namespace kestrel::svm
