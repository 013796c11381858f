// load_npz / load_npz_strings / save_npz against archives written by np.savez (tests/reference/
// gen_io.py), round trips, and truncated, corrupted, compressed, zip64 and foreign files.
#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/io/npy.hpp>
#include <kestrel/io/npz.hpp>

#include "io_test_support.hpp"

namespace {

using kestrel::Matrix;
using kestrel::io::load_npy;
using kestrel::io::load_npz;
using kestrel::io::load_npz_strings;
using kestrel::io::save_npz;
using kestrel::test::bytes_of;
using kestrel::test::reference_path;
using kestrel::test::require_io_error;

std::string io_file(const std::string& name) { return reference_path("io/" + name); }

std::uint64_t get(const std::string& bytes, std::size_t at, int size) {
    std::uint64_t value = 0;
    for (int i = 0; i < size; ++i) value |= std::uint64_t{static_cast<unsigned char>(bytes[at + i])} << (8 * i);
    return value;
}

void put(std::string& bytes, std::size_t at, std::uint64_t value, int size) {
    for (int i = 0; i < size; ++i) bytes[at + i] = static_cast<char>((value >> (8 * i)) & 0xffU);
}

// Equal shapes and values (Eigen's == requires equal shapes).
template <class T>
bool same(const Matrix<T>& a, const Matrix<T>& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() && a == b;
}

// The numeric members of npz_savez.npz: the arrays of the .npy files of the same names.
const std::vector<std::string> numeric_members = {"f8_c", "f4_f", "i4_big", "i8_c", "f8_1d", "f8_0d", "f8_empty"};

// A small archive written by save_npz, and where its records are (no comment: the end record is
// the last 22 bytes).
struct Archive {
    std::string bytes;
    std::size_t end_record = 0, directory = 0;
};

Archive small_archive(const kestrel::test::ScratchDirectory& dir) {
    Matrix<double> a(2, 3);
    a << 1, 2, 3, 4, 5, 6;
    Matrix<double> b(1, 1);
    b << -0.5;
    save_npz(dir.path("small.npz"), std::map<std::string, Matrix<double>>{{"a", a}, {"b", b}});
    Archive archive{bytes_of(dir.path("small.npz"))};
    archive.end_record = archive.bytes.size() - 22;
    archive.directory = static_cast<std::size_t>(get(archive.bytes, archive.end_record + 16, 4));
    return archive;
}

}  // namespace

TEMPLATE_TEST_CASE("load_npz reads every numeric member np.savez wrote", "[io]", float, double) {
    using T = TestType;
    const auto arrays = load_npz<T>(io_file("npz_savez.npz"));
    REQUIRE(arrays.size() == numeric_members.size());
    for (const std::string& name : numeric_members) {
        INFO(name);
        REQUIRE(arrays.count(name) == 1);
        CHECK(same(arrays.at(name), load_npy<T>(io_file(name + ".npy"))));
    }
    CHECK(arrays.at("f8_1d").cols() == 1);
    CHECK(arrays.at("f8_0d").size() == 1);
    CHECK(arrays.at("f8_empty").rows() == 0);
    CHECK(arrays.at("f8_empty").cols() == 3);
}

TEST_CASE("load_npz of one member converts as load_npy and names what is missing", "[io]") {
    const std::string path = io_file("npz_savez.npz");
    CHECK(same(load_npz<std::int64_t>(path, "i8_c"), load_npy<std::int64_t>(io_file("i8_c.npy"))));
    CHECK(same(load_npz<std::int32_t>(path, "i4_big"), load_npy<std::int32_t>(io_file("i4_big.npy"))));
    CHECK(same(load_npz<float>(path, "f4_f"), load_npy<float>(io_file("f4_f.npy"))));
    require_io_error([&] { (void)load_npz<std::int32_t>(path, "f8_c"); }, "member \"f8_c.npy\": element 0");
    require_io_error([&] { (void)load_npz<double>(path, "nope"); }, "no member named \"nope\"; it holds \"f8_c\"");
    require_io_error([&] { (void)load_npz<double>(path, "note"); }, "is text, not numbers");
}

