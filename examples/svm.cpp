// Support vector machines on three classic data sets: SVC and NuSVC with Platt's probabilities
// on breast cancer (accuracy and log loss on a stratified held-out quarter, features standardised
// on the training part), SVR and NuSVR on diabetes (R²), a precomputed kernel, and OneClassSVM
// flagging the samples that do not look like iris's training flowers.
#include <iomanip>
#include <iostream>

#include <kestrel/datasets/breast_cancer.hpp>
#include <kestrel/datasets/diabetes.hpp>
#include <kestrel/datasets/iris.hpp>
#include <kestrel/metrics/classification.hpp>
#include <kestrel/model_selection/train_test_split.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>
#include <kestrel/svm.hpp>

namespace svm = kestrel::svm;

int main() {
    std::cout << std::fixed << std::setprecision(3);

    const auto cancer = kestrel::datasets::load_breast_cancer();
    auto split = kestrel::model_selection::train_test_split(cancer.X, cancer.y, {.random_state = 0, .stratify = true});
    kestrel::preprocessing::StandardScaler<> scaler;
    const kestrel::Matrix<double> Z_train = scaler.fit_transform(split.X_train);
    const kestrel::Matrix<double> Z_test = scaler.transform(split.X_test);

    svm::SVC<> svc({.C = 2.0, .probability = true, .random_state = 0});
    svc.fit(Z_train, split.y_train);
    std::cout << "breast cancer: " << svc << ", " << svc.support().size() << " support vectors\n"
              << "  accuracy = " << svc.score(Z_test, split.y_test)
              << ", log loss = " << kestrel::metrics::log_loss(split.y_test, svc.predict_proba(Z_test)) << '\n';
    svm::NuSVC<> nu_svc({.nu = 0.2});
    nu_svc.fit(Z_train, split.y_train);
    std::cout << "  " << nu_svc << ": accuracy = " << nu_svc.score(Z_test, split.y_test) << ", "
              << nu_svc.support().size() << " support vectors (at least nu = 0.2 of the samples)\n";

    // The same SVC from a kernel matrix: the training samples' Gram matrix at fit, the test
    // samples' against the training samples at predict.
    svm::SVC<> linear({.kernel = svm::Kernel::precomputed});
    linear.fit(Z_train * Z_train.transpose(), split.y_train);
    std::cout << "  SVC(kernel='precomputed') on the linear kernel: accuracy = "
              << linear.score(Z_test * Z_train.transpose(), split.y_test) << "\n";

    const auto diabetes = kestrel::datasets::load_diabetes();
    const auto [X_train, X_test, y_train, y_test] =
        kestrel::model_selection::train_test_split(diabetes.X, diabetes.y, {.random_state = 0});
    kestrel::preprocessing::StandardScaler<> diabetes_scaler;
    const kestrel::Matrix<double> D_train = diabetes_scaler.fit_transform(X_train);
    const kestrel::Matrix<double> D_test = diabetes_scaler.transform(X_test);
    svm::SVR<> svr({.C = 100.0, .epsilon = 10.0});
    svr.fit(D_train, y_train);
    svm::NuSVR<> nu_svr({.nu = 0.5, .C = 100.0});
    nu_svr.fit(D_train, y_train);
    std::cout << "\ndiabetes: " << svr << " R² = " << svr.score(D_test, y_test) << "; " << nu_svr
              << " R² = " << nu_svr.score(D_test, y_test) << '\n';

    // Novelty detection: fitted on setosa and versicolor, virginica should look new.
    const auto iris = kestrel::datasets::load_iris();
    const kestrel::Matrix<double> known = iris.X.topRows(100), unseen = iris.X.bottomRows(50);
    svm::OneClassSVM<> detector({.gamma = 0.5, .nu = 0.05});
    detector.fit(known);
    const kestrel::Labels flags = detector.predict(unseen);
    std::cout << "\niris: " << detector << " fitted on setosa and versicolor flags "
              << (flags.array() == -1).count() << " of 50 virginica as outliers, and "
              << (detector.predict(known).array() == -1).count() << " of the 100 training flowers\n";
}
