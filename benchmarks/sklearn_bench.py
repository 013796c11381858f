#!/usr/bin/python3
"""Times scikit-learn on the benchmark cases, reading the same .npy files as the C++ binaries.

Writes JSON that benchmarks/report.py merges with Google Benchmark's output: for each benchmark,
named as the C++ ones (BM_<case>/sklearn_<variant>), the median wall time of --repetitions runs
after one warm-up run, and the same quality figures the C++ side reports, computed by the same
formulas (benchmarks/support/quality.cpp).

Run with /usr/bin/python3 (the interpreter with scikit-learn 1.2.1), and let BLAS pick its
kernel for this CPU: benchmarks/run.sh clears OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for it.
S4 compares scikit-learn's decision values with kestrel's, which bench_svm writes beside --out
(S4_kestrel_decision.npy) when run.sh names that folder in KESTREL_BENCH_OUT. The opt-in slow cases
(S1-large) run with --large or KESTREL_BENCH_LARGE=1, as in the C++ binaries. The tree module's
rates (s_per_tree, sample_features/s, us_per_row) are computed from the median time, as
tree/cases.cpp computes them; the ensemble module's (s_per_tree, hist_updates/s, us_per_row) as
ensemble/cases.cpp computes them. The linear_model module's `_float` variants fit float32 copies of
X (and of a real-valued y), made before the timing; their quality figures come from the float64 data.
Usage: /usr/bin/python3 benchmarks/sklearn_bench.py [--smoke] [--large] [--repetitions 5] [--filter REGEX]
       [--module NAME] [--out FILE]
"""
import argparse
import datetime
import json
import os
import pathlib
import re
import statistics
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor, RandomForestClassifier,
                              RandomForestRegressor)
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge, enet_path, lasso_path
from sklearn.svm import SVC, LinearSVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._openmp_helpers import _openmp_effective_n_threads

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from generate_data import make_cases  # noqa: E402

KMEANS_ITERATIONS = 30  # benchmarks/README.md: K1 and K2 run 30 iterations from the same centres
SMOKE_KMEANS_ITERATIONS = 5
RIDGE_ALPHA = 1.0
LASSO_TOL, LASSO_MAX_ITER = 1e-4, 1000
ENET_L1_RATIO = 0.5  # L2's elastic net: LassoCase::enet_l1_ratio in linear_model/cases.hpp
LOGISTIC_C, LOGISTIC_TOL, LOGISTIC_MAX_ITER = 1.0, 1e-4, 100
SVC_C, SVC_TOL, SVC_CACHE_MB = 1.0, 1e-3, 200
LINEAR_SVC_C, LINEAR_SVC_TOL, LINEAR_SVC_MAX_ITER = 0.1, 1e-4, 1000
SVM_BLOCK_ROWS = 1024  # rows of a kernel block in the SVM quality figures, as svm/cases.cpp
S4_KESTREL_DECISION = "S4_kestrel_decision.npy"
TREE_MAX_DEPTH = 10  # T1's limited variant; as tree/cases.hpp
FOREST_TREES, SMOKE_FOREST_TREES = 100, 5  # T2, T3
FOREST_THREADS = 2  # T2, T3: both cores
ONE_ROW_ROWS, SMOKE_ONE_ROW_ROWS = 100, 20  # T4's one-row-at-a-time variant
# B1-B3, as ensemble/cases.hpp: boosting iterations, learning rate, leaves a tree, bins a feature.
BOOSTING_ITERATIONS, SMOKE_BOOSTING_ITERATIONS = 100, 10
BOOSTING_LEARNING_RATE, BOOSTING_LEAVES, BOOSTING_BINS = 0.1, 31, 255
# HistGradientBoosting* run on OpenMP threads, as many as scikit-learn's helper for them finds (all cores).
BOOSTING_THREADS = _openmp_effective_n_threads()
# Each module's cases, for --module (benchmarks/run.sh --module): the case ids' first letter.
MODULES = {"cluster": "K", "linear_model": "L", "svm": "S", "tree": "T", "ensemble": "B"}


