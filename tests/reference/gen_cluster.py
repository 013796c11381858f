"""Reference numbers for kestrel::cluster (KMeans, MiniBatchKMeans) from scikit-learn 1.2.

Parity runs start from fixed rows of the digits data, so both sides begin at the same centres;
the rows were picked so that no sample is within rounding of two centres in any iteration.
"""
import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.datasets import load_digits

from fixtures import Case

digits = load_digits().data  # float64, 1797 x 64
START_ROWS = np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
WEIGHTS = 1.0 + (np.arange(digits.shape[0]) % 3)  # 1, 2, 3, 1, 2, 3, ...

with Case("cluster/digits_start", "row indices of digits used as initial centres") as case:
    case.add("rows", START_ROWS)


def check_margin(X, algorithm, n_iter):
    """Fails unless, at every iteration, each sample's nearest centre beats the next by > 1e-9."""
    for it in range(1, n_iter + 1):
        c = KMeans(n_clusters=len(START_ROWS), init=X[START_ROWS], n_init=1, algorithm=algorithm,
                   max_iter=it).fit(X).cluster_centers_
        d = np.sort(((X[:, None, :].astype(np.float64) - c[None, :, :]) ** 2).sum(axis=2), axis=1)
        assert ((d[:, 1] - d[:, 0]) > 1e-9 * (1 + d[:, 0])).all(), f"near tie at iteration {it}"


def write_fit(tag, km, X, note):
    """The case a parity test reads: labels, centres, inertia, n_iter, transform and score."""
    with Case(f"cluster/{tag}", note) as case:
        case.add("labels", km.labels_)
        case.add("centers", km.cluster_centers_)
        case.add("inertia", km.inertia_)
        case.add("n_iter", km.n_iter_)
        case.add("transform_head", km.transform(X[:5]), "transform of the first 5 rows")
        case.add("score", km.score(X), "score(X)")


def parity(tag, X, algorithm, tol, sample_weight=None):
    km = KMeans(n_clusters=len(START_ROWS), init=X[START_ROWS], n_init=1, algorithm=algorithm, tol=tol,
                max_iter=300)
    km.fit(X, sample_weight=sample_weight)
    if sample_weight is None:
        check_margin(X, algorithm, km.n_iter_)
    write_fit(tag, km, X, f"KMeans(init=digits[start_rows], algorithm={algorithm}, tol={tol}) on digits {X.dtype}")


for algorithm in ("lloyd", "elkan"):
    parity(f"digits_{algorithm}", digits, algorithm, 1e-4)
    parity(f"digits_{algorithm}_tol0", digits, algorithm, 0.0)
    parity(f"digits_{algorithm}_weighted", digits, algorithm, 1e-4, WEIGHTS)
    parity(f"digits_{algorithm}_float", digits.astype(np.float32), algorithm, 1e-4)

# Few clusters of few features, which kestrel sums block by block in the data's precision (and,
# for float with up to 8 centres on AVX-512, scores 16 rows per register): iris with 3 centres,
# and 16 columns of digits with 8. Both are integer-valued or nearly, so rows as initial centres
# leave exact ties; centre j starts at the mean of rows j, j + k, j + 2k, ... instead (float32
# runs start from the same centres rounded to float32), and no sample comes within 1e-5 of a tie.
from sklearn.datasets import load_iris


def few_clusters(name, X, k, group):
    idx = np.arange(k * group).reshape(group, k)
    init = np.stack([X[idx[:, j]].mean(axis=0) for j in range(k)])
    with Case(f"cluster/{name}_init", f"initial centres: centre j = mean of {name} rows j + {k}·i, i < {group}") as case:
        case.add("centers", init)
    for algorithm in ("lloyd", "elkan"):
        for dtype, suffix in ((np.float64, ""), (np.float32, "_float")):
            Xd, start = X.astype(dtype), init.astype(dtype)
            km = KMeans(n_clusters=k, init=start, n_init=1, algorithm=algorithm, max_iter=300).fit(Xd)
            check_margin_from(Xd, start, algorithm, km.n_iter_, 1e-5)
            write_fit(f"{name}_{algorithm}{suffix}", km, Xd,
                      f"KMeans(init={name}_init, algorithm={algorithm}) on {name} {Xd.dtype}")


def check_margin_from(X, init, algorithm, n_iter, margin):
    """Fails unless, from the initial centres on, each sample's nearest centre beats the next by > margin."""
    for it in range(0, n_iter + 1):
        c = init if it == 0 else KMeans(n_clusters=len(init), init=init, n_init=1, algorithm=algorithm,
                                        max_iter=it).fit(X).cluster_centers_
        d = np.sort(((X[:, None, :].astype(np.float64) - c[None, :, :].astype(np.float64)) ** 2).sum(axis=2), axis=1)
        assert ((d[:, 1] - d[:, 0]) > margin * (1 + d[:, 0])).all(), f"near tie at iteration {it}"


few_clusters("iris", load_iris().data, 3, 5)
few_clusters("digits16", digits[:, 16:32], 8, 10)
# More centres than one AVX-512 register of floats holds, by 4, and features past a multiple of 16:
# kestrel scores the last 4 centres with rows in the lanes, gathering the last 2 features.
few_clusters("digits50", digits[:, :50], 20, 5)

# An initial centre far from every sample: its cluster starts empty and is moved onto the sample
# farthest from its centre.
small = digits[:60]
far_start = np.vstack([small[:4], np.full((1, small.shape[1]), 100.0)])
km = KMeans(n_clusters=5, init=far_start, n_init=1).fit(small)
note = "KMeans(n_clusters=5, init=far_start) on digits[:60]; far_start = digits[:4] and a row of 100s"
with Case("cluster/empty", note) as case:
    case.add("labels", km.labels_)
    case.add("centers", km.cluster_centers_)
    case.add("inertia", km.inertia_)

# k-means++: only the statistics can agree (the random streams differ).
SEEDS = range(8)
for name, X, k in (("digits", digits, 10),):
    with Case(f"cluster/{name}_mean_inertia", f"mean inertia over random_state 0..7 on {name}") as case:
        inertias = [KMeans(n_clusters=k, init="k-means++", n_init=1, random_state=s).fit(X).inertia_ for s in SEEDS]
        case.add("kmeanspp", np.mean(inertias), f"final inertia of KMeans(n_clusters={k}, init=k-means++, n_init=1)")
        inertias = [KMeans(n_clusters=k, init="random", n_init=1, random_state=s).fit(X).inertia_ for s in SEEDS]
        case.add("random", np.mean(inertias), f"final inertia of KMeans(n_clusters={k}, init=random, n_init=1)")
        inertias = [MiniBatchKMeans(n_clusters=k, n_init=1, random_state=s).fit(X).inertia_ for s in SEEDS]
        case.add("minibatch", np.mean(inertias), f"inertia of MiniBatchKMeans(n_clusters={k}, n_init=1)")
