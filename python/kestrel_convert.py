#!/usr/bin/python3
"""Converts fitted scikit-learn estimators to kestrel model files and kestrel model files back to
fitted scikit-learn estimators.

    to_kestrel(estimator, path)   writes a fitted estimator or Pipeline as a kestrel model file
    from_kestrel(path)            returns the fitted scikit-learn estimator or Pipeline of a file

and from the shell (the .pkl files are pickles, as pickle.dump or joblib.dump write them):

    python3 python/kestrel_convert.py to-kestrel IN.pkl OUT.kestrel [--n-features-in N]
    python3 python/kestrel_convert.py from-kestrel IN.kestrel OUT.pkl

Both work on every estimator kestrel has -- LinearRegression, Ridge, Lasso, ElasticNet,
LogisticRegression, KMeans, MiniBatchKMeans, StandardScaler, MinMaxScaler, OneHotEncoder,
SimpleImputer, RobustScaler, MaxAbsScaler, Normalizer, PolynomialFeatures, OrdinalEncoder, DummyClassifier, SVC, NuSVC, SVR, NuSVR,
OneClassSVM, LinearSVC, LinearSVR, DecisionTreeClassifier, DecisionTreeRegressor, ExtraTreeClassifier, ExtraTreeRegressor, RandomForestClassifier,
RandomForestRegressor, ExtraTreesClassifier, ExtraTreesRegressor -- and on Pipelines of them, in
double precision (float64) only. Written for scikit-learn 1.2 and NumPy; nothing else is
needed.

A model file (see include/kestrel/io/persistence.hpp) is an uncompressed .npz: a header
(kestrel/format, kestrel/version, kestrel/estimator, kestrel/scalar), the hyperparameters as
params/<name> under scikit-learn's names and spellings, n_features_in_ and the fitted state under
scikit-learn's attribute names; a Pipeline keeps each step under steps/<i>/. The zip comment is
"kestrel crc32 " and the CRC-32 of the file's bytes from offset 4 up to the digits. This module
checks that checksum, and every member's dtype and shape, on reading.

How the two sides meet:
- kestrel's n_jobs 0 (all cores) is scikit-learn's None; -1 and other negative counts become 0.
  Where scikit-learn's estimator has no n_jobs (Ridge, Lasso, ElasticNet, KMeans,
  MiniBatchKMeans) kestrel's is 0; k-means' thread count becomes scikit-learn's _n_threads.
- random_state is a seed of decimal digits; None becomes kestrel's default seed 0, and a
  RandomState instance (which has no seed to record) 0 as well, with a warning.
- Linear regressors keep coef_ as targets x features and intercept_ per target; a single-target
  scikit-learn model has them 1-D and scalar.
- LogisticRegression: penalty None is 'none'; the solvers are lbfgs (multinomial for more than two
  classes) and newton-cholesky (one-vs-rest), scikit-learn's multi_class='auto'; n_iter_ is one
  number, the largest of scikit-learn's.
- MinMaxScaler's feature_range is params feature_range_min and feature_range_max.
- RobustScaler's quantile_range is params quantile_range_min and quantile_range_max; center_ and
  scale_ are left out of the file where scikit-learn's are None.
- PolynomialFeatures' degree=(min_degree, max_degree) is params min_degree and degree (an int
  degree d is min_degree 0 and degree d); nothing is stored but n_features_in_.
- OrdinalEncoder (categories='auto', integer categories, float dtype): unknown_value and
  encoded_missing_value NaN are absent params (None only under handle_unknown='error');
  categories_ are stored without their trailing nan, and has_missing_ marks the features that
  have one.
- SimpleImputer (fitted on float64 data, missing_values NaN or a number, fill_value None or a
  number): missing_values NaN and fill_value None are absent params; statistics_ holds 0 for a
  feature dropped at fit (NaN in scikit-learn), listed in _empty_features; with add_indicator the
  MissingIndicator's features_ are indicator_features_.
- MiniBatchKMeans' max_no_improvement and init_size 0 are None.
- kestrel's own members are written from the scikit-learn object's state: converged_ (n_iter_
  below max_iter), StandardScaler's running statistics (mean_ and var_ in float64),
  DummyClassifier's _most_frequent and _constant_index, MiniBatchKMeans' _counts, _batch_size,
  _init_size and _n_since_last_reassign, and its _random_stream, which scikit-learn does not have:
  the state kestrel's engine starts from for the model's seed.
- Fit-time settings with no kestrel counterpart that leave the fitted model as it is (copy_X,
  verbose, Ridge's solver, coordinate descent's selection, warm_start of LogisticRegression, ...)
  are not recorded; settings under which kestrel would fit or predict another model (positive
  coefficients, l1 penalties, explicit categories or initial centres, infrequent categories, ...)
  are refused with a ConversionError that says why.
- DummyClassifier does not record its feature count in scikit-learn: in a Pipeline it is the
  previous step's output width, alone it is read from n_features_in_ when set, else it must be
  given (to_kestrel(..., n_features_in=N), --n-features-in N).
- SVC, NuSVC, SVR, NuSVR and OneClassSVM: the kernels linear, poly, rbf and sigmoid on dense
  data (kernel='precomputed' and callable kernels are refused), with or without probability=True
  (probA_ and probB_, empty without). gamma is its name ('scale', 'auto') or a number, and _gamma
  the value fit resolved it to. dual_coef_ and intercept_ are scikit-learn's public ones (for two
  classes of SVC and NuSVC the negatives of libsvm's _dual_coef_ and _intercept_, which
  from_kestrel restores); class_weight_ and shape_fit_ as fit left them.
- LinearSVC and LinearSVR: penalty, loss and multi_class under scikit-learn's spellings, dual a
  bool, random_state a seed. coef_ is classes x features for LinearSVC (one row for two classes)
  and 1-D for LinearSVR; intercept_ is one value a row of coef_ for LinearSVC and a scalar for
  LinearSVR, zeros without fit_intercept (scikit-learn's 0.0, which from_kestrel restores).
  n_iter_ is one number, from which kestrel derives converged().
- Trees (DecisionTree*, ExtraTree*) and forests (RandomForest*, ExtraTrees*), single-output and
  with integer labels: min_samples_split, min_samples_leaf and max_samples are an int or a float
  as scikit-learn holds them, max_features None, 'sqrt', 'log2', an int or a float (the deprecated
  'auto' as what it means: 'sqrt' for classifiers, 1.0 for regressors). kestrel's max_bins
  (histogram splits) has no scikit-learn counterpart: to_kestrel writes 0 and from_kestrel drops
  it (the thresholds are ordinary ones either way). class_weight='balanced_subsample' is refused.
  A tree is tree_/ and a forest's trees estimators_/: node_count and max_depth per tree, then
  scikit-learn's node arrays (children_left, children_right, feature, threshold, impurity,
  n_node_samples, weighted_n_node_samples), value (nodes x classes of weighted class counts, or
  nodes x 1) and missing_go_to_left, tree after tree. scikit-learn 1.2 has no missing values: to
  kestrel a node sends NaN to its child with more samples (1 when that is the left one), as kestrel
  does at a node that saw none; from_kestrel drops it. With oob_score=True a forest has oob_score_
  and oob_decision_function_ (classes) or oob_prediction_. from_kestrel builds scikit-learn's Tree
  objects from these arrays (and the trees of a forest, whose classes_ are the class indices as
  scikit-learn's own). scikit-learn's trees read X rounded to float32 and kestrel's X as it is:
  an input within float32 rounding of a threshold can go to another child in the two.
"""
import argparse
import io
import numbers
import os
import pickle
import re
import sys
import warnings
import zipfile
import zlib

import numpy as np

FORMAT_VERSION = 1
SCALAR = "float64"
CHECKSUM_PREFIX = b"kestrel crc32 "
CHECKSUM_COMMENT_SIZE = len(CHECKSUM_PREFIX) + 8
FALLBACK_KESTREL_VERSION = "0.2.0"

__all__ = ["ConversionError", "to_kestrel", "from_kestrel", "main"]


class ConversionError(ValueError):
    """An estimator or a file that cannot be converted; the message says why."""


def _kestrel_version():
    """The version of the kestrel this script ships with (include/kestrel/core/version.hpp)."""
    header = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "include", "kestrel", "core",
                          "version.hpp")
    try:
        with open(header, encoding="utf-8") as f:
            found = re.search(r'version\s*=\s*"([0-9]+\.[0-9]+\.[0-9]+)"', f.read())
        if found:
            return found.group(1)
    except OSError:
        pass
    return FALLBACK_KESTREL_VERSION


# ---------------------------------------------------------------------------------------------
# Writing members


class _Writer:
    """Collects the .npy members of a model file, each name under the writer's prefix."""

    def __init__(self, members, prefix=""):
        self.members = members
        self.prefix = prefix

    def nested(self, prefix):
        return _Writer(self.members, self.prefix + prefix)

    def _put(self, name, array):
        full = self.prefix + name
        if any(existing == full for existing, _ in self.members):
            raise ConversionError(f"member {full!r} is written twice")
        self.members.append((full, array))

    def boolean(self, name, value):
        self._put(name, np.array(bool(value), dtype=np.bool_))

    def integer(self, name, value, bits=64):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
            raise ConversionError(f"{self.prefix + name} should be an integer, not {value!r}")
        value = int(value)
        if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
            raise ConversionError(f"{self.prefix + name} = {value} is out of the range of kestrel's {bits}-bit field")
        self._put(name, np.array(value, dtype="<i8"))

    def number(self, name, value):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            raise ConversionError(f"{self.prefix + name} should be a number, not {value!r}")
        value = float(value)
        if not np.isfinite(value):
            raise ConversionError(f"{self.prefix + name} = {value} is not finite")
        self._put(name, np.array(value, dtype="<f8"))

    def text(self, name, value):
        self._put(name, np.array(str(value), dtype=np.str_))

    def strings(self, name, values):
        self._put(name, np.array([str(v) for v in values], dtype=np.str_))

    def absent(self, name):
        """None: an empty float64 array."""
        self._put(name, np.zeros(0, dtype="<f8"))

    def seed(self, name, random_state):
        self.text(name, str(_seed(self.prefix + name, random_state)))

    def floats(self, name, array, ndim):
        a = np.asarray(array)
        if a.dtype.kind != "f":
            raise ConversionError(f"{self.prefix + name} should hold floating-point numbers, not {a.dtype}")
        if a.dtype != np.float64:
            raise ConversionError(f"{self.prefix + name} is {a.dtype}: the estimator was fitted in single precision, "
                                  "and this converter handles float64 models only (refit it on float64 data)")
        if a.ndim != ndim:
            raise ConversionError(f"{self.prefix + name} should be {ndim}-D, not of shape {a.shape}")
        if not np.all(np.isfinite(a)):
            raise ConversionError(f"{self.prefix + name} holds a value that is not finite")
        self._put(name, np.array(a, dtype="<f8", order="C"))

    def integers(self, name, values, bits=64):
        a = np.asarray(values)
        if a.ndim != 1:
            raise ConversionError(f"{self.prefix + name} should be 1-D, not of shape {a.shape}")
        a = _integral(self.prefix + name, a, bits)
        self._put(name, np.array(a, dtype="<i8", order="C"))


def _seed(what, random_state):
    """kestrel's seed for a scikit-learn random_state."""
    if random_state is None:
        return 0
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, (bool, np.bool_)):
        value = int(random_state)
        if not 0 <= value < 2**64:
            raise ConversionError(f"{what} = {value} is not a seed in [0, 2**64)")
        return value
    if isinstance(random_state, np.random.RandomState):
        warnings.warn(f"{what} is a RandomState instance, which has no seed; kestrel's default seed 0 is recorded")
        return 0
    raise ConversionError(f"{what} should be None, an int or a RandomState, not {random_state!r}")


def _integral(what, a, bits=64):
    """`a` as int64 when every entry is a whole number within a signed `bits`-bit range."""
    a = np.asarray(a)
    if a.size == 0:
        return a.astype(np.int64)
    if a.dtype.kind in "iu":
        out = a.astype(np.int64)
        wide = a.astype(object)
    elif a.dtype.kind == "f" or a.dtype == object:
        try:
            f = a.astype(np.float64)
        except (TypeError, ValueError):
            raise ConversionError(f"{what} should hold integers (kestrel's labels and categories are integers), "
                                  f"not {list(a.ravel()[:5])}...") from None
        if not np.all(np.isfinite(f)) or np.any(f != np.trunc(f)):
            raise ConversionError(f"{what} should hold whole numbers (kestrel's labels and categories are "
                                  f"integers), not {list(a.ravel()[:5])}...")
        out = f.astype(np.int64)
        wide = f
    else:
        raise ConversionError(f"{what} should hold integers (kestrel's labels and categories are integers), "
                              f"not values of dtype {a.dtype}")
    if np.any(wide < -(2 ** (bits - 1))) or np.any(wide >= 2 ** (bits - 1)):
        raise ConversionError(f"{what} holds a value out of the range of kestrel's {bits}-bit integers")
    return out


def _npy_bytes(array):
    out = io.BytesIO()
    np.lib.format.write_array(out, array, version=(1, 0), allow_pickle=False)
    return out.getvalue()


