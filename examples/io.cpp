// Data and models in files: the wine data written as CSV, libsvm text and NumPy .npy, read back
// in single precision with read_csv, read_libsvm and load_npy; a float scaler + logistic
// regression pipeline trained on the data read back, saved to a model file and loaded again; and
// the same arrays, model included, readable from Python with NumPy alone:
//
//   import numpy as np
//   X, y = np.load("wine_X.npy"), np.load("wine_y.npy")      # float32 (178, 13), int32 (178,)
//   model = np.load("wine_model.kestrel")                     # an .npz: model["steps/1/coef_"]
//
//   io [DIR]    (writes wine.csv, wine.libsvm, wine_X.npy, wine_y.npy and wine_model.kestrel into
//                DIR; default: the working directory)

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include <kestrel/datasets/wine.hpp>
#include <kestrel/io/csv.hpp>
#include <kestrel/io/libsvm.hpp>
#include <kestrel/io/npy.hpp>
#include <kestrel/io/persistence.hpp>
#include <kestrel/linear_model/logistic_regression.hpp>
#include <kestrel/metrics/classification.hpp>
#include <kestrel/model_selection/train_test_split.hpp>
#include <kestrel/pipeline/pipeline.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>

using namespace kestrel;

namespace {

/// The shortest text that reads back as exactly `x`.
std::string shortest(double x) {
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, x).ptr;
    return {buffer, end};
}

void write_csv(const std::string& path, const Dataset<double, Labels>& data) {
    std::ofstream out(path);
    for (const std::string& name : data.feature_names) out << name << ',';
    out << "class\n";
    for (Index i = 0; i < data.n_samples(); ++i) {
        for (Index j = 0; j < data.n_features(); ++j) out << shortest(data.X(i, j)) << ',';
        out << data.y[i] << '\n';
    }
}

void write_libsvm(const std::string& path, const Dataset<double, Labels>& data) {
    std::ofstream out(path);
    for (Index i = 0; i < data.n_samples(); ++i) {
        out << data.y[i];
        for (Index j = 0; j < data.n_features(); ++j) {
            if (data.X(i, j) != 0) out << ' ' << j + 1 << ':' << shortest(data.X(i, j));
        }
        out << '\n';
    }
}

long file_size(const std::string& path) { return static_cast<long>(std::filesystem::file_size(path)); }

}  // namespace

int main(int argc, char** argv) {
    const std::string dir = argc > 1 ? std::string(argv[1]) + "/" : "";
    const auto wine = datasets::load_wine();
    const Matrix<float> X_float = wine.X.cast<float>();

    // Text formats, read back as float.
    const std::string csv = dir + "wine.csv", libsvm = dir + "wine.libsvm";
    write_csv(csv, wine);
    write_libsvm(libsvm, wine);
    const auto from_csv = io::read_csv<float, Labels>(csv);  // header on, target in the last column
    const auto from_libsvm = io::read_libsvm<float, Labels>(libsvm);
    std::printf(
        "%s (%ld bytes): %ld samples x %ld features, target column '%s', first feature '%s'; "
        "equal to the data in float: %s\n",
        csv.c_str(), file_size(csv), static_cast<long>(from_csv.n_samples()), static_cast<long>(from_csv.n_features()),
        from_csv.target_names.at(0).c_str(), from_csv.feature_names.at(0).c_str(),
        from_csv.X == X_float && from_csv.y == wine.y ? "yes" : "no");
    std::printf("%s (%ld bytes): %ld x %ld; equal: %s\n", libsvm.c_str(), file_size(libsvm),
                static_cast<long>(from_libsvm.n_samples()), static_cast<long>(from_libsvm.n_features()),
                from_libsvm.X == X_float && from_libsvm.y == wine.y ? "yes" : "no");

    // NumPy's binary format: the matrix as float32, the labels as int32.
    const std::string npy_X = dir + "wine_X.npy", npy_y = dir + "wine_y.npy";
    io::save_npy(npy_X, from_csv.X);
    io::save_npy(npy_y, from_csv.y);
    const Matrix<float> X = io::load_npy<float>(npy_X);
    const Labels y = io::load_npy_vector<int>(npy_y);
    std::printf("%s (%ld bytes) and %s (%ld bytes): %ld x %ld float32 and %ld int32; equal: %s\n", npy_X.c_str(),
                file_size(npy_X), npy_y.c_str(), file_size(npy_y), static_cast<long>(X.rows()),
                static_cast<long>(X.cols()), static_cast<long>(y.size()),
                X == from_csv.X && y == from_csv.y ? "yes" : "no");

    // A float model on the data read back.
    using Model = pipeline::Pipeline<preprocessing::StandardScaler<float>, linear_model::LogisticRegression<float>>;
    auto [X_train, X_test, y_train, y_test] =
        model_selection::train_test_split(X, y, {.test_size = 0.25, .random_state = 0, .stratify = true});
    Model model(preprocessing::StandardScaler<float>(), linear_model::LogisticRegression<float>({.C = 0.5}));
    model.fit(X_train, y_train);
    const Matrix<float> proba = model.predict_proba(X_test);
    std::cout << '\n' << model << '\n';
    std::printf("float32 model, %ld training and %ld test wines: test accuracy %.4f, log loss %.4f, %d iterations\n",
                static_cast<long>(X_train.rows()), static_cast<long>(X_test.rows()),
                metrics::accuracy_score(y_test, model.predict(X_test)), metrics::log_loss(y_test, proba),
                model.step<1>().n_iter());

    const std::string path = dir + "wine_model.kestrel";
    io::save(model, path);
    const Model loaded = io::load<Model>(path);
    const bool identical = loaded.predict_proba(X_test) == proba;
    std::printf("%s (%ld bytes) loaded: probabilities bit-identical to the trained model's: %s\n", path.c_str(),
                file_size(path), identical ? "yes" : "no");
    try {
        (void)io::load<
            pipeline::Pipeline<preprocessing::StandardScaler<double>, linear_model::LogisticRegression<double>>>(path);
    } catch (const io_error& e) {
        std::printf("loading it as a double model is refused: %s\n", e.what());
    }
    return identical ? 0 : 1;
}
