"""Fixtures for cross_val_score, GridSearchCV and Pipeline parity on breast_cancer.

Folds: KFold(5) without shuffling, which kestrel reproduces exactly.
Run: /usr/bin/python3 tests/reference/gen_cross_validation.py
"""
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from fixtures import Case

X, y = load_breast_cancer(return_X_y=True)
folds = KFold(n_splits=5)
logistic = dict(C=1.0, tol=1e-10, max_iter=10000)
ridge = Case("cross_validation/ridge", "Ridge on load_breast_cancer(), the 0/1 target as a number, KFold(5)")
pipeline = Case("cross_validation/pipeline", "make_pipeline(StandardScaler(), LogisticRegression(tol=1e-10)) on "
                "load_breast_cancer(), KFold(5)")

# Ridge regression of the 0/1 target: continuous R² scores, a sharp test of the fold handling.
ridge_scores = cross_val_score(Ridge(alpha=1.0), X, y.astype(float), cv=folds)
ridge.add("cross_val_score", ridge_scores, "Ridge(alpha=1), KFold(5), R^2 per fold")

pipe = make_pipeline(StandardScaler(), LogisticRegression(**logistic))
pipe_scores = cross_val_score(pipe, X, y, cv=folds)
pipeline.add("cross_val_score", pipe_scores,
             "make_pipeline(StandardScaler(), LogisticRegression(C=1, tol=1e-10)), KFold(5), accuracy per fold")

alphas = [0.01, 0.1, 1.0, 10.0, 100.0]
ridge_search = GridSearchCV(Ridge(), {"alpha": alphas}, cv=folds).fit(X, y.astype(float))
grid_note = f"GridSearchCV(Ridge(), alpha={alphas}, KFold(5))"
ridge.add("grid_mean_test_score", ridge_search.cv_results_["mean_test_score"], grid_note)
ridge.add("grid_std_test_score", ridge_search.cv_results_["std_test_score"], grid_note)
ridge.add("grid_best_index", ridge_search.best_index_, grid_note)

Cs = [0.01, 0.1, 1.0, 10.0]
logistic_search = GridSearchCV(make_pipeline(StandardScaler(), LogisticRegression(**logistic)),
                               {"logisticregression__C": Cs}, cv=folds).fit(X, y)
grid_note = f"GridSearchCV(make_pipeline(StandardScaler(), LogisticRegression(tol=1e-10)), C={Cs}, KFold(5))"
pipeline.add("grid_mean_test_score", logistic_search.cv_results_["mean_test_score"], grid_note)
pipeline.add("grid_std_test_score", logistic_search.cv_results_["std_test_score"], grid_note)
pipeline.add("grid_rank_test_score", logistic_search.cv_results_["rank_test_score"], grid_note)

pipe.fit(X, y)
pipeline.add("predict_proba", pipe.predict_proba(X),
             "make_pipeline(StandardScaler(), LogisticRegression(C=1, tol=1e-10)) fitted on all of breast_cancer")
ridge.save()
pipeline.save()
