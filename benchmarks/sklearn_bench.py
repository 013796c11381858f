#!/usr/bin/python3
"""Times scikit-learn on the benchmark cases, reading the same .npy files as the C++ binaries.

Writes JSON that benchmarks/report.py merges with Google Benchmark's output: for each benchmark,
named as the C++ ones (BM_<case>/sklearn_<variant>), the median wall time of --repetitions runs
after one warm-up run, and the same quality figures the C++ side reports, computed by the same
formulas (benchmarks/support/quality.cpp).

Run with /usr/bin/python3 (the interpreter with scikit-learn 1.2.1), and let BLAS pick its
kernel for this CPU: benchmarks/run.sh clears OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for it.
Usage: /usr/bin/python3 benchmarks/sklearn_bench.py [--smoke] [--repetitions 5] [--filter REGEX] [--out FILE]
"""
import argparse
import datetime
import json
import pathlib
import re
import statistics
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.linear_model import Lasso, LinearRegression, LogisticRegression, Ridge, lasso_path

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from generate_data import make_cases  # noqa: E402

KMEANS_ITERATIONS = 30  # benchmarks/README.md: K1 and K2 run 30 iterations from the same centres
SMOKE_KMEANS_ITERATIONS = 5
RIDGE_ALPHA = 1.0
LASSO_TOL, LASSO_MAX_ITER = 1e-4, 1000
LOGISTIC_C, LOGISTIC_TOL, LOGISTIC_MAX_ITER = 1.0, 1e-4, 100


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


def lasso_quality(X, y, coef, alpha):
    n = X.shape[0]
    x_mean = X.mean(axis=0)
    yc = y - y.mean()
    residual = yc - X @ coef + x_mean @ coef
    correlation = X.T @ residual - x_mean * residual.sum()
    scale = min(1.0, n * alpha / max(np.abs(correlation).max(), 1e-300))
    primal = 0.5 * residual @ residual + n * alpha * np.abs(coef).sum()
    dual = 0.5 * yc @ yc - 0.5 * (yc - scale * residual) @ (yc - scale * residual)
    return {"objective": primal / n, "dual_gap": (primal - dual) / n, "nonzeros": int(np.count_nonzero(coef))}


def logistic_quality(X, y, coef, intercept, C):
    margin = np.where(y == 1, 1.0, -1.0) * (X @ coef + intercept)
    return {"objective": C * np.logaddexp(0, -margin).sum() + 0.5 * coef @ coef, "accuracy": float((margin > 0).mean())}


def kmeans_bench(X, init, n_iter, algorithm):
    def fit():
        return KMeans(n_clusters=init.shape[0], init=init, n_init=1, max_iter=n_iter, tol=0, algorithm=algorithm).fit(X)

    def quality(km):
        return {"inertia": inertia(X, km.cluster_centers_), "n_iter": km.n_iter_}
    return fit, quality


def benchmarks(data, smoke):
    """name -> (fit, quality): fit() is what is timed, quality(result) what is reported."""
    n_iter = SMOKE_KMEANS_ITERATIONS if smoke else KMEANS_ITERATIONS
    out = {}
    for case in ("K1", "K2"):
        X, init = data[f"{case.lower()}_X"], data[f"{case.lower()}_init"]
        for algorithm in ("lloyd", "elkan"):
            out[f"BM_{case}/sklearn_{algorithm}"] = kmeans_bench(X, init, n_iter, algorithm)

    X, y = data["l1_X"], data["l1_y"]
    for variant, model in (("ols", lambda: LinearRegression()), ("ridge", lambda: Ridge(alpha=RIDGE_ALPHA))):
        out[f"BM_L1/sklearn_{variant}"] = (lambda m=model: m().fit(X, y),
                                           lambda r: regression_quality(X, y, r.coef_, r.intercept_))

    X2, y2 = data["l2_X"], data["l2_y"]
    alpha, path = float(data["l2_alpha"][0]), data["l2_path"]

    def lasso_single():
        return Lasso(alpha=alpha, tol=LASSO_TOL, max_iter=LASSO_MAX_ITER).fit(X2, y2)

    def lasso_along_path():
        # lasso_path fits no intercept: centre first, as LassoCV does, inside the timed region.
        _, coefs, _, n_iters = lasso_path(X2 - X2.mean(axis=0), y2 - y2.mean(), alphas=path, tol=LASSO_TOL,
                                          max_iter=LASSO_MAX_ITER, return_n_iter=True)
        return coefs[:, -1], int(np.sum(n_iters))

    out["BM_L2/sklearn_single"] = (lasso_single,
                                   lambda r: {**lasso_quality(X2, y2, r.coef_, alpha), "n_iter": r.n_iter_})
    out["BM_L2/sklearn_path"] = (lasso_along_path,
                                 lambda r: {**lasso_quality(X2, y2, r[0], path[-1]), "n_iter": r[1]})

    X3, y3 = data["l3_X"], data["l3_y"]
    for variant, solver in (("lbfgs", "lbfgs"), ("newton", "newton-cholesky")):
        def fit(solver=solver):
            model = LogisticRegression(C=LOGISTIC_C, tol=LOGISTIC_TOL, solver=solver, max_iter=LOGISTIC_MAX_ITER)
            return model.fit(X3, y3)

        def quality(r):
            return {**logistic_quality(X3, y3, r.coef_[0], r.intercept_[0], LOGISTIC_C), "n_iter": int(r.n_iter_[0])}
        out[f"BM_L3/sklearn_{variant}"] = (fit, quality)
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
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--filter", default=".", help="regex over benchmark names")
    parser.add_argument("--data", default=str(pathlib.Path(__file__).resolve().parent / "data"))
    parser.add_argument("--out", help="JSON output file (default: stdout only)")
    args = parser.parse_args()

    if args.smoke:
        data = make_cases(smoke=True)
    else:
        data = {p.stem: np.load(p) for p in pathlib.Path(args.data).glob("*.npy")}
    repetitions = 1 if args.smoke else args.repetitions
    results = []
    for name, (fit, quality) in benchmarks(data, args.smoke).items():
        if not re.search(args.filter, name):
            continue
        if not args.smoke:
            fit()  # warm-up: page in the data, load code paths
        times = []
        for _ in range(repetitions):
            start = time.perf_counter()
            result = fit()
            times.append(time.perf_counter() - start)
        entry = {"name": name, "median_s": statistics.median(times), "times_s": times, "counters": quality(result)}
        entry["counters"] = {k: float(v) for k, v in entry["counters"].items()}
        results.append(entry)
        print(f"{name:32s} {entry['median_s'] * 1e3:10.2f} ms  " +
              " ".join(f"{k}={v:.6g}" for k, v in entry["counters"].items()), flush=True)
    report = {"context": {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                          "sklearn": sklearn.__version__, "numpy": np.__version__, "python": sys.version.split()[0],
                          "blas": blas_info(), "repetitions": repetitions},
              "benchmarks": results}
    if args.out:
        pathlib.Path(args.out).write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