TEST_CASE("load_npz_strings reads unicode and bytes members", "[io]") {
    const auto texts = load_npz_strings(io_file("npz_savez.npz"));
    REQUIRE(texts.size() == 4);
    // U+00E9, U+00F6, U+2713 and U+1D11E: two, three and four bytes of UTF-8.
    CHECK(texts.at("note") == std::vector<std::string>{"h\xc3\xa9llo, w\xc3\xb6rld \xe2\x9c\x93 \xf0\x9d\x84\x9e"});
    CHECK(texts.at("names") == std::vector<std::string>{"sepal length", "", "petal, width"});
    CHECK(texts.at("names_big") == std::vector<std::string>{"ab", "\xc3\xa9"});
    CHECK(texts.at("codes") == std::vector<std::string>{"ab", "c", ""});
    require_io_error([] { (void)load_npz_strings(io_file("npz_text_2d.npz")); }, "must be 0-D or 1-D");
    CHECK(load_npz<double>(io_file("npz_text_2d.npz")).empty());
}

TEST_CASE("load_npz reads zip64 records and refuses compressed, foreign and unsupported archives", "[io]") {
    const std::string zip64 = io_file("npz_zip64.npz");
    REQUIRE(bytes_of(zip64).find("PK\x06\x06") != std::string::npos);  // a zip64 end record is there
    const auto arrays = load_npz<double>(zip64);
    CHECK(same(arrays.at("f8_c"), load_npy<double>(io_file("f8_c.npy"))));
    CHECK(same(arrays.at("i8_c"), load_npy<double>(io_file("i8_c.npy"))));
    CHECK(same(load_npz<std::int64_t>(zip64, "i8_c"), load_npy<std::int64_t>(io_file("i8_c.npy"))));

    require_io_error([] { (void)load_npz<double>(io_file("npz_compressed.npz")); },
                     "member \"f8_c.npy\" is compressed (deflate, as np.savez_compressed writes)");
    require_io_error([] { (void)load_npz<double>(io_file("npz_u1.npz")); },
                     "member \"u1.npy\": dtype \"|u1\" is not supported");
    require_io_error([] { (void)load_npz<double>("/nonexistent/kestrel.npz"); }, "cannot open");
    require_io_error([] { (void)load_npz_strings(io_file("f8_c.npy")); }, "this is a .npy file, not a .npz archive");
    require_io_error([] { (void)load_npz<double>(io_file("quoted.csv")); }, "no end-of-central-directory record");
}

TEST_CASE("load_npz refuses every truncation and names a corrupted member", "[io]") {
    const kestrel::test::ScratchDirectory dir("npz");
    const std::string good = bytes_of(io_file("npz_savez.npz"));
    for (std::size_t size = 0; size < good.size(); ++size) {
        INFO("truncated to " << size << " bytes");
        const std::string path = dir.write("cut.npz", good.substr(0, size));
        CHECK_THROWS_AS(load_npz<double>(path), kestrel::io_error);
    }
    // One byte of the first member's data changed: its CRC-32 no longer matches.
    std::string corrupt = good;
    const std::size_t data = corrupt.find("\x93NUMPY") + 200;
    corrupt[data] = static_cast<char>(corrupt[data] ^ 0x10);
    require_io_error([&] { (void)load_npz<double>(dir.write("crc.npz", corrupt)); },
                     "member \"f8_c.npy\": CRC-32 mismatch");
}

