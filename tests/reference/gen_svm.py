"""Reference numbers for kestrel::svm (SVC, SVR) from scikit-learn 1.2, which runs libsvm inside.

Data: iris, wine, breast_cancer and digits, standardised (StandardScaler over the rows kept); wine
and breast_cancer subsampled to at most 150 rows (every k-th row: 89 and 143), digits to 200 (every
9th row, 10 classes), to keep the files small. "iris_binary" is
iris's classes 1 and 2 (versicolor, virginica), the pair that is not separable.

- tight_<data>_<kernel>: tol=1e-8, so the dual solution is libsvm's to many digits: support
  indices, n_support, dual_coef, intercept and decision_function (ovo and ovr) must match.
- default_<data>_<kernel>: tol=1e-3 (the default): predictions to agree with, and n_support and
  dual_coef, from which the tests take each class pair's dual objective.
- weights_*: class_weight ('balanced', a per-class map) and sample_weight, tol=1e-8.
- gamma_*: gamma='auto' and a number.
- svr_tight_<kernel>, svr_default_<kernel>, svr_weights: SVR on diabetes (every 3rd row: 148),
  X and y standardised.
"""
import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_iris, load_wine
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, SVR

from fixtures import Case


def standardised(loader, rows=150):
    X, y = loader(return_X_y=True)
    step = int(np.ceil(len(y) / rows))
    X, y = X[::step], y[::step]
    return StandardScaler().fit_transform(X), y


DATA = {
    "iris": standardised(load_iris),
    "wine": standardised(load_wine),
    "breast_cancer": standardised(load_breast_cancer),
    "digits": standardised(load_digits, rows=200),
}
X_iris, y_iris = DATA["iris"]
DATA["iris_binary"] = (X_iris[y_iris > 0], y_iris[y_iris > 0])

KERNELS = {
    "linear": dict(kernel="linear"),
    "poly": dict(kernel="poly", degree=3, coef0=1.0),
    "rbf": dict(kernel="rbf"),
    "sigmoid": dict(kernel="sigmoid", coef0=-1.0, C=0.5),
}


def write(name, note, X, y, kwargs, sample_weight=None, full=True):
    """A case; without `full` only what a default-tol case compares (support, predict, and the
    dual objectives from n_support and dual_coef)."""
    svc = SVC(**kwargs).fit(X, y, sample_weight=sample_weight)
    ovo = SVC(decision_function_shape="ovo", **kwargs).fit(X, y, sample_weight=sample_weight)
    with Case("svm/" + name, note + f": SVC({kwargs})") as case:
        case.add("X", X)
        case.add("y", y)
        case.add("sample_weight", np.ones(len(y)) if sample_weight is None else sample_weight)
        case.add("support", svc.support_, "indices of the support vectors")
        case.add("predict", svc.predict(X))
        case.add("n_support", svc.n_support_)
        case.add("dual_coef", svc.dual_coef_)
        if not full:
            return
        case.add("intercept", svc.intercept_)
        case.add("n_iter", svc.n_iter_, "solver iterations per class pair")
        case.add("decision_function", svc.decision_function(X), "decision_function_shape='ovr'")
        case.add("decision_function_ovo", ovo.decision_function(X))
        if kwargs.get("kernel") == "linear":
            case.add("coef", svc.coef_)


for data in ["iris", "wine", "breast_cancer", "iris_binary", "digits"]:
    X, y = DATA[data]
    for kernel, kwargs in KERNELS.items():
        write(f"tight_{data}_{kernel}", f"{data}, tol=1e-8", X, y, dict(kwargs, tol=1e-8))
        write(f"default_{data}_{kernel}", f"{data}, default tol", X, y, dict(kwargs), full=False)

X, y = DATA["wine"]
write("weights_balanced", "wine, class_weight='balanced'", X, y, dict(class_weight="balanced", tol=1e-8))
write("weights_map", "wine, class_weight={0: 0.5, 2: 3.0}", X, y, dict(class_weight={0: 0.5, 2: 3.0}, tol=1e-8))
sw = 0.5 + (np.arange(len(y)) % 4)
write("weights_sample", "wine, sample_weight 0.5, 1.5, 2.5, 3.5, ...", X, y, dict(tol=1e-8, C=2.0), sw)
X, y = DATA["breast_cancer"]
sw = 0.5 + (np.arange(len(y)) % 4)
write("weights_binary", "breast_cancer, class_weight and sample_weight", X, y,
      dict(class_weight={0: 2.0}, tol=1e-8, kernel="linear", C=0.3), sw)
X, y = DATA["iris"]
write("gamma_auto", "iris, gamma='auto'", X, y, dict(gamma="auto", tol=1e-8))
write("gamma_number", "iris, gamma=0.7", X, y, dict(gamma=0.7, tol=1e-8, C=3.0))


def write_svr(name, note, X, y, kwargs, sample_weight=None, full=True):
    svr = SVR(**kwargs).fit(X, y, sample_weight=sample_weight)
    with Case("svm/" + name, note + f": SVR({kwargs})") as case:
        case.add("X", X)
        case.add("y", y)
        case.add("sample_weight", np.ones(len(y)) if sample_weight is None else sample_weight)
        case.add("support", svr.support_, "indices of the support vectors")
        case.add("predict", svr.predict(X))
        if not full:
            return
        case.add("dual_coef", svr.dual_coef_)
        case.add("intercept", svr.intercept_)
        case.add("n_iter", svr.n_iter_)
        if kwargs.get("kernel") == "linear":
            case.add("coef", svr.coef_)


X, y = load_diabetes(return_X_y=True)
X, y = StandardScaler().fit_transform(X[::3]), y[::3]
y = (y - y.mean()) / y.std()
SVR_KERNELS = {
    "linear": dict(kernel="linear"),
    "poly": dict(kernel="poly", degree=2, coef0=1.0),
    "rbf": dict(kernel="rbf", C=3.0, epsilon=0.2),
    "sigmoid": dict(kernel="sigmoid", coef0=-1.0, C=0.5),
}
for kernel, kwargs in SVR_KERNELS.items():
    write_svr(f"svr_tight_{kernel}", "diabetes, tol=1e-8", X, y, dict(kwargs, tol=1e-8))
    write_svr(f"svr_default_{kernel}", "diabetes, default tol", X, y, dict(kwargs), full=False)
sw = 0.5 + (np.arange(len(y)) % 4)
write_svr("svr_weights", "diabetes, sample_weight 0.5, 1.5, 2.5, 3.5, ...", X, y, dict(tol=1e-8, epsilon=0.05), sw)
