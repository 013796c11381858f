#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/core/progress.hpp>
#include <kestrel/core/warnings.hpp>
#include <kestrel/datasets/breast_cancer.hpp>
#include <kestrel/datasets/diabetes.hpp>
#include <kestrel/datasets/iris.hpp>
#include <kestrel/linear_model/logistic_regression.hpp>
#include <kestrel/linear_model/ridge.hpp>
#include <kestrel/model_selection/cross_validation.hpp>
#include <kestrel/model_selection/grid_search.hpp>
#include <kestrel/model_selection/randomized_search.hpp>
#include <kestrel/pipeline/pipeline.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>
#include <set>
#include <sstream>
#include <vector>

using namespace kestrel;
using kestrel::test::fixture_case;
using kestrel::test::max_abs_error;
using kestrel::test::max_relative_error;
namespace ms = kestrel::model_selection;

namespace {

using Logistic = linear_model::LogisticRegression<double>;
using Scaler = preprocessing::StandardScaler<double>;
using ScaledLogistic = pipeline::Pipeline<Scaler, Logistic>;
using Ridge = linear_model::Ridge<double>;

const Logistic::Params logistic_params{.tol = 1e-10, .C = 1.0, .max_iter = 10000};
const std::vector<double> Cs{0.01, 0.1, 1.0, 10.0};

ScaledLogistic scaled_logistic() { return ScaledLogistic(ScaledLogistic::Params{{Scaler::Params{}, logistic_params}}); }

// The logistic fits converge to scikit-learn's optimum within ~1e-7 relative: continuous scores
// (ROC AUC, log loss) agree to that, counts (accuracy, F1) exactly unless a sample sits on the boundary.
constexpr double continuous_tolerance = 1e-6;

// LogisticRegression without decision_function: roc_auc must then use predict_proba's column of classes()[1].
struct ProbaOnlyLogistic : Logistic {
    using Logistic::Logistic;
    template <class M, class Y>
    ProbaOnlyLogistic& fit(const M& X, const Y& y) {
        Logistic::fit(X, y);
        return *this;
    }
    template <class M>
    void decision_function(const M&) const = delete;
};

}  // namespace

template <class E>
concept has_decision_function = requires(const E& e, const Matrix<double>& X) {
    e.decision_function(X);
};
template <class S, class Y>
concept fits_on = requires(S& s, const Matrix<double>& X, const Y& y) {
    s.fit(X, y);
};

static_assert(probabilistic_classifier<ProbaOnlyLogistic> && !has_decision_function<ProbaOnlyLogistic>);
// A target the estimator's fit does not take is rejected where it is passed.
static_assert(target_for<Labels, ScaledLogistic> && !target_for<Vector<double>, ScaledLogistic>);
static_assert(target_for<Vector<double>, Ridge> && !target_for<Labels, Ridge> && !target_for<Vector<float>, Ridge>);
static_assert(fits_on<ScaledLogistic, Labels> && !fits_on<ScaledLogistic, Vector<double>>);
static_assert(fits_on<ms::GridSearchCV<Logistic>, Labels> && !fits_on<ms::GridSearchCV<Logistic>, Vector<double>>);
static_assert(fits_on<ms::RandomizedSearchCV<Ridge>, Vector<double>> &&
              !fits_on<ms::RandomizedSearchCV<Ridge>, Labels>);

TEST_CASE("step<I>(field) and step<E>(field) build the same grid as a setter", "[search]") {
    const ScaledLogistic pipe = scaled_logistic();
    const auto by_index = ms::param_grid(pipe.params(), ms::axis(ms::step<1>(&Logistic::Params::C), Cs));
    const auto by_type = ms::param_grid(pipe.params(), ms::axis(ms::step<Logistic>(&Logistic::Params::C), Cs));
    const auto by_setter = ms::param_grid(
        pipe.params(),
        ms::axis<ScaledLogistic::Params, double>([](auto& p, double c) { std::get<1>(p.steps).C = c; }, Cs));
    REQUIRE(by_index.size() == 4);
    CHECK(by_index == by_setter);
    CHECK(by_type == by_setter);
    CHECK(std::get<1>(by_index[2].steps).C == 1.0);
    CHECK(std::get<1>(by_index[2].steps).tol == 1e-10);  // the base's other fields are kept

    // Two axes on two steps, and a step type that also names the first step.
    const auto two =
        ms::param_grid(pipe.params(), ms::axis(ms::step<Scaler>(&Scaler::Params::with_mean), {true, false}),
                       ms::axis(ms::step<1>(&Logistic::Params::fit_intercept), {true, false}));
    REQUIRE(two.size() == 4);
    CHECK((!std::get<0>(two[2].steps).with_mean && std::get<1>(two[2].steps).fit_intercept));
    CHECK((!std::get<0>(two[3].steps).with_mean && !std::get<1>(two[3].steps).fit_intercept));
}

