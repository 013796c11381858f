// A progress bar on a long fit, and a time budget that stops it: gradient boosting with 300
// iterations on 40,000 rows, told after each iteration how far it is, and stopped once the
// budget (argv[1] seconds, 1.0 by default) is spent. The stopped model is fitted and usable.
//
//   build/release/examples/progress        # stops after about a second
//   build/release/examples/progress 60     # runs to the end (or to early stopping)
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include <kestrel/core/progress.hpp>
#include <kestrel/core/warnings.hpp>
#include <kestrel/datasets/make_classification.hpp>
#include <kestrel/ensemble/hist_gradient_boosting_classifier.hpp>
#include <kestrel/metrics/classification.hpp>
#include <kestrel/model_selection/train_test_split.hpp>

int main(int argc, char** argv) {
    using namespace kestrel;
    const double budget = argc > 1 ? std::atof(argv[1]) : 1.0;

    const auto data = datasets::make_classification<double>(
        {.n_samples = 50000, .n_features = 20, .n_informative = 10, .n_classes = 3, .random_state = 7});
    auto [X_train, X_test, y_train, y_test] =
        model_selection::train_test_split(data.X, data.y, {.test_size = 0.2, .random_state = 7});

    // The stop is reported through the warning path; this program says it itself instead.
    set_warning_handler(warning_handlers::ignore);

    ensemble::HistGradientBoostingClassifier<double> model(
        {.max_iter = 300, .early_stopping = true, .n_iter_no_change = 30});
    model.set_progress_callback([budget](const progress& p) {
        constexpr int width = 40;
        const int filled = p.max_iterations > 0 ? static_cast<int>(width * p.iteration / p.max_iterations) : 0;
        std::string bar(static_cast<std::size_t>(filled), '#');
        bar.resize(width, '.');
        std::fprintf(stderr, "\r[%s] %4ld/%ld iterations  train log loss %.4f  %.2f s", bar.c_str(),
                     static_cast<long>(p.iteration), static_cast<long>(p.max_iterations), -p.value, p.elapsed.count());
        return p.elapsed.count() < budget ? progress_action::proceed : progress_action::stop;
    });
    model.fit(X_train, y_train);
    std::fprintf(stderr, "\n");

    std::cout << model << '\n';
    if (model.cancelled()) {
        std::cout << "stopped by the " << budget << " s budget after " << model.n_iter() << " of 300 iterations\n";
    } else {
        std::cout << "finished after " << model.n_iter() << " iterations\n";
    }
    std::cout << "held-out accuracy " << metrics::accuracy_score(y_test, model.predict(X_test)) << '\n';
    return 0;
}
