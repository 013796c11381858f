// The warning path (kestrel/core/warnings.hpp) and the progress callback (kestrel/core/progress.hpp)
// on the linear solvers and k-means: a fit that stops at max_iter says so once, a handler can
// silence it or turn it into an exception, and a fit stopped by its callback is a fitted model.
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include <catch.hpp>
#include <kestrel/cluster/kmeans.hpp>
#include <kestrel/cluster/minibatch_kmeans.hpp>
#include <kestrel/core/progress.hpp>
#include <kestrel/core/warnings.hpp>
#include <kestrel/datasets/breast_cancer.hpp>
#include <kestrel/datasets/make_blobs.hpp>
#include <kestrel/linear_model/elastic_net.hpp>
#include <kestrel/linear_model/lasso.hpp>
#include <kestrel/linear_model/logistic_regression.hpp>

using namespace kestrel;

namespace {

/// Every warning raised while it lives.
struct captured_warnings {
    std::vector<warning_category> categories;
    std::vector<std::string> estimators, messages;
    scoped_warning_handler scope{[this](const warning& w) {
        categories.push_back(w.category);
        estimators.emplace_back(w.estimator);
        messages.push_back(w.message);
    }};
};

/// A callback that records each report and stops after `stop_at` iterations (never when 0).
struct recorder {
    Index stop_at = 0;
    std::vector<progress> reports;
    progress_callback callback() {
        return [this](const progress& p) {
            reports.push_back(p);
            return stop_at > 0 && p.iteration >= stop_at ? progress_action::stop : progress_action::proceed;
        };
    }
};

/// Writes what std::cerr receives to a string while it lives.
struct captured_stderr {
    std::ostringstream text;
    std::streambuf* previous = std::cerr.rdbuf(text.rdbuf());
    ~captured_stderr() { std::cerr.rdbuf(previous); }
};

}  // namespace

TEST_CASE("a solver stopped by max_iter warns once per estimator on stderr by default", "[warnings]") {
    const auto data = datasets::load_breast_cancer();  // unscaled: lbfgs needs far more than 5 steps
    captured_stderr err;
    set_warning_handler({});  // the default, with a fresh record of what was printed
    linear_model::LogisticRegression<> model({.max_iter = 5});
    model.fit(data.X, data.y);
    CHECK_FALSE(model.converged());
    CHECK(model.n_iter() == 5);
    model.fit(data.X, data.y);
    const std::string text = err.text.str();
    CHECK(text ==
          "kestrel: ConvergenceWarning: LogisticRegression: lbfgs did not converge within max_iter=5 iterations; "
          "increase max_iter or scale the data (preprocessing::StandardScaler)\n");
    // A converged fit says nothing.
    linear_model::LogisticRegression<> enough({.max_iter = 10000});
    enough.fit(data.X, data.y);
    CHECK(enough.converged());
    CHECK(err.text.str() == text);
}

TEST_CASE("a warning handler receives every warning, ignores them or raises them", "[warnings]") {
    const auto data = datasets::load_breast_cancer();
    SECTION("a handler hears each fit") {
        captured_warnings seen;
        linear_model::LogisticRegression<> model({.solver = linear_model::Solver::newton_cholesky, .max_iter = 1});
        model.fit(data.X, data.y).fit(data.X, data.y);
        REQUIRE(seen.categories.size() == 2);
        CHECK(seen.categories[0] == warning_category::convergence);
        CHECK(seen.estimators[0] == "LogisticRegression");
        CHECK(seen.messages[0].find("the Newton solver did not converge within max_iter=1") == 0);
    }
    SECTION("ignore drops them") {
        captured_stderr err;
        const scoped_warning_handler quiet(warning_handlers::ignore);
        linear_model::LogisticRegression<>({.max_iter = 3}).fit(data.X, data.y);
        CHECK(err.text.str().empty());
    }
    SECTION("raise throws kestrel::warning_error after the fit") {
        const scoped_warning_handler strict(warning_handlers::raise);
        linear_model::Lasso<> lasso({.alpha = 1e-4, .max_iter = 2});
        try {
            lasso.fit(data.X, Vector<double>(data.y.cast<double>()));
            FAIL("no exception");
        } catch (const warning_error& e) {
            CHECK(e.category() == warning_category::convergence);
            CHECK(std::string(e.what()).find("kestrel: ConvergenceWarning: Lasso: coordinate descent did not converge "
                                             "within max_iter=2 passes") == 0);
            const kestrel::error& base = e;
            CHECK(std::string(base.what()) == e.what());
        }
    }
}

TEST_CASE("k-means warns when it finds fewer distinct clusters than n_clusters", "[warnings]") {
    Matrix<double> X(12, 2);
    for (Index i = 0; i < 12; ++i) X.row(i) << double(i % 3), double(i % 3) * 2;  // three distinct points
    captured_warnings seen;
    cluster::KMeans<> km({.n_clusters = 5, .n_init = 1});
    km.fit(X);
    REQUIRE(seen.categories.size() == 1);
    CHECK(seen.categories[0] == warning_category::convergence);
    CHECK(seen.messages[0] ==
          "the number of distinct clusters (3) found is smaller than n_clusters (5), possibly because of duplicate "
          "points in X");
    cluster::KMeans<>({.n_clusters = 3, .n_init = 1}).fit(X);
    CHECK(seen.categories.size() == 1);
}