def _file_bytes(members):
    """The model file of `members`: a stored zip, then the checksum comment."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED, allowZip64=False) as archive:
        for name, array in members:
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            archive.writestr(info, _npy_bytes(array))
        archive.comment = CHECKSUM_PREFIX + b"00000000"
    data = bytearray(buffer.getvalue())
    if bytes(data[-CHECKSUM_COMMENT_SIZE:-8]) != CHECKSUM_PREFIX:
        raise ConversionError("internal error: the zip comment is not at the end of the file")
    data[-8:] = b"%08x" % zlib.crc32(bytes(data[4:-8]))
    return bytes(data)


# ---------------------------------------------------------------------------------------------
# Reading members


def _read_members(data, source):
    """The members of a model file's bytes, name (without .npy) -> array, after checking the
    checksum as kestrel does."""
    if data[:6] == b"\x93NUMPY":
        raise ConversionError(f"{source}: this is a .npy file, not a kestrel model file")
    if data[:4] != b"PK\x03\x04":
        raise ConversionError(f"{source}: not a kestrel model file (it does not start with the zip magic)")
    tail = 22 + CHECKSUM_COMMENT_SIZE
    if (len(data) < 4 + tail or data[-tail:-tail + 4] != b"PK\x05\x06"
            or data[-CHECKSUM_COMMENT_SIZE:-8] != CHECKSUM_PREFIX):
        raise ConversionError(f"{source}: the file does not end with kestrel's checksum: it is truncated, or a zip / "
                              ".npz archive that kestrel did not write")
    recorded = data[-8:].decode("ascii", "replace")
    computed = "%08x" % zlib.crc32(data[4:-8])
    if recorded != computed:
        raise ConversionError(f"{source}: checksum mismatch (recorded {recorded}, computed {computed}): the file is "
                              "corrupt")
    members = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.compress_type != zipfile.ZIP_STORED:
                raise ConversionError(f"{source}: member {info.filename!r} is compressed; kestrel writes stored "
                                      "members")
            if not info.filename.endswith(".npy"):
                raise ConversionError(f"{source}: member {info.filename!r} is not a .npy")
            key = info.filename[:-4]
            if key in members:
                raise ConversionError(f"{source}: two members are named {key!r}")
            with archive.open(info) as f:
                members[key] = np.lib.format.read_array(f, allow_pickle=False)
    return members


class _Reader:
    """Reads members under a prefix, checking each one's dtype and shape as kestrel's loader does."""

    def __init__(self, members, source, prefix=""):
        self.members = members
        self.source = source
        self.prefix = prefix

    def nested(self, prefix):
        return _Reader(self.members, self.source, self.prefix + prefix)

    def has(self, name):
        return self.prefix + name in self.members

    def _bad(self, name, what):
        raise ConversionError(f"{self.source}: member {self.prefix + name!r} {what}")

    def _get(self, name):
        try:
            return self.members[self.prefix + name]
        except KeyError:
            self._bad(name, "is missing: the file is not a complete model")

    def _scalar(self, name, kinds, what):
        a = self._get(name)
        if a.dtype.kind not in kinds or a.ndim != 0:
            self._bad(name, f"should be {what} (0-D), not {a.dtype} of shape {a.shape}")
        return a[()]

    def boolean(self, name):
        return bool(self._scalar(name, "b", "a bool"))

    def integer(self, name):
        return int(self._scalar(name, "i", "an integer"))

    def number(self, name):
        value = float(self._scalar(name, "f", "a floating-point number"))
        if not np.isfinite(value):
            self._bad(name, "is not finite")
        return value

    def text(self, name):
        return str(self._scalar(name, "U", "a string"))

    def kind(self, name):
        return self._get(name).dtype.kind

    def is_absent(self, name):
        a = self._get(name)
        return a.dtype.kind == "f" and a.ndim == 1 and a.size == 0

    def optional_integer(self, name):
        return None if self.is_absent(name) else self.integer(name)

    def seed(self, name):
        digits = self.text(name)
        if not digits.isdigit() or int(digits) >= 2**64:
            self._bad(name, f"should hold an unsigned 64-bit integer in decimal, not {digits!r}")
        return int(digits)

    def choice(self, name, allowed):
        value = self.text(name)
        if value not in allowed:
            self._bad(name, f"holds {value!r}, which is none of its values ({', '.join(allowed)})")
        return value

    def floats(self, name, shape):
        """A float array of `shape` (None entries: any length)."""
        a = self._get(name)
        if a.dtype.kind != "f":
            self._bad(name, f"should be floating point, not {a.dtype}")
        if a.ndim != len(shape) or any(want is not None and have != want for have, want in zip(a.shape, shape)):
            self._bad(name, f"has shape {a.shape}, expected {tuple('any' if s is None else s for s in shape)}")
        if not np.all(np.isfinite(a)):
            self._bad(name, "holds a value that is not finite")
        return np.array(a, dtype=np.float64)

    def integers(self, name, size=None, sorted_distinct=False):
        a = self._get(name)
        if a.dtype.kind != "i" or a.ndim != 1:
            self._bad(name, "should be a 1-D integer array")
        if size is not None and a.shape[0] != size:
            self._bad(name, f"holds {a.shape[0]} entries, expected {size}")
        if sorted_distinct and np.any(np.diff(a) <= 0):
            self._bad(name, "should be sorted and distinct")
        return np.array(a, dtype=np.int64)

    def strings(self, name):
        a = self._get(name)
        if a.dtype.kind != "U" or a.ndim != 1:
            self._bad(name, "should be a 1-D array of strings")
        return [str(s) for s in a]

    def require(self, ok, what):
        if not ok:
            raise ConversionError(f"{self.source}: {what} (in {self.prefix!r})")


# ---------------------------------------------------------------------------------------------
# Shared conversions


def _n_jobs_to_kestrel(n_jobs):
    if n_jobs is None:
        return 0
    n_jobs = int(n_jobs)
    return n_jobs if n_jobs > 0 else 0


def _n_jobs_from_kestrel(n_jobs):
    return None if n_jobs == 0 else n_jobs


def _check_fitted(estimator, attribute):
    if not hasattr(estimator, attribute):
        raise ConversionError(f"this {type(estimator).__name__} is not fitted: only a fitted estimator is converted "
                              "(call fit first)")


def _refuse(estimator, what):
    raise ConversionError(f"{type(estimator).__name__}: {what}")


def _splitmix64_state(seed):
    """The 256-bit state kestrel's random engine starts from for `seed` (SplitMix64 words), as
    int64: MiniBatchKMeans' _random_stream, which scikit-learn does not keep."""
    mask = 2**64 - 1
    state = seed & mask
    words = []
    for _ in range(4):
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        z ^= z >> 31
        words.append(z - 2**64 if z >= 2**63 else z)
    return np.array(words, dtype=np.int64)


def _classes_to_kestrel(estimator, classes):
    classes = _integral(f"{type(estimator).__name__}.classes_", np.asarray(classes), bits=32)
    if classes.ndim != 1:
        _refuse(estimator, "only single-output models are converted")
    return classes


def _int_seed(random_state):
    """A scikit-learn random_state for a kestrel seed (NumPy takes seeds below 2**32 only when
    fitting, which is where it is used)."""
    return int(random_state)


def _effective_threads(n_jobs):
    from sklearn.utils._openmp_helpers import _openmp_effective_n_threads
    return _openmp_effective_n_threads(None if n_jobs == 0 else n_jobs)


def _write_class_weight(estimator, params):
    """scikit-learn's class_weight: None (absent), 'balanced', or a dict as (label, weight) rows
    sorted by label."""
    class_weight = estimator.class_weight
    if class_weight is None:
        params.absent("class_weight")
    elif isinstance(class_weight, str):
        if class_weight != "balanced":
            _refuse(estimator, f"class_weight={class_weight!r} is not supported")
        params.text("class_weight", "balanced")
    elif isinstance(class_weight, dict):
        labels = _integral(f"{type(estimator).__name__}.class_weight's labels", np.array(list(class_weight.keys())),
                           bits=32)
        pairs = np.array([[float(label), float(weight)] for label, weight in zip(labels, class_weight.values())],
                         dtype=np.float64).reshape(-1, 2)
        pairs = pairs[np.argsort(pairs[:, 0], kind="stable")]
        params.floats("class_weight", pairs, 2)
    else:
        _refuse(estimator, f"class_weight={class_weight!r} is not supported")


def _read_class_weight(p):
    if p.is_absent("class_weight"):
        return None
    if p.kind("class_weight") == "U":
        return p.choice("class_weight", ("balanced",))
    pairs = p.floats("class_weight", (None, 2))
    p.require(np.all(pairs[:, 0] == np.trunc(pairs[:, 0])), "class_weight holds a label that is not an integer")
    return {int(label): float(weight) for label, weight in pairs}


# ---------------------------------------------------------------------------------------------
# Estimators: each converter writes an estimator's members and returns its output width (the
# feature count of the next pipeline step), and each loader builds the scikit-learn object.


def _linear_regression_params(estimator, params):
    from sklearn.linear_model import Ridge
    if getattr(estimator, "positive", False):
        _refuse(estimator, "positive=True constrains the coefficients, which kestrel's "
                f"{type(estimator).__name__} does not; refit with positive=False")
    if isinstance(estimator, Ridge):
        if np.ndim(estimator.alpha) != 0:
            _refuse(estimator, "one alpha per target is not supported; kestrel's Ridge takes one alpha")
        params.number("alpha", estimator.alpha)
    params.boolean("fit_intercept", estimator.fit_intercept)
    params.integer("n_jobs", _n_jobs_to_kestrel(getattr(estimator, "n_jobs", None)), bits=32)


def _write_linear_state(estimator, w, single_target_only):
    coef = np.asarray(estimator.coef_)
    if coef.ndim == 1:
        coef = coef.reshape(1, -1)
    elif single_target_only:
        _refuse(estimator, f"it was fitted on {coef.shape[0]} targets; kestrel's {type(estimator).__name__} fits one")
    intercept = np.asarray(estimator.intercept_)
    if intercept.ndim == 0:  # one target, or 0.0 for every target without fit_intercept
        intercept = np.full(coef.shape[0], intercept, dtype=intercept.dtype if intercept.dtype.kind == "f" else None)
    w.floats("coef_", coef, 2)
    w.floats("intercept_", intercept, 1)
    if intercept.shape[0] != coef.shape[0]:
        _refuse(estimator, f"intercept_ has {intercept.shape[0]} entries for {coef.shape[0]} rows of coef_")


def _save_closed_form(estimator, w, n_features):
    _check_fitted(estimator, "coef_")
    params = w.nested("params/")
    _linear_regression_params(estimator, params)
    w.integer("n_features_in_", estimator.n_features_in_)
    _write_linear_state(estimator, w, single_target_only=False)
    return None


def _save_coordinate_descent(estimator, w, n_features):
    from sklearn.linear_model import ElasticNet
    _check_fitted(estimator, "coef_")
    precompute = estimator.precompute
    if isinstance(precompute, (bool, np.bool_)):
        precompute = "true" if precompute else "false"
    elif not (isinstance(precompute, str) and precompute == "auto"):
        _refuse(estimator, "a precomputed Gram matrix as precompute is not supported; use True, False or 'auto'")
    params = w.nested("params/")
    params.number("alpha", estimator.alpha)
    if type(estimator) is ElasticNet:
        params.number("l1_ratio", estimator.l1_ratio)
    params.boolean("fit_intercept", estimator.fit_intercept)
    params.text("precompute", precompute)
    params.integer("max_iter", estimator.max_iter, bits=32)
    params.number("tol", estimator.tol)
    params.boolean("warm_start", estimator.warm_start)
    params.boolean("positive", estimator.positive)
    params.integer("n_jobs", 0, bits=32)
    w.integer("n_features_in_", estimator.n_features_in_)
    _write_linear_state(estimator, w, single_target_only=True)
    n_iter = int(np.max(estimator.n_iter_))
    w.integer("n_iter_", n_iter, bits=32)
    w.number("dual_gap_", float(np.max(estimator.dual_gap_)))
    w.boolean("converged_", n_iter < estimator.max_iter)
    return None


def _load_linear_state(r, estimator, d, single_target_only):
    coef = r.floats("coef_", (1 if single_target_only else None, d))
    r.require(coef.shape[0] >= 1, "coef_ has no rows")
    intercept = r.floats("intercept_", (coef.shape[0],))
    if coef.shape[0] == 1:
        estimator.coef_ = coef[0].copy()
        estimator.intercept_ = np.float64(intercept[0])
    else:
        estimator.coef_ = coef
        estimator.intercept_ = intercept


def _load_linear_regression(r, d):
    from sklearn.linear_model import LinearRegression
    p = r.nested("params/")
    estimator = LinearRegression(fit_intercept=p.boolean("fit_intercept"),
                                 n_jobs=_n_jobs_from_kestrel(p.integer("n_jobs")))
    _load_linear_state(r, estimator, d, single_target_only=False)
    return estimator


def _load_ridge(r, d):
    from sklearn.linear_model import Ridge
    p = r.nested("params/")
    p.integer("n_jobs")
    estimator = Ridge(alpha=p.number("alpha"), fit_intercept=p.boolean("fit_intercept"), solver="cholesky")
    _load_linear_state(r, estimator, d, single_target_only=False)
    estimator.n_iter_ = None
    return estimator


def _load_coordinate_descent(r, d, name):
    from sklearn.linear_model import ElasticNet, Lasso
    p = r.nested("params/")
    kwargs = dict(alpha=p.number("alpha"))
    if name == "ElasticNet":
        kwargs["l1_ratio"] = p.number("l1_ratio")
    precompute = {"auto": "auto", "true": True, "false": False}[p.choice("precompute", ("auto", "true", "false"))]
    kwargs.update(fit_intercept=p.boolean("fit_intercept"), precompute=precompute, max_iter=p.integer("max_iter"),
                  tol=p.number("tol"), warm_start=p.boolean("warm_start"), positive=p.boolean("positive"))
    p.integer("n_jobs")
    estimator = (ElasticNet if name == "ElasticNet" else Lasso)(**kwargs)
    _load_linear_state(r, estimator, d, single_target_only=True)
    estimator.n_iter_ = r.integer("n_iter_")
    estimator.dual_gap_ = np.float64(r.number("dual_gap_"))
    r.boolean("converged_")
    return estimator


