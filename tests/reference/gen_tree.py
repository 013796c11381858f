"""Reference numbers for kestrel::tree (DecisionTreeClassifier, DecisionTreeRegressor) from
scikit-learn 1.2, node for node.

Data (X rounded to float32 first and stored as float64 holding those values, since scikit-learn's
trees work in float32):
- classification: make_classification(300 rows, 6 features, 4 informative, 3 classes,
  random_state=0) ("classification"), wine (178 rows, 13 features), breast_cancer (every 3rd
  row and its first 10 features, the "mean" ones: 190 rows).
- regression: make_regression(300 rows, 5 features, noise=10, random_state=0) ("regression"),
  its first 150 rows ("regression150", for absolute_error, whose criterion is O(n^2)), its rows
  80..109 ("regression30", for an absolute_error tree grown in full), diabetes (every 3rd row:
  148 rows, 10 features), and "poisson": make_regression's X with y = Poisson(exp(0.3 x0 + 0.2 x1)).
- sample weights: multiples of 1/4 in 0..3 (rng.integers(0, 13) / 4), about 1 in 13 zero, so that
  every weighted sum is exact and a pure node's impurity is exactly 0; "gini_sample_weight" and
  "squared_error_sample_weight" have integer weights 0..3.

Each case is one estimator and one set of options, <criterion>_<option>: gini and squared_error
take each option on its own, the other criteria the same options in five cases (COMPACT).

The uniqueness guard. scikit-learn visits the features in a random order and keeps the first of
equal splits, so a tie between features makes the tree depend on random_state, and a near-tie on
rounding. A case is kept only when (1) random_state 0..4 give identical children, feature and
threshold arrays and (2) `_analyse`, the split search again in numpy at every node, agrees with
scikit-learn's choice and finds no other feature and no other threshold within a relative 1e-9 of
the best split's impurity decrease, no pure node that rounding noise lets be split, no two
best-first candidates of near-equal improvement and no improvement within 1e-3 of
min_impurity_decrease. When a data set fails on a tie between features, the tied features other
than the one scikit-learn chose are dropped and it is tried again; when that fails, each column
alone is tried (the one growing the largest tree is kept). `columns` records the columns kept. Of
the data sets a case lists, the first that keeps at least 3 columns is used (else the one that
keeps most; a tree of fewer than 7 nodes does not count). When none passes, the case is tried
with sample weights (or without, when it had them). Fully grown trees tie at every node of 2
impure samples, so those cases keep one column. random_state=0 is the one recorded.
"""
import numpy as np
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine, make_classification, make_regression
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils.class_weight import compute_sample_weight

from fixtures import Case

EPS = np.finfo(np.float64).eps
FEATURE_THRESHOLD = 1e-7  # scikit-learn's: values closer than this are one value to the splitter


def f32(X):
    return np.asarray(X, dtype=np.float64).astype(np.float32).astype(np.float64)


def quarters(n, seed):
    return np.random.default_rng(seed).integers(0, 13, n) / 4.0


def load():
    data = {}
    X, y = make_classification(n_samples=300, n_features=6, n_informative=4, n_redundant=0, n_classes=3,
                               random_state=0)
    data["classification"] = (f32(X), y)
    X, y = load_wine(return_X_y=True)
    data["wine"] = (f32(X), y)
    X, y = load_breast_cancer(return_X_y=True)
    data["breast_cancer"] = (f32(X[::3, :10]), y[::3])
    X, y = make_regression(n_samples=300, n_features=5, noise=10, random_state=0)
    X = f32(X)
    data["regression"] = (X, y)
    data["regression150"] = (X[:150], y[:150])
    data["regression30"] = (X[80:110], y[80:110])
    rng = np.random.default_rng(0)
    yp = rng.poisson(np.exp(0.3 * X[:, 0] + 0.2 * X[:, 1])).astype(np.float64)
    assert yp.sum() > 0
    data["poisson"] = (X, yp)
    X, y = load_diabetes(return_X_y=True)
    data["diabetes"] = (f32(X[::3]), y[::3])
    return data


DATA = load()
WEIGHTS = {name: quarters(len(y), seed) for seed, (name, (X, y)) in enumerate(sorted(DATA.items()))}


# ----------------------------------------------------------------------------------------------
# The guard: the best-split search again, in numpy, at every node of the tree scikit-learn grew.

