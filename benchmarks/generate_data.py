#!/usr/bin/python3
"""Writes the data of the benchmark cases in benchmarks/README.md to benchmarks/data/*.npy.

The C++ binaries (benchmarks/<module>/cases.cpp) and benchmarks/sklearn_bench.py read these same
files, so every implementation sees identical inputs. Files are rewritten only when the case
definitions change (benchmarks/data/manifest.json) or with --force.

Usage: /usr/bin/python3 benchmarks/generate_data.py [--force] [--out DIR]
"""
import argparse
import json
import pathlib

import numpy as np
from sklearn.datasets import make_blobs, make_classification, make_regression

# Bump when a case changes, so that stale data is regenerated.
VERSION = 1

# svm: s1 is (training rows, held-out rows, rows of S4's predict, features), S4's rows being S1-large's
# training set; s3 (training rows, held-out rows, features, classes); s2 (rows, features).
SIZES = {
    "full": {"k1": (500_000, 50, 100), "k2": (4_000_000, 16, 8), "l1": (200_000, 100),
             "l2": (50_000, 500, 50), "l3": (200_000, 100),
             "s1": (20_000, 5_000, 100_000, 50), "s3": (20_000, 5_000, 64, 10), "s2": (200_000, 100)},
    "smoke": {"k1": (2_000, 50, 20), "k2": (20_000, 16, 8), "l1": (2_000, 20),
              "l2": (1_000, 100, 10), "l3": (2_000, 20),
              "s1": (600, 200, 1_000, 10), "s3": (600, 200, 24, 10), "s2": (2_000, 20)},
}


def kmeans_case(n, d, k, seed):
    """Overlapping blobs (cluster_std 4 in a ±10 box), so that Lloyd keeps reassigning points for
    the case's 30 iterations, and k distinct rows of X as the shared initial centres."""
    X, _ = make_blobs(n_samples=n, n_features=d, centers=k, cluster_std=4.0, random_state=seed)
    X = X.astype(np.float32)
    init = X[np.random.default_rng(seed).choice(n, size=k, replace=False)]
    return X, init


def lasso_alphas(X, y, n_alphas=20, eps=1e-3):
    """The single alpha (alpha_max / 100) and a path of 20 from alpha_max down to eps·alpha_max,
    alpha_max being the smallest alpha with an all-zero solution (scikit-learn's _alpha_grid)."""
    Xc = X - X.mean(axis=0)
    alpha_max = np.max(np.abs(Xc.T @ (y - y.mean()))) / X.shape[0]
    return np.array([alpha_max / 100]), np.geomspace(alpha_max, alpha_max * eps, n_alphas)


def make_cases(smoke=False):
    """name -> array, for every .npy file the cases read."""
    s = SIZES["smoke" if smoke else "full"]
    out = {}
    out["k1_X"], out["k1_init"] = kmeans_case(*s["k1"], seed=0)
    out["k2_X"], out["k2_init"] = kmeans_case(*s["k2"], seed=1)

    rng = np.random.default_rng(2)
    n, d = s["l1"]
    out["l1_X"] = rng.standard_normal((n, d))
    out["l1_y"] = out["l1_X"] @ rng.uniform(-10, 10, d) + 3.0 + rng.standard_normal(n)

    n, d, informative = s["l2"]
    out["l2_X"], out["l2_y"] = make_regression(n_samples=n, n_features=d, n_informative=informative,
                                               noise=10.0, bias=3.0, random_state=3)
    out["l2_alpha"], out["l2_path"] = lasso_alphas(out["l2_X"], out["l2_y"])

    n, d = s["l3"]
    X, y = make_classification(n_samples=n, n_features=d, n_informative=d // 4, n_redundant=d // 10,
                               random_state=4)
    out["l3_X"], out["l3_y"] = X, y.astype(np.float64)

    # S1 (RBF SVC), its held-out rows, and S4's rows (also S1-large's training set): one draw of
    # make_classification, split in that order.
    n, n_test, n_predict, d = s["s1"]
    X, y = make_classification(n_samples=n + n_test + n_predict, n_features=d, n_informative=d // 5,
                               n_redundant=d // 10, random_state=10)
    y = y.astype(np.float64)
    out["s1_X"], out["s1_y"] = X[:n], y[:n]
    out["s1_test_X"], out["s1_test_y"] = X[n:n + n_test], y[n:n + n_test]
    out["s4_X"], out["s4_y"] = X[n + n_test:], y[n + n_test:]

    # S3: ten classes, digits-like (64 features), two clusters a class.
    n, n_test, d, classes = s["s3"]
    X, y = make_classification(n_samples=n + n_test, n_features=d, n_informative=d // 4, n_redundant=d // 8,
                               n_classes=classes, random_state=11)
    y = y.astype(np.float64)
    out["s3_X"], out["s3_y"], out["s3_test_X"], out["s3_test_y"] = X[:n], y[:n], X[n:], y[n:]

    # S2: linear SVM, dense.
    n, d = s["s2"]
    X, y = make_classification(n_samples=n, n_features=d, n_informative=d // 4, n_redundant=d // 10,
                               random_state=12)
    out["s2_X"], out["s2_y"] = X, y.astype(np.float64)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rewrite even if up to date")
    parser.add_argument("--out", default=str(pathlib.Path(__file__).resolve().parent / "data"))
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    manifest = {"version": VERSION, "sizes": SIZES["full"]}
    manifest_path = out / "manifest.json"
    if not args.force and manifest_path.exists() and json.loads(manifest_path.read_text()) == json.loads(
            json.dumps(manifest)):
        print(f"benchmark data in {out} is up to date")
        return
    out.mkdir(parents=True, exist_ok=True)
    manifest_path.unlink(missing_ok=True)
    for name, array in make_cases().items():
        np.save(out / f"{name}.npy", np.ascontiguousarray(array))
        print(f"wrote {name}.npy {array.shape} {array.dtype}")
    manifest_path.write_text(json.dumps(manifest, indent=1) + "\n")


if __name__ == "__main__":
    main()