def _save_logistic(estimator, w, n_features):
    _check_fitted(estimator, "coef_")
    penalty = estimator.penalty
    if penalty is None or penalty == "none":
        penalty = "none"
    elif penalty != "l2":
        _refuse(estimator, f"penalty={penalty!r} is not supported: kestrel's LogisticRegression has the 'l2' "
                "penalty or none")
    if estimator.solver not in ("lbfgs", "newton-cholesky"):
        _refuse(estimator, f"solver={estimator.solver!r} is not supported: kestrel's LogisticRegression solves "
                "with 'lbfgs' or 'newton-cholesky'")
    classes = _classes_to_kestrel(estimator, estimator.classes_)
    K = classes.shape[0]
    multi_class = estimator.multi_class
    if multi_class not in ("auto", "ovr", "multinomial", "warn"):
        _refuse(estimator, f"multi_class={multi_class!r} is not supported")
    if multi_class == "multinomial" and K == 2:
        _refuse(estimator, "multi_class='multinomial' on two classes is not supported: kestrel fits two classes "
                "with the binomial loss (multi_class='auto' or 'ovr')")
    if multi_class in ("ovr", "warn") and K > 2 and estimator.solver == "lbfgs":
        _refuse(estimator, "multi_class='ovr' with lbfgs on more than two classes is not supported: kestrel's lbfgs "
                "fits the multinomial loss (multi_class='auto'), its newton-cholesky one-vs-rest")
    params = w.nested("params/")
    params.text("penalty", penalty)
    params.number("tol", estimator.tol)
    params.number("C", estimator.C)
    params.boolean("fit_intercept", estimator.fit_intercept)
    _write_class_weight(estimator, params)
    params.text("solver", estimator.solver)
    params.integer("max_iter", estimator.max_iter, bits=32)
    params.integer("n_jobs", _n_jobs_to_kestrel(estimator.n_jobs), bits=32)
    w.integer("n_features_in_", estimator.n_features_in_)
    w.integers("classes_", classes, bits=32)
    rows = K if K > 2 else 1
    coef = np.asarray(estimator.coef_)
    if coef.shape != (rows, estimator.n_features_in_):
        _refuse(estimator, f"coef_ has shape {coef.shape}, expected {(rows, estimator.n_features_in_)}")
    w.floats("coef_", coef, 2)
    w.floats("intercept_", np.asarray(estimator.intercept_, dtype=coef.dtype).reshape(rows), 1)
    n_iter = int(np.max(estimator.n_iter_))
    w.integer("n_iter_", n_iter, bits=32)
    w.boolean("converged_", n_iter < estimator.max_iter)
    return None


def _load_logistic(r, d):
    from sklearn.linear_model import LogisticRegression
    p = r.nested("params/")
    penalty = p.choice("penalty", ("l2", "none"))
    class_weight = _read_class_weight(p)
    solver = p.choice("solver", ("lbfgs", "newton-cholesky"))
    estimator = LogisticRegression(penalty=None if penalty == "none" else "l2", tol=p.number("tol"), C=p.number("C"),
                                   fit_intercept=p.boolean("fit_intercept"), class_weight=class_weight, solver=solver,
                                   max_iter=p.integer("max_iter"), multi_class="auto",
                                   n_jobs=_n_jobs_from_kestrel(p.integer("n_jobs")))
    classes = r.integers("classes_", sorted_distinct=True)
    K = classes.shape[0]
    r.require(K >= 2, "classes_ must hold at least two classes")
    rows = K if K > 2 else 1
    estimator.classes_ = classes
    estimator.coef_ = r.floats("coef_", (rows, d))
    estimator.intercept_ = r.floats("intercept_", (rows,))
    n_iter = r.integer("n_iter_")
    estimator.n_iter_ = np.full(K if (K > 2 and solver == "newton-cholesky") else 1, n_iter, dtype=np.int32)
    r.boolean("converged_")
    return estimator


def _kmeans_n_init(estimator):
    n_init = getattr(estimator, "_n_init", estimator.n_init)
    if n_init in ("warn", "auto"):
        default = 10 if type(estimator).__name__ == "KMeans" else 3
        n_init = 1 if (n_init == "auto" and estimator.init == "k-means++") else default
    return n_init


def _kmeans_init(estimator):
    init = estimator.init
    if not isinstance(init, str) or init not in ("k-means++", "random"):
        _refuse(estimator, "init given as an array or a callable is not supported: kestrel records init as "
                "'k-means++' or 'random' (kestrel's KMeans.fit_from takes initial centres at fit time)")
    return init


def _save_kmeans(estimator, w, n_features):
    _check_fitted(estimator, "cluster_centers_")
    k = int(estimator.n_clusters)
    algorithm = {"lloyd": "lloyd", "full": "lloyd", "auto": "lloyd", "elkan": "elkan"}.get(estimator.algorithm)
    if algorithm is None:
        _refuse(estimator, f"algorithm={estimator.algorithm!r} is not supported")
    params = w.nested("params/")
    params.integer("n_clusters", k, bits=32)
    params.text("init", _kmeans_init(estimator))
    params.integer("n_init", _kmeans_n_init(estimator), bits=32)
    params.integer("max_iter", estimator.max_iter, bits=32)
    params.number("tol", estimator.tol)
    params.seed("random_state", estimator.random_state)
    params.text("algorithm", algorithm)
    params.integer("n_jobs", 0, bits=32)
    w.integer("n_features_in_", estimator.n_features_in_)
    w.floats("cluster_centers_", estimator.cluster_centers_, 2)
    w.integers("labels_", estimator.labels_, bits=32)
    w.number("inertia_", estimator.inertia_)
    n_iter = int(estimator.n_iter_)
    w.integer("n_iter_", n_iter, bits=32)
    w.boolean("converged_", n_iter < estimator.max_iter)
    return k


def _load_kmeans(r, d):
    from sklearn.cluster import KMeans
    p = r.nested("params/")
    k = p.integer("n_clusters")
    n_init = p.integer("n_init")
    algorithm = p.choice("algorithm", ("lloyd", "elkan"))
    estimator = KMeans(n_clusters=k, init=p.choice("init", ("k-means++", "random")), n_init=n_init,
                       max_iter=p.integer("max_iter"), tol=p.number("tol"),
                       random_state=_int_seed(p.seed("random_state")), algorithm=algorithm)
    n_jobs = p.integer("n_jobs")
    estimator.cluster_centers_ = r.floats("cluster_centers_", (k, d))
    labels = r.integers("labels_")
    r.require(labels.size == 0 or (labels.min() >= 0 and labels.max() < k), "labels_ must lie in [0, n_clusters)")
    estimator.labels_ = labels.astype(np.int32)
    estimator.inertia_ = r.number("inertia_")
    estimator.n_iter_ = r.integer("n_iter_")
    r.boolean("converged_")
    estimator._n_features_out = k
    estimator._n_threads = _effective_threads(n_jobs)
    estimator._n_init = n_init
    estimator._algorithm = "lloyd" if k == 1 else algorithm
    return estimator


def _save_minibatch_kmeans(estimator, w, n_features):
    _check_fitted(estimator, "cluster_centers_")
    k = int(estimator.n_clusters)
    seed = _seed("MiniBatchKMeans.random_state", estimator.random_state)
    params = w.nested("params/")
    params.integer("n_clusters", k, bits=32)
    params.text("init", _kmeans_init(estimator))
    params.integer("max_iter", estimator.max_iter, bits=32)
    params.integer("batch_size", estimator.batch_size, bits=32)
    params.boolean("compute_labels", estimator.compute_labels)
    params.seed("random_state", estimator.random_state)
    params.number("tol", estimator.tol)
    params.integer("max_no_improvement",
                   0 if estimator.max_no_improvement is None else estimator.max_no_improvement, bits=32)
    params.integer("init_size", 0 if estimator.init_size is None else estimator.init_size)
    params.integer("n_init", _kmeans_n_init(estimator), bits=32)
    params.number("reassignment_ratio", estimator.reassignment_ratio)
    params.integer("n_jobs", 0, bits=32)
    w.integer("n_features_in_", estimator.n_features_in_)
    w.floats("cluster_centers_", estimator.cluster_centers_, 2)
    w.integers("labels_", getattr(estimator, "labels_", np.zeros(0, dtype=np.int64)), bits=32)
    w.number("inertia_", getattr(estimator, "inertia_", 0.0))
    w.integer("n_iter_", getattr(estimator, "n_iter_", 0), bits=32)
    w.integer("n_steps_", estimator.n_steps_)
    w.floats("_counts", estimator._counts, 1)
    w.integer("_batch_size", estimator._batch_size)
    w.integer("_init_size", estimator._init_size)
    w.integer("_n_since_last_reassign", estimator._n_since_last_reassign)
    w.integers("_random_stream", _splitmix64_state(seed))
    return k


def _load_minibatch_kmeans(r, d):
    from sklearn.cluster import MiniBatchKMeans
    p = r.nested("params/")
    k = p.integer("n_clusters")
    n_init = p.integer("n_init")
    max_no_improvement = p.integer("max_no_improvement")
    init_size = p.integer("init_size")
    estimator = MiniBatchKMeans(n_clusters=k, init=p.choice("init", ("k-means++", "random")),
                                max_iter=p.integer("max_iter"), batch_size=p.integer("batch_size"),
                                compute_labels=p.boolean("compute_labels"),
                                random_state=_int_seed(p.seed("random_state")), tol=p.number("tol"),
                                max_no_improvement=None if max_no_improvement == 0 else max_no_improvement,
                                init_size=None if init_size == 0 else init_size, n_init=n_init,
                                reassignment_ratio=p.number("reassignment_ratio"))
    n_jobs = p.integer("n_jobs")
    estimator.cluster_centers_ = r.floats("cluster_centers_", (k, d))
    labels = r.integers("labels_")
    r.require(labels.size == 0 or (labels.min() >= 0 and labels.max() < k), "labels_ must lie in [0, n_clusters)")
    if labels.size > 0:
        estimator.labels_ = labels.astype(np.int32)
    estimator.inertia_ = r.number("inertia_")
    estimator.n_iter_ = r.integer("n_iter_")
    estimator.n_steps_ = r.integer("n_steps_")
    estimator._counts = r.floats("_counts", (k,))
    r.require(np.all(estimator._counts >= 0), "_counts holds a negative count")
    estimator._batch_size = r.integer("_batch_size")
    estimator._init_size = r.integer("_init_size")
    estimator._n_since_last_reassign = r.integer("_n_since_last_reassign")
    stream = r.integers("_random_stream", size=4)
    r.require(np.any(stream != 0), "_random_stream is all zeros")
    estimator._n_features_out = k
    estimator._n_threads = _effective_threads(n_jobs)
    estimator._n_init = n_init
    return estimator


def _save_standard_scaler(estimator, w, n_features):
    _check_fitted(estimator, "n_samples_seen_")
    d = int(estimator.n_features_in_)
    seen = np.asarray(estimator.n_samples_seen_)
    if seen.ndim != 0:
        if not np.all(seen == seen.flat[0]):
            _refuse(estimator, "n_samples_seen_ differs between features (it was fitted on data with NaN), which "
                    "kestrel's StandardScaler does not hold")
        seen = seen.flat[0]
    params = w.nested("params/")
    params.boolean("with_mean", estimator.with_mean)
    params.boolean("with_std", estimator.with_std)
    w.integer("n_features_in_", d)
    w.number("n_samples_seen_", float(seen))
    mean = estimator.mean_ if estimator.mean_ is not None else np.zeros(d)
    var = estimator.var_ if estimator.var_ is not None else np.zeros(d)
    w.floats("_running_mean", mean, 1)
    w.floats("_running_var", var, 1)
    for name in ("mean_", "var_", "scale_"):
        value = getattr(estimator, name)
        w.floats(name, np.zeros(0) if value is None else value, 1)
    return d


def _load_standard_scaler(r, d):
    from sklearn.preprocessing import StandardScaler
    from sklearn.preprocessing._data import _handle_zeros_in_scale, _is_constant_feature
    p = r.nested("params/")
    estimator = StandardScaler(with_mean=p.boolean("with_mean"), with_std=p.boolean("with_std"))
    seen = r.number("n_samples_seen_")
    r.require(seen > 0, "n_samples_seen_ must be positive")
    mean = r.floats("_running_mean", (d,))
    var = r.floats("_running_var", (d,))
    r.require(np.all(var >= 0), "_running_var holds a negative variance")
    estimator.n_samples_seen_ = np.int64(seen) if seen == np.trunc(seen) else seen
    estimator.mean_ = mean if (estimator.with_mean or estimator.with_std) else None
    if estimator.with_std:
        estimator.var_ = var
        constant = _is_constant_feature(var, mean, seen)
        estimator.scale_ = _handle_zeros_in_scale(np.sqrt(var), copy=False, constant_mask=constant)
    else:
        estimator.var_ = None
        estimator.scale_ = None
    return estimator


def _save_min_max_scaler(estimator, w, n_features):
    _check_fitted(estimator, "scale_")
    d = int(estimator.n_features_in_)
    low, high = estimator.feature_range
    params = w.nested("params/")
    params.number("feature_range_min", low)
    params.number("feature_range_max", high)
    params.boolean("clip", estimator.clip)
    w.integer("n_features_in_", d)
    w.integer("n_samples_seen_", estimator.n_samples_seen_)
    for name in ("data_min_", "data_max_", "data_range_", "scale_", "min_"):
        w.floats(name, getattr(estimator, name), 1)
    return d


