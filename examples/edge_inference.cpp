// Inference at the edge, step 1: a random forest fitted on iris answers one row at a time without
// allocating (predict_one, and fixed_features<4, 3> whose rows must hold 4 values at compile
// time), then io::export_cpp writes it as a self-contained header, iris_forest.hpp, into the
// directory given (default: the current one). Building the examples runs this once and compiles
// step 2, edge_inference_exported (examples/edge/exported_main.cpp), against the header it wrote:
// run both and compare their lines.
#include <array>
#include <iostream>
#include <string>

#include <kestrel/datasets/iris.hpp>
#include <kestrel/ensemble/random_forest_classifier.hpp>
#include <kestrel/io/export_cpp.hpp>

int main(int argc, char** argv) {
    const std::string dir = argc > 1 ? argv[1] : ".";
    const auto iris = kestrel::datasets::load_iris();
    kestrel::ensemble::RandomForestClassifier<double> forest({.n_estimators = 50, .max_depth = 6, .random_state = 0});
    forest.fit(iris.X, iris.y);

    const auto fast = kestrel::fixed_features<4, 3>(forest);  // checked once: 4 features, 3 classes
    for (const kestrel::Index i : {0, 60, 120}) {
        const std::array<double, 4> row{iris.X(i, 0), iris.X(i, 1), iris.X(i, 2), iris.X(i, 3)};
        const std::array<double, 3> p = fast.predict_proba_one(row);  // noexcept, no allocation
        std::cout << "row " << i << ": class " << forest.predict_one(row) << ", probabilities " << p[0] << ' ' << p[1]
                  << ' ' << p[2] << '\n';
    }
    kestrel::io::export_cpp(forest, dir + "/iris_forest.hpp", {.name = "iris_forest"});
    std::cout << "wrote " << dir << "/iris_forest.hpp\n";
}
