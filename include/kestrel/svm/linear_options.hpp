#pragma once
/// \file
/// The string options of LinearSVC and LinearSVR (`penalty`, `loss`, `multi_class`), and
/// scikit-learn's rule of which (penalty, loss, dual) combinations liblinear can solve.

#include <string>
#include <string_view>

#include "../core/error.hpp"
#include "../core/params.hpp"

namespace kestrel::svm {

/// LinearSVC's `penalty`: the norm of the coefficients that is penalised.
enum class Penalty {
    l1,  ///< ‖w‖₁, sparse coefficients (primal coordinate descent, dual = false only)
    l2,  ///< ½‖w‖²
};
/// scikit-learn's spellings of Penalty's values.
constexpr enum_table<Penalty, 2> enum_names(Penalty) { return {{{Penalty::l1, "l1"}, {Penalty::l2, "l2"}}}; }

/// The `loss` of LinearSVC (hinge, squared_hinge) and of LinearSVR (epsilon_insensitive,
/// squared_epsilon_insensitive): one enum, so that both estimators spell it `Loss::...`; each
/// refuses the other's values.
enum class Loss {
    hinge,                        ///< max(0, 1 − y·f(x))
    squared_hinge,                ///< max(0, 1 − y·f(x))²
    epsilon_insensitive,          ///< max(0, |y − f(x)| − ε)
    squared_epsilon_insensitive,  ///< max(0, |y − f(x)| − ε)²
};
/// scikit-learn's spellings of Loss's values.
constexpr enum_table<Loss, 4> enum_names(Loss) {
    return {{{Loss::hinge, "hinge"},
             {Loss::squared_hinge, "squared_hinge"},
             {Loss::epsilon_insensitive, "epsilon_insensitive"},
             {Loss::squared_epsilon_insensitive, "squared_epsilon_insensitive"}}};
}

/// LinearSVC's `multi_class`.
enum class MultiClass {
    ovr,             ///< one binary problem per class against the rest (one problem for two classes)
    crammer_singer,  ///< one joint multi-class problem (Crammer and Singer, 2001)
};
/// scikit-learn's spellings of MultiClass's values.
constexpr enum_table<MultiClass, 2> enum_names(MultiClass) {
    return {{{MultiClass::ovr, "ovr"}, {MultiClass::crammer_singer, "crammer_singer"}}};
}

namespace detail {

/// Not constexpr on purpose, as require_param's thrower: reaching it in a constant expression
/// is the compile error. Throws scikit-learn's "Unsupported set of arguments" message, with
/// the combinations that are supported.
[[noreturn]] inline void unsupported_linear_arguments(std::string_view estimator, Penalty penalty, Loss loss,
                                                      bool dual) {
    const std::string p(enum_name(penalty)), l(enum_name(loss));
    std::string what = "The combination of penalty='" + p + "' and loss='" + l + "'";
    const bool any_dual = penalty == Penalty::l1 && loss != Loss::squared_hinge;
    what += any_dual ? " is not supported" : std::string(" are not supported when dual=") + (dual ? "True" : "False");
    const bool regression = loss == Loss::epsilon_insensitive || loss == Loss::squared_epsilon_insensitive;
    throw invalid_parameter(std::string(estimator) + ": Unsupported set of arguments: " + what +
                            ", Parameters: penalty='" + p + "', loss='" + l + "', dual=" + (dual ? "True" : "False") +
                            (regression ? ". Use squared_epsilon_insensitive, or dual = true"
                                        : ". Supported: penalty l2 with hinge (dual = true) or squared_hinge (either "
                                          "dual), penalty l1 with squared_hinge and dual = false"));
}

/// Checks (penalty, loss, dual) against the combinations liblinear solves, as scikit-learn's
/// _get_liblinear_solver_type.
constexpr void require_linear_solver(std::string_view estimator, Penalty penalty, Loss loss, bool dual) {
    const bool supported = penalty == Penalty::l2 ? (loss != Loss::hinge && loss != Loss::epsilon_insensitive) || dual
                                                  : loss == Loss::squared_hinge && !dual;
    if (!supported) unsupported_linear_arguments(estimator, penalty, loss, dual);
}

}  // namespace detail

}  // namespace kestrel::svm
