"""Reference numbers for kestrel::svm's NuSVC, NuSVR and OneClassSVM, the precomputed kernel and
Platt's probabilities, from scikit-learn 1.2 (which runs libsvm inside).

Data as gen_svm.py: iris, wine, breast_cancer and digits standardised (wine and breast_cancer every
k-th row, 89 and 143 rows, digits every 9th, 200 rows), iris_binary (iris's classes 1 and 2), diabetes every 3rd row (148) with X
and y standardised.

- nu_tight_<data>_<kernel>: NuSVC at tol=1e-8: support, n_support, dual_coef, intercept,
  decision_function, n_iter; nu_default_<data>: predictions at the default tol.
- nu_weights: NuSVC with sample_weight (class_weight, which libsvm's ν form ignores, too).
- nusvr_tight_<kernel>, nusvr_default, nusvr_weights: NuSVR on diabetes.
- oneclass_tight_<kernel>, oneclass_default, oneclass_weights: OneClassSVM on iris (all rows)
  and on breast_cancer.
- precomputed_<estimator>: SVC, NuSVC and SVR given the linear and rbf kernel matrices of the
  training rows, with predictions on the kernel matrix of a held-out part.
- proba_<data>: SVC(probability=True, random_state=...) and NuSVC: probA, probB, predict_proba,
  and the seed scikit-learn hands libsvm (np.random.RandomState(random_state).randint(2**31 - 1)).
"""
import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_iris, load_wine
from sklearn.metrics.pairwise import rbf_kernel
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, SVR, NuSVC, NuSVR, OneClassSVM

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
    "sigmoid": dict(kernel="sigmoid", coef0=-1.0),
}


def ones(n):
    return np.ones(n)


def write_nusvc(name, note, X, y, kwargs, sample_weight=None, full=True):
    m = NuSVC(**kwargs).fit(X, y, sample_weight=sample_weight)
    ovo = NuSVC(decision_function_shape="ovo", **kwargs).fit(X, y, sample_weight=sample_weight)
    with Case("svm/" + name, note + f": NuSVC({kwargs})") as case:
        case.add("X", X)
        case.add("y", y)
        case.add("sample_weight", ones(len(y)) if sample_weight is None else sample_weight)
        case.add("support", m.support_, "indices of the support vectors")
        case.add("predict", m.predict(X))
        if not full:
            return
        case.add("n_support", m.n_support_)
        case.add("dual_coef", m.dual_coef_)
        case.add("intercept", m.intercept_)
        case.add("n_iter", m.n_iter_, "solver iterations per class pair")
        case.add("decision_function", m.decision_function(X), "decision_function_shape='ovr'")
        case.add("decision_function_ovo", ovo.decision_function(X))


NU = {"iris": 0.3, "wine": 0.4, "breast_cancer": 0.2, "iris_binary": 0.5, "digits": 0.3}
for data in ["iris", "wine", "breast_cancer", "iris_binary", "digits"]:
    X, y = DATA[data]
    for kernel, kwargs in KERNELS.items():
        write_nusvc(f"nu_tight_{data}_{kernel}", f"{data}, tol=1e-8", X, y, dict(kwargs, nu=NU[data], tol=1e-8))
    write_nusvc(f"nu_default_{data}", f"{data}, default tol", X, y, dict(nu=NU[data]), full=False)
X, y = DATA["wine"]
sw = 0.5 + (np.arange(len(y)) % 4)
write_nusvc("nu_weights", "wine, sample_weight 0.5, 1.5, 2.5, 3.5, ... and class_weight (no effect in libsvm's nu "
            "form)", X, y, dict(nu=0.25, tol=1e-8, class_weight={0: 3.0}), sw)


def write_single(name, note, estimator, X, y, sample_weight=None, full=True, extra=None):
    m = estimator.fit(X, y, sample_weight=sample_weight) if y is not None else estimator.fit(X,
                                                                                           sample_weight=sample_weight)
    with Case("svm/" + name, note + f": {estimator!r}") as case:
        case.add("X", X)
        if y is not None:
            case.add("y", y)
        case.add("sample_weight", ones(len(X)) if sample_weight is None else sample_weight)
        case.add("support", m.support_, "indices of the support vectors")
        case.add("predict", m.predict(X))
        if extra:
            extra(case, m)
        if not full:
            return
        case.add("dual_coef", m.dual_coef_)
        case.add("intercept", m.intercept_)
        case.add("n_iter", m.n_iter_)


