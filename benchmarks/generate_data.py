#!/usr/bin/python3
"""Writes the data of the benchmark cases in benchmarks/README.md to benchmarks/data/*.npy.

The C++ binaries (benchmarks/<module>/cases.cpp) and benchmarks/sklearn_bench.py read these same
files, so every implementation sees identical inputs. Files are rewritten only when the case
definitions change (benchmarks/data/manifest.json: a case's files are rewritten when its sizes or
VERSION change) or with --force; --module writes one module's cases only.

Usage: /usr/bin/python3 benchmarks/generate_data.py [--force] [--module NAME] [--out DIR]
"""
import argparse
import json
import pathlib

import numpy as np
from sklearn.datasets import make_blobs, make_classification, make_regression

# Bump when a case changes, so that stale data is regenerated.
VERSION = 1

# Each module's cases, for --module: the case ids' first letter, as sklearn_bench.py's MODULES (or the
# ids themselves: the distributed module fits K1's, L3's and B1's data over MPI ranks).
MODULES = {"cluster": "k", "linear_model": "l", "svm": "s", "tree": "t", "ensemble": "b", "distributed": ("k1", "l3", "b1")}

# svm: s1 is (training rows, held-out rows, rows of S4's predict, features), S4's rows being S1-large's
# training set; s3 (training rows, held-out rows, features, classes); s2 (rows, features).
# tree: t1 is (training rows, held-out rows, rows of T4's predict, features), the data of T1, T2
# and T4; t3 (training rows, held-out rows, features).
# ensemble: b1 is (training rows, held-out rows, rows of B4's predict, features), the data of B1 and
# B4; b2 (training rows, held-out rows, features); b3 (training rows, held-out rows, features, classes).
SIZES = {
    "full": {"k1": (500_000, 50, 100), "k2": (4_000_000, 16, 8), "l1": (200_000, 100),
             "l2": (50_000, 500, 50), "l3": (200_000, 100), "l4": (200_000, 100), "l5": (200_000, 100),
             "s1": (20_000, 5_000, 100_000, 50), "s3": (20_000, 5_000, 64, 10), "s2": (200_000, 100),
             "t1": (200_000, 50_000, 1_000_000, 50), "t3": (200_000, 50_000, 20),
             "b1": (1_000_000, 200_000, 1_000_000, 28), "b2": (1_000_000, 200_000, 20),
             "b3": (200_000, 50_000, 50, 10)},
    "smoke": {"k1": (2_000, 50, 20), "k2": (20_000, 16, 8), "l1": (2_000, 20),
              "l2": (1_000, 100, 10), "l3": (2_000, 20), "l4": (2_000, 20), "l5": (2_000, 20),
              "s1": (600, 200, 1_000, 10), "s3": (600, 200, 24, 10), "s2": (2_000, 20),
              "t1": (2_000, 500, 10_000, 50), "t3": (2_000, 500, 20),
              "b1": (2_000, 500, 10_000, 28), "b2": (2_000, 500, 20), "b3": (2_000, 500, 50, 10)},
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


def make_cases(smoke=False, cases=None):
    """name -> array, for every .npy file the cases read (those of the case ids in `cases` only,
    when given: "k1", "s1", "t3", ...)."""
    s = SIZES["smoke" if smoke else "full"]
    out = {}

    def want(case):
        return cases is None or case in cases

    if want("k1"):
        out["k1_X"], out["k1_init"] = kmeans_case(*s["k1"], seed=0)
    if want("k2"):
        out["k2_X"], out["k2_init"] = kmeans_case(*s["k2"], seed=1)

    if want("l1"):
        rng = np.random.default_rng(2)
        n, d = s["l1"]
        out["l1_X"] = rng.standard_normal((n, d))
        out["l1_y"] = out["l1_X"] @ rng.uniform(-10, 10, d) + 3.0 + rng.standard_normal(n)

    if want("l2"):
        n, d, informative = s["l2"]
        out["l2_X"], out["l2_y"] = make_regression(n_samples=n, n_features=d, n_informative=informative,
                                                   noise=10.0, bias=3.0, random_state=3)
        out["l2_alpha"], out["l2_path"] = lasso_alphas(out["l2_X"], out["l2_y"])

    if want("l3"):
        n, d = s["l3"]
        X, y = make_classification(n_samples=n, n_features=d, n_informative=d // 4, n_redundant=d // 10,
                                   random_state=4)
        out["l3_X"], out["l3_y"] = X, y.astype(np.float64)

    # L4: least squares on data unlike L1's iid standard normal columns, as real data is: half the
    # features informative, then each column scaled by 10^U(-1, 1) and shifted by U(-50, 50).
    if want("l4"):
        n, d = s["l4"]
        X, y = make_regression(n_samples=n, n_features=d, n_informative=d // 2, noise=5.0, bias=10.0,
                               random_state=5)
        rng = np.random.default_rng(6)
        out["l4_X"] = X * 10.0 ** rng.uniform(-1, 1, d) + rng.uniform(-50, 50, d)
        out["l4_y"] = y

    # L5: well-conditioned logistic regression: X iid standard normal, coefficients N(0, 1)·3/√d,
    # intercept 0.5, labels drawn from the model's probabilities.
    if want("l5"):
        n, d = s["l5"]
        rng = np.random.default_rng(7)
        X = rng.standard_normal((n, d))
        margin = X @ (rng.standard_normal(d) * 3.0 / np.sqrt(d)) + 0.5
        out["l5_X"] = X
        out["l5_y"] = (rng.uniform(size=n) < 1.0 / (1.0 + np.exp(-margin))).astype(np.float64)

    # S1 (RBF SVC), its held-out rows, and S4's rows (also S1-large's training set): one draw of
    # make_classification, split in that order.
    if want("s1"):
        n, n_test, n_predict, d = s["s1"]
        X, y = make_classification(n_samples=n + n_test + n_predict, n_features=d, n_informative=d // 5,
                                   n_redundant=d // 10, random_state=10)
        y = y.astype(np.float64)
        out["s1_X"], out["s1_y"] = X[:n], y[:n]
        out["s1_test_X"], out["s1_test_y"] = X[n:n + n_test], y[n:n + n_test]
        out["s4_X"], out["s4_y"] = X[n + n_test:], y[n + n_test:]

    # S3: ten classes, digits-like (64 features), two clusters a class.
    if want("s3"):
        n, n_test, d, classes = s["s3"]
        X, y = make_classification(n_samples=n + n_test, n_features=d, n_informative=d // 4, n_redundant=d // 8,
                                   n_classes=classes, random_state=11)
        y = y.astype(np.float64)
        out["s3_X"], out["s3_y"], out["s3_test_X"], out["s3_test_y"] = X[:n], y[:n], X[n:], y[n:]

    # S2: linear SVM, dense.
    if want("s2"):
        n, d = s["s2"]
        X, y = make_classification(n_samples=n, n_features=d, n_informative=d // 4, n_redundant=d // 10,
                                   random_state=12)
        out["s2_X"], out["s2_y"] = X, y.astype(np.float64)

    # T1 (decision tree), T2 (random forest) and T4 (its predict): two classes, 10 informative and 5
    # redundant features of 50, float32 (what every tree implementation computes in); one draw split
    # into training rows, held-out rows and T4's rows, in that order.
    if want("t1"):
        n, n_test, n_predict, d = s["t1"]
        X, y = make_classification(n_samples=n + n_test + n_predict, n_features=d, n_informative=d // 5,
                                   n_redundant=d // 10, random_state=20)
        X, y = X.astype(np.float32), y.astype(np.float64)
        out["t1_X"], out["t1_y"] = X[:n], y[:n]
        out["t1_test_X"], out["t1_test_y"] = X[n:n + n_test], y[n:n + n_test]
        out["t4_X"], out["t4_y"] = X[n + n_test:], y[n + n_test:]

    # T3 (regression forest): make_regression, 10 informative features of 20, noise 10, float32.
    if want("t3"):
        n, n_test, d = s["t3"]
        X, y = make_regression(n_samples=n + n_test, n_features=d, n_informative=d // 2, noise=10.0,
                               random_state=21)
        X = X.astype(np.float32)
        out["t3_X"], out["t3_y"], out["t3_test_X"], out["t3_test_y"] = X[:n], y[:n], X[n:], y[n:]

    # B1 (gradient boosting, two classes) and B4 (its predict): 28 features (as HIGGS), 14 informative
    # and 7 redundant, float32; one draw split into training rows, held-out rows and B4's rows.
    if want("b1"):
        n, n_test, n_predict, d = s["b1"]
        X, y = make_classification(n_samples=n + n_test + n_predict, n_features=d, n_informative=d // 2,
                                   n_redundant=d // 4, random_state=30)
        X, y = X.astype(np.float32), y.astype(np.float64)
        out["b1_X"], out["b1_y"] = X[:n], y[:n]
        out["b1_test_X"], out["b1_test_y"] = X[n:n + n_test], y[n:n + n_test]
        out["b4_X"], out["b4_y"] = X[n + n_test:], y[n + n_test:]

    # B2 (gradient boosting, squared error): make_regression, 10 informative features of 20, noise 10,
    # float32 features, float64 targets.
    if want("b2"):
        n, n_test, d = s["b2"]
        X, y = make_regression(n_samples=n + n_test, n_features=d, n_informative=d // 2, noise=10.0,
                               random_state=31)
        X = X.astype(np.float32)
        out["b2_X"], out["b2_y"], out["b2_test_X"], out["b2_test_y"] = X[:n], y[:n], X[n:], y[n:]

    # B3 (gradient boosting, ten classes): 50 features, 20 informative and 5 redundant, float32.
    if want("b3"):
        n, n_test, d, classes = s["b3"]
        X, y = make_classification(n_samples=n + n_test, n_features=d, n_informative=2 * d // 5,
                                   n_redundant=d // 10, n_classes=classes, random_state=32)
        X, y = X.astype(np.float32), y.astype(np.float64)
        out["b3_X"], out["b3_y"], out["b3_test_X"], out["b3_test_y"] = X[:n], y[:n], X[n:], y[n:]
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rewrite even if up to date")
    parser.add_argument("--module", choices=sorted(MODULES), help="only this module's cases")
    parser.add_argument("--out", default=str(pathlib.Path(__file__).resolve().parent / "data"))
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    manifest_path = out / "manifest.json"
    sizes = json.loads(json.dumps(SIZES["full"]))  # tuples as the JSON lists the manifest holds
    # The cases written as they are now defined: those the manifest lists with this VERSION and
    # these sizes (a manifest from before a case existed keeps the others).
    written = {}
    if not args.force and manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("version") == VERSION:
            written = {case: size for case, size in manifest.get("sizes", {}).items() if sizes.get(case) == size}
    wanted = [case for case in sizes if not args.module or case.startswith(MODULES[args.module])]
    stale = [case for case in wanted if case not in written]
    if not stale:
        print(f"benchmark data in {out} is up to date")
        return
    out.mkdir(parents=True, exist_ok=True)
    # The stale cases leave the manifest until their files are all written.
    manifest_path.write_text(json.dumps({"version": VERSION, "sizes": written}, indent=1) + "\n")
    for name, array in make_cases(cases=stale).items():
        np.save(out / f"{name}.npy", np.ascontiguousarray(array))
        print(f"wrote {name}.npy {array.shape} {array.dtype}")
    written.update({case: sizes[case] for case in stale})
    manifest_path.write_text(json.dumps({"version": VERSION, "sizes": written}, indent=1) + "\n")


if __name__ == "__main__":
    main()