TEST_CASE("GridSearchCV over a pipeline's C with each classification scoring equals scikit-learn's", "[search]") {
    const auto data = datasets::load_breast_cancer();
    const auto fixture = fixture_case("search/binary");
    const ScaledLogistic pipe = scaled_logistic();
    const auto grid = ms::param_grid(pipe.params(), ms::axis(ms::step<Logistic>(&Logistic::Params::C), Cs));
    const std::pair<ms::Scoring, std::string> scorings[] = {{ms::Scoring::accuracy, "accuracy"},
                                                            {ms::Scoring::balanced_accuracy, "balanced_accuracy"},
                                                            {ms::Scoring::f1, "f1"},
                                                            {ms::Scoring::roc_auc, "roc_auc"},
                                                            {ms::Scoring::neg_log_loss, "neg_log_loss"}};
    for (const auto& [scoring, name] : scorings) {
        INFO("scoring " << name);
        ms::GridSearchCV search(pipe, grid, {.scoring = scoring, .n_jobs = 2, .cv = ms::KFold({.n_splits = 5})});
        search.fit(data.X, data.y);
        const auto& results = search.cv_results();
        CHECK(max_relative_error(results.mean_test_score, fixture.vector(name + "_mean_test_score")) <
              continuous_tolerance);
        CHECK(max_abs_error(results.std_test_score, fixture.vector(name + "_std_test_score")) < 1e-5);
        CHECK(search.best_index() == static_cast<Index>(fixture.scalar(name + "_best_index")));
        CHECK(std::get<1>(search.best_params().steps).C == Cs[static_cast<std::size_t>(search.best_index())]);
        // score() of the refitted search uses the same scorer.
        if (scoring == ms::Scoring::accuracy)
            CHECK(search.score(data.X, data.y) == search.best_estimator().score(data.X, data.y));
    }
}

TEST_CASE("GridSearchCV scorings on a multiclass target equal scikit-learn's", "[search]") {
    const auto data = datasets::load_iris();
    const auto fixture = fixture_case("search/multiclass");
    const auto grid = ms::param_grid(logistic_params, ms::axis(&Logistic::Params::C, Cs));
    const std::pair<ms::Scoring, std::string> scorings[] = {{ms::Scoring::accuracy, "accuracy"},
                                                            {ms::Scoring::balanced_accuracy, "balanced_accuracy"},
                                                            {ms::Scoring::neg_log_loss, "neg_log_loss"}};
    for (const auto& [scoring, name] : scorings) {
        INFO("scoring " << name);
        ms::GridSearchCV search(Logistic(logistic_params), grid,
                                {.scoring = scoring, .cv = ms::StratifiedKFold({.n_splits = 5})});
        search.fit(data.X, data.y);
        // Both multinomial L-BFGS runs stop on a relative decrease of the objective, not at tol: at
        // C = 10 their coefficients differ by ~3e-4, and the log loss by ~5e-5 relative.
        const double tolerance = scoring == ms::Scoring::neg_log_loss ? 2e-4 : 1e-12;
        CHECK(max_relative_error(search.cv_results().mean_test_score, fixture.vector(name + "_mean_test_score")) <
              tolerance);
        CHECK(search.best_index() == static_cast<Index>(fixture.scalar(name + "_best_index")));
    }
    // f1 and roc_auc score binary targets only.
    for (const ms::Scoring scoring : {ms::Scoring::f1, ms::Scoring::roc_auc}) {
        ms::GridSearchCV search(Logistic(logistic_params), grid, {.scoring = scoring});
        CHECK_THROWS_AS(search.fit(data.X, data.y), invalid_input);
    }
}

