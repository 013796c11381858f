#pragma once
/// \file
/// The svm module's benchmark cases (benchmarks/README.md), as data every implementation in
/// bench_svm reads, the quality figures of a fitted SVM (computed by one formula for every
/// implementation, mirrored in benchmarks/sklearn_bench.py) and the counters their benchmarks
/// report. Each case is loaded on first use, outside any timed region: from generate_data.py's
/// .npy files, or made in-process for a smoke run (support/data.hpp).

#include <benchmark/benchmark.h>

#include <kestrel/core/types.hpp>
#include <kestrel/svm/svc.hpp>

namespace kestrel::bench {

/// S1, S1-large, S3: C-SVC with the RBF kernel, γ = 'scale', a held-out set for the accuracy.
struct SVCCase {
    Matrix<double> X;
    Labels y;
    Matrix<double> X_test;
    Labels y_test;
    double C = 1.0;
    double tol = 1e-3;
    double cache_mb = 200;  ///< kernel cache of every implementation (scikit-learn's default)
    double gamma = 1.0;     ///< 'scale' resolved on X: 1 / (d · Var(X)), Var over every entry
};

const SVCCase& s1();
/// S1-large: S1's distribution with 100,000 training rows (S4's rows), S1's held-out rows. Opt-in:
/// its benchmarks are registered only when large_cases().
const SVCCase& s1_large();
const SVCCase& s3();

/// S4: rows whose decision values S1's model computes.
const Matrix<double>& s4_X();

/// S2: linear SVM, labels 0 and 1, LinearSVC's defaults but C.
struct LinearSVCCase {
    Matrix<double> X;
    Labels y;
    double C = 0.1;
    double tol = 1e-4;
    int max_iter = 1000;
};
const LinearSVCCase& s2();

/// True when KESTREL_BENCH_LARGE is set to anything but "0" or "": register the slow opt-in cases.
bool large_cases();

/// A fitted C-SVC as libsvm lays it out, which every implementation's model converts to: the
/// support vectors grouped by class in the order of `classes`, n_support of each, `coef` (K − 1
/// rows: in the pair (a, b), class a's support vectors carry their yα in row b − 1 and class b's in
/// row a), and per pair a < b the decision value Σ coef·K(sv, x) − rho[pair], positive for a.
struct OvoModel {
    Matrix<double> support_vectors;
    Labels classes;
    Eigen::VectorXi n_support;
    Matrix<double> coef;
    Vector<double> rho;
};

/// The OvoModel of a fitted kestrel::svm::SVC (scikit-learn's layout: for two classes dual_coef
/// and intercept are −coef and rho, otherwise coef and −rho).
template <class SVC>
OvoModel ovo_model(const SVC& svc) {
    OvoModel m;
    m.support_vectors = svc.support_vectors().template cast<double>();
    m.classes = svc.classes();
    m.n_support = svc.n_support();
    const bool binary = svc.classes().size() == 2;
    m.coef = svc.dual_coef().template cast<double>();
    m.rho = svc.intercept().template cast<double>();
    if (binary) {
        m.coef = -m.coef;
    } else {
        m.rho = -m.rho;
    }
    return m;
}

/// Each pair's decision values of `model` on the rows of X (n × K(K−1)/2), in the RBF kernel
/// with `gamma`, in blocks of rows through Eigen's GEMM.
Matrix<double> ovo_decision(const OvoModel& model, const Matrix<double>& X, double gamma);

/// The number of support vectors, the held-out accuracy (one-vs-one vote, ties to the first
/// class in the model's order) and for two classes the dual objective ½ cᵀKc − Σ|c| (c the
/// coefficients yα of the support vectors, K their RBF kernel matrix), and `n_iter` when ≥ 0.
/// For a binary fit also the estimated kernel throughput of the solver, `FLOP/s` and
/// `peak_frac` against `peak` (the nominal ceiling): 2 · (2 · n_iter kernel rows of n entries) ·
/// d over the time, the two rows SMO asks for per iteration, cache hits counted as computed, so
/// that it is an upper bound (README).
void report_svc(benchmark::State& state, const SVCCase& c, const OvoModel& model, double n_iter, int threads,
                double seconds, double peak);

/// S4: the time of decision values on s4_X(), their largest absolute difference from kestrel's
/// (SVC<double>'s, s4_kestrel_decision()), the kernel block's throughput (2 · rows · n_SV · d
/// FLOP per call) and its fraction of `peak`.
void report_predict(benchmark::State& state, const Vector<double>& values, Index n_sv, int threads, double seconds,
                    double peak);

/// kestrel's S1 model (SVC<double>, fitted once, untimed), as fitted and as an OvoModel, and its
/// decision values on s4_X(), positive for the larger label: what S4 compares every
/// implementation's values with.
const svm::SVC<double>& s1_kestrel_svc();
const OvoModel& s1_kestrel_model();
const Vector<double>& s4_kestrel_decision();

/// S2's quality: the objective ½(‖w‖² + b²) + C·Σ loss (liblinear's and LinearSVC's, whose
/// intercept is a regularised feature of value intercept_scaling = 1), loss max(0, 1 − m)² or,
/// with `hinge`, max(0, 1 − m), m = ỹ(x·w + b), ỹ = ±1; the training accuracy; `n_iter` when ≥ 0.
void report_linear_svc(benchmark::State& state, const LinearSVCCase& c, const Vector<double>& coef, double intercept,
                       bool hinge, double n_iter, int threads);

}  // namespace kestrel::bench
