#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/metrics/ranking.hpp>

using namespace kestrel;
using namespace kestrel::metrics;
using kestrel::test::fixture_case;

TEMPLATE_TEST_CASE("roc_auc_score equals scikit-learn, ties included", "[ranking]", float, double) {
    using T = TestType;
    const Labels y = fixture_case("metrics/roc").labels("y");
    const Vector<T> score = fixture_case("metrics/roc").vector("score").cast<T>();
    const Vector<T> w = fixture_case("metrics/roc").vector("w").cast<T>();
    CHECK(std::abs(roc_auc_score(y, score) - fixture_case("metrics/roc").scalar("auc")) < 1e-12);
    const double weighted = fixture_case("metrics/roc").scalar("auc_weighted");
    CHECK(std::abs(roc_auc_score(y, score, w) - weighted) < (std::is_same_v<T, float> ? 1e-6 : 1e-12));
    const Labels y_ties = fixture_case("metrics/roc_ties").labels("y");
    const Vector<T> s_ties = fixture_case("metrics/roc_ties").vector("score").cast<T>();
    CHECK(std::abs(roc_auc_score(y_ties, s_ties) - fixture_case("metrics/roc_ties").scalar("auc")) < 1e-12);
    // Reversing the scores mirrors the area.
    CHECK(std::abs(roc_auc_score(y_ties, Vector<T>(-s_ties)) - (1 - fixture_case("metrics/roc_ties").scalar("auc"))) <
          1e-12);
}

TEST_CASE("roc_auc_score rejects one class, many classes and length mismatch", "[ranking]") {
    const Vector<double> s = Vector<double>::LinSpaced(4, 0, 1);
    CHECK_THROWS_AS(roc_auc_score(Labels::Ones(4), s), invalid_input);
    Labels three(4);
    three << 0, 1, 2, 1;
    CHECK_THROWS_AS(roc_auc_score(three, s), invalid_input);
    CHECK_THROWS_AS(roc_auc_score(Labels::Ones(3), s), invalid_input);
}
