"""Embeds scikit-learn's toy datasets in C++ headers and writes the fixtures that check them.

For each of iris, wine, breast_cancer, diabetes (scaled) and digits this script
- writes include/kestrel/datasets/detail/<name>_data.hpp: the float64 arrays scikit-learn's loader
  returns (default arguments), as literal arrays printed with repr (which round-trips every double),
  plus the feature and target names;
- writes the case tests/reference/datasets/<name>.npz: shape, exactly rounded column sums
  (math.fsum), first and last rows, the full target, an FNV-1a hash of the float64 bytes of X and
  of y, and the feature and target names, so the C++ test proves the embedded values are
  bit-identical to scikit-learn's.

It also writes the make_* parity cases (shapes, label balance) the generator tests use.

Usage: /usr/bin/python3 tests/reference/gen_datasets.py
"""
import math
import os
import sys

import numpy as np
import sklearn
from sklearn import datasets

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures import HERE, VERSIONS, Case  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
DETAIL = os.path.join(ROOT, "include", "kestrel", "datasets", "detail")

SOURCES = {
    "iris": (
        "Fisher's Iris data: R.A. Fisher, \"The use of multiple measurements in taxonomic problems\",\n"
        "/// Annals of Eugenics 7 (1936). As scikit-learn ships it: the values of Fisher's paper (and R's\n"
        "/// `iris`), which differ from the UCI ML Repository's copy in two data points.\n"
        "/// Licence: UCI ML Repository, CC BY 4.0; scikit-learn's copy BSD-3-Clause."
    ),
    "wine": (
        "Wine recognition data: M. Forina et al., PARVUS (Institute of Pharmaceutical and Food\n"
        "/// Analysis and Technologies, Genoa), from the UCI ML Repository (Lichman, 2013).\n"
        "/// Licence: UCI ML Repository, CC BY 4.0; scikit-learn's copy BSD-3-Clause."
    ),
    "breast_cancer": (
        "Breast Cancer Wisconsin (Diagnostic): W.H. Wolberg, W.N. Street, O.L. Mangasarian (1995),\n"
        "/// from the UCI ML Repository. Target 0 = malignant, 1 = benign, as scikit-learn.\n"
        "/// Licence: UCI ML Repository, CC BY 4.0; scikit-learn's copy BSD-3-Clause."
    ),
    "diabetes": (
        "Diabetes data of B. Efron, T. Hastie, I. Johnstone and R. Tibshirani (2004), \"Least Angle\n"
        "/// Regression\", Annals of Statistics 32(2), 407-499, as distributed with scikit-learn\n"
        "/// (BSD-3-Clause). Features are scikit-learn's scaled version: each column mean-centred and\n"
        "/// divided by its standard deviation times sqrt(n_samples), so its sum of squares is 1."
    ),
    "digits": (
        "Optical Recognition of Handwritten Digits: E. Alpaydin and C. Kaynak (1998), the test set\n"
        "/// (1797 8x8 images, pixels 0..16) from the UCI ML Repository.\n"
        "/// Licence: UCI ML Repository, CC BY 4.0; scikit-learn's copy BSD-3-Clause."
    ),
}


def number(v):
    text = repr(float(v))
    return text[:-2] if text.endswith(".0") else text


def wrapped(tokens, width=118, indent="    "):
    lines, line = [], indent
    for t in tokens:
        piece = t + ","
        if len(line) + len(piece) > width:
            lines.append(line.rstrip())
            line = indent
        line += piece
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)


def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def fnv1a64(data: bytes):
    h = 0xCBF29CE484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def write_header(name, X, y, feature_names, target_names, small_ints):
    n, d = X.shape
    if small_ints:
        assert np.all(X == np.round(X)) and X.min() >= 0 and X.max() <= 255
        x_type, x_tokens = "unsigned char", [str(int(v)) for v in X.ravel()]
    else:
        x_type, x_tokens = "double", [number(v) for v in X.ravel()]
    if np.issubdtype(y.dtype, np.integer):
        y_type, y_tokens = "unsigned char", [str(int(v)) for v in y]
    else:
        y_type, y_tokens = "double", [number(v) for v in y]
    text = f"""#pragma once
/// \\file
/// {SOURCES[name]}
/// The arrays equal, bit for bit, what scikit-learn's `load_{name}()` returns. Written by
/// tests/reference/gen_datasets.py; do not edit by hand.
/// ({VERSIONS})

namespace kestrel::datasets::detail {{

struct {name}_data {{
    static constexpr int n_features = {d};

    /// Row-major, {n} samples x {d} features.
    static constexpr {x_type} data[] = {{
{wrapped(x_tokens, indent="        ")}
    }};

    static constexpr {y_type} target[] = {{
{wrapped(y_tokens, indent="        ")}
    }};

    static constexpr const char* feature_names[] = {{
{wrapped([c_string(s) for s in feature_names], indent="        ")}
    }};
"""
    if target_names:
        text += f"""
    static constexpr const char* target_names[] = {{
{wrapped([c_string(s) for s in target_names], indent="        ")}
    }};
"""
    text += "};\n\n}  // namespace kestrel::datasets::detail\n"
    os.makedirs(DETAIL, exist_ok=True)
    with open(os.path.join(DETAIL, f"{name}_data.hpp"), "w") as f:
        f.write(text)