def _entropy_mass(c, w):
    """-sum_k c_k log2(c_k / w) for each row of class masses c (w: row totals)."""
    safe = np.where(c > 0, c, 1.0)
    return -np.where(c > 0, c * np.log2(safe / w[:, None]), 0.0).sum(1)


def _abs_dev(yv, wv):
    """min_m sum w |y - m| (the absolute_error impurity times the node weight)."""
    o = np.argsort(yv, kind="stable")
    ys, ws = yv[o], wv[o]
    cw = np.cumsum(ws)
    k = min(int(np.searchsorted(cw, cw[-1] / 2.0)), len(ys) - 1)
    return float(np.sum(ws * np.abs(ys - ys[k])))


def _weighted_median(yv, wv):
    """scikit-learn's median of a node: the first value at which the running weight (values in
    increasing order) reaches half the total; the mean of it and the next when it equals half."""
    o = np.argsort(yv, kind="stable")
    ys, ws = yv[o], wv[o]
    cw = np.cumsum(ws)
    k = int(np.searchsorted(cw, cw[-1] / 2.0))
    if cw[k] == cw[-1] / 2.0 and k + 1 < len(ys):
        return (ys[k] + ys[k + 1]) / 2.0
    return ys[k]


def _scan(classifier, criterion, Xn, Yn, wn, msl, mwl):
    """Per feature: (decrease, pos, threshold) of the node's valid splits, where decrease is
    w_t imp_t - w_l imp_l - w_r imp_r (friedman_mse: its own w_l w_r (mean_l - mean_r)^2 / w_t)."""
    n, d = Xn.shape
    out = {}
    for f in range(d):
        o = np.argsort(Xn[:, f], kind="stable")
        v, w = Xn[o, f], wn[o]
        pos = np.nonzero(v[1:] > v[:-1] + FEATURE_THRESHOLD)[0] + 1
        pos = pos[(pos >= msl) & (n - pos >= msl)]
        if len(pos) == 0:
            continue
        cw = np.cumsum(w)
        W = cw[-1]
        wl = cw[pos - 1]
        wr = W - wl
        ok = (wl >= mwl) & (wr >= mwl) & (wl > 0) & (wr > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            if classifier:
                cc = np.cumsum(Yn[o] * w[:, None], axis=0)
                cl = cc[pos - 1]
                cr = cc[-1][None, :] - cl
                if criterion == "gini":
                    dec = (cl ** 2).sum(1) / wl + (cr ** 2).sum(1) / wr - (cc[-1] ** 2).sum() / W
                else:
                    dec = (_entropy_mass(cc[-1][None, :], np.array([W]))[0] - _entropy_mass(cl, wl)
                           - _entropy_mass(cr, wr))
            else:
                yv = Yn[o]
                s = np.cumsum(w * yv)
                sl = s[pos - 1]
                sr = s[-1] - sl
                if criterion == "squared_error":
                    dec = wl * wr / W * (sl / wl - sr / wr) ** 2
                elif criterion == "friedman_mse":
                    dec = (wr * sl - wl * sr) ** 2 / (wl * wr * W)
                elif criterion == "poisson":
                    ok &= (sl > EPS) & (sr > EPS)
                    dec = sl * np.log(sl / wl) + sr * np.log(sr / wr) - s[-1] * np.log(s[-1] / W)
                else:
                    total = _abs_dev(yv, w)
                    dec = np.array([total - _abs_dev(yv[:p], w[:p]) - _abs_dev(yv[p:], w[p:]) if good
                                    else -np.inf for p, good in zip(pos, ok)])
        pos, dec = pos[ok], np.asarray(dec, dtype=np.float64)[ok]
        if len(pos):
            thr = v[pos - 1] / 2.0 + v[pos] / 2.0
            thr = np.where(thr == v[pos], v[pos - 1], thr)
            out[f] = (dec, pos, thr)
    return out


def _analyse(est, X, y, sw):
    """Problems that would make `est`'s tree depend on feature order or on rounding, as
    (kind, message, tied features); and the improvement of every node's best split."""
    classifier = isinstance(est, DecisionTreeClassifier)
    p = est.get_params()
    full = clone(est).set_params(ccp_alpha=0.0).fit(X, y, sample_weight=sw)
    t = full.tree_
    n = len(y)
    w = np.asarray(sw, dtype=np.float64).copy()
    if classifier:
        classes, codes = np.unique(y, return_inverse=True)
        if p["class_weight"] is not None:
            w = w * compute_sample_weight(p["class_weight"], y)
        Y = np.eye(len(classes))[codes]
    else:
        Y = np.asarray(y, dtype=np.float64)
    leaf = p["min_samples_leaf"]
    msl = leaf if isinstance(leaf, (int, np.integer)) else int(np.ceil(leaf * n))
    split = p["min_samples_split"]
    mss = split if isinstance(split, (int, np.integer)) else max(2, int(np.ceil(split * n)))
    mss = max(mss, 2 * msl)
    mwl = p["min_weight_fraction_leaf"] * w.sum()
    max_depth = p["max_depth"] if p["max_depth"] is not None else 1 << 30
    mid = p["min_impurity_decrease"]
    criterion = "entropy" if p["criterion"] == "log_loss" else p["criterion"]
    total = w.sum()
    paths = full.decision_path(X).tocsc()
    depth = np.zeros(t.node_count, dtype=int)
    for node in range(t.node_count):
        for child in (t.children_left[node], t.children_right[node]):
            if child >= 0:
                depth[child] = depth[node] + 1
    problems, improvements = [], {}
    for node in range(t.node_count):
        rows = paths[:, node].nonzero()[0]
        rows = rows[w[rows] > 0]  # scikit-learn leaves samples of weight 0 out of the tree's growth
        internal = t.children_left[node] >= 0
        if criterion == "absolute_error" and len(rows):
            median = _weighted_median(Y[rows], w[rows])
            spread = _abs_dev(Y[rows], w[rows]) / w[rows].sum()
            if t.value[node, 0, 0] != median or abs(t.impurity[node] - spread) > 1e-9 * max(spread, 1e-3):
                problems.append(("mismatch", f"node {node}: median {t.value[node, 0, 0]} and impurity "
                                 f"{t.impurity[node]}, expected {median} and {spread}", []))
        constrained = depth[node] >= max_depth or len(rows) < mss or w[rows].sum() < 2 * mwl
        if 0 < t.impurity[node] < 1e-9 * t.impurity[0] and not constrained:
            problems.append(("noise", f"node {node}: a pure node of impurity {t.impurity[node]:.3g} (rounding)", []))
        if constrained or t.impurity[node] <= EPS:
            if internal:
                problems.append(("mismatch", f"node {node}: split, but a leaf to the analyser", []))
            continue
        scan = _scan(classifier, criterion, X[rows], Y[rows], w[rows], msl, mwl)
        if not scan:
            if internal:
                problems.append(("mismatch", f"node {node}: split, but the analyser finds no split", []))
            continue
        best = {f: float(dec.max()) for f, (dec, pos, thr) in scan.items()}
        top = max(best.values())
        tol = 1e-9 * abs(top)
        near = sorted(f for f, b in best.items() if b >= top - tol)
        improvement = top if criterion == "friedman_mse" else top / total  # as scikit-learn's split.improvement
        improvements[node] = improvement
        if mid > 0 and abs(improvement + EPS - mid) <= 1e-3 * mid:
            problems.append(("boundary", f"node {node}: improvement {improvement} at min_impurity_decrease", []))
        if internal and improvement + EPS < mid:
            problems.append(("mismatch", f"node {node}: split, but its improvement {improvement} < {mid}", []))
        if not internal and p["max_leaf_nodes"] is None and not improvement + EPS < mid:
            problems.append(("mismatch", f"node {node}: a leaf, but the analyser splits it", []))
        if not internal:
            continue
        f = t.feature[node]
        if f not in near:
            problems.append(("mismatch", f"node {node}: scikit-learn splits on {f}, the analyser on {near}", []))
        elif len(near) > 1:
            problems.append(("tie", f"node {node} ({len(rows)} samples): features {near} tie",
                             [g for g in near if g != f]))
        else:
            dec, pos, thr = scan[f]
            close = np.nonzero(dec >= top - tol)[0]
            if len(close) > 1:
                problems.append(("within", f"node {node}: thresholds {thr[close]} of feature {f} tie", []))
            elif thr[close[0]] != t.threshold[node]:
                problems.append(("mismatch", f"node {node}: threshold {t.threshold[node]!r}, "
                                 f"analyser {thr[close[0]]!r}", []))
    if p["max_leaf_nodes"] is not None:
        ranked = sorted((v, k) for k, v in improvements.items() if not v + EPS < mid)
        for (a, i), (b, j) in zip(ranked, ranked[1:]):
            if b - a <= 1e-9 * max(abs(a), abs(b)):
                problems.append(("best_first", f"nodes {i} and {j}: equal improvements {a} (best-first order)", []))
    return problems, improvements


def _same_for_every_random_state(est, X, y, sw):
    trees = [clone(est).set_params(random_state=s).fit(X, y, sample_weight=sw).tree_ for s in range(5)]
    first = trees[0]
    return all(t.node_count == first.node_count and np.array_equal(t.children_left, first.children_left)
               and np.array_equal(t.children_right, first.children_right)
               and np.array_equal(t.feature, first.feature) and np.array_equal(t.threshold, first.threshold)
               for t in trees[1:])


# ----------------------------------------------------------------------------------------------
# Options that depend on the data: min_impurity_decrease and ccp_alpha.

def _choose_mid(est, X, y, sw):
    """min_impurity_decrease near 0.01 (classifiers) or 1% of the root impurity (regressors; for
    friedman_mse 1% of the root's improvement), moved to the middle of the gap between two nodes'
    improvements when a node's improvement lies within 1e-3 of it."""
    base = clone(est).set_params(min_impurity_decrease=0.0, ccp_alpha=0.0)
    _, improvements = _analyse(base, X, y, sw)
    values = np.array(sorted(set(improvements.values())))
    if isinstance(est, DecisionTreeClassifier):
        target = 0.01
    elif est.criterion == "friedman_mse":
        target = 0.01 * improvements.get(0, 1.0)
    else:
        target = 0.01 * base.fit(X, y, sample_weight=sw).tree_.impurity[0]
    if len(values) == 0 or np.min(np.abs(values - target)) > 1e-3 * target:
        return float(target)
    k = int(np.argmin(np.abs(values - target)))
    lo = values[k - 1] if k > 0 else 0.0
    hi = values[k + 1] if k + 1 < len(values) else 2 * values[k]
    return float((lo + values[k]) / 2 if values[k] - lo > hi - values[k] else (values[k] + hi) / 2)


def _choose_ccp_alpha(est, X, y, sw):
    """A ccp_alpha in the middle of a clear gap of the pruning path, pruning about a third of it."""
    path = clone(est).set_params(ccp_alpha=0.0).cost_complexity_pruning_path(X, y, sample_weight=sw)
    alphas = path.ccp_alphas
    m = len(alphas) - 1
    for k in sorted(range(1, m), key=lambda k: abs(k - m // 3)):
        if alphas[k + 1] - alphas[k] > 1e-3 * alphas[k + 1]:
            return float((alphas[k] + alphas[k + 1]) / 2)
    return float((alphas[0] + alphas[1]) / 2)


# ----------------------------------------------------------------------------------------------
# Cases.

def _estimator(criterion, params):
    kwargs = {k: v for k, v in params.items() if k not in ("mid", "ccp", "weights", "labels")}
    if criterion in ("gini", "entropy", "log_loss"):
        return DecisionTreeClassifier(criterion=criterion, random_state=0, **kwargs)
    return DecisionTreeRegressor(criterion=criterion, random_state=0, **kwargs)


def _try(criterion, params, X, y, sw):
    """The case's estimator on X when it passes the guard, else None; and the first problem."""
    est = _estimator(criterion, params)
    if params.get("mid"):
        est.set_params(min_impurity_decrease=_choose_mid(est, X, y, sw))
    if params.get("ccp"):
        est.set_params(ccp_alpha=_choose_ccp_alpha(est, X, y, sw))
    problems, _ = _analyse(est, X, y, sw)
    if not problems and not _same_for_every_random_state(est, X, y, sw):
        problems = [("random_state", "the tree depends on random_state", [])]
    return (None if problems else est), (problems[0] if problems else None)


def _attempt(criterion, params, data):
    """The columns of `data` a case keeps (dropping tied features greedily, then trying each
    column alone) and its estimator, X, y and sample weights; None when no columns pass."""
    X_all, y = DATA[data]
    if params.get("labels"):
        y = np.asarray(params["labels"])[y]
    if params.get("weights") == "integers":
        sw = np.random.default_rng(7).integers(0, 4, len(y)).astype(np.float64)
    elif params.get("weights"):
        sw = WEIGHTS[data]
    else:
        sw = np.ones(len(y))
    columns = list(range(X_all.shape[1]))
    history = []
    while len(columns) > 1:
        est, problem = _try(criterion, params, X_all[:, columns], y, sw)
        if est is not None:
            return columns, est, X_all[:, columns], y, sw, history
        kind, message, drop = problem
        history.append(f"{data} columns {columns}: {message}")
        if kind != "tie" or not drop:
            break
        columns = [c for i, c in enumerate(columns) if i not in drop]
    best = None  # the column alone that grows the largest tree
    for column in range(X_all.shape[1]):
        est, problem = _try(criterion, params, X_all[:, [column]], y, sw)
        if est is None:
            history.append(f"{data} column [{column}]: {problem[1]}")
            continue
        size = clone(est).fit(X_all[:, [column]], y, sample_weight=sw).tree_.node_count
        if best is None or size > best[0]:
            best = (size, column, est)
    if best is not None:
        return [best[1]], best[2], X_all[:, [best[1]]], y, sw, history
    return None, None, None, None, None, history


WEIGHT_NOTE = {None: "ones", True: "multiples of 1/4 in 0..3", "integers": "integers 0..3"}


def write(name, criterion, params, datas, path=False, retry=True):
    chosen = None
    for data in datas:
        try:
            columns, est, X, y, sw, history = _attempt(criterion, params, data)
        except ValueError as error:  # e.g. a class_weight naming a class the data set lacks
            print(f"  {name}: {data}: {error}")
            continue
        for line in history:
            print(f"  {name}: {line}")
        if columns is None:
            continue
        if clone(est).fit(X, y, sample_weight=sw).tree_.node_count < 7:
            print(f"  {name}: {data} columns {columns}: a tree of fewer than 7 nodes says little")
            continue
        if chosen is None or len(columns) > len(chosen[1]):
            chosen = (data, columns, est, X, y, sw)
        if len(columns) >= min(3, DATA[data][0].shape[1]):
            break
    if chosen is None:
        if retry:  # sample weights break ties of equal counts; unit weights avoid the weighted MAE's bug
            other = {k: v for k, v in params.items() if k != "weights"} if params.get("weights") else \
                dict(params, weights=True)
            print(f"  {name}: no data set gives a tree free of ties; trying sample weights "
                  f"{WEIGHT_NOTE[other.get('weights')]}")
            return write(name, criterion, other, datas, path, retry=False)
        print(f"DROPPED {name}: no data set gives a tree free of ties")
        return None
    data, columns, est, X, y, sw = chosen
    est.fit(X, y, sample_weight=sw)
    t = est.tree_
    classifier = isinstance(est, DecisionTreeClassifier)
    p = est.get_params()
    shown = {k: v for k, v in sorted(p.items()) if v != DecisionTreeClassifier().get_params().get(k, v)
             or k in ("criterion", "random_state")}
    weights = WEIGHT_NOTE[params.get("weights")]
    with Case("tree/" + name, f"{type(est).__name__}({shown}) on {data} columns {columns}, sample weights "
              f"{weights}") as case:
        case.add("X", X)
        case.add("y", y)
        case.add("sample_weight", sw)
        case.add_text("params", repr(shown))
        case.add_text("criterion", p["criterion"])
        case.add("max_depth", -1 if p["max_depth"] is None else p["max_depth"], "-1: None")
        case.add("min_samples_split", p["min_samples_split"])
        leaf = p["min_samples_leaf"]
        case.add("min_samples_leaf", leaf)
        case.add("min_samples_leaf_is_fraction", 0 if isinstance(leaf, (int, np.integer)) else 1)
        case.add("min_weight_fraction_leaf", p["min_weight_fraction_leaf"])
        case.add("max_leaf_nodes", -1 if p["max_leaf_nodes"] is None else p["max_leaf_nodes"], "-1: None")
        case.add("min_impurity_decrease", p["min_impurity_decrease"])
        case.add("ccp_alpha", p["ccp_alpha"])
        case.add("random_state", p["random_state"])
        if classifier:
            cw = p["class_weight"]
            case.add_text("class_weight", "none" if cw is None else "balanced" if cw == "balanced" else "dict")
            if isinstance(cw, dict):
                case.add("class_weight_labels", list(cw.keys()))
                case.add("class_weight_values", list(cw.values()))
            case.add("classes", est.classes_)
        case.add("node_count", t.node_count)
        case.add("tree_max_depth", t.max_depth)
        case.add("n_leaves", est.get_n_leaves())
        case.add("children_left", t.children_left)
        case.add("children_right", t.children_right)
        case.add("feature", t.feature)
        case.add("threshold", t.threshold)
        case.add("impurity", t.impurity)
        case.add("n_node_samples", t.n_node_samples)
        case.add("weighted_n_node_samples", t.weighted_n_node_samples)
        case.add("value", t.value[:, 0, :], "tree_.value[:, 0, :]")
        case.add("feature_importances", est.feature_importances_)
        case.add("predict", est.predict(X))
        if classifier:
            case.add("predict_proba", est.predict_proba(X))
        case.add("apply", est.apply(X))
        indicator = est.decision_path(X[:10])
        case.add("decision_path_indptr", indicator.indptr, "decision_path(X[:10])")
        case.add("decision_path_indices", indicator.indices)
        case.add("has_pruning_path", 1 if path else 0)
        if path:
            pruning = est.cost_complexity_pruning_path(X, y, sample_weight=sw)
            case.add("ccp_alphas", pruning.ccp_alphas, "cost_complexity_pruning_path(X, y, sample_weight)")
            case.add("impurities", pruning.impurities)
    print(f"{name}: {data} columns {columns}, {len(y)} rows, weights {weights}, node_count {t.node_count}, "
          f"{shown}")
    return name


CLF = ["classification", "wine", "breast_cancer"]
CLF_WINE = ["wine", "classification", "breast_cancer"]
REG = ["regression", "diabetes"]
REG_DIABETES = ["diabetes", "regression"]
LABELS = [-1, 3, 7]

# Every option on its own: gini and squared_error.
FULL = [
    ("default", {}),
    ("max_depth", dict(max_depth=4)),
    ("min_samples_leaf", dict(min_samples_leaf=5)),
    ("min_samples_split", dict(min_samples_split=10)),
    ("leaf_fraction", dict(min_samples_leaf=0.05)),
    ("max_leaf_nodes", dict(max_leaf_nodes=12)),
    ("min_impurity_decrease", dict(mid=True)),
    ("ccp_alpha", dict(ccp=True, min_samples_leaf=5)),
    ("sample_weight", dict(weights="integers")),
    ("weight_fraction", dict(weights=True, min_weight_fraction_leaf=0.05)),
    ("depth_and_leaves", dict(max_depth=3, max_leaf_nodes=6)),
]
# Every option too, in fewer cases: the other criteria.
COMPACT = [
    ("default", {}),
    ("limits", dict(max_depth=5, min_samples_leaf=4, min_samples_split=12)),
    ("weighted_fractions", dict(weights=True, min_samples_leaf=0.05, min_weight_fraction_leaf=0.05)),
    ("pruned", dict(ccp=True, mid=True, min_samples_leaf=5)),
    ("depth_and_leaves", dict(max_depth=3, max_leaf_nodes=6)),
]
# What the classifiers' compact cases add: class weights, and labels other than 0..K-1.
CLASSIFIER_EXTRA = {
    ("entropy", "limits"): dict(class_weight="balanced"),
    ("entropy", "weighted_fractions"): dict(class_weight={0: 2.0, 2: 0.75}),
    ("entropy", "depth_and_leaves"): dict(labels=LABELS),
    ("log_loss", "limits"): dict(labels=LABELS, class_weight={-1: 2.0, 7: 0.5}),
    ("log_loss", "weighted_fractions"): dict(class_weight="balanced"),
    ("log_loss", "pruned"): dict(labels=LABELS),
}


def main():
    written = []
    for option, params in FULL:
        written.append(write("gini_" + option, "gini", params, CLF, path=option == "ccp_alpha"))
    written.append(write("gini_balanced", "gini", dict(class_weight="balanced", max_depth=5),
                         ["breast_cancer", "wine", "classification"]))
    written.append(write("gini_class_weight_dict", "gini", dict(class_weight={0: 0.5, 2: 3.0}, min_samples_leaf=4),
                         CLF))
    for criterion in ["entropy", "log_loss"]:
        for option, params in COMPACT:
            params = dict(params, **CLASSIFIER_EXTRA.get((criterion, option), {}))
            datas = CLF_WINE if criterion == "entropy" else CLF
            written.append(write(f"{criterion}_{option}", criterion, params, datas, path=option == "pruned"))
    for option, params in FULL:
        datas = REG_DIABETES if option in ("default", "sample_weight") else REG
        written.append(write("squared_error_" + option, "squared_error", params, datas, path=option == "ccp_alpha"))
    for criterion, datas in [("friedman_mse", REG_DIABETES),
                             ("absolute_error", ["regression150", "diabetes", "regression30"]),
                             ("poisson", ["poisson"])]:
        for option, params in COMPACT:
            written.append(write(f"{criterion}_{option}", criterion, params, datas, path=option == "pruned"))
    print(f"{sum(n is not None for n in written)} cases written")


if __name__ == "__main__":
    main()
