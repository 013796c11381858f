"""Reference text for kestrel's printing of estimators (scikit-learn's repr): Python's repr of
floats, and scikit-learn 1.2's repr of estimators with one hyperparameter changed, and with several
(which scikit-learn lists sorted by name)."""
import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.dummy import DummyClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge
from sklearn.preprocessing import (MaxAbsScaler, MinMaxScaler, Normalizer, OneHotEncoder, OrdinalEncoder,
                                   PolynomialFeatures, RobustScaler, StandardScaler)
from sklearn.svm import SVC, LinearSVC, NuSVC, OneClassSVM

from fixtures import Case

rng = np.random.RandomState(0)
edges = [0.0, -0.0, 1.0, 0.1, 1e-5, 1e-4, 0.001, 123.456, 1e15, 1e16, 1e22, 2.5e-7, -3.25, 100.0,
         1 / 3, 2 / 3, 5e-324, 1.7976931348623157e308, 0.30000000000000004, 9007199254740993.0]
values = np.concatenate([edges, rng.standard_normal(40) * 10.0 ** rng.randint(-12, 20, size=40)])
with Case("print/floats", "Python's repr of float64 values: edge cases, then random magnitudes") as case:
    case.add("values", values)
    case.add_text("repr", [repr(float(v)) for v in values])

estimators = [
    Ridge(alpha=250.0), Ridge(fit_intercept=False), LinearRegression(fit_intercept=False), Lasso(alpha=0.0001),
    ElasticNet(l1_ratio=0.25), LogisticRegression(C=0.1), LogisticRegression(class_weight={0: 2.0, 1: 0.5}),
    LogisticRegression(solver="newton-cholesky"), LogisticRegression(class_weight="balanced"),
    KMeans(n_clusters=3), KMeans(tol=1e-05), KMeans(init="random"), KMeans(algorithm="elkan"),
    MiniBatchKMeans(batch_size=16), StandardScaler(with_mean=False), MinMaxScaler(clip=True),
    OneHotEncoder(handle_unknown="ignore"), DummyClassifier(strategy="most_frequent"), DummyClassifier(),
    LogisticRegression(),
]
with Case("print/estimators", "scikit-learn's repr of estimators with at most one changed hyperparameter") as case:
    case.add_text("repr", [repr(e) for e in estimators])

several = [
    LogisticRegression(C=0.5, solver="newton-cholesky", max_iter=1000),
    DummyClassifier(strategy="constant", constant=3),
    KMeans(n_clusters=3, init="random", max_iter=5),
    SVC(C=3.0, gamma=0.7, tol=1e-08, probability=True),
    NuSVC(nu=0.3, kernel="poly", degree=2, break_ties=True),
    LinearSVC(penalty="l1", dual=False, C=0.5),
    OneClassSVM(nu=0.2, gamma="auto"),
]
with Case("print/several", "scikit-learn's repr of estimators with several changed hyperparameters (sorted by "
          "name)") as case:
    case.add_text("repr", [repr(e) for e in several])

imputer_and_preprocessing = [
    SimpleImputer(missing_values=-1.0, strategy="median"),
    SimpleImputer(strategy="constant", fill_value=0.5, add_indicator=True),
    RobustScaler(with_centering=False, unit_variance=True), MaxAbsScaler(), Normalizer(norm="max"),
    PolynomialFeatures(degree=3, interaction_only=True), PolynomialFeatures(include_bias=False),
    OrdinalEncoder(encoded_missing_value=-2), OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1),
]
with Case("print/imputer_and_preprocessing", "scikit-learn's repr of the imputer and the later preprocessing "
          "estimators") as case:
    case.add_text("repr", [repr(e) for e in imputer_and_preprocessing])
