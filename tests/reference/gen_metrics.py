"""Fixtures for tests/metrics: scikit-learn's classification, regression, ranking and clustering
metrics on small seeded random inputs (inputs are stored beside the outputs), and the exact text
of classification_report.

Usage: /usr/bin/python3 tests/reference/gen_metrics.py
"""
import os
import sys
import warnings

import numpy as np
from sklearn import metrics
from sklearn.datasets import load_iris, make_blobs

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures import HERE, PROVENANCE, write  # noqa: E402

rng = np.random.RandomState(42)
warnings.simplefilter("ignore")  # zero-division warnings are part of what is being recorded


def write_text(name, text, note):
    with open(os.path.join(HERE, name), "w") as f:
        f.write(f"# {PROVENANCE}\n# {note}\n{text}")


def noisy_copy(y, classes, flip):
    out = y.copy()
    mask = rng.uniform(size=len(y)) < flip
    out[mask] = rng.choice(classes, size=mask.sum())
    return out


def prf(tag, y_true, y_pred, averages, **kwargs):
    """precision, recall, f1 (rows) for each average (columns)."""
    table = [[f(y_true, y_pred, average=a, **kwargs) for a in averages]
             for f in (metrics.precision_score, metrics.recall_score, metrics.f1_score)]
    write(f"metrics/{tag}.txt", table, "rows precision, recall, f1; columns average " + ", ".join(averages))


# Classification ------------------------------------------------------------------------------
# Binary {0, 1}
y_true = rng.randint(0, 2, 40)
y_pred = noisy_copy(y_true, [0, 1], 0.4)
weights = rng.uniform(0.2, 2.0, 40)
write("metrics/binary_y_true.txt", y_true)
write("metrics/binary_y_pred.txt", y_pred)
write("metrics/binary_weights.txt", weights)
write("metrics/binary_accuracy.txt", metrics.accuracy_score(y_true, y_pred))
write("metrics/binary_accuracy_weighted.txt", metrics.accuracy_score(y_true, y_pred, sample_weight=weights))
write("metrics/binary_confusion.txt", metrics.confusion_matrix(y_true, y_pred))
write("metrics/binary_confusion_weighted.txt", metrics.confusion_matrix(y_true, y_pred, sample_weight=weights))
prf("binary_prf", y_true, y_pred, ["binary", "micro", "macro", "weighted"])
write_text("metrics/binary_report.txt", metrics.classification_report(y_true, y_pred),
           "classification_report(y_true, y_pred); the text starts on the next line")

# Binary {3, 7}, positive label 7
y_true = rng.choice([3, 7], 30)
y_pred = noisy_copy(y_true, [3, 7], 0.5)
write("metrics/binary37_y_true.txt", y_true)
write("metrics/binary37_y_pred.txt", y_pred)
prf("binary37_prf", y_true, y_pred, ["binary"], pos_label=7)
prf("binary37_prf_pos3", y_true, y_pred, ["binary"], pos_label=3)

# Multiclass {0, 1, 2, 5, 9}; class 9 is never predicted and class 5 never true (zero division).
y_true = rng.choice([0, 1, 2, 9], 60)
y_pred = noisy_copy(y_true, [0, 1, 2, 5], 0.35)
y_pred[y_pred == 9] = 2
write("metrics/multi_y_true.txt", y_true)
write("metrics/multi_y_pred.txt", y_pred)
write("metrics/multi_accuracy.txt", metrics.accuracy_score(y_true, y_pred))
write("metrics/multi_confusion.txt", metrics.confusion_matrix(y_true, y_pred))
prf("multi_prf", y_true, y_pred, ["micro", "macro", "weighted"])
prf("multi_prf_zero1", y_true, y_pred, ["micro", "macro", "weighted"], zero_division=1)
p, r, f, s = metrics.precision_recall_fscore_support(y_true, y_pred)
write("metrics/multi_prfs.txt", np.column_stack([p, r, f, s]), "per class (sorted labels): precision recall f1 support")
write_text("metrics/multi_report.txt", metrics.classification_report(y_true, y_pred),
           "classification_report(y_true, y_pred); the text starts on the next line")
write_text("metrics/multi_report_digits4.txt", metrics.classification_report(y_true, y_pred, digits=4),
           "classification_report(y_true, y_pred, digits=4); the text starts on the next line")
names = ["setosa", "versicolor", "virginica", "a-much-longer-class-name", "x"]
write_text("metrics/multi_report_names.txt",
           metrics.classification_report(y_true, y_pred, target_names=names, zero_division=1),
           "classification_report(y_true, y_pred, target_names=" + repr(names) +
           ", zero_division=1); the text starts on the next line")

