// kestrel::compiled, float half: the heavy solver templates instantiated once. Files compiled with
// KESTREL_SEPARATE_COMPILATION (kestrel::compiled defines it for its users) see the matching
// `extern template` declarations in the headers and link these instead of compiling them again.
// Each scalar has its own file so that the two build in parallel, each in half the memory.
#include "kestrel/cluster/detail/elkan.hpp"
#include "kestrel/cluster/detail/kmeans_plus_plus.hpp"
#include "kestrel/cluster/detail/lloyd.hpp"
#include "kestrel/linear_model/detail/logistic_solver.hpp"
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
                                                    bool, float, int, std::string_view);
template lbfgs_result solve_logistic<float>(const logistic_objective<float>&, Eigen::VectorXd&, bool, int, double,
                                              kestrel::detail::progress_reporter*);

}  // namespace kestrel::linear_model::detail

namespace kestrel::cluster::detail {

template run_result<float> run_lloyd<float>(const row_major_ref<float>&, const sample_weights<float>&,
                                            const Vector<float>&, const Vector<float>&, const Matrix<float>&, int,
                                            double, int, kestrel::detail::progress_reporter*);
template run_result<float> run_elkan<float>(const row_major_ref<float>&, const Vector<float>&, const Matrix<float>&,
                                            int, double, int, kestrel::detail::progress_reporter*);
template Matrix<float> initial_centers<float>(const row_major_ref<float>&, Index, Init, random_engine&, int);

}  // namespace kestrel::cluster::detail
