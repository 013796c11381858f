"""Reference numbers for kestrel::ensemble (RandomForestClassifier / Regressor, ExtraTreesClassifier /
Regressor) from scikit-learn 1.2: not tree for tree (kestrel draws its bootstrap samples, features
and thresholds from its own streams), but the quality a forest reaches over random_state 0..9.

Data (X rounded to float32 and stored as float64 holding those values, since scikit-learn's trees
work in float32), each split once by train_test_split(test_size=0.25, random_state=0, stratified
for the classifiers):
- classification: breast_cancer (569 rows, 30 features, 2 classes) and "classification",
  make_classification(600 rows, 10 features, 5 informative, 2 redundant, 3 classes, random_state=0).
- regression: diabetes (442 rows, 10 features) and "regression", make_regression(600 rows,
  10 features, 5 informative, noise=20, random_state=0).

One case per data set, forest/<data>.npz: X_train, y_train, X_test, y_test and, per estimator
(prefix rf_ for the random forest, et_ for extra trees): <prefix>score (10: test accuracy, or R²,
for random_state 0..9), <prefix>importances (10 x d: feature_importances_), their means
<prefix>score_mean and <prefix>importances_mean, and for the random forest rf_oob (10: oob_score_)
and rf_oob_mean. Every forest has n_estimators=100 and scikit-learn's other defaults, the random
forests oob_score=True.
"""
import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes, make_classification, make_regression
from sklearn.ensemble import (ExtraTreesClassifier, ExtraTreesRegressor, RandomForestClassifier,
                              RandomForestRegressor)
from sklearn.model_selection import train_test_split

from fixtures import Case

SEEDS = range(10)


def f32(X):
    return np.asarray(X, dtype=np.float64).astype(np.float32).astype(np.float64)


def data_sets():
    X, y = load_breast_cancer(return_X_y=True)
    yield "breast_cancer", True, f32(X), y, "load_breast_cancer"
    X, y = make_classification(n_samples=600, n_features=10, n_informative=5, n_redundant=2, n_classes=3,
                               random_state=0)
    yield "classification", True, f32(X), y, ("make_classification(n_samples=600, n_features=10, n_informative=5, "
                                              "n_redundant=2, n_classes=3, random_state=0)")
    X, y = load_diabetes(return_X_y=True)
    yield "diabetes", False, f32(X), y, "load_diabetes"
    X, y = make_regression(n_samples=600, n_features=10, n_informative=5, noise=20, random_state=0)
    yield "regression", False, f32(X), y, ("make_regression(n_samples=600, n_features=10, n_informative=5, "
                                           "noise=20, random_state=0)")


def main():
    for name, classifier, X, y, source in data_sets():
        Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=0,
                                              stratify=y if classifier else None)
        if classifier:
            forests = [("rf_", RandomForestClassifier, dict(oob_score=True)), ("et_", ExtraTreesClassifier, {})]
        else:
            forests = [("rf_", RandomForestRegressor, dict(oob_score=True)), ("et_", ExtraTreesRegressor, {})]
        what = "test accuracy" if classifier else "test R²"
        with Case("forest/" + name, f"{source}, train_test_split(test_size=0.25, random_state=0"
                  f"{', stratify=y' if classifier else ''}); forests of n_estimators=100, random_state 0..9, "
                  f"otherwise scikit-learn's defaults (oob_score=True for the random forest)") as case:
            case.add("X_train", Xtr)
            case.add("y_train", ytr)
            case.add("X_test", Xte)
            case.add("y_test", yte)
            summary = []
            for prefix, cls, extra in forests:
                scores, oobs, importances = [], [], []
                for seed in SEEDS:
                    est = cls(n_estimators=100, random_state=seed, **extra).fit(Xtr, ytr)
                    scores.append(est.score(Xte, yte))
                    importances.append(est.feature_importances_)
                    if extra.get("oob_score"):
                        oobs.append(est.oob_score_)
                label = cls.__name__
                case.add(prefix + "score", scores, f"{label}: {what} per random_state 0..9")
                case.add(prefix + "score_mean", np.mean(scores))
                case.add(prefix + "importances", np.array(importances), f"{label}: feature_importances_ per seed")
                case.add(prefix + "importances_mean", np.mean(importances, axis=0))
                line = f"{label} {what} {np.mean(scores):.4f} (min {np.min(scores):.4f}, max {np.max(scores):.4f})"
                if oobs:
                    case.add(prefix + "oob", oobs, f"{label}: oob_score_ per seed")
                    case.add(prefix + "oob_mean", np.mean(oobs))
                    line += f", oob {np.mean(oobs):.4f}"
                summary.append(line)
        print(f"{name}: {Xtr.shape[0]} train / {Xte.shape[0]} test rows, {X.shape[1]} features; " + "; ".join(summary))


if __name__ == "__main__":
    main()
