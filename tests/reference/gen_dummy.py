"""Reference numbers for kestrel::dummy (DummyClassifier) and for the per-class ClassWeight map,
from scikit-learn 1.2. Data: 40 rows, 3 features, labels {3, 7, 9} in unequal numbers, and
weights 1, 2, 3, 1, 2, 3, ..."""
import numpy as np
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression

from fixtures import Case

rng = np.random.RandomState(0)
X = rng.normal(size=(40, 3))
y = np.array([3] * 22 + [7] * 6 + [9] * 12)
rng.shuffle(y)
w = 1.0 + (np.arange(40) % 3)

for strategy in ["prior", "most_frequent", "constant"]:
    for weighted in [False, True]:
        kwargs = {"constant": 9} if strategy == "constant" else {}
        dc = DummyClassifier(strategy=strategy, **kwargs).fit(X, y, sample_weight=w if weighted else None)
        tag = f"dummy/{strategy}" + ("_weighted" if weighted else "")
        with Case(tag, f"DummyClassifier(strategy={strategy!r}) on 40 rows, labels 3/7/9") as case:
            case.add("X", X)
            case.add("y", y)
            case.add("sample_weight", w if weighted else np.ones(40))
            case.add("classes", dc.classes_)
            case.add("class_prior", dc.class_prior_)
            case.add("predict", dc.predict(X[:5]))
            case.add("predict_proba", dc.predict_proba(X[:5]))
            case.add("score", dc.score(X, y, sample_weight=w if weighted else None))

# class_weight as a {label: weight} map: multinomial lbfgs and one-vs-rest newton-cholesky.
for solver in ["lbfgs", "newton-cholesky"]:
    lr = LogisticRegression(class_weight={3: 0.5, 9: 4.0}, solver=solver, tol=1e-10, max_iter=10000).fit(X, y, w)
    with Case(f"linear_model/logistic_class_weight_map_{solver.replace('-', '_')}",
              f"LogisticRegression(class_weight={{3: 0.5, 9: 4.0}}, solver={solver!r}, tol=1e-10)") as case:
        case.add("X", X)
        case.add("y", y)
        case.add("sample_weight", w)
        case.add("coef", lr.coef_)
        case.add("intercept", lr.intercept_)
        case.add("predict_proba", lr.predict_proba(X))
