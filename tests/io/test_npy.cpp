// load_npy / save_npy against .npy files written by NumPy (tests/reference/gen_io.py) and
// against truncated and foreign files.
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>

#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/io/npy.hpp>

#include "io_test_support.hpp"

namespace {

using kestrel::Matrix;
using kestrel::io::load_npy;
using kestrel::io::load_npy_vector;
using kestrel::io::save_npy;
using kestrel::test::fixture_case;
using kestrel::test::max_abs_error;
using kestrel::test::reference_path;
using kestrel::test::require_io_error;

std::string npy(const std::string& name) { return reference_path("io/" + name); }

std::string bytes_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEMPLATE_TEST_CASE("load_npy reads every dtype and order NumPy writes", "[io]", float, double, std::int32_t,
                   std::int64_t) {
    using T = TestType;
    const Matrix<double> floats = fixture_case("io/npy").matrix("float_values");
    const Matrix<double> ints = fixture_case("io/npy").matrix("int_values");
    for (const char* file :
         {"f4_c.npy", "f4_f.npy", "f4_big.npy", "f8_c.npy", "f8_f.npy", "f8_big.npy", "f8_v2.npy", "f8_v3.npy"}) {
        INFO(file);
        if constexpr (std::is_floating_point_v<T>) {
            const Matrix<T> m = load_npy<T>(npy(file));
            CHECK(max_abs_error(m, floats) == 0);
        } else {
            // 0.25-steps are not integers: converting them to an integer type is refused.
            require_io_error([&] { (void)load_npy<T>(npy(file)); }, "is not representable");
        }
    }
    for (const char* file : {"i4_c.npy", "i4_f.npy", "i4_big.npy", "i8_c.npy", "i8_f.npy", "i8_big.npy"}) {
        INFO(file);
        const Matrix<T> m = load_npy<T>(npy(file));
        CHECK(max_abs_error(m, ints) == 0);
    }
}

TEST_CASE("load_npy shapes: 1-D is a column, 0-D is 1x1, empty arrays", "[io]") {
    const Matrix<double> column = load_npy<double>(npy("f8_1d.npy"));
    CHECK(column.cols() == 1);
    CHECK(max_abs_error(column, fixture_case("io/npy").matrix("1d_values")) == 0);
    CHECK(max_abs_error(load_npy_vector<double>(npy("f8_1d.npy")), fixture_case("io/npy").matrix("1d_values")) == 0);
    const Matrix<double> scalar = load_npy<double>(npy("f8_0d.npy"));
    REQUIRE(scalar.rows() == 1);
    REQUIRE(scalar.cols() == 1);
    CHECK(scalar(0, 0) == 2.5);
    const Matrix<double> empty = load_npy<double>(npy("f8_empty.npy"));
    CHECK(empty.rows() == 0);
    CHECK(empty.cols() == 3);
    require_io_error([] { (void)load_npy_vector<double>(npy("f8_c.npy")); }, "a vector was expected");
}

TEST_CASE("load_npy converts int64 exactly and refuses what int32 cannot hold", "[io]") {
    CHECK(max_abs_error(load_npy<std::int64_t>(npy("i8_large.npy")),
                        fixture_case("io/npy").matrix("i8_large_values")) == 0);
    CHECK(max_abs_error(load_npy<double>(npy("i8_large.npy")), fixture_case("io/npy").matrix("i8_large_values")) == 0);
    require_io_error([] { (void)load_npy<std::int32_t>(npy("i8_large.npy")); }, "element 0");
    require_io_error([] { (void)load_npy<int>(npy("f8_fraction.npy")); }, "element 1 (2.5");
}

TEST_CASE("load_npy rejects foreign, truncated and unsupported files", "[io]") {
    const kestrel::test::ScratchDirectory dir("npy");
    require_io_error([] { (void)load_npy<double>("/nonexistent/kestrel.npy"); }, "cannot open");
    require_io_error([] { (void)load_npy<double>(npy("u1_c.npy")); }, "dtype \"|u1\" is not supported");
    require_io_error([] { (void)load_npy<double>(npy("f8_3d.npy")); }, "3-D arrays are not supported");
    require_io_error([&] { (void)load_npy<double>(dir.write("text.npy", "hello, world")); }, "bad magic");
    const std::string good = bytes_of(npy("f8_c.npy"));
    REQUIRE(good.size() == 128 + 12 * 8);
    // Every truncation point: in the magic, the header length, the header and the data.
    for (std::size_t size = 0; size < good.size(); ++size) {
        INFO("truncated to " << size << " bytes");
        const std::string path = dir.write("cut.npy", good.substr(0, size));
        CHECK_THROWS_AS(load_npy<double>(path), kestrel::io_error);
    }
    require_io_error([&] { (void)load_npy<double>(dir.write("long.npy", good + "x")); }, "holds 97 bytes");
    std::string shape_lie = good;
    shape_lie.replace(shape_lie.find("(3, 4)"), 6, "(9, 9)");
    require_io_error([&] { (void)load_npy<double>(dir.write("lie.npy", shape_lie)); }, "needs 81 elements of 8 bytes");
    std::string huge = good;
    huge.replace(huge.find("(3, 4)"), 6, "(99999999999, 99999999)");
    require_io_error([&] { (void)load_npy<double>(dir.write("huge.npy", huge)); }, "exceeds 2^31");
    std::string version = good;
    version[6] = 9;
    require_io_error([&] { (void)load_npy<double>(dir.write("v9.npy", version)); }, "version 9");
    std::string order = good;
    order.replace(order.find("False"), 5, "Maybe");
    require_io_error([&] { (void)load_npy<double>(dir.write("order.npy", order)); }, "expected True or False");
}

TEMPLATE_TEST_CASE("save_npy then load_npy gives the array back", "[io]", float, double, std::int32_t, std::int64_t) {
    using T = TestType;
    const kestrel::test::ScratchDirectory dir("npy_save");
    const Matrix<T> m = fixture_case("io/npy").matrix("int_values").cast<T>();
    save_npy(dir.path("m.npy"), m);
    CHECK(load_npy<T>(dir.path("m.npy")) == m);
    // Column-major input and expressions are written in C order too.
    const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> column_major = m.transpose();
    save_npy(dir.path("t.npy"), column_major);
    CHECK(load_npy<T>(dir.path("t.npy")) == m.transpose());
    const Eigen::Matrix<T, Eigen::Dynamic, 1> v = m.col(1);
    save_npy(dir.path("v.npy"), v);
    CHECK(load_npy_vector<T>(dir.path("v.npy")) == v);
    // What NumPy writes and what kestrel writes are byte-identical for the same array.
    if constexpr (std::is_same_v<T, double>) {
        save_npy(dir.path("floats.npy"), fixture_case("io/npy").matrix("float_values"));
        CHECK(bytes_of(dir.path("floats.npy")) == bytes_of(npy("f8_c.npy")));
    }
    if constexpr (std::is_same_v<T, std::int32_t>) {
        CHECK(bytes_of(dir.path("m.npy")) == bytes_of(npy("i4_c.npy")));
    }
}

TEST_CASE("save_npy writes Labels as a 1-D int32 array and fails on bad paths", "[io]") {
    const kestrel::test::ScratchDirectory dir("npy_labels");
    kestrel::Labels labels(4);
    labels << 3, -1, 0, 7;
    save_npy(dir.path("labels.npy"), labels);
    CHECK(load_npy_vector<int>(dir.path("labels.npy")) == labels);
    CHECK(bytes_of(dir.path("labels.npy")).find("'descr': '<i4', 'fortran_order': False, 'shape': (4,), }") !=
          std::string::npos);
    require_io_error([&] { save_npy("/nonexistent/dir/x.npy", labels); }, "cannot open the file for writing");
}
