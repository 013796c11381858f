"""Reference answers for tests/linear_model/: scikit-learn 1.2 linear models on the toy datasets.

The C++ tests load the same data through kestrel::datasets (bit-identical to scikit-learn's) and
rebuild the sample weights below from their formula, so only results are stored here.
Run: /usr/bin/python3 tests/reference/gen_linear_model.py
"""
import warnings

import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge, enet_path
from sklearn.preprocessing import StandardScaler

from fixtures import Case

warnings.simplefilter("ignore", ConvergenceWarning)


def weights(n):
    """The sample weights every weighted test uses: 0.5 + (i mod 7) / 3."""
    return 0.5 + (np.arange(n) % 7) / 3.0


def fit_case(prefix, model, note):
    """The case linear_model/<prefix> with the fitted coef_ and intercept_, to add to and save."""
    case = Case(f"linear_model/{prefix}", note)
    case.add("coef", model.coef_)
    case.add("intercept", model.intercept_)
    return case


def save_fit(prefix, model, note):
    fit_case(prefix, model, note).save()


X, y = load_diabetes(return_X_y=True)
sw = weights(len(y))

# LinearRegression: full rank, weighted, and rank-deficient (minimum-norm answer).
ols = LinearRegression().fit(X, y)
with fit_case("ols", ols, "LinearRegression() on load_diabetes()") as case:
    case.add("score", ols.score(X, y), "LinearRegression().fit(X, y).score(X, y)")
save_fit("ols_weighted", LinearRegression().fit(X, y, sample_weight=sw),
         "LinearRegression() on load_diabetes(), sample_weight = 0.5 + (i % 7) / 3")
save_fit("ols_no_intercept", LinearRegression(fit_intercept=False).fit(X, y),
         "LinearRegression(fit_intercept=False) on load_diabetes()")
X_deficient = np.hstack([X, X[:, [0]] + X[:, [1]], X[:, [2]]])
save_fit("ols_rank_deficient", LinearRegression().fit(X_deficient, y),
         "LinearRegression() on load_diabetes() X with columns x0 + x1 and x2 appended")

# Ridge: one target, weighted, several targets, and more features than samples (kernel form).
save_fit("ridge", Ridge(alpha=0.5).fit(X, y), "Ridge(alpha=0.5) on load_diabetes()")
save_fit("ridge_weighted", Ridge(alpha=0.5).fit(X, y, sample_weight=sw),
         "Ridge(alpha=0.5) on load_diabetes(), sample_weight = 0.5 + (i % 7) / 3")
Y = np.column_stack([y, y * y / 100.0])
save_fit("ridge_multi", Ridge(alpha=0.5).fit(X, Y), "Ridge(alpha=0.5) on load_diabetes(), Y = [y, y*y/100]")
save_fit("ridge_wide", Ridge(alpha=0.01).fit(X[:8], y[:8]), "Ridge(alpha=0.01) on the first 8 rows of load_diabetes()")

# Lasso and ElasticNet: converged answers (tol 1e-12) and the default tol's iteration counts.
tight = dict(tol=1e-12, max_iter=100000)
save_fit("lasso", Lasso(alpha=0.1, **tight).fit(X, y), "Lasso(alpha=0.1, tol=1e-12) on load_diabetes()")
save_fit("lasso_weighted", Lasso(alpha=0.1, **tight).fit(X, y, sample_weight=sw),
         "Lasso(alpha=0.1, tol=1e-12) on load_diabetes(), sample_weight = 0.5 + (i % 7) / 3")
save_fit("enet", ElasticNet(alpha=0.01, l1_ratio=0.7, **tight).fit(X, y),
         "ElasticNet(alpha=0.01, l1_ratio=0.7, tol=1e-12) on load_diabetes()")
save_fit("enet_weighted", ElasticNet(alpha=0.01, l1_ratio=0.7, **tight).fit(X, y, sample_weight=sw),
         "ElasticNet(alpha=0.01, l1_ratio=0.7, tol=1e-12) on load_diabetes(), sample_weight = 0.5 + (i % 7) / 3")
