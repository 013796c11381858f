"""Reference numbers for kestrel::svm's LinearSVC and LinearSVR from scikit-learn 1.2, which runs
liblinear inside.

Data as gen_svm.py: iris, wine and breast_cancer standardised (StandardScaler over the rows kept),
wine and breast_cancer subsampled to at most 150 rows (every k-th row); "iris_binary" is iris's
classes 1 and 2. LinearSVR: diabetes, every 3rd row (148), X and y standardised.

liblinear visits coordinates in an order drawn from its own generator, which kestrel does not
reproduce, so each fit is stored at two tolerances:
- "<solver>_*": tol=1e-10, max_iter=100000: the solution itself, coef, intercept and the
  decision function, to agree to 1e-4 (scikit-learn's own fits with two seeds differ < 1e-7);
- "<solver>_default_*": the default tol=1e-4: predictions to agree with (and coef, loosely).
<solver> names a (penalty, loss, dual) combination of LinearSVC (SOLVERS) or a loss of
LinearSVR (SVR_CASES); n_iter is informational (Crammer-Singer's n_iter_ in scikit-learn 1.2
reads past liblinear's one-element array for more than two classes, so it is not stored there).

Files:
- svm/linear_svc_<data>.npz: every solver on one data set;
- svm/linear_svc_weights.npz: wine with class_weight='balanced', class_weight={0: 0.5, 2: 3.0}
  and sample_weight 0.5, 1.5, 2.5, 3.5, ... (C=2), for the dual, the primal and Crammer-Singer;
- svm/linear_svc_weights_binary.npz: breast_cancer with class_weight={0: 2.0}, C=0.3 and
  sample weights;
- svm/linear_svc_intercept.npz: iris with fit_intercept=False and with intercept_scaling=3;
- svm/linear_svr.npz: LinearSVR's losses, dual and primal, epsilon, C, sample weights,
  fit_intercept=False and intercept_scaling=2.
"""
import warnings

import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC, LinearSVR

from fixtures import Case

# Crammer-Singer's fits warn whatever their iterations (the n_iter_ read described above).
warnings.simplefilter("ignore", ConvergenceWarning)

TIGHT = dict(tol=1e-10, max_iter=100000)


def standardised(loader, rows=150):
    X, y = loader(return_X_y=True)
    step = int(np.ceil(len(y) / rows))
    X, y = X[::step], y[::step]
    return StandardScaler().fit_transform(X), y


DATA = {
    "iris": standardised(load_iris),
    "wine": standardised(load_wine),
    "breast_cancer": standardised(load_breast_cancer),
}
X_iris, y_iris = DATA["iris"]
DATA["iris_binary"] = (X_iris[y_iris > 0], y_iris[y_iris > 0])

SOLVERS = {
    "l2_squared_hinge_dual": dict(penalty="l2", loss="squared_hinge", dual=True),
    "l2_hinge_dual": dict(penalty="l2", loss="hinge", dual=True),
    "l1_squared_hinge_primal": dict(penalty="l1", loss="squared_hinge", dual=False),
    "l2_squared_hinge_primal": dict(penalty="l2", loss="squared_hinge", dual=False),
    "crammer_singer": dict(multi_class="crammer_singer"),
}


def add_svc(case, prefix, X, y, kwargs, sample_weight=None):
    """The tight and the default-tol fit of LinearSVC(**kwargs) under `prefix`."""
    tight = LinearSVC(**kwargs, **TIGHT).fit(X, y, sample_weight=sample_weight)
    loose = LinearSVC(**kwargs).fit(X, y, sample_weight=sample_weight)
    note = f"LinearSVC({kwargs})"
    case.add(prefix + "_coef", tight.coef_, note + ", tol=1e-10")
    # scikit-learn's intercept_ is the number 0.0 when fit_intercept=False: one 0 per row here.
    rows = len(tight.coef_)
    case.add(prefix + "_intercept", np.broadcast_to(tight.intercept_, (rows,)))
    case.add(prefix + "_decision_function", tight.decision_function(X))
    if kwargs.get("multi_class") != "crammer_singer" or len(np.unique(y)) == 2:
        case.add(prefix + "_n_iter", tight.n_iter_)
    case.add(prefix + "_default_coef", loose.coef_, note + ", default tol")
    case.add(prefix + "_default_intercept", np.broadcast_to(loose.intercept_, (rows,)))
    case.add(prefix + "_default_predict", loose.predict(X))


for data, (X, y) in DATA.items():
    with Case("svm/linear_svc_" + data, f"LinearSVC on {data}, each solver") as case:
        case.add("X", X)
        case.add("y", y)
        for solver, kwargs in SOLVERS.items():
            add_svc(case, solver, X, y, kwargs)

