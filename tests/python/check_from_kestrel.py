"""Checks python/kestrel_convert.py's from_kestrel on models kestrel fitted and saved.

    /usr/bin/python3 tests/python/check_from_kestrel.py DIR

DIR is what export_models (tests/python/export_models.cpp) wrote: <case>.kestrel and <case>.npz
(the test rows X and kestrel's outputs). For every case this converts the model with from_kestrel
and requires scikit-learn's predict (exactly, for labels), predict_proba, decision_function and
transform (and a tree's or forest's feature_importances_) to equal kestrel's to 1e-12 (SVC's and
SVR's values to 1e-12 relative to the magnitude of their terms, max(1, |intercept| + sum |dual coefficient * kernel value|): they are
sums over hundreds of support vectors, which libsvm forms and adds in another order, and poly
kernels' terms can be thousands of times the sum); then converts it back with to_kestrel, requires every member
of kestrel's file to come back with the same dtype kind, shape and value (except the ones derived
on the way: MiniBatchKMeans' _random_stream and converged_; and a tree's or forest's max_bins,
which scikit-learn does not have and comes back 0), and converts that file with
from_kestrel once more, with the same outputs. It also runs the command line once each way, and
checks that a float32 model, a corrupt file, an unfitted or unknown estimator and unsupported
settings are refused. Exits non-zero on any failure, printing each.
"""
import glob
import io
import os
import subprocess
import sys
import tempfile
import warnings
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, os.pardir, os.pardir, "python", "kestrel_convert.py")
sys.path.insert(0, os.path.dirname(SCRIPT))
from kestrel_convert import ConversionError, from_kestrel, to_kestrel  # noqa: E402

TOLERANCE = 1e-12
OUTPUTS = ("predict", "predict_proba", "decision_function", "transform")
ATTRIBUTES = ("feature_importances_",)  # fitted attributes of the model (its last step), compared as outputs
DERIVED = ("_random_stream", "converged_")  # written by to_kestrel from scikit-learn's state

failures = []
largest = {}  # estimator class ("Pipeline" for pipelines) -> largest absolute difference seen


def fail(message):
    failures.append(message)
    print("FAIL", message)


def members(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename[:-4]: np.lib.format.read_array(archive.open(info)) for info in archive.infolist()}


def svm_term_scale(model, X):
    """For an SVC or SVR (or a pipeline ending in one) the largest magnitude of the terms of its
    decision values on X, at least 1; for other models 1."""
    from sklearn.metrics.pairwise import pairwise_kernels
    last = model.steps[-1][1] if hasattr(model, "steps") else model
    if type(last).__name__ not in ("SVC", "SVR"):
        return 1.0
    for _, step in (model.steps[:-1] if hasattr(model, "steps") else []):
        X = step.transform(X)
    K = pairwise_kernels(X, last.support_vectors_, metric=last.kernel, gamma=last._gamma, degree=last.degree,
                         coef0=last.coef0, filter_params=True)
    terms = np.abs(K) @ np.abs(last.dual_coef_).T
    return max(1.0, float(np.max(terms)) + float(np.max(np.abs(last.intercept_))))


def compare_outputs(name, model, expected):
    X = expected["X"]
    term_scale = svm_term_scale(model, X)
    for method in OUTPUTS:
        if method not in expected:
            continue
        want = expected[method]
        if not hasattr(model, method):
            fail(f"{name}: the scikit-learn model has no {method}")
            continue
        got = getattr(model, method)(X)
        got = np.asarray(got.toarray() if hasattr(got, "toarray") else got, dtype=np.float64)
        if got.size != want.size:
            fail(f"{name}: {method} has shape {got.shape}, kestrel's {want.shape}")
            continue
        got = got.reshape(want.shape)
        error = float(np.max(np.abs(got - want))) if want.size else 0.0
        largest[type(model).__name__] = max(largest.get(type(model).__name__, 0.0), error)
        scale = term_scale if method in ("predict", "decision_function") else 1.0
        if method == "predict" and ("predict_proba" in expected or "transform" in expected or
                                    hasattr(model, "classes_")):
            if not np.array_equal(got, want):
                fail(f"{name}: predict differs from kestrel's labels in {int(np.sum(got != want))} rows")
        elif not error <= TOLERANCE * scale:
            fail(f"{name}: {method} differs from kestrel's by {error:.3g} (terms up to {scale:.3g})")
    last = model.steps[-1][1] if hasattr(model, "steps") else model
    for attribute in ATTRIBUTES:
        if attribute not in expected:
            continue
        want = expected[attribute].ravel()
        got = np.asarray(getattr(last, attribute), dtype=np.float64).ravel()
        if got.shape != want.shape or not float(np.max(np.abs(got - want))) <= TOLERANCE:
            fail(f"{name}: {attribute} differs from kestrel's: {got} against {want}")


