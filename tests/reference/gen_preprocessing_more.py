"""Fixtures for tests/preprocessing/test_scalers_more.cpp and test_encoders_more.cpp: scikit-learn's
RobustScaler, MaxAbsScaler, Normalizer, PolynomialFeatures and OrdinalEncoder on small seeded
random arrays (the inputs are cases of their own).

Usage: /usr/bin/python3 tests/reference/gen_preprocessing_more.py
"""
import os
import sys

import numpy as np
from sklearn.preprocessing import MaxAbsScaler, Normalizer, OrdinalEncoder, PolynomialFeatures, RobustScaler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures import Case  # noqa: E402

rng = np.random.RandomState(1)

# 25 x 5: normal; shifted and skewed; constant 4.0 (zero range); a few outliers; tiny spread.
X = rng.normal(size=(25, 5))
X[:, 1] = 100.0 + np.exp(2.0 * X[:, 1])
X[:, 2] = 4.0
X[[3, 11], 3] = [40.0, -60.0]
X[:, 4] = 1e-9 * X[:, 4]
X_nan = X.copy()
X_nan[[0, 7, 8], 0] = np.nan
X_nan[[5, 20], 3] = np.nan
X_new = rng.normal(size=(6, 5)) * 3.0
X_new[2, 1] = np.nan
X_rows = rng.normal(size=(8, 4))
X_rows[2] = 0.0  # a zero row stays zero
X_rows[5] = [0.0, -3.0, 0.0, 0.0]
with Case("preprocessing/more", "RobustScaler, MaxAbsScaler and Normalizer inputs") as case:
    case.add("X", X, "col 2 constant, col 3 with outliers, col 4 of spread 1e-9")
    case.add("X_nan", X_nan, "X with NaN in cols 0 and 3")
    case.add("X_new", X_new, "rows to transform (one NaN)")
    case.add("X_rows", X_rows, "rows to normalize (row 2 zero)")


def dump(tag, model, attributes, fit_rows, how):
    model.fit(fit_rows)
    with Case(f"preprocessing/{tag}", f"{model!r}{how}; transform and inverse_transform of X_new") as case:
        for attribute in attributes:
            case.add(attribute, getattr(model, attribute + "_"))
        case.add("transform", model.transform(X_new))
        case.add("inverse_transform", model.inverse_transform(X_new))


dump("robust_default", RobustScaler(), ["center", "scale"], X, ".fit(X)")
dump("robust_range", RobustScaler(quantile_range=(10.0, 87.5), unit_variance=True), ["center", "scale"], X, ".fit(X)")
dump("robust_nan", RobustScaler(quantile_range=(33.0, 66.0)), ["center", "scale"], X_nan, ".fit(X_nan)")
dump("robust_no_centering", RobustScaler(with_centering=False, quantile_range=(0.0, 100.0)), ["scale"], X, ".fit(X)")
dump("robust_no_scaling", RobustScaler(with_scaling=False), ["center"], X_nan, ".fit(X_nan)")
dump("maxabs", MaxAbsScaler(), ["max_abs", "scale"], X_nan, ".fit(X_nan)")
batches = MaxAbsScaler()
for lo, hi in [(0, 6), (6, 17), (17, 25)]:
    batches.partial_fit(X_nan[lo:hi])
with Case("preprocessing/maxabs_batches", "MaxAbsScaler().partial_fit on rows [0, 6), [6, 17), [17, 25) of X_nan") as case:
    case.add("max_abs", batches.max_abs_)
    case.add("scale", batches.scale_)
    case.add("n_samples_seen", batches.n_samples_seen_)
for norm in ["l1", "l2", "max"]:
    model = Normalizer(norm=norm).fit(X_rows)
    with Case(f"preprocessing/normalizer_{norm}", f"{model!r}.fit(X_rows).transform(X_rows)") as case:
        case.add("transform", model.transform(X_rows))

# PolynomialFeatures: 5 x 3 rows of mixed signs and scales.
X_poly = np.round(rng.normal(size=(5, 3)) * [1.0, 10.0, 0.1], 6)
with Case("preprocessing/poly_input", "PolynomialFeatures input") as case:
    case.add("X", X_poly)
for tag, model in [
    ("poly_default", PolynomialFeatures()),
    ("poly_cubic_interaction", PolynomialFeatures(degree=3, interaction_only=True)),
    ("poly_range_no_bias", PolynomialFeatures(degree=(2, 4), include_bias=False)),
    ("poly_range_interaction", PolynomialFeatures(degree=(2, 3), interaction_only=True)),
    ("poly_degree_zero", PolynomialFeatures(degree=0)),
]:
    model.fit(X_poly)
    with Case(f"preprocessing/{tag}", f"{model!r}.fit(X).transform(X) on poly_input") as case:
        case.add("powers", model.powers_)
        case.add("n_output_features", model.n_output_features_)
        case.add("transform", model.transform(X_poly))

# OrdinalEncoder: integer categories, NaN in column 1; rows to encode with unseen categories.
X_cat = rng.randint(-2, 4, size=(12, 3)).astype(float)
X_cat[:, 2] *= 10
X_cat[[2, 9], 1] = np.nan
X_cat_new = X_cat[:6].copy()
X_cat_new[1, 0] = 7.0
X_cat_new[3, 2] = -5.0
X_cat_new[4, 0] = np.nan  # NaN where fit saw none: an unknown category
with Case("preprocessing/ordinal_input", "OrdinalEncoder inputs") as case:
    case.add("X", X_cat, "integers, NaN in column 1")
    case.add("X_new", X_cat_new, "unseen 7 (col 0), -5 (col 2), NaN in col 0")
model = OrdinalEncoder().fit(X_cat)
with Case("preprocessing/ordinal_default", f"{model!r}.fit(X); transform and inverse_transform of X") as case:
    for j, cats in enumerate(model.categories_):
        case.add(f"categories_{j}", cats)
    codes = model.transform(X_cat)
    case.add("transform", codes)
    case.add("inverse_transform", model.inverse_transform(codes.copy()), "of a copy: scikit-learn 1.2 writes into its input")
for tag, model in [
    ("ordinal_encoded", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-2)),
    ("ordinal_unknown_nan", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan)),
]:
    model.fit(X_cat)
    with Case(f"preprocessing/{tag}", f"{model!r}.fit(X); transform of X_new and its inverse") as case:
        codes = model.transform(X_cat_new)
        case.add("transform", codes)
        back = model.inverse_transform(codes.copy())
        case.add("inverse_transform", np.where(back == None, np.nan, back).astype(float), "None as NaN")  # noqa: E711