X, y = load_diabetes(return_X_y=True)
X, y = StandardScaler().fit_transform(X[::3]), y[::3]
y = (y - y.mean()) / y.std()
NUSVR_KERNELS = {
    "linear": dict(kernel="linear", nu=0.3),
    "poly": dict(kernel="poly", degree=2, coef0=1.0, nu=0.5),
    "rbf": dict(kernel="rbf", C=3.0, nu=0.4),
    "sigmoid": dict(kernel="sigmoid", coef0=-1.0, C=0.5, nu=0.6),
}
for kernel, kwargs in NUSVR_KERNELS.items():
    write_single(f"nusvr_tight_{kernel}", "diabetes, tol=1e-8", NuSVR(**kwargs, tol=1e-8), X, y)
write_single("nusvr_default", "diabetes, default tol", NuSVR(), X, y, full=False)
sw = 0.5 + (np.arange(len(y)) % 4)
write_single("nusvr_weights", "diabetes, sample_weight 0.5, 1.5, 2.5, 3.5, ...", NuSVR(nu=0.35, tol=1e-8), X, y, sw)


def oneclass_extra(case, m):
    case.add("decision_function", m.decision_function(case_X[0]))
    case.add("score_samples", m.score_samples(case_X[0]))
    case.add("offset", m.offset_)


X = StandardScaler().fit_transform(load_iris(return_X_y=True)[0])
case_X = [X]
for kernel, kwargs in KERNELS.items():
    write_single(f"oneclass_tight_{kernel}", "iris (150 rows), tol=1e-8",
                 OneClassSVM(**kwargs, nu=0.2, tol=1e-8), X, None, extra=oneclass_extra)
write_single("oneclass_default", "iris, default tol", OneClassSVM(), X, None, full=False, extra=oneclass_extra)
X = DATA["breast_cancer"][0]
case_X = [X]
sw = 0.5 + (np.arange(len(X)) % 4)
write_single("oneclass_weights", "breast_cancer, sample_weight 0.5, 1.5, 2.5, 3.5, ...",
             OneClassSVM(nu=0.3, gamma=0.05, tol=1e-8), X, None, sw, extra=oneclass_extra)

# Precomputed kernels: the training rows' kernel matrix, and a held-out part's against them.
for data, estimator, target in [("wine", SVC(kernel="precomputed", tol=1e-8), "class"),
                                ("iris", NuSVC(kernel="precomputed", nu=0.3, tol=1e-8), "class"),
                                ("diabetes", SVR(kernel="precomputed", tol=1e-8, C=2.0), "value")]:
    if data == "diabetes":
        Xa, ya = load_diabetes(return_X_y=True)
        Xa, ya = StandardScaler().fit_transform(Xa[::3]), ya[::3]
        ya = (ya - ya.mean()) / ya.std()
    else:
        Xa, ya = DATA[data]
    train = np.arange(len(ya)) % 4 != 0
    for kernel in ["linear", "rbf"]:
        def gram(A, B):
            return A @ B.T if kernel == "linear" else rbf_kernel(A, B, gamma=0.2)
        K_train = gram(Xa[train], Xa[train])
        K_test = gram(Xa[~train], Xa[train])
        m = estimator.fit(K_train, ya[train])
        name = type(estimator).__name__
        with Case(f"svm/precomputed_{name}_{kernel}", f"{data}: {name}(kernel='precomputed') on the {kernel} kernel "
                  "matrix (gamma=0.2 for rbf) of the rows i % 4 != 0; test rows i % 4 == 0") as case:
            case.add("K_train", K_train)
            case.add("y", ya[train])
            case.add("K_test", K_test)
            case.add("support", m.support_)
            case.add("dual_coef", m.dual_coef_)
            case.add("intercept", m.intercept_)
            case.add("predict_test", m.predict(K_test))
            if target == "class":
                case.add("decision_function_test", m.decision_function(K_test))

# Platt's probabilities.
for data, estimator_type, kwargs in [("iris", SVC, dict(random_state=0)),
                                     ("iris_binary", SVC, dict(random_state=7, kernel="linear", C=0.5)),
                                     ("wine", SVC, dict(random_state=123, class_weight={1: 2.0})),
                                     ("breast_cancer", SVC, dict(random_state=42)),
                                     ("iris", NuSVC, dict(random_state=3, nu=0.3))]:
    X, y = DATA[data]
    m = estimator_type(probability=True, tol=1e-8, **kwargs).fit(X, y)
    seed = np.random.RandomState(kwargs["random_state"]).randint(np.iinfo("i").max)
    name = f"proba_{estimator_type.__name__}_{data}"
    with Case("svm/" + name, f"{data}: {estimator_type.__name__}(probability=True, tol=1e-8, {kwargs})") as case:
        case.add("X", X)
        case.add("y", y)
        case.add("random_state", kwargs["random_state"])
        case.add("libsvm_seed", seed, "the seed scikit-learn hands libsvm")
        case.add("probA", m.probA_)
        case.add("probB", m.probB_)
        case.add("predict_proba", m.predict_proba(X))
        case.add("dual_coef", m.dual_coef_)