def inertia(X, centers):
    """Sum of squared distances to the nearest centre, by blocks as quality.cpp computes it."""
    norms = (centers.astype(np.float32) ** 2).sum(axis=1)
    total = 0.0
    for start in range(0, X.shape[0], 4096):
        block = X[start:start + 4096]
        d = norms - 2.0 * (block @ centers.T)
        total += np.maximum(d.min(axis=1) + (block ** 2).sum(axis=1), 0).astype(np.float64).sum()
    return total


def regression_quality(X, y, coef, intercept):
    residual = y - X @ coef - intercept
    return {"r2": 1 - residual @ residual / ((y - y.mean()) @ (y - y.mean())), "mse": residual @ residual / len(y)}


def lasso_quality(X, y, coef, alpha, l1_ratio=1.0):
    n = X.shape[0]
    x_mean = X.mean(axis=0)
    yc = y - y.mean()
    residual = yc - X @ coef + x_mean @ coef
    l1, l2 = n * alpha * l1_ratio, n * alpha * (1.0 - l1_ratio)
    r2, w1, w2 = residual @ residual, np.abs(coef).sum(), coef @ coef
    correlation = X.T @ residual - x_mean * residual.sum() - l2 * coef
    scale = min(1.0, l1 / max(np.abs(correlation).max(), 1e-300))
    primal = 0.5 * r2 + l1 * w1 + 0.5 * l2 * w2
    gap = 0.5 * r2 * (1 + scale * scale) + l1 * w1 - scale * (residual @ yc) + 0.5 * l2 * (1 + scale * scale) * w2
    return {"objective": primal / n, "dual_gap": gap / n, "nonzeros": int(np.count_nonzero(coef))}


def logistic_quality(X, y, coef, intercept, C):
    margin = np.where(y == 1, 1.0, -1.0) * (X @ coef + intercept)
    return {"objective": C * np.logaddexp(0, -margin).sum() + 0.5 * coef @ coef, "accuracy": float((margin > 0).mean())}


def scale_gamma(X):
    """SVC's gamma='scale': 1 / (d · Var(X)), the variance over every entry."""
    variance = X.var()
    return 1.0 if variance == 0 else 1.0 / (X.shape[1] * variance)


def rbf(A, B, b_norms, gamma):
    """RBF kernel values between the rows of A and B, as svm/cases.cpp computes them."""
    a_norms = (A ** 2).sum(axis=1)
    return np.exp(-gamma * ((-2.0 * (A @ B.T) + b_norms) + a_norms[:, None]))


def ovo_model(svc):
    """A fitted SVC in libsvm's layout (svm/cases.hpp's OvoModel): for two classes scikit-learn's
    dual_coef_ and intercept_ are -coef and rho, otherwise coef and -rho."""
    binary = len(svc.classes_) == 2
    coef = -svc.dual_coef_ if binary else svc.dual_coef_
    rho = svc.intercept_ if binary else -svc.intercept_
    return {"sv": svc.support_vectors_, "classes": svc.classes_, "n_support": svc.n_support_, "coef": coef, "rho": rho}


