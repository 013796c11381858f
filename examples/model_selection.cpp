// Model selection on the digits (8x8 images of handwritten digits, 10 classes): cross-validated
// accuracy of a few classifiers (cross_val_score, cross_validate, stratified folds and KFold
// splitters, shuffled or not), then an exhaustive search of an RBF SVC's C and gamma with
// GridSearchCV on a training part, its cross-validation table, and the refitted best model's
// accuracy, classification report and confusion matrix on the held-out part, as scikit-learn's
// "parameter estimation using grid search with cross-validation" example does.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <type_traits>
#include <vector>

#include <kestrel/datasets/digits.hpp>
#include <kestrel/dummy/dummy_classifier.hpp>
#include <kestrel/metrics/classification.hpp>
#include <kestrel/model_selection/cross_validation.hpp>
#include <kestrel/model_selection/grid_search.hpp>
#include <kestrel/model_selection/kfold.hpp>
#include <kestrel/model_selection/train_test_split.hpp>
#include <kestrel/svm/svc.hpp>
#include <kestrel/tree/decision_tree_classifier.hpp>

using namespace kestrel;

namespace {

/// Mean and standard deviation of the fold scores, as scikit-learn users print them.
void print_scores(const std::string& label, const Vector<double>& scores) {
    const double mean = scores.mean();
    const double std = std::sqrt((scores.array() - mean).square().mean());
    std::printf("  %-44s %.4f +/- %.4f  [", label.c_str(), mean, std);
    for (Index f = 0; f < scores.size(); ++f) std::printf(f ? " %.3f" : "%.3f", scores[f]);
    std::printf("]\n");
}

/// A fitted search's cv_results as a table, best first. Works for any GridSearchCV<E>: each
/// candidate is printed as the estimator it configures (its repr, scikit-learn's parameter names).
template <class Search>
void print_search(const Search& search) {
    using Estimator = std::remove_cvref_t<decltype(search.best_estimator())>;
    const auto& r = search.cv_results();
    std::vector<Index> order(static_cast<std::size_t>(r.mean_test_score.size()));
    for (std::size_t c = 0; c < order.size(); ++c) order[c] = static_cast<Index>(c);
    std::stable_sort(order.begin(), order.end(),
                     [&](Index a, Index b) { return r.rank_test_score[a] < r.rank_test_score[b]; });
    std::printf("  %4s  %-16s %9s  %s\n", "rank", "mean +/- std", "fit (ms)", "candidate");
    for (const Index c : order) {
        std::printf("  %4d  %.4f +/- %.4f %9.1f  %s\n", r.rank_test_score[c], r.mean_test_score[c], r.std_test_score[c],
                    1e3 * r.mean_fit_time[c], to_string(Estimator(r.params[static_cast<std::size_t>(c)])).c_str());
    }
    std::printf("  best: %s, mean cross-validated accuracy %.4f\n", to_string(search.best_estimator()).c_str(),
                search.best_score());
}

}  // namespace

int main() {
    const auto digits = datasets::load_digits();
    std::printf("digits: %ld images of %ld pixels, %zu classes\n\n", static_cast<long>(digits.n_samples()),
                static_cast<long>(digits.n_features()), digits.target_names.size());

    // Cross-validation: an int asks for that many stratified folds (KFold for a regressor), as
    // scikit-learn's cv=5; a splitter object chooses the folds itself.
    std::printf("5-fold cross-validated accuracy, mean +/- std [each fold]:\n");
    print_scores("DummyClassifier()",
                 model_selection::cross_val_score(dummy::DummyClassifier<>(), digits.X, digits.y, 5));
    const tree::DecisionTreeClassifier<> tree({.max_depth = 10, .random_state = 0});
    const auto folds = model_selection::cross_validate(tree, digits.X, digits.y, 5);
    print_scores("DecisionTreeClassifier(max_depth=10), cv=5", folds.test_score);
    std::printf("  %-44s fit %.1f ms, score %.2f ms a fold\n",
                "  cross_validate's timings:", 1e3 * folds.fit_time.mean(), 1e3 * folds.score_time.mean());
    // The digits come grouped by writer: folds in file order test on writers unseen in training.
    print_scores("  with KFold(n_splits=5)",
                 model_selection::cross_val_score(tree, digits.X, digits.y, model_selection::KFold({.n_splits = 5})));
    print_scores("  with KFold(n_splits=5, shuffle=True)",
                 model_selection::cross_val_score(tree, digits.X, digits.y,
                                                  model_selection::KFold({.n_splits = 5, .shuffle = true})));
    print_scores("SVC(), cv=5", model_selection::cross_val_score(svm::SVC<>(), digits.X, digits.y, 5));

    // Grid search on the training half; the test half judges the chosen model once.
    auto [X_train, X_test, y_train, y_test] =
        model_selection::train_test_split(digits.X, digits.y, {.test_size = 0.5, .random_state = 0, .stratify = true});
    using SVC = svm::SVC<>;
    const std::vector<SVC::Params> candidates =
        model_selection::param_grid(SVC::Params{}, model_selection::axis(&SVC::Params::C, {1.0, 10.0}),
                                    model_selection::axis(&SVC::Params::gamma, {svm::Gamma::scale, 1e-3, 1e-4}));
    // cv = 5 folds; n_jobs = 0 spreads the candidates x folds over every core (scikit-learn's n_jobs=-1).
    model_selection::GridSearchCV<SVC> search(SVC(), candidates, 5, 0);
    search.fit(X_train, y_train);
    std::printf("\nGridSearchCV over %zu candidates x 5 folds on %ld training images:\n", candidates.size(),
                static_cast<long>(X_train.rows()));
    print_search(search);

    const Labels predicted = search.predict(X_test);
    std::printf("\nbest model on the %ld held-out images: accuracy %.4f, macro F1 %.4f\n",
                static_cast<long>(X_test.rows()), metrics::accuracy_score(y_test, predicted),
                metrics::f1_score(y_test, predicted, {.average = metrics::Average::macro}));
    std::cout << metrics::classification_report(y_test, predicted, {.target_names = digits.target_names, .digits = 3});
    std::printf("confusion matrix (rows: true digit, columns: predicted):\n");
    std::cout << metrics::confusion_matrix(y_test, predicted) << '\n';
}
