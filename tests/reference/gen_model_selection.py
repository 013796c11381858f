"""Fixtures for tests/model_selection: scikit-learn's train_test_split sizes and stratified
per-class counts, KFold folds and StratifiedKFold folds (without shuffling).

scikit-learn breaks ties between classes in a stratified split at random, so for each case the
split is run under 30 seeds and the per-class counts are recorded along with whether every seed
gave the same counts (only then must kestrel's counts equal them; otherwise each count may be
rounded either way).

Usage: /usr/bin/python3 tests/reference/gen_model_selection.py
"""
import os
import sys

import numpy as np
from sklearn.datasets import load_iris
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures import Case  # noqa: E402

rng = np.random.RandomState(7)
split = Case("model_selection/split", "train_test_split")

# train_test_split sizes: rows n, test_size, train_size (-1 = None; < 1 a fraction, else a count),
# then the resulting n_train, n_test.
cases = [(10, 0.25, -1), (17, 0.3, -1), (17, -1, 0.6), (17, 5, -1), (17, -1, 5), (100, 0.33, 0.5),
         (7, 0.5, -1), (150, 0.2, -1), (9, 1, 2), (30, 0.1, 0.3)]
rows = []
for n, test_size, train_size in cases:
    X = np.arange(n)
    kwargs = {}
    if test_size != -1:
        kwargs["test_size"] = test_size if test_size < 1 else int(test_size)
    if train_size != -1:
        kwargs["train_size"] = train_size if train_size < 1 else int(train_size)
    X_train, X_test = train_test_split(X, random_state=0, **kwargs)
    rows.append([n, test_size, train_size, len(X_train), len(X_test)])
    if n == 17 and test_size == 0.3:
        a, b = train_test_split(X, shuffle=False, **kwargs)
        split.add("noshuffle_train", a, "train_test_split(arange(17), test_size=0.3, shuffle=False): train")
        split.add("noshuffle_test", b, "train_test_split(arange(17), test_size=0.3, shuffle=False): test")
split.add("sizes", rows, "n, test_size, train_size (-1 None; < 1 fraction, else count), n_train, n_test")

# Stratified splits: the labels, then per case the test_size and per-class train/test counts.
strata = {
    "iris_like": np.repeat([0, 1, 2], 50),
    "imbalanced": rng.permutation(np.repeat([4, -2, 9, 1], [40, 25, 9, 6])),
    "odd": rng.permutation(np.repeat([3, 8, 5], [13, 7, 11])),
}
for tag, y in strata.items():
    case = Case(f"model_selection/strat_{tag}", "train_test_split(stratify=y) under 30 seeds")
    case.add("y", y)
    classes = np.unique(y)
    table = []
    for test_size in [0.25, 0.2, 0.33, 0.5, 0.1]:
        counts = []
        for seed in range(30):
            _, _, y_train, y_test = train_test_split(np.zeros(len(y)), y, test_size=test_size, stratify=y,
                                                     random_state=seed)
            counts.append(tuple([np.sum(y_train == c) for c in classes] + [np.sum(y_test == c) for c in classes]))
        determined = len(set(counts)) == 1
        table.append([test_size, float(determined)] + list(counts[0]))
    case.add("counts", table,
             "test_size, counts equal under every seed (1/0), train count per sorted class, test count per sorted class")
    case.save()

# KFold without shuffling: the test fold of each sample, member "<n>_<k>".
with Case("model_selection/kfold", "KFold(n_splits=k) without shuffling: the test fold of each of n samples") as case:
    for n, k in [(17, 5), (10, 3), (6, 6)]:
        folds = np.full(n, -1)
        for i, (_, test) in enumerate(KFold(n_splits=k).split(np.zeros(n))):
            folds[test] = i
        case.add(f"{n}_{k}", folds, f"KFold(n_splits={k}) test fold of each of {n} samples")

# StratifiedKFold without shuffling: the test fold of each sample.
for tag, y, k in [("a", rng.choice([5, 2, 9], 40), 5), ("b", strata["imbalanced"], 3), ("c", strata["odd"], 4),
                  ("d", np.repeat([1, 0], [7, 3]), 3)]:
    folds = np.full(len(y), -1)
    for i, (_, test) in enumerate(StratifiedKFold(n_splits=k).split(np.zeros(len(y)), y)):
        folds[test] = i
    with Case(f"model_selection/skfold_{tag}", f"StratifiedKFold(n_splits={k}) without shuffling") as case:
        case.add("y", y)
        case.add("folds", folds, "test fold of each sample")

# Real data: iris (150 samples, classes in blocks of 50).
iris_y = load_iris().target
folds = np.full(len(iris_y), -1)
for i, (_, test) in enumerate(StratifiedKFold(n_splits=5).split(np.zeros(len(iris_y)), iris_y)):
    folds[test] = i
with Case("model_selection/skfold_iris", "StratifiedKFold(n_splits=5) on load_iris().target") as case:
    case.add("folds", folds, "test fold of each sample")
counts = []
for test_size in [0.2, 0.5, 0.1]:
    _, _, y_train, y_test = train_test_split(np.zeros(150), iris_y, test_size=test_size, stratify=iris_y, random_state=0)
    counts.append([test_size] + list(np.bincount(y_train)) + list(np.bincount(y_test)))
split.add("iris_counts", counts,
          "train_test_split(X, load_iris().target, stratify=y): test_size, train count per class, test count per "
          "class (no ties: the same under every seed)")
split.save()
