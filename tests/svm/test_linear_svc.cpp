// LinearSVC against scikit-learn 1.2 (tests/reference/gen_linear_svm.py): liblinear's solutions at
// tol=1e-10, predictions at the default tol, class and sample weights, the intercept, the
// combinations scikit-learn refuses, and model files.
#include <cmath>
#include <iostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "fixtures.hpp"
#include "svm_support.hpp"

#if defined(_OPENMP)
#include <omp.h>
#endif

#include <kestrel/core/concepts.hpp>
#include <kestrel/core/error.hpp>
#include <kestrel/core/print.hpp>
#include <kestrel/core/progress.hpp>
#include <kestrel/core/warnings.hpp>
#include <kestrel/datasets/make_classification.hpp>
#include <kestrel/io/persistence.hpp>
#include <kestrel/svm/linear_svc.hpp>

using namespace kestrel;
using kestrel::test::coef_parity;
using kestrel::test::fixture_case;
using kestrel::test::max_relative_error;
using kestrel::test::same;
using svm::LinearSVC;
using svm::LinearSVCParams;
using svm::Loss;
using svm::MultiClass;
using svm::Penalty;

static_assert(classifier<LinearSVC<double>> && classifier<LinearSVC<float>>);
static_assert(!probabilistic_classifier<LinearSVC<double>> && !regressor<LinearSVC<double>>);
// Params are checked at compile time when they are constants.
static_assert([] {
    LinearSVCParams{.penalty = Penalty::l1, .dual = false, .C = 0.5}.validate();
    LinearSVCParams{.penalty = Penalty::l1, .loss = Loss::hinge, .multi_class = MultiClass::crammer_singer}.validate();
    return true;
}());

namespace {

// The solvers as gen_linear_svm.py's SOLVERS.
const std::vector<std::string> solvers{"l2_squared_hinge_dual", "l2_hinge_dual", "l1_squared_hinge_primal",
                                       "l2_squared_hinge_primal", "crammer_singer"};

LinearSVCParams solver_params(const std::string& solver) {
    if (solver == "l2_hinge_dual") return {.loss = Loss::hinge};
    if (solver == "l1_squared_hinge_primal") return {.penalty = Penalty::l1, .dual = false};
    if (solver == "l2_squared_hinge_primal") return {.dual = false};
    if (solver == "crammer_singer") return {.multi_class = MultiClass::crammer_singer};
    return {};
}

LinearSVCParams tight(LinearSVCParams p) {
    p.tol = 1e-10;
    p.max_iter = 100000;
    return p;
}

// Fits the case `prefix` of fixture `c` at tol=1e-10 and checks coef, intercept and the decision
// function against scikit-learn's; returns the largest difference.
template <class T>
double check_tight(const test::FixtureCase& c, const std::string& prefix, const LinearSVCParams& params,
                   const Vector<double>& sample_weight, double tol) {
    INFO(prefix);
    const Matrix<T> X = c.matrix("X").template cast<T>();
    LinearSVC<T> model(tight(params));
    model.fit(X, c.labels("y"), sample_weight.cast<T>().eval());
    CHECK(model.converged());
    const double coef = coef_parity(model.coef(), c.matrix(prefix + "_coef"));
    const double intercept = coef_parity(model.intercept(), c.vector(prefix + "_intercept"));
    const double decision = coef_parity(model.decision_function(X), c.matrix(prefix + "_decision_function"));
    CHECK(coef < tol);
    CHECK(intercept < tol);
    CHECK(decision < tol);
    return std::max({coef, intercept, decision});
}

// Fits at the default tol; returns {predictions agreeing with scikit-learn's, rows}.
std::pair<Index, Index> check_default(const test::FixtureCase& c, const std::string& prefix,
                                      const LinearSVCParams& params, const Vector<double>& sample_weight,
                                      double& worst_coef) {
    INFO(prefix << " at the default tol");
    const Matrix<double> X = c.matrix("X");
    LinearSVC<double> model(params);
    model.fit(X, c.labels("y"), sample_weight);
    const Labels expected = c.labels(prefix + "_default_predict");
    const Index agree = (model.predict(X).array() == expected.array()).count();
    // Both stop early on their own paths, so the coefficients agree to the tolerance's effect only:
    // scikit-learn's own fits with seeds 0..9 differ by up to 0.029.
    const double coef = coef_parity(model.coef(), c.matrix(prefix + "_default_coef"));
    CHECK(coef < 0.05);
    worst_coef = std::max(worst_coef, coef);
    return {agree, expected.size()};
}

Vector<double> ones(const test::FixtureCase& c) { return Vector<double>::Ones(c.matrix("X").rows()); }

const std::vector<std::string> linear_data_sets{"iris", "wine", "breast_cancer", "iris_binary"};

}  // namespace

