// read_libsvm against scikit-learn's load_svmlight_file (fixtures from tests/reference/gen_io.py)
// and the place (line, character column) it names in malformed files.
#include <string>

#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/io/libsvm.hpp>

#include "io_test_support.hpp"

namespace {

using kestrel::Labels;
using kestrel::io::read_libsvm;
using kestrel::test::fixture_case;
using kestrel::test::max_abs_error;
using kestrel::test::reference_path;
using kestrel::test::require_io_error;

}  // namespace

TEMPLATE_TEST_CASE("read_libsvm densifies as scikit-learn's load_svmlight_file", "[io]", float, double) {
    using T = TestType;
    const auto data = read_libsvm<T>(reference_path("io/sparse.libsvm"));
    CHECK(max_abs_error(data.X, fixture_case("io/sparse_libsvm").matrix("X").cast<T>()) == 0);
    CHECK(max_abs_error(data.y, fixture_case("io/sparse_libsvm").vector("y").cast<T>()) == 0);
    const auto labelled = read_libsvm<T, Labels>(reference_path("io/sparse.libsvm"));
    CHECK(labelled.y == fixture_case("io/sparse_libsvm").vector("y").cast<int>());
    const auto wide = read_libsvm<T>(reference_path("io/sparse.libsvm"), {.n_features = 6});
    REQUIRE(wide.n_features() == 6);
    CHECK(max_abs_error(wide.X.leftCols(4), data.X) == 0);
    CHECK(wide.X.rightCols(2).isZero());
}

TEST_CASE("read_libsvm names the line and column of malformed files", "[io]") {
    const kestrel::test::ScratchDirectory dir("libsvm");
    const auto reads = [&](const std::string& text, const std::string& where, kestrel::io::LibsvmOptions options = {}) {
        const std::string path = dir.write("bad.libsvm", text);
        require_io_error([&] { (void)read_libsvm<double>(path, options); }, where);
    };
    reads("1 1:2\nx 1:2\n", "line 2, column 1: \"x\" is not a number");
    reads("1 1:2\n1 1:2 3\n", "line 2, column 7: \"3\" is not index:value");
    reads("1 1:2\n1 0:2\n", "line 2, column 3: feature indices start at 1");
    reads("1 1:2\n1 a:2\n", "line 2, column 3: \"a\" is not a feature index");
    reads("1 1:2\n1 -2:2\n", "line 2, column 3: \"-2\" is not a feature index");
    reads("1 1:2\n1  3:1 2:2\n", "line 2, column 8: feature index 2 does not increase (previous 3)");
    reads("1 1:2\n1 2:1 2:2\n", "line 2, column 7: feature index 2 does not increase");
    reads("1 1:2\n1 2:zz\n", "line 2, column 5: \"zz\" is not a number");
    reads("1 1:2\n1 2:\n", "line 2, column 5: empty cell");
    reads("1 1:2\n1 9:1\n", "line 2, column 3: feature index 9 exceeds n_features = 4", {.n_features = 4});
    reads("1 99999999999:1\n", "line 1, column 3: feature index 99999999999 exceeds n_features = 2147483647");
    const std::string fractional = dir.write("fraction.libsvm", "1 1:2\n0.5 1:1\n");
    require_io_error([&] { (void)read_libsvm<double, Labels>(fractional); },
                     "line 2, column 1: \"0.5\" is not an integer");
    require_io_error([] { (void)read_libsvm<double>("/nonexistent/kestrel.libsvm"); }, "cannot open");
    CHECK_THROWS_AS(read_libsvm<double>(fractional, {.n_features = -1}), kestrel::invalid_parameter);
}

TEST_CASE("read_libsvm reads an empty file as no samples", "[io]") {
    const kestrel::test::ScratchDirectory dir("libsvm_empty");
    const auto data = read_libsvm<double>(dir.write("empty.libsvm", "# nothing\n\n"));
    CHECK(data.n_samples() == 0);
    CHECK(data.n_features() == 0);
}
