"""Fixtures for tests/impute: scikit-learn's SimpleImputer on a small seeded array with missing
entries (NaN, or -1 as the marker), every strategy, with and without add_indicator and
keep_empty_features.

Usage: /usr/bin/python3 tests/reference/gen_impute.py
"""
import os
import sys

import numpy as np
from sklearn.impute import SimpleImputer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures import Case  # noqa: E402

rng = np.random.RandomState(0)

# 12 x 6: col 0 normal with two NaN, col 1 small integers with ties and NaN (most_frequent ties),
# col 2 complete, col 3 all NaN (dropped unless kept), col 4 an even number of observed values
# (median averages two), col 5 one observed value.
X = rng.normal(size=(12, 6))
X[:, 1] = rng.choice([3.0, -2.0, 7.0, 0.5], size=12)
X[[2, 7], 0] = np.nan
X[[0, 5, 9], 1] = np.nan
X[:, 3] = np.nan
X[[1, 4, 6, 10], 4] = np.nan
X[:, 5] = np.nan
X[3, 5] = 2.5
X_new = rng.normal(size=(5, 6))
X_new[[0, 3], 0] = np.nan
X_new[1, 1] = np.nan
X_new[2, 2] = np.nan  # a column with no missing value at fit, so no indicator
X_new[[0, 4], 3] = np.nan
X_new[4, 5] = np.nan

# The same data with -1 as the marker (and no NaN): col 1 takes -1 where X has NaN.
X_marker = np.where(np.isnan(X), -1.0, X)
X_marker_new = np.where(np.isnan(X_new), -1.0, X_new)

with Case("impute/data", "SimpleImputer inputs") as case:
    case.add("X", X, "NaN marks missing; column 3 all missing, column 5 one observed value")
    case.add("X_new", X_new, "rows to transform")
    case.add("X_marker", X_marker, "X with -1 in place of NaN")
    case.add("X_marker_new", X_marker_new, "X_new with -1 in place of NaN")


def dump(tag, imputer, fit_rows, rows, how):
    imputer.fit(fit_rows)
    with Case(f"impute/{tag}", f"{imputer!r}{how}") as case:
        case.add("statistics", imputer.statistics_, "NaN for a dropped feature")
        case.add("transform", imputer.transform(rows), "transform of the new rows")
        case.add("transform_fit", imputer.transform(fit_rows), "transform of the fitted rows")
        if imputer.add_indicator:
            case.add("indicator_features", imputer.indicator_.features_)
            # scikit-learn 1.2's inverse_transform finds the dropped features by their indicator
            # columns being all ones in the rows given, which misplaces columns when a dropped
            # feature is observed in those rows: stored only when no feature is dropped.
            if not np.isnan(imputer.statistics_).any():
                case.add("inverse_transform", imputer.inverse_transform(imputer.transform(rows)),
                         "inverse_transform(transform(new rows))")


for strategy in ["mean", "median", "most_frequent"]:
    dump(strategy, SimpleImputer(strategy=strategy), X, X_new, ".fit(X); transform(X_new)")
    dump(f"{strategy}_keep", SimpleImputer(strategy=strategy, keep_empty_features=True), X, X_new,
         ".fit(X); transform(X_new)")
    dump(f"{strategy}_indicator", SimpleImputer(strategy=strategy, add_indicator=True), X, X_new,
         ".fit(X); transform(X_new)")
dump("mean_keep_indicator", SimpleImputer(keep_empty_features=True, add_indicator=True), X, X_new,
     ".fit(X); transform(X_new)")
dump("constant", SimpleImputer(strategy="constant"), X, X_new, ".fit(X); transform(X_new)")
dump("constant_fill", SimpleImputer(strategy="constant", fill_value=-7.25, add_indicator=True), X, X_new,
     ".fit(X); transform(X_new)")
dump("marker_median", SimpleImputer(missing_values=-1.0, strategy="median", add_indicator=True), X_marker,
     X_marker_new, ".fit(X_marker); transform(X_marker_new)")
dump("marker_most_frequent_keep",
     SimpleImputer(missing_values=-1.0, strategy="most_frequent", keep_empty_features=True), X_marker,
     X_marker_new, ".fit(X_marker); transform(X_marker_new)")
