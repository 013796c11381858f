// Bad input to the trees and forests: each gives a typed kestrel exception (invalid_parameter,
// invalid_input, not_fitted) whose message names the parameter or the data at fault. Also the
// concepts each estimator models.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"

#include <kestrel/ensemble.hpp>
#include <kestrel/io/persistence.hpp>
#include <kestrel/tree.hpp>

using namespace kestrel;
namespace ke = kestrel::ensemble;
namespace kt = kestrel::tree;
using Catch::Matchers::Contains;

static_assert(classifier<kt::DecisionTreeClassifier<double>> && classifier<kt::DecisionTreeClassifier<float>>);
static_assert(probabilistic_classifier<kt::DecisionTreeClassifier<double>> &&
              !regressor<kt::DecisionTreeClassifier<double>>);
static_assert(probabilistic_classifier<kt::ExtraTreeClassifier<double>> && !regressor<kt::ExtraTreeClassifier<double>>);
static_assert(regressor<kt::DecisionTreeRegressor<double>> && regressor<kt::DecisionTreeRegressor<float>>);
static_assert(!classifier<kt::DecisionTreeRegressor<double>>);
static_assert(regressor<kt::ExtraTreeRegressor<double>> && !classifier<kt::ExtraTreeRegressor<double>>);
static_assert(probabilistic_classifier<ke::RandomForestClassifier<double>> &&
              probabilistic_classifier<ke::RandomForestClassifier<float>>);
static_assert(!regressor<ke::RandomForestClassifier<double>>);
static_assert(probabilistic_classifier<ke::ExtraTreesClassifier<double>> &&
              !regressor<ke::ExtraTreesClassifier<double>>);
static_assert(regressor<ke::RandomForestRegressor<double>> && regressor<ke::RandomForestRegressor<float>>);
static_assert(!classifier<ke::RandomForestRegressor<double>>);
static_assert(regressor<ke::ExtraTreesRegressor<double>> && !classifier<ke::ExtraTreesRegressor<double>>);
static_assert(supervised_estimator<kt::DecisionTreeClassifier<double>> && predictor<ke::ExtraTreesRegressor<double>>);
static_assert(!transformer<kt::DecisionTreeClassifier<double>> && !clusterer<ke::RandomForestClassifier<double>>);

// The exception's type, and a message naming `needle`.
#define REQUIRE_THROWS_NAMING(expr, type, needle) \
    do { \
        REQUIRE_THROWS_AS(expr, type); \
        REQUIRE_THROWS_WITH(expr, Contains(needle)); \
    } while (false)

