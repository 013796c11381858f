#pragma once
/// \file
/// read_csv: a delimited text file of numbers, optionally with a header, into a Dataset.

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "../core/dataset.hpp"
#include "../core/error.hpp"
#include "../core/types.hpp"
#include "detail/text.hpp"
#include "target.hpp"

namespace kestrel::io {

/// How read_csv reads a file.
struct CsvOptions {
    /// The column holding the target, counted from 0; negative counts from the end (-1: last).
    /// Absent: no target, every column is a feature and `y` is empty.
    std::optional<Index> target_column = -1;
    bool header = true;    ///< the first record names the columns
    char delimiter = ',';  ///< any character but the double quote, carriage return and line feed
};

namespace detail {

/// One field of a record, unquoted, and where it starts.
struct CsvField {
    std::string text;
    Index line = 0;
};

/// Splits CSV text into records as RFC 4180 describes: fields separated by the delimiter, records
/// by "\n" or "\r\n"; a field in double quotes may hold delimiters, newlines and "" for a quote.
/// Spaces and tabs around a field are dropped; blank lines are skipped.
class CsvScanner {
public:
    CsvScanner(std::string_view text, char delimiter, std::string_view source)
        : text_(text), delimiter_(delimiter), source_(source) {}

    /// The next non-blank record, or false at the end of the text.
    bool next(std::vector<CsvField>& fields) {
        fields.clear();
        while (pos_ < text_.size()) {
            const std::size_t start = pos_;
            const Index start_line = line_;
            read_record(fields);
            const bool blank = fields.size() == 1 && fields[0].text.empty() && !quoted_seen_;
            if (!blank) {
                record_line_ = start_line;
                return true;
            }
            fields.clear();
            if (pos_ == start) break;
        }
        return false;
    }

    /// The line on which the last record returned by next() starts.
    [[nodiscard]] Index record_line() const noexcept { return record_line_; }

private:
    [[nodiscard]] bool is_blank(char c) const noexcept { return (c == ' ' || c == '\t') && c != delimiter_; }

    void skip_blanks() {
        while (pos_ < text_.size() && is_blank(text_[pos_])) ++pos_;
    }

    // Consumes a record's terminator ("\n", "\r\n" or a lone "\r") if one is next.
    bool end_of_record() {
        if (pos_ >= text_.size()) return true;
        if (text_[pos_] == '\n') {
            ++pos_;
            ++line_;
            return true;
        }
        if (text_[pos_] == '\r') {
            ++pos_;
            if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
            ++line_;
            return true;
        }
        return false;
    }

    void read_record(std::vector<CsvField>& fields) {
        quoted_seen_ = false;
        for (;;) {
            CsvField field;
            field.line = line_;
            skip_blanks();
            if (pos_ < text_.size() && text_[pos_] == '"') {
                read_quoted(field, static_cast<Index>(fields.size()) + 1);
                skip_blanks();
                if (pos_ < text_.size() && text_[pos_] != delimiter_ && text_[pos_] != '\n' && text_[pos_] != '\r') {
                    fail_at("read_csv", source_, line_, static_cast<Index>(fields.size()) + 1,
                            "unexpected character after a closing quote");
                }
            } else {
                const std::size_t begin = pos_;
                while (pos_ < text_.size() && text_[pos_] != delimiter_ && text_[pos_] != '\n' && text_[pos_] != '\r') {
                    ++pos_;
                }
                std::size_t end = pos_;
                while (end > begin && is_blank(text_[end - 1])) --end;
                field.text.assign(text_.substr(begin, end - begin));
            }
            fields.push_back(std::move(field));
            if (pos_ < text_.size() && text_[pos_] == delimiter_) {
                ++pos_;
                continue;
            }
            end_of_record();
            return;
        }
    }

    void read_quoted(CsvField& field, Index column) {
        quoted_seen_ = true;
        const Index opened_on = line_;
        ++pos_;
        for (;;) {
            if (pos_ >= text_.size()) {
                fail_at("read_csv", source_, opened_on, column,
                        "quoted field is not closed before the end of the file");
            }
            const char c = text_[pos_++];
            if (c == '"') {
                if (pos_ < text_.size() && text_[pos_] == '"') {
                    field.text.push_back('"');
                    ++pos_;
                    continue;
                }
                return;
            }
            if (c == '\n') ++line_;
            field.text.push_back(c);
        }
    }

