"""One-row latency of the references, on bench_latency's rows: scikit-learn's predict_proba and
XGBoost's inplace_predict, each on one held-out row at a time (1,000 rows), every call timed
alone with time.perf_counter.

Usage: /usr/bin/python3 benchmarks/edge/latency_references.py DIR
(DIR: the build tree's benchmarks/latency, where latency_models wrote the rows.) Prints, per model
and path, the median and 99th percentile in µs, as bench_latency does.
"""
import sys
import time

import numpy as np


def time_rows(X, f, n=1000):
    for i in range(50):
        f(X[i:i + 1])
    us = []
    for i in range(n):
        row = X[i:i + 1]
        start = time.perf_counter()
        f(row)
        us.append((time.perf_counter() - start) * 1e6)
    us.sort()
    return us[len(us) // 2], us[len(us) * 99 // 100]


def line(model, path, figures):
    print(f"{model:<10} {path:<14} median {figures[0]:8.3f} us   p99 {figures[1]:8.3f} us")


def main():
    directory = sys.argv[1]
    X = np.load(f"{directory}/latency_X_train.npy")
    y = np.load(f"{directory}/latency_y_train.npy").astype(int)
    X_test = np.ascontiguousarray(np.load(f"{directory}/latency_X_test.npy"))
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    import sklearn
    forest = RandomForestClassifier(n_estimators=100, max_depth=10, random_state=0, n_jobs=1).fit(X, y)
    boosting = HistGradientBoostingClassifier(max_iter=100, early_stopping=False).fit(X, y)
    logistic = LogisticRegression(max_iter=1000).fit(X, y)
    from sklearn.svm import SVC
    svc_rows = int(sys.argv[2]) if len(sys.argv) > 2 else 2800
    svc = SVC(probability=True, random_state=0).fit(X[:svc_rows], y[:svc_rows])
    print(f"scikit-learn {sklearn.__version__}")
    line("forest", "sklearn", time_rows(X_test, forest.predict_proba))
    line("boosting", "sklearn", time_rows(X_test, boosting.predict_proba))
    line("svc", "sklearn", time_rows(X_test, svc.predict_proba))
    print(f"svc: {svc.support_.size} support vectors")
    line("logistic", "sklearn", time_rows(X_test, logistic.predict_proba))
    try:
        import xgboost
    except ImportError:
        print("xgboost: not installed (python3-xgboost)")
        return
    print(f"xgboost {xgboost.__version__}")
    common = dict(tree_method="hist", nthread=1, objective="binary:logistic")
    d = xgboost.DMatrix(X, label=y)
    # A random forest: 100 parallel trees of depth 10 in one round, rows and features as sklearn's.
    rf = xgboost.train(dict(common, max_depth=10, num_parallel_tree=100, subsample=0.632, colsample_bynode=0.72,
                            learning_rate=1.0), d, num_boost_round=1)
    # Boosting: 100 rounds, at most 31 leaves grown best-first, as HistGradientBoosting's trees.
    gb = xgboost.train(dict(common, max_depth=0, max_leaves=31, grow_policy="lossguide", learning_rate=0.1,
                            max_bin=255), d, num_boost_round=100)
    line("forest", "xgboost", time_rows(X_test, lambda r: rf.inplace_predict(r)))
    line("boosting", "xgboost", time_rows(X_test, lambda r: gb.inplace_predict(r)))


if __name__ == "__main__":
    main()
