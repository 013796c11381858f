// kestrel::compiled, double half: the heavy solver templates instantiated once. Files compiled with
// KESTREL_SEPARATE_COMPILATION (kestrel::compiled defines it for its users) see the matching
// `extern template` declarations in the headers and link these instead of compiling them again.
// Each scalar has its own file so that the two build in parallel, each in half the memory.
#include "kestrel/cluster/detail/elkan.hpp"
#include "kestrel/cluster/detail/kmeans_plus_plus.hpp"
#include "kestrel/cluster/detail/lloyd.hpp"
#include "kestrel/linear_model/detail/logistic_solver.hpp"
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
                                                      bool, double, int, std::string_view);
template lbfgs_result solve_logistic<double>(const logistic_objective<double>&, Eigen::VectorXd&, bool, int, double,
                                              kestrel::detail::progress_reporter*);

}  // namespace kestrel::linear_model::detail

namespace kestrel::cluster::detail {

template run_result<double> run_lloyd<double>(const row_major_ref<double>&, const sample_weights<double>&,
                                              const Vector<double>&, const Vector<double>&, const Matrix<double>&, int,
                                              double, int, kestrel::detail::progress_reporter*);
template run_result<double> run_elkan<double>(const row_major_ref<double>&, const Vector<double>&,
                                              const Matrix<double>&, int, double, int, kestrel::detail::progress_reporter*);
template Matrix<double> initial_centers<double>(const row_major_ref<double>&, Index, Init, random_engine&, int);

}  // namespace kestrel::cluster::detail
