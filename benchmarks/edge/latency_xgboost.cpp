// One-row latency of XGBoost through its C API (Debian's libxgboost-dev), built into
// bench_latency when XGBoost is found: the models of latency_references.py fitted here on the same
// 20,000 training rows (as float, XGBoost's type), each held-out row then predicted alone by
// in-place prediction from one dense row (XGBoosterPredictFromDense, one thread).
//   forest    100 parallel trees of depth 10 in one round (subsample 0.632, colsample_bynode 0.72)
//   boosting  100 rounds of at most 31 leaves grown best-first, 255 bins, eta 0.1
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "../support/xgboost.hpp"
#include "latency_data.hpp"
#include "latency_xgboost.hpp"

namespace kestrel::bench {
namespace {

xgb::Params common(xgb::Params extra) {
    xgb::Params p = {{"tree_method", "hist"}, {"nthread", "1"}, {"objective", "binary:logistic"}, {"seed", "0"},
                     {"verbosity", "0"}};
    p.insert(p.end(), extra.begin(), extra.end());
    return p;
}

void time_model(const char* label, BoosterHandle booster, const Matrix<float>& X) {
    std::vector<double> us;
    double checksum = 0;
    for (int pass = 0; pass < 2; ++pass) {  // the first untimed
        us.clear();
        checksum = 0;
        for (Index i = 0; i < X.rows(); ++i) {
            const auto start = std::chrono::steady_clock::now();
            const Matrix<float> p = xgb::predict(booster, X.row(i).data(), 1, X.cols());
            const auto stop = std::chrono::steady_clock::now();
            checksum += p(0, 0);
            us.push_back(std::chrono::duration<double, std::micro>(stop - start).count());
        }
    }
    std::sort(us.begin(), us.end());
    std::printf("%-10s %-14s median %8.3f us   p99 %8.3f us   checksum %.17g (XGBoost's own model)\n", label,
                "xgboost_c_api", us[us.size() / 2], us[us.size() * 99 / 100], checksum);
}

}  // namespace

void xgboost_latency(const latency_data& data) {
    const Matrix<float> X = data.X_train.cast<float>();  // row-major, as Matrix is
    const Matrix<float> X_test = data.X_test.cast<float>();
    const Vector<float> y = data.y_train.cast<float>();
    const xgb::DMatrix d = xgb::dmatrix(X, y);
    const xgb::Booster forest = xgb::fit(d.get(),
                                         common({{"max_depth", "10"},
                                                 {"num_parallel_tree", "100"},
                                                 {"subsample", "0.632"},
                                                 {"colsample_bynode", "0.72"},
                                                 {"eta", "1"}}),
                                         1);
    const xgb::Booster boosting = xgb::fit(
        d.get(),
        common({{"max_depth", "0"}, {"max_leaves", "31"}, {"grow_policy", "lossguide"}, {"eta", "0.1"}, {"max_bin", "255"}}),
        100);
    time_model("forest", forest.get(), X_test);
    time_model("boosting", boosting.get(), X_test);
}

}  // namespace kestrel::bench