def ovo_decision(model, X, gamma):
    """Each pair's decision value, positive for the pair's first class, by blocks of rows."""
    sv, coef, rho = model["sv"], model["coef"], model["rho"]
    K = len(model["classes"])
    start = np.concatenate([[0], np.cumsum(model["n_support"])])
    sv_norms = (sv ** 2).sum(axis=1)
    out = np.empty((X.shape[0], K * (K - 1) // 2))
    for first in range(0, X.shape[0], SVM_BLOCK_ROWS):
        k = rbf(X[first:first + SVM_BLOCK_ROWS], sv, sv_norms, gamma)
        p = 0
        for a in range(K):
            for b in range(a + 1, K):
                sa, sb = slice(start[a], start[a + 1]), slice(start[b], start[b + 1])
                out[first:first + k.shape[0], p] = k[:, sa] @ coef[b - 1, sa] + k[:, sb] @ coef[a, sb] - rho[p]
                p += 1
    return out


def svc_quality(X_test, y_test, model, gamma, n_iter):
    """n_SV, held-out accuracy by one-vs-one vote (ties to the first class), for two classes the dual
    objective ½ cᵀKc − Σ|c|, as svm/cases.cpp's report_svc."""
    decision = ovo_decision(model, X_test, gamma)
    K = len(model["classes"])
    votes = np.zeros((X_test.shape[0], K), dtype=np.int64)
    p = 0
    for a in range(K):
        for b in range(a + 1, K):
            positive = decision[:, p] > 0
            votes[:, a] += positive
            votes[:, b] += ~positive
            p += 1
    predicted = model["classes"][np.argmax(votes, axis=1)]
    out = {"n_SV": model["sv"].shape[0], "accuracy": float((predicted == y_test).mean())}
    if K == 2:
        sv, c = model["sv"], model["coef"][0]
        sv_norms = (sv ** 2).sum(axis=1)
        quadratic = 0.0
        for first in range(0, sv.shape[0], SVM_BLOCK_ROWS):
            block = slice(first, first + SVM_BLOCK_ROWS)
            quadratic += c[block] @ (rbf(sv[block], sv, sv_norms, gamma) @ c)
        out["objective"] = 0.5 * quadratic - np.abs(c).sum()
    out["n_iter"] = int(np.sum(n_iter))
    return out


def linear_svc_quality(X, y, coef, intercept, C, hinge):
    """½(‖w‖² + b²) + C·Σ loss (squared hinge, or hinge) and training accuracy, as svm/cases.cpp."""
    margin = np.where(y == 1, 1.0, -1.0) * (X @ coef + intercept)
    violation = np.maximum(0.0, 1.0 - margin)
    loss = violation.sum() if hinge else (violation ** 2).sum()
    return {"objective": 0.5 * (coef @ coef + intercept * intercept) + C * loss,
            "accuracy": float((margin > 0).mean())}


def svm_benchmarks(data, large, kestrel_decision):
    """The svm module's cases (benchmarks/README.md), named as bench_svm's."""
    out = {}
    cases = {"S1": ("s1_X", "s1_y", "s1_test_X", "s1_test_y"), "S3": ("s3_X", "s3_y", "s3_test_X", "s3_test_y")}
    if large:
        # S1-large: S4's rows are its training set, S1's held-out rows its test set.
        cases["S1L"] = ("s4_X", "s4_y", "s1_test_X", "s1_test_y")
    for case, (x, y, x_test, y_test) in cases.items():
        X, Y, X_test, Y_test = data[x], data[y], data[x_test], data[y_test]
        gamma = scale_gamma(X)

        def fit(X=X, Y=Y):
            return SVC(C=SVC_C, kernel="rbf", gamma="scale", tol=SVC_TOL, cache_size=SVC_CACHE_MB).fit(X, Y)

        def quality(m, X_test=X_test, Y_test=Y_test, gamma=gamma):
            return svc_quality(X_test, Y_test, ovo_model(m), gamma, m.n_iter_)
        # S1-large takes minutes a fit: one run, no warm-up.
        options = {"repetitions": 1, "warmup": False} if case == "S1L" else {}
        out[f"BM_{case}/sklearn_svc"] = (fit, quality, options)

    X4 = data["s4_X"]
    s1_model = {}

    def s4_setup():
        if "svc" not in s1_model:
            s1_model["svc"] = SVC(C=SVC_C, kernel="rbf", gamma="scale", tol=SVC_TOL,
                                  cache_size=SVC_CACHE_MB).fit(data["s1_X"], data["s1_y"])

    def s4_quality(values):
        out = {"n_SV": s1_model["svc"].support_vectors_.shape[0]}
        if kestrel_decision is not None and kestrel_decision.shape == values.shape:
            out["max_abs_diff"] = float(np.abs(values - kestrel_decision).max())
        return out
    out["BM_S4/sklearn_predict"] = (lambda: s1_model["svc"].decision_function(X4), s4_quality, {"setup": s4_setup})

    X2, y2 = data["s2_X"], data["s2_y"]
    for variant, loss, dual in (("dual", "squared_hinge", True), ("primal", "squared_hinge", False),
                                ("hinge", "hinge", True)):
        def fit(loss=loss, dual=dual):
            return LinearSVC(C=LINEAR_SVC_C, loss=loss, dual=dual, tol=LINEAR_SVC_TOL,
                             max_iter=LINEAR_SVC_MAX_ITER).fit(X2, y2)

        def quality(m, hinge=(loss == "hinge")):
            return {**linear_svc_quality(X2, y2, m.coef_[0], m.intercept_[0], LINEAR_SVC_C, hinge),
                    "n_iter": int(m.n_iter_)}
        # The dual solvers run their 1000 passes over 160 MB, minutes a fit: no warm-up.
        out[f"BM_S2/sklearn_{variant}"] = (fit, quality, {"warmup": not dual})
    return out


def linear_model_benchmarks(data):
    """The linear_model module's cases (benchmarks/README.md), named as bench_linear_model's: each in
    float64 and, as the `_float` variants, on float32 copies of X (and of a real-valued y) made here,
    outside the timed region. The quality figures are computed on the float64 data."""
    out = {}

    def variants(*arrays):
        """("", the arrays) and ("_float", their float32 copies)."""
        return (("", arrays), ("_float", tuple(a.astype(np.float32) for a in arrays)))

    for case in ("L1", "L4"):
        X, y = data[f"{case.lower()}_X"], data[f"{case.lower()}_y"]
        for suffix, (Xv, yv) in variants(X, y):
            for variant, model in (("ols", LinearRegression), ("ridge", lambda: Ridge(alpha=RIDGE_ALPHA))):
                out[f"BM_{case}/sklearn_{variant}{suffix}"] = (
                    lambda m=model, Xv=Xv, yv=yv: m().fit(Xv, yv),
                    lambda r, X=X, y=y: regression_quality(X, y, r.coef_.astype(np.float64), float(r.intercept_)))

    X2, y2 = data["l2_X"], data["l2_y"]
    alpha, path = float(data["l2_alpha"][0]), data["l2_path"]
    for suffix, (X2v, y2v) in variants(X2, y2):
        def lasso_single(X2v=X2v, y2v=y2v):
            return Lasso(alpha=alpha, tol=LASSO_TOL, max_iter=LASSO_MAX_ITER).fit(X2v, y2v)

        def lasso_along_path(X2v=X2v, y2v=y2v):
            # lasso_path fits no intercept: centre first, as LassoCV does, inside the timed region.
            _, coefs, _, n_iters = lasso_path(X2v - X2v.mean(axis=0), y2v - y2v.mean(), alphas=path, tol=LASSO_TOL,
                                              max_iter=LASSO_MAX_ITER, return_n_iter=True)
            return coefs[:, -1], int(np.sum(n_iters))

        out[f"BM_L2/sklearn_single{suffix}"] = (
            lasso_single, lambda r: {**lasso_quality(X2, y2, r.coef_.astype(np.float64), alpha), "n_iter": r.n_iter_})
        out[f"BM_L2/sklearn_path{suffix}"] = (
            lasso_along_path, lambda r: {**lasso_quality(X2, y2, r[0].astype(np.float64), path[-1]), "n_iter": r[1]})

        def enet_single(X2v=X2v, y2v=y2v):
            return ElasticNet(alpha=alpha, l1_ratio=ENET_L1_RATIO, tol=LASSO_TOL, max_iter=LASSO_MAX_ITER).fit(X2v, y2v)

        def enet_along_path(X2v=X2v, y2v=y2v):
            _, coefs, _, n_iters = enet_path(X2v - X2v.mean(axis=0), y2v - y2v.mean(), l1_ratio=ENET_L1_RATIO,
                                             alphas=path, tol=LASSO_TOL, max_iter=LASSO_MAX_ITER, return_n_iter=True)
            return coefs[:, -1], int(np.sum(n_iters))

        out[f"BM_L2/sklearn_enet_single{suffix}"] = (
            enet_single, lambda r: {**lasso_quality(X2, y2, r.coef_.astype(np.float64), alpha, ENET_L1_RATIO),
                                    "n_iter": r.n_iter_})
        out[f"BM_L2/sklearn_enet_path{suffix}"] = (
            enet_along_path, lambda r: {**lasso_quality(X2, y2, r[0].astype(np.float64), path[-1], ENET_L1_RATIO),
                                        "n_iter": r[1]})

    for case in ("L3", "L5"):
        X, y = data[f"{case.lower()}_X"], data[f"{case.lower()}_y"]
        for suffix, (Xv,) in variants(X):
            for variant, solver in (("lbfgs", "lbfgs"), ("newton", "newton-cholesky")):
                if suffix and solver == "newton-cholesky":
                    # scikit-learn 1.2.1's newton-cholesky fails on float32 X (its loss expects float32
                    # targets and weights and is given float64: "Buffer dtype mismatch").
                    continue

                def fit(solver=solver, Xv=Xv, y=y):
                    model = LogisticRegression(C=LOGISTIC_C, tol=LOGISTIC_TOL, solver=solver,
                                               max_iter=LOGISTIC_MAX_ITER)
                    return model.fit(Xv, y)

                def quality(r, X=X, y=y):
                    return {**logistic_quality(X, y, r.coef_[0].astype(np.float64), float(r.intercept_[0]),
                                               LOGISTIC_C), "n_iter": int(r.n_iter_[0])}
                out[f"BM_{case}/sklearn_{variant}{suffix}"] = (fit, quality)
    return out


def split_work(tree, features):
    """Σ over the internal nodes of n_node_samples · features examined, as tree/cases.cpp."""
    internal = tree.feature >= 0
    return float(tree.n_node_samples[internal].sum()) * features


def forest_figures(forest, features):
    """Mean depth and leaves a tree, and the split work of every tree together."""
    trees = forest.estimators_
    return {"depth": np.mean([t.get_depth() for t in trees]), "n_leaves": np.mean([t.get_n_leaves() for t in trees]),
            "split_work": sum(split_work(t.tree_, features) for t in trees), "n_trees": len(trees)}


def fit_rates(counters, seconds):
    """A fit's split_work and n_trees as tree/cases.cpp's report_fit reports them: sample_features/s
    and s_per_tree."""
    work = counters.pop("split_work", None)
    if work is not None:
        counters["sample_features/s"] = work / seconds
    if "n_trees" in counters:
        counters["s_per_tree"] = seconds / counters["n_trees"]
    return counters


def predict_rates(counters, seconds):
    counters["us_per_row"] = seconds / counters["rows"] * 1e6
    return counters


def tree_benchmarks(data, smoke):
    """The tree module's cases (benchmarks/README.md), named as bench_tree's."""
    out = {}
    X, y, X_test, y_test = data["t1_X"], data["t1_y"], data["t1_test_X"], data["t1_test_y"]
    d = X.shape[1]
    sqrt_features = int(np.floor(np.sqrt(d)))
    trees = SMOKE_FOREST_TREES if smoke else FOREST_TREES
    for variant, depth in (("depth10", TREE_MAX_DEPTH), ("unlimited", None)):
        def fit(depth=depth):
            return DecisionTreeClassifier(max_depth=depth, random_state=0).fit(X, y)

        def quality(m):
            return {"accuracy": float((m.predict(X_test) == y_test).mean()),
                    "train_accuracy": float((m.predict(X) == y).mean()), "depth": m.get_depth(),
                    "n_leaves": m.get_n_leaves(), "split_work": split_work(m.tree_, d), "n_trees": 1, "threads": 1}
        out[f"BM_T1/sklearn_{variant}"] = (fit, quality, {"rates": fit_rates})

    t2_model = {}

    def forest_fit():
        t2_model["rf"] = RandomForestClassifier(n_estimators=trees, max_features="sqrt", bootstrap=True,
                                                n_jobs=FOREST_THREADS, random_state=0).fit(X, y)
        return t2_model["rf"]

    def forest_quality(m):
        return {"accuracy": float((m.predict(X_test) == y_test).mean()), **forest_figures(m, sqrt_features),
                "threads": FOREST_THREADS}
    # A fit takes a minute or more: no warm-up.
    out["BM_T2/sklearn_rf"] = (forest_fit, forest_quality, {"rates": fit_rates, "warmup": False})

    X3, y3, X3_test, y3_test = data["t3_X"], data["t3_y"], data["t3_test_X"], data["t3_test_y"]

    def regression_fit():
        return RandomForestRegressor(n_estimators=trees, max_features="sqrt", bootstrap=True, n_jobs=FOREST_THREADS,
                                     random_state=0).fit(X3, y3)

    def regression_quality(m):
        residual = y3_test - m.predict(X3_test)
        r2 = 1 - residual @ residual / ((y3_test - y3_test.mean()) @ (y3_test - y3_test.mean()))
        return {"r2": r2, **forest_figures(m, int(np.floor(np.sqrt(X3.shape[1])))), "threads": FOREST_THREADS}
    out["BM_T3/sklearn_rf"] = (regression_fit, regression_quality, {"rates": fit_rates, "warmup": False})

    # T4: T2's forest (the one BM_T2/sklearn_rf fitted last, else fitted once here, untimed).
    X4, y4 = data["t4_X"], data["t4_y"]
    one_row = min(SMOKE_ONE_ROW_ROWS if smoke else ONE_ROW_ROWS, X4.shape[0])

    def t4_setup():
        if "rf" not in t2_model:
            forest_fit()

    def batch():
        t2_model["rf"].n_jobs = FOREST_THREADS
        return t2_model["rf"].predict(X4)

    def one_row_at_a_time():
        # One thread: joblib's threads would cost more than a row.
        t2_model["rf"].n_jobs = 1
        return np.array([t2_model["rf"].predict(X4[i:i + 1])[0] for i in range(one_row)])

    out["BM_T4/sklearn_batch"] = (batch, lambda p: {"accuracy": float((p == y4).mean()), "rows": len(p),
                                                    "threads": FOREST_THREADS},
                                  {"setup": t4_setup, "rates": predict_rates})
    out["BM_T4/sklearn_one_row"] = (one_row_at_a_time, lambda p: {"accuracy": float((p == y4[:len(p)]).mean()),
                                                                  "rows": len(p), "threads": 1},
                                    {"setup": t4_setup, "rates": predict_rates})
    return out


def log_loss(probability, y):
    """Mean of -log p(true class), each probability clipped below at 1e-15, as ensemble/cases.cpp."""
    p = probability[np.arange(len(y)), y.astype(np.int64)]
    return float(-np.log(np.maximum(p, 1e-15)).mean())


def classification_figures(probability, y):
    """Held-out log loss and accuracy (the most probable class, the first of equals)."""
    return {"log_loss": log_loss(probability, y), "accuracy": float((probability.argmax(axis=1) == y).mean())}


def boosting_figures(m, n, d):
    """What ensemble/cases.cpp's report_fit reports beside the quality: n_iter, n_trees, threads, and the
    histogram-building proxy's work n · d · trees (hist_updates/s once divided by the time)."""
    trees = m.n_iter_ * m.n_trees_per_iteration_
    return {"n_iter": m.n_iter_, "n_trees": trees, "hist_work": float(n) * d * trees, "threads": BOOSTING_THREADS}


def boosting_rates(counters, seconds):
    counters["s_per_tree"] = seconds / counters["n_trees"]
    counters["hist_updates/s"] = counters.pop("hist_work") / seconds
    return counters


def ensemble_benchmarks(data, smoke):
    """The ensemble module's cases (benchmarks/README.md), named as bench_ensemble's."""
    out = {}
    iterations = SMOKE_BOOSTING_ITERATIONS if smoke else BOOSTING_ITERATIONS

    def classifier(max_iter=iterations):
        return HistGradientBoostingClassifier(learning_rate=BOOSTING_LEARNING_RATE, max_iter=max_iter,
                                              max_leaf_nodes=BOOSTING_LEAVES, max_bins=BOOSTING_BINS,
                                              early_stopping=False, random_state=0)

    b1_model = {}
    for case, x, variant, max_iter in (("B1", "b1", "fit", iterations), ("B1", "b1", "one_tree", 1),
                                       ("B3", "b3", "fit", iterations)):
        X, y, X_test, y_test = data[f"{x}_X"], data[f"{x}_y"], data[f"{x}_test_X"], data[f"{x}_test_y"]

        def fit(X=X, y=y, max_iter=max_iter, keep=(case, variant) == ("B1", "fit")):
            m = classifier(max_iter).fit(X, y)
            if keep:
                b1_model["hgb"] = m
            return m

        def quality(m, X=X, X_test=X_test, y_test=y_test):
            return {**classification_figures(m.predict_proba(X_test), y_test), **boosting_figures(m, *X.shape)}
        out[f"BM_{case}/sklearn_{variant}"] = (fit, quality, {"rates": boosting_rates})

    X2, y2, X2_test, y2_test = data["b2_X"], data["b2_y"], data["b2_test_X"], data["b2_test_y"]

    def regression_fit():
        return HistGradientBoostingRegressor(loss="squared_error", learning_rate=BOOSTING_LEARNING_RATE,
                                             max_iter=iterations, max_leaf_nodes=BOOSTING_LEAVES,
                                             max_bins=BOOSTING_BINS, early_stopping=False, random_state=0).fit(X2, y2)

    def regression_quality(m):
        residual = y2_test - m.predict(X2_test)
        sse = residual @ residual
        return {"r2": 1 - sse / ((y2_test - y2_test.mean()) @ (y2_test - y2_test.mean())), "mse": sse / len(y2_test),
                **boosting_figures(m, *X2.shape)}
    out["BM_B2/sklearn_fit"] = (regression_fit, regression_quality, {"rates": boosting_rates})

    # B4: B1's model (the one BM_B1/sklearn_fit fitted last, else fitted once here, untimed).
    X4, y4 = data["b4_X"], data["b4_y"]

    def b4_setup():
        if "hgb" not in b1_model:
            b1_model["hgb"] = classifier().fit(data["b1_X"], data["b1_y"])

    out["BM_B4/sklearn_predict"] = (lambda: b1_model["hgb"].predict_proba(X4),
                                    lambda p: {**classification_figures(p, y4), "rows": len(p),
                                               "threads": BOOSTING_THREADS},
                                    {"setup": b4_setup, "rates": predict_rates})
    return out


def kmeans_bench(X, init, n_iter, algorithm):
    def fit():
        return KMeans(n_clusters=init.shape[0], init=init, n_init=1, max_iter=n_iter, tol=0, algorithm=algorithm).fit(X)

    def quality(km):
        return {"inertia": inertia(X, km.cluster_centers_), "n_iter": km.n_iter_}
    return fit, quality


def benchmarks(data, smoke, large=False, kestrel_decision=None, module=None):
    """name -> (fit, quality[, options]): fit() is what is timed, quality(result) what is reported;
    options may hold "setup" (run once before, untimed), "repetitions", "warmup", and "rates"
    (counters, median seconds) -> counters, for the figures that depend on the time."""
    n_iter = SMOKE_KMEANS_ITERATIONS if smoke else KMEANS_ITERATIONS
    out = {}
    if module == "tree":  # only its data need exist
        return tree_benchmarks(data, smoke)
    if module == "ensemble":
        return ensemble_benchmarks(data, smoke)
    if module == "linear_model":
        return linear_model_benchmarks(data)
    if module == "svm":
        return svm_benchmarks(data, large, kestrel_decision)
    for case in ("K1", "K2"):
        X, init = data[f"{case.lower()}_X"], data[f"{case.lower()}_init"]
        for algorithm in ("lloyd", "elkan"):
            out[f"BM_{case}/sklearn_{algorithm}"] = kmeans_bench(X, init, n_iter, algorithm)
    if module == "cluster":
        return out

    out.update(linear_model_benchmarks(data))
    out.update(svm_benchmarks(data, large, kestrel_decision))
    out.update(tree_benchmarks(data, smoke))
    out.update(ensemble_benchmarks(data, smoke))
    return out


def blas_info():
    try:
        from threadpoolctl import threadpool_info
        return [{k: v for k, v in i.items() if k in ("internal_api", "architecture", "num_threads", "version")}
                for i in threadpool_info()]
    except ImportError:
        return []


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny in-memory cases, one run each")
    parser.add_argument("--large", action="store_true",
                        default=os.environ.get("KESTREL_BENCH_LARGE", "") not in ("", "0"),
                        help="also the opt-in slow cases (S1-large); default: KESTREL_BENCH_LARGE")
    parser.add_argument("--module", choices=sorted(MODULES), help="only this module's cases")
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--filter", default=".", help="regex over benchmark names")
    parser.add_argument("--data", default=str(pathlib.Path(__file__).resolve().parent / "data"))
    parser.add_argument("--out", help="JSON output file (default: stdout only)")
    args = parser.parse_args()

    if args.smoke:
        data = make_cases(smoke=True)
    else:
        data = {p.stem: np.load(p) for p in pathlib.Path(args.data).glob("*.npy")}
    kestrel_decision = None
    if args.out and not args.smoke and (pathlib.Path(args.out).parent / S4_KESTREL_DECISION).exists():
        kestrel_decision = np.load(pathlib.Path(args.out).parent / S4_KESTREL_DECISION)
    results = []
    for name, (fit, quality, *rest) in benchmarks(data, args.smoke, args.large, kestrel_decision,
                                                  args.module).items():
        if not re.search(args.filter, name):
            continue
        if args.module and not name.startswith(f"BM_{MODULES[args.module]}"):
            continue
        options = rest[0] if rest else {}
        if "setup" in options:
            options["setup"]()
        repetitions = 1 if args.smoke else options.get("repetitions", args.repetitions)
        if not args.smoke and options.get("warmup", True):
            fit()  # warm-up: page in the data, load code paths
        times = []
        for _ in range(repetitions):
            start = time.perf_counter()
            result = fit()
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        counters = quality(result)
        if "rates" in options:
            counters = options["rates"](counters, median)
        entry = {"name": name, "median_s": median, "times_s": times, "counters": {k: float(v) for k, v in
                                                                                   counters.items()}}
        results.append(entry)
        print(f"{name:32s} {entry['median_s'] * 1e3:10.2f} ms  " +
              " ".join(f"{k}={v:.6g}" for k, v in entry["counters"].items()), flush=True)
    report = {"context": {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                          "sklearn": sklearn.__version__, "numpy": np.__version__, "python": sys.version.split()[0],
                          "blas": blas_info(), "repetitions": 1 if args.smoke else args.repetitions},
              "benchmarks": results}
    if args.out:
        pathlib.Path(args.out).write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
