"""scikit-learn 1.2 models converted to kestrel model files, for tests/io/test_sklearn_models.cpp.

Each case fits a scikit-learn estimator or Pipeline on a bundled dataset (iris, wine,
breast_cancer, diabetes), converts it with python/kestrel_convert.py's to_kestrel into
tests/reference/persistence/<case>.kestrel, and writes tests/reference/persistence/<case>.npz with
the test rows X and scikit-learn's outputs on them (predict, predict_proba, decision_function,
transform, as the estimator has them; for the trees and forests also the fitted
feature_importances_, and oob_score_ where fitted with oob_score=True). The test rows are 40 rows
drawn with RandomState(0) (rounded to float32 for the trees and forests); the model is fitted on
the others (or on all rows where noted). The versions of scikit-learn and NumPy
are in each .npz's provenance.
Run: /usr/bin/python3 tests/reference/gen_persistence.py [CASE ...]
(with case names, only those cases' files are written).
"""
import os
import sys
import warnings

import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import ExtraTreesClassifier, ExtraTreesRegressor, RandomForestClassifier, RandomForestRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import (MaxAbsScaler, MinMaxScaler, Normalizer, OneHotEncoder, OrdinalEncoder,
                                   PolynomialFeatures, RobustScaler, StandardScaler)
from sklearn.svm import SVC, SVR, LinearSVC, LinearSVR, NuSVC, NuSVR, OneClassSVM
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor, ExtraTreeClassifier, ExtraTreeRegressor

from fixtures import HERE, ROOT, Case

sys.path.insert(0, os.path.join(ROOT, "python"))
from kestrel_convert import to_kestrel  # noqa: E402

warnings.simplefilter("ignore", ConvergenceWarning)
warnings.simplefilter("ignore", UserWarning)  # unknown categories encoded as zeros

N_TEST = 40
OUTPUTS = ("predict", "predict_proba", "decision_function", "transform")
ONLY = set(sys.argv[1:])


def split(X, y=None):
    """(train X, train y, test X): N_TEST rows drawn with RandomState(0) are the test rows."""
    order = np.random.RandomState(0).permutation(len(X))
    test, train = order[:N_TEST], order[N_TEST:]
    return X[train], None if y is None else y[train], X[test]


def convert(name, model, X_test, note, attributes=(), **options):
    """Writes persistence/<name>.kestrel and persistence/<name>.npz (X, the outputs, and the fitted
    `attributes` of the model, of its last step for a Pipeline, under their names without the
    trailing underscore)."""
    if ONLY and name not in ONLY:
        return
    path = os.path.join(HERE, "persistence", name + ".kestrel")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    to_kestrel(model, path, **options)
    with Case(f"persistence/{name}", note + f"; model file persistence/{name}.kestrel by to_kestrel") as case:
        case.add("X", X_test, "the test rows")
        for method in OUTPUTS:
            if hasattr(model, method):
                out = getattr(model, method)(X_test)
                case.add(method, out.toarray() if hasattr(out, "toarray") else out)
        last = model.steps[-1][1] if hasattr(model, "steps") else model
        for attribute in attributes:
            case.add(attribute.rstrip("_"), getattr(last, attribute), f"scikit-learn's {attribute}")


iris_X, iris_y = load_iris(return_X_y=True)
wine_X, wine_y = load_wine(return_X_y=True)
cancer_X, cancer_y = load_breast_cancer(return_X_y=True)
diabetes_X, diabetes_y = load_diabetes(return_X_y=True)

# Linear regressors on diabetes; one and two targets.
X, y, X_test = split(diabetes_X, diabetes_y)
convert("linear_regression", LinearRegression().fit(X, y), X_test, "LinearRegression() on load_diabetes()")
convert("linear_regression_no_intercept", LinearRegression(fit_intercept=False).fit(X, y), X_test,
        "LinearRegression(fit_intercept=False) on load_diabetes()")
Y = np.column_stack([y, np.log(y)])
convert("linear_regression_two_targets", LinearRegression().fit(X, Y), X_test,
        "LinearRegression() on load_diabetes(), Y = [y, log y]")
