// One-row latency: each model of latency_models answering one held-out row at a time, 10,000 rows
// in turn, every call timed alone (steady_clock around the call; the clock's own cost, measured
// the same way around nothing, is printed and not subtracted). Paths:
//   predict_one      the model's predict_proba_one into a span (checked row, no allocation)
//   fixed            fixed_features<28, 2>(model).predict_proba_one (noexcept, std::array)
//   exported         the header io::export_cpp wrote (latency_models), predict_proba
//   batch_one_row    predict_proba on a 1 × 28 matrix (the batch path on one row)
// The Python references (scikit-learn's predict_proba on one row, XGBoost's inplace_predict on
// one row) run from benchmarks/edge/latency_references.py on the same rows and models' settings.
// Prints, per model and path: the median and 99th percentile in µs, and a checksum of the
// probabilities, which every path of one model must share.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <span>
#include <string>
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

template <class E, class Exported>
void run(const char* label, const E& model, const Matrix<double>& X, Exported&& exported) {
    const auto row = [&](Index i) { return std::span<const double>(X.row(i).data(), 28); };
    const auto fixed = fixed_features<28, 2>(model);
    std::array<double, 2> out{};
    const figures one = time_rows(X, [&](Index i) {
        model.predict_proba_one(row(i), std::span<double>(out));
        return out[1];
    });
    const figures fix = time_rows(X, [&](Index i) {
        std::array<double, 28> r;
        std::copy_n(X.row(i).data(), 28, r.begin());
        return fixed.predict_proba_one(r)[1];
    });
    const figures exp = time_rows(X, [&](Index i) {
        std::array<double, 28> r;
        std::copy_n(X.row(i).data(), 28, r.begin());
        return exported(r);
    });
    const figures batch = time_rows(X, [&](Index i) { return model.predict_proba(X.middleRows(i, 1))(0, 1); });
    const auto line = [&](const char* path, const figures& f) {
        std::printf("%-10s %-14s median %8.3f us   p99 %8.3f us   checksum %.17g\n", label, path, f.median_us, f.p99_us,
                    f.checksum);
    };
    line("predict_one", one);
    line("fixed", fix);
    line("exported", exp);
    line("batch_one_row", batch);
}

}  // namespace

int main(int argc, char** argv) {
    const std::string dir = argc > 1 ? argv[1] : KESTREL_LATENCY_DIR;
    const bench::latency_data data = bench::make_latency_data();
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
    std::printf("svc: rbf, %ld support vectors, Platt probabilities\n", static_cast<long>(svc.support().size()));
    run("svc", svc, data.X_test, [](const std::array<double, 28>& r) { return latency_svc::predict_proba(r)[1]; });
    run("logistic", logistic, data.X_test,
        [](const std::array<double, 28>& r) { return latency_logistic::predict_proba(r)[1]; });
    return 0;
}
