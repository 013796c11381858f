#pragma once
/// \file
/// load_npy / save_npy: NumPy's .npy format (versions 1, 2 and 3), so that arrays move between
/// kestrel and Python unchanged.

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <istream>
#include <limits>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

#include <Eigen/Core>

#include "../core/error.hpp"
#include "../core/types.hpp"
#include "detail/text.hpp"

namespace kestrel::io {

/// The element types .npy files are read into and written from: float32, float64, int32, int64.
template <class T>
concept npy_scalar =
    std::same_as<T, float> || std::same_as<T, double> || std::same_as<T, std::int32_t> || std::same_as<T, std::int64_t>;

namespace detail {

/// What a .npy header says about the array that follows it.
struct NpyHeader {
    std::string descr;            // the dtype as written, e.g. "<f8", for messages
    char kind = 'f';              // 'f' float, 'i' signed integer; in an archive also 'U' or 'S' text, 'b' bool
    std::uint64_t item_size = 8;  // bytes per element
    bool big_endian = false;      // the file's byte order
    bool fortran_order = false;
    std::vector<std::uint64_t> shape;

    [[nodiscard]] bool is_text() const { return kind == 'U' || kind == 'S'; }
};

/// Who reads (the function named in messages), what (the file, or the member of an archive),
/// and whether NumPy's text dtypes ('<U5', '|S5') are accepted beside the four numeric ones.
struct NpySource {
    std::string_view reader;
    std::string_view name;
    bool text = false;
};

/// Reads the Python dict literal of a .npy header, e.g.
/// {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }
class NpyDictParser {
public:
    NpyDictParser(std::string_view text, const NpySource& source) : text_(text), source_(source) {}

    NpyHeader parse() {
        NpyHeader header;
        bool has_descr = false, has_order = false, has_shape = false;
        expect('{');
        while (true) {
            skip_space();
            if (peek() == '}') break;
            const std::string key = string_literal();
            expect(':');
            skip_space();
            if (key == "descr") {
                if (peek() == '[') fail_here("structured arrays are not supported");
                descr(string_literal(), header);
                has_descr = true;
            } else if (key == "fortran_order") {
                header.fortran_order = boolean();
                has_order = true;
            } else if (key == "shape") {
                header.shape = tuple();
                has_shape = true;
            } else {
                fail_here("unexpected header key " + shown(key));
            }
            skip_space();
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            if (peek() != '}') fail_here("expected ',' or '}' in the header");
        }
        if (!has_descr || !has_order || !has_shape) {
            fail(source_.reader, source_.name, "the header lacks one of 'descr', 'fortran_order', 'shape'");
        }
        return header;
    }

private:
    [[noreturn]] void fail_here(const std::string& what) const {
        fail(source_.reader, source_.name, what + " (header byte " + std::to_string(pos_) + ")");
    }

    char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

    void skip_space() {
        while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n')) ++pos_;
    }

    void expect(char c) {
        skip_space();
        if (peek() != c) fail_here(std::string("expected '") + c + "'");
        ++pos_;
    }

    std::string string_literal() {
        skip_space();
        const char quote = peek();
        if (quote != '\'' && quote != '"') fail_here("expected a quoted string");
        const std::size_t end = text_.find(quote, pos_ + 1);
        if (end == std::string_view::npos) fail_here("unterminated string");
        std::string out(text_.substr(pos_ + 1, end - pos_ - 1));
        pos_ = end + 1;
        return out;
    }

    bool boolean() {
        if (text_.substr(pos_, 4) == "True") {
            pos_ += 4;
            return true;
        }
        if (text_.substr(pos_, 5) == "False") {
            pos_ += 5;
            return false;
        }
        fail_here("expected True or False");
    }

    std::vector<std::uint64_t> tuple() {
        std::vector<std::uint64_t> dims;
        expect('(');
        while (true) {
            skip_space();
            if (peek() == ')') break;
            std::uint64_t dim = 0;
            const auto [end, error] = std::from_chars(text_.data() + pos_, text_.data() + text_.size(), dim);
            if (error != std::errc()) fail_here("expected a dimension");
            pos_ = static_cast<std::size_t>(end - text_.data());
            if (peek() == 'L') ++pos_;  // Python 2 long
            dims.push_back(dim);
            skip_space();
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            if (peek() != ')') fail_here("expected ',' or ')' in the shape");
        }
        ++pos_;
        return dims;
    }

