// L2 reference: XGBoost's linear booster with exact cyclic coordinate descent, which with
// reg:squarederror, lambda = 0, eta = 1 and alpha = the lasso's α minimises the lasso objective
// (XGBoost scales its penalties by the number of samples, as scikit-learn's 1/(2n) loss does)
// with an unpenalised bias. One boosting round is one pass over the coordinates; XGBoost has no
// stopping test, so it runs a fixed number of passes and its duality gap says how far it got.
// XGBoost keeps features in float: the double data is rounded on the way in, outside the timing.
// One thread: with two, its per-coordinate OpenMP reductions made a 20-pass fit 17× slower on the
// shared 2-core machine. 20 passes reach the same duality gap as 100 (float precision).
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

#include <xgboost/c_api.h>

#include "../support/harness.hpp"
#include "cases.hpp"

namespace kestrel::bench {
namespace {

void check(int status) {
    if (status != 0) throw std::runtime_error(XGBGetLastError());
}

constexpr int passes = 20;

void xgboost_lasso(benchmark::State& state) {
    const LassoCase& c = l2();
    const Matrix<float> X = c.X.cast<float>();
    const Vector<float> y = c.y.cast<float>();
    DMatrixHandle data = nullptr;
    check(XGDMatrixCreateFromMat(X.data(), static_cast<bst_ulong>(X.rows()), static_cast<bst_ulong>(X.cols()),
                                 std::numeric_limits<float>::quiet_NaN(), &data));
    check(XGDMatrixSetFloatInfo(data, "label", y.data(), static_cast<bst_ulong>(y.size())));
    const std::string alpha = std::to_string(c.alpha);
    BoosterHandle booster = nullptr;
    for (auto _ : state) {
        if (booster != nullptr) check(XGBoosterFree(booster));
        check(XGBoosterCreate(&data, 1, &booster));
        for (const auto& [key, value] : {std::pair<const char*, const char*>{"booster", "gblinear"},
                                         {"updater", "coord_descent"},
                                         {"feature_selector", "cyclic"},
                                         {"objective", "reg:squarederror"},
                                         {"eta", "1"},
                                         {"lambda", "0"},
                                         {"alpha", alpha.c_str()},
                                         {"base_score", "0"},
                                         {"nthread", "1"}}) {
            check(XGBoosterSetParam(booster, key, value));
        }
        for (int pass = 0; pass < passes; ++pass) check(XGBoosterUpdateOneIter(booster, pass, data));
    }
    // The text dump of a linear booster: "bias:", the bias, "weight:", one weight a line.
    bst_ulong n_dump = 0;
    const char** dump = nullptr;
    check(XGBoosterDumpModelEx(booster, "", 0, "text", &n_dump, &dump));
    std::istringstream text(dump[0]);
    std::string label;
    double bias = 0;
    text >> label >> bias >> label;
    Vector<double> coef(c.X.cols());
    for (Index j = 0; j < coef.size(); ++j) text >> coef(j);
    check(XGBoosterFree(booster));
    check(XGDMatrixFree(data));
    report_lasso(state, c, coef, c.alpha, passes, 1);
}

const bool registered = [] {
    add("BM_L2/xgboost_single", xgboost_lasso);
    return true;
}();

}  // namespace
}  // namespace kestrel::bench