X, y = DATA["wine"]
sw = 0.5 + (np.arange(len(y)) % 4)
with Case("svm/linear_svc_weights", "LinearSVC on wine with class and sample weights") as case:
    case.add("X", X)
    case.add("y", y)
    case.add("sample_weight", sw)
    for solver in ["l2_squared_hinge_dual", "l2_hinge_dual", "l1_squared_hinge_primal", "l2_squared_hinge_primal",
                   "crammer_singer"]:
        add_svc(case, "balanced_" + solver, X, y, dict(SOLVERS[solver], class_weight="balanced"))
        add_svc(case, "map_" + solver, X, y, dict(SOLVERS[solver], class_weight={0: 0.5, 2: 3.0}))
        add_svc(case, "sample_" + solver, X, y, dict(SOLVERS[solver], C=2.0), sample_weight=sw)

X, y = DATA["breast_cancer"]
sw = 0.5 + (np.arange(len(y)) % 4)
with Case("svm/linear_svc_weights_binary", "LinearSVC on breast_cancer, class_weight={0: 2.0}, C=0.3, "
          "sample_weight 0.5, 1.5, 2.5, 3.5, ...") as case:
    case.add("X", X)
    case.add("y", y)
    case.add("sample_weight", sw)
    for solver, kwargs in SOLVERS.items():
        add_svc(case, solver, X, y, dict(kwargs, class_weight={0: 2.0}, C=0.3), sample_weight=sw)

X, y = DATA["iris"]
with Case("svm/linear_svc_intercept", "LinearSVC on iris without an intercept, and intercept_scaling=3") as case:
    case.add("X", X)
    case.add("y", y)
    for solver, kwargs in SOLVERS.items():
        add_svc(case, "none_" + solver, X, y, dict(kwargs, fit_intercept=False))
        add_svc(case, "scaled_" + solver, X, y, dict(kwargs, intercept_scaling=3.0))

SVR_CASES = {
    "epsilon_dual": dict(loss="epsilon_insensitive"),
    "squared_dual": dict(loss="squared_epsilon_insensitive"),
    "squared_primal": dict(loss="squared_epsilon_insensitive", dual=False),
    "epsilon_tube": dict(loss="epsilon_insensitive", epsilon=0.3, C=0.5),
    "squared_tube_primal": dict(loss="squared_epsilon_insensitive", epsilon=0.2, C=3.0, dual=False),
    "squared_tube_dual": dict(loss="squared_epsilon_insensitive", epsilon=0.2, C=3.0),
    "no_intercept": dict(loss="epsilon_insensitive", fit_intercept=False),
    "no_intercept_primal": dict(loss="squared_epsilon_insensitive", fit_intercept=False, dual=False),
    "scaled": dict(loss="epsilon_insensitive", intercept_scaling=2.0),
    "scaled_primal": dict(loss="squared_epsilon_insensitive", intercept_scaling=2.0, dual=False),
}
SVR_WEIGHTED = ["epsilon_dual", "squared_dual", "squared_primal"]

X, y = load_diabetes(return_X_y=True)
X, y = StandardScaler().fit_transform(X[::3]), y[::3]
y = (y - y.mean()) / y.std() + 0.5  # off-centre, so that the intercept is not 0
sw = 0.5 + (np.arange(len(y)) % 4)


def add_svr(case, prefix, kwargs, sample_weight=None):
    tight = LinearSVR(**kwargs, **TIGHT).fit(X, y, sample_weight=sample_weight)
    loose = LinearSVR(**kwargs).fit(X, y, sample_weight=sample_weight)
    note = f"LinearSVR({kwargs})"
    case.add(prefix + "_coef", tight.coef_, note + ", tol=1e-10")
    case.add(prefix + "_intercept", tight.intercept_)
    case.add(prefix + "_predict", tight.predict(X))
    case.add(prefix + "_n_iter", tight.n_iter_)
    case.add(prefix + "_default_coef", loose.coef_, note + ", default tol")
    case.add(prefix + "_default_intercept", loose.intercept_)
    case.add(prefix + "_default_predict", loose.predict(X))


with Case("svm/linear_svr", "LinearSVR on diabetes (every 3rd row), X and y standardised, y + 0.5") as case:
    case.add("X", X)
    case.add("y", y)
    case.add("sample_weight", sw)
    for name, kwargs in SVR_CASES.items():
        add_svr(case, name, kwargs)
    for name in SVR_WEIGHTED:
        add_svr(case, "weighted_" + name, SVR_CASES[name], sample_weight=sw)