TEST_CASE("GridSearchCV with r2 and neg_mean_squared_error equals scikit-learn's", "[search]") {
    const auto data = datasets::load_diabetes();
    const auto fixture = fixture_case("search/regression");
    const auto grid = ms::param_grid(Ridge::Params{}, ms::axis(&Ridge::Params::alpha, {0.001, 0.01, 0.1, 1.0, 10.0}));
    for (const auto& [scoring, name] :
         {std::pair{ms::Scoring::r2, std::string("r2")},
          std::pair{ms::Scoring::neg_mean_squared_error, std::string("neg_mean_squared_error")}}) {
        INFO("scoring " << name);
        ms::GridSearchCV search(Ridge(), grid, {.scoring = scoring, .cv = ms::KFold({.n_splits = 5})});
        search.fit(data.X, data.y);
        CHECK(max_relative_error(search.cv_results().mean_test_score, fixture.vector(name + "_mean_test_score")) <
              1e-10);
        CHECK(search.best_index() == static_cast<Index>(fixture.scalar(name + "_best_index")));
    }
    // The default scorer is the estimator's score: R² for a regressor.
    ms::GridSearchCV by_score(Ridge(), grid, ms::KFold({.n_splits = 5}));
    by_score.fit(data.X, data.y);
    CHECK(max_relative_error(by_score.cv_results().mean_test_score, fixture.vector("r2_mean_test_score")) < 1e-10);
}

TEST_CASE("cross_val_score takes a scoring, through decision_function or predict_proba", "[search]") {
    const auto data = datasets::load_breast_cancer();
    const auto fixture = fixture_case("search/binary");
    Logistic::Params p = logistic_params;
    p.C = 0.1;
    const ScaledLogistic pipe(ScaledLogistic::Params{{Scaler::Params{}, p}});
    const Vector<double> auc =
        ms::cross_val_score(pipe, data.X, data.y, ms::Scoring::roc_auc, ms::KFold({.n_splits = 5}));
    CHECK(max_relative_error(auc, fixture.vector("cross_val_score_roc_auc")) < continuous_tolerance);

    const pipeline::Pipeline<Scaler, ProbaOnlyLogistic> proba_pipe(
        pipeline::Pipeline<Scaler, ProbaOnlyLogistic>::Params{{Scaler::Params{}, p}});
    const Vector<double> proba_auc =
        ms::cross_val_score(proba_pipe, data.X, data.y, ms::Scoring::roc_auc, ms::KFold({.n_splits = 5}));
    CHECK(max_relative_error(proba_auc, fixture.vector("cross_val_score_roc_auc_proba")) < continuous_tolerance);

    // A callable scorer (const E&, X, y) -> double; here accuracy by hand, equal to Scoring::accuracy.
    const auto by_hand = [](const ScaledLogistic& model, const Matrix<double>& X, const Labels& y) {
        return static_cast<double>((model.predict(X).array() == y.array()).count()) / static_cast<double>(y.size());
    };
    const Vector<double> manual = ms::cross_val_score(pipe, data.X, data.y, by_hand, 5, 2);
    CHECK(manual == ms::cross_val_score(pipe, data.X, data.y, ms::Scoring::accuracy, 5));
    CHECK(manual == ms::cross_val_score(pipe, data.X, data.y, 5));  // the default: the estimator's accuracy
}

TEST_CASE("scorings are checked against the estimator and the target", "[search]") {
    const auto data = datasets::load_breast_cancer();
    // Classification scorings need a classifier, neg_log_loss predict_proba.
    CHECK_THROWS_AS(ms::Scorer<Ridge>(ms::Scoring::accuracy), invalid_parameter);
    CHECK_THROWS_AS(ms::Scorer<Ridge>(ms::Scoring::neg_log_loss), invalid_parameter);
    CHECK_NOTHROW(ms::Scorer<Ridge>(ms::Scoring::neg_mean_squared_error));
    // f1 scores the label 1, as scikit-learn's pos_label=1: labels 3 and 7 have no label 1.
    const Labels relabelled = (data.y.array() == 1).select(Labels::Constant(data.y.size(), 7), 3);
    CHECK_THROWS_AS(ms::cross_val_score(scaled_logistic(), data.X, relabelled, ms::Scoring::f1, 5), invalid_input);
    // {-1, 1} has a label 1: fine, and the same F1 as {0, 1}.
    const Labels signs = 2 * data.y.array() - 1;
    CHECK(ms::cross_val_score(scaled_logistic(), data.X, signs, ms::Scoring::f1, 5) ==
          ms::cross_val_score(scaled_logistic(), data.X, data.y, ms::Scoring::f1, 5));
    // roc_auc takes any two labels; the greater is positive.
    CHECK(ms::cross_val_score(scaled_logistic(), data.X, relabelled, ms::Scoring::roc_auc, 5) ==
          ms::cross_val_score(scaled_logistic(), data.X, data.y, ms::Scoring::roc_auc, 5));
}

