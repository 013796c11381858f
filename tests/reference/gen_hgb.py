"""Reference numbers for kestrel::ensemble's HistGradientBoostingRegressor / Classifier from
scikit-learn 1.2's estimators of the same names.

Without early stopping and with at most 200,000 rows scikit-learn's fit is deterministic, so each
case compares answer for answer: the bin thresholds of every feature and the raw predictions
(decision_function) on held-out rows after each of the first 20 iterations.

One case per (loss, option), hgb/<case>.npz:
- X_train, y_train, X_test (and sample_weight when the case is weighted);
- params: the text of the estimator's repr (what kestrel's test sets);
- thresholds (all features' bin thresholds concatenated) and threshold_sizes (how many each);
- staged (20 x n_test·K): the classifiers' staged_decision_function on X_test, the K columns of
  each iteration one after another (K = 1 except for the multiclass cases); the regressors'
  staged_predict;
- proba (n_test x n_classes) for the classifiers, predict for the regressors: the 20-iteration
  model's outputs.
The early-stopping case (hgb/early_stopping_*) stores n_iter_ and the last validation_score_
instead of the staged predictions: kestrel draws its validation split differently.
"""
import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, make_classification, make_regression
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.model_selection import train_test_split

from fixtures import Case

ITER = 20


def regression_data(n=600, d=8, seed=0):
    X, y = make_regression(n_samples=n, n_features=d, n_informative=5, noise=10, random_state=seed)
    return X, y


def with_missing(X, share, seed):
    rng = np.random.RandomState(seed)
    X = X.copy()
    X[rng.rand(*X.shape) < share] = np.nan
    return X


