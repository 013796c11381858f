"""Fixtures for tests/preprocessing: scikit-learn's StandardScaler, MinMaxScaler, LabelEncoder and
OneHotEncoder on small seeded random arrays (inputs are stored beside the outputs).

Usage: /usr/bin/python3 tests/reference/gen_preprocessing.py
"""
import os
import sys
import warnings

import numpy as np
from sklearn.preprocessing import LabelEncoder, MinMaxScaler, OneHotEncoder, StandardScaler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures import HERE, PROVENANCE, write  # noqa: E402

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
write("preprocessing/standard_X.txt", X, "StandardScaler input: cols 2, 3 constant (5.0, 0.1)")
write("preprocessing/standard_w.txt", w, "sample weights")
write("preprocessing/standard_X_new.txt", X_new, "rows to transform")


def dump(stem, scaler, attributes, methods, rows):
    """Write each fitted attribute (trailing _ dropped) and each method's output on `rows`."""
    for attribute in attributes:
        write(f"preprocessing/{stem}_{attribute}.txt", np.float64(getattr(scaler, attribute + "_")))
    for method in methods:
        write(f"preprocessing/{stem}_{method}.txt", getattr(scaler, method)(rows))


def dump_standard(tag, scaler):
    dump(f"standard_{tag}", scaler, ["mean", "var", "scale", "n_samples_seen"], ["transform"], X_new)


dump_standard("plain", StandardScaler().fit(X))
dump_standard("weighted", StandardScaler().fit(X, sample_weight=w))
batches = StandardScaler()
for lo, hi in [(0, 7), (7, 19), (19, 30)]:
    batches.partial_fit(X[lo:hi])
dump_standard("batches", batches)
weighted_batches = StandardScaler()
for lo, hi in [(0, 11), (11, 30)]:
    weighted_batches.partial_fit(X[lo:hi], sample_weight=w[lo:hi])
dump_standard("weighted_batches", weighted_batches)
no_mean = StandardScaler(with_mean=False).fit(X)
write("preprocessing/standard_no_mean_transform.txt", no_mean.transform(X_new))
no_std = StandardScaler(with_std=False).fit(X)
write("preprocessing/standard_no_std_transform.txt", no_std.transform(X_new))

# MinMaxScaler --------------------------------------------------------------------------------
X = scaler_data()
X_new = rng.normal(size=(6, 5)) * 2.0
write("preprocessing/minmax_X.txt", X, "MinMaxScaler input: cols 2, 3 constant")
write("preprocessing/minmax_X_new.txt", X_new, "rows to transform (some outside the fitted range)")


def dump_minmax(tag, scaler):
    dump(f"minmax_{tag}", scaler, ["data_min", "data_max", "data_range", "scale", "min"],
         ["transform", "inverse_transform"], X_new)


dump_minmax("default", MinMaxScaler().fit(X))
dump_minmax("range", MinMaxScaler(feature_range=(-2.0, 3.5)).fit(X))
dump_minmax("clip", MinMaxScaler(feature_range=(-1.0, 1.0), clip=True).fit(X))
batches = MinMaxScaler(feature_range=(-2.0, 3.5))
for lo, hi in [(0, 4), (4, 21), (21, 30)]:
    batches.partial_fit(X[lo:hi])
dump_minmax("batches", batches)

# LabelEncoder --------------------------------------------------------------------------------
y_int = rng.choice([7, -3, 12, 0, 5], size=25)
le = LabelEncoder().fit(y_int)
write("preprocessing/label_int_y.txt", y_int, "integer labels")
write("preprocessing/label_int_classes.txt", le.classes_)
write("preprocessing/label_int_codes.txt", le.transform(y_int))
words = np.array(["pear", "apple", "fig", "banana", "Zebra", "apple10", "apple2"])
y_str = rng.choice(words, size=20)
le = LabelEncoder().fit(y_str)
with open(os.path.join(HERE, "preprocessing/label_str_y.txt"), "w") as f:
    f.write(f"# {PROVENANCE}\n# string labels, one a line\n" + "\n".join(y_str) + "\n")
with open(os.path.join(HERE, "preprocessing/label_str_classes.txt"), "w") as f:
    f.write(f"# {PROVENANCE}\n# LabelEncoder().fit(y).classes_, one a line\n" + "\n".join(le.classes_) + "\n")
write("preprocessing/label_str_codes.txt", le.transform(y_str))

# OneHotEncoder -------------------------------------------------------------------------------
X = np.column_stack([rng.choice([3, 1, 2], 20), rng.choice([-1, 4], 20), rng.choice([0, 10, 20, 30], 20)])
X_unknown = X[:5].copy()
X_unknown[1, 0] = 9
X_unknown[3, 2] = -7
write("preprocessing/onehot_X.txt", X, "integer categories")
write("preprocessing/onehot_X_unknown.txt", X_unknown, "rows with unseen categories (row 1 col 0, row 3 col 2)")
enc = OneHotEncoder(sparse_output=False).fit(X)
for j, cats in enumerate(enc.categories_):
    write(f"preprocessing/onehot_categories_{j}.txt", cats)
write("preprocessing/onehot_transform.txt", enc.transform(X))
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    enc = OneHotEncoder(sparse_output=False, handle_unknown="ignore").fit(X)
    write("preprocessing/onehot_ignore_transform.txt", enc.transform(X_unknown))
    # NaN stands for scikit-learn's None (an all-zero group with no dropped category).
    inverse = enc.inverse_transform(enc.transform(X_unknown))
    write("preprocessing/onehot_ignore_inverse.txt", np.where(inverse == None, np.nan, inverse).astype(float))  # noqa: E711
    for drop in ["first", "if_binary"]:
        enc = OneHotEncoder(sparse_output=False, drop=drop, handle_unknown="ignore").fit(X)
        write(f"preprocessing/onehot_drop_{drop}_transform.txt", enc.transform(X))
        write(f"preprocessing/onehot_drop_{drop}_unknown_transform.txt", enc.transform(X_unknown))
        write(f"preprocessing/onehot_drop_{drop}_inverse.txt", enc.inverse_transform(enc.transform(X_unknown)))
