"""Fixtures for tests/preprocessing: scikit-learn's StandardScaler, MinMaxScaler, LabelEncoder and
OneHotEncoder on small seeded random arrays (the inputs are cases of their own beside the outputs).

Usage: /usr/bin/python3 tests/reference/gen_preprocessing.py
"""
import os
import sys
import warnings

import numpy as np
from sklearn.preprocessing import LabelEncoder, MinMaxScaler, OneHotEncoder, StandardScaler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures import Case  # noqa: E402

rng = np.random.RandomState(0)


def scaler_data():
    """30 x 5: normal, shifted far from zero, constant 5.0, constant 0.1, tiny spread."""
    X = rng.normal(size=(30, 5))
    X[:, 1] = 1e4 + 3.0 * X[:, 1]
    X[:, 2] = 5.0
    X[:, 3] = 0.1
    X[:, 4] = 1e-3 * X[:, 4]
    return X


# StandardScaler -----------------------------------------------------------------------------
X = scaler_data()
w = rng.uniform(0.1, 3.0, size=X.shape[0])
X_new = rng.normal(size=(6, 5))
with Case("preprocessing/standard", "StandardScaler inputs") as case:
    case.add("X", X, "cols 2, 3 constant (5.0, 0.1)")
    case.add("w", w, "sample weights")
    case.add("X_new", X_new, "rows to transform")


def dump(stem, scaler, attributes, methods, rows, how=""):
    """The case <stem>: each fitted attribute (trailing _ dropped) and each method's output on `rows`."""
    with Case(f"preprocessing/{stem}", f"{scaler!r}{how} on X; methods applied to X_new") as case:
        for attribute in attributes:
            case.add(attribute, np.float64(getattr(scaler, attribute + "_")))
        for method in methods:
            case.add(method, getattr(scaler, method)(rows))


def dump_standard(tag, scaler, how=""):
    dump(f"standard_{tag}", scaler, ["mean", "var", "scale", "n_samples_seen"], ["transform"], X_new, how)


dump_standard("plain", StandardScaler().fit(X), ".fit")
dump_standard("weighted", StandardScaler().fit(X, sample_weight=w), ".fit(sample_weight=w)")
batches = StandardScaler()
for lo, hi in [(0, 7), (7, 19), (19, 30)]:
    batches.partial_fit(X[lo:hi])
dump_standard("batches", batches, ".partial_fit on rows [0, 7), [7, 19), [19, 30)")
weighted_batches = StandardScaler()
for lo, hi in [(0, 11), (11, 30)]:
    weighted_batches.partial_fit(X[lo:hi], sample_weight=w[lo:hi])
dump_standard("weighted_batches", weighted_batches,
              ".partial_fit(sample_weight=w) on rows [0, 11), [11, 30)")
no_mean = StandardScaler(with_mean=False).fit(X)
dump("standard_no_mean", no_mean, [], ["transform"], X_new, ".fit")
no_std = StandardScaler(with_std=False).fit(X)
dump("standard_no_std", no_std, [], ["transform"], X_new, ".fit")

# MinMaxScaler --------------------------------------------------------------------------------
X = scaler_data()
X_new = rng.normal(size=(6, 5)) * 2.0
with Case("preprocessing/minmax", "MinMaxScaler inputs") as case:
    case.add("X", X, "cols 2, 3 constant")
    case.add("X_new", X_new, "rows to transform (some outside the fitted range)")


def dump_minmax(tag, scaler, how=".fit"):
    dump(f"minmax_{tag}", scaler, ["data_min", "data_max", "data_range", "scale", "min"],
         ["transform", "inverse_transform"], X_new, how)


dump_minmax("default", MinMaxScaler().fit(X))
dump_minmax("range", MinMaxScaler(feature_range=(-2.0, 3.5)).fit(X))
dump_minmax("clip", MinMaxScaler(feature_range=(-1.0, 1.0), clip=True).fit(X))
batches = MinMaxScaler(feature_range=(-2.0, 3.5))
for lo, hi in [(0, 4), (4, 21), (21, 30)]:
    batches.partial_fit(X[lo:hi])
dump_minmax("batches", batches, ".partial_fit on rows [0, 4), [4, 21), [21, 30)")

# LabelEncoder --------------------------------------------------------------------------------
y_int = rng.choice([7, -3, 12, 0, 5], size=25)
le = LabelEncoder().fit(y_int)
with Case("preprocessing/label_int", "LabelEncoder().fit(y)") as case:
    case.add("y", y_int, "integer labels")
    case.add("classes", le.classes_)
    case.add("codes", le.transform(y_int))
words = np.array(["pear", "apple", "fig", "banana", "Zebra", "apple10", "apple2"])
y_str = rng.choice(words, size=20)
le = LabelEncoder().fit(y_str)
with Case("preprocessing/label_str", "LabelEncoder().fit(y)") as case:
    case.add_text("y", list(y_str), "string labels")
    case.add_text("classes", list(le.classes_))
    case.add("codes", le.transform(y_str))

# OneHotEncoder -------------------------------------------------------------------------------
X = np.column_stack([rng.choice([3, 1, 2], 20), rng.choice([-1, 4], 20), rng.choice([0, 10, 20, 30], 20)])
X_unknown = X[:5].copy()
X_unknown[1, 0] = 9
X_unknown[3, 2] = -7
enc = OneHotEncoder(sparse_output=False).fit(X)
with Case("preprocessing/onehot", "OneHotEncoder(sparse_output=False).fit(X)") as case:
    case.add("X", X, "integer categories")
    case.add("X_unknown", X_unknown, "rows with unseen categories (row 1 col 0, row 3 col 2)")
    for j, cats in enumerate(enc.categories_):
        case.add(f"categories_{j}", cats)
    case.add("transform", enc.transform(X))
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    enc = OneHotEncoder(sparse_output=False, handle_unknown="ignore").fit(X)
    with Case("preprocessing/onehot_ignore", "OneHotEncoder(sparse_output=False, handle_unknown='ignore')") as case:
        case.add("transform", enc.transform(X_unknown), "transform(X_unknown)")
        # NaN stands for scikit-learn's None (an all-zero group with no dropped category).
        inverse = enc.inverse_transform(enc.transform(X_unknown))
        case.add("inverse", np.where(inverse == None, np.nan, inverse).astype(float),  # noqa: E711
                 "inverse_transform(transform(X_unknown)), NaN for None")
    for drop in ["first", "if_binary"]:
        enc = OneHotEncoder(sparse_output=False, drop=drop, handle_unknown="ignore").fit(X)
        with Case(f"preprocessing/onehot_drop_{drop}",
                  f"OneHotEncoder(sparse_output=False, drop={drop!r}, handle_unknown='ignore')") as case:
            case.add("transform", enc.transform(X))
            case.add("unknown_transform", enc.transform(X_unknown))
            case.add("inverse", enc.inverse_transform(enc.transform(X_unknown)))