    std::string_view text_;
    char delimiter_;
    std::string_view source_;
    std::size_t pos_ = 0;
    Index line_ = 1;
    Index record_line_ = 1;
    bool quoted_seen_ = false;
};

/// read_csv on text already in memory; `source` names it in errors.
template <std::floating_point T, target_for<T> Target>
Dataset<T, Target> parse_csv(std::string_view text, const CsvOptions& options, std::string_view source) {
    const char d = options.delimiter;
    if (d == '"' || d == '\n' || d == '\r') {
        throw invalid_parameter("read_csv: parameter delimiter = '" + std::string(1, d) +
                                "' is invalid: it must not be a quote or a line break.");
    }
    CsvScanner scanner(text, d, source);
    std::vector<CsvField> fields;
    Dataset<T, Target> data;
    Index n_columns = -1;
    if (options.header) {
        if (!scanner.next(fields)) fail_at("read_csv", source, 1, 1, "the file is empty: a header was expected");
        n_columns = static_cast<Index>(fields.size());
        for (std::size_t j = 0; j < fields.size(); ++j) {
            for (std::size_t k = 0; k < j; ++k) {
                if (!fields[j].text.empty() && fields[j].text == fields[k].text) {
                    fail_at("read_csv", source, fields[j].line, static_cast<Index>(j) + 1,
                            "the header repeats the column name " + shown(fields[j].text));
                }
            }
        }
    }
    std::vector<std::string> names;
    for (const auto& field : fields) names.push_back(field.text);

    std::vector<T> values;
    std::vector<typename Target::Scalar> targets;
    Index target = -1, n_rows = 0;
    const auto resolve_target = [&] {
        if (!options.target_column) return;
        const Index t = *options.target_column;
        target = t < 0 ? n_columns + t : t;
        if (target < 0 || target >= n_columns) {
            fail_at("read_csv", source, scanner.record_line(), 1,
                    "target_column = " + std::to_string(t) + " is out of range for " + std::to_string(n_columns) +
                        " columns");
        }
    };
    if (options.header) resolve_target();
    while (scanner.next(fields)) {
        const Index count = static_cast<Index>(fields.size());
        if (n_columns < 0) {
            n_columns = count;
            resolve_target();
        }
        if (count != n_columns) {
            fail_at("read_csv", source, scanner.record_line(), std::min(count, n_columns) + 1,
                    "the record has " + std::to_string(count) + " fields, but " +
                        (options.header ? "the header has " : "the first record has ") + std::to_string(n_columns));
        }
        for (Index j = 0; j < count; ++j) {
            const CsvField& field = fields[static_cast<std::size_t>(j)];
            std::optional<std::string> why;
            if (j == target) {
                targets.emplace_back();
                why = parse_target(field.text, targets.back());
            } else {
                values.emplace_back();
                why = parse_number(field.text, values.back());
            }
            if (why) fail_at("read_csv", source, field.line, j + 1, *why);
        }
        ++n_rows;
    }
    if (n_rows == 0) {
        fail_at("read_csv", source, scanner.record_line() + (options.header ? 1 : 0), 1,
                "the file holds no data records");
    }
    const Index n_features = n_columns - (target >= 0 ? 1 : 0);
    data.X = Eigen::Map<const Matrix<T>>(values.data(), n_rows, n_features);
    if (target >= 0) data.y = Eigen::Map<const Target>(targets.data(), n_rows);
    if (options.header) {
        for (Index j = 0; j < n_columns; ++j) {
            (j == target ? data.target_names : data.feature_names).push_back(names[static_cast<std::size_t>(j)]);
        }
    }
    return data;
}

}  // namespace detail

/// Reads a CSV file of numbers (RFC 4180: double-quoted fields may hold the delimiter, line
/// breaks and "" for a quote; spaces around fields are ignored; blank lines are skipped).
/// With `header`, the first record names the columns: `feature_names` gets the features' names
/// and `target_names` the target column's name (as scikit-learn's `fetch_openml`). `Target` is
/// `Vector<T>` (regression) or `Labels` (integer labels, e.g. "1" or "2.0"). Cells are parsed
/// exactly (std::from_chars into T; "+1", "nan" and "inf" are read; empty cells are not).
/// Throws io_error naming the line and column (field number, from 1) of a ragged record, a cell
/// that is not a number, an unclosed quote, a repeated header name, a missing file or one with
/// no data; invalid_parameter for an impossible delimiter.
template <std::floating_point T = double, target_for<T> Target = Vector<T>>
Dataset<T, Target> read_csv(const std::string& path, const CsvOptions& options = {}) {
    return detail::parse_csv<T, Target>(detail::read_file(path, "read_csv"), options, path);
}

}  // namespace kestrel::io