def _load_min_max_scaler(r, d):
    from sklearn.preprocessing import MinMaxScaler
    p = r.nested("params/")
    low, high = p.number("feature_range_min"), p.number("feature_range_max")
    p.require(low < high, "feature_range_max must be greater than feature_range_min")
    estimator = MinMaxScaler(feature_range=(low, high), clip=p.boolean("clip"))
    estimator.n_samples_seen_ = r.integer("n_samples_seen_")
    r.require(estimator.n_samples_seen_ >= 1, "n_samples_seen_ must be at least 1")
    for name in ("data_min_", "data_max_", "data_range_", "scale_", "min_"):
        setattr(estimator, name, r.floats(name, (d,)))
    return estimator


def _save_robust_scaler(estimator, w, n_features):
    _check_fitted(estimator, "n_features_in_")
    d = int(estimator.n_features_in_)
    low, high = estimator.quantile_range
    params = w.nested("params/")
    params.boolean("with_centering", estimator.with_centering)
    params.boolean("with_scaling", estimator.with_scaling)
    params.number("quantile_range_min", low)
    params.number("quantile_range_max", high)
    params.boolean("unit_variance", estimator.unit_variance)
    w.integer("n_features_in_", d)
    if estimator.with_centering:
        w.floats("center_", estimator.center_, 1)
    if estimator.with_scaling:
        w.floats("scale_", estimator.scale_, 1)
    return d


def _load_robust_scaler(r, d):
    from sklearn.preprocessing import RobustScaler
    p = r.nested("params/")
    low, high = p.number("quantile_range_min"), p.number("quantile_range_max")
    p.require(0 <= low <= high <= 100, "quantile_range must satisfy 0 <= min <= max <= 100")
    estimator = RobustScaler(with_centering=p.boolean("with_centering"), with_scaling=p.boolean("with_scaling"),
                             quantile_range=(low, high), unit_variance=p.boolean("unit_variance"))
    estimator.center_ = r.floats("center_", (d,)) if estimator.with_centering else None
    if estimator.with_scaling:
        estimator.scale_ = r.floats("scale_", (d,))
        r.require(np.all(estimator.scale_ > 0), "scale_ must be positive")
    else:
        estimator.scale_ = None
    return estimator


def _save_max_abs_scaler(estimator, w, n_features):
    _check_fitted(estimator, "scale_")
    d = int(estimator.n_features_in_)
    w.integer("n_features_in_", d)
    w.integer("n_samples_seen_", estimator.n_samples_seen_)
    w.floats("max_abs_", estimator.max_abs_, 1)
    w.floats("scale_", estimator.scale_, 1)
    return d


def _load_max_abs_scaler(r, d):
    from sklearn.preprocessing import MaxAbsScaler
    estimator = MaxAbsScaler()
    estimator.n_samples_seen_ = r.integer("n_samples_seen_")
    r.require(estimator.n_samples_seen_ >= 1, "n_samples_seen_ must be at least 1")
    estimator.max_abs_ = r.floats("max_abs_", (d,))
    estimator.scale_ = r.floats("scale_", (d,))
    r.require(np.all(estimator.max_abs_ >= 0), "max_abs_ must not be negative")
    r.require(np.all(estimator.scale_ > 0), "scale_ must be positive")
    return estimator


def _save_normalizer(estimator, w, n_features):
    _check_fitted(estimator, "n_features_in_")
    if estimator.norm not in ("l1", "l2", "max"):
        _refuse(estimator, f"norm={estimator.norm!r} is not supported: kestrel's is 'l1', 'l2' or 'max'")
    d = int(estimator.n_features_in_)
    w.nested("params/").text("norm", estimator.norm)
    w.integer("n_features_in_", d)
    return d


def _load_normalizer(r, d):
    from sklearn.preprocessing import Normalizer
    return Normalizer(norm=r.nested("params/").choice("norm", ("l1", "l2", "max")))


def _save_polynomial_features(estimator, w, n_features):
    _check_fitted(estimator, "n_output_features_")
    if isinstance(estimator.degree, numbers.Integral):
        low, high = 0, int(estimator.degree)
    else:
        low, high = (int(v) for v in estimator.degree)
    if getattr(estimator, "order", "C") not in ("C", "F"):
        _refuse(estimator, f"order={estimator.order!r} is not supported")
    d = int(estimator.n_features_in_)
    params = w.nested("params/")
    params.integer("min_degree", low, bits=32)
    params.integer("degree", high, bits=32)
    params.boolean("interaction_only", estimator.interaction_only)
    params.boolean("include_bias", estimator.include_bias)
    w.integer("n_features_in_", d)
    return int(estimator.n_output_features_)


def _load_polynomial_features(r, d):
    from sklearn.preprocessing import PolynomialFeatures
    p = r.nested("params/")
    low, high = p.integer("min_degree"), p.integer("degree")
    bias = p.boolean("include_bias")
    p.require(0 <= low <= high, "degree must satisfy 0 <= min_degree <= degree")
    p.require(high > 0 or bias, "degree 0 without include_bias gives no output")
    estimator = PolynomialFeatures(degree=high if low == 0 else (low, high),
                                   interaction_only=p.boolean("interaction_only"), include_bias=bias)
    # What fit records from X is its width.
    estimator.n_features_in_ = d
    estimator._min_degree, estimator._max_degree = low, high
    count = PolynomialFeatures._num_combinations
    estimator.n_output_features_ = count(d, low, high, estimator.interaction_only, bias)
    estimator._n_out_full = count(d, 0, high, estimator.interaction_only, bias)
    return estimator


def _code_param(params, name, value):
    """An OrdinalEncoder code: an integer, or NaN written as an absent param."""
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral) and np.isnan(value):
        params.absent(name)
    elif isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)):
        params.integer(name, int(value), bits=32)
    else:
        raise ConversionError(f"OrdinalEncoder's {name}={value!r} should be an integer or np.nan")


def _save_ordinal_encoder(estimator, w, n_features):
    _check_fitted(estimator, "categories_")
    if not (isinstance(estimator.categories, str) and estimator.categories == "auto"):
        _refuse(estimator, "categories given explicitly are not supported: kestrel's OrdinalEncoder infers them "
                "(categories='auto')")
    if np.dtype(estimator.dtype).kind != "f":
        _refuse(estimator, f"dtype={estimator.dtype!r} is not supported: kestrel's codes are floating point")
    d = int(estimator.n_features_in_)
    params = w.nested("params/")
    params.text("handle_unknown", estimator.handle_unknown)
    if estimator.handle_unknown == "use_encoded_value":
        _code_param(params, "unknown_value", estimator.unknown_value)
    else:
        params.absent("unknown_value")
    _code_param(params, "encoded_missing_value", estimator.encoded_missing_value)
    w.integer("n_features_in_", d)
    has_missing = []
    for j, categories in enumerate(estimator.categories_):
        categories = np.asarray(categories, dtype=np.float64)
        missing = categories.size > 0 and np.isnan(categories[-1])
        values = _integral(f"OrdinalEncoder.categories_[{j}]", categories[:-1] if missing else categories, bits=32)
        if np.any(np.diff(values) <= 0):
            _refuse(estimator, f"categories_[{j}] should be sorted and distinct")
        w.integers(f"categories_/{j}", values, bits=32)
        has_missing.append(1 if missing else 0)
    w.integers("has_missing_", np.array(has_missing, dtype=np.int64), bits=32)
    return d


def _load_ordinal_encoder(r, d):
    from sklearn.preprocessing import OrdinalEncoder
    p = r.nested("params/")
    handle_unknown = p.choice("handle_unknown", ("error", "use_encoded_value"))
    unknown = np.nan if p.is_absent("unknown_value") else p.integer("unknown_value")
    if handle_unknown == "error":
        p.require(p.is_absent("unknown_value"), "unknown_value may only be set under handle_unknown='use_encoded_value'")
        unknown = None
    missing_code = np.nan if p.is_absent("encoded_missing_value") else p.integer("encoded_missing_value")
    estimator = OrdinalEncoder(handle_unknown=handle_unknown, unknown_value=unknown,
                               encoded_missing_value=missing_code)
    categories = [r.integers(f"categories_/{j}", sorted_distinct=True) for j in range(d)]
    has_missing = r.integers("has_missing_", size=d)
    estimator.categories_ = []
    estimator._missing_indices = {}
    for j, (cats, missing) in enumerate(zip(categories, has_missing)):
        r.require(missing in (0, 1), "has_missing_ holds a value that is not 0 or 1")
        used = cats.size + missing
        r.require(used >= 1, "a feature has no categories")
        r.require(not (handle_unknown == "use_encoded_value" and not np.isnan(unknown) and 0 <= unknown < used),
                  "unknown_value is the code of a category")
        r.require(not (missing and not np.isnan(missing_code) and 0 <= missing_code < used),
                  "encoded_missing_value is the code of a category")
        values = cats.astype(np.float64)
        if missing:
            estimator._missing_indices[j] = int(cats.size)
            values = np.append(values, np.nan)
        estimator.categories_.append(values)
    estimator.n_features_in_ = d
    estimator._infrequent_enabled = False
    return estimator


def _save_simple_imputer(estimator, w, n_features):
    _check_fitted(estimator, "statistics_")
    missing = estimator.missing_values
    missing_is_nan = isinstance(missing, numbers.Real) and not isinstance(missing, (bool, np.bool_)) and \
        np.isnan(missing)
    if not missing_is_nan and (isinstance(missing, (bool, np.bool_)) or not isinstance(missing, numbers.Real)):
        _refuse(estimator, f"missing_values={missing!r} is not supported: kestrel's is NaN or a number")
    if np.dtype(estimator._fit_dtype) != np.float64:
        _refuse(estimator, f"it was fitted on {np.dtype(estimator._fit_dtype)} data; this converter handles "
                "SimpleImputers fitted on float64 data only")
    fill = estimator.fill_value
    if fill is not None and (isinstance(fill, (bool, np.bool_)) or not isinstance(fill, numbers.Real)):
        _refuse(estimator, f"fill_value={fill!r} is not supported: kestrel's is a number")
    d = int(estimator.n_features_in_)
    params = w.nested("params/")
    if missing_is_nan:
        params.absent("missing_values")
    else:
        params.number("missing_values", missing)
    params.text("strategy", estimator.strategy)
    if fill is None:
        params.absent("fill_value")
    else:
        params.number("fill_value", fill)
    params.boolean("add_indicator", estimator.add_indicator)
    params.boolean("keep_empty_features", estimator.keep_empty_features)
    w.integer("n_features_in_", d)
    statistics = np.asarray(estimator.statistics_, dtype=np.float64)
    empty = np.flatnonzero(np.isnan(statistics))
    # kestrel's model file keeps every number finite: a dropped feature's NaN is stored as 0 and
    # the feature listed in _empty_features.
    w.floats("statistics_", np.where(np.isnan(statistics), 0.0, statistics), 1)
    w.integers("_empty_features", empty, bits=32)
    width = d - empty.size
    if estimator.add_indicator:
        features = np.asarray(estimator.indicator_.features_)
        w.integers("indicator_features_", features, bits=32)
        width += features.size
    return width


def _load_simple_imputer(r, d):
    from sklearn.impute import MissingIndicator, SimpleImputer
    p = r.nested("params/")
    missing = np.nan if p.is_absent("missing_values") else p.number("missing_values")
    strategy = p.choice("strategy", ("mean", "median", "most_frequent", "constant"))
    fill = None if p.is_absent("fill_value") else p.number("fill_value")
    add_indicator = p.boolean("add_indicator")
    keep_empty = p.boolean("keep_empty_features")
    estimator = SimpleImputer(missing_values=missing, strategy=strategy, fill_value=fill, add_indicator=add_indicator,
                              keep_empty_features=keep_empty)
    statistics = r.floats("statistics_", (d,))
    empty = r.integers("_empty_features", sorted_distinct=True)
    r.require(empty.size == 0 or (strategy != "constant" and not keep_empty),
              "_empty_features must be empty under strategy constant or keep_empty_features")
    r.require(np.all((0 <= empty) & (empty < d)), "_empty_features must lie in [0, n_features_in_)")
    statistics[empty] = np.nan
    estimator.statistics_ = statistics
    estimator._fit_dtype = np.dtype(np.float64)
    if add_indicator:
        features = r.integers("indicator_features_", sorted_distinct=True)
        r.require(np.all((0 <= features) & (features < d)), "indicator_features_ must lie in [0, n_features_in_)")
        r.require(np.all(np.isin(empty, features)), "every feature in _empty_features must be in indicator_features_")
        indicator = MissingIndicator(missing_values=missing, error_on_new=False)
        indicator.features_ = features.astype(np.intp)
        indicator._n_features = d
        indicator._precomputed = True
        estimator.indicator_ = indicator
    else:
        estimator.indicator_ = None
    return estimator


def _save_one_hot_encoder(estimator, w, n_features):
    _check_fitted(estimator, "categories_")
    if not (isinstance(estimator.categories, str) and estimator.categories == "auto"):
        _refuse(estimator, "categories given explicitly are not supported: kestrel's OneHotEncoder infers them "
                "(categories='auto')")
    if getattr(estimator, "_infrequent_enabled", False):
        _refuse(estimator, "min_frequency and max_categories (infrequent categories) are not supported")
    drop = estimator.drop
    if drop is None:
        drop = "none"
    elif not (isinstance(drop, str) and drop in ("first", "if_binary")):
        _refuse(estimator, "drop given per feature is not supported: kestrel's drop is None, 'first' or 'if_binary'")
    if estimator.handle_unknown not in ("error", "ignore"):
        _refuse(estimator, f"handle_unknown={estimator.handle_unknown!r} is not supported: kestrel's is 'error' or "
                "'ignore'")
    d = int(estimator.n_features_in_)
    params = w.nested("params/")
    params.text("drop", drop)
    params.text("handle_unknown", estimator.handle_unknown)
    w.integer("n_features_in_", d)
    width = 0
    drop_idx = []
    for j, categories in enumerate(estimator.categories_):
        values = _integral(f"OneHotEncoder.categories_[{j}]", np.asarray(categories), bits=32)
        if values.size == 0 or np.any(np.diff(values) <= 0):
            _refuse(estimator, f"categories_[{j}] should be sorted, distinct and not empty")
        w.integers(f"categories_/{j}", values, bits=32)
        index = None if estimator.drop_idx_ is None else estimator.drop_idx_[j]
        drop_idx.append(-1 if index is None else int(index))
        width += values.size - (0 if index is None else 1)
    w.integers("drop_idx_", np.array(drop_idx, dtype=np.int64), bits=32)
    return width