    void descr(const std::string& text, NpyHeader& header) const {
        const bool ordered = !text.empty() && (text[0] == '<' || text[0] == '>' || text[0] == '|' || text[0] == '=');
        const bool numeric = ordered && text.size() == 3 &&
                             ((text[1] == 'f' && (text[2] == '4' || text[2] == '8')) ||
                              (text[1] == 'i' && (text[2] == '4' || text[2] == '8')));
        header.descr = text;
        header.big_endian = ordered && (text[0] == '>' || (text[0] != '<' && std::endian::native == std::endian::big));
        if (numeric) {
            header.kind = text[1];
            header.item_size = static_cast<std::uint64_t>(text[2] - '0');
            return;
        }
        if (source_.text && text == "|b1") {
            // NumPy's bool: one byte, 0 or 1.
            header.kind = 'b';
            header.item_size = 1;
            return;
        }
        if (source_.text && ordered && text.size() >= 3 && (text[1] == 'U' || text[1] == 'S')) {
            // '<U5': five UTF-32 code units an element; '|S5': five bytes. Lengths past 2^31 - 1
            // are refused with the other unsupported dtypes rather than trusted.
            std::uint64_t length = 0;
            const auto [end, error] = std::from_chars(text.data() + 2, text.data() + text.size(), length);
            if (error == std::errc() && end == text.data() + text.size() && length >= 1 &&
                length <= static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max())) {
                header.kind = text[1];
                header.item_size = text[1] == 'U' ? 4 * length : length;
                return;
            }
        }
        const char* supported = source_.text ? "float32, float64, int32, int64, bool and text ('U', 'S') are"
                                             : "float32, float64, int32 and int64 are";
        fail(source_.reader, source_.name, "dtype " + shown(text) + " is not supported (" + supported + ")");
    }

    std::string_view text_;
    const NpySource& source_;
    std::size_t pos_ = 0;
};

/// A parsed .npy: its header, its shape as a matrix (1-D is a column, 0-D is 1 x 1), and its
/// data, still in the file's layout and byte order.
struct NpyArray {
    NpyHeader header;
    std::uint64_t rows = 1;
    std::uint64_t cols = 1;
    std::string_view data;
};

/// Where the parts of a .npy lie in its file: the header's dict literal at
/// [header_offset, data_offset), the data from data_offset to the end.
struct NpyLayout {
    std::uint64_t header_offset = 0;
    std::uint64_t data_offset = 0;
};

/// The layout of a .npy of `total` bytes, from the magic string, version and header length at the
/// start of `prefix` (the file's first min(total, 12) bytes, or more). The header is checked to
/// end within the file, so that it can be read before anything else.
inline NpyLayout npy_layout(std::string_view prefix, std::uint64_t total, const NpySource& source) {
    const auto truncated_in = [&](std::string_view what) {
        fail(source.reader, source.name, "the file is truncated in the " + std::string(what));
    };
    if (total < 8) truncated_in("magic string");
    if (prefix.substr(0, 6) != std::string_view("\x93NUMPY", 6)) {
        fail(source.reader, source.name, "not a .npy file (bad magic string)");
    }
    const int major = static_cast<unsigned char>(prefix[6]);
    if (major < 1 || major > 3) {
        fail(source.reader, source.name,
             "format version " + std::to_string(major) + " is not supported (1, 2 and 3 are)");
    }
    const std::uint64_t length_size = major == 1 ? 2 : 4;
    if (total < 8 + length_size) truncated_in("header length");
    std::uint64_t header_length = 0;
    for (std::uint64_t i = 0; i < length_size; ++i) {
        header_length |= std::uint64_t{static_cast<unsigned char>(prefix[8 + i])} << (8 * i);
    }
    const NpyLayout layout{.header_offset = 8 + length_size, .data_offset = 8 + length_size + header_length};
    if (layout.data_offset > total) truncated_in("header");
    return layout;
}

/// The header of a .npy of `total` bytes laid out as `layout`, parsed from `preamble` (the file's
/// first bytes, through the header at least); `data` is left empty. Every size the header claims
/// is checked against the bytes there really are, so a hostile header can neither read past them
/// nor cause an allocation.
inline NpyArray parse_npy_header(std::string_view preamble, const NpyLayout& layout, std::uint64_t total,
                                 const NpySource& source) {
    NpyArray array;
    array.header =
        NpyDictParser(preamble.substr(layout.header_offset, layout.data_offset - layout.header_offset), source).parse();
    const NpyHeader& header = array.header;

    if (header.shape.size() > 2) {
        fail(source.reader, source.name,
             std::to_string(header.shape.size()) + "-D arrays are not supported (0-D to 2-D are)");
    }
    array.rows = header.shape.empty() ? 1 : header.shape[0];
    array.cols = header.shape.size() == 2 ? header.shape[1] : 1;
    const std::uint64_t available = total - layout.data_offset;
    const std::uint64_t item = header.item_size;
    constexpr auto largest = static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max());
    if (array.rows > largest || array.cols > largest) {
        fail(source.reader, source.name, "a dimension of the header's shape exceeds 2^31 - 1");
    }
    // rows * cols < 2^62 cannot overflow; the byte count is compared without multiplying by the item size.
    const std::uint64_t elements = array.rows * array.cols;
    if (elements != available / item || available % item != 0) {
        fail(source.reader, source.name,
             "the header's shape (" + std::to_string(array.rows) + " x " + std::to_string(array.cols) + ") needs " +
                 std::to_string(elements) + " elements of " + std::to_string(item) + " bytes, but the data holds " +
                 std::to_string(available) + " bytes" + (elements > available / item ? ": the file is truncated" : ""));
    }
    return array;
}

