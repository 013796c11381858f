// S2: linear SVM on n=200k, d=100 doubles, C = 0.1, tol 1e-4, max_iter 1000, with kestrel's
// LinearSVC in its three liblinear-style variants:
//   BM_S2/kestrel_dual     loss = squared_hinge, dual = true   (liblinear -s 1)
//   BM_S2/kestrel_primal   loss = squared_hinge, dual = false  (liblinear -s 2)
//   BM_S2/kestrel_hinge    loss = hinge, dual = true           (liblinear -s 3)
// References: linear_svc_liblinear.cpp beside this file, scikit-learn's LinearSVC in
// benchmarks/sklearn_bench.py. kestrel's side builds once <kestrel/svm/linear_svc.hpp> exists
// (the include below is indented so that benchmarks/CMakeLists.txt's header check, which skips a
// file until the headers it includes exist, leaves this file in: __has_include decides at each
// build instead).
#if __has_include(<kestrel/svm/linear_svc.hpp>)
// clang-format off
#  include <kestrel/svm/linear_svc.hpp>
// clang-format on

#include "../support/harness.hpp"
#include "cases.hpp"

namespace kestrel::bench {
namespace {

using svm::LinearSVC;

void kestrel_linear_svc(benchmark::State& state, bool hinge, bool dual) {
    const LinearSVCCase& c = s2();
    // The enumerators are spelled through the fields' own types.
    typename LinearSVC<double>::Params params{};
    params.loss = hinge ? decltype(params.loss)::hinge : decltype(params.loss)::squared_hinge;
    params.dual = dual;
    params.tol = c.tol;
    params.C = c.C;
    params.max_iter = c.max_iter;
    LinearSVC<double> model(params);
    for (auto _ : state) model.fit(c.X, c.y);
    report_linear_svc(state, c, model.coef().row(0).transpose(), static_cast<double>(model.intercept()(0)), hinge,
                      static_cast<double>(model.n_iter()), openmp_threads());
}

const bool registered = [] {
    add("BM_S2/kestrel_dual", [](benchmark::State& s) { kestrel_linear_svc(s, false, true); });
    add("BM_S2/kestrel_primal", [](benchmark::State& s) { kestrel_linear_svc(s, false, false); });
    add("BM_S2/kestrel_hinge", [](benchmark::State& s) { kestrel_linear_svc(s, true, true); });
    return true;
}();

}  // namespace
}  // namespace kestrel::bench

#endif