TEMPLATE_TEST_CASE("LinearSVC at tol=1e-10 has scikit-learn's coef, intercept and decision_function",
                   "[svm][linear_svc]", float, double) {
    using T = TestType;
    // In float, X is rounded (the solvers run in double): the solution moves by about 1e-7.
    const double tol = 1e-4;
    for (const std::string& data : linear_data_sets) {
        const auto c = fixture_case("svm/linear_svc_" + data);
        for (const std::string& solver : solvers) {
            const double worst = check_tight<T>(c, solver, solver_params(solver), ones(c), tol);
            std::cout << "LinearSVC parity (" << (sizeof(T) == 8 ? "double" : "float") << ") " << data << " " << solver
                      << ": " << worst << "\n";
        }
    }
}

TEST_CASE("LinearSVC at the default tol predicts as scikit-learn", "[svm][linear_svc]") {
    Index agree = 0, total = 0;
    double worst_coef = 0;
    for (const std::string& data : linear_data_sets) {
        const auto c = fixture_case("svm/linear_svc_" + data);
        for (const std::string& solver : solvers) {
            const auto [a, n] = check_default(c, solver, solver_params(solver), ones(c), worst_coef);
            agree += a;
            total += n;
        }
    }
    std::cout << "LinearSVC at the default tol: " << agree << " of " << total
              << " predictions as scikit-learn's; coef within " << worst_coef << "\n";
    CHECK(static_cast<double>(agree) >= 0.995 * static_cast<double>(total));
}

TEST_CASE("LinearSVC's class_weight and sample_weight match scikit-learn's", "[svm][linear_svc]") {
    const auto c = fixture_case("svm/linear_svc_weights");
    const Vector<double> sw = c.vector("sample_weight");
    Index agree = 0, total = 0;
    double worst_coef = 0;
    for (const std::string& solver : solvers) {
        LinearSVCParams balanced = solver_params(solver), map = balanced, sample = balanced;
        balanced.class_weight = ClassWeight::balanced;
        map.class_weight = ClassWeight{{0, 0.5}, {2, 3.0}};
        sample.C = 2.0;
        for (const auto& [prefix, params, weights] :
             std::vector<std::tuple<std::string, LinearSVCParams, Vector<double>>>{
                 {"balanced_" + solver, balanced, ones(c)}, {"map_" + solver, map, ones(c)},
                 {"sample_" + solver, sample, sw}}) {
            std::cout << "LinearSVC parity " << prefix << ": " << check_tight<double>(c, prefix, params, weights, 1e-4)
                      << "\n";
            const auto [a, n] = check_default(c, prefix, params, weights, worst_coef);
            agree += a;
            total += n;
        }
    }
    const auto b = fixture_case("svm/linear_svc_weights_binary");
    for (const std::string& solver : solvers) {
        LinearSVCParams params = solver_params(solver);
        params.C = 0.3;
        params.class_weight = ClassWeight{{0, 2.0}};
        std::cout << "LinearSVC parity binary weights " << solver << ": "
                  << check_tight<double>(b, solver, params, b.vector("sample_weight"), 1e-4) << "\n";
        const auto [a, n] = check_default(b, solver, params, b.vector("sample_weight"), worst_coef);
        agree += a;
        total += n;
    }
    CHECK(static_cast<double>(agree) >= 0.995 * static_cast<double>(total));
}

