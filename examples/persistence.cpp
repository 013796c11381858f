// Trains a scaler + logistic regression pipeline on breast cancer, saves it to a model file,
// loads it into a fresh object (as a serving process would) and checks that the loaded model
// predicts exactly what the trained one does. Then reads a few entries of the file back as the
// .npz it is, and shows that a damaged file is refused.
//
//   persistence [PATH]    (default: model.kestrel in the working directory)

#include <cstdio>
#include <fstream>
#include <string>

#include <kestrel/datasets/breast_cancer.hpp>
#include <kestrel/io/npz.hpp>
#include <kestrel/io/persistence.hpp>
#include <kestrel/linear_model/logistic_regression.hpp>
#include <kestrel/metrics/classification.hpp>
#include <kestrel/model_selection/train_test_split.hpp>
#include <kestrel/pipeline/pipeline.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>

using namespace kestrel;
using Model = pipeline::Pipeline<preprocessing::StandardScaler<double>, linear_model::LogisticRegression<double>>;

int main(int argc, char** argv) {
    const std::string path = argc > 1 ? argv[1] : "model.kestrel";
    const auto data = datasets::load_breast_cancer();
    auto [X_train, X_test, y_train, y_test] =
        model_selection::train_test_split(data.X, data.y, {.test_size = 0.25, .stratify = true});

    // Train and save.
    Model trained(preprocessing::StandardScaler<double>(), linear_model::LogisticRegression<double>({.C = 0.5}));
    trained.fit(X_train, y_train);
    io::save(trained, path);
    std::printf("saved %s (%ld bytes)\n", path.c_str(), static_cast<long>(std::ifstream(path, std::ios::ate).tellg()));

    // Load into a fresh object and predict.
    const Model served = io::load<Model>(path);
    const bool identical = served.predict_proba(X_test) == trained.predict_proba(X_test);
    std::printf("loaded: test accuracy %.4f, probabilities bit-identical to the trained model: %s\n",
                metrics::accuracy_score(y_test, served.predict(X_test)), identical ? "yes" : "no");

    // The file is a .npz: any NumPy reads it (np.load(path)["steps/1/coef_"]), and so does kestrel.
    const Matrix<double> coef = io::load_npz<double>(path, "steps/1/coef_");
    std::printf("steps/1/coef_ read back as an array: %ld x %ld\n", static_cast<long>(coef.rows()),
                static_cast<long>(coef.cols()));

    // A changed byte anywhere makes the file refused, with a message that says why.
    std::string bytes;
    {
        std::ifstream in(path, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x10);
    std::ofstream(path + ".damaged", std::ios::binary) << bytes;
    try {
        (void)io::load<Model>(path + ".damaged");
    } catch (const io_error& e) {
        std::printf("damaged copy refused: %s\n", e.what());
    }
    return identical ? 0 : 1;
}
