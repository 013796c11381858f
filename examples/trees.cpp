// Trees and forests on two classic data sets: a depth-limited decision tree on breast cancer
// (its first splits printed from the flat node arrays, test accuracy, the cost-complexity
// pruning path), a random forest with its out-of-bag estimate and feature importances, the same
// forest with histogram splits, and forests on diabetes (R² on a held-out quarter), one of them
// constrained to rise with one feature (monotonic_cst).
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <numeric>
#include <vector>

#include <kestrel/datasets/breast_cancer.hpp>
#include <kestrel/datasets/diabetes.hpp>
#include <kestrel/ensemble.hpp>
#include <kestrel/model_selection/train_test_split.hpp>
#include <kestrel/tree.hpp>

namespace tree = kestrel::tree;
namespace ensemble = kestrel::ensemble;

int main() {
    std::cout << std::fixed << std::setprecision(3);

    const auto cancer = kestrel::datasets::load_breast_cancer();
    const auto split =
        kestrel::model_selection::train_test_split(cancer.X, cancer.y, {.random_state = 0, .stratify = true});

    tree::DecisionTreeClassifier<> clf({.max_depth = 4, .random_state = 0});
    clf.fit(split.X_train, split.y_train);
    const tree::Tree& t = clf.tree();
    std::cout << "breast cancer: " << clf << ": " << t.node_count << " nodes, " << clf.get_n_leaves()
              << " leaves, test accuracy " << clf.score(split.X_test, split.y_test) << '\n';
    for (kestrel::Index node : {0, 1, 2}) {
        if (t.is_leaf(node)) continue;
        std::cout << "  node " << node << ": " << cancer.feature_names[static_cast<std::size_t>(t.feature[node])]
                  << " <= " << t.threshold[node] << " (" << t.n_node_samples[node] << " samples, gini "
                  << t.impurity[node] << ")\n";
    }
    const tree::PruningPath path = clf.cost_complexity_pruning_path(split.X_train, split.y_train);
    std::cout << "  pruning path: " << path.ccp_alphas.size() << " subtrees, the last at alpha "
              << path.ccp_alphas[path.ccp_alphas.size() - 1] << '\n';

    ensemble::RandomForestClassifier<> forest({.n_estimators = 200, .oob_score = true, .random_state = 0});
    forest.fit(split.X_train, split.y_train);
    std::cout << forest << ": test accuracy " << forest.score(split.X_test, split.y_test) << ", out-of-bag "
              << forest.oob_score() << '\n';
    const Eigen::VectorXd importances = forest.feature_importances();
    std::vector<kestrel::Index> order(static_cast<std::size_t>(importances.size()));
    std::iota(order.begin(), order.end(), kestrel::Index{0});
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return importances[a] > importances[b]; });
    for (std::size_t k = 0; k < 3; ++k) {
        std::cout << "  " << cancer.feature_names[static_cast<std::size_t>(order[k])] << ": importance "
                  << importances[order[k]] << '\n';
    }
    ensemble::RandomForestClassifier<> binned({.n_estimators = 200, .random_state = 0, .max_bins = 64});
    binned.fit(split.X_train, split.y_train);
    std::cout << "  with 64-bin histogram splits: test accuracy " << binned.score(split.X_test, split.y_test) << '\n';

    const auto diabetes = kestrel::datasets::load_diabetes();
    const auto rsplit = kestrel::model_selection::train_test_split(diabetes.X, diabetes.y, {.random_state = 0});
    ensemble::RandomForestRegressor<> rf({.n_estimators = 200, .min_samples_leaf = 5, .random_state = 0});
    rf.fit(rsplit.X_train, rsplit.y_train);
    ensemble::ExtraTreesRegressor<> et({.n_estimators = 200, .min_samples_leaf = 5, .random_state = 0});
    et.fit(rsplit.X_train, rsplit.y_train);
    std::cout << "diabetes: " << rf << ": R^2 " << rf.score(rsplit.X_test, rsplit.y_test) << "; " << et << ": R^2 "
              << et.score(rsplit.X_test, rsplit.y_test) << '\n';
    // A monotonic constraint: the prediction may only rise with the body mass index (feature 2).
    std::vector<int> rising(static_cast<std::size_t>(diabetes.X.cols()), 0);
    rising[2] = 1;
    ensemble::RandomForestRegressor<> monotonic(
        {.n_estimators = 200, .min_samples_leaf = 5, .random_state = 0, .monotonic_cst = rising});
    monotonic.fit(rsplit.X_train, rsplit.y_train);
    std::cout << "  rising with bmi (monotonic_cst): R^2 " << monotonic.score(rsplit.X_test, rsplit.y_test) << '\n';
}