def write_fixtures(name, X, y, feature_names, target_names):
    X = np.ascontiguousarray(X, dtype=np.float64)
    y64 = np.ascontiguousarray(y, dtype=np.float64)
    n, d = X.shape
    with Case(f"datasets/{name}", f"load_{name}() with its default arguments") as case:
        case.add("shape", [n, d], "n_samples, n_features")
        case.add("column_sums", [math.fsum(X[:, j]) for j in range(d)], "exactly rounded column sums (math.fsum)")
        case.add("rows", X[[0, 1, 2, n - 1]], "rows 0, 1, 2 and the last")
        case.add("target", y64, "the full target")
        hx, hy = fnv1a64(X.astype("<f8").tobytes()), fnv1a64(y64.astype("<f8").tobytes())
        case.add("hash", [hx >> 32, hx & 0xFFFFFFFF, hy >> 32, hy & 0xFFFFFFFF],
                 "FNV-1a 64 of X's and y's little-endian float64 bytes (row-major), as high/low 32-bit halves")
        case.add_text("feature_names", feature_names)
        case.add_text("target_names", target_names)


def embed(name, bunch, small_ints=False):
    X, y = np.asarray(bunch.data), np.asarray(bunch.target)
    feature_names = [str(s) for s in bunch.feature_names]
    target_names = [str(s) for s in bunch.get("target_names", [])] if name != "diabetes" else []
    write_header(name, X, y, feature_names, target_names, small_ints)
    write_fixtures(name, X, y, feature_names, target_names)


def generator_fixtures():
    """Facts about scikit-learn's generators that do not depend on NumPy's random stream."""
    with Case("datasets/blobs", "samples per centre") as case:
        _, y = datasets.make_blobs(n_samples=100, centers=3, random_state=0)
        case.add("counts_100_3", np.bincount(y), "make_blobs(n_samples=100, centers=3)")
        _, y = datasets.make_blobs(n_samples=10, centers=4, random_state=0)
        case.add("counts_10_4", np.bincount(y), "make_blobs(n_samples=10, centers=4)")
    with Case("datasets/classification") as case:
        _, y = datasets.make_classification(n_samples=1000, n_classes=3, n_informative=3, weights=[0.7, 0.2],
                                            flip_y=0, random_state=0)
        case.add("counts_weighted", np.bincount(y),
                 "samples per class of make_classification(n_samples=1000, n_classes=3, n_informative=3, "
                 "weights=[0.7, 0.2], flip_y=0)")
        _, y = datasets.make_classification(n_samples=101, n_classes=2, n_clusters_per_class=3, n_informative=3,
                                            flip_y=0, random_state=0)
        case.add("counts_101", np.bincount(y),
                 "samples per class of make_classification(n_samples=101, n_clusters_per_class=3, n_informative=3, "
                 "flip_y=0)")
        X, _ = datasets.make_classification(n_samples=200, n_features=10, n_informative=3, n_redundant=2,
                                            n_repeated=1, random_state=0)
        case.add("rank", np.linalg.matrix_rank(X),
                 "rank of make_classification(n_samples=200, n_features=10, n_informative=3, n_redundant=2, "
                 "n_repeated=1)")
    with Case("datasets/regression") as case:
        X, _ = datasets.make_regression(n_samples=60, n_features=20, effective_rank=5, tail_strength=0.3,
                                        random_state=0)
        case.add("low_rank_singular_values", np.linalg.svd(X, compute_uv=False),
                 "singular values of make_regression(n_samples=60, n_features=20, effective_rank=5, "
                 "tail_strength=0.3)")


def main():
    print(f"datasets from scikit-learn {sklearn.__version__}")
    embed("iris", datasets.load_iris())
    embed("wine", datasets.load_wine())
    embed("breast_cancer", datasets.load_breast_cancer())
    embed("diabetes", datasets.load_diabetes())
    embed("digits", datasets.load_digits(), small_ints=True)
    generator_fixtures()


if __name__ == "__main__":
    main()
