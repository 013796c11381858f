// S2 reference: liblinear's L2-regularised linear SVMs, serial, eps = the case's tol (1e-4, as
// scikit-learn's LinearSVC passes it), C = 0.1, with its bias as a regularised feature of value 1
// (-B 1, LinearSVC's intercept_scaling = 1):
//   BM_S2/liblinear_s1   -s 1: squared hinge, dual coordinate descent
//   BM_S2/liblinear_s2   -s 2: squared hinge, primal trust-region Newton
//   BM_S2/liblinear_s3   -s 3: hinge, dual coordinate descent
// liblinear reads sparse rows, so the dense data is laid out as feature_node arrays once, outside
// the timed region. It does not report its iteration count.
#include <cstddef>
#include <vector>

#include <linear.h>

#include "../support/harness.hpp"
#include "cases.hpp"

namespace kestrel::bench {
namespace {

void quiet(const char*) {}

struct Problem {
    std::vector<feature_node> nodes;
    std::vector<feature_node*> rows;
    std::vector<double> labels;
    problem prob{};
};

const Problem& s2_problem() {
    static const Problem p = [] {
        const LinearSVCCase& c = s2();
        const int n = static_cast<int>(c.X.rows()), d = static_cast<int>(c.X.cols());
        Problem out;
        out.nodes.resize(static_cast<std::size_t>(n) * static_cast<std::size_t>(d + 2));
        out.rows.resize(static_cast<std::size_t>(n));
        out.labels.resize(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            feature_node* row = &out.nodes[static_cast<std::size_t>(i) * static_cast<std::size_t>(d + 2)];
            for (int j = 0; j < d; ++j) row[j] = {j + 1, c.X(i, j)};
            row[d] = {d + 1, 1.0};
            row[d + 1] = {-1, 0.0};
            out.rows[static_cast<std::size_t>(i)] = row;
            out.labels[static_cast<std::size_t>(i)] = c.y(i) == 1 ? 1.0 : -1.0;
        }
        return out;
    }();
    return p;
}

void liblinear_svc(benchmark::State& state, int solver, bool hinge) {
    const LinearSVCCase& c = s2();
    const Problem& p = s2_problem();
    const int d = static_cast<int>(c.X.cols());
    // The rows hold the bias feature already (its node d + 1), as liblinear's -B 1 lays them out.
    const problem prob{static_cast<int>(c.X.rows()), d + 1, const_cast<double*>(p.labels.data()),
                       const_cast<feature_node**>(p.rows.data()), 1.0};
    parameter param{};
    param.solver_type = solver;
    param.eps = c.tol;
    param.C = c.C;
    set_print_string_function(quiet);
    model* fitted = nullptr;
    for (auto _ : state) {
        if (fitted != nullptr) free_and_destroy_model(&fitted);
        fitted = train(&prob, &param);
    }
    // w scores the first label liblinear met; flip it so that it scores label 1.
    const double sign = fitted->label[0] == 1 ? 1.0 : -1.0;
    Vector<double> coef(d);
    for (int j = 0; j < d; ++j) coef(j) = sign * fitted->w[j];
    const double intercept = sign * fitted->w[d];
    free_and_destroy_model(&fitted);
    report_linear_svc(state, c, coef, intercept, hinge, -1, 1);
}

const bool registered = [] {
    add("BM_S2/liblinear_s1", [](benchmark::State& s) { liblinear_svc(s, L2R_L2LOSS_SVC_DUAL, false); });
    add("BM_S2/liblinear_s2", [](benchmark::State& s) { liblinear_svc(s, L2R_L2LOSS_SVC, false); });
    add("BM_S2/liblinear_s3", [](benchmark::State& s) { liblinear_svc(s, L2R_L1LOSS_SVC_DUAL, true); });
    return true;
}();

}  // namespace
}  // namespace kestrel::bench