TEST_CASE("refit = false keeps the results and refuses best_estimator", "[search]") {
    const auto data = datasets::load_breast_cancer();
    const ScaledLogistic pipe = scaled_logistic();
    const auto grid = ms::param_grid(pipe.params(), ms::axis(ms::step<1>(&Logistic::Params::C), Cs));
    ms::GridSearchCV refitted(pipe, grid, {.cv = ms::KFold({.n_splits = 5})});
    ms::GridSearchCV unrefitted(pipe, grid, {.refit = false, .cv = ms::KFold({.n_splits = 5})});
    refitted.fit(data.X, data.y);
    unrefitted.fit(data.X, data.y);
    CHECK(unrefitted.best_index() == refitted.best_index());
    CHECK(unrefitted.best_params() == refitted.best_params());
    CHECK(unrefitted.best_score() == refitted.best_score());
    CHECK(unrefitted.cv_results().mean_test_score == refitted.cv_results().mean_test_score);
    CHECK(unrefitted.is_fitted());
    CHECK_THROWS_AS(unrefitted.best_estimator(), not_fitted);
    CHECK_THROWS_AS(unrefitted.predict(data.X), not_fitted);
    CHECK_THROWS_WITH(unrefitted.best_estimator(), Catch::Contains("refit = false"));
    CHECK(refitted.predict(data.X) == refitted.best_estimator().predict(data.X));
    // fit(Dataset) searches on its X and y; sample weights, which the search does not pass on, are refused.
    ms::GridSearchCV from_dataset(pipe, grid, {.refit = false, .cv = ms::KFold({.n_splits = 5})});
    from_dataset.fit(data);
    CHECK(from_dataset.cv_results().mean_test_score == refitted.cv_results().mean_test_score);
    auto weighted = data;
    weighted.sample_weight = Vector<double>::Ones(data.X.rows());
    CHECK_THROWS_AS(from_dataset.fit(weighted), invalid_input);
    // The positional constructor's refit flag is the same option.
    ms::GridSearchCV positional(pipe, grid, ms::KFold({.n_splits = 5}), 1, false);
    positional.fit(data.X, data.y);
    CHECK_THROWS_AS(positional.best_estimator(), not_fitted);
}

TEST_CASE("cv_results prints as a table of ranks, scores and the varying parameters", "[search]") {
    const auto data = datasets::load_breast_cancer();
    const ScaledLogistic pipe = scaled_logistic();
    ms::GridSearchCV search(pipe, ms::param_grid(pipe.params(), ms::axis(ms::step<1>(&Logistic::Params::C), Cs)),
                            ms::KFold({.n_splits = 5}));
    search.fit(data.X, data.y);
    std::ostringstream out;
    out << search.cv_results();
    const std::string text = out.str();
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    REQUIRE(lines.size() == 5);
    CHECK(lines[0] == "rank  mean_test_score  std_test_score  mean_fit_time  param_logisticregression__C");
    // The row of C = 1.0, the best by accuracy: rank 1 and its mean score to six decimals.
    CHECK(lines[3].substr(0, 4) == "   1");
    CHECK(lines[3].find("0.977177") != std::string::npos);
    CHECK(lines[3].substr(lines[3].size() - 3) == "1.0");
    CHECK(lines[1].substr(lines[1].size() - 4) == "0.01");
}

TEST_CASE("RandomizedSearchCV draws reproducible candidates from lists and distributions", "[search]") {
    const auto data = datasets::load_breast_cancer();
    const ScaledLogistic pipe = scaled_logistic();
    const auto distributions =
        ms::param_distributions(pipe.params(), ms::axis(ms::step<1>(&Logistic::Params::C), ms::loguniform(1e-3, 1e2)),
                                ms::axis(ms::step<Logistic>(&Logistic::Params::fit_intercept), {true, false}),
                                ms::axis(ms::step<1>(&Logistic::Params::max_iter), ms::randint(200, 300)));
    const auto drawn = distributions.sample(50, 7);
    REQUIRE(drawn.size() == 50);
    std::set<bool> intercepts;
    for (const auto& p : drawn) {
        const auto& lr = std::get<1>(p.steps);
        CHECK((lr.C >= 1e-3 && lr.C < 1e2));
        CHECK((lr.max_iter >= 200 && lr.max_iter < 300));
        CHECK(lr.tol == 1e-10);
        intercepts.insert(lr.fit_intercept);
    }
    CHECK(intercepts.size() == 2);
    CHECK(distributions.sample(50, 7) == drawn);
    CHECK(distributions.sample(50, 8) != drawn);

    ms::RandomizedSearchCV one(pipe, distributions,
                               {.n_iter = 6, .n_jobs = 1, .cv = ms::KFold({.n_splits = 4}), .random_state = 3});
    ms::RandomizedSearchCV two(pipe, distributions,
                               {.n_iter = 6, .n_jobs = 2, .cv = ms::KFold({.n_splits = 4}), .random_state = 3});
    one.fit(data.X, data.y);
    two.fit(data.X, data.y);
    REQUIRE(one.cv_results().params.size() == 6);
    CHECK(one.cv_results().params == distributions.sample(6, 3));
    CHECK(one.cv_results().split_test_score == two.cv_results().split_test_score);  // bit-identical for any n_jobs
    CHECK(one.best_index() == two.best_index());
    CHECK(one.predict_proba(data.X) == two.predict_proba(data.X));

    // Each candidate's scores are those GridSearchCV gives the same parameters.
    ms::GridSearchCV grid(pipe, one.cv_results().params, ms::KFold({.n_splits = 4}));
    grid.fit(data.X, data.y);
    CHECK(grid.cv_results().split_test_score == one.cv_results().split_test_score);
}

