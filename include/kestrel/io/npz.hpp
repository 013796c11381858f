#pragma once
/// \file
/// load_npz / save_npz: NumPy's .npz archives, what np.savez writes (an uncompressed zip of .npy
/// members), so that several named arrays move between Python and kestrel in one file.

#include <concepts>
#include <cstdint>
#include <fstream>
#include <istream>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "../core/types.hpp"
#include "detail/text.hpp"
#include "detail/zip.hpp"
#include "npy.hpp"

namespace kestrel::io {

namespace detail {

/// A member's key as np.load shows it: its file name without the ".npy" suffix.
inline std::string npz_key(const std::string& file_name) {
    constexpr std::string_view suffix = ".npy";
    return file_name.ends_with(suffix) ? file_name.substr(0, file_name.size() - suffix.size()) : file_name;
}

/// Calls `visit(key, array, source)` on each member of the archive in `in`, in the archive's
/// order, with the member parsed as a .npy of a numeric or text dtype.
template <class Visit>
void visit_npz(std::istream& in, std::string_view reader, std::string_view source, Visit&& visit) {
    ZipReader zip(in, reader, source);
    std::set<std::string> keys;
    for (const ZipEntry& entry : zip.entries()) {
        const std::string key = npz_key(entry.name);
        if (!keys.insert(key).second) fail(reader, source, "two members are named " + shown(key));
        const std::string bytes = zip.read(entry);
        const std::string member = std::string(source) + ", member " + shown(entry.name);
        const NpySource where{.reader = reader, .name = member, .text = true};
        visit(key, parse_npy(bytes, where), where);
    }
}

inline void append_utf8(std::string& out, std::uint32_t code_point) {
    const auto byte = [&](std::uint32_t value) { out.push_back(static_cast<char>(value)); };
    if (code_point < 0x80) {
        byte(code_point);
    } else if (code_point < 0x800) {
        byte(0xc0 | (code_point >> 6));
        byte(0x80 | (code_point & 0x3f));
    } else if (code_point < 0x10000) {
        byte(0xe0 | (code_point >> 12));
        byte(0x80 | ((code_point >> 6) & 0x3f));
        byte(0x80 | (code_point & 0x3f));
    } else {
        byte(0xf0 | (code_point >> 18));
        byte(0x80 | ((code_point >> 12) & 0x3f));
        byte(0x80 | ((code_point >> 6) & 0x3f));
        byte(0x80 | (code_point & 0x3f));
    }
}

/// The elements of a 0-D or 1-D text array: 'U' (UTF-32) as UTF-8, 'S' as its bytes, each
/// without the trailing NULs that pad it to the dtype's length, as NumPy gives them.
inline std::vector<std::string> npy_strings(const NpyArray& array, const NpySource& source) {
    const NpyHeader& header = array.header;
    if (header.shape.size() > 1) {
        fail(source.reader, source.name,
             "a text array must be 0-D or 1-D, this one is " + std::to_string(array.rows) + " x " +
                 std::to_string(array.cols));
    }
    const auto item = static_cast<std::size_t>(header.item_size);
    const auto count = static_cast<std::size_t>(array.rows);
    std::vector<std::string> out;
    out.reserve(count);
    for (std::size_t k = 0; k < count; ++k) {
        const std::string_view element = array.data.substr(k * item, item);
        std::string text;
        if (header.kind == 'S') {
            text = element.substr(0, element.find_last_not_of('\0') + 1);
        } else {
            std::size_t units = item / 4;
            const auto unit = [&](std::size_t u) {
                auto value = static_cast<std::uint32_t>(little_endian(element, 4 * u, 4));
                return header.big_endian ? byteswap(value) : value;
            };
            while (units > 0 && unit(units - 1) == 0) --units;
            for (std::size_t u = 0; u < units; ++u) {
                const std::uint32_t code_point = unit(u);
                if (code_point > 0x10ffff || (code_point >= 0xd800 && code_point <= 0xdfff)) {
                    fail(source.reader, source.name,
                         "element " + std::to_string(k) + " holds " + hex32(code_point) +
                             ", which is not a Unicode code point");
                }
                append_utf8(text, code_point);
            }
        }
        out.push_back(std::move(text));
    }
    return out;
}

template <std::floating_point T>
std::map<std::string, Matrix<T>> read_npz(std::istream& in, std::string_view source) {
    std::map<std::string, Matrix<T>> out;
    visit_npz(in, "load_npz", source, [&](const std::string& key, const NpyArray& array, const NpySource& where) {
        if (!array.header.is_text()) out.emplace(key, npy_matrix<T>(array, where));
    });
    return out;
}

inline std::map<std::string, std::vector<std::string>> read_npz_strings(std::istream& in, std::string_view source) {
    std::map<std::string, std::vector<std::string>> out;
    visit_npz(in, "load_npz_strings", source,
              [&](const std::string& key, const NpyArray& array, const NpySource& where) {
                  if (array.header.is_text()) out.emplace(key, npy_strings(array, where));
              });
    return out;
}

template <npy_scalar T>
Matrix<T> read_npz_member(std::istream& in, std::string_view source, const std::string& name) {
    ZipReader zip(in, "load_npz", source);
    const ZipEntry* found = nullptr;
    std::string keys;
    std::size_t listed = 0;
    for (const ZipEntry& entry : zip.entries()) {
        const std::string key = npz_key(entry.name);
        if (key != name) {
            constexpr std::size_t longest_list = 20;
            if (listed < longest_list) keys.append(keys.empty() ? "" : ", ").append(shown(key));
            if (listed++ == longest_list) keys.append(", ...");
            continue;
        }
        if (found != nullptr) fail("load_npz", source, "two members are named " + shown(key));
        found = &entry;
    }
    if (found == nullptr) {
        fail("load_npz", source,
             "no member named " + shown(name) + (keys.empty() ? " (the archive is empty)" : "; it holds " + keys));
    }
    const std::string bytes = zip.read(*found);
    const std::string member = std::string(source) + ", member " + shown(found->name);
    const NpySource where{.reader = "load_npz", .name = member, .text = true};
    return npy_matrix<T>(parse_npy(bytes, where), where);
}

inline std::ifstream open_npz(const std::string& path, std::string_view reader) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(reader, path, "cannot open the file (missing or unreadable)");
    return in;
}

}  // namespace detail

