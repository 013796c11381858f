// L2: lasso on n=50k, d=500 doubles with 50 true non-zeros, at one α and along a 20-α path
// (largest α first, each fit warm-started from the previous one, XᵀX formed once), tol 1e-4,
// all cores; in double and in float (on the case's float copy of X and y). The path twice: on
// X and y centred by the caller, as scikit-learn's lasso_path needs them, and centred by the
// path itself (PathParams::fit_intercept, in the pass that forms XᵀX: no centred copy of X).
// The elastic net at l1_ratio 0.5, one α and the path centred by itself, on the same data.
// Reference: lasso_xgboost.cpp beside this file; scikit-learn's Lasso, lasso_path, ElasticNet and enet_path.
#include <numeric>

#include <kestrel/linear_model/elastic_net.hpp>
#include <kestrel/linear_model/lasso.hpp>

#include "../support/harness.hpp"
#include "cases.hpp"

namespace kestrel::bench {
namespace {

using linear_model::ElasticNet;
using linear_model::Lasso;
using linear_model::LassoParams;

// Each timed single fit starts cold; along the path each fit starts from the previous α's.
LassoParams params(const LassoCase& c, double alpha, bool warm_start) {
    return {.alpha = alpha, .max_iter = c.max_iter, .tol = c.tol, .warm_start = warm_start};
}

template <class T>
void kestrel_lasso(benchmark::State& state) {
    const LassoCase& c = l2();
    const Matrix<T>& X = features<T>(c);
    const Vector<T>& y = targets<T>(c);
    Lasso<T> lasso(params(c, c.alpha, false));
    for (auto _ : state) lasso.fit(X, y);
    report_lasso<T>(state, c, lasso.coef(), c.alpha, lasso.n_iter(), openmp_threads());
}

// As scikit-learn's lasso_path and enet_path (and LassoCV): centre inside the timed region, then
// one path that forms XᵀX once and warm-starts each α from the previous one (lasso_path is
// enet_path at l1_ratio 1). The column means come from one matrix-vector product: Eigen's
// colwise().mean() on row-major X walks X once per column (about 130 ms here, more than the path
// itself). With `by_path`, the same path on X and y as loaded, centred by the path in its Gram
// pass (PathParams::fit_intercept).
template <class T, bool by_path>
void kestrel_path(benchmark::State& state, double l1_ratio) {
    const LassoCase& c = l2();
    const Matrix<T>& X = features<T>(c);
    const Vector<T>& y_in = targets<T>(c);
    const Vector<T> alphas = c.path.cast<T>();
    const linear_model::PathParams params{
        .l1_ratio = l1_ratio, .max_iter = c.max_iter, .tol = c.tol, .fit_intercept = by_path};
    Vector<T> coef;
    int n_iter = 0;
    for (auto _ : state) {
        linear_model::ElasticNetPath<T> path;
        if constexpr (by_path) {
            path = linear_model::enet_path(X, y_in, alphas, params);
        } else {
            const Vector<T> mean = X.transpose() * Vector<T>::Constant(X.rows(), T(1) / static_cast<T>(X.rows()));
            const Matrix<T> centred = X.rowwise() - mean.transpose();
            const Vector<T> y = y_in.array() - y_in.mean();
            path = linear_model::enet_path(centred, y, alphas, params);
        }
        coef = path.coefs.col(path.coefs.cols() - 1);
        n_iter = std::accumulate(path.n_iter.begin(), path.n_iter.end(), 0);
    }
    report_lasso<T>(state, c, coef, c.path(c.path.size() - 1), n_iter, openmp_threads(), l1_ratio);
}

template <class T>
void kestrel_enet(benchmark::State& state) {
    const LassoCase& c = l2();
    const Matrix<T>& X = features<T>(c);
    const Vector<T>& y = targets<T>(c);
    ElasticNet<T> enet({.alpha = c.alpha, .l1_ratio = c.enet_l1_ratio, .max_iter = c.max_iter, .tol = c.tol});
    for (auto _ : state) enet.fit(X, y);
    report_lasso<T>(state, c, enet.coef(), c.alpha, enet.n_iter(), openmp_threads(), c.enet_l1_ratio);
}

const bool registered = [] {
    add("BM_L2/kestrel_single", kestrel_lasso<double>);
    add("BM_L2/kestrel_single_float", kestrel_lasso<float>);
    add("BM_L2/kestrel_path", [](benchmark::State& s) { kestrel_path<double, false>(s, 1.0); });
    add("BM_L2/kestrel_path_float", [](benchmark::State& s) { kestrel_path<float, false>(s, 1.0); });
    add("BM_L2/kestrel_path_intercept", [](benchmark::State& s) { kestrel_path<double, true>(s, 1.0); });
    add("BM_L2/kestrel_path_intercept_float", [](benchmark::State& s) { kestrel_path<float, true>(s, 1.0); });
    add("BM_L2/kestrel_enet_single", kestrel_enet<double>);
    add("BM_L2/kestrel_enet_single_float", kestrel_enet<float>);
    add("BM_L2/kestrel_enet_path", [](benchmark::State& s) { kestrel_path<double, true>(s, l2().enet_l1_ratio); });
    add("BM_L2/kestrel_enet_path_float", [](benchmark::State& s) { kestrel_path<float, true>(s, l2().enet_l1_ratio); });
    return true;
}();

}  // namespace
}  // namespace kestrel::bench