TEST_CASE("LinearSVC without an intercept, and with intercept_scaling, matches scikit-learn's", "[svm][linear_svc]") {
    const auto c = fixture_case("svm/linear_svc_intercept");
    for (const std::string& solver : solvers) {
        LinearSVCParams none = solver_params(solver), scaled = none;
        none.fit_intercept = false;
        scaled.intercept_scaling = 3.0;
        std::cout << "LinearSVC parity fit_intercept=false " << solver << ": "
                  << check_tight<double>(c, "none_" + solver, none, ones(c), 1e-4) << "\n";
        std::cout << "LinearSVC parity intercept_scaling=3 " << solver << ": "
                  << check_tight<double>(c, "scaled_" + solver, scaled, ones(c), 1e-4) << "\n";
        LinearSVC<double> model(none);
        model.fit(c.matrix("X"), c.labels("y"));
        CHECK((model.intercept().array() == 0).all());
    }
}

TEST_CASE("LinearSVC: weights equal repeated rows, zero weights equal removed rows", "[svm][linear_svc]") {
    const auto c = fixture_case("svm/linear_svc_wine");
    const Matrix<double> X = c.matrix("X");
    const Labels y = c.labels("y");
    Vector<double> w(X.rows());
    std::vector<Index> rows, positive;
    for (Index i = 0; i < X.rows(); ++i) {
        w[i] = static_cast<double>(i % 3);
        for (Index r = 0; r < i % 3; ++r) rows.push_back(i);
        if (i % 3 > 0) positive.push_back(i);
    }
    const auto take = [&](const std::vector<Index>& index) {
        Matrix<double> Xr(static_cast<Index>(index.size()), X.cols());
        Labels yr(static_cast<Index>(index.size()));
        for (std::size_t r = 0; r < index.size(); ++r) {
            Xr.row(static_cast<Index>(r)) = X.row(index[r]);
            yr[static_cast<Index>(r)] = y[index[r]];
        }
        return std::pair{Xr, yr};
    };
    const auto [X_repeated, y_repeated] = take(rows);
    const auto [X_kept, y_kept] = take(positive);
    for (const std::string& solver : solvers) {
        INFO(solver);
        const LinearSVCParams params = tight(solver_params(solver));
        LinearSVC<double> weighted(params), repeated(params), kept(params);
        weighted.fit(X, y, w);
        repeated.fit(X_repeated, y_repeated);
        kept.fit(X_kept, y_kept, Vector<double>(w(positive)));
        CHECK(max_relative_error(weighted.coef(), repeated.coef(), 1.0) < 1e-6);
        CHECK(max_relative_error(weighted.coef(), kept.coef(), 1.0) < 1e-6);
        CHECK(max_relative_error(weighted.intercept(), kept.intercept(), 1.0) < 1e-6);
    }
}

