// The libsvm models' one-row methods (SVC, NuSVC, SVR, NuSVR, OneClassSVM): the bits of the batch
// methods on every row, for each kernel, both scalars, two and three classes, with and without
// probabilities; nothing allocated; and the batch's rows do not depend on the batch.
#include "one_row_check.hpp"

#include <string>

#include <kestrel/datasets.hpp>
#include <kestrel/svm.hpp>

using namespace kestrel;

namespace {

template <class T>
struct svm_data {
    Matrix<T> X;
    Labels y3, y2;
    Vector<T> target;
};
// 160 rows of 13 features: inner products long enough that another grouping would show.
template <class T>
svm_data<T> make_svm_data() {
    const auto c = datasets::make_classification<T>(
        {.n_samples = 160, .n_features = 13, .n_informative = 8, .n_classes = 3, .random_state = 11});
    svm_data<T> out{c.X, c.y, Labels(160), Vector<T>(160)};
    for (Index i = 0; i < 160; ++i) {
        out.y2[i] = c.y[i] == 1 ? 1 : 0;
        out.target[i] = c.X(i, 0) * T(1.5) - c.X(i, 3) + T(0.2) * static_cast<T>(c.y[i]);
    }
    return out;
}

}  // namespace

TEMPLATE_TEST_CASE("libsvm models: predict_one is the batch predict's row, bit for bit", "[edge]", float, double) {
    using T = TestType;
    const svm_data<T> d = make_svm_data<T>();
    for (const svm::Kernel kernel : {svm::Kernel::rbf, svm::Kernel::linear, svm::Kernel::poly, svm::Kernel::sigmoid}) {
        INFO("kernel " << static_cast<int>(kernel));
        const double coef0 = kernel == svm::Kernel::sigmoid ? 0.0 : 1.0;
        const double gamma = kernel == svm::Kernel::sigmoid ? 0.01 : 0.1;
        check_rows<13, 0>(svm::SVC<T>({.kernel = kernel, .gamma = gamma, .coef0 = coef0}).fit(d.X, d.y3), d.X, false);
        check_rows<13, 0>(svm::SVC<T>({.kernel = kernel, .gamma = gamma, .coef0 = coef0}).fit(d.X, d.y2), d.X, false);
        check_rows<13, 0>(svm::SVR<T>({.kernel = kernel, .gamma = gamma, .coef0 = coef0}).fit(d.X, d.target), d.X);
        check_rows<13, 0>(svm::OneClassSVM<T>({.kernel = kernel, .gamma = gamma, .coef0 = coef0}).fit(d.X), d.X);
    }
    // Probabilities, ovo and break_ties.
    check_rows<13, 3>(svm::SVC<T>({.probability = true, .random_state = 3}).fit(d.X, d.y3), d.X);
    check_rows<13, 2>(svm::SVC<T>({.probability = true, .random_state = 3}).fit(d.X, d.y2), d.X);
    check_rows<13, 0>(svm::SVC<T>({.decision_function_shape = svm::DecisionFunctionShape::ovo}).fit(d.X, d.y3), d.X,
                      false);
    check_rows<13, 0>(svm::SVC<T>({.break_ties = true}).fit(d.X, d.y3), d.X, false);
    check_rows<13, 3>(svm::NuSVC<T>({.nu = 0.3, .probability = true, .random_state = 1}).fit(d.X, d.y3), d.X);
    check_rows<13, 0>(svm::NuSVR<T>({.nu = 0.4}).fit(d.X, d.target), d.X);

    // A row's values do not depend on where it sits: the rows from the second on as a batch of
    // their own, and X in column-major order.
    const auto model = svm::SVC<T>({.probability = true, .random_state = 3}).fit(d.X, d.y3);
    const Matrix<T> all = model.decision_function(d.X);
    const Matrix<T> shifted = model.decision_function(Matrix<T>(d.X.bottomRows(d.X.rows() - 1)));
    const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor> column_major = d.X;
    CHECK(shifted == all.bottomRows(d.X.rows() - 1));
    CHECK(model.decision_function(column_major) == all);
    CHECK(model.predict_proba(column_major) == model.predict_proba(d.X));
}

TEST_CASE("libsvm models: the one-row methods check the model", "[edge]") {
    const svm_data<double> d = make_svm_data<double>();
    const std::array<double, 13> row{};
    // Without probability = true there are no probabilities, one row or many.
    const auto plain = svm::SVC<double>().fit(d.X, d.y3);
    CHECK_THROWS_WITH(plain.predict_proba_one(row), Catch::Contains("probability=false"));
    CHECK_THROWS_WITH((fixed_features<13, 3>(plain)), Catch::Contains("probability=false"));
    CHECK_NOTHROW(fixed_features<13>(plain).predict_one(row));
    // A precomputed kernel: the row is the kernel between the sample and the training samples.
    const Matrix<double> gram = d.X * d.X.transpose();
    const auto pre = svm::SVC<double>({.kernel = svm::Kernel::precomputed}).fit(gram, d.y3);
    check_rows<160, 0>(pre, gram, false);
    // More classes than the one-row methods keep on the stack: the batch methods only.
    Labels many(d.X.rows());
    for (Index i = 0; i < d.X.rows(); ++i) many[i] = static_cast<int>(i % 40);
    const auto wide = svm::SVC<double>().fit(d.X, many);
    CHECK_THROWS_WITH(wide.predict_one(row), Catch::Contains("up to 32 classes; this one has 40"));
    CHECK(wide.predict(d.X).size() == d.X.rows());
}