def _load_one_hot_encoder(r, d):
    from sklearn.preprocessing import OneHotEncoder
    p = r.nested("params/")
    drop = p.choice("drop", ("none", "first", "if_binary"))
    estimator = OneHotEncoder(drop=None if drop == "none" else drop,
                              handle_unknown=p.choice("handle_unknown", ("error", "ignore")), sparse_output=False)
    categories = [r.integers(f"categories_/{j}", sorted_distinct=True) for j in range(d)]
    drop_idx = r.integers("drop_idx_", size=d)
    for cats, index in zip(categories, drop_idx):
        r.require(cats.size >= 1, "a feature has no categories")
        r.require(-1 <= index < cats.size, "drop_idx_ lies outside its categories")
    estimator.categories_ = [cats.astype(np.float64) for cats in categories]
    if drop == "none" and np.all(drop_idx == -1):
        estimator.drop_idx_ = None
    else:
        estimator.drop_idx_ = np.array([None if i < 0 else int(i) for i in drop_idx], dtype=object)
    estimator._infrequent_enabled = False
    estimator._n_features_outs = [int(cats.size - (1 if i >= 0 else 0)) for cats, i in zip(categories, drop_idx)]
    return estimator


def _save_dummy_classifier(estimator, w, n_features):
    _check_fitted(estimator, "classes_")
    if getattr(estimator, "n_outputs_", 1) != 1:
        _refuse(estimator, "only single-output models are converted")
    d = getattr(estimator, "n_features_in_", None)
    if d is None:
        d = n_features
    if d is None:
        _refuse(estimator, "scikit-learn's DummyClassifier does not record its feature count, which kestrel's "
                "needs: pass n_features_in (--n-features-in) or convert it in its Pipeline")
    strategy = estimator.strategy
    if strategy not in ("most_frequent", "prior", "stratified", "uniform", "constant"):
        _refuse(estimator, f"strategy={strategy!r} is not supported")
    classes = _classes_to_kestrel(estimator, estimator.classes_)
    prior = np.asarray(estimator.class_prior_)
    constant = estimator.constant
    constant_index = 0
    if strategy == "constant":
        constant = int(_integral("DummyClassifier.constant", np.ravel([constant]), bits=32)[0])
        found = np.flatnonzero(classes == constant)
        if found.size != 1:
            _refuse(estimator, f"constant={constant} is not one of classes_")
        constant_index = int(found[0])
    elif constant is not None:
        try:
            constant = int(_integral("DummyClassifier.constant", np.ravel([constant]), bits=32)[0])
        except ConversionError:
            constant = None  # unused by this strategy, and not an integer label kestrel could hold
    params = w.nested("params/")
    params.text("strategy", strategy)
    params.seed("random_state", estimator.random_state)
    if constant is None:
        params.absent("constant")
    else:
        params.integer("constant", constant, bits=32)
    w.integer("n_features_in_", d)
    w.integers("classes_", classes, bits=32)
    w.floats("class_prior_", prior, 1)
    w.integer("_most_frequent", int(np.argmax(prior)))
    w.integer("_constant_index", constant_index)
    return None


def _load_dummy_classifier(r, d):
    from sklearn.dummy import DummyClassifier
    p = r.nested("params/")
    strategy = p.choice("strategy", ("most_frequent", "prior", "stratified", "uniform", "constant"))
    constant = p.optional_integer("constant")
    p.require(strategy != "constant" or constant is not None, "constant must be set when strategy is constant")
    estimator = DummyClassifier(strategy=strategy, random_state=_int_seed(p.seed("random_state")), constant=constant)
    classes = r.integers("classes_", sorted_distinct=True)
    K = classes.shape[0]
    r.require(K >= 1, "classes_ is empty")
    prior = r.floats("class_prior_", (K,))
    most_frequent, constant_index = r.integer("_most_frequent"), r.integer("_constant_index")
    r.require(0 <= most_frequent < K and 0 <= constant_index < K, "a class index lies outside classes_")
    estimator._strategy = strategy
    estimator.sparse_output_ = False
    estimator.n_outputs_ = 1
    estimator.classes_ = classes
    estimator.n_classes_ = K
    estimator.class_prior_ = prior
    return estimator


def _svm_check(estimator):
    """Refuses libsvm estimators kestrel cannot hold; returns their kernel name."""
    _check_fitted(estimator, "support_vectors_")
    kernel = estimator.kernel
    if callable(kernel):
        _refuse(estimator, "a callable kernel is not supported: kestrel's kernels are 'linear', 'poly', 'rbf' and "
                "'sigmoid'")
    if kernel not in ("linear", "poly", "rbf", "sigmoid"):
        _refuse(estimator, f"kernel={kernel!r} is not supported yet: kestrel's kernels are 'linear', 'poly', 'rbf' "
                "and 'sigmoid'")
    if estimator._sparse:
        _refuse(estimator, "it was fitted on sparse data, which kestrel's SVMs do not take; refit on a dense array")
    return kernel


def _write_gamma(params, gamma):
    """gamma as its name ('scale', 'auto') or as a number."""
    if isinstance(gamma, str):
        if gamma not in ("scale", "auto"):
            raise ConversionError(f"gamma={gamma!r} is not supported")
        params.text("gamma", gamma)
    else:
        params.number("gamma", gamma)


def _read_gamma(p):
    if p.kind("gamma") == "U":
        return p.choice("gamma", ("scale", "auto"))
    gamma = p.number("gamma")
    p.require(gamma > 0, "gamma must be > 0, 'scale' or 'auto'")
    return gamma


def _write_svm_state(estimator, w, n_sv_rows):
    """support_, support_vectors_ and the solver's members shared by SVC and SVR."""
    d = estimator.n_features_in_
    support_vectors = np.asarray(estimator.support_vectors_)
    n_sv = support_vectors.shape[0]
    if support_vectors.shape != (n_sv, d) or np.asarray(estimator.support_).shape != (n_sv,):
        _refuse(estimator, f"support_vectors_ has shape {support_vectors.shape}, expected (n_SV, {d}) with one "
                "support_ index a row")
    w.integers("support_", estimator.support_, bits=32)
    w.floats("support_vectors_", support_vectors, 2)
    dual_coef = np.asarray(estimator.dual_coef_)
    if dual_coef.shape != (n_sv_rows, n_sv):
        _refuse(estimator, f"dual_coef_ has shape {dual_coef.shape}, expected {(n_sv_rows, n_sv)}")
    w.floats("dual_coef_", dual_coef, 2)
    w.floats("intercept_", np.asarray(estimator.intercept_, dtype=np.float64).ravel(), 1)
    w.integer("fit_status_", estimator.fit_status_, bits=32)
    shape_fit = tuple(int(v) for v in estimator.shape_fit_)
    if len(shape_fit) != 2 or shape_fit[1] != d or shape_fit[0] < 1:
        _refuse(estimator, f"shape_fit_ = {estimator.shape_fit_}, expected (n_samples, {d})")
    w.integers("shape_fit_", np.array(shape_fit), bits=64)
    w.number("_gamma", estimator._gamma)
    if not estimator._gamma > 0:
        _refuse(estimator, f"_gamma = {estimator._gamma} should be > 0")
    return n_sv


def _read_svm_state(r, estimator, d, n_sv, rows, n_support, num_iter):
    """The fitted members scikit-learn's libsvm estimators predict with. scikit-learn's own
    internal _dual_coef_ and _intercept_ are libsvm's, which for two classes of SVC have the
    opposite signs of the public dual_coef_ and intercept_."""
    support = r.integers("support_", n_sv)
    r.require(np.all(support >= 0), "support_ holds a negative index")
    estimator.support_ = support.astype(np.int32)
    estimator.support_vectors_ = r.floats("support_vectors_", (n_sv, d))
    estimator.dual_coef_ = r.floats("dual_coef_", (rows, n_sv))
    estimator.intercept_ = r.floats("intercept_", (None,))
    estimator._gamma = r.number("_gamma")
    r.require(estimator._gamma > 0, "_gamma must be > 0")
    estimator.fit_status_ = r.integer("fit_status_")
    r.require(estimator.fit_status_ in (0, 1), "fit_status_ must be 0 or 1")
    shape_fit = r.integers("shape_fit_", 2)
    r.require(shape_fit[0] >= 1 and shape_fit[1] == d, f"shape_fit_ must be (n_samples >= 1, {d})")
    estimator.shape_fit_ = (int(shape_fit[0]), int(shape_fit[1]))
    estimator._n_support = np.asarray(n_support, dtype=np.int32)
    estimator._num_iter = np.asarray(num_iter, dtype=np.int32)
    estimator._probA = np.empty(0, dtype=np.float64)
    estimator._probB = np.empty(0, dtype=np.float64)
    estimator._sparse = False
    estimator._intercept_ = estimator.intercept_.copy()
    estimator._dual_coef_ = estimator.dual_coef_