TEST_CASE("LinearSVC: any labels, determinism, random_state and max_iter", "[svm][linear_svc]") {
    const auto c = fixture_case("svm/linear_svc_iris");
    const Matrix<double> X = c.matrix("X");
    const Labels y = c.labels("y");
    // Labels 7, 3, −2 for 0, 1, 2: sorted classes −2, 3, 7 reorder the rows of coef().
    Labels relabelled(y.size());
    for (Index i = 0; i < y.size(); ++i) relabelled[i] = y[i] == 0 ? 7 : (y[i] == 1 ? 3 : -2);
    LinearSVC<double> plain(tight({})), other(tight({}));
    plain.fit(X, y);
    other.fit(X, relabelled);
    CHECK(same(other.classes(), (Labels(3) << -2, 3, 7).finished()));
    CHECK(max_relative_error(other.coef().row(0), plain.coef().row(2), 1.0) < 1e-6);
    CHECK(max_relative_error(other.coef().row(2), plain.coef().row(0), 1.0) < 1e-6);
    for (Index i = 0; i < y.size(); ++i) {
        const int p = plain.predict(X.row(i))[0];
        CHECK(other.predict(X.row(i))[0] == (p == 0 ? 7 : (p == 1 ? 3 : -2)));
    }
    // The same seed gives the same bits; another seed another path to the same solution.
    for (const std::string& solver : solvers) {
        INFO(solver);
        LinearSVCParams params = tight(solver_params(solver));
        LinearSVC<double> a(params), b(params);
        a.fit(X, y);
        b.fit(X, y);
        CHECK(a.coef() == b.coef());
        CHECK(a.n_iter() == b.n_iter());
        params.random_state = 12345;
        LinearSVC<double> seeded(params);
        seeded.fit(X, y);
        CHECK(max_relative_error(seeded.coef(), a.coef(), 1.0) < 1e-6);
        // max_iter stops early and says so; 0 passes leave every weight at 0.
        params.max_iter = 2;
        params.tol = 1e-12;
        LinearSVC<double> capped(params);
        capped.fit(X, y);
        CHECK(capped.n_iter() == (solver == "crammer_singer" ? capped.n_iter() : 2));
        if (solver != "crammer_singer") CHECK_FALSE(capped.converged());
        params.max_iter = 0;
        LinearSVC<double> none(params);
        none.fit(X, y);
        if (solver != "crammer_singer") {
            CHECK(none.n_iter() == 0);
            CHECK((none.coef().array() == 0).all());
            CHECK_FALSE(none.converged());
        }
    }
    // Crammer-Singer runs to liblinear's own cap whatever max_iter, as scikit-learn.
    LinearSVC<double> cs({.multi_class = MultiClass::crammer_singer, .max_iter = 1});
    cs.fit(X, y);
    CHECK(cs.n_iter() > 1);
    CHECK(cs.converged());
}

// The primal solver's sums (the loss, the gradient, each Hessian product) run over fixed parts of
// the rows on every core and are added in the parts' order: the bits do not depend on the thread
// count. 20,000 rows make four parts, fitted on three threads and on one.
TEST_CASE("LinearSVC's primal solver gives the same bits on one thread and on three", "[svm][linear_svc]") {
    const auto data = datasets::make_classification(
        {.n_samples = 20000, .n_features = 12, .n_informative = 6, .n_classes = 2, .random_state = 3});
    LinearSVCParams params{.dual = false, .tol = 1e-8};
    LinearSVC<double> three(params), one(params);
#if defined(_OPENMP)
    // Restores the thread count however the test ends.
    struct thread_count {
        int saved = omp_get_max_threads();
        explicit thread_count(int n) { omp_set_num_threads(n); }
        ~thread_count() { omp_set_num_threads(saved); }
    };
    {
        const thread_count guard(3);
        three.fit(data.X, data.y);
    }
    {
        const thread_count guard(1);
        one.fit(data.X, data.y);
    }
#else
    three.fit(data.X, data.y);
    one.fit(data.X, data.y);
#endif
    CHECK(three.n_iter() == one.n_iter());
    CHECK(three.coef() == one.coef());
    CHECK(three.intercept() == one.intercept());
    CHECK(three.n_iter() > 1);
}

