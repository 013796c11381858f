#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/datasets/iris.hpp>
#include <kestrel/model_selection/train_test_split.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

using namespace kestrel;
using namespace kestrel::model_selection;
using kestrel::test::fixture_case;

namespace {

std::optional<SplitSize> size_from(double v) {
    if (v == -1) return std::nullopt;
    if (v < 1) return SplitSize(v);
    return SplitSize(static_cast<int>(v));
}

// Per-class counts of `y`, in the order of the sorted `classes`.
std::vector<Index> class_counts(const Labels& y, const std::vector<int>& classes) {
    std::vector<Index> counts;
    for (const int c : classes) counts.push_back((y.array() == c).count());
    return counts;
}

}  // namespace

TEST_CASE("train_test_split sizes equal scikit-learn's", "[train_test_split]") {
    const Matrix<double> cases = fixture_case("model_selection/split").matrix("sizes");
    for (Index r = 0; r < cases.rows(); ++r) {
        const Index n = static_cast<Index>(cases(r, 0));
        const SplitParams params{.test_size = size_from(cases(r, 1)), .train_size = size_from(cases(r, 2))};
        const Matrix<double> X = Vector<double>::LinSpaced(n, 0, double(n - 1));
        const Vector<double> y = X.col(0) * 2.0;
        auto [X_train, X_test, y_train, y_test] = train_test_split(X, y, params);
        INFO("case " << r);
        CHECK(X_train.rows() == static_cast<Index>(cases(r, 3)));
        CHECK(X_test.rows() == static_cast<Index>(cases(r, 4)));
        CHECK(y_train == 2.0 * X_train.col(0));
        CHECK(y_test == 2.0 * X_test.col(0));
        // Disjoint rows.
        std::set<double> seen(X_train.data(), X_train.data() + X_train.size());
        for (Index i = 0; i < X_test.rows(); ++i) CHECK(seen.insert(X_test(i, 0)).second);
    }
}

TEST_CASE("train_test_split without shuffle takes rows in order as scikit-learn", "[train_test_split]") {
    const Matrix<float> X = Vector<float>::LinSpaced(17, 0, 16);
    Labels y = Labels::LinSpaced(17, 0, 16);
    auto [X_train, X_test, y_train, y_test] = train_test_split(X, y, {.test_size = 0.3, .shuffle = false});
    CHECK(y_train.cast<double>() == kestrel::test::fixture_case("model_selection/split").vector("noshuffle_train"));
    CHECK(y_test.cast<double>() == kestrel::test::fixture_case("model_selection/split").vector("noshuffle_test"));
    CHECK(X_test.col(0) == y_test.cast<float>());
}

TEST_CASE("train_test_split shuffles reproducibly", "[train_test_split]") {
    const Matrix<double> X = Matrix<double>::Random(40, 3);
    const Vector<double> y = X.col(1);
    const auto a = train_test_split(X, y, {.random_state = 5});
    const auto b = train_test_split(X, y, {.random_state = 5});
    const auto c = train_test_split(X, y, {.random_state = 6});
    CHECK(a.X_train == b.X_train);
    CHECK(a.y_test == b.y_test);
    CHECK(a.X_train != c.X_train);
    CHECK(a.y_train == a.X_train.col(1));
    CHECK(a.X_test.rows() == 10);
}

TEST_CASE("stratified train_test_split per-class counts equal scikit-learn's", "[train_test_split]") {
    for (const std::string tag : {"iris_like", "imbalanced", "odd"}) {
        const Labels y = fixture_case("model_selection/strat_" + tag).labels("y");
        std::vector<int> classes(y.data(), y.data() + y.size());
        std::sort(classes.begin(), classes.end());
        classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
        const std::size_t k = classes.size();
        const Matrix<double> table = fixture_case("model_selection/strat_" + tag).matrix("counts");
        const Matrix<double> X = Matrix<double>::Zero(y.size(), 2);
        for (Index r = 0; r < table.rows(); ++r) {
            for (std::uint64_t seed : {0u, 1u, 2u}) {
                auto [X_train, X_test, y_train, y_test] =
                    train_test_split(X, y, {.test_size = table(r, 0), .random_state = seed, .stratify = true});
                const std::vector<Index> train = class_counts(y_train, classes), test = class_counts(y_test, classes);
                INFO(tag << " test_size " << table(r, 0) << " seed " << seed);
                for (std::size_t c = 0; c < k; ++c) {
                    const double sk_train = table(r, 2 + Index(c)), sk_test = table(r, 2 + Index(k + c));
                    if (table(r, 1) == 1) {
                        CHECK(double(train[c]) == sk_train);
                        CHECK(double(test[c]) == sk_test);
                    } else {
                        // scikit-learn breaks this case's ties at random: within one either way.
                        CHECK(std::abs(double(train[c]) - sk_train) <= 1);
                        CHECK(std::abs(double(test[c]) - sk_test) <= 1);
                    }
                }
                CHECK(double(y_train.size()) == table.row(r).segment(2, Index(k)).sum());
                CHECK(double(y_test.size()) == table.row(r).segment(2 + Index(k), Index(k)).sum());
            }
        }
    }
}

TEST_CASE("stratified train_test_split of iris keeps scikit-learn's class counts", "[train_test_split]") {
    const auto iris = kestrel::datasets::load_iris<float>();
    const Matrix<double> table = fixture_case("model_selection/split").matrix("iris_counts");
    for (Index r = 0; r < table.rows(); ++r) {
        auto [X_train, X_test, y_train, y_test] =
            train_test_split(iris.X, iris.y, {.test_size = table(r, 0), .random_state = 42, .stratify = true});
        const std::vector<Index> train = class_counts(y_train, {0, 1, 2}), test = class_counts(y_test, {0, 1, 2});
        for (Index c = 0; c < 3; ++c) {
            CHECK(double(train[std::size_t(c)]) == table(r, 1 + c));
            CHECK(double(test[std::size_t(c)]) == table(r, 4 + c));
        }
        CHECK(X_train.rows() == y_train.size());
        CHECK(X_test.cols() == 4);
    }
}

TEST_CASE("train_test_split rejects bad sizes and input", "[train_test_split]") {
    const Matrix<double> X = Matrix<double>::Random(10, 2);
    const Vector<double> y = X.col(0);
    CHECK_THROWS_AS(train_test_split(X, y, {.test_size = 1.0}), invalid_parameter);
    CHECK_THROWS_AS(train_test_split(X, y, {.test_size = 0.0}), invalid_parameter);
    CHECK_THROWS_AS(train_test_split(X, y, {.test_size = 10}), invalid_parameter);
    CHECK_THROWS_AS(train_test_split(X, y, {.test_size = 0.6, .train_size = 0.5}), invalid_parameter);
    CHECK_THROWS_AS(train_test_split(X, y, {.test_size = 6, .train_size = 5}), invalid_parameter);
    CHECK_THROWS_AS(train_test_split(X, y, {.stratify = true}), invalid_parameter);
    CHECK_THROWS_AS(train_test_split(X, Vector<double>(y.topRows(9))), invalid_input);
    Labels labels = Labels::Zero(10);
    labels[0] = 1;
    CHECK_THROWS_AS(train_test_split(X, labels, {.stratify = true}), invalid_input);  // a class of one
    CHECK_THROWS_AS(train_test_split(X, labels, {.shuffle = false, .stratify = true}), invalid_parameter);
    labels << 0, 0, 1, 1, 2, 2, 3, 3, 4, 4;
    CHECK_THROWS_AS(train_test_split(X, labels, {.test_size = 0.3, .stratify = true}), invalid_input);  // 3 < 5 classes
}