def _save_svc(estimator, w, n_features):
    kernel = _svm_check(estimator)
    name = type(estimator).__name__
    if estimator.random_state is not None and not isinstance(estimator.random_state, numbers.Integral):
        warnings.warn(f"{name}.random_state is a RandomState instance, which has no seed; kestrel's default seed 0 "
                      "is recorded (it seeds probability=True only)")
    classes = _classes_to_kestrel(estimator, estimator.classes_)
    K = classes.shape[0]
    params = w.nested("params/")
    if name == "NuSVC":
        params.number("nu", estimator.nu)
    else:
        params.number("C", estimator.C)
    params.text("kernel", kernel)
    params.integer("degree", estimator.degree, bits=32)
    _write_gamma(params, estimator.gamma)
    params.number("coef0", estimator.coef0)
    params.boolean("shrinking", estimator.shrinking)
    params.boolean("probability", estimator.probability)
    params.number("tol", estimator.tol)
    params.number("cache_size", estimator.cache_size)
    _write_class_weight(estimator, params)
    params.integer("max_iter", estimator.max_iter, bits=32)
    params.text("decision_function_shape", estimator.decision_function_shape)
    params.boolean("break_ties", estimator.break_ties)
    random_state = estimator.random_state
    params.seed("random_state", random_state if isinstance(random_state, numbers.Integral) else None)
    params.integer("n_jobs", 0, bits=32)
    w.integer("n_features_in_", estimator.n_features_in_)
    w.integers("classes_", classes, bits=32)
    w.floats("class_weight_", np.asarray(estimator.class_weight_, dtype=np.float64), 1)
    n_pairs = K * (K - 1) // 2
    probA, probB = np.asarray(estimator.probA_, dtype=np.float64), np.asarray(estimator.probB_, dtype=np.float64)
    expected = (n_pairs,) if estimator.probability else (0,)
    if probA.shape != expected or probB.shape != expected:
        _refuse(estimator, f"probA_ and probB_ have shapes {probA.shape} and {probB.shape}, expected {expected}")
    w.floats("probA_", probA, 1)
    w.floats("probB_", probB, 1)
    n_support = np.asarray(estimator._n_support)
    if n_support.shape != (K,) or np.any(n_support < 1):
        _refuse(estimator, f"_n_support = {n_support} should hold a positive count for each of the {K} classes")
    w.integers("_n_support", n_support, bits=32)
    n_sv = _write_svm_state(estimator, w, K - 1)
    if int(n_support.sum()) != n_sv:
        _refuse(estimator, f"_n_support sums to {int(n_support.sum())}, but there are {n_sv} support vectors")
    if np.asarray(estimator.intercept_).shape != (K * (K - 1) // 2,):
        _refuse(estimator, f"intercept_ has shape {np.shape(estimator.intercept_)}, expected ({K * (K - 1) // 2},)")
    w.integers("n_iter_", np.ravel(estimator.n_iter_), bits=32)
    return None


def _load_svc(r, d, name="SVC"):
    from sklearn.svm import SVC, NuSVC
    p = r.nested("params/")
    first = dict(nu=p.number("nu")) if name == "NuSVC" else dict(C=p.number("C"))
    estimator = (NuSVC if name == "NuSVC" else SVC)(
        **first, kernel=p.choice("kernel", ("linear", "poly", "rbf", "sigmoid")),
        degree=p.integer("degree"), gamma=_read_gamma(p), coef0=p.number("coef0"),
        shrinking=p.boolean("shrinking"), probability=p.boolean("probability"), tol=p.number("tol"),
        cache_size=p.number("cache_size"), class_weight=_read_class_weight(p),
        max_iter=p.integer("max_iter"),
        decision_function_shape=p.choice("decision_function_shape", ("ovr", "ovo")),
        break_ties=p.boolean("break_ties"), random_state=_int_seed(p.seed("random_state")))
    p.integer("n_jobs")
    classes = r.integers("classes_", sorted_distinct=True)
    K = classes.shape[0]
    r.require(K >= 2, "classes_ must hold at least two classes")
    class_weight = r.floats("class_weight_", (K,))
    r.require(np.all(np.isfinite(class_weight)) and np.all(class_weight >= 0),
              "class_weight_ must hold finite weights >= 0")
    n_support = r.integers("_n_support", K)
    r.require(np.all(n_support >= 1), "_n_support holds a class without support vectors")
    n_pairs = K * (K - 1) // 2
    n_iter = r.integers("n_iter_", n_pairs)
    _read_svm_state(r, estimator, d, int(n_support.sum()), K - 1, n_support, n_iter)
    r.require(estimator.intercept_.shape == (n_pairs,), f"intercept_ should hold {n_pairs} entries")
    estimator.classes_ = classes
    estimator.n_iter_ = estimator._num_iter
    estimator.class_weight_ = class_weight
    size = n_pairs if estimator.probability else 0
    estimator._probA = r.floats("probA_", (size,))
    estimator._probB = r.floats("probB_", (size,))
    if K == 2:
        estimator._intercept_ = -estimator.intercept_
        estimator._dual_coef_ = -estimator.dual_coef_
    return estimator


# The parameters of SVR, NuSVR and OneClassSVM, in scikit-learn's order: (name, kind).
_SINGLE_SVM_PARAMS = {
    "SVR": ["kernel", "degree", "gamma", "coef0", "tol", "C", "epsilon", "shrinking", "cache_size", "max_iter"],
    "NuSVR": ["nu", "C", "kernel", "degree", "gamma", "coef0", "shrinking", "tol", "cache_size", "max_iter"],
    "OneClassSVM": ["kernel", "degree", "gamma", "coef0", "tol", "nu", "shrinking", "cache_size", "max_iter"],
}


def _save_svr(estimator, w, n_features):
    kernel = _svm_check(estimator)
    name = type(estimator).__name__
    params = w.nested("params/")
    for field in _SINGLE_SVM_PARAMS[name]:
        if field == "kernel":
            params.text("kernel", kernel)
        elif field == "gamma":
            _write_gamma(params, estimator.gamma)
        elif field in ("degree", "max_iter"):
            params.integer(field, getattr(estimator, field), bits=32)
        elif field == "shrinking":
            params.boolean("shrinking", estimator.shrinking)
        else:
            params.number(field, getattr(estimator, field))
    params.integer("n_jobs", 0, bits=32)
    w.integer("n_features_in_", estimator.n_features_in_)
    _write_svm_state(estimator, w, 1)
    if np.asarray(estimator.intercept_).shape != (1,):
        _refuse(estimator, f"intercept_ has shape {np.shape(estimator.intercept_)}, expected (1,)")
    w.integer("n_iter_", int(np.ravel(estimator.n_iter_)[0]), bits=32)
    if name == "OneClassSVM":
        w.number("offset_", float(np.ravel(estimator.offset_)[0]))
    return None


def _load_svr(r, d, name="SVR"):
    from sklearn.svm import SVR, NuSVR, OneClassSVM
    p = r.nested("params/")
    kwargs = {}
    for field in _SINGLE_SVM_PARAMS[name]:
        if field == "kernel":
            kwargs[field] = p.choice("kernel", ("linear", "poly", "rbf", "sigmoid"))
        elif field == "gamma":
            kwargs[field] = _read_gamma(p)
        elif field in ("degree", "max_iter"):
            kwargs[field] = p.integer(field)
        elif field == "shrinking":
            kwargs[field] = p.boolean(field)
        else:
            kwargs[field] = p.number(field)
    estimator = {"SVR": SVR, "NuSVR": NuSVR, "OneClassSVM": OneClassSVM}[name](**kwargs)
    p.integer("n_jobs")
    support = r.integers("support_")
    n_sv = support.shape[0]
    n_iter = r.integer("n_iter_")
    # libsvm reports a regression's support vector count twice.
    _read_svm_state(r, estimator, d, n_sv, 1, [n_sv, n_sv], [n_iter])
    r.require(estimator.intercept_.shape == (1,), "intercept_ should hold 1 entry")
    estimator.n_iter_ = n_iter
    if name == "OneClassSVM":
        estimator.offset_ = np.array([r.number("offset_")])
        r.require(estimator.offset_[0] == -estimator.intercept_[0], "offset_ must be -intercept_[0]")
    return estimator

def _linear_svm_intercept(estimator, rows):
    """kestrel's intercept_, one value a row of coef_: scikit-learn's 0.0 without fit_intercept
    becomes zeros."""
    intercept = np.asarray(estimator.intercept_, dtype=np.float64)
    if intercept.ndim == 0:
        intercept = np.full(rows, float(intercept))
    if intercept.shape != (rows,):
        _refuse(estimator, f"intercept_ has shape {intercept.shape}, expected ({rows},)")
    return intercept


def _load_linear_svm_intercept(estimator, intercept):
    """scikit-learn's intercept_ for kestrel's: 0.0 without fit_intercept (kestrel's zeros), else
    the array."""
    if not estimator.fit_intercept and np.all(intercept == 0):
        return 0.0
    return intercept


def _save_linear_svc(estimator, w, n_features):
    _check_fitted(estimator, "coef_")
    classes = _classes_to_kestrel(estimator, estimator.classes_)
    K = classes.shape[0]
    if K < 2:
        _refuse(estimator, "classes_ must hold at least two classes")
    for name, allowed in (("penalty", ("l1", "l2")), ("loss", ("hinge", "squared_hinge")),
                          ("multi_class", ("ovr", "crammer_singer"))):
        if getattr(estimator, name) not in allowed:
            _refuse(estimator, f"{name}={getattr(estimator, name)!r} is not supported: kestrel's is "
                    f"{' or '.join(repr(a) for a in allowed)}")
    params = w.nested("params/")
    params.text("penalty", estimator.penalty)
    params.text("loss", estimator.loss)
    params.boolean("dual", estimator.dual)
    params.number("tol", estimator.tol)
    params.number("C", estimator.C)
    params.text("multi_class", estimator.multi_class)
    params.boolean("fit_intercept", estimator.fit_intercept)
    params.number("intercept_scaling", estimator.intercept_scaling)
    _write_class_weight(estimator, params)
    params.seed("random_state", estimator.random_state)
    params.integer("max_iter", estimator.max_iter, bits=32)
    d = int(estimator.n_features_in_)
    w.integer("n_features_in_", d)
    w.integers("classes_", classes, bits=32)
    rows = K if K > 2 else 1
    coef = np.asarray(estimator.coef_)
    if coef.shape != (rows, d):
        _refuse(estimator, f"coef_ has shape {coef.shape}, expected {(rows, d)}")
    w.floats("coef_", coef, 2)
    w.floats("intercept_", _linear_svm_intercept(estimator, rows), 1)
    w.integer("n_iter_", int(np.max(estimator.n_iter_)), bits=32)
    return None


def _load_linear_svc(r, d):
    from sklearn.svm import LinearSVC
    p = r.nested("params/")
    estimator = LinearSVC(penalty=p.choice("penalty", ("l1", "l2")), loss=p.choice("loss", ("hinge", "squared_hinge")),
                          dual=p.boolean("dual"), tol=p.number("tol"), C=p.number("C"),
                          multi_class=p.choice("multi_class", ("ovr", "crammer_singer")),
                          fit_intercept=p.boolean("fit_intercept"), intercept_scaling=p.number("intercept_scaling"),
                          class_weight=_read_class_weight(p), random_state=_int_seed(p.seed("random_state")),
                          max_iter=p.integer("max_iter"))
    classes = r.integers("classes_", sorted_distinct=True)
    K = classes.shape[0]
    r.require(K >= 2, "classes_ must hold at least two classes")
    rows = K if K > 2 else 1
    estimator.classes_ = classes
    estimator.coef_ = r.floats("coef_", (rows, d))
    estimator.intercept_ = _load_linear_svm_intercept(estimator, r.floats("intercept_", (rows,)))
    estimator.n_iter_ = r.integer("n_iter_")
    r.require(estimator.n_iter_ >= 0, "n_iter_ must be >= 0")
    return estimator


def _save_linear_svr(estimator, w, n_features):
    _check_fitted(estimator, "coef_")
    if not estimator.epsilon >= 0:
        _refuse(estimator, f"epsilon={estimator.epsilon} is negative; kestrel's LinearSVR takes epsilon >= 0")
    if estimator.loss not in ("epsilon_insensitive", "squared_epsilon_insensitive"):
        _refuse(estimator, f"loss={estimator.loss!r} is not supported: kestrel's is 'epsilon_insensitive' or "
                "'squared_epsilon_insensitive'")
    params = w.nested("params/")
    params.number("epsilon", estimator.epsilon)
    params.number("tol", estimator.tol)
    params.number("C", estimator.C)
    params.text("loss", estimator.loss)
    params.boolean("fit_intercept", estimator.fit_intercept)
    params.number("intercept_scaling", estimator.intercept_scaling)
    params.boolean("dual", estimator.dual)
    params.seed("random_state", estimator.random_state)
    params.integer("max_iter", estimator.max_iter, bits=32)
    d = int(estimator.n_features_in_)
    w.integer("n_features_in_", d)
    coef = np.asarray(estimator.coef_)
    if coef.shape != (d,):
        _refuse(estimator, f"coef_ has shape {coef.shape}, expected ({d},)")
    w.floats("coef_", coef, 1)
    w.number("intercept_", _linear_svm_intercept(estimator, 1)[0])
    w.integer("n_iter_", int(np.max(estimator.n_iter_)), bits=32)
    return None


def _load_linear_svr(r, d):
    from sklearn.svm import LinearSVR
    p = r.nested("params/")
    estimator = LinearSVR(epsilon=p.number("epsilon"), tol=p.number("tol"), C=p.number("C"),
                          loss=p.choice("loss", ("epsilon_insensitive", "squared_epsilon_insensitive")),
                          fit_intercept=p.boolean("fit_intercept"), intercept_scaling=p.number("intercept_scaling"),
                          dual=p.boolean("dual"), random_state=_int_seed(p.seed("random_state")),
                          max_iter=p.integer("max_iter"))
    estimator.coef_ = r.floats("coef_", (d,))
    estimator.intercept_ = _load_linear_svm_intercept(estimator, np.array([r.number("intercept_")]))
    estimator.n_iter_ = r.integer("n_iter_")
    r.require(estimator.n_iter_ >= 0, "n_iter_ must be >= 0")
    return estimator


# ---------------------------------------------------------------------------------------------
# Trees and forests

_TREE_CLASSIFIERS = ("DecisionTreeClassifier", "ExtraTreeClassifier")
_TREE_REGRESSORS = ("DecisionTreeRegressor", "ExtraTreeRegressor")
_FOREST_CLASSIFIERS = ("RandomForestClassifier", "ExtraTreesClassifier")
_FOREST_REGRESSORS = ("RandomForestRegressor", "ExtraTreesRegressor")
_CLASSIFICATION_CRITERIA = ("gini", "entropy", "log_loss")
_REGRESSION_CRITERIA = ("squared_error", "friedman_mse", "absolute_error", "poisson")


def _is_tree_classifier(name):
    return name in _TREE_CLASSIFIERS or name in _FOREST_CLASSIFIERS


def _write_tree_params(estimator, params, forest):
    """The hyperparameters of a tree or a forest, in kestrel's Params order; kestrel's max_bins
    is 0 (scikit-learn's exact splits)."""
    name = type(estimator).__name__
    classifier = _is_tree_classifier(name)
    criteria = _CLASSIFICATION_CRITERIA if classifier else _REGRESSION_CRITERIA
    if estimator.criterion not in criteria:
        _refuse(estimator, f"criterion={estimator.criterion!r} is not supported: kestrel's is one of "
                f"{', '.join(repr(c) for c in criteria)}")

    def optional_count(field):
        value = getattr(estimator, field)
        if value is None:
            params.absent(field)
        else:
            params.integer(field, value, bits=32)

    def size(field, optional=False):
        value = getattr(estimator, field)
        if value is None and optional:
            params.absent(field)
        elif isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)):
            params.integer(field, value, bits=32)
        else:
            params.number(field, value)

    def max_features():
        value = estimator.max_features
        if isinstance(value, str) and value == "auto":  # scikit-learn 1.2's deprecated 'auto'
            value = "sqrt" if classifier else 1.0
        if value is None:
            params.absent("max_features")
        elif isinstance(value, str):
            if value not in ("sqrt", "log2"):
                _refuse(estimator, f"max_features={value!r} is not supported")
            params.text("max_features", value)
        else:
            size("max_features")

    def class_weight():
        if isinstance(estimator.class_weight, str) and estimator.class_weight == "balanced_subsample":
            _refuse(estimator, "class_weight='balanced_subsample' is not supported: kestrel's forests weigh the "
                    "classes over the whole training set (None, 'balanced' or a dict), not per bootstrap sample")
        if isinstance(estimator.class_weight, (list, tuple)):
            _refuse(estimator, "class_weight as a list (one per output) is not supported: kestrel's trees have one "
                    "output")
        _write_class_weight(estimator, params)

    if forest:
        params.integer("n_estimators", estimator.n_estimators, bits=32)
    params.text("criterion", estimator.criterion)
    if not forest:
        if estimator.splitter not in ("best", "random"):
            _refuse(estimator, f"splitter={estimator.splitter!r} is not supported")
        params.text("splitter", estimator.splitter)
    optional_count("max_depth")
    size("min_samples_split")
    size("min_samples_leaf")
    params.number("min_weight_fraction_leaf", estimator.min_weight_fraction_leaf)
    max_features()
    if not forest:
        params.seed("random_state", estimator.random_state)
    optional_count("max_leaf_nodes")
    params.number("min_impurity_decrease", estimator.min_impurity_decrease)
    if forest:
        if not isinstance(estimator.oob_score, (bool, np.bool_)):
            _refuse(estimator, f"oob_score={estimator.oob_score!r} is not supported: kestrel's is True or False")
        params.boolean("bootstrap", estimator.bootstrap)
        params.boolean("oob_score", estimator.oob_score)
        params.integer("n_jobs", _n_jobs_to_kestrel(estimator.n_jobs), bits=32)
        params.seed("random_state", estimator.random_state)
        params.boolean("warm_start", estimator.warm_start)
    if classifier:
        class_weight()
    params.number("ccp_alpha", estimator.ccp_alpha)
    if forest:
        size("max_samples", optional=True)
    # scikit-learn 1.4's monotonic_cst (before 1.4: none).
    constraints = getattr(estimator, "monotonic_cst", None)
    params.integers("monotonic_cst", np.asarray([] if constraints is None else constraints, dtype=np.int64), bits=32)
    params.integer("max_bins", 0, bits=32)