TEST_CASE("LinearSVC refuses bad parameters and input with typed errors", "[svm][linear_svc]") {
    const auto c = fixture_case("svm/linear_svc_iris");
    Matrix<double> X = c.matrix("X");
    const Labels y = c.labels("y");
    for (const LinearSVCParams& bad :
         {LinearSVCParams{.C = 0}, LinearSVCParams{.C = -1}, LinearSVCParams{.tol = 0}, LinearSVCParams{.tol = -1e-3},
          LinearSVCParams{.intercept_scaling = 0}, LinearSVCParams{.fit_intercept = false, .intercept_scaling = -1},
          LinearSVCParams{.max_iter = -1}, LinearSVCParams{.loss = Loss::epsilon_insensitive},
          LinearSVCParams{.penalty = Penalty::l1, .loss = Loss::hinge},
          LinearSVCParams{.penalty = Penalty::l1, .loss = Loss::hinge, .dual = false},
          LinearSVCParams{.penalty = Penalty::l1}, LinearSVCParams{.loss = Loss::hinge, .dual = false}}) {
        LinearSVC<double> model(bad);
        CHECK_THROWS_AS(model.fit(X, y), invalid_parameter);
        CHECK_FALSE(model.is_fitted());
    }
    // scikit-learn's messages.
    CHECK_THROWS_WITH(LinearSVC<double>({.penalty = Penalty::l1, .loss = Loss::hinge}).fit(X, y),
                      Catch::Contains("Unsupported set of arguments: The combination of penalty='l1' and "
                                      "loss='hinge' is not supported, Parameters: penalty='l1', loss='hinge', "
                                      "dual=True"));
    CHECK_THROWS_WITH(LinearSVC<double>({.penalty = Penalty::l1}).fit(X, y),
                      Catch::Contains("The combination of penalty='l1' and loss='squared_hinge' are not supported "
                                      "when dual=True"));
    CHECK_THROWS_WITH(LinearSVC<double>({.loss = Loss::hinge, .dual = false}).fit(X, y),
                      Catch::Contains("The combination of penalty='l2' and loss='hinge' are not supported when "
                                      "dual=False"));
    CHECK_THROWS_WITH(LinearSVC<double>({.C = 0}).fit(X, y), Catch::Contains("parameter C = 0"));
    // Crammer-Singer ignores penalty, loss and dual.
    LinearSVC<double> cs({.penalty = Penalty::l1, .loss = Loss::hinge, .multi_class = MultiClass::crammer_singer});
    CHECK_NOTHROW(cs.fit(X, y));

    LinearSVC<double> model;
    CHECK_THROWS_AS(model.predict(X), not_fitted);
    CHECK_THROWS_AS(model.fit(X, Labels::Constant(X.rows(), 4)), invalid_input);
    CHECK_THROWS_AS(model.fit(X, y.head(10)), invalid_input);
    CHECK_THROWS_AS(model.fit(X, y, Vector<double>::Constant(X.rows(), -1.0)), invalid_input);
    Vector<double> no_class_0 = Vector<double>::Ones(X.rows());
    for (Index i = 0; i < X.rows(); ++i) {
        if (y[i] == 0) no_class_0[i] = 0;
    }
    CHECK_THROWS_WITH(model.fit(X, y, no_class_0), Catch::Contains("every sample of class 0 has weight 0"));
    CHECK_THROWS_AS(LinearSVC<double>({.class_weight = ClassWeight{{5, 2.0}}}).fit(X, y), invalid_input);
    model.fit(X, y);
    CHECK_THROWS_WITH(model.predict(X.leftCols(2)), Catch::Contains("X has 2 features, but LinearSVC"));
    CHECK_THROWS_AS(model.decision_function(X.leftCols(2)), invalid_input);
    X(3, 1) = std::nan("");
    CHECK_THROWS_AS(LinearSVC<double>().fit(X, y), invalid_input);
    CHECK_THROWS_AS(model.predict(X), invalid_input);
    X(3, 1) = INFINITY;
    CHECK_THROWS_AS(LinearSVC<double>().fit(X, y), invalid_input);
}

