#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/metrics/classification.hpp>

#include <string>
#include <type_traits>

using namespace kestrel;
using namespace kestrel::metrics;
using kestrel::test::fixture_case;
using kestrel::test::max_relative_error;

namespace {

constexpr double tol = 1e-12;

// precision, recall and f1 (rows of the fixture) for each average (its columns).
void check_prf(const Labels& y_true, const Labels& y_pred, const std::string& name, const std::string& member,
               std::initializer_list<Average> averages, int pos_label = 1, double zero_division = 0) {
    const Matrix<double> expected = fixture_case(name).matrix(member);
    Index col = 0;
    for (const Average average : averages) {
        const ScoreParams params{.pos_label = pos_label, .average = average, .zero_division = zero_division};
        CHECK(std::abs(precision_score(y_true, y_pred, params) - expected(0, col)) <= tol * expected(0, col));
        CHECK(std::abs(recall_score(y_true, y_pred, params) - expected(1, col)) <= tol * expected(1, col));
        CHECK(std::abs(f1_score(y_true, y_pred, params) - expected(2, col)) <= tol * expected(2, col));
        CHECK(fbeta_score(y_true, y_pred, 1.0, params) == f1_score(y_true, y_pred, params));
        ++col;
    }
}

}  // namespace

TEST_CASE("accuracy and confusion matrix equal scikit-learn", "[classification]") {
    const Labels y_true = fixture_case("metrics/binary").labels("y_true");
    const Labels y_pred = fixture_case("metrics/binary").labels("y_pred");
    const Vector<double> w = fixture_case("metrics/binary").vector("weights");
    CHECK(std::abs(accuracy_score(y_true, y_pred) - fixture_case("metrics/binary").scalar("accuracy")) < tol);
    CHECK(std::abs(accuracy_score(y_true, y_pred, w) - fixture_case("metrics/binary").scalar("accuracy_weighted")) <
          tol);
    CHECK(std::abs(accuracy_score(y_true, y_pred, Vector<float>(w.cast<float>())) -
                   fixture_case("metrics/binary").scalar("accuracy_weighted")) < 1e-6);
    CHECK(confusion_matrix(y_true, y_pred).cast<double>() == fixture_case("metrics/binary").matrix("confusion"));
    CHECK(max_relative_error(confusion_matrix(y_true, y_pred, w),
                             fixture_case("metrics/binary").matrix("confusion_weighted")) < tol);

    const Labels m_true = fixture_case("metrics/multi").labels("y_true");
    const Labels m_pred = fixture_case("metrics/multi").labels("y_pred");
    CHECK(std::abs(accuracy_score(m_true, m_pred) - fixture_case("metrics/multi").scalar("accuracy")) < tol);
    CHECK(confusion_matrix(m_true, m_pred).cast<double>() == fixture_case("metrics/multi").matrix("confusion"));
}

TEST_CASE("precision, recall and F1 equal scikit-learn for every average", "[classification]") {
    const Labels y_true = fixture_case("metrics/binary").labels("y_true");
    const Labels y_pred = fixture_case("metrics/binary").labels("y_pred");
    check_prf(y_true, y_pred, "metrics/binary", "prf",
              {Average::binary, Average::micro, Average::macro, Average::weighted});

    const Labels b_true = fixture_case("metrics/binary37").labels("y_true");
    const Labels b_pred = fixture_case("metrics/binary37").labels("y_pred");
    check_prf(b_true, b_pred, "metrics/binary37", "prf", {Average::binary}, 7);
    check_prf(b_true, b_pred, "metrics/binary37", "prf_pos3", {Average::binary}, 3);

    const Labels m_true = fixture_case("metrics/multi").labels("y_true");
    const Labels m_pred = fixture_case("metrics/multi").labels("y_pred");
    check_prf(m_true, m_pred, "metrics/multi", "prf", {Average::micro, Average::macro, Average::weighted});
    check_prf(m_true, m_pred, "metrics/multi", "prf_zero1", {Average::micro, Average::macro, Average::weighted}, 1, 1);

    const ClassScores scores = precision_recall_fscore_support(m_true, m_pred);
    const Matrix<double> expected = fixture_case("metrics/multi").matrix("prfs");
    CHECK(max_relative_error(scores.precision, expected.col(0), 1.0) < tol);
    CHECK(max_relative_error(scores.recall, expected.col(1), 1.0) < tol);
    CHECK(max_relative_error(scores.fscore, expected.col(2), 1.0) < tol);
    CHECK(scores.support.cast<double>() == expected.col(3));
}

