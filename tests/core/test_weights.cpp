// sample_weights (uniform or explicit) and ClassWeight (none, balanced, a per-class map).
#include <catch.hpp>
#include <kestrel/core/detail/validation.hpp>
#include <kestrel/core/weights.hpp>

using namespace kestrel;

TEST_CASE("sample weights know when they are uniform", "[weights]") {
    const auto none = detail::checked_sample_weights<double>(Vector<double>(), 4, "Est");
    CHECK(none.uniform());
    CHECK(none.size() == 4);
    CHECK(none.sum() == 4);
    CHECK(none[3] == 1);
    CHECK(none.dense() == Vector<double>::Ones(4));

    const auto ones = detail::checked_sample_weights<double>(Vector<double>::Ones(3), 3, "Est");
    CHECK(ones.uniform());

    Vector<float> w(3);
    w << 1, 2, 0.5f;
    const auto explicit_w = detail::checked_sample_weights<float>(w, 3, "Est");
    CHECK_FALSE(explicit_w.uniform());
    CHECK(explicit_w[1] == 2);
    CHECK(explicit_w.sum() == 3.5f);
    CHECK(explicit_w.values() == w);

    CHECK_THROWS_AS(detail::checked_sample_weights<double>(Vector<double>::Ones(2), 3, "Est"), invalid_input);
    CHECK_THROWS_WITH(detail::checked_sample_weights<double>(-Vector<double>::Ones(3), 3, "Est"),
                      Catch::Contains("negative"));
}

TEST_CASE("ClassWeight: none, balanced and a per-class map", "[weights]") {
    const Labels classes = (Labels(3) << -1, 4, 9).finished();
    const Eigen::VectorXi codes = (Eigen::VectorXi(6) << 0, 0, 0, 1, 2, 2).finished();

    CHECK(ClassWeight::none.weights(classes, codes, "Est") == Eigen::VectorXd::Ones(3));
    // n / (K · count): 6 / (3·3), 6 / (3·1), 6 / (3·2), as sklearn.utils.compute_class_weight.
    const Eigen::VectorXd balanced = ClassWeight::balanced.weights(classes, codes, "Est");
    CHECK(balanced[0] == Approx(2.0 / 3));
    CHECK(balanced[1] == Approx(2.0));
    CHECK(balanced[2] == Approx(1.0));

    const ClassWeight map{{9, 0.25}, {-1, 3.0}};
    const Eigen::VectorXd mapped = map.weights(classes, codes, "Est");
    CHECK(mapped[0] == 3.0);
    CHECK(mapped[1] == 1.0);  // not named: 1
    CHECK(mapped[2] == 0.25);
    CHECK(map.per_class().front().first == -1);  // sorted by label

    CHECK_THROWS_WITH((ClassWeight{{5, 1.0}}.weights(classes, codes, "LogisticRegression")),
                      Catch::Contains("class_weight names class 5"));
    CHECK_THROWS_AS((ClassWeight{{1, -2.0}}), invalid_parameter);
    CHECK_THROWS_AS((ClassWeight{{1, 1.0}, {1, 2.0}}), invalid_parameter);

    CHECK(ClassWeight::none == ClassWeight{});
    CHECK_FALSE(ClassWeight::none == ClassWeight::balanced);
    static_assert(ClassWeight::balanced.is_balanced() && ClassWeight::none.is_none());
}