TEMPLATE_TEST_CASE("LinearSVC prints as scikit-learn and keeps its state through a model file", "[svm][linear_svc]",
                   float, double) {
    using T = TestType;
    CHECK(to_string(LinearSVC<T>()) == "LinearSVC()");
    CHECK(to_string(LinearSVC<T>({.dual = false, .C = 0.5})) == "LinearSVC(C=0.5, dual=False)");
    CHECK(to_string(LinearSVC<T>({.penalty = Penalty::l1, .dual = false, .class_weight = ClassWeight::balanced})) ==
          "LinearSVC(class_weight='balanced', dual=False, penalty='l1')");
    CHECK(to_string(LinearSVC<T>({.multi_class = MultiClass::crammer_singer, .max_iter = 50})) ==
          "LinearSVC(max_iter=50, multi_class='crammer_singer')");
    for (const std::string data : {"iris", "breast_cancer"}) {
        const auto c = fixture_case("svm/linear_svc_" + data);
        const Matrix<T> X = c.matrix("X").template cast<T>();
        for (const LinearSVCParams& params :
             {LinearSVCParams{}, LinearSVCParams{.penalty = Penalty::l1, .dual = false, .C = 0.5},
              LinearSVCParams{.multi_class = MultiClass::crammer_singer, .fit_intercept = false},
              LinearSVCParams{.loss = Loss::hinge, .class_weight = ClassWeight{{0, 2.0}}, .random_state = 7}}) {
            LinearSVC<T> model(params);
            model.fit(X, c.labels("y"));
            std::stringstream file;
            io::save(model, file);
            const auto loaded = io::load<LinearSVC<T>>(file);
            CHECK(loaded.params() == params);
            CHECK(loaded.coef() == model.coef());
            CHECK(loaded.intercept() == model.intercept());
            CHECK(same(loaded.classes(), model.classes()));
            CHECK(loaded.n_iter() == model.n_iter());
            CHECK(loaded.converged() == model.converged());
            CHECK(loaded.n_features_in() == X.cols());
            CHECK(loaded.decision_function(X) == model.decision_function(X));
            CHECK(same(loaded.predict(X), model.predict(X)));
        }
    }
    std::stringstream empty;
    CHECK_THROWS_AS(io::save(LinearSVC<T>(), empty), not_fitted);
}

TEST_CASE("LinearSVC says when it stops at max_iter, and a progress callback can stop it", "[svm][linear_svc][progress]") {
    const auto c = fixture_case("svm/linear_svc_iris");
    const Matrix<double> X = c.matrix("X");
    const Labels y = c.labels("y");
    std::vector<warning_category> seen;
    std::vector<std::string> messages;
    const scoped_warning_handler capture([&](const warning& w) {
        seen.push_back(w.category);
        messages.push_back(w.message);
    });
    LinearSVC<double> capped({.tol = 1e-12, .max_iter = 2});
    capped.fit(X, y);
    CHECK_FALSE(capped.converged());
    REQUIRE(seen.size() == 1);
    CHECK(seen[0] == warning_category::convergence);
    CHECK(messages[0] == "liblinear failed to converge within max_iter=2 iterations; increase max_iter, or scale the data");

    for (const std::string& solver : solvers) {
        INFO(solver);
        LinearSVCParams params = tight(solver_params(solver));
        std::vector<progress> reports;
        LinearSVC<double> stopped(params);
        stopped.set_progress_callback([&](const progress& p) {
            reports.push_back(p);
            return p.iteration == 3 ? progress_action::stop : progress_action::proceed;
        });
        stopped.fit(X, y);
        CHECK(stopped.cancelled());
        CHECK_FALSE(stopped.converged());
        REQUIRE(reports.size() == 3);
        CHECK(reports[2].estimator == "LinearSVC");
        CHECK(reports[2].max_iterations > 0);
        CHECK(seen.back() == warning_category::fit_stopped);
        CHECK(stopped.coef().allFinite());
        CHECK(stopped.predict(X).size() == X.rows());
    }
}
