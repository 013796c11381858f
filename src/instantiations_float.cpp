// kestrel::compiled, float half: the heavy solver templates instantiated once. Files compiled with
// KESTREL_SEPARATE_COMPILATION (kestrel::compiled defines it for its users) see the matching
// `extern template` declarations in the headers and link these instead of compiling them again.
// Each scalar has its own file so that the two build in parallel, each in half the memory.
#include "kestrel/linear_model/detail/normal_equations.hpp"

namespace kestrel::linear_model::detail {

template normal_equations<float> centred_normal_equations<float>(const row_major_ref<float>&,
                                                                 const Eigen::Ref<const ColMatrix<float>>&,
                                                                 const Vector<float>&, bool, int);
template ColMatrix<float> centred_design<float>(const row_major_ref<float>&, const Vector<float>&,
                                                const Vector<float>&);
template ColMatrix<float> centred_targets<float>(const Eigen::Ref<const ColMatrix<float>>&, const Vector<float>&,
                                                 const Vector<float>&);
template linear_fit<float> fit_least_squares<float>(const row_major_ref<float>&,
                                                    const Eigen::Ref<const ColMatrix<float>>&, const Vector<float>&,
                                                    bool, float, int);

}  // namespace kestrel::linear_model::detail