def _read_tree_params(p, name, forest):
    """The keyword arguments of a scikit-learn tree or forest from kestrel's params; max_bins is
    read and dropped (scikit-learn's thresholds work however kestrel found them)."""
    classifier = _is_tree_classifier(name)

    def optional_count(field):
        value = p.optional_integer(field)
        p.require(value is None or value >= 1, f"params/{field} must be >= 1 or None")
        return value

    def size(field, optional=False):
        if optional and p.is_absent(field):
            return None
        return p.integer(field) if p.kind(field) == "i" else p.number(field)

    def max_features():
        if p.is_absent("max_features"):
            return None
        if p.kind("max_features") == "U":
            return p.choice("max_features", ("sqrt", "log2"))
        return size("max_features")

    kwargs = {}
    if forest:
        kwargs["n_estimators"] = p.integer("n_estimators")
        p.require(kwargs["n_estimators"] >= 1, "n_estimators must be >= 1")
    kwargs["criterion"] = p.choice("criterion", _CLASSIFICATION_CRITERIA if classifier else _REGRESSION_CRITERIA)
    if not forest:
        kwargs["splitter"] = p.choice("splitter", ("best", "random"))
    kwargs["max_depth"] = optional_count("max_depth")
    kwargs["min_samples_split"] = size("min_samples_split")
    kwargs["min_samples_leaf"] = size("min_samples_leaf")
    kwargs["min_weight_fraction_leaf"] = p.number("min_weight_fraction_leaf")
    kwargs["max_features"] = max_features()
    if not forest:
        kwargs["random_state"] = _int_seed(p.seed("random_state"))
    kwargs["max_leaf_nodes"] = optional_count("max_leaf_nodes")
    kwargs["min_impurity_decrease"] = p.number("min_impurity_decrease")
    if forest:
        kwargs["bootstrap"] = p.boolean("bootstrap")
        kwargs["oob_score"] = p.boolean("oob_score")
        kwargs["n_jobs"] = _n_jobs_from_kestrel(p.integer("n_jobs"))
        kwargs["random_state"] = _int_seed(p.seed("random_state"))
        kwargs["warm_start"] = p.boolean("warm_start")
    if classifier:
        kwargs["class_weight"] = _read_class_weight(p)
    kwargs["ccp_alpha"] = p.number("ccp_alpha")
    if forest:
        kwargs["max_samples"] = size("max_samples", optional=True)
    # monotonic_cst: absent from files written before kestrel had it; scikit-learn has it from 1.4.
    constraints = [int(c) for c in p.integers("monotonic_cst")] if p.has("monotonic_cst") else []
    p.require(all(c in (-1, 0, 1) for c in constraints), "params/monotonic_cst must hold only -1, 0 and 1")
    if any(c != 0 for c in constraints):
        if "monotonic_cst" not in _tree_class(name)().get_params():
            import sklearn
            raise ConversionError(f"{name} has monotonic_cst = {constraints}, which this scikit-learn "
                                  f"({sklearn.__version__}) lacks: it came in 1.4")
        kwargs["monotonic_cst"] = constraints
    p.integer("max_bins")
    return kwargs


def _tree_depth(left, right):
    """The depth of the deepest node of a tree whose children come after their parents."""
    depth = np.zeros(left.shape[0], dtype=np.int64)
    for i in range(left.shape[0]):
        if left[i] >= 0:
            depth[left[i]] = depth[right[i]] = depth[i] + 1
    return int(depth.max()) if depth.size else 0


def _tree_arrays(estimator, tree, width):
    """kestrel's arrays of one scikit-learn Tree: a dict of name -> array, plus its node count
    and depth."""
    n = int(tree.node_count)
    left = np.asarray(tree.children_left, dtype=np.int64)[:n]
    right = np.asarray(tree.children_right, dtype=np.int64)[:n]
    samples = np.asarray(tree.n_node_samples, dtype=np.int64)[:n]
    value = np.asarray(tree.value)[:n]
    if value.ndim != 3 or value.shape[1] != 1 or value.shape[2] != width:
        _refuse(estimator, f"a tree's value has shape {value.shape}, expected ({n}, 1, {width})")
    internal = left >= 0
    for i in np.flatnonzero(internal):
        if not (i < left[i] < n and i < right[i] < n and left[i] != right[i]):
            _refuse(estimator, f"node {i} of a tree has children {left[i]} and {right[i]}, which are not later nodes "
                    "of its tree")
    # scikit-learn 1.2 has no missing values: kestrel sends NaN to the larger child, as it does at
    # a node that saw none.
    missing = np.zeros(n, dtype=np.int64)
    missing[internal] = (samples[left[internal]] > samples[right[internal]]).astype(np.int64)
    arrays = {
        "children_left": left,
        "children_right": right,
        "feature": np.asarray(tree.feature, dtype=np.int64)[:n],
        "threshold": np.asarray(tree.threshold)[:n],
        "impurity": np.asarray(tree.impurity)[:n],
        "n_node_samples": samples,
        "weighted_n_node_samples": np.asarray(tree.weighted_n_node_samples)[:n],
        "value": value.reshape(n, width),
        "missing_go_to_left": missing,
    }
    return arrays, n, _tree_depth(left, right)


def _write_trees(estimator, w, trees, width):
    """Trees as kestrel's persist_trees writes them: node_count and max_depth per tree, then every
    node array, tree after tree."""
    parts = [_tree_arrays(estimator, tree, width) for tree in trees]
    w.integers("node_count", [n for _, n, _ in parts])
    w.integers("max_depth", [depth for _, _, depth in parts])
    for name in ("children_left", "children_right", "feature"):
        w.integers(name, np.concatenate([arrays[name] for arrays, _, _ in parts]), bits=32)
    for name in ("threshold", "impurity"):
        w.floats(name, np.concatenate([arrays[name] for arrays, _, _ in parts]), 1)
    w.integers("n_node_samples", np.concatenate([arrays["n_node_samples"] for arrays, _, _ in parts]), bits=32)
    w.floats("weighted_n_node_samples", np.concatenate([arrays["weighted_n_node_samples"] for arrays, _, _ in parts]),
             1)
    w.floats("value", np.concatenate([arrays["value"] for arrays, _, _ in parts]), 2)
    w.integers("missing_go_to_left", np.concatenate([arrays["missing_go_to_left"] for arrays, _, _ in parts]),
               bits=32)


_NODE_DTYPE = []


def _node_dtype():
    """scikit-learn's node record, as its installed version has it (taken from a fitted tree)."""
    if not _NODE_DTYPE:
        from sklearn.tree import DecisionTreeRegressor
        fitted = DecisionTreeRegressor().fit(np.array([[0.0], [1.0]]), np.array([0.0, 1.0]))
        _NODE_DTYPE.append(fitted.tree_.__getstate__()["nodes"].dtype)
    return _NODE_DTYPE[0]


def _read_trees(r, d, width):
    """scikit-learn Tree objects of the trees kestrel wrote under r, checked as kestrel checks
    them."""
    from sklearn.tree._tree import Tree
    counts = r.integers("node_count")
    r.require(counts.size >= 1, "node_count is empty")
    r.require(np.all(counts >= 1), "node_count must be >= 1")
    depths = r.integers("max_depth", counts.size)
    total = int(counts.sum())
    left, right, feature = (r.integers(name, total) for name in ("children_left", "children_right", "feature"))
    threshold, impurity = r.floats("threshold", (total,)), r.floats("impurity", (total,))
    samples = r.integers("n_node_samples", total)
    weights = r.floats("weighted_n_node_samples", (total,))
    value = r.floats("value", (total, width))
    missing = r.integers("missing_go_to_left", total)
    r.require(np.all((missing == 0) | (missing == 1)), "missing_go_to_left must be 0 or 1")
    dtype = _node_dtype()
    trees = []
    at = 0
    for count, depth in zip(counts, depths):
        n = int(count)
        part = slice(at, at + n)
        at += n
        l, rr, f = left[part], right[part], feature[part]
        leaf = (l == -1) | (rr == -1)
        r.require(np.all(l[leaf] == -1) and np.all(rr[leaf] == -1) and np.all(f[leaf] == -2),
                  "a leaf must have children -1 and -1 and feature -2")
        index = np.arange(n)
        inner = ~leaf
        r.require(np.all((l[inner] > index[inner]) & (rr[inner] > index[inner]) & (l[inner] < n) & (rr[inner] < n)
                         & (l[inner] != rr[inner])),
                  "an internal node's children must be later nodes of its tree")
        r.require(np.all((f[inner] >= 0) & (f[inner] < d)), "feature must be in [0, n_features_in_)")
        r.require(int(depth) == _tree_depth(l, rr), "max_depth must be the depth of the deepest node")
        nodes = np.zeros(n, dtype=dtype)
        nodes["left_child"], nodes["right_child"], nodes["feature"] = l, rr, f
        nodes["threshold"], nodes["impurity"] = threshold[part], impurity[part]
        nodes["n_node_samples"], nodes["weighted_n_node_samples"] = samples[part], weights[part]
        if "missing_go_to_left" in dtype.names:  # scikit-learn 1.3+
            nodes["missing_go_to_left"] = missing[part]
        tree = Tree(d, np.array([width], dtype=np.intp), 1)
        tree.__setstate__({"max_depth": int(depth), "node_count": n, "nodes": nodes,
                           "values": np.ascontiguousarray(value[part].reshape(n, 1, width))})
        trees.append(tree)
    return trees


def _max_features_count(max_features, d, classifier):
    """scikit-learn's max_features_: the number of features a split examines."""
    if max_features is None:
        return d
    if isinstance(max_features, str):
        if max_features == "auto":
            return max(1, int(np.sqrt(d))) if classifier else d
        return max(1, int(np.sqrt(d) if max_features == "sqrt" else np.log2(d)))
    if isinstance(max_features, numbers.Integral):
        return int(max_features)
    return max(1, int(max_features * d))


def _tree_check(estimator, classifier):
    name = type(estimator).__name__
    if getattr(estimator, "n_outputs_", 1) != 1:
        _refuse(estimator, f"it was fitted on {estimator.n_outputs_} outputs; kestrel's {name} has one")
    if not classifier:
        return None
    classes = _classes_to_kestrel(estimator, estimator.classes_)
    if classes.shape[0] < 2:
        _refuse(estimator, f"it was fitted on one class; kestrel's {name} needs at least two")
    return classes


def _save_tree(estimator, w, n_features):
    _check_fitted(estimator, "tree_")
    classifier = _is_tree_classifier(type(estimator).__name__)
    classes = _tree_check(estimator, classifier)
    _write_tree_params(estimator, w.nested("params/"), forest=False)
    w.integer("n_features_in_", estimator.n_features_in_)
    if classifier:
        w.integers("classes_", classes, bits=32)
    _write_trees(estimator, w.nested("tree_/"), [estimator.tree_], classes.shape[0] if classifier else 1)
    return None


def _save_forest(estimator, w, n_features):
    _check_fitted(estimator, "estimators_")
    classifier = _is_tree_classifier(type(estimator).__name__)
    classes = _tree_check(estimator, classifier)
    if len(estimator.estimators_) != estimator.n_estimators:
        _refuse(estimator, f"it holds {len(estimator.estimators_)} trees but n_estimators = {estimator.n_estimators} "
                "(changed after fitting); kestrel's forest holds n_estimators trees")
    _write_tree_params(estimator, w.nested("params/"), forest=True)
    w.integer("n_features_in_", estimator.n_features_in_)
    if classifier:
        w.integers("classes_", classes, bits=32)
    width = classes.shape[0] if classifier else 1
    _write_trees(estimator, w.nested("estimators_/"), [tree.tree_ for tree in estimator.estimators_], width)
    if estimator.oob_score:
        w.number("oob_score_", estimator.oob_score_)
        if classifier:
            w.floats("oob_decision_function_", estimator.oob_decision_function_, 2)
        else:
            w.floats("oob_prediction_", estimator.oob_prediction_, 1)
    return None


def _tree_class(name):
    from sklearn.ensemble import (ExtraTreesClassifier, ExtraTreesRegressor, RandomForestClassifier,
                                  RandomForestRegressor)
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor, ExtraTreeClassifier, ExtraTreeRegressor
    return {"DecisionTreeClassifier": DecisionTreeClassifier, "DecisionTreeRegressor": DecisionTreeRegressor,
            "ExtraTreeClassifier": ExtraTreeClassifier, "ExtraTreeRegressor": ExtraTreeRegressor,
            "RandomForestClassifier": RandomForestClassifier, "RandomForestRegressor": RandomForestRegressor,
            "ExtraTreesClassifier": ExtraTreesClassifier, "ExtraTreesRegressor": ExtraTreesRegressor}[name]