def with_categories(X, columns, cardinalities, seed):
    """Replaces the given columns by integer codes drawn from the column's quantiles, so that
    the codes still carry the signal."""
    rng = np.random.RandomState(seed)
    X = X.copy()
    for c, k in zip(columns, cardinalities):
        ranks = np.argsort(np.argsort(X[:, c]))
        codes = (ranks * k // X.shape[0]).astype(float)
        perm = rng.permutation(k)  # codes in no particular order
        X[:, c] = perm[codes.astype(int)]
    return X


def write(name, note, est, X, y, sample_weight=None, classifier=False):
    Xtr, Xte, ytr, yte, wtr = X, None, y, None, sample_weight
    idx = np.arange(X.shape[0])
    tr, te = train_test_split(idx, test_size=0.25, random_state=0,
                              stratify=y if classifier else None)
    Xtr, Xte, ytr = X[tr], X[te], y[tr]
    if sample_weight is not None:
        wtr = sample_weight[tr]
    est.fit(Xtr, ytr, sample_weight=wtr)
    with Case("hgb/" + name, note) as case:
        case.add("X_train", Xtr)
        case.add("y_train", ytr)
        case.add("X_test", Xte)
        if wtr is not None:
            case.add("sample_weight", wtr)
        case.add_text("params", repr(est))
        th = est._bin_mapper.bin_thresholds_
        case.add("threshold_sizes", [len(t) for t in th], "bin thresholds per feature")
        case.add("thresholds", np.concatenate([np.asarray(t, dtype=float) for t in th]), "bin_thresholds_, concatenated")
        stages = est.staged_decision_function(Xte) if classifier else est.staged_predict(Xte)
        staged = [np.asarray(s).reshape(Xte.shape[0], -1).T.ravel() for s in stages]
        case.add("staged", np.array(staged), "classifiers: staged_decision_function(X_test), K columns one after "
                 "another; regressors: staged_predict(X_test)")
        case.add("n_iter", est.n_iter_)
        if classifier:
            case.add("proba", est.predict_proba(Xte))
            case.add("classes", est.classes_)
        else:
            case.add("predict", est.predict(Xte))
    print(f"{name}: {repr(est)}; {Xtr.shape[0]} train rows, n_iter {est.n_iter_}")


def main():
    base = dict(max_iter=ITER, early_stopping=False)
    X, y = regression_data()
    write("squared_error", "make_regression(600, 8, n_informative=5, noise=10, random_state=0)",
          HistGradientBoostingRegressor(**base), X, y)
    write("absolute_error", "make_regression(600, 8, ...) as squared_error",
          HistGradientBoostingRegressor(loss="absolute_error", **base), X, y)
    write("quantile", "make_regression(600, 8, ...) as squared_error",
          HistGradientBoostingRegressor(loss="quantile", quantile=0.8, **base), X, y)
    rng = np.random.RandomState(1)
    Xp = rng.rand(600, 6)
    yp = rng.poisson(np.exp(1 + 2 * Xp[:, 0] - Xp[:, 1] + Xp[:, 2] * Xp[:, 3]))
    write("poisson", "X uniform (600 x 6), y ~ Poisson(exp(1 + 2x0 - x1 + x2 x3)), RandomState(1)",
          HistGradientBoostingRegressor(loss="poisson", **base), Xp, yp.astype(float))
    Xd, yd = load_diabetes(return_X_y=True)
    write("diabetes_options", "load_diabetes; depth, leaf size, l2 and few bins (the percentile thresholds)",
          HistGradientBoostingRegressor(max_depth=3, min_samples_leaf=10, l2_regularization=1.0, max_bins=16,
                                        learning_rate=0.2, **base), Xd, yd)
    write("squared_error_weighted", "make_regression(600, 8, ...) with sample weights uniform in [0.5, 2)",
          HistGradientBoostingRegressor(**base), X, y, sample_weight=np.random.RandomState(2).uniform(0.5, 2, 600))
    write("absolute_error_weighted", "as squared_error_weighted, absolute error",
          HistGradientBoostingRegressor(loss="absolute_error", **base), X, y,
          sample_weight=np.random.RandomState(2).uniform(0.5, 2, 600))
    Xm = with_missing(X, 0.15, 3)
    write("squared_error_missing", "make_regression(600, 8, ...) with 15% of X set to NaN (RandomState(3))",
          HistGradientBoostingRegressor(**base), Xm, y)
    Xc = with_categories(X, [0, 2], [7, 12], 4)
    write("squared_error_categorical", "make_regression(600, 8, ...), features 0 and 2 as 7 and 12 categories",
          HistGradientBoostingRegressor(categorical_features=[0, 2], **base), Xc, y)
    Xcm = with_missing(Xc, 0.1, 5)
    write("squared_error_categorical_missing", "as squared_error_categorical with 10% of X set to NaN",
          HistGradientBoostingRegressor(categorical_features=[0, 2], **base), Xcm, y)
    write("squared_error_monotonic", "make_regression(600, 8, ...), monotonic constraints on 4 features",
          HistGradientBoostingRegressor(monotonic_cst=[1, -1, 0, 1, 0, 0, -1, 0], **base), X, y)
    write("squared_error_interaction", "make_regression(600, 8, ...), interaction constraints",
          HistGradientBoostingRegressor(interaction_cst=[[0, 1], [1, 2, 3], [5]], **base), X, y)

    Xb, yb = load_breast_cancer(return_X_y=True)
    write("binary", "load_breast_cancer", HistGradientBoostingClassifier(**base), Xb, yb, classifier=True)
    write("binary_missing", "load_breast_cancer with 10% of X set to NaN (RandomState(6))",
          HistGradientBoostingClassifier(**base), with_missing(Xb, 0.1, 6), yb, classifier=True)
    write("binary_monotonic", "load_breast_cancer, monotonic constraints on features 0-3",
          HistGradientBoostingClassifier(monotonic_cst=[1, 1, -1, 1] + [0] * 26, **base), Xb, yb, classifier=True)
    write("binary_class_weight", "load_breast_cancer, class_weight balanced, l2 0.5",
          HistGradientBoostingClassifier(class_weight="balanced", l2_regularization=0.5, **base), Xb, yb,
          classifier=True)
    Xk, yk = make_classification(n_samples=700, n_features=10, n_informative=6, n_redundant=2, n_classes=4,
                                 random_state=7)
    write("multiclass", "make_classification(700, 10, n_informative=6, n_redundant=2, n_classes=4, random_state=7)",
          HistGradientBoostingClassifier(**base), Xk, yk, classifier=True)
    Xkc = with_missing(with_categories(Xk, [1, 4], [5, 9], 8), 0.05, 9)
    write("multiclass_categorical_missing", "as multiclass, features 1 and 4 as 5 and 9 categories, 5% NaN",
          HistGradientBoostingClassifier(categorical_features=[1, 4], **base), Xkc, yk, classifier=True)
    Xi, yi = load_iris(return_X_y=True)
    write("iris_interaction", "load_iris, interaction constraints, max_leaf_nodes 8",
          HistGradientBoostingClassifier(interaction_cst=[[0, 1], [2, 3]], max_leaf_nodes=8, min_samples_leaf=5,
                                         **base), Xi, yi, classifier=True)

    # Early stopping: n_iter_ and the final validation score, not tree for tree.
    Xe, ye = make_regression(n_samples=3000, n_features=8, n_informative=5, noise=30, random_state=10)
    est = HistGradientBoostingRegressor(max_iter=500, early_stopping=True, n_iter_no_change=5,
                                        learning_rate=0.3, random_state=0).fit(Xe, ye)
    with Case("hgb/early_stopping_regression", "make_regression(3000, 8, n_informative=5, noise=30, random_state=10); "
              "HistGradientBoostingRegressor(max_iter=500, early_stopping=True, n_iter_no_change=5, "
              "learning_rate=0.3, random_state=0)") as case:
        case.add("X", Xe)
        case.add("y", ye)
        case.add("n_iter", est.n_iter_)
        case.add("validation_score", est.validation_score_[-1])
        case.add("train_score", est.train_score_[-1])
    print(f"early_stopping_regression: n_iter {est.n_iter_}, validation score {est.validation_score_[-1]:.3f}")
    Xe, ye = make_classification(n_samples=3000, n_features=8, n_informative=5, n_classes=3, random_state=11)
    est = HistGradientBoostingClassifier(max_iter=500, early_stopping=True, n_iter_no_change=5,
                                         learning_rate=0.3, random_state=0).fit(Xe, ye)
    with Case("hgb/early_stopping_classification", "make_classification(3000, 8, n_informative=5, n_classes=3, "
              "random_state=11); HistGradientBoostingClassifier(max_iter=500, early_stopping=True, "
              "n_iter_no_change=5, learning_rate=0.3, random_state=0)") as case:
        case.add("X", Xe)
        case.add("y", ye)
        case.add("n_iter", est.n_iter_)
        case.add("validation_score", est.validation_score_[-1])
        case.add("train_score", est.train_score_[-1])
    print(f"early_stopping_classification: n_iter {est.n_iter_}, validation score {est.validation_score_[-1]:.3f}")


if __name__ == "__main__":
    main()