convert("ridge", Ridge(alpha=0.3).fit(X, y), X_test, "Ridge(alpha=0.3) on load_diabetes()")
convert("ridge_two_targets", Ridge(alpha=1.0).fit(X, Y), X_test, "Ridge(alpha=1.0) on load_diabetes(), Y = [y, log y]")
convert("lasso", Lasso(alpha=0.05).fit(X, y), X_test, "Lasso(alpha=0.05) on load_diabetes()")
convert("elastic_net", ElasticNet(alpha=0.002, l1_ratio=0.6, precompute=True, max_iter=5000).fit(X, y), X_test,
        "ElasticNet(alpha=0.002, l1_ratio=0.6, precompute=True, max_iter=5000) on load_diabetes()")

# LogisticRegression: multinomial lbfgs on iris, binary newton-cholesky with a class-weight map
# on breast_cancer's first ten features.
X, y, X_test = split(iris_X, iris_y)
convert("logistic_multinomial", LogisticRegression(C=0.5, max_iter=1000).fit(X, y), X_test,
        "LogisticRegression(C=0.5, max_iter=1000) on load_iris()")
X, y, X_test = split(cancer_X[:, :10], cancer_y)
convert("logistic_binary",
        LogisticRegression(solver="newton-cholesky", class_weight={0: 2.0, 1: 1.0}, max_iter=200).fit(X, y), X_test,
        "LogisticRegression(solver='newton-cholesky', class_weight={0: 2, 1: 1}) on load_breast_cancer()[:, :10]")

# k-means on iris.
X, _, X_test = split(iris_X)
convert("kmeans", KMeans(n_clusters=3, n_init=3, algorithm="elkan", random_state=0).fit(X), X_test,
        "KMeans(n_clusters=3, n_init=3, algorithm='elkan', random_state=0) on load_iris()")
convert("minibatch_kmeans",
        MiniBatchKMeans(n_clusters=4, batch_size=30, n_init=3, max_no_improvement=None, random_state=0).fit(X),
        X_test, "MiniBatchKMeans(n_clusters=4, batch_size=30, n_init=3, max_no_improvement=None, random_state=0) "
        "on load_iris()")

# Scalers on wine.
X, _, X_test = split(wine_X)
convert("standard_scaler", StandardScaler().fit(X), X_test, "StandardScaler() on load_wine()")
convert("standard_scaler_no_mean", StandardScaler(with_mean=False).fit(X), X_test,
        "StandardScaler(with_mean=False) on load_wine()")
convert("min_max_scaler", MinMaxScaler(feature_range=(-1, 2), clip=True).fit(X), X_test,
        "MinMaxScaler(feature_range=(-1, 2), clip=True) on load_wine()")

# RobustScaler, MaxAbsScaler and Normalizer on wine.
convert("robust_scaler", RobustScaler(quantile_range=(10.0, 80.0), unit_variance=True).fit(X), X_test,
        "RobustScaler(quantile_range=(10.0, 80.0), unit_variance=True) on load_wine()")
convert("robust_scaler_no_centering", RobustScaler(with_centering=False).fit(X), X_test,
        "RobustScaler(with_centering=False) on load_wine()")
convert("max_abs_scaler", MaxAbsScaler().fit(X), X_test, "MaxAbsScaler() on load_wine()")
X, y, X_test = split(wine_X, wine_y)
convert("pipeline_normalizer_logistic",
        make_pipeline(Normalizer(norm="l1"), LogisticRegression(C=100.0, max_iter=1000)).fit(X, y), X_test,
        "make_pipeline(Normalizer(norm='l1'), LogisticRegression(C=100.0, max_iter=1000)) on load_wine()")

# PolynomialFeatures on iris, alone and before a Ridge; OrdinalEncoder on iris doubled and rounded,
# with NaN in column 1 of the training rows and unseen categories among the test rows.
X, y, X_test = split(iris_X, iris_y.astype(float))
convert("polynomial_features", PolynomialFeatures(degree=(2, 3), interaction_only=True).fit(X), X_test,
        "PolynomialFeatures(degree=(2, 3), interaction_only=True) on load_iris()")
convert("pipeline_polynomial_ridge", make_pipeline(PolynomialFeatures(degree=3, include_bias=False),
                                                   Ridge(alpha=0.5)).fit(X, y), X_test,
        "make_pipeline(PolynomialFeatures(degree=3, include_bias=False), Ridge(alpha=0.5)) on load_iris() "
        "(target: the class as a number)")