# log_loss: three classes {2, 5, 9}, probabilities with exact 0 and 1 entries (clipped).
y = rng.choice([2, 5, 9], 25)
proba = rng.dirichlet([1.0, 1.0, 1.0], 25)
proba[0] = [1.0, 0.0, 0.0]
proba[1] = [0.0, 0.0, 1.0]
proba[2] = [0.5, 0.25, 0.5]  # not normalised: log_loss renormalises
write("metrics/logloss_y.txt", y)
write("metrics/logloss_proba.txt", proba)
write("metrics/logloss.txt", metrics.log_loss(y, proba))
write("metrics/logloss_weighted.txt", metrics.log_loss(y, proba, sample_weight=weights[:25]))
write("metrics/logloss_float32.txt", metrics.log_loss(y, proba.astype(np.float32)), "proba as float32 (eps of float32)")
y = rng.choice([-1, 1], 20)
p1 = rng.uniform(size=20)
p1[3] = 1.0
write("metrics/logloss_binary_y.txt", y)
write("metrics/logloss_binary_p.txt", p1, "probability of the greater label")
write("metrics/logloss_binary.txt", metrics.log_loss(y, p1))

# Ranking ------------------------------------------------------------------------------------
y = rng.choice([-1, 1], 50)
score = np.round(rng.normal(size=50) + 0.8 * y, 1)  # rounding makes many ties
write("metrics/roc_y.txt", y)
write("metrics/roc_score.txt", score)
write("metrics/roc_auc.txt", metrics.roc_auc_score(y, score))
roc_w = rng.uniform(0.2, 2.0, 50)
write("metrics/roc_w.txt", roc_w)
write("metrics/roc_auc_weighted.txt", metrics.roc_auc_score(y, score, sample_weight=roc_w))
y = rng.choice([0, 4], 200)
score = rng.randint(0, 5, 200) + (y == 4)
write("metrics/roc_ties_y.txt", y)
write("metrics/roc_ties_score.txt", score)
write("metrics/roc_ties_auc.txt", metrics.roc_auc_score(y, score))

# Regression ---------------------------------------------------------------------------------
y_true = rng.normal(size=35) * 3 + 1
y_pred = y_true + rng.normal(size=35)
w = rng.uniform(0.5, 2.0, 35)
write("metrics/reg_y_true.txt", y_true)
write("metrics/reg_y_pred.txt", y_pred)
write("metrics/reg_w.txt", w)
write("metrics/reg_scores.txt", [metrics.r2_score(y_true, y_pred), metrics.mean_squared_error(y_true, y_pred),
                                 metrics.mean_absolute_error(y_true, y_pred)], "r2, mse, mae")
write("metrics/reg_scores_weighted.txt",
      [metrics.r2_score(y_true, y_pred, sample_weight=w), metrics.mean_squared_error(y_true, y_pred, sample_weight=w),
       metrics.mean_absolute_error(y_true, y_pred, sample_weight=w)], "r2, mse, mae with sample_weight")
const = np.full(5, 2.5)
write("metrics/reg_constant_r2.txt", [metrics.r2_score(const, const), metrics.r2_score(const, const + 1.0)],
      "r2 of a constant target: perfect prediction, imperfect prediction")

# Clustering ---------------------------------------------------------------------------------
X, labels = make_blobs(n_samples=60, n_features=3, centers=3, cluster_std=2.0, random_state=3)
labels = np.where(labels == 2, 7, labels)
labels[5] = 4  # a singleton cluster: its silhouette is 0
write("metrics/silhouette_X.txt", X)
write("metrics/silhouette_labels.txt", labels)
write("metrics/silhouette_samples.txt", metrics.silhouette_samples(X, labels))
write("metrics/silhouette_score.txt", metrics.silhouette_score(X, labels))
a = rng.randint(0, 4, 80)
b = noisy_copy(a, [0, 1, 2, 3, 4, 5], 0.5)
write("metrics/ari_a.txt", a)
write("metrics/ari_b.txt", b)
write("metrics/ari.txt", [metrics.adjusted_rand_score(a, b), metrics.adjusted_rand_score(a, (a + 1) * 3),
                          metrics.adjusted_rand_score(a, np.zeros_like(a)), metrics.adjusted_rand_score(b, a)],
      "ari(a, b), ari(a, relabelled a), ari(a, one cluster), ari(b, a)")

# Real data: the iris species as clusters of the iris measurements.
iris = load_iris()
write("metrics/silhouette_iris.txt", metrics.silhouette_score(iris.data, iris.target),
      "silhouette_score(load_iris().data, load_iris().target)")
