// kestrel::compiled, double half: the heavy solver templates instantiated once. Files compiled with
// KESTREL_SEPARATE_COMPILATION (kestrel::compiled defines it for its users) see the matching
// `extern template` declarations in the headers and link these instead of compiling them again.
// Each scalar has its own file so that the two build in parallel, each in half the memory.
#include "kestrel/linear_model/detail/normal_equations.hpp"

namespace kestrel::linear_model::detail {

template normal_equations<double> centred_normal_equations<double>(const row_major_ref<double>&,
                                                                   const Eigen::Ref<const ColMatrix<double>>&,
                                                                   const Vector<double>&, bool, int);
template ColMatrix<double> centred_design<double>(const row_major_ref<double>&, const Vector<double>&,
                                                  const Vector<double>&);
template ColMatrix<double> centred_targets<double>(const Eigen::Ref<const ColMatrix<double>>&, const Vector<double>&,
                                                   const Vector<double>&);
template linear_fit<double> fit_least_squares<double>(const row_major_ref<double>&,
                                                      const Eigen::Ref<const ColMatrix<double>>&, const Vector<double>&,
                                                      bool, double, int);

}  // namespace kestrel::linear_model::detail
