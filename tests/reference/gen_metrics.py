"""Fixtures for tests/metrics: scikit-learn's classification, regression, ranking and clustering
metrics on small seeded random inputs (inputs are stored beside the outputs in each case), and
the exact text of classification_report.

Usage: /usr/bin/python3 tests/reference/gen_metrics.py
"""
import os
import sys
import warnings

import numpy as np
from sklearn import metrics
from sklearn.datasets import load_iris, make_blobs

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures import Case  # noqa: E402

rng = np.random.RandomState(42)
warnings.simplefilter("ignore")  # zero-division warnings are part of what is being recorded


def noisy_copy(y, classes, flip):
    out = y.copy()
    mask = rng.uniform(size=len(y)) < flip
    out[mask] = rng.choice(classes, size=mask.sum())
    return out


def prf(case, member, y_true, y_pred, averages, **kwargs):
    """precision, recall, f1 (rows) for each average (columns)."""
    table = [[f(y_true, y_pred, average=a, **kwargs) for a in averages]
             for f in (metrics.precision_score, metrics.recall_score, metrics.f1_score)]
    case.add(member, table, "rows precision, recall, f1; columns average " + ", ".join(averages) +
             "".join(f", {k}={v!r}" for k, v in kwargs.items()))


# Classification ------------------------------------------------------------------------------
# Binary {0, 1}
y_true = rng.randint(0, 2, 40)
y_pred = noisy_copy(y_true, [0, 1], 0.4)
weights = rng.uniform(0.2, 2.0, 40)
with Case("metrics/binary", "labels {0, 1}") as case:
    case.add("y_true", y_true)
    case.add("y_pred", y_pred)
    case.add("weights", weights)
    case.add("accuracy", metrics.accuracy_score(y_true, y_pred))
    case.add("accuracy_weighted", metrics.accuracy_score(y_true, y_pred, sample_weight=weights))
    case.add("confusion", metrics.confusion_matrix(y_true, y_pred))
    case.add("confusion_weighted", metrics.confusion_matrix(y_true, y_pred, sample_weight=weights))
    prf(case, "prf", y_true, y_pred, ["binary", "micro", "macro", "weighted"])
    case.add_text("report", metrics.classification_report(y_true, y_pred), "classification_report(y_true, y_pred)")

# Binary {3, 7}, positive label 7
y_true = rng.choice([3, 7], 30)
y_pred = noisy_copy(y_true, [3, 7], 0.5)
with Case("metrics/binary37", "labels {3, 7}") as case:
    case.add("y_true", y_true)
    case.add("y_pred", y_pred)
    prf(case, "prf", y_true, y_pred, ["binary"], pos_label=7)
    prf(case, "prf_pos3", y_true, y_pred, ["binary"], pos_label=3)

# Multiclass {0, 1, 2, 5, 9}; class 9 is never predicted and class 5 never true (zero division).
y_true = rng.choice([0, 1, 2, 9], 60)
y_pred = noisy_copy(y_true, [0, 1, 2, 5], 0.35)
y_pred[y_pred == 9] = 2
with Case("metrics/multi", "labels {0, 1, 2, 5, 9}: 9 is never predicted, 5 never true") as case:
    case.add("y_true", y_true)
    case.add("y_pred", y_pred)
    case.add("accuracy", metrics.accuracy_score(y_true, y_pred))
    case.add("confusion", metrics.confusion_matrix(y_true, y_pred))
    prf(case, "prf", y_true, y_pred, ["micro", "macro", "weighted"])
    prf(case, "prf_zero1", y_true, y_pred, ["micro", "macro", "weighted"], zero_division=1)
    p, r, f, s = metrics.precision_recall_fscore_support(y_true, y_pred)
    case.add("prfs", np.column_stack([p, r, f, s]), "per class (sorted labels): precision recall f1 support")
    case.add_text("report", metrics.classification_report(y_true, y_pred), "classification_report(y_true, y_pred)")
    case.add_text("report_digits4", metrics.classification_report(y_true, y_pred, digits=4),
                  "classification_report(y_true, y_pred, digits=4)")
    names = ["setosa", "versicolor", "virginica", "a-much-longer-class-name", "x"]
    case.add_text("report_names", metrics.classification_report(y_true, y_pred, target_names=names, zero_division=1),
                  "classification_report(y_true, y_pred, target_names=" + repr(names) + ", zero_division=1)")