def compare_files(name, original, again):
    a, b = members(original), members(again)
    if set(a) != set(b):
        fail(f"{name}: members differ: only in kestrel's {sorted(set(a) - set(b))}, only in the converter's "
             f"{sorted(set(b) - set(a))}")
    for key in sorted(set(a) & set(b)):
        if key.rsplit("/", 1)[-1] in DERIVED:
            continue
        if key.endswith("params/max_bins") and b[key].dtype.kind == "i" and b[key] == 0:
            continue  # scikit-learn has no max_bins: to_kestrel writes 0 (exact splits)
        x, y = a[key], b[key]
        if x.dtype.kind != y.dtype.kind or x.shape != y.shape or not np.array_equal(x, y):
            fail(f"{name}: member {key} differs: kestrel's {x.dtype} {x.shape} {x!r}, the converter's {y.dtype} "
                 f"{y.shape} {y!r}")


def check_case(path):
    name = os.path.basename(path)[:-4]
    expected = dict(np.load(path))
    model_path = path[:-4] + ".kestrel"
    with open(model_path, "rb") as f:
        original = f.read()
    try:
        model = from_kestrel(model_path)
    except Exception as e:  # noqa: BLE001 - reported as a failure of this case
        fail(f"{name}: from_kestrel raised {type(e).__name__}: {e}")
        return
    compare_outputs(name, model, expected)
    buffer = io.BytesIO()
    try:
        to_kestrel(model, buffer)
    except Exception as e:  # noqa: BLE001
        fail(f"{name}: to_kestrel of the converted model raised {type(e).__name__}: {e}")
        return
    again = buffer.getvalue()
    compare_files(name, original, again)
    compare_outputs(name + " (converted back and again)", from_kestrel(io.BytesIO(again)), expected)
    print("ok", name)


def expect_refusal(what, action, words):
    try:
        action()
    except ConversionError as e:
        if not all(word in str(e) for word in words):
            fail(f"{what}: refused, but the message {str(e)!r} does not say {words}")
        return
    except Exception as e:  # noqa: BLE001
        fail(f"{what}: raised {type(e).__name__} ({e}), not ConversionError")
        return
    fail(f"{what}: was not refused")


