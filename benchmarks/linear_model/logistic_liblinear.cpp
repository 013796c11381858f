// L3 and L5 reference: liblinear -s 0 (L2-regularised logistic regression, primal trust-region Newton),
// serial, eps = the case's tol. liblinear reads sparse rows, so the dense data is laid out as
// feature_node arrays once, outside the timed region. Its intercept is a regularised bias feature
// (-B 1), so its objective, computed by kestrel's formula, can sit slightly above the optimum.
#include <vector>

#include <linear.h>

#include "../support/harness.hpp"
#include "cases.hpp"

namespace kestrel::bench {
namespace {

void quiet(const char*) {}

void liblinear_logistic(benchmark::State& state, const LogisticCase& c) {
    const int n = static_cast<int>(c.X.rows());
    const int d = static_cast<int>(c.X.cols());
    std::vector<feature_node> nodes(static_cast<std::size_t>(n) * static_cast<std::size_t>(d + 2));
    std::vector<feature_node*> rows(static_cast<std::size_t>(n));
    std::vector<double> labels(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        feature_node* row = &nodes[static_cast<std::size_t>(i) * static_cast<std::size_t>(d + 2)];
        for (int j = 0; j < d; ++j) row[j] = {j + 1, c.X(i, j)};
        row[d] = {d + 1, 1.0};
        row[d + 1] = {-1, 0.0};
        rows[static_cast<std::size_t>(i)] = row;
        labels[static_cast<std::size_t>(i)] = c.y(i) == 1 ? 1.0 : -1.0;
    }
    const problem prob{n, d + 1, labels.data(), rows.data(), 1.0};
    parameter param{};
    param.solver_type = L2R_LR;
    param.eps = c.tol;
    param.C = c.C;
    set_print_string_function(quiet);
    model* fitted = nullptr;
    for (auto _ : state) {
        if (fitted != nullptr) free_and_destroy_model(&fitted);
        fitted = train(&prob, &param);
    }
    // w belongs to the first label liblinear met; flip it so that it scores label 1.
    const double sign = fitted->label[0] == 1 ? 1.0 : -1.0;
    Vector<double> coef(d);
    for (int j = 0; j < d; ++j) coef(j) = sign * fitted->w[j];
    const double intercept = sign * fitted->w[d];
    free_and_destroy_model(&fitted);
    report_logistic(state, c, coef, intercept, 0, 1);
}

const bool registered = [] {
    add("BM_L3/liblinear_primal", [](benchmark::State& s) { liblinear_logistic(s, l3()); });
    add("BM_L5/liblinear_primal", [](benchmark::State& s) { liblinear_logistic(s, l5()); });
    return true;
}();

}  // namespace
}  // namespace kestrel::bench