/// Reads every numeric array of a .npz archive (what np.savez writes) into Matrix<T>, keyed by
/// member name without the ".npy" suffix, as np.load shows them. Each member is read as
/// load_npy reads a file: float32, float64, int32 or int64, either byte order, C or Fortran order;
/// 1-D becomes one column, 0-D a 1x1 matrix. Text members (NumPy's 'U' and 'S' dtypes) are left
/// to load_npz_strings. Throws io_error for a missing, truncated or foreign file, a member whose
/// CRC-32 does not match, a compressed archive (np.savez_compressed: only stored members are
/// read), a multi-part or encrypted archive, and a member of any other dtype or of more than two
/// dimensions; each message names the file and the member.
template <std::floating_point T>
std::map<std::string, Matrix<T>> load_npz(const std::string& path) {
    std::ifstream in = detail::open_npz(path, "load_npz");
    return detail::read_npz<T>(in, path);
}

/// The one numeric member `name` (without ".npy") of a .npz archive, converted to T as load_npy
/// converts; the other members are not read. Throws io_error as load_npz, and when the archive
/// has no such member (the message lists those it has) or the member is text.
template <npy_scalar T>
Matrix<T> load_npz(const std::string& path, const std::string& name) {
    std::ifstream in = detail::open_npz(path, "load_npz");
    return detail::read_npz_member<T>(in, path, name);
}

/// Every text member of a .npz archive (NumPy's 'U' dtype as UTF-8, 'S' as bytes), 0-D or 1-D,
/// as its list of strings: np.savez(f, note="...") gives {"note": {"..."}}. Numeric members are
/// left to load_npz. Throws io_error as load_npz, and for a 2-D text member or a 'U' element
/// that is not Unicode.
inline std::map<std::string, std::vector<std::string>> load_npz_strings(const std::string& path) {
    std::ifstream in = detail::open_npz(path, "load_npz_strings");
    return detail::read_npz_strings(in, path);
}

/// Writes `arrays` to `path` as a .npz archive that np.load reads: each matrix becomes the
/// stored (uncompressed) member "<name>.npy", a 2-D array of T's dtype in C order, with its
/// CRC-32. Throws io_error when the file cannot be written, and when the archive would pass
/// 4 GiB or 65,535 members (which needs zip64, not written: save such arrays with save_npy).
template <npy_scalar T>
void save_npz(const std::string& path, const std::map<std::string, Matrix<T>>& arrays) {
    using detail::ZipWriter;
    // Every size is known before the file is touched, so a too-large archive leaves no partial file.
    std::vector<std::string> preambles;
    std::uint64_t total = 22;
    for (const auto& [name, array] : arrays) {
        if (name.size() > 0xffff - 4) detail::fail("save_npz", path, "a member name is longer than 65,531 bytes");
        preambles.push_back(detail::npy_preamble(array, "save_npz", path));
        total += ZipWriter::footprint(name + ".npy",
                                      preambles.back().size() + static_cast<std::uint64_t>(array.size()) * sizeof(T));
    }
    if (arrays.size() > ZipWriter::largest_count || total > ZipWriter::largest_size) {
        detail::fail("save_npz", path,
                     "the archive would pass 4 GiB or 65,535 members, which needs zip64 (not written): save such "
                     "arrays with save_npy");
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) detail::fail("save_npz", path, "cannot open the file for writing");
    ZipWriter zip(out);
    auto preamble = preambles.begin();
    for (const auto& [name, array] : arrays) {
        zip.begin(name + ".npy", preamble->size() + static_cast<std::uint64_t>(array.size()) * sizeof(T));
        zip.write(*preamble++);
        detail::put_npy_data(array, [&](const char* bytes, std::size_t size) { zip.write({bytes, size}); });
        zip.end();
    }
    zip.finish();
    out.flush();
    if (!out) detail::fail("save_npz", path, "writing the file failed");
}

}  // namespace kestrel::io