/// Parses the .npy held in `bytes`, checked as parse_npy_header checks it.
inline NpyArray parse_npy(std::string_view bytes, const NpySource& source) {
    const NpyLayout layout = npy_layout(bytes, bytes.size(), source);
    NpyArray array = parse_npy_header(bytes.substr(0, layout.data_offset), layout, bytes.size(), source);
    array.data = bytes.substr(layout.data_offset);
    return array;
}

template <class Unsigned>
Unsigned byteswap(Unsigned v) {
    Unsigned out = 0;
    for (std::size_t i = 0; i < sizeof(Unsigned); ++i) {
        out = static_cast<Unsigned>((out << 8) | (v & 0xffU));
        v = static_cast<Unsigned>(v >> 8);
    }
    return out;
}

/// Element `k` of the raw data as the file's type `Stored`, byte order corrected.
template <class Stored>
Stored stored_element(const char* bytes, std::size_t k, bool big_endian) {
    using Bits = std::conditional_t<sizeof(Stored) == 4, std::uint32_t, std::uint64_t>;
    Bits bits;
    std::memcpy(&bits, bytes + k * sizeof(Stored), sizeof(Stored));
    if (big_endian != (std::endian::native == std::endian::big)) bits = byteswap(bits);
    return std::bit_cast<Stored>(bits);
}

/// `value` as T; io_error when T is an integer and the value is not one it can hold.
template <npy_scalar T, class Stored>
T convert_element(Stored value, std::size_t k, const NpySource& source) {
    if constexpr (std::is_integral_v<T>) {
        constexpr auto low = static_cast<long double>(std::numeric_limits<T>::min());
        constexpr auto high = static_cast<long double>(std::numeric_limits<T>::max());
        const auto wide = static_cast<long double>(value);
        if (!(wide >= low && wide <= high) || (std::is_floating_point_v<Stored> && wide != std::floor(wide))) {
            fail(source.reader, source.name,
                 "element " + std::to_string(k) + " (" + std::to_string(static_cast<double>(value)) +
                     ") is not representable as a " + std::to_string(8 * sizeof(T)) + "-bit integer");
        }
    }
    return static_cast<T>(value);
}

/// The number of element (i, j) of a block of `array`'s rows that starts at row `first_row`, as
/// the file counts its elements: what messages name, so that they name the same element however
/// many of the rows are read.
inline std::size_t file_element(const NpyArray& array, std::size_t first_row, std::size_t i, std::size_t j) {
    const auto rows = static_cast<std::size_t>(array.rows), cols = static_cast<std::size_t>(array.cols);
    return array.header.fortran_order ? j * rows + first_row + i : (first_row + i) * cols + j;
}

