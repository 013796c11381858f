#pragma once
/// \file
/// The part of the zip format a .npz archive uses: stored (uncompressed) members, read with every
/// offset and size checked against the file and every member's CRC-32 verified, and written the
/// way Python's zipfile writes them for np.savez. Zip64 records are read (NumPy marks each member
/// with one); multi-part archives, encryption and compression are refused.

#include <algorithm>
#include <array>
#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "text.hpp"

namespace kestrel::io::detail {

/// CRC-32 as zip computes it (reflected polynomial 0xEDB88320), continued from `crc` over `bytes`:
/// crc32(crc32(0, a), b) == crc32(0, a + b).
inline std::uint32_t crc32(std::uint32_t crc, std::string_view bytes) {
    static constexpr auto table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t n = 0; n < 256; ++n) {
            std::uint32_t c = n;
            for (int k = 0; k < 8; ++k) c = (c & 1U) != 0 ? 0xEDB88320U ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    crc = ~crc;
    for (const char byte : bytes) crc = table[(crc ^ static_cast<unsigned char>(byte)) & 0xffU] ^ (crc >> 8);
    return ~crc;
}

/// The little-endian unsigned integer of `size` bytes at `at` in `bytes` (the caller checks bounds).
inline std::uint64_t little_endian(std::string_view bytes, std::size_t at, std::size_t size) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < size; ++i) {
        value |= std::uint64_t{static_cast<unsigned char>(bytes[at + i])} << (8 * i);
    }
    return value;
}

/// `value` as 0x and eight hexadecimal digits, for messages.
inline std::string hex32(std::uint32_t value) {
    constexpr char digits[] = "0123456789abcdef";
    std::string out = "0x";
    for (int shift = 28; shift >= 0; shift -= 4) out.push_back(digits[(value >> shift) & 0xfU]);
    return out;
}

/// One member of a zip archive as its central directory describes it.
struct ZipEntry {
    std::string name;
    std::uint16_t flags = 0;
    std::uint16_t method = 0;
    std::uint32_t crc = 0;
    std::uint64_t compressed_size = 0;
    std::uint64_t size = 0;
    std::uint64_t header_offset = 0;  // of the member's local header
};

/// Reads the members of a zip archive from a seekable stream. No field of the file is trusted:
/// each offset and size is checked against the file's length before anything is read or
/// allocated, and each member's bytes against their CRC-32.
class ZipReader {
public:
    /// `reader` and `source` name the calling function and the file in io_error messages.
    ZipReader(std::istream& in, std::string_view reader, std::string_view source)
        : in_(in), reader_(reader), source_(source) {
        in_.seekg(0, std::ios::end);
        const std::streamoff size = in_.tellg();
        if (size < 0 || !in_) fail("cannot determine the file size");
        size_ = static_cast<std::uint64_t>(size);
        read_directory();
    }

    [[nodiscard]] const std::vector<ZipEntry>& entries() const { return entries_; }

    /// The bytes of `entry`, checked against its CRC-32. Throws io_error for a compressed or
    /// encrypted member, and for a member that does not lie whole before the central directory.
    [[nodiscard]] std::string read(const ZipEntry& entry) {
        const std::string member = "member " + shown(entry.name);
        if ((entry.flags & 0x41U) != 0) fail(member + " is encrypted, which is not supported");
        if (entry.method == 8) {
            fail(member +
                 " is compressed (deflate, as np.savez_compressed writes); only stored members are "
                 "read: write the archive with np.savez");
        }
        if (entry.method != 0) {
            fail(member + " uses compression method " + std::to_string(entry.method) +
                 "; only stored (uncompressed) members are read");
        }
        if (entry.compressed_size != entry.size) {
            fail(member + " is stored but its sizes differ (" + std::to_string(entry.compressed_size) + " and " +
                 std::to_string(entry.size) + " bytes): the archive is corrupt");
        }
        constexpr std::uint64_t local_size = 30;
        if (entry.header_offset > directory_offset_ || directory_offset_ - entry.header_offset < local_size) {
            fail(member + ": its local header lies outside the file's data: the archive is corrupt");
        }
        const std::string local = bytes_at(entry.header_offset, local_size);
        if (local.compare(0, 4, "PK\x03\x04") != 0) {
            fail(member + ": no local header at offset " + std::to_string(entry.header_offset) +
                 ": the archive is corrupt");
        }
        const std::uint64_t name_size = little_endian(local, 26, 2), extra_size = little_endian(local, 28, 2);
        if (directory_offset_ - entry.header_offset - local_size < name_size + extra_size) {
            fail(member + ": its local header runs into the central directory: the archive is corrupt");
        }
        if (bytes_at(entry.header_offset + local_size, name_size) != entry.name ||
            little_endian(local, 8, 2) != entry.method) {
            fail(member + ": its local header disagrees with the central directory: the archive is corrupt");
        }
        const std::uint64_t start = entry.header_offset + local_size + name_size + extra_size;
        if (directory_offset_ - start < entry.size) {
            fail(member + " (" + std::to_string(entry.size) +
                 " bytes) runs past the end of the members' data: "
                 "the archive is truncated or corrupt");
        }
        std::string bytes = bytes_at(start, entry.size);
        [[maybe_unused]] const std::uint32_t crc = crc32(0, bytes);
        // Fuzzing builds skip the comparison, so that mutated inputs reach the parsers behind it.
#if !defined(FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION)
        if (crc != entry.crc) {
            fail(member + ": CRC-32 mismatch (recorded " + hex32(entry.crc) + ", computed " + hex32(crc) +
                 "): the archive is corrupt");
        }
#endif
        return bytes;
    }

private:
    [[noreturn]] void fail(std::string_view what) const { detail::fail(reader_, source_, what); }

