// load_npy / save_npy against .npy files written by NumPy (tests/reference/gen_io.py) and
// against truncated and foreign files; load_npy of a row range against the whole file's rows.
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>

#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/io/npy.hpp>

#include "io_test_support.hpp"

namespace {

using Catch::Matchers::Contains;
using kestrel::Index;
using kestrel::Matrix;
using kestrel::io::load_npy;
using kestrel::io::load_npy_vector;
using kestrel::io::save_npy;
using kestrel::test::bytes_of;
using kestrel::test::fixture_case;
using kestrel::test::max_abs_error;
using kestrel::test::reference_path;
using kestrel::test::require_io_error;
using kestrel::test::require_io_error_matching;

std::string npy(const std::string& name) { return reference_path("io/" + name); }

/// Whether `a` and `b` have the same shape and the same bits in every element (NaN and -0 included).
template <class T>
bool same_bits(const Matrix<T>& a, const Matrix<T>& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           (a.size() == 0 || std::memcmp(a.data(), b.data(), sizeof(T) * static_cast<std::size_t>(a.size())) == 0);
}

/// Requires load_npy<T>(path, first, n) to be load_npy<T>(path).middleRows(first, n), bit for bit,
/// for every range of rows of the file, the empty ones at every row included.
template <class T>
void check_every_range(const std::string& path) {
    const Matrix<T> whole = load_npy<T>(path);
    for (Index first = 0; first <= whole.rows(); ++first) {
        for (Index n = 0; first + n <= whole.rows(); ++n) {
            INFO(path << ": rows [" << first << ", " << first + n << ")");
            const Matrix<T> rows = load_npy<T>(path, first, n);
            const Matrix<T> expected = whole.middleRows(first, n);
            CHECK(same_bits(rows, expected));
        }
    }
}

/// The bytes of a format 1.0 .npy of `values` stored as `Stored`, in C or Fortran order, little- or
/// big-endian; `one_d` writes a one-column `values` as a 1-D array.
template <class Stored, class Derived>
std::string npy_file(const Eigen::MatrixBase<Derived>& values, bool fortran_order, bool big_endian,
                     bool one_d = false) {
    const std::string descr = std::string(big_endian ? ">" : "<") + (std::is_floating_point_v<Stored> ? "f" : "i") +
                              std::to_string(sizeof(Stored));
    const std::string shape = one_d ? "(" + std::to_string(values.rows()) + ",)"
                                    : "(" + std::to_string(values.rows()) + ", " + std::to_string(values.cols()) + ")";
    std::string bytes = kestrel::io::detail::npy_preamble(descr, shape, "test", "test");
    // "True " is as long as "False": the header keeps its length and the data its offset.
    if (fortran_order) bytes.replace(bytes.find("False"), 5, "True ");
    using Bits = std::conditional_t<sizeof(Stored) == 4, std::uint32_t, std::uint64_t>;
    const Index outer = fortran_order ? values.cols() : values.rows();
    const Index inner = fortran_order ? values.rows() : values.cols();
    for (Index a = 0; a < outer; ++a) {
        for (Index b = 0; b < inner; ++b) {
            const auto value = static_cast<Stored>(fortran_order ? values(b, a) : values(a, b));
            Bits bits = std::bit_cast<Bits>(value);
            if (big_endian != (std::endian::native == std::endian::big)) bits = kestrel::io::detail::byteswap(bits);
            bytes.append(reinterpret_cast<const char*>(&bits), sizeof(Bits));
        }
    }
    return bytes;
}

/// A stream buffer over `bytes` that counts the bytes read from it.
class CountingBuffer : public std::stringbuf {
public:
    explicit CountingBuffer(const std::string& bytes) : std::stringbuf(bytes, std::ios::in) {}
    std::streamsize bytes_read = 0;

protected:
    std::streamsize xsgetn(char* s, std::streamsize n) override {
        const std::streamsize got = std::stringbuf::xsgetn(s, n);
        bytes_read += got;
        return got;
    }
};

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

TEMPLATE_TEST_CASE("load_npy of a row range is the whole array's rows, bit for bit", "[io]", float, double,
                   std::int32_t, std::int64_t) {
    using T = TestType;
    // C and Fortran order, little- and big-endian, format versions 1 to 3, 2-D, 1-D, 0-D and empty.
    for (const char* file : {"i4_c.npy", "i4_f.npy", "i4_big.npy", "i8_c.npy", "i8_f.npy", "i8_big.npy"}) {
        check_every_range<T>(npy(file));
    }
    if constexpr (std::is_floating_point_v<T>) {
        for (const char* file : {"f4_c.npy", "f4_f.npy", "f4_big.npy", "f8_c.npy", "f8_f.npy", "f8_big.npy",
                                 "f8_v2.npy", "f8_v3.npy", "f8_1d.npy", "f8_0d.npy", "f8_empty.npy", "i8_large.npy"}) {
            check_every_range<T>(npy(file));
        }
    } else {
        // Every row of the float fixtures holds a fraction: an empty range reads, any other is refused.
        for (const char* file : {"f4_c.npy", "f8_f.npy", "f8_big.npy"}) {
            INFO(file);
            const Matrix<T> none = load_npy<T>(npy(file), 1, 0);
            CHECK(none.rows() == 0);
            CHECK(none.cols() == 4);
            require_io_error([&] { (void)load_npy<T>(npy(file), 1, 1); }, "is not representable");
        }
    }
    // i8_large.npy holds values int32 cannot; its int32 ranges are among the error cases below.
    if constexpr (std::is_same_v<T, std::int64_t>) check_every_range<T>(npy("i8_large.npy"));
}

TEMPLATE_TEST_CASE("load_npy of a row range: larger arrays in every layout, special values", "[io]", float, double,
                   std::int32_t, std::int64_t) {
    using T = TestType;
    const kestrel::test::ScratchDirectory dir("npy_rows");
    constexpr double inf = std::numeric_limits<double>::infinity();
    Matrix<double> integers(9, 5), reals(9, 5);
    for (Index i = 0; i < 9; ++i) {
        for (Index j = 0; j < 5; ++j) {
            integers(i, j) = static_cast<double>((i * 5 + j) * (j % 2 == 0 ? 1 : -1) * 1000003);
            reals(i, j) = std::ldexp(static_cast<double>(i * 5 + j) - 21.0, static_cast<int>(i + j) - 6) / 3.0;
        }
    }
    reals(0, 0) = std::numeric_limits<double>::quiet_NaN();
    reals(3, 1) = -0.0;
    reals(4, 4) = -inf;
    reals(8, 2) = inf;
    reals(6, 3) = 1e-310;  // subnormal in double, 0 in float
    const Matrix<double> column = integers.col(1);
    for (const bool fortran_order : {false, true}) {
        for (const bool big_endian : {false, true}) {
            INFO((fortran_order ? "Fortran order, " : "C order, ") << (big_endian ? "big-endian" : "little-endian"));
            check_every_range<T>(dir.write("i4.npy", npy_file<std::int32_t>(integers, fortran_order, big_endian)));
            check_every_range<T>(dir.write("i8.npy", npy_file<std::int64_t>(integers, fortran_order, big_endian)));
            check_every_range<T>(
                dir.write("i4_1d.npy", npy_file<std::int32_t>(column, fortran_order, big_endian, true)));
            if constexpr (std::is_floating_point_v<T>) {
                check_every_range<T>(dir.write("f4.npy", npy_file<float>(reals, fortran_order, big_endian)));
                check_every_range<T>(dir.write("f8.npy", npy_file<double>(reals, fortran_order, big_endian)));
                check_every_range<T>(
                    dir.write("f8_1d.npy", npy_file<double>(reals.col(2), fortran_order, big_endian, true)));
            }
        }
    }
    // int64 values that float and double round, and ones int32 cannot hold.
    Matrix<std::int64_t> large(4, 2);
    large << 1, 2, (std::int64_t{1} << 53) + 1, -3, 5, 16777217, 7, std::int64_t{1} << 40;
    for (const bool fortran_order : {false, true}) {
        INFO((fortran_order ? "Fortran order" : "C order"));
        const std::string path = dir.write("large.npy", npy_file<std::int64_t>(large, fortran_order, false));
        if constexpr (std::is_same_v<T, std::int32_t>) {
            CHECK(load_npy<T>(path, 2, 1) == Matrix<T>(large.middleRows(2, 1).cast<T>()));
            // (1, 0) is element 2 of the file in C order, element 1 in Fortran order.
            require_io_error([&] { (void)load_npy<T>(path, 1, 2); }, fortran_order ? "element 1 (" : "element 2 (");
            require_io_error([&] { (void)load_npy<T>(path, 3, 1); }, "element 7 (1099511627776");
        } else {
            check_every_range<T>(path);
        }
    }
}

TEST_CASE("load_npy of a row range reads the header and those rows only", "[io]") {
    // Each file holds 3 x 4 elements of `item` bytes after its header.
    for (const auto& [file, item] : {std::pair<const char*, std::streamsize>{"f8_c.npy", 8},
                                     {"f8_f.npy", 8},
                                     {"f4_big.npy", 4},
                                     {"i8_big.npy", 8},
                                     {"f8_v3.npy", 8}}) {
        const std::string bytes = bytes_of(npy(file));
        const std::streamsize row_bytes = 4 * item;
        const auto data_offset = static_cast<std::streamsize>(bytes.size()) - 3 * row_bytes;
        for (Index first = 0; first <= 3; ++first) {
            for (Index n = 0; first + n <= 3; ++n) {
                INFO(file << ": rows [" << first << ", " << first + n << ")");
                CountingBuffer buffer(bytes);
                std::istream in(&buffer);
                const Matrix<double> rows = kestrel::io::detail::read_npy_rows<double>(in, file, first, n);
                CHECK(rows == load_npy<double>(npy(file)).middleRows(first, n));
                CHECK(buffer.bytes_read == data_offset + n * row_bytes);
            }
        }
    }
}

TEST_CASE("load_npy of a row range: ranges past the end, negative arguments, bad files", "[io]") {
    const kestrel::test::ScratchDirectory dir("npy_rows_errors");
    const std::string path = npy("f8_c.npy");
    CHECK(load_npy<double>(path, 3, 0).rows() == 0);
    CHECK(load_npy<double>(path, 3, 0).cols() == 4);
    require_io_error_matching([&] { (void)load_npy<double>(path, 2, 2); },
                              Contains(path) && Contains("rows [2, 4) were asked for") && Contains("has 3 rows"));
    require_io_error_matching([&] { (void)load_npy<double>(path, 4, 0); },
                              Contains(path) && Contains("rows [4, 4)") && Contains("has 3 rows"));
    require_io_error_matching([&] { (void)load_npy<double>(npy("f8_empty.npy"), 0, 1); },
                              Contains("rows [0, 1)") && Contains("has 0 rows"));
    require_io_error_matching([&] { (void)load_npy<double>(npy("f8_0d.npy"), 1, 1); },
                              Contains("rows [1, 2)") && Contains("has 1 rows"));
    constexpr Index most = std::numeric_limits<Index>::max();
    require_io_error([&] { (void)load_npy<double>(path, most, most); }, "were asked for, but the array has 3 rows");
    require_io_error_matching([&] { (void)load_npy<double>(path, -1, 2); },
                              Contains(path) && Contains("must not be negative") && Contains("first_row = -1"));
    require_io_error_matching([&] { (void)load_npy<double>(path, 0, -2); },
                              Contains("must not be negative") && Contains("n_rows = -2"));
    require_io_error([] { (void)load_npy<double>("/nonexistent/kestrel.npy", 0, 1); }, "cannot open");
    require_io_error([] { (void)load_npy<double>(npy("u1_c.npy"), 0, 1); }, "dtype \"|u1\" is not supported");
    require_io_error([] { (void)load_npy<double>(npy("f8_3d.npy"), 0, 1); }, "3-D arrays are not supported");
    require_io_error([&] { (void)load_npy<double>(dir.write("text.npy", "hello, world"), 0, 1); }, "bad magic");

    // Conversions fail as the whole file's do, naming the element by its place in the file.
    require_io_error([] { (void)load_npy<int>(npy("f8_fraction.npy"), 0, 1); }, "element 1 (2.5");
    CHECK(load_npy<int>(npy("f8_fraction.npy"), 0, 0).cols() == 2);
    require_io_error([] { (void)load_npy<std::int32_t>(npy("i8_large.npy"), 1, 1); }, "element 3 (2147483648");
    require_io_error([] { (void)load_npy<int>(npy("f8_c.npy"), 1, 1); }, "element 4 (-0.25");
    require_io_error([] { (void)load_npy<int>(npy("f8_f.npy"), 1, 1); }, "element 1 (-0.25");
    require_io_error([] { (void)load_npy<int>(npy("f8_f.npy"), 2, 1); }, "element 2 (0.75");

    // A truncated file is refused whichever rows are asked for, those before the cut included.
    for (const char* file : {"f8_c.npy", "f8_f.npy", "f8_v3.npy"}) {
        const std::string good = bytes_of(npy(file));
        for (std::size_t size = 0; size < good.size(); ++size) {
            INFO(file << " truncated to " << size << " bytes");
            const std::string cut = dir.write("cut.npy", good.substr(0, size));
            for (const auto& [first, n] : {std::pair<Index, Index>{0, 0}, {0, 1}, {1, 1}, {2, 1}, {0, 3}}) {
                INFO("rows [" << first << ", " << first + n << ")");
                CHECK_THROWS_AS(load_npy<double>(cut, first, n), kestrel::io_error);
            }
        }
        require_io_error([&] { (void)load_npy<double>(dir.write("cut.npy", good.substr(0, good.size() - 8)), 0, 1); },
                         "the file is truncated");
        require_io_error([&] { (void)load_npy<double>(dir.write("long.npy", good + "x"), 0, 1); }, "holds 97 bytes");
    }
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
