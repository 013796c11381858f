// One-row latency: each model of latency_models answering one held-out row at a time, 10,000 rows
// in turn, every call timed alone (steady_clock around the call; the clock's own cost, measured
// the same way around nothing, is printed and not subtracted). Paths:
//   predict_one      the model's predict_proba_one into a span (checked row, no allocation)
//   fixed            fixed_features<28, 2>(model).predict_proba_one (noexcept, std::array)
//   exported         the header io::export_cpp wrote (latency_models), predict_proba
//   batch_one_row    predict_proba on a 1 × 28 matrix (the batch path on one row)
// The Python references (scikit-learn's predict_proba on one row, XGBoost's inplace_predict on
// one row) run from benchmarks/edge/latency_references.py on the same rows and models' settings;
// XGBoost's C API on one row runs here (latency_xgboost.cpp) when XGBoost is found.
// Prints, per model and path: the median and 99th percentile in µs (each the median over five
// rounds, the paths taken in turn in every round), and a checksum of the probabilities, which
// every path of one model must share. A smoke run (KESTREL_BENCH_SMOKE=1, as benchmarks/run.sh
// --smoke sets it) takes the first 200 rows, once: it proves the program runs, in a second.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <kestrel/ensemble/hist_gradient_boosting_classifier.hpp>
#include <kestrel/ensemble/random_forest_classifier.hpp>
#include <kestrel/io/persistence.hpp>
#include <kestrel/linear_model/logistic_regression.hpp>
#include <kestrel/svm/svc.hpp>

#include "latency_boosting.hpp"
#include "latency_data.hpp"
#include "latency_forest.hpp"
#include "latency_logistic.hpp"
#include "latency_svc.hpp"
#if KESTREL_LATENCY_XGBOOST
#include "latency_xgboost.hpp"
#endif

namespace {

using clock_type = std::chrono::steady_clock;
using namespace kestrel;

struct figures {
    double median_us, p99_us, checksum;
};

// Times f(row i) for every held-out row, each call alone, after one untimed pass.
template <class F>
figures time_rows(const Matrix<double>& X, F&& f) {
    double checksum = 0;
    for (Index i = 0; i < X.rows(); ++i) checksum += f(i);
    std::vector<double> us(static_cast<std::size_t>(X.rows()));
    checksum = 0;
    for (Index i = 0; i < X.rows(); ++i) {
        const auto start = clock_type::now();
        const double p = f(i);
        const auto stop = clock_type::now();
        checksum += p;
        us[static_cast<std::size_t>(i)] = std::chrono::duration<double, std::micro>(stop - start).count();
    }
    std::sort(us.begin(), us.end());
    return {us[us.size() / 2], us[us.size() * 99 / 100], checksum};
}

/// Whether this is a smoke run: KESTREL_BENCH_SMOKE set, and neither empty nor "0".
bool smoke() {
    const char* flag = std::getenv("KESTREL_BENCH_SMOKE");
    return flag != nullptr && std::string_view(flag) != "" && std::string_view(flag) != "0";
}

/// Rounds of every path of a model, taken in turn: each figure is the median over the rounds, so
/// that a slow spell of the machine does not fall on one path alone (one in a smoke run).
const int rounds = smoke() ? 1 : 5;

template <class E, class Exported>
void run(const char* label, const E& model, const Matrix<double>& X, Exported&& exported) {
    const auto row = [&](Index i) { return std::span<const double>(X.row(i).data(), 28); };
    const auto fixed = fixed_features<28, 2>(model);
    std::array<double, 2> out{};
    const auto one = [&](Index i) {
        model.predict_proba_one(row(i), std::span<double>(out));
        return out[1];
    };
    // The rows as std::array, made before the timing (a copy inside would be timed with the call).
    std::vector<std::array<double, 28>> arrays(static_cast<std::size_t>(X.rows()));
    for (Index i = 0; i < X.rows(); ++i) std::copy_n(X.row(i).data(), 28, arrays[static_cast<std::size_t>(i)].begin());
    const auto fix = [&](Index i) { return fixed.predict_proba_one(arrays[static_cast<std::size_t>(i)])[1]; };
    const auto exp = [&](Index i) { return exported(arrays[static_cast<std::size_t>(i)]); };
    const auto batch = [&](Index i) { return model.predict_proba(X.middleRows(i, 1))(0, 1); };
    std::array<std::vector<figures>, 4> seen;
    for (int r = 0; r < rounds; ++r) {
        seen[0].push_back(time_rows(X, one));
        seen[1].push_back(time_rows(X, fix));
        seen[2].push_back(time_rows(X, exp));
        seen[3].push_back(time_rows(X, batch));
    }
    const auto line = [&](const char* path, std::vector<figures> f) {
        const auto mid = [&](auto field) {
            std::vector<double> v;
            for (const figures& x : f) v.push_back(x.*field);
            std::sort(v.begin(), v.end());
            return v[v.size() / 2];
        };
        std::printf("%-10s %-14s median %8.3f us   p99 %8.3f us   checksum %.17g\n", label, path, mid(&figures::median_us),
                    mid(&figures::p99_us), f.front().checksum);
    };
    line("predict_one", seen[0]);
    line("fixed", seen[1]);
    line("exported", seen[2]);
    line("batch_one_row", seen[3]);
}

}  // namespace

int main(int argc, char** argv) {
    const std::string dir = argc > 1 ? argv[1] : KESTREL_LATENCY_DIR;
    bench::latency_data data = bench::make_latency_data();
    if (smoke()) data.X_test = Matrix<double>(data.X_test.topRows(std::min<Index>(200, data.X_test.rows())));
    const auto forest = io::load<ensemble::RandomForestClassifier<double>>(dir + "/latency_forest.kestrel");
    const auto boosting = io::load<ensemble::HistGradientBoostingClassifier<double>>(dir + "/latency_boosting.kestrel");
    const auto logistic = io::load<linear_model::LogisticRegression<double>>(dir + "/latency_logistic.kestrel");
    const auto svc = io::load<svm::SVC<double>>(dir + "/latency_svc.kestrel");
    const figures empty = time_rows(data.X_test, [](Index i) { return static_cast<double>(i); });
    std::printf("clock alone: median %.3f us, p99 %.3f us (included in every figure below)\n", empty.median_us,
                empty.p99_us);
    std::printf("forest: %d trees, depth %d; boosting: %d iterations, %d leaves at most; logistic: 28 features\n",
                latency_forest::n_trees, 10, boosting.n_iter(), 31);
    run("forest", forest, data.X_test, [](const std::array<double, 28>& r) { return latency_forest::predict_proba(r)[1]; });
    run("boosting", boosting, data.X_test,
        [](const std::array<double, 28>& r) { return latency_boosting::predict_proba(r)[1]; });
#if KESTREL_LATENCY_XGBOOST
    bench::xgboost_latency(data);  // forest and boosting: XGBoost's own models, predicted from C
#endif
    std::printf("svc: rbf, %ld support vectors, Platt probabilities\n", static_cast<long>(svc.support().size()));
    run("svc", svc, data.X_test, [](const std::array<double, 28>& r) { return latency_svc::predict_proba(r)[1]; });
    run("logistic", logistic, data.X_test,
        [](const std::array<double, 28>& r) { return latency_logistic::predict_proba(r)[1]; });
    return 0;
}