template <npy_scalar T, class Stored>
void convert_all(const char* bytes, const NpyArray& array, std::size_t first_row, Matrix<T>& out,
                 const NpySource& source) {
    const NpyHeader& header = array.header;
    const auto rows = static_cast<std::size_t>(out.rows()), cols = static_cast<std::size_t>(out.cols());
    const std::size_t n = rows * cols;
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = header.fortran_order ? k % rows : k / cols;
        const std::size_t j = header.fortran_order ? k / rows : k % cols;
        out(static_cast<Index>(i), static_cast<Index>(j)) = convert_element<T>(
            stored_element<Stored>(bytes, k, header.big_endian), file_element(array, first_row, i, j), source);
    }
}

/// Rows [first_row, first_row + n_rows) of a parsed numeric array as a row-major Matrix<T>,
/// converted as NumPy's `astype` would, from `block`: those rows' bytes in the file's layout and
/// byte order (in Fortran order, each column's share of them, one column after the other).
template <npy_scalar T>
Matrix<T> npy_rows(const NpyArray& array, std::string_view block, std::size_t first_row, std::size_t n_rows,
                   const NpySource& source) {
    const NpyHeader& header = array.header;
    if (header.is_text()) {
        fail(source.reader, source.name,
             "dtype " + shown(header.descr) + " is text, not numbers (read it with load_npz_strings)");
    }
    Matrix<T> out(static_cast<Index>(n_rows), static_cast<Index>(array.cols));
    const char* bytes = block.data();
    if (header.kind == 'b') {
        for (std::size_t k = 0; k < block.size(); ++k) {
            const std::size_t i = header.fortran_order ? k % n_rows : k / array.cols;
            const std::size_t j = header.fortran_order ? k / n_rows : k % array.cols;
            const auto byte = static_cast<unsigned char>(block[k]);
            if (byte > 1) {
                fail(source.reader, source.name,
                     "element " + std::to_string(file_element(array, first_row, i, j)) + " of a bool array is " +
                         std::to_string(byte) + ", not 0 or 1");
            }
            out(static_cast<Index>(i), static_cast<Index>(j)) = static_cast<T>(byte);
        }
    } else if (header.kind == 'f') {
        if (header.item_size == 4) {
            convert_all<T, float>(bytes, array, first_row, out, source);
        } else {
            convert_all<T, double>(bytes, array, first_row, out, source);
        }
    } else if (header.item_size == 4) {
        convert_all<T, std::int32_t>(bytes, array, first_row, out, source);
    } else {
        convert_all<T, std::int64_t>(bytes, array, first_row, out, source);
    }
    return out;
}

/// A parsed numeric array as a row-major Matrix<T>, converted as NumPy's `astype` would.
template <npy_scalar T>
Matrix<T> npy_matrix(const NpyArray& array, const NpySource& source) {
    return npy_rows<T>(array, array.data, 0, array.rows, source);
}

/// The size in bytes of the seekable stream `in`.
inline std::uint64_t stream_size(std::istream& in, const NpySource& source) {
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    if (size < 0 || !in) fail(source.reader, source.name, "cannot determine the file size");
    return static_cast<std::uint64_t>(size);
}

/// Appends bytes [offset, offset + size) of the seekable stream `in` to `out`; io_error when the
/// stream does not hold them all.
inline void read_at(std::istream& in, std::uint64_t offset, std::uint64_t size, std::string& out,
                    const NpySource& source) {
    if (size == 0) return;
    const std::size_t end = out.size();
    out.resize(end + static_cast<std::size_t>(size));
    in.seekg(static_cast<std::streamoff>(offset), std::ios::beg);
    in.read(out.data() + end, static_cast<std::streamsize>(size));
    if (!in || in.gcount() != static_cast<std::streamsize>(size)) {
        fail(source.reader, source.name,
             "cannot read the file (bytes " + std::to_string(offset) + " to " + std::to_string(offset + size) + ")");
    }
}

/// Every byte of the seekable stream `in`, from its start.
inline std::string read_stream(std::istream& in, const NpySource& source) {
    std::string bytes;
    read_at(in, 0, stream_size(in, source), bytes, source);
    return bytes;
}

