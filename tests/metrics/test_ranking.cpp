#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/metrics/ranking.hpp>

using namespace kestrel;
using namespace kestrel::metrics;
using kestrel::test::fixture_labels;
using kestrel::test::fixture_scalar;
using kestrel::test::fixture_vector;

TEMPLATE_TEST_CASE("roc_auc_score equals scikit-learn, ties included", "[ranking]", float, double) {
    using T = TestType;
    const Labels y = fixture_labels("metrics/roc_y.txt");
    const Vector<T> score = fixture_vector("metrics/roc_score.txt").cast<T>();
    const Vector<T> w = fixture_vector("metrics/roc_w.txt").cast<T>();
    CHECK(std::abs(roc_auc_score(y, score) - fixture_scalar("metrics/roc_auc.txt")) < 1e-12);
    const double weighted = fixture_scalar("metrics/roc_auc_weighted.txt");
    CHECK(std::abs(roc_auc_score(y, score, w) - weighted) < (std::is_same_v<T, float> ? 1e-6 : 1e-12));
    const Labels y_ties = fixture_labels("metrics/roc_ties_y.txt");
    const Vector<T> s_ties = fixture_vector("metrics/roc_ties_score.txt").cast<T>();
    CHECK(std::abs(roc_auc_score(y_ties, s_ties) - fixture_scalar("metrics/roc_ties_auc.txt")) < 1e-12);
    // Reversing the scores mirrors the area.
    CHECK(std::abs(roc_auc_score(y_ties, Vector<T>(-s_ties)) - (1 - fixture_scalar("metrics/roc_ties_auc.txt"))) < 1e-12);
}

TEST_CASE("roc_auc_score rejects one class, many classes and length mismatch", "[ranking]") {
    const Vector<double> s = Vector<double>::LinSpaced(4, 0, 1);
    CHECK_THROWS_AS(roc_auc_score(Labels::Ones(4), s), invalid_input);
    Labels three(4);
    three << 0, 1, 2, 1;
    CHECK_THROWS_AS(roc_auc_score(three, s), invalid_input);
    CHECK_THROWS_AS(roc_auc_score(Labels::Ones(3), s), invalid_input);
}