namespace {

// 100 rows, 4 features; three classes and a positive real target.
struct Data {
    Matrix<double> X = Matrix<double>(100, 4);
    Labels y = Labels(100);
    Vector<double> r = Vector<double>(100);
    Data() {
        for (Index i = 0; i < X.rows(); ++i) {
            for (Index j = 0; j < X.cols(); ++j) X(i, j) = std::sin(0.37 * static_cast<double>(i * (j + 1)) + j);
            y[i] = static_cast<int>(i % 3);
            r[i] = 1.0 + X(i, 0) * X(i, 0) + 0.5 * static_cast<double>(i % 4);
        }
    }
};

// Fits an estimator of `Params` p with the target that fits it.
template <class E>
void fit(typename E::Params p, const Data& d) {
    E e(p);
    if constexpr (classifier<E>) {
        e.fit(d.X, d.y);
    } else {
        e.fit(d.X, d.r);
    }
}

// The structure parameters every tree and forest shares, one bad value at a time.
template <class E>
void check_structure(const Data& d) {
    using P = typename E::Params;
    INFO(E::name);
    const auto with = [](auto set) {
        P p;
        set(p);
        return p;
    };
    REQUIRE_NOTHROW(fit<E>(with([](P& p) { p.max_depth = 3; }), d));
    REQUIRE_THROWS_NAMING(fit<E>(with([](P& p) { p.max_depth = 0; }), d), invalid_parameter, "max_depth");
    REQUIRE_THROWS_NAMING(fit<E>(with([](P& p) { p.min_samples_split = 1; }), d), invalid_parameter,
                          "min_samples_split");
    REQUIRE_THROWS_NAMING(fit<E>(with([](P& p) { p.min_samples_split = 1.5; }), d), invalid_parameter,
                          "min_samples_split");
    REQUIRE_THROWS_NAMING(fit<E>(with([](P& p) { p.min_samples_leaf = 0; }), d), invalid_parameter, "min_samples_leaf");
    REQUIRE_THROWS_NAMING(fit<E>(with([](P& p) { p.min_samples_leaf = 1.0; }), d), invalid_parameter,
                          "min_samples_leaf");
    REQUIRE_THROWS_NAMING(fit<E>(with([](P& p) { p.min_weight_fraction_leaf = 0.6; }), d), invalid_parameter,
                          "min_weight_fraction_leaf");
    REQUIRE_THROWS_NAMING(fit<E>(with([](P& p) { p.max_features = 0; }), d), invalid_parameter, "max_features");
    REQUIRE_THROWS_NAMING(fit<E>(with([](P& p) { p.max_features = 1.5; }), d), invalid_parameter, "max_features");
    REQUIRE_THROWS_NAMING(fit<E>(with([](P& p) { p.max_features = 100; }), d), invalid_parameter, "max_features");
    REQUIRE_THROWS_NAMING(fit<E>(with([](P& p) { p.max_leaf_nodes = 1; }), d), invalid_parameter, "max_leaf_nodes");
    REQUIRE_THROWS_NAMING(fit<E>(with([](P& p) { p.min_impurity_decrease = -0.5; }), d), invalid_parameter,
                          "min_impurity_decrease");
    REQUIRE_THROWS_NAMING(fit<E>(with([](P& p) { p.ccp_alpha = -1; }), d), invalid_parameter, "ccp_alpha");
    REQUIRE_THROWS_NAMING(fit<E>(with([](P& p) { p.max_bins = 1; }), d), invalid_parameter, "max_bins");
    REQUIRE_THROWS_NAMING(fit<E>(with([](P& p) { p.max_bins = 300; }), d), invalid_parameter, "max_bins");
    if constexpr (classifier<E>) {
        REQUIRE_THROWS_NAMING(fit<E>(with([](P& p) { p.criterion = kt::Criterion::squared_error; }), d),
                              invalid_parameter, "criterion");
    } else {
        REQUIRE_THROWS_NAMING(fit<E>(with([](P& p) { p.criterion = kt::Criterion::gini; }), d), invalid_parameter,
                              "criterion");
        REQUIRE_THROWS_NAMING(fit<E>(with([](P& p) {
                                         p.criterion = kt::Criterion::absolute_error;
                                         p.max_bins = 64;
                                     }),
                                     d),
                              invalid_parameter, "max_bins");
        Data negative = d;
        negative.r[7] = -1;
        REQUIRE_THROWS_NAMING(fit<E>(with([](P& p) { p.criterion = kt::Criterion::poisson; }), negative), invalid_input,
                              "poisson");
    }
}

// The data checks every tree and forest shares.
template <class E>
void check_data(const Data& d) {
    INFO(E::name);
    typename E::Params p;
    E e(p);
    const Matrix<double> X = d.X;
    const auto fit_weighted = [&](const Vector<double>& w) {
        E m(p);
        if constexpr (classifier<E>) {
            m.fit(X, d.y, w);
        } else {
            m.fit(X, d.r, w);
        }
    };
    Vector<double> w = Vector<double>::Ones(X.rows());
    w[3] = -0.5;
    REQUIRE_THROWS_NAMING(fit_weighted(w), invalid_input, "sample_weight");
    REQUIRE_THROWS_NAMING(fit_weighted(Vector<double>::Zero(X.rows())), invalid_input, "sample_weight");

    // NaN is a missing value where the splitter is best (trees and random forests): accepted at
    // fit and predict with exact splits; refused with histogram splits or absolute_error, and by
    // the Extra-Trees everywhere. Infinity is refused everywhere.
    Data nan = d;
    nan.X(5, 2) = std::numeric_limits<double>::quiet_NaN();
    Data inf = d;
    inf.X(5, 2) = -std::numeric_limits<double>::infinity();
    REQUIRE_THROWS_NAMING(fit<E>(p, inf), invalid_input, "infinite");
    if constexpr (E::allow_nan) {
        REQUIRE_NOTHROW(fit<E>(p, nan));
        typename E::Params binned = p;
        binned.max_bins = 32;
        REQUIRE_THROWS_NAMING(fit<E>(binned, nan), invalid_input, "NaN");
        if constexpr (!classifier<E>) {
            typename E::Params absolute = p;
            absolute.criterion = kt::Criterion::absolute_error;
            REQUIRE_THROWS_NAMING(fit<E>(absolute, nan), invalid_input, "NaN");
        }
    } else {
        REQUIRE_THROWS_NAMING(fit<E>(p, nan), invalid_input, "NaN");
    }

    REQUIRE_THROWS_NAMING((void)e.predict(X), not_fitted, std::string(E::name));
    fit_weighted(Vector<double>::Ones(X.rows()));  // fits a copy; `e` stays unfitted
    if constexpr (classifier<E>) {
        e.fit(X, d.y);
    } else {
        e.fit(X, d.r);
    }
    if constexpr (E::allow_nan) {
        REQUIRE_NOTHROW((void)e.predict(nan.X));
    } else {
        REQUIRE_THROWS_NAMING((void)e.predict(nan.X), invalid_input, "NaN");
    }
    REQUIRE_THROWS_NAMING((void)e.predict(inf.X), invalid_input, "infinite");
    REQUIRE_THROWS_NAMING((void)e.predict(Matrix<double>(X.leftCols(3))), invalid_input, "features");
    if constexpr (classifier<E>) {
        REQUIRE_THROWS_NAMING(e.fit(X, Labels::Constant(X.rows(), 2)), invalid_input, "class");
    }
}

// The forests' own parameters.
template <class E>
void check_forest(const Data& d) {
    using P = typename E::Params;
    INFO(E::name);
    P p;
    p.n_estimators = 0;
    REQUIRE_THROWS_NAMING(fit<E>(p, d), invalid_parameter, "n_estimators");
    p = P{};
    p.n_estimators = 5;
    p.bootstrap = false;
    p.oob_score = true;
    REQUIRE_THROWS_NAMING(fit<E>(p, d), invalid_parameter, "oob_score");
    p.oob_score = false;
    p.max_samples = 50;
    REQUIRE_THROWS_NAMING(fit<E>(p, d), invalid_parameter, "max_samples");
    p.bootstrap = true;
    p.max_samples = 1000;  // 100 rows
    REQUIRE_THROWS_NAMING(fit<E>(p, d), invalid_parameter, "max_samples");
    p.max_samples = 1.5;
    REQUIRE_THROWS_NAMING(fit<E>(p, d), invalid_parameter, "max_samples");
    p.max_samples = 50;
    REQUIRE_NOTHROW(fit<E>(p, d));

    // oob_score() of a forest fitted without oob_score.
    p = P{};
    p.n_estimators = 10;
    p.warm_start = true;
    E e(p);
    const auto refit = [&] {
        if constexpr (classifier<E>) {
            e.fit(d.X, d.y);
        } else {
            e.fit(d.X, d.r);
        }
    };
    REQUIRE_THROWS_NAMING((void)e.oob_score(), not_fitted, std::string(E::name));
    refit();
    REQUIRE_THROWS_NAMING((void)e.oob_score(), invalid_input, "oob_score");
    // warm_start with fewer trees than fitted.
    p.n_estimators = 5;
    e.set_params(p);
    REQUIRE_THROWS_NAMING(refit(), invalid_parameter, "n_estimators");
    p.n_estimators = 12;
    e.set_params(p);
    REQUIRE_NOTHROW(refit());
    REQUIRE(e.estimators().size() == 12);
}

}  // namespace

