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

from fixtures import write

X, y = load_breast_cancer(return_X_y=True)
folds = KFold(n_splits=5)
logistic = dict(C=1.0, tol=1e-10, max_iter=10000)

# Ridge regression of the 0/1 target: continuous R² scores, a sharp test of the fold handling.
ridge_scores = cross_val_score(Ridge(alpha=1.0), X, y.astype(float), cv=folds)
write("cross_validation/ridge_cross_val_score.txt", ridge_scores, "Ridge(alpha=1), KFold(5), R^2 per fold")

pipe = make_pipeline(StandardScaler(), LogisticRegression(**logistic))
pipe_scores = cross_val_score(pipe, X, y, cv=folds)
write("cross_validation/pipeline_cross_val_score.txt", pipe_scores,
      "make_pipeline(StandardScaler(), LogisticRegression(C=1, tol=1e-10)), KFold(5), accuracy per fold")

alphas = [0.01, 0.1, 1.0, 10.0, 100.0]
ridge_search = GridSearchCV(Ridge(), {"alpha": alphas}, cv=folds).fit(X, y.astype(float))
write("cross_validation/ridge_grid_mean_test_score.txt", ridge_search.cv_results_["mean_test_score"],
      f"GridSearchCV(Ridge(), alpha={alphas}, KFold(5))")
write("cross_validation/ridge_grid_std_test_score.txt", ridge_search.cv_results_["std_test_score"])
write("cross_validation/ridge_grid_best_index.txt", ridge_search.best_index_)

Cs = [0.01, 0.1, 1.0, 10.0]
logistic_search = GridSearchCV(make_pipeline(StandardScaler(), LogisticRegression(**logistic)),
                               {"logisticregression__C": Cs}, cv=folds).fit(X, y)
write("cross_validation/pipeline_grid_mean_test_score.txt", logistic_search.cv_results_["mean_test_score"],
      f"GridSearchCV(make_pipeline(StandardScaler(), LogisticRegression(tol=1e-10)), C={Cs}, KFold(5))")
write("cross_validation/pipeline_grid_std_test_score.txt", logistic_search.cv_results_["std_test_score"])
write("cross_validation/pipeline_grid_rank_test_score.txt", logistic_search.cv_results_["rank_test_score"])

pipe.fit(X, y)
write("cross_validation/pipeline_predict_proba.txt", pipe.predict_proba(X),
      "make_pipeline(StandardScaler(), LogisticRegression(C=1, tol=1e-10)) fitted on all of breast_cancer")
