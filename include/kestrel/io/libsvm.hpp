#pragma once
/// \file
/// read_libsvm: the sparse text format of libsvm, liblinear and svmlight, densified.

#include <algorithm>
#include <charconv>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <Eigen/Core>

#include "../core/dataset.hpp"
#include "../core/error.hpp"
#include "../core/types.hpp"
#include "detail/text.hpp"
#include "target.hpp"

namespace kestrel::io {

/// How read_libsvm reads a file.
struct LibsvmOptions {
    /// The number of features; absent: the largest index in the file (at most 2^31 - 1).
    /// An index above it is an error.
    std::optional<Index> n_features{};
};

namespace detail {

/// A libsvm file as parsed, before densifying: compressed sparse rows with 0-based columns.
template <class T, class Label>
struct SparseRows {
    std::vector<Label> targets;
    std::vector<std::size_t> row_start{0};
    std::vector<Index> columns;
    std::vector<T> values;
    Index n_features = 0;
};

/// The libsvm text (one sample a line: `label index:value ...`, indices from 1 and increasing;
/// `#` starts a comment; svmlight's `qid:n` is skipped) as sparse rows. `source` names it in errors.
template <std::floating_point T, class Label>
SparseRows<T, Label> parse_libsvm(std::string_view text, const LibsvmOptions& options, std::string_view source) {
    if (options.n_features && *options.n_features < 0) {
        throw invalid_parameter("read_libsvm: parameter n_features = " + std::to_string(*options.n_features) +
                                " is invalid: it must be >= 0.");
    }
    const Index limit = options.n_features.value_or(std::numeric_limits<std::int32_t>::max());
    SparseRows<T, Label> rows;
    std::size_t line_start = 0;
    for (Index line = 1; line_start < text.size(); ++line) {
        std::size_t line_end = text.find('\n', line_start);
        if (line_end == std::string_view::npos) line_end = text.size();
        std::string_view content = text.substr(line_start, line_end - line_start);
        const std::size_t comment = content.find('#');
        if (comment != std::string_view::npos) content = content.substr(0, comment);

        std::size_t pos = 0;
        bool has_label = false;
        Index previous = 0;
        for (;;) {
            while (pos < content.size() && (content[pos] == ' ' || content[pos] == '\t' || content[pos] == '\r')) ++pos;
            if (pos >= content.size()) break;
            const std::size_t begin = pos;
            while (pos < content.size() && content[pos] != ' ' && content[pos] != '\t' && content[pos] != '\r') ++pos;
            const std::string_view token = content.substr(begin, pos - begin);
            const Index column = static_cast<Index>(begin) + 1;
            if (!has_label) {
                rows.targets.emplace_back();
                if (auto why = parse_target(token, rows.targets.back()))
                    fail_at("read_libsvm", source, line, column, *why);
                has_label = true;
                continue;
            }
            const std::size_t colon = token.find(':');
            if (colon == std::string_view::npos) {
                fail_at("read_libsvm", source, line, column, shown(token) + " is not index:value");
            }
            const std::string_view key = token.substr(0, colon), value_text = token.substr(colon + 1);
            if (key == "qid") continue;
            Index index = 0;
            const auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), index);
            if (error != std::errc() || end != key.data() + key.size() || key.empty() || key.front() == '-') {
                fail_at("read_libsvm", source, line, column, shown(key) + " is not a feature index");
            }
            if (index < 1) fail_at("read_libsvm", source, line, column, "feature indices start at 1, got 0");
            if (index > limit) {
                fail_at("read_libsvm", source, line, column,
                        "feature index " + std::to_string(index) + " exceeds n_features = " + std::to_string(limit));
            }
            if (index <= previous) {
                fail_at("read_libsvm", source, line, column,
                        "feature index " + std::to_string(index) + " does not increase (previous " +
                            std::to_string(previous) + ")");
            }
            previous = index;
            rows.values.emplace_back();
            if (auto why = parse_number(value_text, rows.values.back())) {
                fail_at("read_libsvm", source, line, column + static_cast<Index>(colon) + 1, *why);
            }
            rows.columns.push_back(index - 1);
            rows.n_features = std::max(rows.n_features, index);
        }
        if (has_label) rows.row_start.push_back(rows.columns.size());
        line_start = line_end + 1;
    }
    if (options.n_features) rows.n_features = *options.n_features;
    return rows;
}

/// The sparse rows as a dense Dataset; io_error when that matrix cannot be held in memory.
template <std::floating_point T, class Target>
Dataset<T, Target> densify(const SparseRows<T, typename Target::Scalar>& rows, std::string_view source) {
    const Index n = static_cast<Index>(rows.targets.size()), d = rows.n_features;
    if (d > 0 && n > std::numeric_limits<Index>::max() / static_cast<Index>(sizeof(T)) / d) {
        fail("read_libsvm", source,
             "a dense " + std::to_string(n) + " x " + std::to_string(d) + " matrix is too large");
    }
    Dataset<T, Target> data;
    try {
        data.X.setZero(n, d);
    } catch (const std::bad_alloc&) {
        fail("read_libsvm", source,
             "cannot allocate the dense " + std::to_string(n) + " x " + std::to_string(d) + " matrix");
    }
    for (Index i = 0; i < n; ++i) {
        for (std::size_t k = rows.row_start[static_cast<std::size_t>(i)];
             k < rows.row_start[static_cast<std::size_t>(i) + 1]; ++k) {
            data.X(i, rows.columns[k]) = rows.values[k];
        }
    }
    data.y = Eigen::Map<const Target>(rows.targets.data(), n);
    return data;
}

}  // namespace detail

/// Reads the libsvm / liblinear / svmlight sparse text format into a dense Dataset: one sample
/// a line, `label index:value index:value ...` with indices from 1 and strictly increasing;
/// missing entries are 0; `#` starts a comment; blank lines and svmlight's `qid:n` are skipped.
/// `Target` is `Vector<T>` (regression) or `Labels` (integer labels such as "+1", "-1", "3").
/// Throws io_error naming the line and character column of a bad label, index or value, an index
/// that is 0, repeated, decreasing or above `n_features`, a missing file, or a dense matrix too
/// large to allocate.
template <std::floating_point T = double, target_for<T> Target = Vector<T>>
Dataset<T, Target> read_libsvm(const std::string& path, const LibsvmOptions& options = {}) {
    const auto rows =
        detail::parse_libsvm<T, typename Target::Scalar>(detail::read_file(path, "read_libsvm"), options, path);
    return detail::densify<T, Target>(rows, path);
}

}  // namespace kestrel::io
