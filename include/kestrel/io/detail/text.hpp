#pragma once
/// \file
/// What the text readers share: reading a whole file, errors that name the place in it, and
/// strict number parsing (the whole cell must be the number).

#include <charconv>
#include <cmath>
#include <concepts>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "../../core/error.hpp"
#include "../../core/types.hpp"

namespace kestrel::io::detail {

/// Throws io_error "<reader>: <source>, line L, column C: <what>" (line and column 1-based).
[[noreturn]] inline void fail_at(std::string_view reader, std::string_view source, Index line, Index column,
                                 std::string_view what) {
    std::string message(reader);
    message.append(": ").append(source).append(", line ").append(std::to_string(line));
    message.append(", column ").append(std::to_string(column)).append(": ").append(what);
    throw io_error(message);
}

/// Throws io_error "<reader>: <source>: <what>", for faults that have no place in the file.
[[noreturn]] inline void fail(std::string_view reader, std::string_view source, std::string_view what) {
    std::string message(reader);
    message.append(": ").append(source).append(": ").append(what);
    throw io_error(message);
}

/// The whole file as bytes; io_error if it cannot be opened or read.
inline std::string read_file(const std::string& path, std::string_view reader) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(reader, path, "cannot open the file (missing or unreadable)");
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) fail(reader, path, "cannot read the file");
    return bytes;
}

/// `text` in double quotes for an error message, cut short when long.
inline std::string shown(std::string_view text) {
    constexpr std::size_t longest = 40;
    std::string out = "\"";
    out.append(text.substr(0, longest));
    if (text.size() > longest) out.append("...");
    return out.append("\"");
}

/// Why a cell is not a number of the wanted kind, or nothing when `value` holds it.
template <class T>
std::optional<std::string> parse_number(std::string_view text, T& value) {
    if (text.empty()) return "empty cell where a number is expected";
    std::string_view digits = text;
    // NumPy and pandas read "+1.5"; std::from_chars does not take the sign.
    if (digits.front() == '+' && digits.size() > 1 && digits[1] != '-' && digits[1] != '+') digits.remove_prefix(1);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error == std::errc::result_out_of_range) return shown(text) + " is out of range";
    if (error != std::errc() || end != digits.data() + digits.size()) return shown(text) + " is not a number";
    return std::nullopt;
}

/// An integer class label: a number whose value is an int ("3", "+1", "-1", "2.0").
inline std::optional<std::string> parse_label(std::string_view text, int& label) {
    double value = 0;
    if (auto why = parse_number(text, value)) return why;
    if (!(value >= std::numeric_limits<int>::min() && value <= std::numeric_limits<int>::max()) ||
        value != std::floor(value)) {
        return shown(text) + " is not an integer class label";
    }
    label = static_cast<int>(value);
    return std::nullopt;
}

/// A target cell into a regression target (T) or a class label (int).
template <class Value>
std::optional<std::string> parse_target(std::string_view text, Value& value) {
    if constexpr (std::same_as<Value, int>) {
        return parse_label(text, value);
    } else {
        return parse_number(text, value);
    }
}

}  // namespace kestrel::io::detail