/// Reads one .npy array from `in` (positioned at its start, seekable); `source` names it in errors.
template <npy_scalar T>
Matrix<T> read_npy(std::istream& in, std::string_view source) {
    const NpySource where{.reader = "load_npy", .name = source};
    const std::string bytes = read_stream(in, where);
    return npy_matrix<T>(parse_npy(bytes, where), where);
}

/// Reads rows [first_row, first_row + n_rows) of the .npy array in `in` (seekable): its preamble,
/// then those rows' bytes alone, one range in C order and one range per column in Fortran order.
/// `source` names it in errors.
template <npy_scalar T>
Matrix<T> read_npy_rows(std::istream& in, std::string_view source, Index first_row, Index n_rows) {
    const NpySource where{.reader = "load_npy", .name = source};
    if (first_row < 0 || n_rows < 0) {
        fail(where.reader, where.name,
             "first_row and n_rows must not be negative (got first_row = " + std::to_string(first_row) +
                 ", n_rows = " + std::to_string(n_rows) + ")");
    }
    const std::uint64_t total = stream_size(in, where);
    // Twelve bytes hold the magic string, version and header length of every format version.
    std::string preamble;
    read_at(in, 0, std::min<std::uint64_t>(total, 12), preamble, where);
    const NpyLayout layout = npy_layout(preamble, total, where);
    if (layout.data_offset > preamble.size()) {
        read_at(in, preamble.size(), layout.data_offset - preamble.size(), preamble, where);
    }
    const NpyArray array = parse_npy_header(preamble, layout, total, where);

    const auto first = static_cast<std::uint64_t>(first_row), count = static_cast<std::uint64_t>(n_rows);
    if (first + count > array.rows) {
        fail(where.reader, where.name,
             "rows [" + std::to_string(first) + ", " + std::to_string(first + count) +
                 ") were asked for, but the array has " + std::to_string(array.rows) + " rows");
    }
    // The header's shape matches the file's size, so these bytes are there and bounded by it.
    const std::uint64_t item = array.header.item_size;
    std::string block;
    if (!array.header.fortran_order) {
        read_at(in, layout.data_offset + first * array.cols * item, count * array.cols * item, block, where);
    } else if (count > 0) {
        block.reserve(static_cast<std::size_t>(count * array.cols * item));
        for (std::uint64_t j = 0; j < array.cols; ++j) {
            read_at(in, layout.data_offset + (j * array.rows + first) * item, count * item, block, where);
        }
    }
    return npy_rows<T>(array, block, first, count, where);
}

template <npy_scalar T>
constexpr const char* npy_descr() {
    if constexpr (std::same_as<T, float>) return "<f4";
    if constexpr (std::same_as<T, double>) return "<f8";
    if constexpr (std::same_as<T, std::int32_t>) return "<i4";
    if constexpr (std::same_as<T, std::int64_t>) return "<i8";
}

/// The magic string, version, header length and header of a format 1.0 .npy of dtype `descr`
/// and `shape` (a Python tuple: "()", "(3,)", "(2, 4)"). `writer` and `path` name it in errors.
inline std::string npy_preamble(std::string_view descr, std::string_view shape, std::string_view writer,
                                std::string_view path) {
    std::string header = "{'descr': '";
    header.append(descr).append("', 'fortran_order': False, 'shape': ").append(shape).append(", }");
    // NumPy pads the header with spaces so that the data starts at a multiple of 64 bytes.
    const std::size_t unpadded = 10 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ').push_back('\n');
    if (header.size() > 0xffff) fail(writer, path, "the header is too long for format 1.0");
    std::string out("\x93NUMPY\x01\x00", 8);
    out.push_back(static_cast<char>(header.size() & 0xff));
    out.push_back(static_cast<char>(header.size() >> 8));
    return out.append(header);
}

/// The preamble of a .npy holding `array` (little-endian, C order; a column vector type as 1-D).
template <class Derived>
requires npy_scalar<typename Derived::Scalar> std::string npy_preamble(const Eigen::DenseBase<Derived>& array,
                                                                       std::string_view writer, std::string_view path) {
    std::string shape = "(" + std::to_string(array.rows());
    if constexpr (Derived::ColsAtCompileTime == 1) {
        shape += ",)";
    } else {
        shape += ", " + std::to_string(array.cols()) + ")";
    }
    return npy_preamble(npy_descr<typename Derived::Scalar>(), shape, writer, path);
}

