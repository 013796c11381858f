// Precomputed kernels and Platt's probabilities of kestrel::svm against scikit-learn 1.2
// (tests/reference/gen_nu_svm.py).
#include <cmath>
#include <iostream>
#include <sstream>
#include <string>

#include "catch.hpp"
#include "fixtures.hpp"

#include <kestrel/core/error.hpp>
#include <kestrel/io/persistence.hpp>
#include <kestrel/svm/detail/platt.hpp>
#include <kestrel/svm/nu_svc.hpp>
#include <kestrel/svm/svc.hpp>
#include <kestrel/svm/svr.hpp>

using namespace kestrel;
using kestrel::test::fixture_case;
using kestrel::test::max_relative_error;
using kestrel::test::same;
using svm::Kernel;

TEST_CASE("Kernel::precomputed fits the kernel matrix and predicts from the test kernel, as scikit-learn",
          "[svm][precomputed]") {
    for (const std::string kernel : {"linear", "rbf"}) {
        INFO(kernel);
        {
            const auto c = fixture_case("svm/precomputed_SVC_" + kernel);
            svm::SVC<double> model({.kernel = Kernel::precomputed, .tol = 1e-8});
            model.fit(c.matrix("K_train"), c.labels("y"));
            CHECK(same(model.support(), c.labels("support")));
            CHECK(model.support_vectors().size() == 0);
            CHECK(model.shape_fit()[0] == c.matrix("K_train").rows());
            const double error = max_relative_error(model.decision_function(c.matrix("K_test")),
                                                    c.matrix("decision_function_test"), 1e-2);
            std::cout << "SVC precomputed " << kernel << ": " << error << "\n";
            CHECK(error < 1e-6);
            CHECK(same(model.predict(c.matrix("K_test")), c.labels("predict_test")));
            // The test kernel must have one column per training sample.
            CHECK_THROWS_AS(model.predict(c.matrix("K_test").leftCols(10)), invalid_input);
            std::stringstream file;
            io::save(model, file);
            const auto loaded = io::load<svm::SVC<double>>(file);
            CHECK(loaded.decision_function(c.matrix("K_test")) == model.decision_function(c.matrix("K_test")));
        }
        {
            const auto c = fixture_case("svm/precomputed_NuSVC_" + kernel);
            svm::NuSVC<double> model({.nu = 0.3, .kernel = Kernel::precomputed, .tol = 1e-8});
            model.fit(c.matrix("K_train"), c.labels("y"));
            CHECK(same(model.support(), c.labels("support")));
            CHECK(max_relative_error(model.decision_function(c.matrix("K_test")), c.matrix("decision_function_test"),
                                     1e-2) < 1e-6);
        }
        {
            const auto c = fixture_case("svm/precomputed_SVR_" + kernel);
            svm::SVR<double> model({.kernel = Kernel::precomputed, .tol = 1e-8, .C = 2.0});
            model.fit(c.matrix("K_train"), c.vector("y"));
            CHECK(same(model.support(), c.labels("support")));
            CHECK(max_relative_error(model.predict(c.matrix("K_test")), c.vector("predict_test"), 1e-2) < 1e-6);
        }
    }
    svm::SVC<double> model({.kernel = Kernel::precomputed});
    Labels y(4);
    y << 0, 1, 0, 1;
    CHECK_THROWS_WITH(model.fit(Matrix<double>::Identity(4, 3), y), Catch::Contains("square kernel matrix"));
}

TEST_CASE("libsvm's seed and generator are scikit-learn's", "[svm][probability]") {
    for (const std::string name : {"proba_SVC_iris", "proba_SVC_wine", "proba_NuSVC_iris"}) {
        const auto c = fixture_case("svm/" + name);
        CHECK(svm::detail::libsvm_seed(static_cast<std::uint64_t>(c.scalar("random_state"))) ==
              static_cast<std::uint32_t>(c.scalar("libsvm_seed")));
    }
}

TEST_CASE("SVC and NuSVC with probability=True: scikit-learn's probA, probB and predict_proba", "[svm][probability]") {
    struct probability_case {
        std::string name;
        svm::SVCParams svc;
        bool nu = false;
    };
    const std::vector<probability_case> cases{
        {"proba_SVC_iris", {.probability = true, .tol = 1e-8, .random_state = 0}},
        {"proba_SVC_iris_binary",
         {.C = 0.5, .kernel = Kernel::linear, .probability = true, .tol = 1e-8, .random_state = 7}},
        {"proba_SVC_wine",
         {.probability = true, .tol = 1e-8, .class_weight = ClassWeight{{1, 2.0}}, .random_state = 123}},
        {"proba_SVC_breast_cancer", {.probability = true, .tol = 1e-8, .random_state = 42}},
        {"proba_NuSVC_iris", {}, true},
    };
    for (const auto& pc : cases) {
        INFO(pc.name);
        const auto c = fixture_case("svm/" + pc.name);
        const Matrix<double> X = c.matrix("X");
        Matrix<double> proba;
        Vector<double> A, B;
        if (pc.nu) {
            svm::NuSVC<double> model({.nu = 0.3, .probability = true, .tol = 1e-8, .random_state = 3});
            model.fit(X, c.labels("y"));
            proba = model.predict_proba(X);
            A = model.probA();
            B = model.probB();
        } else {
            svm::SVC<double> model(pc.svc);
            model.fit(X, c.labels("y"));
            proba = model.predict_proba(X);
            A = model.probA();
            B = model.probB();
            const Matrix<double> log_proba = model.predict_log_proba(X);
            CHECK(max_relative_error(log_proba, proba.array().log().matrix().eval(), 1e-12) < 1e-12);
            std::stringstream file;
            io::save(model, file);
            const auto loaded = io::load<svm::SVC<double>>(file);
            CHECK(loaded.predict_proba(X) == proba);
            CHECK(loaded.probA() == model.probA());
        }
        // Same folds (the generator is scikit-learn's), so the same sigmoids up to the rounding
        // of the folds' solutions.
        const double a = max_relative_error(A, c.vector("probA"), 1e-2);
        const double b = max_relative_error(B, c.vector("probB"), 1e-2);
        const double p = max_relative_error(proba, c.matrix("predict_proba"), 1e-2);
        std::cout << pc.name << ": probA " << a << ", probB " << b << ", predict_proba " << p << "\n";
        CHECK(a < 1e-5);
        CHECK(b < 1e-5);
        CHECK(p < 1e-5);
        for (Index i = 0; i < proba.rows(); ++i) CHECK(std::abs(proba.row(i).sum() - 1.0) < 1e-9);
        CHECK((proba.array() > 0).all());
    }
}
