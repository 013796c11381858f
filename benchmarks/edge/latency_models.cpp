// The models of the one-row latency benchmark (bench_latency), fitted once on 20,000 rows of 28
// features (make_classification, as HIGGS-sized rows): a random forest of 100 trees of depth 10,
// a HistGradientBoostingClassifier of 100 iterations (31 leaves, no early stopping), an RBF SVC
// with Platt probabilities fitted on the first svc_rows rows (about 1,000 support vectors) and a
// LogisticRegression. Writes into the directory argv[1]: each model's file (io::save), each
// model as a header (io::export_cpp, the header bench_latency includes), and the training and
// held-out rows as .npy for the Python references.
#include <cstdio>
#include <string>

#include <kestrel/datasets/make_classification.hpp>
#include <kestrel/ensemble/hist_gradient_boosting_classifier.hpp>
#include <kestrel/ensemble/random_forest_classifier.hpp>
#include <kestrel/io/export_cpp.hpp>
#include <kestrel/io/npy.hpp>
#include <kestrel/io/persistence.hpp>
#include <kestrel/linear_model/logistic_regression.hpp>
#include <kestrel/svm/svc.hpp>

#include "latency_data.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: latency_models DIR\n");
        return 2;
    }
    using namespace kestrel;
    const std::string dir = argv[1];
    const bench::latency_data data = bench::make_latency_data();
    ensemble::RandomForestClassifier<double> forest(
        {.n_estimators = 100, .max_depth = 10, .n_jobs = 0, .random_state = 0});
    forest.fit(data.X_train, data.y_train);
    ensemble::HistGradientBoostingClassifierParams hp;
    hp.max_iter = 100;
    hp.early_stopping = false;
    ensemble::HistGradientBoostingClassifier<double> boosting(hp);
    boosting.fit(data.X_train, data.y_train);
    linear_model::LogisticRegression<double> logistic({.max_iter = 1000});
    logistic.fit(data.X_train, data.y_train);
    svm::SVC<double> svc({.probability = true, .random_state = 0});
    svc.fit(data.X_train.topRows(bench::svc_rows), data.y_train.head(bench::svc_rows));
    std::printf("svc: %ld support vectors\n", static_cast<long>(svc.support().size()));
    io::save(svc, dir + "/latency_svc.kestrel");
    io::export_cpp(svc, dir + "/latency_svc.hpp", {.name = "latency_svc"});
    io::save(forest, dir + "/latency_forest.kestrel");
    io::save(boosting, dir + "/latency_boosting.kestrel");
    io::save(logistic, dir + "/latency_logistic.kestrel");
    io::export_cpp(forest, dir + "/latency_forest.hpp", {.name = "latency_forest"});
    io::export_cpp(boosting, dir + "/latency_boosting.hpp", {.name = "latency_boosting"});
    io::export_cpp(logistic, dir + "/latency_logistic.hpp", {.name = "latency_logistic"});
    io::save_npy(dir + "/latency_X_train.npy", data.X_train);
    io::save_npy(dir + "/latency_y_train.npy", Vector<double>(data.y_train.cast<double>()));
    io::save_npy(dir + "/latency_X_test.npy", data.X_test);
    return 0;
}
