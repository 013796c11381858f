// Classifies iris by its two petal measurements with an RBF support vector classifier behind a
// StandardScaler, prints what scikit-learn users read after a fit (accuracy, confusion matrix,
// classification report, log loss) on a stratified held-out 30%, and draws the classifier's
// decision regions with the training and test flowers in decision_boundary.svg. A
// DummyClassifier (always the most frequent class) gives the baseline any model must beat.
//
//   classification [DIR]    (writes DIR/decision_boundary.svg; default: the working directory)

#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <kestrel/datasets/iris.hpp>
#include <kestrel/dummy/dummy_classifier.hpp>
#include <kestrel/metrics/classification.hpp>
#include <kestrel/model_selection/train_test_split.hpp>
#include <kestrel/pipeline/pipeline.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>
#include <kestrel/svm/svc.hpp>

#include "support/svg.hpp"

using namespace kestrel;

int main(int argc, char** argv) {
    const std::string dir = argc > 1 ? std::string(argv[1]) + "/" : "";
    const auto iris = datasets::load_iris();
    const Matrix<double> petals = iris.X.rightCols(2);  // petal length and width
    auto [X_train, X_test, y_train, y_test] =
        model_selection::train_test_split(petals, iris.y, {.test_size = 0.3, .random_state = 0, .stratify = true});

    auto model = pipeline::make_pipeline(preprocessing::StandardScaler<>(),
                                         svm::SVC<>({.C = 1.0, .probability = true, .random_state = 0}));
    model.fit(X_train, y_train);
    const Labels predicted = model.predict(X_test);
    const double accuracy = metrics::accuracy_score(y_test, predicted);

    std::cout << model << "\n\n";
    std::printf("iris, petal length and width: %ld training and %ld test flowers, %ld support vectors\n",
                static_cast<long>(X_train.rows()), static_cast<long>(X_test.rows()),
                static_cast<long>(model.step<1>().support().size()));
    std::printf("test accuracy %.4f, macro F1 %.4f, log loss %.4f\n", accuracy,
                metrics::f1_score(y_test, predicted, {.average = metrics::Average::macro}),
                metrics::log_loss(y_test, model.predict_proba(X_test)));
    dummy::DummyClassifier<> baseline;
    baseline.fit(X_train, y_train);
    std::printf("baseline %s: test accuracy %.4f\n", to_string(baseline).c_str(),
                metrics::accuracy_score(y_test, baseline.predict(X_test)));
    std::printf("confusion matrix (rows: true class, columns: predicted):\n");
    const Matrix<int> confusion = metrics::confusion_matrix(y_test, predicted);
    for (Index i = 0; i < confusion.rows(); ++i) {
        std::printf("  %-11s", iris.target_names[static_cast<std::size_t>(i)].c_str());
        for (Index j = 0; j < confusion.cols(); ++j) std::printf(" %3d", confusion(i, j));
        std::printf("\n");
    }
    std::cout << '\n' << metrics::classification_report(y_test, predicted, {.target_names = iris.target_names});

    // The decision regions: the class predicted at the centre of each cell of a grid over the plot.
    std::ostringstream subtitle;
    subtitle.precision(3);
    subtitle << "StandardScaler + SVC(kernel='rbf', C=1): test accuracy " << accuracy << " on " << X_test.rows()
             << " held-out flowers";
    svg::Plot plot({.title = "SVC decision regions on iris petals",
                    .subtitle = subtitle.str(),
                    .x_label = iris.feature_names[2],
                    .y_label = iris.feature_names[3]});
    std::vector<double> xs(petals.col(0).begin(), petals.col(0).end());
    std::vector<double> ys(petals.col(1).begin(), petals.col(1).end());
    plot.fit_limits(xs, ys, 0.08);
    constexpr int nx = 480, ny = 360;  // about one cell a pixel
    Matrix<double> grid(nx * ny, 2);
    for (int i = 0; i < ny; ++i) {
        for (int j = 0; j < nx; ++j) {
            grid(i * nx + j, 0) = plot.x_min() + (j + 0.5) * (plot.x_max() - plot.x_min()) / nx;
            grid(i * nx + j, 1) = plot.y_min() + (i + 0.5) * (plot.y_max() - plot.y_min()) / ny;
        }
    }
    const Labels regions = model.predict(grid);
    plot.label_grid(std::vector<int>(regions.begin(), regions.end()), nx, ny,
                    [](int label) { return svg::lighten(svg::color(static_cast<std::size_t>(label)), 0.72); });

    for (Index i = 0; i < X_train.rows(); ++i) {
        plot.point(X_train(i, 0), X_train(i, 1), svg::color(static_cast<std::size_t>(y_train[i])), 4);
    }
    for (Index i = 0; i < X_test.rows(); ++i) {
        plot.point(X_test(i, 0), X_test(i, 1), svg::color(static_cast<std::size_t>(y_test[i])), 4.5, "#1A1A1A", 1.2);
        if (predicted[i] != y_test[i]) plot.ring(X_test(i, 0), X_test(i, 1), "#D00000", 8.5, 1.8);
    }
    for (std::size_t k = 0; k < iris.target_names.size(); ++k) plot.legend(svg::color(k), iris.target_names[k]);
    plot.legend("#BBBBBB", "test flower", svg::Plot::Mark::outlined_dot);
    plot.legend("#D00000", "misclassified", svg::Plot::Mark::ring);
    const std::string path = dir + "decision_boundary.svg";
    if (!plot.save(path)) {
        std::fprintf(stderr, "cannot write %s\n", path.c_str());
        return 1;
    }
    std::printf("wrote %s\n", path.c_str());
}