codes_X, codes_test = np.round(2 * X), np.round(2 * X_test)
codes_X[::9, 1] = np.nan
convert("ordinal_encoder", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1).fit(codes_X),
        codes_test, "OrdinalEncoder(handle_unknown='use_encoded_value', unknown_value=-1) on 2 * load_iris() rounded, "
        "NaN in column 1")

# SimpleImputer on wine with holes: every 7th entry NaN (row-major order), column 4 all NaN in the
# training rows (so dropped, or kept with keep_empty_features); and -1 as the marker.
holes = wine_X.copy()
holes.flat[::7] = np.nan
X, y, X_test = split(holes, wine_y)
X[:, 4] = np.nan
convert("simple_imputer", SimpleImputer(strategy="median", add_indicator=True).fit(X), X_test,
        "SimpleImputer(strategy='median', add_indicator=True) on load_wine() with holes (NaN)")
convert("simple_imputer_keep", SimpleImputer(strategy="most_frequent", keep_empty_features=True).fit(X), X_test,
        "SimpleImputer(strategy='most_frequent', keep_empty_features=True) on load_wine() with holes (NaN)")
marked = np.where(np.isnan(X), -1.0, X)
convert("simple_imputer_marker",
        SimpleImputer(missing_values=-1.0, strategy="constant", fill_value=2.5, add_indicator=True).fit(marked),
        np.where(np.isnan(X_test), -1.0, X_test),
        "SimpleImputer(missing_values=-1.0, strategy='constant', fill_value=2.5, add_indicator=True) on load_wine() "
        "with holes (-1)")
convert("pipeline_imputer_scaler_logistic",
        make_pipeline(SimpleImputer(), StandardScaler(), LogisticRegression(max_iter=1000)).fit(X, y), X_test,
        "make_pipeline(SimpleImputer(), StandardScaler(), LogisticRegression(max_iter=1000)) on load_wine() with holes")

# OneHotEncoder on iris' features as whole numbers: floor(x) fitted on every row, and
# floor(2x) fitted on the training rows (some test rows hold categories it has not seen).
categories = np.floor(iris_X)
_, _, X_test = split(categories)
convert("one_hot_encoder", OneHotEncoder(drop="first", sparse_output=False).fit(categories), X_test,
        "OneHotEncoder(drop='first') on floor(load_iris()), fitted on all rows")
X, _, X_test = split(np.floor(2 * iris_X))
convert("one_hot_encoder_ignore",
        OneHotEncoder(drop="if_binary", handle_unknown="ignore", sparse_output=False).fit(X), X_test,
        "OneHotEncoder(drop='if_binary', handle_unknown='ignore') on floor(2 load_iris())")

# DummyClassifier's deterministic strategies: alone (scikit-learn's does not record its feature
# count, so to_kestrel is given it) and after a scaler.
X, y, X_test = split(wine_X, wine_y)
convert("dummy_prior", DummyClassifier().fit(X, y), X_test, "DummyClassifier() on load_wine()",
        n_features_in=X.shape[1])
for strategy, (data_X, data_y), kwargs in [("most_frequent", (cancer_X, cancer_y), {}),
                                           ("constant", (iris_X, iris_y), {"constant": 2})]:
    X, y, X_test = split(data_X, data_y)
    convert(f"pipeline_scaler_dummy_{strategy}",
            make_pipeline(StandardScaler(), DummyClassifier(strategy=strategy, **kwargs)).fit(X, y), X_test,
            f"make_pipeline(StandardScaler(), DummyClassifier(strategy={strategy!r}, {kwargs})) on "
            f"{'load_breast_cancer()' if strategy == 'most_frequent' else 'load_iris()'}")

# Pipelines.
X, y, X_test = split(cancer_X, cancer_y)
convert("pipeline_scaler_logistic",
        make_pipeline(StandardScaler(), LogisticRegression(C=0.2, class_weight="balanced")).fit(X, y), X_test,
        "make_pipeline(StandardScaler(), LogisticRegression(C=0.2, class_weight='balanced')) on load_breast_cancer()")
X, y, X_test = split(wine_X, wine_y)
convert("pipeline_scaler_logistic_ovr",
        make_pipeline(StandardScaler(), LogisticRegression(solver="newton-cholesky", penalty=None)).fit(X, y),
        X_test, "make_pipeline(StandardScaler(), LogisticRegression(solver='newton-cholesky', penalty=None)) on "
        "load_wine()")
