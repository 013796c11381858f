"""Fixtures for the searches' scorers: GridSearchCV and cross_val_score with scikit-learn's `scoring`.

Folds are ones kestrel reproduces exactly: KFold(5) without shuffling, StratifiedKFold(5) without
shuffling. LogisticRegression runs with tol=1e-10 so that both libraries reach the same optimum.
Run: /usr/bin/python3 tests/reference/gen_search.py
"""
import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import make_scorer, roc_auc_score
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from fixtures import Case

logistic = dict(tol=1e-10, max_iter=10000)
Cs = [0.01, 0.1, 1.0, 10.0]
folds = KFold(n_splits=5)

# Binary: breast_cancer (labels 0 and 1), the scaled logistic pipeline, every classification scoring.
X, y = load_breast_cancer(return_X_y=True)
with Case("search/binary", "GridSearchCV(make_pipeline(StandardScaler(), LogisticRegression(tol=1e-10, "
          f"max_iter=10000)), {{'logisticregression__C': {Cs}}}, cv=KFold(5), scoring=...) on "
          "load_breast_cancer()") as case:
    case.add("C", Cs, "the grid of C, in order")
    for scoring in ["accuracy", "balanced_accuracy", "f1", "roc_auc", "neg_log_loss"]:
        search = GridSearchCV(make_pipeline(StandardScaler(), LogisticRegression(**logistic)),
                              {"logisticregression__C": Cs}, cv=folds, scoring=scoring).fit(X, y)
        case.add(f"{scoring}_mean_test_score", search.cv_results_["mean_test_score"], f"scoring='{scoring}'")
        case.add(f"{scoring}_std_test_score", search.cv_results_["std_test_score"], f"scoring='{scoring}'")
        case.add(f"{scoring}_best_index", search.best_index_, f"scoring='{scoring}'")
    pipe = make_pipeline(StandardScaler(), LogisticRegression(C=0.1, **logistic))
    case.add("cross_val_score_roc_auc", cross_val_score(pipe, X, y, cv=folds, scoring="roc_auc"),
             "cross_val_score(pipeline with C=0.1, cv=KFold(5), scoring='roc_auc')")
    # An estimator without decision_function is scored by roc_auc through predict_proba's column of
    # the greater class; scikit-learn's needs_proba scorer does exactly that for any classifier.
    proba_auc = make_scorer(roc_auc_score, needs_proba=True)
    case.add("cross_val_score_roc_auc_proba", cross_val_score(pipe, X, y, cv=folds, scoring=proba_auc),
             "cross_val_score(pipeline with C=0.1, cv=KFold(5)), ROC AUC of predict_proba[:, 1]")

# Multiclass: iris, stratified folds.
X, y = load_iris(return_X_y=True)
with Case("search/multiclass", "GridSearchCV(LogisticRegression(tol=1e-10, max_iter=10000), "
          f"{{'C': {Cs}}}, cv=StratifiedKFold(5), scoring=...) on load_iris()") as case:
    for scoring in ["accuracy", "balanced_accuracy", "neg_log_loss"]:
        search = GridSearchCV(LogisticRegression(**logistic), {"C": Cs}, cv=StratifiedKFold(n_splits=5),
                              scoring=scoring).fit(X, y)
        case.add(f"{scoring}_mean_test_score", search.cv_results_["mean_test_score"], f"scoring='{scoring}'")
        case.add(f"{scoring}_best_index", search.best_index_, f"scoring='{scoring}'")

# Regression: diabetes, Ridge.
X, y = load_diabetes(return_X_y=True)
alphas = [0.001, 0.01, 0.1, 1.0, 10.0]
with Case("search/regression", f"GridSearchCV(Ridge(), {{'alpha': {alphas}}}, cv=KFold(5), scoring=...) "
          "on load_diabetes()") as case:
    for scoring in ["r2", "neg_mean_squared_error"]:
        search = GridSearchCV(Ridge(), {"alpha": alphas}, cv=folds, scoring=scoring).fit(X, y)
        case.add(f"{scoring}_mean_test_score", search.cv_results_["mean_test_score"], f"scoring='{scoring}'")
        case.add(f"{scoring}_best_index", search.best_index_, f"scoring='{scoring}'")