alphas, coefs, gaps = enet_path(X, y - y.mean(), l1_ratio=0.8, alphas=[0.01, 1.0, 0.1], **tight)
with Case("linear_model/enet_path", "enet_path(X, y - mean(y), l1_ratio=0.8, alphas=[0.01, 1, 0.1], tol=1e-12)") as case:
    case.add("coefs", coefs)
for precompute in (False, True):
    lasso = Lasso(alpha=0.1, precompute=precompute).fit(X, y)
    name = "gram" if precompute else "plain"
    with Case(f"linear_model/lasso_default_{name}", f"Lasso(alpha=0.1, precompute={precompute}) on load_diabetes()") as case:
        case.add("n_iter", lasso.n_iter_)
        case.add("dual_gap", lasso.dual_gap_)

# LogisticRegression on standardised breast_cancer (binary) and wine (labels 3, 4, 5).
def standardised(loader):
    Xc, yc = loader(return_X_y=True)
    return StandardScaler().fit_transform(Xc), yc


def logistic_case(prefix, model, Xc, yc, note, sample_weight=None):
    model.fit(Xc, yc, sample_weight=sample_weight)
    case = fit_case(prefix, model, note)
    case.add("proba", model.predict_proba(Xc)[::4], "predict_proba(X)[::4]")
    case.add("n_iter", model.n_iter_, "n_iter_")
    return case


Xb, yb = standardised(load_breast_cancer)
Xw, yw = standardised(load_wine)
yw = yw + 3
exact = dict(tol=1e-10, max_iter=10000)
cases = [
    ("logistic_binary", {}, Xb, yb, None),
    ("logistic_binary_balanced", dict(class_weight="balanced"), Xb, yb, None),
    ("logistic_binary_weighted", dict(C=0.5), Xb, yb, weights(len(yb))),
    ("logistic_binary_newton", dict(solver="newton-cholesky"), Xb, yb, None),
    ("logistic_binary_newton_balanced", dict(solver="newton-cholesky", class_weight="balanced"), Xb, yb, None),
    ("logistic_wine", {}, Xw, yw, None),
    ("logistic_wine_balanced", dict(class_weight="balanced"), Xw, yw, None),
    ("logistic_wine_weighted", dict(C=2.0), Xw, yw, weights(len(yw))),
    ("logistic_wine_newton", dict(solver="newton-cholesky"), Xw, yw, None),
    ("logistic_wine_newton_balanced", dict(solver="newton-cholesky", class_weight="balanced"), Xw, yw, None),
]
for prefix, params, Xc, yc, swc in cases:
    data = "standardised load_breast_cancer()" if Xc is Xb else "standardised load_wine(), labels + 3"
    weighted = ", sample_weight = 0.5 + (i % 7) / 3" if swc is not None else ""
    args = ", ".join(f"{k}={v!r}" for k, v in params.items())
    note = f"LogisticRegression({args}{', ' if args else ''}tol=1e-10, max_iter=10000) on {data}{weighted}"
    with logistic_case(prefix, LogisticRegression(**params, **exact), Xc, yc, note, swc) as case:
        if prefix == "logistic_binary":
            case.add("classes", np.unique(yb), "classes_ of load_breast_cancer()")

# The default tolerance (1e-4) follows scikit-learn's own L-BFGS iterates: same count, same answer.
logistic_case("logistic_binary_default", LogisticRegression(), Xb, yb,
              "LogisticRegression() on standardised load_breast_cancer()").save()

# No penalty on small overlapping classes, where the unpenalised optimum exists.
rng = np.random.RandomState(0)
Xs = rng.normal(size=(60, 3))
ys = (Xs @ np.array([1.0, -2.0, 0.5]) + 0.3 + rng.normal(scale=1.5, size=60) > 0).astype(int) * 2 - 1
with Case("linear_model/overlap", "small overlapping classes") as case:
    case.add("X", Xs, "60 x 3 standard normal, RandomState(0)")
    case.add("y", ys, "labels -1/1 of x·(1, -2, 0.5) + 0.3 + N(0, 1.5²) > 0")
for solver in ("lbfgs", "newton-cholesky"):
    name = solver.replace("-", "_")
    logistic_case(f"logistic_unpenalised_{name}", LogisticRegression(penalty=None, solver=solver, **exact), Xs, ys,
                  f"LogisticRegression(penalty=None, solver={solver!r}, tol=1e-10) on overlap X, y").save()
