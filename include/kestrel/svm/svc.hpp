#pragma once
/// \file
/// SVC: C-support vector classification with a kernel, libsvm's solver, one-vs-one over pairs of
/// classes (the shared machinery: detail/libsvm_classifier.hpp).

#include <concepts>
#include <cstdint>
#include <string_view>

#include "../core/params.hpp"
#include "../core/random.hpp"
#include "../core/weights.hpp"
#include "detail/libsvm_classifier.hpp"
#include "kernels.hpp"

namespace kestrel::svm {

/// SVC's hyperparameters, in scikit-learn's order; kestrel adds n_jobs.
struct SVCParams {
    /// The estimator's name, as scikit-learn spells it: in messages, printing and model files.
    static constexpr std::string_view name = "SVC";
    double C = 1.0;                                ///< penalty of the hinge loss, > 0
    Kernel kernel = Kernel::rbf;                   ///< linear, poly, rbf, sigmoid or precomputed
    int degree = 3;                                ///< poly's degree, ≥ 0
    Gamma gamma = Gamma::scale;                    ///< scale, auto_ or a number > 0 (poly, rbf, sigmoid)
    double coef0 = 0.0;                            ///< poly's and sigmoid's constant term
    bool shrinking = true;                         ///< libsvm's shrinking heuristic
    bool probability = false;                      ///< Platt scaling at fit, for predict_proba
    double tol = 1e-3;                             ///< stop when the maximal violating pair's gap ≤ tol
    double cache_size = 200;                       ///< megabytes of cached kernel rows, > 0
    ClassWeight class_weight = ClassWeight::none;  ///< multiplies C per class
    int max_iter = -1;                             ///< iterations per pair; −1: libsvm's cap
    DecisionFunctionShape decision_function_shape = DecisionFunctionShape::ovr;  ///< decision_function's columns
    bool break_ties = false;                            ///< predict by decision_function's argmax (ovr)
    std::uint64_t random_state = default_random_state;  ///< seeds Platt scaling's folds
    int n_jobs = 0;                                     ///< threads for kernel rows; 0 = all cores
    friend bool operator==(const SVCParams&, const SVCParams&) = default;
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static void fields(Self& p, F&& field) {
        field("C", p.C);
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
        require_param(C > 0, name, "C", C, "must be > 0");
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

/// C-support vector classification, as scikit-learn 1.2's `SVC` (libsvm's C-SVC): for each pair
/// of classes i < j (in the order of classes()), the dual
/// min ½αᵀQα − Σα, 0 ≤ αₜ ≤ C·class_weight·sample_weight, yᵀα = 0 is solved by libsvm's SMO
/// (detail/smo.hpp) to the same stopping rule, so support(), dual_coef() and intercept() are
/// libsvm's. Kernel rows come from X through an LRU cache of `cache_size` MB; the kernel matrix is
/// never formed. predict takes the pairwise vote (ties to the first class), or with break_ties
/// the argmax of the ovr decision_function. With probability = true, fit also runs libsvm's
/// 5-fold cross-validation per pair for Platt's sigmoid (probA(), probB(); the folds are
/// scikit-learn's for the same random_state below 2³²), and predict_proba couples them.
/// With Kernel::precomputed, fit takes the n × n kernel matrix and the predicting methods the
/// kernel matrix between their samples and the training samples.
///
/// Throws invalid_parameter for C ≤ 0, γ ≤ 0, tol ≤ 0, cache_size ≤ 0, degree < 0, break_ties
/// with ovo; invalid_input for one class only, NaN/inf, mismatched lengths, a class whose
/// samples all weigh 0, a non-square matrix with Kernel::precomputed, a wrong feature count at
/// predict, coef() with a non-linear kernel, predict_proba without probability = true.
template <std::floating_point T = double>
class SVC : public detail::libsvm_classifier<SVC<T>, T, SVCParams> {
    using base = detail::libsvm_classifier<SVC<T>, T, SVCParams>;

public:
    /// The class's name in messages, in its printed repr and in model files.
    static constexpr std::string_view name = SVCParams::name;
    using base::base;
    using base::fit;

private:
    friend struct kestrel::detail::persistence_access;
};

}  // namespace kestrel::svm