TEST_CASE("RandomizedSearchCV over lists alone samples distinct grid points", "[search]") {
    const auto distributions =
        ms::param_distributions(Ridge::Params{}, ms::axis(&Ridge::Params::alpha, {0.1, 1.0, 10.0}),
                                ms::axis(&Ridge::Params::fit_intercept, {true, false}));
    const auto some = distributions.sample(4, 0);
    REQUIRE(some.size() == 4);
    std::set<std::pair<double, bool>> seen;
    for (const auto& p : some) seen.insert({p.alpha, p.fit_intercept});
    CHECK(seen.size() == 4);
    // n_iter beyond the grid's size gives the whole grid once, as scikit-learn's ParameterSampler.
    const auto all = distributions.sample(100, 0);
    REQUIRE(all.size() == 6);
    seen.clear();
    for (const auto& p : all) seen.insert({p.alpha, p.fit_intercept});
    CHECK(seen.size() == 6);
    CHECK_THROWS_AS(distributions.sample(0, 0), invalid_parameter);
    CHECK_THROWS_AS(ms::loguniform(0.0, 1.0), invalid_parameter);
    CHECK_THROWS_AS(ms::uniform(2.0, 1.0), invalid_parameter);
    CHECK_THROWS_AS(ms::randint(5, 5), invalid_parameter);
    // uniform(low, high) is [low, high).
    const auto u = ms::param_distributions(Ridge::Params{}, ms::axis(&Ridge::Params::alpha, ms::uniform(2.0, 3.0)));
    for (const auto& p : u.sample(20, 1)) CHECK((p.alpha >= 2.0 && p.alpha < 3.0));
}

TEST_CASE("a progress callback hears every scored fold and can stop a search", "[search][progress]") {
    const auto data = datasets::load_diabetes();
    const auto grid = ms::param_grid(Ridge::Params{}, ms::axis(&Ridge::Params::alpha, {0.001, 0.01, 0.1, 1.0}));
    std::vector<progress> reports;
    ms::GridSearchCV full(Ridge(), grid, ms::KFold({.n_splits = 5}));
    full.set_progress_callback([&](const progress& p) {
        reports.push_back(p);
        return progress_action::proceed;
    });
    full.fit(data.X, data.y);
    REQUIRE(reports.size() == 20);
    CHECK(reports.back().max_iterations == 20);
    CHECK(reports.back().estimator == "GridSearchCV");
    CHECK(reports.front().value == full.cv_results().split_test_score(0, 0));
    CHECK_FALSE(full.cancelled());

    // Stopped after the third fold: the first candidate's folds still run, the others are skipped.
    std::vector<warning_category> seen;
    const scoped_warning_handler capture([&](const warning& w) { seen.push_back(w.category); });
    ms::GridSearchCV cut(Ridge(), grid, ms::KFold({.n_splits = 5}));
    cut.set_progress_callback([](const progress& p) {
        return p.iteration >= 3 ? progress_action::stop : progress_action::proceed;
    });
    cut.fit(data.X, data.y);
    CHECK(cut.cancelled());
    REQUIRE(cut.cv_results().params.size() == 1);
    CHECK(cut.cv_results().mean_test_score[0] == full.cv_results().mean_test_score[0]);
    CHECK(cut.best_index() == 0);
    CHECK(cut.best_estimator().params().alpha == 0.001);
    CHECK(cut.predict(data.X).size() == data.X.rows());
    REQUIRE(seen.size() == 1);
    CHECK(seen[0] == warning_category::fit_stopped);
}