convert("pipeline_minmax_kmeans", make_pipeline(MinMaxScaler(), KMeans(n_clusters=3, n_init=5, random_state=1)).fit(X),
        X_test, "make_pipeline(MinMaxScaler(), KMeans(n_clusters=3, n_init=5, random_state=1)) on load_wine()")
convert("pipeline_repeated",
        make_pipeline(StandardScaler(), KMeans(n_clusters=5, n_init=2, random_state=2), StandardScaler(),
                      LogisticRegression(max_iter=500)).fit(X, y),
        X_test, "make_pipeline(StandardScaler(), KMeans(5), StandardScaler(), LogisticRegression()) on load_wine()")
X, y, X_test = split(np.floor(iris_X), iris_y)
convert("pipeline_encoder_logistic",
        make_pipeline(OneHotEncoder(handle_unknown="ignore", sparse_output=False), LogisticRegression()).fit(X, y),
        X_test, "make_pipeline(OneHotEncoder(handle_unknown='ignore'), LogisticRegression()) on floor(load_iris())")
X, y, X_test = split(diabetes_X, diabetes_y)
convert("pipeline_scaler_elastic_net",
        make_pipeline(StandardScaler(), ElasticNet(alpha=0.1, l1_ratio=0.3)).fit(X, y), X_test,
        "make_pipeline(StandardScaler(), ElasticNet(alpha=0.1, l1_ratio=0.3)) on load_diabetes()")

# SVC: binary on breast_cancer (rbf after a scaler; linear with a class-weight map), multiclass on
# iris and wine (rbf with balanced weights, linear with a map, poly with ovo decision values,
# sigmoid with break_ties).
X, y, X_test = split(cancer_X, cancer_y)
convert("pipeline_scaler_svc_binary", make_pipeline(StandardScaler(), SVC(C=2.0)).fit(X, y), X_test,
        "make_pipeline(StandardScaler(), SVC(C=2.0)) on load_breast_cancer()")
convert("pipeline_scaler_svc_binary_linear",
        make_pipeline(StandardScaler(), SVC(kernel="linear", C=0.1, class_weight={0: 2.0, 1: 1.0})).fit(X, y), X_test,
        "make_pipeline(StandardScaler(), SVC(kernel='linear', C=0.1, class_weight={0: 2, 1: 1})) on "
        "load_breast_cancer()")
X, y, X_test = split(iris_X, iris_y)
convert("svc_linear", SVC(kernel="linear", C=0.5, class_weight={0: 2.0, 2: 0.5}).fit(X, y), X_test,
        "SVC(kernel='linear', C=0.5, class_weight={0: 2, 2: 0.5}) on load_iris()")
convert("svc_poly_ovo",
        SVC(kernel="poly", degree=3, gamma=0.5, coef0=1.0, decision_function_shape="ovo").fit(X, y), X_test,
        "SVC(kernel='poly', degree=3, gamma=0.5, coef0=1, decision_function_shape='ovo') on load_iris()")
X, y, X_test = split(wine_X, wine_y)
convert("pipeline_scaler_svc_balanced",
        make_pipeline(StandardScaler(), SVC(C=3.0, class_weight="balanced")).fit(X, y), X_test,
        "make_pipeline(StandardScaler(), SVC(C=3.0, class_weight='balanced')) on load_wine()")
convert("pipeline_scaler_svc_sigmoid",
        make_pipeline(StandardScaler(), SVC(kernel="sigmoid", gamma="auto", coef0=0.5, break_ties=True)).fit(X, y),
        X_test, "make_pipeline(StandardScaler(), SVC(kernel='sigmoid', gamma='auto', coef0=0.5, break_ties=True)) on "
        "load_wine()")

convert("pipeline_scaler_svc_proba",
        make_pipeline(StandardScaler(), SVC(probability=True, random_state=0)).fit(X, y), X_test,
        "make_pipeline(StandardScaler(), SVC(probability=True, random_state=0)) on load_wine()")
convert("pipeline_scaler_nusvc",
        make_pipeline(StandardScaler(), NuSVC(nu=0.3, kernel="poly", degree=2, coef0=1.0)).fit(X, y), X_test,
        "make_pipeline(StandardScaler(), NuSVC(nu=0.3, kernel='poly', degree=2, coef0=1)) on load_wine()")
