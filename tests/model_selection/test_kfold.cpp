#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/datasets/iris.hpp>
#include <kestrel/model_selection/kfold.hpp>
#include <kestrel/model_selection/stratified_kfold.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

using namespace kestrel;
using namespace kestrel::model_selection;
using kestrel::test::fixture_case;

namespace {

// The test fold of each sample, checking that the folds partition the samples and that each
// split's train list is the ascending complement of its test list.
Labels fold_of_each(const std::vector<Split>& splits, Index n) {
    Labels fold = Labels::Constant(n, -1);
    for (std::size_t f = 0; f < splits.size(); ++f) {
        const Split& s = splits[f];
        CHECK(std::is_sorted(s.test.begin(), s.test.end()));
        CHECK(std::is_sorted(s.train.begin(), s.train.end()));
        CHECK(Index(s.train.size() + s.test.size()) == n);
        for (const Index i : s.test) {
            CHECK(fold[i] == -1);
            fold[i] = static_cast<int>(f);
        }
        for (const Index i : s.train) CHECK(!std::binary_search(s.test.begin(), s.test.end(), i));
    }
    CHECK((fold.array() >= 0).all());
    return fold;
}

// Every class's count in every test fold is within one of its ideal share.
void check_stratified(const std::vector<Split>& splits, const Labels& y) {
    const int k = static_cast<int>(splits.size());
    std::vector<int> classes(y.data(), y.data() + y.size());
    std::sort(classes.begin(), classes.end());
    classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
    for (const int c : classes) {
        const double ideal = double((y.array() == c).count()) / k;
        for (const Split& s : splits) {
            const auto in_test = std::count_if(s.test.begin(), s.test.end(), [&](Index i) { return y[i] == c; });
            CHECK(std::abs(double(in_test) - ideal) < 1.0);
        }
    }
}

}  // namespace

TEST_CASE("KFold without shuffle gives scikit-learn's folds", "[kfold]") {
    for (const auto& [n, k] : {std::pair{17, 5}, std::pair{10, 3}, std::pair{6, 6}}) {
        const KFold kfold({.n_splits = k});
        CHECK(kfold.get_n_splits() == k);
        const auto splits = kfold.split(Matrix<double>::Zero(n, 2));
        REQUIRE(splits.size() == std::size_t(k));
        const std::string name = std::to_string(n) + "_" + std::to_string(k);
        CHECK(fold_of_each(splits, n) == fixture_case("model_selection/kfold").labels(name));
    }
}

TEST_CASE("KFold with shuffle is a reproducible partition of the same sizes", "[kfold]") {
    const KFold kfold({.n_splits = 4, .shuffle = true, .random_state = 3});
    const auto a = kfold.split(Index{23});
    const auto b = kfold.split(Index{23});
    const Labels folds = fold_of_each(a, 23);
    CHECK(folds == fold_of_each(b, 23));
    CHECK(folds != fold_of_each(KFold({.n_splits = 4}).split(Index{23}), 23));
    for (int f = 0; f < 4; ++f) CHECK((folds.array() == f).count() == (f < 3 ? 6 : 5));
}

TEST_CASE("StratifiedKFold without shuffle gives scikit-learn's folds", "[stratified_kfold]") {
    for (const auto& [tag, k] : {std::pair{"a", 5}, std::pair{"b", 3}, std::pair{"c", 4}, std::pair{"d", 3}}) {
        const Labels y = fixture_case(std::string("model_selection/skfold_") + tag).labels("y");
        const StratifiedKFold skf({.n_splits = k});
        const auto splits = skf.split(Matrix<float>::Zero(y.size(), 1), y);
        INFO("case " << tag);
        CHECK(fold_of_each(splits, y.size()) ==
              fixture_case(std::string("model_selection/skfold_") + tag).labels("folds"));
        check_stratified(splits, y);
    }
}

TEST_CASE("StratifiedKFold on iris gives scikit-learn's folds", "[stratified_kfold]") {
    const auto iris = kestrel::datasets::load_iris();
    const auto splits = StratifiedKFold().split(iris.X, iris.y);
    CHECK(fold_of_each(splits, iris.y.size()) == fixture_case("model_selection/skfold_iris").labels("folds"));
    check_stratified(splits, iris.y);
}

TEST_CASE("StratifiedKFold with shuffle keeps per-class counts within one of ideal", "[stratified_kfold]") {
    const Labels y = fixture_case("model_selection/skfold_b").labels("y");
    const auto splits = StratifiedKFold({.n_splits = 5, .shuffle = true, .random_state = 11}).split(y);
    fold_of_each(splits, y.size());
    check_stratified(splits, y);
    CHECK(fold_of_each(splits, y.size()) != fold_of_each(StratifiedKFold({.n_splits = 5}).split(y), y.size()));
}

TEST_CASE("splitters reject bad n_splits", "[kfold][stratified_kfold]") {
    CHECK_THROWS_AS(KFold({.n_splits = 1}).split(Index{10}), invalid_parameter);
    CHECK_THROWS_AS(KFold({.n_splits = 11}).split(Index{10}), invalid_input);
    Labels y(6);
    y << 0, 0, 0, 1, 1, 1;
    CHECK_THROWS_AS(StratifiedKFold({.n_splits = 1}).split(y), invalid_parameter);
    CHECK_THROWS_AS(StratifiedKFold({.n_splits = 4}).split(y), invalid_input);  // every class has 3 < 4
    CHECK_THROWS_AS(StratifiedKFold({.n_splits = 7}).split(y), invalid_input);
    CHECK_THROWS_AS(StratifiedKFold().split(Matrix<double>::Zero(5, 1), y), invalid_input);
    CHECK_NOTHROW(StratifiedKFold({.n_splits = 3}).split(y));
}