TEST_CASE("tree and forest structure parameters are checked at fit", "[tree][errors]") {
    const Data d;
    check_structure<kt::DecisionTreeClassifier<double>>(d);
    check_structure<kt::DecisionTreeRegressor<double>>(d);
    check_structure<kt::ExtraTreeClassifier<double>>(d);
    check_structure<kt::ExtraTreeRegressor<double>>(d);
    check_structure<ke::RandomForestClassifier<double>>(d);
    check_structure<ke::RandomForestRegressor<double>>(d);
    check_structure<ke::ExtraTreesClassifier<double>>(d);
    check_structure<ke::ExtraTreesRegressor<double>>(d);
}

TEST_CASE("bad data, wrong shapes and unfitted models are refused", "[tree][errors]") {
    const Data d;
    check_data<kt::DecisionTreeClassifier<double>>(d);
    check_data<kt::DecisionTreeRegressor<double>>(d);
    check_data<ke::RandomForestClassifier<double>>(d);
    check_data<ke::ExtraTreesRegressor<double>>(d);
}

TEST_CASE("forest parameters: n_estimators, bootstrap, oob_score, max_samples, warm_start", "[tree][errors]") {
    const Data d;
    check_forest<ke::RandomForestClassifier<double>>(d);
    check_forest<ke::RandomForestRegressor<double>>(d);
    check_forest<ke::ExtraTreesClassifier<double>>(d);
    check_forest<ke::ExtraTreesRegressor<double>>(d);
}