TEST_CASE("classification_report prints exactly as scikit-learn", "[classification]") {
    const Labels y_true = fixture_case("metrics/binary").labels("y_true");
    const Labels y_pred = fixture_case("metrics/binary").labels("y_pred");
    CHECK(classification_report(y_true, y_pred) == fixture_case("metrics/binary").text("report"));
    const Labels m_true = fixture_case("metrics/multi").labels("y_true");
    const Labels m_pred = fixture_case("metrics/multi").labels("y_pred");
    CHECK(classification_report(m_true, m_pred) == fixture_case("metrics/multi").text("report"));
    CHECK(classification_report(m_true, m_pred, {.digits = 4}) == fixture_case("metrics/multi").text("report_digits4"));
    const ReportParams named{.target_names = {"setosa", "versicolor", "virginica", "a-much-longer-class-name", "x"},
                             .zero_division = 1};
    CHECK(classification_report(m_true, m_pred, named) == fixture_case("metrics/multi").text("report_names"));
    CHECK_THROWS_AS(classification_report(m_true, m_pred, {.target_names = {"a", "b"}}), invalid_parameter);
}

TEMPLATE_TEST_CASE("log_loss equals scikit-learn", "[classification]", float, double) {
    using T = TestType;
    const double tolerance = std::is_same_v<T, float> ? 1e-6 : tol;
    const Labels y = fixture_case("metrics/logloss").labels("y");
    const Matrix<T> proba = fixture_case("metrics/logloss").matrix("proba").cast<T>();
    const double expected = fixture_case("metrics/logloss").scalar(std::is_same_v<T, float> ? "float32" : "log_loss");
    CHECK(std::abs(double(log_loss(y, proba)) - expected) < tolerance * expected);
    const Vector<T> w = fixture_case("metrics/binary").vector("weights").head(25).cast<T>();
    if constexpr (std::is_same_v<T, double>) {
        const double weighted = fixture_case("metrics/logloss").scalar("weighted");
        CHECK(std::abs(log_loss(y, proba, w) - weighted) < tol * weighted);
    }
    const Labels yb = fixture_case("metrics/logloss_binary").labels("y");
    const Vector<T> p1 = fixture_case("metrics/logloss_binary").vector("p").cast<T>();
    const double binary = fixture_case("metrics/logloss_binary").scalar("log_loss");
    CHECK(std::abs(double(log_loss(yb, p1)) - binary) < (std::is_same_v<T, float> ? 1e-5 : tol) * binary);
}

TEST_CASE("classification metrics reject bad input", "[classification]") {
    Labels a(4), b(3), c(4), one(4);
    a << 0, 1, 2, 1;
    b << 0, 1, 2;
    c << 1, 1, 0, 2;
    one << 3, 3, 3, 3;
    CHECK_THROWS_AS(accuracy_score(a, b), invalid_input);
    CHECK_THROWS_AS(accuracy_score(Labels(), Labels()), invalid_input);
    CHECK_THROWS_AS(confusion_matrix(a, b), invalid_input);
    CHECK_THROWS_AS(precision_score(a, c), invalid_parameter);  // multiclass with average = binary
    CHECK_THROWS_AS(f1_score(a, c, {.average = Average::macro, .zero_division = 0.5}), invalid_parameter);
    Labels binary(4);
    binary << 0, 2, 2, 0;
    CHECK_THROWS_AS(recall_score(binary, binary), invalid_parameter);  // pos_label 1 absent
    CHECK(recall_score(binary, binary, {.pos_label = 2}) == 1.0);
    CHECK_THROWS_AS(log_loss(one, Matrix<double>::Constant(4, 2, 0.5)), invalid_input);
    CHECK_THROWS_AS(log_loss(a, Matrix<double>::Constant(4, 2, 0.5)), invalid_input);
    CHECK_THROWS_AS(log_loss(a, Matrix<double>::Constant(3, 3, 0.5)), invalid_input);
}