def check_refusals(directory):
    from sklearn.cluster import KMeans
    from sklearn.datasets import load_iris
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier, RandomForestRegressor
    from sklearn.svm import SVC, SVR, LinearSVC
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    X, y = load_iris(return_X_y=True)
    sink = io.BytesIO()
    expect_refusal("a float32 model file", lambda: from_kestrel(os.path.join(directory, "float32_ridge.kestrel")),
                   ["float32"])
    with open(os.path.join(directory, "ridge.kestrel"), "rb") as f:
        data = bytearray(f.read())
    data[len(data) // 2] ^= 1
    expect_refusal("a corrupt model file", lambda: from_kestrel(io.BytesIO(bytes(data))), ["checksum"])
    expect_refusal("an unknown estimator", lambda: to_kestrel(KNeighborsClassifier().fit(X, y), sink),
                   ["KNeighborsClassifier"])
    expect_refusal("a precomputed kernel", lambda: to_kestrel(SVC(kernel="precomputed").fit(X @ X.T, y), sink),
                   ["precomputed"])
    expect_refusal("a callable kernel", lambda: to_kestrel(SVR(kernel=lambda A, B: A @ B.T).fit(X, X[:, 0]), sink),
                   ["callable"])
    expect_refusal("an unfitted estimator", lambda: to_kestrel(LinearRegression(), sink), ["not fitted"])
    expect_refusal("an unfitted LinearSVC", lambda: to_kestrel(LinearSVC(), sink), ["not fitted"])
    expect_refusal("LinearSVC's text labels",
                   lambda: to_kestrel(LinearSVC(max_iter=10000).fit(X, np.array(["a", "b", "c"])[y]), sink),
                   ["integers"])
    expect_refusal("a float32 fit", lambda: to_kestrel(KMeans(3, n_init=1).fit(X.astype(np.float32)), sink),
                   ["float32"])
    expect_refusal("the liblinear solver",
                   lambda: to_kestrel(LogisticRegression(solver="liblinear").fit(X, y), sink), ["liblinear"])
    expect_refusal("one-vs-rest lbfgs",
                   lambda: to_kestrel(LogisticRegression(multi_class="ovr", max_iter=500).fit(X, y), sink), ["ovr"])
    expect_refusal("positive coefficients", lambda: to_kestrel(LinearRegression(positive=True).fit(X, y), sink),
                   ["positive"])
    expect_refusal("balanced_subsample class weights",
                   lambda: to_kestrel(RandomForestClassifier(n_estimators=2, class_weight="balanced_subsample")
                                      .fit(X, y), sink), ["balanced_subsample"])
    expect_refusal("a tree of two outputs",
                   lambda: to_kestrel(DecisionTreeRegressor(max_depth=2).fit(X, X[:, :2]), sink), ["2 outputs"])
    expect_refusal("a tree's text labels",
                   lambda: to_kestrel(DecisionTreeClassifier(max_depth=2).fit(X, np.array(["a", "b", "c"])[y]), sink),
                   ["integers"])
    expect_refusal("an unfitted forest", lambda: to_kestrel(RandomForestRegressor(), sink), ["not fitted"])
    forest = ExtraTreesClassifier(n_estimators=3, max_depth=2).fit(X, y)
    forest.n_estimators = 4
    expect_refusal("a forest whose n_estimators changed after fitting", lambda: to_kestrel(forest, sink),
                   ["n_estimators"])


def check_command_line(directory):
    with tempfile.TemporaryDirectory() as tmp:
        pickled, again = os.path.join(tmp, "model.pkl"), os.path.join(tmp, "again.kestrel")
        original = os.path.join(directory, "pipeline_scaler_logistic.kestrel")
        for args in (["from-kestrel", original, pickled], ["to-kestrel", pickled, again]):
            run = subprocess.run([sys.executable, SCRIPT] + args, capture_output=True, text=True)
            if run.returncode != 0:
                fail(f"kestrel_convert.py {args[0]} exited with {run.returncode}: {run.stderr}")
                return
        buffer = io.BytesIO()
        to_kestrel(from_kestrel(original), buffer)
        with open(again, "rb") as f:
            if f.read() != buffer.getvalue():
                fail("the command line's round trip wrote other bytes than to_kestrel(from_kestrel(...))")
        run = subprocess.run([sys.executable, SCRIPT, "from-kestrel", os.path.join(directory, "float32_ridge.kestrel"),
                              os.path.join(tmp, "x.pkl")], capture_output=True, text=True)
        if run.returncode == 0 or "float32" not in run.stderr:
            fail(f"the command line did not refuse a float32 model clearly: {run.returncode} {run.stderr!r}")
    print("ok command line")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    directory = sys.argv[1]
    warnings.simplefilter("ignore")
    cases = sorted(glob.glob(os.path.join(directory, "*.npz")))
    if not cases:
        fail(f"no cases in {directory}: run export_models first")
    for path in cases:
        check_case(path)
    check_refusals(directory)
    check_command_line(directory)
    print("largest absolute difference from kestrel's outputs, by class:")
    for cls in sorted(largest):
        print(f"  {cls:20s} {largest[cls]:.3g}")
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print(f"all {len(cases)} cases agree to {TOLERANCE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