X, y, X_test = split(iris_X, iris_y)
convert("one_class_svm", OneClassSVM(nu=0.2, gamma=0.3).fit(X), X_test, "OneClassSVM(nu=0.2, gamma=0.3) on load_iris()")

# SVR on diabetes (targets 25 to 346).
X, y, X_test = split(diabetes_X, diabetes_y)
convert("svr_rbf", SVR(C=500.0, epsilon=5.0).fit(X, y), X_test, "SVR(C=500, epsilon=5) on load_diabetes()")
convert("svr_linear", SVR(kernel="linear", C=1000.0, epsilon=2.0).fit(X, y), X_test,
        "SVR(kernel='linear', C=1000, epsilon=2) on load_diabetes()")
convert("svr_poly", SVR(kernel="poly", degree=2, gamma="auto", coef0=1.0, C=300.0).fit(X, y), X_test,
        "SVR(kernel='poly', degree=2, gamma='auto', coef0=1, C=300) on load_diabetes()")
convert("nusvr_rbf", NuSVR(nu=0.4, C=300.0).fit(X, y), X_test, "NuSVR(nu=0.4, C=300) on load_diabetes()")

# LinearSVC: binary on breast_cancer after a scaler (class-weight map), one-vs-rest on iris (l1
# penalty in the primal; hinge loss without an intercept), Crammer-Singer on wine after a scaler.
X, y, X_test = split(cancer_X, cancer_y)
convert("pipeline_scaler_linear_svc_binary",
        make_pipeline(StandardScaler(),
                      LinearSVC(C=0.5, class_weight={0: 2.0, 1: 1.0}, random_state=0, max_iter=100000)).fit(X, y),
        X_test, "make_pipeline(StandardScaler(), LinearSVC(C=0.5, class_weight={0: 2, 1: 1}, random_state=0, "
        "max_iter=100000)) on load_breast_cancer()")
X, y, X_test = split(iris_X, iris_y)
convert("linear_svc_l1", LinearSVC(penalty="l1", dual=False, C=0.5, max_iter=100000).fit(X, y), X_test,
        "LinearSVC(penalty='l1', dual=False, C=0.5, max_iter=100000) on load_iris()")
convert("linear_svc_hinge_no_intercept",
        LinearSVC(loss="hinge", fit_intercept=False, C=0.2, random_state=1, max_iter=100000).fit(X, y), X_test,
        "LinearSVC(loss='hinge', fit_intercept=False, C=0.2, random_state=1, max_iter=100000) on load_iris()")
X, y, X_test = split(wine_X, wine_y)
convert("pipeline_scaler_linear_svc_crammer_singer",
        make_pipeline(StandardScaler(),
                      LinearSVC(multi_class="crammer_singer", C=0.3, intercept_scaling=2.0, class_weight="balanced",
                                random_state=3, max_iter=10000)).fit(X, y),
        X_test, "make_pipeline(StandardScaler(), LinearSVC(multi_class='crammer_singer', C=0.3, intercept_scaling=2, "
        "class_weight='balanced', random_state=3, max_iter=10000)) on load_wine()")

# LinearSVR on diabetes: the dual after a scaler, and squared_epsilon_insensitive in the primal
# without an intercept.
X, y, X_test = split(diabetes_X, diabetes_y)
convert("pipeline_scaler_linear_svr",
        make_pipeline(StandardScaler(), LinearSVR(C=10.0, epsilon=5.0, random_state=0, max_iter=100000)).fit(X, y),
        X_test, "make_pipeline(StandardScaler(), LinearSVR(C=10, epsilon=5, random_state=0, max_iter=100000)) on "
        "load_diabetes()")
convert("linear_svr_squared_no_intercept",
        LinearSVR(loss="squared_epsilon_insensitive", dual=False, fit_intercept=False, epsilon=1.0, C=100.0,
                  max_iter=100000).fit(X, y),
        X_test, "LinearSVR(loss='squared_epsilon_insensitive', dual=False, fit_intercept=False, epsilon=1, C=100, "
        "max_iter=100000) on load_diabetes()")