TEST_CASE("a progress callback hears every iteration and stops a fit into a usable model", "[progress]") {
    const auto data = datasets::load_breast_cancer();
    SECTION("LogisticRegression: the loss after each iteration") {
        recorder all;
        linear_model::LogisticRegression<> full({.max_iter = 50});
        full.set_progress_callback(all.callback());
        {
            const scoped_warning_handler quiet(warning_handlers::ignore);
            full.fit(data.X, data.y);
        }
        REQUIRE(all.reports.size() == static_cast<std::size_t>(full.n_iter()));
        for (std::size_t i = 0; i < all.reports.size(); ++i) {
            const progress& p = all.reports[i];
            CHECK(p.estimator == "LogisticRegression");
            CHECK(p.iteration == static_cast<Index>(i) + 1);
            CHECK(p.max_iterations == 50);
            CHECK(p.value_name == "loss");
            CHECK(std::isfinite(p.value));
            if (i > 0) {
                CHECK(p.value <= all.reports[i - 1].value);  // line searches only accept decreases
                CHECK(p.elapsed >= all.reports[i - 1].elapsed);
            }
        }
        CHECK_FALSE(full.cancelled());

        recorder three{3};
        captured_warnings seen;
        linear_model::LogisticRegression<> stopped({.max_iter = 50});
        stopped.set_progress_callback(three.callback()).fit(data.X, data.y);
        CHECK(three.reports.size() == 3);
        CHECK(stopped.cancelled());
        CHECK_FALSE(stopped.converged());
        CHECK(stopped.n_iter() == 3);
        REQUIRE(stopped.is_fitted());
        CHECK(stopped.predict(data.X).size() == data.X.rows());
        REQUIRE(seen.categories.size() == 1);  // fit_stopped, not a convergence warning as well
        CHECK(seen.categories[0] == warning_category::fit_stopped);
        CHECK(seen.messages[0] ==
              "the progress callback stopped the fit after 3 iterations; the model holds what was fitted until then");
        // The model is the one an unhooked fit of max_iter = 3 gives, bit for bit.
        const scoped_warning_handler quiet(warning_handlers::ignore);
        linear_model::LogisticRegression<> three_steps({.max_iter = 3});
        three_steps.fit(data.X, data.y);
        CHECK(three_steps.coef() == stopped.coef());
        // The next fit without a stop is not cancelled.
        stopped.set_progress_callback({}).fit(data.X, data.y);
        CHECK_FALSE(stopped.cancelled());
    }
    SECTION("multinomial and one-vs-rest fits count across their problems") {
        const auto blobs = datasets::make_blobs<double>({.n_samples = 300, .n_features = 4, .centers = Index{4}});
        recorder r{2};
        const scoped_warning_handler quiet(warning_handlers::ignore);
        linear_model::LogisticRegression<> ovr({.solver = linear_model::Solver::newton_cholesky});
        ovr.set_progress_callback(r.callback()).fit(blobs.X, blobs.y);
        CHECK(ovr.cancelled());
        CHECK(r.reports.size() == 2);
        CHECK(r.reports.back().max_iterations == 4 * 100);
        CHECK(ovr.predict(blobs.X).size() == 300);
        CHECK(ovr.coef().allFinite());
    }
    SECTION("Lasso and ElasticNet: the objective after each pass") {
        recorder r{4};
        const scoped_warning_handler quiet(warning_handlers::ignore);
        linear_model::ElasticNet<> enet({.alpha = 1e-3, .max_iter = 10000, .tol = 1e-12});
        enet.set_progress_callback(r.callback()).fit(data.X, data.X.col(1));
        CHECK(enet.cancelled());
        CHECK(enet.n_iter() == 4);
        CHECK_FALSE(enet.converged());
        REQUIRE(r.reports.size() == 4);
        CHECK(r.reports[3].value <= r.reports[0].value);
        CHECK(r.reports[0].value_name == "objective");
        CHECK(enet.predict(data.X).allFinite());
    }
    SECTION("KMeans: every iteration of every initialisation") {
        const auto blobs = datasets::make_blobs<double>({.n_samples = 2000, .n_features = 3, .centers = Index{6}});
        for (const auto algorithm : {cluster::Algorithm::lloyd, cluster::Algorithm::elkan}) {
            recorder all, two{2};
            cluster::KMeans<> km({.n_clusters = 6, .n_init = 3, .algorithm = algorithm});
            km.set_progress_callback(all.callback()).fit(blobs.X);
            CHECK(all.reports.size() >= 3);
            CHECK(all.reports.front().max_iterations == 3 * 300);
            CHECK(all.reports.front().value_name == "center shift");
            const scoped_warning_handler quiet(warning_handlers::ignore);
            cluster::KMeans<> cut({.n_clusters = 6, .n_init = 3, .algorithm = algorithm});
            cut.set_progress_callback(two.callback()).fit(blobs.X);
            CHECK(cut.cancelled());
            CHECK(two.reports.size() == 2);
            CHECK(cut.n_iter() == 2);
            CHECK_FALSE(cut.converged());
            CHECK((cut.predict(blobs.X).array() == cut.labels().array()).all());  // labels of the final centres
        }
    }
    SECTION("MiniBatchKMeans: every mini-batch step") {
        const auto blobs = datasets::make_blobs<double>({.n_samples = 3000, .n_features = 3, .centers = Index{5}});
        recorder r{7};
        const scoped_warning_handler quiet(warning_handlers::ignore);
        cluster::MiniBatchKMeans<> mb({.n_clusters = 5, .max_no_improvement = 0});
        mb.set_progress_callback(r.callback()).fit(blobs.X);
        CHECK(mb.cancelled());
        CHECK(mb.n_steps() == 7);
        REQUIRE(r.reports.size() == 7);
        CHECK(r.reports[0].value_name == "batch inertia");
        CHECK(r.reports[0].max_iterations == 100 * 3000 / 1024);
        CHECK(mb.cluster_centers().allFinite());
        CHECK(mb.predict(blobs.X).size() == 3000);
    }
}
