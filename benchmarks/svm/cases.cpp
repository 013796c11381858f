#include "cases.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string_view>

#include <kestrel/datasets/make_classification.hpp>

#include "../support/data.hpp"
#include "../support/harness.hpp"

namespace kestrel::bench {

namespace {

// Rows of a kernel block: 1024 × n_SV doubles stay below 200 MB for S1-large's support vectors.
constexpr Index block_rows = 1024;

// 'scale': 1 / (d · Var(X)), the variance over every entry of X.
double scale_gamma(const Matrix<double>& X) {
    const double mean = X.mean();
    const double variance = (X.array() - mean).square().mean();
    return variance == 0 ? 1.0 : 1.0 / (static_cast<double>(X.cols()) * variance);
}

Labels labels(std::string_view name) { return load_vector<double>(name).cast<int>(); }

// One make_classification draw split into consecutive row ranges, for a smoke case.
struct Draw {
    Matrix<double> X;
    Labels y;
};
Draw smoke_draw(Index n, Index d, int classes, Index informative, std::uint64_t seed) {
    auto data = datasets::make_classification({.n_samples = n,
                                               .n_features = d,
                                               .n_informative = informative,
                                               .n_redundant = d / 10,
                                               .n_classes = classes,
                                               .random_state = seed});
    return {std::move(data.X), std::move(data.y)};
}

SVCCase finish(SVCCase c) {
    c.gamma = scale_gamma(c.X);
    return c;
}

// S1's rows: training, held-out, then S4's (S1-large's training rows).
const Draw& s1_smoke_draw() {
    static const Draw d = smoke_draw(600 + 200 + 1000, 10, 2, 2, 10);
    return d;
}

// RBF kernel values between the rows of A and B, from their squared norms.
Matrix<double> rbf(const Eigen::Ref<const Matrix<double>>& A, const Matrix<double>& B, const Vector<double>& b_norms,
                   double gamma) {
    Matrix<double> k = A * B.transpose();
    const Vector<double> a_norms = A.rowwise().squaredNorm();
    for (Index i = 0; i < k.rows(); ++i) {
        k.row(i) = (-gamma * ((-2.0 * k.row(i).array() + b_norms.transpose().array()) + a_norms(i))).exp();
    }
    return k;
}

}  // namespace

bool large_cases() {
    const char* flag = std::getenv("KESTREL_BENCH_LARGE");
    return flag != nullptr && std::string_view(flag) != "" && std::string_view(flag) != "0";
}

const SVCCase& s1() {
    static const SVCCase c = [] {
        if (!smoke()) {
            return finish({load<double>("s1_X"), labels("s1_y"), load<double>("s1_test_X"), labels("s1_test_y")});
        }
        const Draw& d = s1_smoke_draw();
        return finish({d.X.topRows(600), d.y.head(600), d.X.middleRows(600, 200), d.y.segment(600, 200)});
    }();
    return c;
}

const SVCCase& s1_large() {
    static const SVCCase c = [] {
        if (!smoke()) return finish({load<double>("s4_X"), labels("s4_y"), s1().X_test, s1().y_test});
        const Draw& d = s1_smoke_draw();
        return finish({d.X.bottomRows(1000), d.y.tail(1000), s1().X_test, s1().y_test});
    }();
    return c;
}

const SVCCase& s3() {
    static const SVCCase c = [] {
        if (!smoke()) {
            return finish({load<double>("s3_X"), labels("s3_y"), load<double>("s3_test_X"), labels("s3_test_y")});
        }
        const Draw d = smoke_draw(800, 24, 10, 6, 11);
        return finish({d.X.topRows(600), d.y.head(600), d.X.bottomRows(200), d.y.tail(200)});
    }();
    return c;
}

const Matrix<double>& s4_X() { return s1_large().X; }

const LinearSVCCase& s2() {
    static const LinearSVCCase c = [] {
        if (!smoke()) return LinearSVCCase{load<double>("s2_X"), labels("s2_y")};
        const Draw d = smoke_draw(2000, 20, 2, 5, 12);
        return LinearSVCCase{d.X, d.y};
    }();
    return c;
}

Matrix<double> ovo_decision(const OvoModel& model, const Matrix<double>& X, double gamma) {
    const Index K = model.classes.size(), n = X.rows(), n_pairs = K * (K - 1) / 2;
    Eigen::VectorXi start(K + 1);
    start(0) = 0;
    for (Index k = 0; k < K; ++k) start(k + 1) = start(k) + model.n_support(k);
    const Vector<double> sv_norms = model.support_vectors.rowwise().squaredNorm();
    Matrix<double> out(n, n_pairs);
    for (Index first = 0; first < n; first += block_rows) {
        const Index rows = std::min(block_rows, n - first);
        const Matrix<double> k = rbf(X.middleRows(first, rows), model.support_vectors, sv_norms, gamma);
        Index p = 0;
        for (Index a = 0; a < K; ++a) {
            for (Index b = a + 1; b < K; ++b, ++p) {
                out.col(p).segment(first, rows) =
                    k.middleCols(start(a), model.n_support(a)) *
                        model.coef.row(b - 1).segment(start(a), model.n_support(a)).transpose() +
                    k.middleCols(start(b), model.n_support(b)) *
                        model.coef.row(a).segment(start(b), model.n_support(b)).transpose();
                out.col(p).segment(first, rows).array() -= model.rho(p);
            }
        }
    }
    return out;
}

void report_svc(benchmark::State& state, const SVCCase& c, const OvoModel& model, double n_iter, int threads,
                double seconds, double peak) {
    using benchmark::Counter;
    const Index K = model.classes.size();
    const Matrix<double> decision = ovo_decision(model, c.X_test, c.gamma);
    Index correct = 0;
    Eigen::VectorXi votes(K);
    for (Index i = 0; i < decision.rows(); ++i) {
        votes.setZero();
        Index p = 0;
        for (Index a = 0; a < K; ++a) {
            for (Index b = a + 1; b < K; ++b, ++p) ++votes(decision(i, p) > 0 ? a : b);
        }
        Index best = 0;
        for (Index k = 1; k < K; ++k) {
            if (votes(k) > votes(best)) best = k;
        }
        correct += model.classes(best) == c.y_test(i) ? 1 : 0;
    }
    const Index n_sv = model.support_vectors.rows();
    state.counters["n_SV"] = static_cast<double>(n_sv);
    state.counters["accuracy"] = static_cast<double>(correct) / static_cast<double>(c.y_test.size());
    if (K == 2) {
        // ½ cᵀKc − Σ|c| by blocks of K's rows.
        const Vector<double> coef = model.coef.row(0).transpose();
        const Vector<double> sv_norms = model.support_vectors.rowwise().squaredNorm();
        double quadratic = 0;
        for (Index first = 0; first < n_sv; first += block_rows) {
            const Index rows = std::min(block_rows, n_sv - first);
            const Matrix<double> k =
                rbf(model.support_vectors.middleRows(first, rows), model.support_vectors, sv_norms, c.gamma);
            quadratic += coef.segment(first, rows).dot(k * coef);
        }
        state.counters["objective"] = 0.5 * quadratic - coef.lpNorm<1>();
    }
    if (n_iter >= 0) state.counters["n_iter"] = n_iter;
    state.counters["threads"] = threads;
    if (K == 2 && n_iter > 0) {
        const double flops = 2.0 * (2.0 * n_iter * static_cast<double>(c.X.rows())) * static_cast<double>(c.X.cols());
        state.counters["FLOP/s"] = Counter(flops, Counter::kIsIterationInvariantRate);
        state.counters["peak_frac"] = flops * fits(state) / seconds / peak;
    }
}

void report_predict(benchmark::State& state, const Vector<double>& values, Index n_sv, int threads, double seconds,
                    double peak) {
    using benchmark::Counter;
    const Vector<double>& reference = s4_kestrel_decision();
    state.counters["max_abs_diff"] = (values - reference).lpNorm<Eigen::Infinity>();
    state.counters["n_SV"] = static_cast<double>(n_sv);
    state.counters["threads"] = threads;
    const double flops =
        2.0 * static_cast<double>(s4_X().rows()) * static_cast<double>(n_sv) * static_cast<double>(s4_X().cols());
    state.counters["FLOP/s"] = Counter(flops, Counter::kIsIterationInvariantRate);
    state.counters["peak_frac"] = flops * fits(state) / seconds / peak;
}

namespace {

struct KestrelS1 {
    svm::SVC<double> svc;
    OvoModel model;
    Vector<double> decision;
};

const KestrelS1& kestrel_s1() {
    static const KestrelS1 s = [] {
        const SVCCase& c = s1();
        KestrelS1 out{
            svm::SVC<double>({.C = c.C, .gamma = svm::Gamma::scale, .tol = c.tol, .cache_size = c.cache_mb}), {}, {}};
        out.svc.fit(c.X, c.y);
        out.model = ovo_model(out.svc);
        out.decision = out.svc.decision_function(s4_X()).col(0);
        return out;
    }();
    return s;
}

}  // namespace

const svm::SVC<double>& s1_kestrel_svc() { return kestrel_s1().svc; }
const OvoModel& s1_kestrel_model() { return kestrel_s1().model; }
const Vector<double>& s4_kestrel_decision() { return kestrel_s1().decision; }

void report_linear_svc(benchmark::State& state, const LinearSVCCase& c, const Vector<double>& coef, double intercept,
                       bool hinge, double n_iter, int threads) {
    const Vector<double> z = (c.X * coef).array() + intercept;
    double loss = 0;
    Index correct = 0;
    for (Index i = 0; i < z.size(); ++i) {
        const double margin = c.y(i) == 1 ? z(i) : -z(i);
        const double violation = std::max(0.0, 1.0 - margin);
        loss += hinge ? violation : violation * violation;
        correct += margin > 0 ? 1 : 0;
    }
    state.counters["objective"] = 0.5 * (coef.squaredNorm() + intercept * intercept) + c.C * loss;
    state.counters["accuracy"] = static_cast<double>(correct) / static_cast<double>(z.size());
    if (n_iter >= 0) state.counters["n_iter"] = n_iter;
    state.counters["threads"] = threads;
}

}  // namespace kestrel::bench