# Trees (max_depth 5) and forests (5 trees of max_depth 5): classifiers on wine, iris and
# breast_cancer, regressors on diabetes; with class weights, best-first growth, pruning, fractions
# for the sizes and max_features, out-of-bag estimates and bootstrap subsamples. scikit-learn's
# trees fit and predict on X rounded to float32, kestrel's on X as given: a value within float32
# rounding of a threshold can go the other way (diabetes holds training values one float32 apart),
# so the test rows of the trees and forests are float32 values, which both read alike.
IMPORTANCES = ("feature_importances_",)


def split32(X, y):
    X, y, X_test = split(X, y)
    return X, y, X_test.astype(np.float32).astype(np.float64)


X, y, X_test = split32(wine_X, wine_y)
convert("decision_tree_classifier",
        DecisionTreeClassifier(max_depth=5, criterion="entropy", class_weight="balanced", random_state=0).fit(X, y),
        X_test, "DecisionTreeClassifier(max_depth=5, criterion='entropy', class_weight='balanced', random_state=0) on "
        "load_wine()", IMPORTANCES)
convert("random_forest_classifier",
        RandomForestClassifier(n_estimators=5, max_depth=5, oob_score=True, class_weight={0: 2.0, 1: 1.0, 2: 0.5},
                               random_state=0).fit(X, y),
        X_test, "RandomForestClassifier(n_estimators=5, max_depth=5, oob_score=True, "
        "class_weight={0: 2, 1: 1, 2: 0.5}, random_state=0) on load_wine()", IMPORTANCES + ("oob_score_",))
X, y, X_test = split32(iris_X, iris_y)
convert("extra_tree_classifier",
        ExtraTreeClassifier(max_depth=5, max_features=None, max_leaf_nodes=8, random_state=1).fit(X, y), X_test,
        "ExtraTreeClassifier(max_depth=5, max_features=None, max_leaf_nodes=8, random_state=1) on load_iris()",
        IMPORTANCES)
convert("extra_trees_classifier",
        ExtraTreesClassifier(n_estimators=5, max_depth=5, criterion="gini", max_features="log2", random_state=2)
        .fit(X, y), X_test,
        "ExtraTreesClassifier(n_estimators=5, max_depth=5, max_features='log2', random_state=2) on load_iris()",
        IMPORTANCES)
X, y, X_test = split(cancer_X, cancer_y)
convert("pipeline_scaler_decision_tree",
        make_pipeline(StandardScaler(), DecisionTreeClassifier(max_depth=5, ccp_alpha=0.005, random_state=3))
        .fit(X, y), X_test,
        "make_pipeline(StandardScaler(), DecisionTreeClassifier(max_depth=5, ccp_alpha=0.005, random_state=3)) on "
        "load_breast_cancer()", IMPORTANCES)
X, y, X_test = split32(diabetes_X, diabetes_y)
convert("decision_tree_regressor",
        DecisionTreeRegressor(max_depth=5, min_samples_leaf=5, criterion="friedman_mse", random_state=0).fit(X, y),
        X_test, "DecisionTreeRegressor(max_depth=5, min_samples_leaf=5, criterion='friedman_mse', random_state=0) on "
        "load_diabetes()", IMPORTANCES)
convert("extra_tree_regressor",
        ExtraTreeRegressor(max_depth=5, min_samples_split=0.05, max_features=0.7, random_state=4).fit(X, y), X_test,
        "ExtraTreeRegressor(max_depth=5, min_samples_split=0.05, max_features=0.7, random_state=4) on load_diabetes()",
        IMPORTANCES)
convert("random_forest_regressor",
        RandomForestRegressor(n_estimators=5, max_depth=5, max_features=0.5, max_samples=0.8, oob_score=True,
                              random_state=0).fit(X, y),
        X_test, "RandomForestRegressor(n_estimators=5, max_depth=5, max_features=0.5, max_samples=0.8, oob_score=True, "
        "random_state=0) on load_diabetes()", IMPORTANCES + ("oob_score_",))
convert("extra_trees_regressor",
        ExtraTreesRegressor(n_estimators=5, max_depth=5, min_samples_leaf=3, bootstrap=True, max_samples=200,
                            random_state=5).fit(X, y),
        X_test, "ExtraTreesRegressor(n_estimators=5, max_depth=5, min_samples_leaf=3, bootstrap=True, max_samples=200, "
        "random_state=5) on load_diabetes()", IMPORTANCES)