# log_loss: three classes {2, 5, 9}, probabilities with exact 0 and 1 entries (clipped).
y = rng.choice([2, 5, 9], 25)
proba = rng.dirichlet([1.0, 1.0, 1.0], 25)
proba[0] = [1.0, 0.0, 0.0]
proba[1] = [0.0, 0.0, 1.0]
proba[2] = [0.5, 0.25, 0.5]  # not normalised: log_loss renormalises
with Case("metrics/logloss", "labels {2, 5, 9}") as case:
    case.add("y", y)
    case.add("proba", proba)
    case.add("log_loss", metrics.log_loss(y, proba))
    case.add("weighted", metrics.log_loss(y, proba, sample_weight=weights[:25]), "sample_weight = binary weights[:25]")
    case.add("float32", metrics.log_loss(y, proba.astype(np.float32)), "proba as float32 (eps of float32)")
y = rng.choice([-1, 1], 20)
p1 = rng.uniform(size=20)
p1[3] = 1.0
with Case("metrics/logloss_binary", "labels {-1, 1}") as case:
    case.add("y", y)
    case.add("p", p1, "probability of the greater label")
    case.add("log_loss", metrics.log_loss(y, p1))

# Ranking ------------------------------------------------------------------------------------
y = rng.choice([-1, 1], 50)
score = np.round(rng.normal(size=50) + 0.8 * y, 1)  # rounding makes many ties
roc_w = rng.uniform(0.2, 2.0, 50)
with Case("metrics/roc", "labels {-1, 1}, scores rounded to 0.1 (many ties)") as case:
    case.add("y", y)
    case.add("score", score)
    case.add("auc", metrics.roc_auc_score(y, score))
    case.add("w", roc_w)
    case.add("auc_weighted", metrics.roc_auc_score(y, score, sample_weight=roc_w))
y = rng.choice([0, 4], 200)
score = rng.randint(0, 5, 200) + (y == 4)
with Case("metrics/roc_ties", "labels {0, 4}, integer scores") as case:
    case.add("y", y)
    case.add("score", score)
    case.add("auc", metrics.roc_auc_score(y, score))

# Regression ---------------------------------------------------------------------------------
y_true = rng.normal(size=35) * 3 + 1
y_pred = y_true + rng.normal(size=35)
w = rng.uniform(0.5, 2.0, 35)
with Case("metrics/reg") as case:
    case.add("y_true", y_true)
    case.add("y_pred", y_pred)
    case.add("w", w)
    case.add("scores", [metrics.r2_score(y_true, y_pred), metrics.mean_squared_error(y_true, y_pred),
                        metrics.mean_absolute_error(y_true, y_pred)], "r2, mse, mae")
    case.add("scores_weighted",
             [metrics.r2_score(y_true, y_pred, sample_weight=w),
              metrics.mean_squared_error(y_true, y_pred, sample_weight=w),
              metrics.mean_absolute_error(y_true, y_pred, sample_weight=w)], "r2, mse, mae with sample_weight")
    const = np.full(5, 2.5)
    case.add("constant_r2", [metrics.r2_score(const, const), metrics.r2_score(const, const + 1.0)],
             "r2 of a constant target: perfect prediction, imperfect prediction")

# Clustering ---------------------------------------------------------------------------------
X, labels = make_blobs(n_samples=60, n_features=3, centers=3, cluster_std=2.0, random_state=3)
labels = np.where(labels == 2, 7, labels)
labels[5] = 4  # a singleton cluster: its silhouette is 0
with Case("metrics/silhouette") as case:
    case.add("X", X, "make_blobs(n_samples=60, n_features=3, centers=3, cluster_std=2.0, random_state=3)")
    case.add("labels", labels, "the blobs' labels, 2 renamed 7, sample 5 alone in cluster 4")
    case.add("samples", metrics.silhouette_samples(X, labels))
    case.add("score", metrics.silhouette_score(X, labels))
    # Real data: the iris species as clusters of the iris measurements.
    iris = load_iris()
    case.add("iris", metrics.silhouette_score(iris.data, iris.target),
             "silhouette_score(load_iris().data, load_iris().target)")
a = rng.randint(0, 4, 80)
b = noisy_copy(a, [0, 1, 2, 3, 4, 5], 0.5)
with Case("metrics/ari") as case:
    case.add("a", a)
    case.add("b", b)
    case.add("ari", [metrics.adjusted_rand_score(a, b), metrics.adjusted_rand_score(a, (a + 1) * 3),
                     metrics.adjusted_rand_score(a, np.zeros_like(a)), metrics.adjusted_rand_score(b, a)],
             "ari(a, b), ari(a, relabelled a), ari(a, one cluster), ari(b, a)")