    /// `count` bytes at `offset`; the caller has checked that the file holds them.
    std::string bytes_at(std::uint64_t offset, std::uint64_t count) {
        std::string out(static_cast<std::size_t>(count), '\0');
        if (count == 0) return out;
        in_.clear();
        in_.seekg(static_cast<std::streamoff>(offset));
        in_.read(out.data(), static_cast<std::streamsize>(count));
        if (!in_ || static_cast<std::uint64_t>(in_.gcount()) != count) fail("cannot read the file");
        return out;
    }

    void read_directory() {
        // The end-of-central-directory record: 22 bytes and a comment of at most 65,535 bytes,
        // the last thing in the file.
        constexpr std::uint64_t record_size = 22;
        const std::uint64_t tail_size = std::min<std::uint64_t>(size_, record_size + 0xffff);
        const std::string tail = bytes_at(size_ - tail_size, tail_size);
        std::uint64_t found = tail_size;
        for (std::uint64_t at = tail_size >= record_size ? tail_size - record_size + 1 : 0; at-- > 0;) {
            if (tail.compare(at, 4, "PK\x05\x06") == 0 &&
                at + record_size + little_endian(tail, at + 20, 2) == tail_size) {
                found = at;
                break;
            }
        }
        if (found == tail_size) {
            if (size_ >= 6 && bytes_at(0, 6) == std::string_view("\x93NUMPY", 6)) {
                fail("this is a .npy file, not a .npz archive: read it with load_npy");
            }
            fail(
                "not a complete zip archive (no end-of-central-directory record): the file is truncated, or it "
                "is not a .npz file");
        }
        const std::uint64_t record_offset = size_ - tail_size + found;
        const std::string_view record = std::string_view(tail).substr(found, record_size);
        std::uint64_t disk = little_endian(record, 4, 2), directory_disk = little_endian(record, 6, 2);
        std::uint64_t disk_entries = little_endian(record, 8, 2), count = little_endian(record, 10, 2);
        std::uint64_t directory_size = little_endian(record, 12, 4);
        directory_offset_ = little_endian(record, 16, 4);
        std::uint64_t directory_end = record_offset;

        // When a zip64 locator (the 20 bytes before this record) is there, the zip64 record it
        // points to holds the real values, as Python's zipfile reads them; the fields here are
        // then saturated (0xffff, 0xffffffff) or equal to them.
        constexpr std::uint64_t locator_size = 20, record64_size = 56;
        if (record_offset >= locator_size) {
            const std::string locator = bytes_at(record_offset - locator_size, locator_size);
            if (locator.compare(0, 4, "PK\x06\x07") == 0) {
                const std::uint64_t at = little_endian(locator, 8, 8);
                if (little_endian(locator, 4, 4) != 0 || little_endian(locator, 16, 4) > 1) {
                    fail("a multi-part (split) zip archive is not supported");
                }
                if (at > record_offset - locator_size || record_offset - locator_size - at < record64_size) {
                    fail("the zip64 end-of-central-directory record lies outside the file: the archive is corrupt");
                }
                const std::string record64 = bytes_at(at, record64_size);
                if (record64.compare(0, 4, "PK\x06\x06") != 0) {
                    fail("no zip64 end-of-central-directory record where its locator points: the archive is corrupt");
                }
                disk = little_endian(record64, 16, 4);
                directory_disk = little_endian(record64, 20, 4);
                disk_entries = little_endian(record64, 24, 8);
                count = little_endian(record64, 32, 8);
                directory_size = little_endian(record64, 40, 8);
                directory_offset_ = little_endian(record64, 48, 8);
                directory_end = at;
            }
        }
        if (disk != 0 || directory_disk != 0 || disk_entries != count) {
            fail("a multi-part (split) zip archive is not supported");
        }
        if (directory_offset_ > directory_end || directory_end - directory_offset_ < directory_size) {
            fail("the central directory (" + std::to_string(directory_size) + " bytes at offset " +
                 std::to_string(directory_offset_) + ") lies outside the file: the archive is truncated or corrupt");
        }
        constexpr std::uint64_t header_size = 46;
        if (count > directory_size / header_size) {
            fail("the central directory (" + std::to_string(directory_size) + " bytes) cannot hold the " +
                 std::to_string(count) + " members it announces: the archive is corrupt");
        }
        const std::string directory = bytes_at(directory_offset_, directory_size);
        entries_.reserve(static_cast<std::size_t>(count));
        std::uint64_t at = 0;
        for (std::uint64_t k = 0; k < count; ++k) {
            const auto corrupt = [&](const std::string& what) {
                fail("central directory entry " + std::to_string(k) + ": " + what + ": the archive is corrupt");
            };
            if (directory_size - at < header_size || directory.compare(at, 4, "PK\x01\x02") != 0) {
                corrupt("no entry header");
            }
            const std::uint64_t name_size = little_endian(directory, at + 28, 2);
            const std::uint64_t extra_size = little_endian(directory, at + 30, 2);
            const std::uint64_t comment_size = little_endian(directory, at + 32, 2);
            if (directory_size - at - header_size < name_size + extra_size + comment_size) {
                corrupt("its name and extra fields run past the directory");
            }
            ZipEntry entry;
            entry.flags = static_cast<std::uint16_t>(little_endian(directory, at + 8, 2));
            entry.method = static_cast<std::uint16_t>(little_endian(directory, at + 10, 2));
            entry.crc = static_cast<std::uint32_t>(little_endian(directory, at + 16, 4));
            entry.compressed_size = little_endian(directory, at + 20, 4);
            entry.size = little_endian(directory, at + 24, 4);
            std::uint64_t start_disk = little_endian(directory, at + 34, 2);
            entry.header_offset = little_endian(directory, at + 42, 4);
            entry.name =
                directory.substr(static_cast<std::size_t>(at + header_size), static_cast<std::size_t>(name_size));
            const std::string_view extra = std::string_view(directory).substr(
                static_cast<std::size_t>(at + header_size + name_size), static_cast<std::size_t>(extra_size));
            read_zip64_extra(extra, entry, start_disk, corrupt);
            if (start_disk != 0) fail("a multi-part (split) zip archive is not supported");
            entries_.push_back(std::move(entry));
            at += header_size + name_size + extra_size + comment_size;
        }
    }