TEST_CASE("a forest's exceptions are kestrel::error and std::invalid_argument", "[tree][errors]") {
    const Data d;
    ke::RandomForestClassifierParams p;
    p.n_estimators = 0;
    ke::RandomForestClassifier<double> f(p);
    REQUIRE_THROWS_AS(f.fit(d.X, d.y), kestrel::error);
    REQUIRE_THROWS_AS(f.fit(d.X, d.y), std::invalid_argument);
}

TEST_CASE("a forged tree file whose nodes share a child, or leave one out, is refused", "[tree][errors]") {
    // Two splits pointing at the same children pass every per-node check (children later, in
    // range, distinct); the walks' packing needs each node to be one node's child.
    Matrix<double> X(64, 2);
    Labels y(64);
    for (Index i = 0; i < 64; ++i) {
        X(i, 0) = static_cast<double>(i % 8);
        X(i, 1) = static_cast<double>(i / 8);
        y[i] = (i % 8 >= 4) != (i / 8 >= 4) ? 1 : 0;
    }
    kt::DecisionTreeClassifier<double> model({.max_depth = 2});
    model.fit(X, y);
    const kt::Tree& t = model.tree();
    REQUIRE(t.node_count == 7);
    std::ostringstream out;
    io::save(model, out);
    const io::detail::model_contents contents = io::detail::parse_model_file(out.str(), "test");
    std::map<std::string, std::string> members;
    for (const auto& [name, member] : contents.members) members[name] = member.first;
    // Node a (the root's left child) gets the children of node b (its right child): they come
    // after both, so only the count of parents shows that a's own children are left out.
    const Index a = t.children_left[0], b = t.children_right[0];
    REQUIRE(t.children_left[a] >= 0);
    REQUIRE(t.children_left[b] >= 0);
    const auto set = [&](const std::string& name, Index node, std::int64_t value) {
        std::string& m = members.at(name);
        const std::size_t size = m.find("<i8") != std::string::npos ? 8 : 4;
        const std::size_t at = m.size() - size * static_cast<std::size_t>(t.node_count - node);
        if (size == 8) {
            std::memcpy(m.data() + at, &value, 8);
        } else {
            const auto v = static_cast<std::int32_t>(value);
            std::memcpy(m.data() + at, &v, 4);
        }
    };
    set("tree_/children_left", a, t.children_left[b]);
    set("tree_/children_right", a, t.children_right[b]);
    std::vector<io::detail::model_member> list;
    for (const auto& [name, bytes] : members) list.push_back({name, bytes});
    std::istringstream in(io::detail::model_archive_bytes(list));
    REQUIRE_THROWS_AS(io::load<kt::DecisionTreeClassifier<double>>(in), io_error);
    std::istringstream again(io::detail::model_archive_bytes(list));
    REQUIRE_THROWS_WITH(io::load<kt::DecisionTreeClassifier<double>>(again),
                        Contains("the child of exactly one node"));
}

#undef REQUIRE_THROWS_NAMING