TEST_CASE("load_npz checks each offset, size and count of the zip records before using it", "[io]") {
    const kestrel::test::ScratchDirectory dir("npz_hostile");
    const Archive archive = small_archive(dir);
    const auto reads = [&](const std::string& bytes, const std::string& where) {
        require_io_error([&] { (void)load_npz<double>(dir.write("hostile.npz", bytes)); }, where);
    };
    std::string bytes = archive.bytes;
    put(bytes, archive.end_record + 10, 0xfffe, 2);
    put(bytes, archive.end_record + 8, 0xfffe, 2);
    reads(bytes, "cannot hold the 65534 members it announces");

    bytes = archive.bytes;
    put(bytes, archive.end_record + 16, 0xfffffff0, 4);
    reads(bytes, "the central directory (");

    bytes = archive.bytes;
    put(bytes, archive.end_record + 4, 1, 2);
    reads(bytes, "multi-part");

    // The first member's size in the central directory: far past the file, then one byte too many.
    bytes = archive.bytes;
    put(bytes, archive.directory + 20, 0x7fffffff, 4);
    put(bytes, archive.directory + 24, 0x7fffffff, 4);
    reads(bytes, "member \"a.npy\" (2147483647 bytes) runs past the end of the members' data");

    // Its local header offset: past the directory, then onto the second member's header.
    bytes = archive.bytes;
    put(bytes, archive.directory + 42, archive.directory, 4);
    reads(bytes, "its local header lies outside the file's data");
    bytes = archive.bytes;
    put(bytes, archive.directory + 42, get(archive.bytes, archive.directory + 46 + 5 + 42, 4), 4);
    reads(bytes, "disagrees with the central directory");

    // Saturated sizes without the zip64 field that should hold them.
    bytes = archive.bytes;
    put(bytes, archive.directory + 24, 0xffffffff, 4);
    reads(bytes, "saturated sizes without a zip64 extra field");

    bytes = archive.bytes;
    put(bytes, archive.directory + 8, 1, 2);
    reads(bytes, "is encrypted");
    bytes = archive.bytes;
    put(bytes, archive.directory + 10, 12, 2);
    reads(bytes, "compression method 12");

    // Both members renamed "b.npy" (names are outside the CRC): the second is a duplicate.
    bytes = archive.bytes;
    for (std::size_t at = bytes.find("a.npy"); at != std::string::npos; at = bytes.find("a.npy", at + 1)) {
        bytes[at] = 'b';
    }
    reads(bytes, "two members are named \"b\"");

    // A zip64 end record whose counts and offsets point past the file.
    const std::string zip64 = bytes_of(io_file("npz_zip64.npz"));
    const std::size_t record64 = zip64.rfind("PK\x06\x06");
    REQUIRE(record64 != std::string::npos);
    bytes = zip64;
    put(bytes, record64 + 32, 0xffffffffffffULL, 8);
    put(bytes, record64 + 24, 0xffffffffffffULL, 8);
    reads(bytes, "cannot hold the 281474976710655 members");
    bytes = zip64;
    put(bytes, record64 + 48, 0xffffffffffffULL, 8);
    reads(bytes, "lies outside the file");
    bytes = zip64;
    put(bytes, zip64.rfind("PK\x06\x07") + 8, 0xffffffffffffULL, 8);
    reads(bytes, "zip64 end-of-central-directory record lies outside the file");
}

TEST_CASE("load_npz on an archive with any one byte changed gives the arrays or io_error", "[io]") {
    const kestrel::test::ScratchDirectory dir("npz_flip");
    const std::string good = small_archive(dir).bytes;
    for (std::size_t at = 0; at < good.size(); ++at) {
        for (const unsigned char mask : {0x01, 0x80, 0xff}) {
            std::string bytes = good;
            bytes[at] = static_cast<char>(bytes[at] ^ mask);
            const std::string path = dir.write("flip.npz", bytes);
            INFO("byte " << at << " ^ " << int(mask));
            try {
                (void)load_npz<double>(path);
                (void)load_npz_strings(path);
            } catch (const kestrel::io_error&) {
            }
        }
    }
}

TEMPLATE_TEST_CASE("save_npz then load_npz gives the arrays back", "[io]", float, double, std::int32_t) {
    using T = TestType;
    const kestrel::test::ScratchDirectory dir("npz_save");
    Matrix<T> m(3, 4), column(5, 1), one(1, 1);
    for (kestrel::Index k = 0; k < m.size(); ++k) m.data()[k] = static_cast<T>(k) - T(5);
    for (kestrel::Index k = 0; k < column.size(); ++k) column.data()[k] = static_cast<T>(2 * k + 1);
    one << T(7);
    const std::map<std::string, Matrix<T>> arrays{
        {"m", m}, {"column", column}, {"one", one}, {"empty", Matrix<T>(0, 3)}, {"\xc3\xa9t\xc3\xa9", m.transpose()}};
    save_npz(dir.path("a.npz"), arrays);
    for (const auto& [name, array] : arrays) {
        INFO(name);
        CHECK(same(load_npz<T>(dir.path("a.npz"), name), array));
        if constexpr (std::is_floating_point_v<T>) CHECK(same(load_npz<T>(dir.path("a.npz")).at(name), array));
    }
    CHECK(load_npz<double>(dir.path("a.npz")).size() == arrays.size());
    CHECK(load_npz_strings(dir.path("a.npz")).empty());
    save_npz(dir.path("none.npz"), std::map<std::string, Matrix<T>>{});
    CHECK(load_npz<double>(dir.path("none.npz")).empty());
    require_io_error([&] { (void)load_npz<double>(dir.path("none.npz"), "m"); },
                     "no member named \"m\" (the archive is empty)");
    require_io_error([&] { save_npz("/nonexistent/dir/x.npz", arrays); }, "cannot open the file for writing");
}