    /// The 64-bit values of a central directory entry's zip64 extra field (id 1): each of the
    /// sizes, the offset and the disk whose 32-bit (16-bit) field is saturated, in that order.
    template <class Corrupt>
    static void read_zip64_extra(std::string_view extra, ZipEntry& entry, std::uint64_t& start_disk,
                                 const Corrupt& corrupt) {
        const bool wanted[] = {entry.size == 0xffffffff, entry.compressed_size == 0xffffffff,
                               entry.header_offset == 0xffffffff, start_disk == 0xffff};
        if (!wanted[0] && !wanted[1] && !wanted[2] && !wanted[3]) return;
        std::size_t at = 0;
        while (extra.size() - at >= 4 && little_endian(extra, at, 2) != 1) {
            at += 4 + static_cast<std::size_t>(little_endian(extra, at + 2, 2));
            if (at > extra.size()) corrupt("a malformed extra field");
        }
        if (extra.size() - at < 4) corrupt("saturated sizes without a zip64 extra field");
        const std::size_t field_size = static_cast<std::size_t>(little_endian(extra, at + 2, 2));
        if (extra.size() - at - 4 < field_size) corrupt("a malformed zip64 extra field");
        const std::string_view field = extra.substr(at + 4, field_size);
        std::size_t read = 0;
        const auto next = [&](std::size_t bytes) {
            if (field.size() - read < bytes) corrupt("a zip64 extra field too short for its saturated fields");
            const std::uint64_t value = little_endian(field, read, bytes);
            read += bytes;
            return value;
        };
        if (wanted[0]) entry.size = next(8);
        if (wanted[1]) entry.compressed_size = next(8);
        if (wanted[2]) entry.header_offset = next(8);
        if (wanted[3]) start_disk = next(4);
    }