/// The bytes of the .npy data of `array`, handed to `put(const char*, std::size_t)` a row at a
/// time (so that no copy of the whole array is made).
template <class Derived, class Put>
requires npy_scalar<typename Derived::Scalar>
void put_npy_data(const Eigen::DenseBase<Derived>& array, Put&& put) {
    using T = typename Derived::Scalar;
    using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    std::vector<char> row(static_cast<std::size_t>(array.cols()) * sizeof(T));
    for (Index i = 0; i < array.rows(); ++i) {
        for (Index j = 0; j < array.cols(); ++j) {
            Bits bits = std::bit_cast<Bits>(static_cast<T>(array(i, j)));
            if constexpr (std::endian::native == std::endian::big) bits = byteswap(bits);
            std::memcpy(row.data() + static_cast<std::size_t>(j) * sizeof(T), &bits, sizeof(T));
        }
        put(row.data(), row.size());
    }
}

}  // namespace detail

/// Reads a .npy file (format 1, 2 or 3) of float32, float64, int32 or int64, little- or
/// big-endian, C or Fortran order, into a row-major Matrix<T>: a 2-D array keeps its shape, a
/// 1-D array becomes one column, a 0-D array a 1x1 matrix. Values are converted to T as NumPy's
/// `astype` would; into an integer T, a value that is not an integer in T's range is an error.
/// Throws io_error for a missing, truncated or foreign file, an unsupported dtype (the message
/// names it) or an array of more than two dimensions.
template <npy_scalar T>
Matrix<T> load_npy(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) detail::fail("load_npy", path, "cannot open the file (missing or unreadable)");
    return detail::read_npy<T>(in, path);
}

/// Rows [first_row, first_row + n_rows) of the .npy file at `path`: what
/// `load_npy<T>(path).middleRows(first_row, n_rows)` gives, but reading only the file's header and
/// those rows' bytes (one range in C order, one per column in Fortran order), so that each process
/// of a distributed fit can read its own share of one file. A 1-D array's rows are its elements, a
/// 0-D array has one row; `n_rows` may be 0, which gives a 0 x d matrix. Checks the file and
/// converts as load_npy does (the file's size must match the header's shape, whichever rows are
/// read). Throws io_error as load_npy, and also when `first_row` or `n_rows` is negative or the
/// rows run past the array's end (the message names the range and the array's row count).
template <npy_scalar T>
Matrix<T> load_npy(const std::string& path, Index first_row, Index n_rows) {
    std::ifstream in(path, std::ios::binary);
    if (!in) detail::fail("load_npy", path, "cannot open the file (missing or unreadable)");
    return detail::read_npy_rows<T>(in, path, first_row, n_rows);
}

/// load_npy for a 1-D array (or an n x 1 or 1 x n one) as a column vector; `load_npy_vector<int>`
/// gives Labels. Throws io_error as load_npy, and for any other shape.
template <npy_scalar T>
Eigen::Matrix<T, Eigen::Dynamic, 1> load_npy_vector(const std::string& path) {
    Matrix<T> m = load_npy<T>(path);
    if (m.rows() != 1 && m.cols() != 1) {
        detail::fail(
            "load_npy", path,
            "a vector was expected, but the array is " + std::to_string(m.rows()) + " x " + std::to_string(m.cols()));
    }
    return Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, 1>>(m.data(), m.size());
}

/// Writes `array` to `path` as a .npy file (format 1.0, little-endian, C order) of its scalar's
/// dtype: float32, float64, int32 or int64. A column vector (`Vector<T>`, `Labels`) is written as
/// a 1-D array, anything else as 2-D. Throws io_error when the file cannot be written.
template <class Derived>
requires npy_scalar<typename Derived::Scalar>
void save_npy(const std::string& path, const Eigen::DenseBase<Derived>& array) {
    const std::string preamble = detail::npy_preamble(array, "save_npy", path);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) detail::fail("save_npy", path, "cannot open the file for writing");
    out.write(preamble.data(), static_cast<std::streamsize>(preamble.size()));
    detail::put_npy_data(
        array, [&](const char* bytes, std::size_t size) { out.write(bytes, static_cast<std::streamsize>(size)); });
    out.flush();
    if (!out) detail::fail("save_npy", path, "writing the file failed");
}

}  // namespace kestrel::io
