// S1, S3 and S4 reference: libsvm 3.x (C-SVC, RBF kernel with the case's 'scale' γ, cache_size
// 200 MB, eps = the case's tol, shrinking on), serial. libsvm reads sparse rows, so the dense data
// is laid out as svm_node arrays once, outside the timed region (every feature stored, zeros
// included). libsvm does not report its iteration count: its rows have no n_iter and no
// throughput estimate.
//   BM_S1/libsvm_svc, BM_S3/libsvm_svc  svm_train
//   BM_S4/libsvm_predict  svm_predict_values on S4's rows with libsvm's own S1 model; its
//                         `same_model_diff` is the largest difference from kestrel's values when
//                         libsvm predicts with kestrel's S1 model (support vectors, coefficients
//                         and rho handed over), on the first 10,000 rows
#include <algorithm>
#include <cstddef>
#include <memory>
#include <vector>

#include <libsvm/svm.h>

#include "../support/data.hpp"
#include "../support/harness.hpp"
#include "cases.hpp"

namespace kestrel::bench {
namespace {

void quiet(const char*) {}

// The rows of X as libsvm's index-terminated svm_node arrays (1-based feature indices).
struct Rows {
    std::vector<svm_node> nodes;
    std::vector<svm_node*> rows;
};

Rows layout(const Matrix<double>& X) {
    const Index n = X.rows(), d = X.cols();
    Rows r;
    r.nodes.resize(static_cast<std::size_t>(n * (d + 1)));
    r.rows.resize(static_cast<std::size_t>(n));
    for (Index i = 0; i < n; ++i) {
        svm_node* row = &r.nodes[static_cast<std::size_t>(i * (d + 1))];
        for (Index j = 0; j < d; ++j) row[j] = {static_cast<int>(j + 1), X(i, j)};
        row[d] = {-1, 0.0};
        r.rows[static_cast<std::size_t>(i)] = row;
    }
    return r;
}

svm_parameter parameters(const SVCCase& c, double gamma) {
    svm_parameter p{};
    p.svm_type = C_SVC;
    p.kernel_type = RBF;
    p.degree = 3;
    p.gamma = gamma;
    p.coef0 = 0;
    p.cache_size = c.cache_mb;
    p.eps = c.tol;
    p.C = c.C;
    p.nr_weight = 0;
    p.shrinking = 1;
    p.probability = 0;
    return p;
}

struct Free {
    void operator()(svm_model* m) const { svm_free_and_destroy_model(&m); }
};
using Model = std::unique_ptr<svm_model, Free>;

// libsvm's model as an OvoModel: its class order (that of first appearance in y), its support
// vectors densified.
OvoModel ovo_model(const svm_model& m, Index d) {
    const Index K = m.nr_class, n_sv = m.l;
    OvoModel o;
    o.classes = Eigen::Map<const Labels>(m.label, K);
    o.n_support = Eigen::Map<const Eigen::VectorXi>(m.nSV, K);
    o.support_vectors = Matrix<double>::Zero(n_sv, d);
    o.coef.resize(K - 1, n_sv);
    for (Index s = 0; s < n_sv; ++s) {
        for (const svm_node* node = m.SV[s]; node->index != -1; ++node)
            o.support_vectors(s, node->index - 1) = node->value;
        for (Index r = 0; r < K - 1; ++r) o.coef(r, s) = m.sv_coef[r][s];
    }
    o.rho = Eigen::Map<const Vector<double>>(m.rho, K * (K - 1) / 2);
    return o;
}

// Training data, laid out once per case.
struct Problem {
    Rows rows;
    std::vector<double> labels;
    svm_problem problem{};
};

const Problem& problem_of(const SVCCase& c) {
    static std::vector<std::pair<const SVCCase*, std::unique_ptr<Problem>>> cache;
    for (const auto& [key, p] : cache) {
        if (key == &c) return *p;
    }
    auto p = std::make_unique<Problem>();
    p->rows = layout(c.X);
    p->labels.assign(c.y.data(), c.y.data() + c.y.size());
    p->problem = {static_cast<int>(c.X.rows()), p->labels.data(), p->rows.rows.data()};
    cache.emplace_back(&c, std::move(p));
    return *cache.back().second;
}

void libsvm_svc(benchmark::State& state, const SVCCase& (*get_case)()) {
    const SVCCase& c = get_case();
    const Problem& p = problem_of(c);
    const svm_parameter param = parameters(c, c.gamma);
    svm_set_print_string_function(quiet);
    Model model;
    const Stopwatch clock;
    for (auto _ : state) {
        model.reset();
        model.reset(svm_train(&p.problem, &param));
    }
    const double seconds = clock.seconds();
    report_svc(state, c, ovo_model(*model, c.X.cols()), -1, 1, seconds, peak_flops_double);
}

// libsvm's decision values of rows [0, n) in scikit-learn's sign (positive for the larger label).
Vector<double> decision_values(const svm_model& m, const Rows& rows, Index n) {
    const double sign = m.label[0] < m.label[1] ? -1.0 : 1.0;
    Vector<double> out(n);
    for (Index i = 0; i < n; ++i) {
        double value = 0;
        svm_predict_values(&m, rows.rows[static_cast<std::size_t>(i)], &value);
        out(i) = sign * value;
    }
    return out;
}

void libsvm_predict(benchmark::State& state) {
    const SVCCase& c = s1();
    static const Model model = [&c] {
        const svm_parameter param = parameters(c, c.gamma);
        svm_set_print_string_function(quiet);
        return Model(svm_train(&problem_of(c).problem, &param));
    }();
    static const Rows rows = layout(s4_X());
    const Index n = s4_X().rows();
    Vector<double> values;
    const Stopwatch clock;
    for (auto _ : state) values = decision_values(*model, rows, n);
    const double seconds = clock.seconds();
    report_predict(state, values, model->l, 1, seconds, peak_flops_double);

    // kestrel's S1 model handed to libsvm: the same support vectors, coefficients and γ.
    const OvoModel& k = s1_kestrel_model();
    Rows sv = layout(k.support_vectors);
    std::vector<double*> coef{const_cast<double*>(k.coef.data())};
    Vector<double> rho = k.rho;
    Labels classes = k.classes;
    Eigen::VectorXi n_support = k.n_support;
    svm_model shared{};
    shared.param = parameters(c, svm::Gamma::scale.resolve(c.X));
    shared.nr_class = static_cast<int>(classes.size());
    shared.l = static_cast<int>(k.support_vectors.rows());
    shared.SV = sv.rows.data();
    shared.sv_coef = coef.data();
    shared.rho = rho.data();
    shared.label = classes.data();
    shared.nSV = n_support.data();
    const Index checked = std::min<Index>(n, 10000);
    const Vector<double> same = decision_values(shared, rows, checked);
    state.counters["same_model_diff"] = (same - s4_kestrel_decision().head(checked)).lpNorm<Eigen::Infinity>();
}

const bool registered = [] {
    add("BM_S1/libsvm_svc", [](benchmark::State& s) { libsvm_svc(s, s1); });
    add("BM_S3/libsvm_svc", [](benchmark::State& s) { libsvm_svc(s, s3); });
    add("BM_S4/libsvm_predict", libsvm_predict);
    return true;
}();

}  // namespace
}  // namespace kestrel::bench