def _fitted_tree(estimator, tree, d, classes):
    """Sets what scikit-learn's fit leaves on a tree estimator (`classes` None for a regressor)."""
    estimator.n_features_in_ = d
    estimator.n_outputs_ = 1
    estimator.max_features_ = _max_features_count(estimator.max_features, d, classes is not None)
    if classes is not None:
        estimator.classes_ = classes
        estimator.n_classes_ = int(classes.shape[0])
    estimator.tree_ = tree


def _read_classes(r):
    classes = r.integers("classes_", sorted_distinct=True)
    r.require(classes.shape[0] >= 2, "classes_ must hold at least two classes")
    return classes


def _load_tree(r, d, name):
    classifier = _is_tree_classifier(name)
    estimator = _tree_class(name)(**_read_tree_params(r.nested("params/"), name, forest=False))
    classes = _read_classes(r) if classifier else None
    trees = _read_trees(r.nested("tree_/"), d, classes.shape[0] if classifier else 1)
    r.require(len(trees) == 1, "tree_/node_count must hold one tree")
    _fitted_tree(estimator, trees[0], d, classes)
    return estimator


def _load_forest(r, d, name):
    classifier = _is_tree_classifier(name)
    estimator = _tree_class(name)(**_read_tree_params(r.nested("params/"), name, forest=True))
    classes = _read_classes(r) if classifier else None
    width = classes.shape[0] if classifier else 1
    trees = _read_trees(r.nested("estimators_/"), d, width)
    r.require(len(trees) == estimator.n_estimators, "estimators_ must hold n_estimators trees")
    tree_name = ("ExtraTree" if name.startswith("ExtraTrees") else "DecisionTree") + \
        ("Classifier" if classifier else "Regressor")
    estimator._estimator = _tree_class(tree_name)()  # scikit-learn 1.2's estimator_ (and base_estimator_)
    estimator.estimators_ = []
    for tree in trees:
        member = _tree_class(tree_name)(**{p: getattr(estimator, p) for p in estimator.estimator_params})
        # The trees of scikit-learn's forests are fitted on the class indices.
        _fitted_tree(member, tree, d, np.arange(width, dtype=np.float64) if classifier else None)
        estimator.estimators_.append(member)
    estimator.n_features_in_ = d
    estimator.n_outputs_ = 1
    if classifier:
        estimator.classes_ = classes
        estimator.n_classes_ = int(classes.shape[0])
    if estimator.oob_score:
        estimator.oob_score_ = r.number("oob_score_")
        if classifier:
            estimator.oob_decision_function_ = r.floats("oob_decision_function_", (None, width))
        else:
            estimator.oob_prediction_ = r.floats("oob_prediction_", (None,))
    return estimator



def _savers():
    from sklearn.cluster import KMeans, MiniBatchKMeans
    from sklearn.dummy import DummyClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge
    from sklearn.preprocessing import (MaxAbsScaler, MinMaxScaler, Normalizer, OneHotEncoder, OrdinalEncoder,
                                       PolynomialFeatures, RobustScaler, StandardScaler)
    from sklearn.svm import SVC, SVR, LinearSVC, LinearSVR, NuSVC, NuSVR, OneClassSVM
    from sklearn.ensemble import (ExtraTreesClassifier, ExtraTreesRegressor, RandomForestClassifier,
                                  RandomForestRegressor)
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor, ExtraTreeClassifier, ExtraTreeRegressor
    return {
        LinearRegression: _save_closed_form,
        Ridge: _save_closed_form,
        Lasso: _save_coordinate_descent,
        ElasticNet: _save_coordinate_descent,
        LogisticRegression: _save_logistic,
        KMeans: _save_kmeans,
        MiniBatchKMeans: _save_minibatch_kmeans,
        StandardScaler: _save_standard_scaler,
        MinMaxScaler: _save_min_max_scaler,
        OneHotEncoder: _save_one_hot_encoder,
        SimpleImputer: _save_simple_imputer,
        RobustScaler: _save_robust_scaler,
        MaxAbsScaler: _save_max_abs_scaler,
        Normalizer: _save_normalizer,
        PolynomialFeatures: _save_polynomial_features,
        OrdinalEncoder: _save_ordinal_encoder,
        DummyClassifier: _save_dummy_classifier,
        SVC: _save_svc,
        NuSVC: _save_svc,
        SVR: _save_svr,
        NuSVR: _save_svr,
        OneClassSVM: _save_svr,
        LinearSVC: _save_linear_svc,
        LinearSVR: _save_linear_svr,
        DecisionTreeClassifier: _save_tree,
        DecisionTreeRegressor: _save_tree,
        ExtraTreeClassifier: _save_tree,
        ExtraTreeRegressor: _save_tree,
        RandomForestClassifier: _save_forest,
        RandomForestRegressor: _save_forest,
        ExtraTreesClassifier: _save_forest,
        ExtraTreesRegressor: _save_forest,
    }


_LOADERS = {
    "LinearRegression": _load_linear_regression,
    "Ridge": _load_ridge,
    "Lasso": lambda r, d: _load_coordinate_descent(r, d, "Lasso"),
    "ElasticNet": lambda r, d: _load_coordinate_descent(r, d, "ElasticNet"),
    "LogisticRegression": _load_logistic,
    "KMeans": _load_kmeans,
    "MiniBatchKMeans": _load_minibatch_kmeans,
    "StandardScaler": _load_standard_scaler,
    "MinMaxScaler": _load_min_max_scaler,
    "OneHotEncoder": _load_one_hot_encoder,
    "SimpleImputer": _load_simple_imputer,
    "RobustScaler": _load_robust_scaler,
    "MaxAbsScaler": _load_max_abs_scaler,
    "Normalizer": _load_normalizer,
    "PolynomialFeatures": _load_polynomial_features,
    "OrdinalEncoder": _load_ordinal_encoder,
    "DummyClassifier": _load_dummy_classifier,
    "SVC": _load_svc,
    "NuSVC": lambda r, d: _load_svc(r, d, "NuSVC"),
    "SVR": _load_svr,
    "NuSVR": lambda r, d: _load_svr(r, d, "NuSVR"),
    "OneClassSVM": lambda r, d: _load_svr(r, d, "OneClassSVM"),
    "LinearSVC": _load_linear_svc,
    "LinearSVR": _load_linear_svr,
    "DecisionTreeClassifier": lambda r, d: _load_tree(r, d, "DecisionTreeClassifier"),
    "DecisionTreeRegressor": lambda r, d: _load_tree(r, d, "DecisionTreeRegressor"),
    "ExtraTreeClassifier": lambda r, d: _load_tree(r, d, "ExtraTreeClassifier"),
    "ExtraTreeRegressor": lambda r, d: _load_tree(r, d, "ExtraTreeRegressor"),
    "RandomForestClassifier": lambda r, d: _load_forest(r, d, "RandomForestClassifier"),
    "RandomForestRegressor": lambda r, d: _load_forest(r, d, "RandomForestRegressor"),
    "ExtraTreesClassifier": lambda r, d: _load_forest(r, d, "ExtraTreesClassifier"),
    "ExtraTreesRegressor": lambda r, d: _load_forest(r, d, "ExtraTreesRegressor"),
}

_TRANSFORMERS = ("StandardScaler", "MinMaxScaler", "OneHotEncoder", "SimpleImputer", "RobustScaler", "MaxAbsScaler",
                 "Normalizer", "PolynomialFeatures", "OrdinalEncoder", "KMeans", "MiniBatchKMeans")


def _save_one(estimator, w, n_features):
    savers = _savers()
    saver = savers.get(type(estimator))
    if saver is None:
        names = ", ".join(sorted(cls.__name__ for cls in savers))
        raise ConversionError(f"kestrel has no counterpart of {type(estimator).__module__}."
                              f"{type(estimator).__name__}; it converts {names} and Pipelines of them")
    w.text("kestrel/estimator", type(estimator).__name__)
    w.text("kestrel/scalar", SCALAR)
    try:
        width = saver(estimator, w, n_features)
    except ConversionError as e:
        if str(e).startswith(type(estimator).__name__):
            raise
        raise ConversionError(f"{type(estimator).__name__}: {e}") from None
    found = [array for name, array in w.members if name == w.prefix + "n_features_in_"]
    d = int(found[0])
    if d < 1:
        _refuse(estimator, "n_features_in_ must be at least 1")
    if n_features is not None and d != n_features:
        _refuse(estimator, f"it takes {d} features, but the pipeline step before it gives {n_features}")
    return width


def _step_names(names):
    """make_pipeline's step names: each class name in lower case, with -1, -2, ... on repeats."""
    lower = [name.lower() for name in names]
    out = []
    for i, name in enumerate(lower):
        repeats = lower.count(name)
        out.append(name if repeats == 1 else f"{name}-{lower[:i].count(name) + 1}")
    return out


def _save_model(estimator, w, n_features_in):
    from sklearn.pipeline import Pipeline
    if isinstance(estimator, Pipeline):
        steps = [step for _, step in estimator.steps]
        for i, step in enumerate(steps):
            if step is None or isinstance(step, str):
                raise ConversionError(f"Pipeline step {i} is {step!r}: kestrel's pipelines have an estimator in every "
                                      "step")
            if isinstance(step, Pipeline):
                raise ConversionError(f"Pipeline step {i} is itself a Pipeline, which kestrel's pipelines do not "
                                      "nest")
        for i, step in enumerate(steps[:-1]):
            if type(step).__name__ not in _TRANSFORMERS:
                raise ConversionError(f"Pipeline step {i} is a {type(step).__name__}: every step but the last must "
                                      "transform")
        w.text("kestrel/estimator", "Pipeline")
        w.strings("steps", _step_names([type(step).__name__ for step in steps]))
        width = n_features_in
        for i, step in enumerate(steps):
            width = _save_one(step, w.nested(f"steps/{i}/"), width)
    else:
        _save_one(estimator, w, n_features_in)


def to_kestrel(estimator, path, n_features_in=None):
    """Writes the fitted scikit-learn `estimator` (or Pipeline) to `path` (a file name or a binary
    file object) as a kestrel model file. `n_features_in` is the feature count of a DummyClassifier
    converted on its own, which scikit-learn does not record. Raises ConversionError, naming the
    reason, for an estimator kestrel has no counterpart of, one that is not fitted or was fitted in
    float32, or a setting kestrel cannot hold."""
    members = []
    w = _Writer(members)
    w.integer("kestrel/format", FORMAT_VERSION)
    w.text("kestrel/version", _kestrel_version())
    _save_model(estimator, w, n_features_in)
    data = _file_bytes(members)
    if hasattr(path, "write"):
        path.write(data)
    else:
        with open(path, "wb") as f:
            f.write(data)


def _load_one(r):
    name = r.text("kestrel/estimator")
    scalar = r.text("kestrel/scalar")
    if scalar != SCALAR:
        raise ConversionError(f"{r.source}: the file holds a {name} of {scalar}; only float64 models convert to "
                              "scikit-learn (save the kestrel model in double)")
    loader = _LOADERS.get(name)
    if loader is None:
        raise ConversionError(f"{r.source}: the file holds a {name!r}, which this converter does not know")
    d = r.integer("n_features_in_")
    r.require(d >= 1, "n_features_in_ must be at least 1")
    estimator = loader(r, d)
    estimator.n_features_in_ = d
    return estimator


def from_kestrel(path):
    """The fitted scikit-learn estimator (or Pipeline) held in the kestrel model file `path` (a
    file name or a binary file object). Raises ConversionError for a file that is not a kestrel
    model file, is corrupt, of another format version, of float32, or of an unknown estimator."""
    if hasattr(path, "read"):
        data, source = path.read(), getattr(path, "name", "<stream>")
    else:
        with open(path, "rb") as f:
            data, source = f.read(), str(path)
    r = _Reader(_read_members(bytes(data), source), source)
    format_version = r.integer("kestrel/format")
    version = r.text("kestrel/version")
    if format_version != FORMAT_VERSION:
        raise ConversionError(f"{source}: the file is in model format {format_version}, written by kestrel {version}; "
                              f"this converter reads format {FORMAT_VERSION}")
    if r.text("kestrel/estimator") != "Pipeline":
        return _load_one(r)
    from sklearn.pipeline import Pipeline
    names = r.strings("steps")
    r.require(len(names) >= 1 and len(set(names)) == len(names), "steps must hold distinct names")
    steps = [(name, _load_one(r.nested(f"steps/{i}/"))) for i, name in enumerate(names)]
    return Pipeline(steps)


# ---------------------------------------------------------------------------------------------
# Command line


def _load_pickle(path):
    with open(path, "rb") as f:
        try:
            return pickle.load(f)
        except Exception:
            pass
    import joblib  # joblib.dump's files, which pickle alone cannot read
    return joblib.load(path)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Convert between fitted scikit-learn estimators (pickles) and "
                                     "kestrel model files. Only load pickles you trust.")
    sub = parser.add_subparsers(dest="command", required=True)
    to = sub.add_parser("to-kestrel", help="a pickled scikit-learn estimator or Pipeline to a kestrel model file")
    to.add_argument("input", help="the pickle (pickle.dump or joblib.dump)")
    to.add_argument("output", help="the kestrel model file to write")
    to.add_argument("--n-features-in", type=int, default=None,
                    help="the feature count of a DummyClassifier converted on its own")
    back = sub.add_parser("from-kestrel", help="a kestrel model file to a pickled scikit-learn estimator")
    back.add_argument("input", help="the kestrel model file")
    back.add_argument("output", help="the pickle to write")
    args = parser.parse_args(argv)
    try:
        if args.command == "to-kestrel":
            to_kestrel(_load_pickle(args.input), args.output, n_features_in=args.n_features_in)
        else:
            estimator = from_kestrel(args.input)
            with open(args.output, "wb") as f:
                pickle.dump(estimator, f)
    except ConversionError as e:
        print(f"kestrel_convert: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