    std::istream& in_;
    std::string_view reader_;
    std::string_view source_;
    std::uint64_t size_ = 0;
    std::uint64_t directory_offset_ = 0;
    std::vector<ZipEntry> entries_;
};

/// Writes a zip archive of stored members as Python's zipfile does for np.savez (version 2.0,
/// dated 1980-01-01, no data descriptors) to a seekable stream: each member's CRC-32 is computed
/// while its bytes are written and then filled into its local header.
class ZipWriter {
public:
    /// The largest archive written: past 4 GiB or 65,535 members, zip64 records would be needed.
    static constexpr std::uint64_t largest_size = 0xffffffff;
    static constexpr std::uint64_t largest_count = 0xffff;

    /// The bytes a member named `name` of `size` bytes adds to the archive.
    static std::uint64_t footprint(const std::string& name, std::uint64_t size) {
        return 30 + 46 + 2 * static_cast<std::uint64_t>(name.size()) + size;
    }

    explicit ZipWriter(std::ostream& out) : out_(out) {}

    /// Starts the member `name` of `size` bytes; its bytes follow through `write`.
    void begin(const std::string& name, std::uint64_t size) {
        ZipEntry entry;
        entry.name = name;
        entry.size = entry.compressed_size = size;
        entry.header_offset = offset_;
        // Bit 11: the name is UTF-8, as Python marks names that are not ASCII.
        for (const char c : name) {
            if (static_cast<unsigned char>(c) >= 0x80) entry.flags = 0x800;
        }
        entries_.push_back(std::move(entry));
        put(local_header(entries_.back()));
        crc_ = 0;
    }

    void write(std::string_view bytes) {
        crc_ = crc32(crc_, bytes);
        put(bytes);
    }

    /// Ends the current member: its CRC-32 goes into its local header.
    void end() {
        ZipEntry& entry = entries_.back();
        entry.crc = crc_;
        out_.seekp(static_cast<std::streamoff>(entry.header_offset + 14));
        std::string crc;
        append(crc, entry.crc, 4);
        out_.write(crc.data(), 4);
        out_.seekp(static_cast<std::streamoff>(offset_));
    }

    /// The central directory and its end record, after the last member, with the archive's
    /// `comment` (at most 65,535 bytes) last.
    void finish(std::string_view comment = {}) {
        const std::uint64_t directory_offset = offset_;
        for (const ZipEntry& entry : entries_) {
            std::string header("PK\x01\x02", 4);
            append(header, 0x314, 2);  // made by: version 2.0 on Unix (the attributes are a file mode)
            append(header, 20, 2);     // needed to extract: version 2.0
            append(header, entry.flags, 2);
            append(header, 0, 2);     // stored
            append(header, 0, 2);     // time 00:00:00
            append(header, 0x21, 2);  // date 1980-01-01
            append(header, entry.crc, 4);
            append(header, entry.size, 4);
            append(header, entry.size, 4);
            append(header, entry.name.size(), 2);
            append(header, 0, 2);           // extra
            append(header, 0, 2);           // comment
            append(header, 0, 2);           // disk
            append(header, 0, 2);           // internal attributes
            append(header, 0x01800000, 4);  // external attributes: a regular file, mode 0600
            append(header, entry.header_offset, 4);
            put(header.append(entry.name));
        }
        std::string record("PK\x05\x06", 4);
        append(record, 0, 4);  // this disk, the directory's disk
        append(record, entries_.size(), 2);
        append(record, entries_.size(), 2);
        append(record, offset_ - directory_offset, 4);
        append(record, directory_offset, 4);
        append(record, comment.size(), 2);
        put(record);
        put(comment);
    }

private:
    static void append(std::string& out, std::uint64_t value, int size) {
        for (int i = 0; i < size; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xffU));
    }

    static std::string local_header(const ZipEntry& entry) {
        std::string header("PK\x03\x04", 4);
        append(header, 20, 2);
        append(header, entry.flags, 2);
        append(header, 0, 2);     // stored
        append(header, 0, 2);     // time
        append(header, 0x21, 2);  // date
        append(header, 0, 4);     // CRC-32, filled in by end()
        append(header, entry.size, 4);
        append(header, entry.size, 4);
        append(header, entry.name.size(), 2);
        append(header, 0, 2);
        return header.append(entry.name);
    }

    void put(std::string_view bytes) {
        out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        offset_ += bytes.size();
    }

    std::ostream& out_;
    std::vector<ZipEntry> entries_;
    std::uint64_t offset_ = 0;
    std::uint32_t crc_ = 0;
};

}  // namespace kestrel::io::detail
