// DecisionTreeClassifier and DecisionTreeRegressor against scikit-learn 1.2, node for node
// (tests/reference/gen_tree.py): every case under tests/reference/tree/ is fitted with the
// case's options and compared array by array — the tree's structure exactly, its numbers to
// rounding — with predict, predict_proba, apply, decision_path and the pruning path.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "fixtures.hpp"

#include <kestrel/tree.hpp>

using namespace kestrel;
using kestrel::test::FixtureCase;
namespace kt = kestrel::tree;

namespace {

// The cases gen_tree.py wrote, "tree/<name>", sorted.
std::vector<std::string> case_names() {
    std::vector<std::string> names;
    const std::filesystem::path folder = test::reference_path("tree");
    if (std::filesystem::is_directory(folder)) {
        for (const auto& entry : std::filesystem::directory_iterator(folder)) {
            if (entry.path().extension() == ".npz") names.push_back("tree/" + entry.path().stem().string());
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

bool classifier_criterion(const std::string& criterion) {
    return criterion == "gini" || criterion == "entropy" || criterion == "log_loss";
}

kt::Criterion criterion_of(const std::string& name) {
    if (name == "gini") return kt::Criterion::gini;
    if (name == "entropy") return kt::Criterion::entropy;
    if (name == "log_loss") return kt::Criterion::log_loss;
    if (name == "squared_error") return kt::Criterion::squared_error;
    if (name == "friedman_mse") return kt::Criterion::friedman_mse;
    if (name == "absolute_error") return kt::Criterion::absolute_error;
    if (name == "poisson") return kt::Criterion::poisson;
    FAIL("unknown criterion " << name);
    return kt::Criterion::gini;
}

// The options both trees share, as the case stores them (scikit-learn's None as -1).
template <class Params>
Params params_of(const FixtureCase& c) {
    Params p;
    p.criterion = criterion_of(c.text("criterion"));
    p.splitter = kt::Splitter::best;
    if (const double depth = c.scalar("max_depth"); depth >= 0) p.max_depth = static_cast<int>(depth);
    const double split = c.scalar("min_samples_split");
    p.min_samples_split = split == std::floor(split) ? kt::Size(static_cast<int>(split)) : kt::Size(split);
    const double leaf = c.scalar("min_samples_leaf");
    p.min_samples_leaf =
        c.scalar("min_samples_leaf_is_fraction") != 0 ? kt::Size(leaf) : kt::Size(static_cast<int>(leaf));
    p.min_weight_fraction_leaf = c.scalar("min_weight_fraction_leaf");
    p.random_state = static_cast<std::uint64_t>(c.scalar("random_state"));
    if (const double leaves = c.scalar("max_leaf_nodes"); leaves >= 0) p.max_leaf_nodes = static_cast<int>(leaves);
    p.min_impurity_decrease = c.scalar("min_impurity_decrease");
    p.ccp_alpha = c.scalar("ccp_alpha");
    return p;
}

ClassWeight class_weight_of(const FixtureCase& c) {
    const std::string kind = c.text("class_weight");
    if (kind == "balanced") return ClassWeight::balanced;
    if (kind != "dict") return ClassWeight::none;
    const Labels labels = c.labels("class_weight_labels");
    const Vector<double> values = c.vector("class_weight_values");
    std::vector<std::pair<int, double>> pairs;
    for (Index k = 0; k < labels.size(); ++k) pairs.emplace_back(labels[k], values[k]);
    return ClassWeight(pairs);
}

// Largest |a − b| / (rel·|b| + abs) over the entries: at most 1 when a matches b; infinity on a
// shape mismatch.
double excess(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, double rel, double abs) {
    if (a.rows() != b.rows() || a.cols() != b.cols()) return std::numeric_limits<double>::infinity();
    double worst = 0;
    for (Index j = 0; j < a.cols(); ++j) {
        for (Index i = 0; i < a.rows(); ++i) {
            const double d = std::abs(a(i, j) - b(i, j));
            if (!(d <= 0)) worst = std::max(worst, d / (rel * std::abs(b(i, j)) + abs));
        }
    }
    return worst;
}

// Equal sizes and entries.
bool same(const Eigen::VectorXi& a, const Eigen::VectorXi& b) { return a.size() == b.size() && a == b; }

// 1e-12 relative to the size of b's largest entry (at least 1): the absolute floor of a 1e-9
// relative comparison, for entries that are 0 up to rounding.
double floor_of(const Eigen::MatrixXd& b) { return 1e-12 * std::max(1.0, b.size() ? b.cwiseAbs().maxCoeff() : 0.0); }

// The largest excess over the cases, per member, for the summary line.
struct Worst {
    double threshold = 0, impurity = 0, weighted = 0, value = 0, importances = 0, predict = 0, path = 0;
};

// What classifiers and regressors share: the node arrays, the leaves, importances, apply,
// decision_path and the pruning path.
template <class Model, class Y>
void check_tree(const FixtureCase& c, const Model& model, const Matrix<double>& X, const Y& y, const Vector<double>& w,
                Worst& worst) {
    const kt::Tree& t = model.tree();
    CHECK(t.node_count == static_cast<Index>(c.scalar("node_count")));
    CHECK(t.max_depth == static_cast<Index>(c.scalar("tree_max_depth")));
    CHECK(model.get_depth() == static_cast<Index>(c.scalar("tree_max_depth")));
    CHECK(model.get_n_leaves() == static_cast<Index>(c.scalar("n_leaves")));
    CHECK(same(t.children_left, c.labels("children_left")));
    CHECK(same(t.children_right, c.labels("children_right")));
    CHECK(same(t.feature, c.labels("feature")));
    CHECK(same(t.n_node_samples, c.labels("n_node_samples")));
    CHECK(same(model.apply(X), c.labels("apply")));

    // Leaves hold -2 in both threshold arrays, so they compare exactly.
    const double threshold = excess(t.threshold, c.matrix("threshold"), 1e-7, 1e-300);
    INFO("threshold excess " << threshold);
    CHECK(threshold <= 1);
    const Eigen::MatrixXd impurity_expected = c.matrix("impurity");
    const double impurity = excess(t.impurity, impurity_expected, 1e-9, floor_of(impurity_expected));
    INFO("impurity excess " << impurity);
    CHECK(impurity <= 1);
    const Eigen::MatrixXd weighted_expected = c.matrix("weighted_n_node_samples");
    const double weighted = excess(t.weighted_n_node_samples, weighted_expected, 1e-9, floor_of(weighted_expected));
    INFO("weighted_n_node_samples excess " << weighted);
    CHECK(weighted <= 1);
    const Eigen::MatrixXd value_expected = c.matrix("value");
    const double value = excess(t.value, value_expected, 1e-9, floor_of(value_expected));
    INFO("value excess " << value);
    CHECK(value <= 1);
    const double importances = excess(model.feature_importances(), c.matrix("feature_importances"), 0, 1e-9);
    INFO("feature_importances excess " << importances);
    CHECK(importances <= 1);

    const Index head = std::min<Index>(10, X.rows());
    const kt::DecisionPath dp = model.decision_path(Matrix<double>(X.topRows(head)));
    CHECK(same(dp.indptr, c.labels("decision_path_indptr")));
    CHECK(same(dp.indices, c.labels("decision_path_indices")));

    double path = 0;
    if (c.scalar("has_pruning_path") != 0) {
        const kt::PruningPath pp = model.cost_complexity_pruning_path(X, y, w);
        const Eigen::MatrixXd alphas = c.matrix("ccp_alphas");
        const Eigen::MatrixXd impurities = c.matrix("impurities");
        path = std::max(excess(pp.ccp_alphas, alphas, 1e-9, floor_of(alphas)),
                        excess(pp.impurities, impurities, 1e-9, floor_of(impurities)));
        INFO("pruning path excess " << path);
        CHECK(path <= 1);
    }
    worst.threshold = std::max(worst.threshold, threshold);
    worst.impurity = std::max(worst.impurity, impurity);
    worst.weighted = std::max(worst.weighted, weighted);
    worst.value = std::max(worst.value, value);
    worst.importances = std::max(worst.importances, importances);
    worst.path = std::max(worst.path, path);
}

void report(const char* what, Index cases, const Worst& w) {
    std::cout << what << ": " << cases << " cases; largest excess (1 = the tolerance): threshold " << w.threshold
              << ", impurity " << w.impurity << ", weighted_n_node_samples " << w.weighted << ", value " << w.value
              << ", feature_importances " << w.importances << ", predict " << w.predict << ", pruning path " << w.path
              << "\n";
}

}  // namespace

TEST_CASE("DecisionTreeClassifier grows scikit-learn's trees node for node", "[tree][parity]") {
    Index cases = 0;
    Worst worst;
    for (const std::string& name : case_names()) {
        const FixtureCase c(name);
        if (!classifier_criterion(c.text("criterion"))) continue;
        INFO(name << ": " << c.text("params"));
        ++cases;
        auto params = params_of<kt::DecisionTreeClassifier<double>::Params>(c);
        params.class_weight = class_weight_of(c);
        const Matrix<double> X = c.matrix("X");
        const Labels y = c.labels("y");
        const Vector<double> w = c.vector("sample_weight");
        kt::DecisionTreeClassifier<double> model(params);
        model.fit(X, y, w);
        CHECK(same(model.classes(), c.labels("classes")));
        check_tree(c, model, X, y, w, worst);
        CHECK(same(model.predict(X), c.labels("predict")));
        const Eigen::MatrixXd proba = model.predict_proba(X);
        const double proba_excess = excess(proba, c.matrix("predict_proba"), 0, 1e-12);
        INFO("predict_proba excess " << proba_excess);
        CHECK(proba_excess <= 1);
        worst.predict = std::max(worst.predict, proba_excess);
    }
    report("DecisionTreeClassifier parity", cases, worst);
    CHECK(cases >= 20);
}

TEST_CASE("DecisionTreeRegressor grows scikit-learn's trees node for node", "[tree][parity]") {
    Index cases = 0;
    Worst worst;
    for (const std::string& name : case_names()) {
        const FixtureCase c(name);
        if (classifier_criterion(c.text("criterion"))) continue;
        INFO(name << ": " << c.text("params"));
        ++cases;
        const auto params = params_of<kt::DecisionTreeRegressor<double>::Params>(c);
        const Matrix<double> X = c.matrix("X");
        const Vector<double> y = c.vector("y");
        const Vector<double> w = c.vector("sample_weight");
        kt::DecisionTreeRegressor<double> model(params);
        model.fit(X, y, w);
        check_tree(c, model, X, y, w, worst);
        const Eigen::MatrixXd expected = c.matrix("predict");
        const double predict = excess(model.predict(X), expected, 1e-9, floor_of(expected));
        INFO("predict excess " << predict);
        CHECK(predict <= 1);
        worst.predict = std::max(worst.predict, predict);
    }
    report("DecisionTreeRegressor parity", cases, worst);
    CHECK(cases >= 20);
}

// Missing values (NaN), as scikit-learn 1.3+ routes them: at each split the samples missing the
// feature go to the side that lowers the impurity more (or alone to the right, threshold +inf),
// and NaN met at predict on a node that saw none goes to the child with more training samples.
// scikit-learn 1.2 has no missing values, so these checks are of the rule itself.

namespace {

// The impurity decrease of a tree's root split, weighted as feature_importances weighs it.
double root_decrease(const kt::Tree& t) {
    const int l = t.children_left[0], r = t.children_right[0];
    return t.weighted_n_node_samples[0] * t.impurity[0] - t.weighted_n_node_samples[l] * t.impurity[l] -
           t.weighted_n_node_samples[r] * t.impurity[r];
}

}  // namespace

TEST_CASE("a feature whose missing values mark a class splits them off with threshold +inf", "[tree][missing]") {
    const Index n = 40;
    Matrix<double> X(n, 2);
    Labels y(n);
    random_engine rng(3);
    for (Index i = 0; i < n; ++i) {
        y[i] = static_cast<int>(i % 2);
        X(i, 0) = y[i] == 1 ? std::numeric_limits<double>::quiet_NaN() : rng.uniform();
        X(i, 1) = rng.uniform();
    }
    kt::DecisionTreeClassifier<double> tree;
    tree.fit(X, y);
    const kt::Tree& t = tree.tree();
    REQUIRE(t.node_count == 3);
    CHECK(t.feature[0] == 0);
    CHECK(t.threshold[0] == std::numeric_limits<double>::infinity());
    CHECK(t.missing_go_to_left[0] == 0);
    CHECK(t.impurity[1] == 0);
    CHECK(t.impurity[2] == 0);
    CHECK(tree.predict(X) == y);
}

TEST_CASE("with missing values the root split is at least as good as either side's sentinel", "[tree][missing]") {
    // Sending the missing samples left (right) with some threshold is what a value below (above)
    // every other one gives; the missing-aware search scores both, so its best split can only be
    // better. Checked on each criterion over three features with 20% missing.
    const FixtureCase c("tree/gini_default");
    Matrix<double> X = c.matrix("X");
    const Labels y = c.labels("y");
    const Vector<double> yr = c.vector("y").cast<double>();
    random_engine rng(11);
    for (Index i = 0; i < X.rows(); ++i) {
        for (Index j = 0; j < X.cols(); ++j) {
            if (rng.uniform() < 0.2) X(i, j) = std::numeric_limits<double>::quiet_NaN();
        }
    }
    const auto with_sentinel = [&](double value) {
        Matrix<double> out = X;
        for (Index k = 0; k < out.size(); ++k) {
            if (std::isnan(out.data()[k])) out.data()[k] = value;
        }
        return out;
    };
    const Matrix<double> low = with_sentinel(-1e30), high = with_sentinel(1e30);
    for (const kt::Criterion criterion : {kt::Criterion::gini, kt::Criterion::entropy}) {
        kt::DecisionTreeClassifier<double> missing({.criterion = criterion, .max_depth = 1}),
            below({.criterion = criterion, .max_depth = 1}), above({.criterion = criterion, .max_depth = 1});
        missing.fit(X, y);
        below.fit(low, y);
        above.fit(high, y);
        const double m = root_decrease(missing.tree());
        INFO("criterion " << enum_name(criterion) << ": missing-aware " << m << ", NaN as -1e30 "
                          << root_decrease(below.tree()) << ", as +1e30 " << root_decrease(above.tree()));
        CHECK(m >= root_decrease(below.tree()) - 1e-12);
        CHECK(m >= root_decrease(above.tree()) - 1e-12);
    }
    for (const kt::Criterion criterion : {kt::Criterion::squared_error, kt::Criterion::friedman_mse}) {
        kt::DecisionTreeRegressor<double> missing({.criterion = criterion, .max_depth = 1}),
            below({.criterion = criterion, .max_depth = 1}), above({.criterion = criterion, .max_depth = 1});
        missing.fit(X, yr);
        below.fit(low, yr);
        above.fit(high, yr);
        const double m = root_decrease(missing.tree());
        INFO("criterion " << enum_name(criterion) << ": missing-aware " << m << ", NaN as -1e30 "
                          << root_decrease(below.tree()) << ", as +1e30 " << root_decrease(above.tree()));
        CHECK(m >= root_decrease(below.tree()) * (1 - 1e-12));
        CHECK(m >= root_decrease(above.tree()) * (1 - 1e-12));
    }
}

TEST_CASE("NaN at predict goes to the larger child of a node that saw no missing value", "[tree][missing]") {
    const FixtureCase c("tree/gini_default");
    const Matrix<double> X = c.matrix("X");
    kt::DecisionTreeClassifier<double> tree({.max_depth = 3});
    tree.fit(X, c.labels("y"));
    const kt::Tree& t = tree.tree();
    Index internal = 0;
    for (Index i = 0; i < t.node_count; ++i) {
        if (t.children_left[i] < 0) continue;
        ++internal;
        const bool left_larger = t.n_node_samples[t.children_left[i]] > t.n_node_samples[t.children_right[i]];
        CHECK(t.missing_go_to_left[i] == (left_larger ? 1 : 0));
    }
    CHECK(internal >= 3);
    const Matrix<double> unknown = Matrix<double>::Constant(1, X.cols(), std::numeric_limits<double>::quiet_NaN());
    Index node = 0;
    while (t.children_left[node] >= 0)
        node = t.missing_go_to_left[node] ? t.children_left[node] : t.children_right[node];
    CHECK(tree.apply(unknown)[0] == node);
}
