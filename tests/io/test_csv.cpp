// read_csv against Python's csv module on the files tests/reference/gen_io.py wrote, and the
// place (line, column) it names for every kind of malformed file.
#include <string>
#include <vector>

#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/io/csv.hpp>

#include "io_test_support.hpp"

namespace {

using kestrel::Labels;
using kestrel::io::read_csv;
using kestrel::test::fixture_case;
using kestrel::test::reference_path;
using kestrel::test::require_io_error;

// max |a - b| where NaN matches NaN.
template <class A, class B>
bool same_values(const A& a, const B& b) {
    if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
    for (kestrel::Index i = 0; i < a.rows(); ++i) {
        for (kestrel::Index j = 0; j < a.cols(); ++j) {
            const double x = static_cast<double>(a(i, j)), y = static_cast<double>(b(i, j));
            if (!(x == y || (std::isnan(x) && std::isnan(y)))) return false;
        }
    }
    return true;
}

}  // namespace

TEMPLATE_TEST_CASE("read_csv reads quoted fields, CRLF, blank lines and the header", "[io]", float, double) {
    using T = TestType;
    const auto data = read_csv<T>(reference_path("io/quoted.csv"));
    const kestrel::Matrix<double> expected = fixture_case("io/quoted_csv").matrix("values");
    const kestrel::Matrix<T> expected_T = expected.cast<T>();
    CHECK(same_values(data.X, expected_T.leftCols(3)));
    CHECK(same_values(data.y, expected_T.col(3)));
    const std::vector<std::string> names = fixture_case("io/quoted_csv").strings("names");
    CHECK(data.feature_names == std::vector<std::string>(names.begin(), names.begin() + 3));
    CHECK(data.target_names == std::vector<std::string>{names[3]});

    const auto labelled = read_csv<T, Labels>(reference_path("io/quoted.csv"));
    CHECK(labelled.y == expected.col(3).cast<int>());

    const auto middle = read_csv<T>(reference_path("io/quoted.csv"), {.target_column = 1});
    CHECK(same_values(middle.y, expected_T.col(1)));
    CHECK(middle.feature_names == std::vector<std::string>{names[0], names[2], names[3]});

    const auto all = read_csv<T>(reference_path("io/quoted.csv"), {.target_column = std::nullopt});
    CHECK(same_values(all.X, expected_T));
    CHECK(all.y.size() == 0);
}

TEST_CASE("read_csv without a header, another delimiter and the target first", "[io]") {
    const auto data = read_csv<double, Labels>(reference_path("io/semicolon.csv"),
                                               {.target_column = 0, .header = false, .delimiter = ';'});
    const kestrel::Matrix<double> expected = fixture_case("io/semicolon_csv").matrix("values");
    CHECK(data.X == expected.rightCols(2));
    CHECK(data.y == expected.col(0).cast<int>());
    CHECK(data.feature_names.empty());
    const auto from_end =
        read_csv<double>(reference_path("io/semicolon.csv"), {.target_column = -3, .header = false, .delimiter = ';'});
    CHECK(from_end.y == expected.col(0));
}

TEST_CASE("read_csv names the line and column of malformed files", "[io]") {
    const kestrel::test::ScratchDirectory dir("csv");
    const auto reads = [&](const std::string& text, const std::string& where, kestrel::io::CsvOptions options = {}) {
        const std::string path = dir.write("bad.csv", text);
        require_io_error([&] { (void)read_csv<double>(path, options); }, where);
    };
    reads("a,b,c\n1,2,3\n4,5\n", "line 3, column 3: the record has 2 fields, but the header has 3");
    reads("a,b\n1,2\n3,4,5\n", "line 3, column 3: the record has 3 fields");
    reads("a,b\n1,2\n3,x\n", "line 3, column 2: \"x\" is not a number");
    reads("a,b\n1,2\n3,\n", "line 3, column 2: empty cell");
    reads("a,b\n1,2\n3,4.5.6\n", "line 3, column 2: \"4.5.6\" is not a number");
    reads("a,b\n1,2\n3,1e999\n", "line 3, column 2: \"1e999\" is out of range");
    reads("a,b,a\n1,2,3\n", "line 1, column 3: the header repeats the column name \"a\"");
    reads("\"a,b\n1,2\n", "line 1, column 1: quoted field is not closed");
    reads("a,b\n1,\"2\n", "line 2, column 2: quoted field is not closed");
    reads("a,b\n1,\"2\"x\n", "line 2, column 2: unexpected character after a closing quote");
    reads("", "line 1, column 1: the file is empty");
    reads("a,b\n", "line 2, column 1: the file holds no data records");
    reads("a,b\n1,2\n", "target_column = 5 is out of range for 2 columns", {.target_column = 5});
    reads("a,b\n1,2\n", "target_column = -3 is out of range", {.target_column = -3});
    const std::string labels = dir.write("labels.csv", "a,b\n1,2.5\n");
    require_io_error([&] { (void)read_csv<double, Labels>(labels); }, "line 2, column 2: \"2.5\" is not an integer");
    require_io_error([] { (void)read_csv<double>("/nonexistent/kestrel.csv"); }, "cannot open");
    CHECK_THROWS_AS(read_csv<double>(labels, {.delimiter = '"'}), kestrel::invalid_parameter);
    // A quoted field spanning lines moves the line count on.
    reads("\"a\nb\",c\n1,2\n3,y\n", "line 4, column 2: \"y\" is not a number");
}
