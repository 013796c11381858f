#pragma once
/// \file
/// The two sides of a model file's contents: `model_saver` turns an estimator's Params and fitted
/// state into .npy members, `model_loader` reads them back, checking every member's dtype, shape
/// and values against what the estimator expects. An estimator describes its state once, in a
/// `persist(archive)` function that both run:
/// ```cpp
/// template <class Archive>
/// void persist(Archive& a) {
///     a.labels("classes_", classes_);                       // any length, sorted and distinct
///     const Index K = classes_.size(), d = a.n_features();
///     a.matrix("coef_", coef_, K > 2 ? K : 1, d);           // this shape, finite
///     a.require(K >= 2, "classes_ holds fewer than two classes");
/// }
/// ```

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "../../core/params.hpp"
#include "../../core/types.hpp"
#include "../../core/weights.hpp"
#include "../npy.hpp"
#include "../npz.hpp"
#include "text.hpp"

namespace kestrel::detail {
/// Reaches the private `persist` of estimators (each befriends it) and their feature count.
struct persistence_access;
}  // namespace kestrel::detail

namespace kestrel::io::detail {

/// "float32" or "float64", as NumPy names T.
template <std::floating_point T>
constexpr std::string_view scalar_name() {
    return sizeof(T) == 4 ? "float32" : "float64";
}

/// A .npy member of a model file: its name in the archive (without ".npy") and its bytes.
struct model_member {
    std::string name;
    std::string bytes;
};

/// Writes Params and fitted state as .npy members: floating arrays in T's dtype, integers as
/// int64, bools as bool, names as unicode strings, each scalar 0-D.
class model_saver {
public:
    static constexpr bool loading = false;

    model_saver(std::vector<model_member>& members, std::string prefix, Index n_features)
        : members_(members), prefix_(std::move(prefix)), n_features_(n_features) {}

    [[nodiscard]] Index n_features() const noexcept { return n_features_; }
    [[nodiscard]] model_saver nested(const std::string& prefix) const {
        return {members_, prefix_ + prefix, n_features_};
    }
    [[nodiscard]] model_saver with_features(Index d) const { return {members_, prefix_, d}; }

    /// A hyperparameter or fitted scalar.
    template <class V>
    void value(std::string_view name, const V& v) {
        if constexpr (std::is_same_v<V, bool>) {
            put(name, "|b1", "()", std::string(1, v ? '\1' : '\0'));
        } else if constexpr (std::is_same_v<V, std::uint64_t>) {
            // Seeds may pass int64's range: written as their decimal digits.
            text(name, std::to_string(v));
        } else if constexpr (std::is_integral_v<V>) {
            put(name, "<i8", "()", scalar_bytes(static_cast<std::int64_t>(v)));
        } else if constexpr (std::is_floating_point_v<V>) {
            put(name, sizeof(V) == 4 ? "<f4" : "<f8", "()", scalar_bytes(v));
        } else if constexpr (named_enum<V>) {
            text(name, enum_name(v));
        } else if constexpr (std::is_same_v<V, std::string>) {
            text(name, v);
        } else if constexpr (std::is_same_v<V, std::vector<int>>) {
            integers(name, v);
        } else if constexpr (std::is_same_v<V, std::vector<std::vector<int>>>) {
            // Groups of indices, each followed by -1.
            std::vector<int> flat;
            for (const std::vector<int>& group : v) {
                flat.insert(flat.end(), group.begin(), group.end());
                flat.push_back(-1);
            }
            integers(name, flat);
        } else if constexpr (std::is_same_v<V, ClassWeight>) {
            // scikit-learn's None, 'balanced', or its dict as (label, weight) rows.
            if (v.is_balanced()) {
                text(name, "balanced");
            } else {
                if (v.is_none()) {
                    absent(name);
                } else {
                    Matrix<double> pairs(static_cast<Index>(v.per_class().size()), 2);
                    for (std::size_t i = 0; i < v.per_class().size(); ++i) {
                        pairs(static_cast<Index>(i), 0) = v.per_class()[i].first;
                        pairs(static_cast<Index>(i), 1) = v.per_class()[i].second;
                    }
                    array(name, pairs);
                }
            }
        } else {
            // std::optional: absent is an empty array (None in the converter).
            static_assert(
                requires { v.has_value(); }, "model_saver::value: unsupported type");
            if (v) {
                value(name, *v);
            } else {
                absent(name);
            }
        }
    }

    /// A floating matrix or vector (T's dtype; a vector is 1-D). The shape arguments are what a
    /// loader checks; saving ignores them.
    template <class Derived>
    void matrix(std::string_view name, const Eigen::MatrixBase<Derived>& m, Index = -1, Index = -1) {
        array(name, m);
    }
    template <class Derived>
    void vector(std::string_view name, const Eigen::MatrixBase<Derived>& v, Index = -1) {
        array(name, v);
    }
    /// Integer labels or indices, as int64.
    void labels(std::string_view name, const Labels& l, Index = -1, bool = true) {
        array(name, Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1>(l.cast<std::int64_t>()));
    }
    template <std::integral I>
    void integers(std::string_view name, const std::vector<I>& values, Index = -1) {
        Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> out(static_cast<Index>(values.size()));
        for (std::size_t i = 0; i < values.size(); ++i) out[static_cast<Index>(i)] = values[i];
        array(name, out);
    }
    /// A list of names, as a 1-D unicode array.
    void strings(std::string_view name, const std::vector<std::string>& values) {
        std::size_t longest = 1;
        for (const std::string& s : values) longest = std::max(longest, s.size());
        std::string data;
        for (const std::string& s : values) data += utf32(s, longest);
        put(name, "<U" + std::to_string(longest), "(" + std::to_string(values.size()) + ",)", data);
    }
    /// A rule of the loaded state; nothing to check when saving.
    void require(bool, std::string_view) const noexcept {}

private:
    template <class Derived>
    void array(std::string_view name, const Eigen::DenseBase<Derived>& a) {
        std::string bytes = npy_preamble(a, "kestrel::io::save", name);
        put_npy_data(a, [&](const char* data, std::size_t size) { bytes.append(data, size); });
        members_.push_back({prefix_ + std::string(name), std::move(bytes)});
    }
    void absent(std::string_view name) { put(name, "<f8", "(0,)", ""); }
    void text(std::string_view name, std::string_view s) {
        put(name, "<U" + std::to_string(std::max<std::size_t>(s.size(), 1)), "()",
            utf32(s, std::max<std::size_t>(s.size(), 1)));
    }
    void put(std::string_view name, std::string_view descr, std::string_view shape, const std::string& data) {
        std::string bytes = npy_preamble(descr, shape, "kestrel::io::save", name);
        members_.push_back({prefix_ + std::string(name), bytes + data});
    }
    // One number's .npy data, written as every array's is.
    template <npy_scalar V>
    static std::string scalar_bytes(V v) {
        std::string out;
        put_npy_data(Eigen::Matrix<V, 1, 1>::Constant(v),
                     [&](const char* data, std::size_t size) { out.append(data, size); });
        return out;
    }
    // ASCII text (every name kestrel writes) as `width` UTF-32LE code units, NUL-padded.
    static std::string utf32(std::string_view s, std::size_t width) {
        std::string out;
        for (std::size_t i = 0; i < width; ++i) {
            const char c = i < s.size() ? s[i] : '\0';
            out.push_back(c);
            out.append(3, '\0');
        }
        return out;
    }

    std::vector<model_member>& members_;
    std::string prefix_;
    Index n_features_;
};

/// The parsed members of a model file, shared by the loaders of its (nested) estimators.
struct model_contents {
    std::string source;  ///< the file, or "<stream>", for messages
    std::map<std::string, std::pair<std::string, NpyArray>> members;
};

/// Reads Params and fitted state back, refusing with io_error any member that is missing, of
/// another dtype or shape than the estimator expects, or holds a value it cannot hold.
class model_loader {
public:
    static constexpr bool loading = true;

    model_loader(const model_contents& contents, std::string prefix, Index n_features)
        : contents_(contents), prefix_(std::move(prefix)), n_features_(n_features) {}

    [[nodiscard]] Index n_features() const noexcept { return n_features_; }
    [[nodiscard]] model_loader nested(const std::string& prefix) const {
        return {contents_, prefix_ + prefix, n_features_};
    }
    [[nodiscard]] model_loader with_features(Index d) const { return {contents_, prefix_, d}; }
    [[nodiscard]] bool has(std::string_view name) const {
        return contents_.members.count(prefix_ + std::string(name)) > 0;
    }

    template <class V>
    void value(std::string_view name, V& v) {
        const NpyArray& a = member(name);
        if constexpr (std::is_same_v<V, bool>) {
            scalar_of_kind(name, a, 'b', "a bool");
            v = a.data[0] != 0;
            if (static_cast<unsigned char>(a.data[0]) > 1) bad(name, "holds a bool that is not 0 or 1");
        } else if constexpr (std::is_same_v<V, std::uint64_t>) {
            const std::string digits = text(name, a);
            std::uint64_t parsed = 0;
            const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), parsed);
            if (digits.empty() || error != std::errc() || end != digits.data() + digits.size()) {
                bad(name, "should hold an unsigned 64-bit integer in decimal, not " + shown(digits));
            }
            v = parsed;
        } else if constexpr (std::is_integral_v<V>) {
            scalar_of_kind(name, a, 'i', "an integer");
            const std::int64_t x = npy_matrix<std::int64_t>(a, where(name))(0, 0);
            if (!std::in_range<V>(x)) {
                bad(name, "holds " + std::to_string(x) + ", out of the range of its type");
            }
            v = static_cast<V>(x);
        } else if constexpr (std::is_floating_point_v<V>) {
            scalar_of_kind(name, a, 'f', "a floating-point number");
            v = npy_matrix<V>(a, where(name))(0, 0);
            if (!std::isfinite(v)) bad(name, "is not finite");
        } else if constexpr (named_enum<V>) {
            const std::string s = text(name, a);
            const std::optional<V> parsed = enum_value<V>(s);
            if (!parsed) {
                std::string known;
                for (const auto& [value, spelling] : enum_names(V{})) {
                    known += (known.empty() ? "" : ", ") + std::string(spelling);
                }
                bad(name, "holds " + shown(s) + ", which is none of its values (" + known + ")");
            }
            v = *parsed;
        } else if constexpr (std::is_same_v<V, std::string>) {
            v = text(name, a);
        } else if constexpr (std::is_same_v<V, std::vector<int>>) {
            integers(name, v);
        } else if constexpr (std::is_same_v<V, std::vector<std::vector<int>>>) {
            std::vector<int> flat;
            integers(name, flat);
            v.clear();
            std::vector<int> group;
            for (int x : flat) {
                if (x == -1) {
                    v.push_back(std::move(group));
                    group.clear();
                } else if (x < 0) {
                    bad(name, "holds " + std::to_string(x) + "; it should hold indices >= 0, each group ended by -1");
                } else {
                    group.push_back(x);
                }
            }
            if (!group.empty()) bad(name, "should end its last group with -1");
        } else if constexpr (std::is_same_v<V, ClassWeight>) {
            if (a.header.is_text()) {
                const std::string s = text(name, a);
                if (s != "balanced") bad(name, "holds " + shown(s) + "; the only named class weight is \"balanced\"");
                v = ClassWeight::balanced;
            } else if (is_absent(a)) {
                v = ClassWeight::none;
            } else {
                if (a.header.shape.size() != 2) bad(name, "should be None, \"balanced\" or (label, weight) rows");
                const Matrix<double> pairs = floating<double>(name, a, -1, 2);
                ClassWeight map;
                try {
                    std::vector<std::pair<int, double>> list;
                    for (Index i = 0; i < pairs.rows(); ++i) {
                        const double label = pairs(i, 0);
                        if (!(label == std::floor(label) && std::abs(label) <= 2147483647.0)) {
                            bad(name, "holds a label that is not an integer");
                        }
                        list.emplace_back(static_cast<int>(label), pairs(i, 1));
                    }
                    map = ClassWeight(std::move(list));
                } catch (const invalid_parameter& e) {
                    bad(name, std::string("holds an invalid class weight: ") + e.what());
                }
                v = map;
            }
        } else {
            using Inner = typename V::value_type;
            if (is_absent(a)) {
                v.reset();
            } else {
                Inner inner{};
                value(name, inner);
                v = inner;
            }
        }
    }

    template <class S, int R, int C, int O>
    void matrix(std::string_view name, Eigen::Matrix<S, R, C, O>& m, Index rows, Index cols) {
        if (member(name).header.shape.size() != 2) bad(name, "should be 2-D");
        m = floating<S>(name, member(name), rows, cols);
    }
    template <class S>
    void vector(std::string_view name, Eigen::Matrix<S, Eigen::Dynamic, 1>& v, Index size) {
        const NpyArray& a = member(name);
        if (a.header.shape.size() != 1) bad(name, "should be 1-D");
        v = floating<S>(name, a, size, 1).col(0);
    }
    /// Labels: 1-D integers, `size` of them (any when −1), sorted and distinct when `sorted`.
    void labels(std::string_view name, Labels& l, Index size = -1, bool sorted = true) {
        const NpyArray& a = member(name);
        if (a.header.kind != 'i' || a.header.shape.size() != 1) bad(name, "should be a 1-D integer array");
        if (size >= 0 && static_cast<Index>(a.rows) != size) {
            bad(name, "holds " + std::to_string(a.rows) + " entries, expected " + std::to_string(size));
        }
        l = npy_matrix<std::int32_t>(a, where(name)).col(0);
        if (sorted) {
            for (Index i = 1; i < l.size(); ++i) {
                if (!(l[i - 1] < l[i])) bad(name, "should be sorted and distinct");
            }
        }
    }
    template <std::integral I>
    void integers(std::string_view name, std::vector<I>& values, Index size = -1) {
        const NpyArray& a = member(name);
        if (a.header.kind != 'i' || a.header.shape.size() != 1) bad(name, "should be a 1-D integer array");
        if (size >= 0 && static_cast<Index>(a.rows) != size) {
            bad(name, "holds " + std::to_string(a.rows) + " entries, expected " + std::to_string(size));
        }
        const Matrix<std::int64_t> wide = npy_matrix<std::int64_t>(a, where(name));
        values.clear();
        for (Index i = 0; i < wide.rows(); ++i) {
            const std::int64_t x = wide(i, 0);
            if (!std::in_range<I>(x)) {
                bad(name, "holds " + std::to_string(x) + ", out of the range of its type");
            }
            values.push_back(static_cast<I>(x));
        }
    }
    void strings(std::string_view name, std::vector<std::string>& values) {
        const NpyArray& a = member(name);
        if (!a.header.is_text() || a.header.shape.size() != 1) bad(name, "should be a 1-D array of strings");
        values = npy_strings(a, where(name));
    }
    /// A rule the loaded state must satisfy; `what` says how it is broken.
    void require(bool ok, std::string_view what) const {
        if (!ok) {
            fail("kestrel::io::load", contents_.source,
                 std::string(what) + (prefix_.empty() ? "" : " (in " + shown(prefix_) + ")"));
        }
    }

private:
    [[noreturn]] void bad(std::string_view name, const std::string& what) const {
        fail("kestrel::io::load", contents_.source, "member " + shown(prefix_ + std::string(name)) + " " + what);
    }
    NpySource where(std::string_view name) const {
        names_.push_back(contents_.source + ", member " + shown(prefix_ + std::string(name)));
        return {.reader = "kestrel::io::load", .name = names_.back(), .text = true};
    }
    const NpyArray& member(std::string_view name) const {
        const auto found = contents_.members.find(prefix_ + std::string(name));
        if (found == contents_.members.end()) bad(name, "is missing: the file is not a complete model");
        return found->second.second;
    }
    static bool is_absent(const NpyArray& a) {
        return a.header.kind == 'f' && a.header.shape.size() == 1 && a.rows == 0;
    }
    void scalar_of_kind(std::string_view name, const NpyArray& a, char kind, std::string_view what) const {
        if (a.header.kind != kind || !a.header.shape.empty()) {
            bad(name, "should be " + std::string(what) + " (0-D), not dtype " + shown(a.header.descr));
        }
    }
    std::string text(std::string_view name, const NpyArray& a) const {
        if (!a.header.is_text() || !a.header.shape.empty()) {
            bad(name, "should be a string (0-D), not dtype " + shown(a.header.descr));
        }
        return npy_strings(a, where(name)).front();
    }
    template <class S>
    Matrix<S> floating(std::string_view name, const NpyArray& a, Index rows, Index cols) const {
        if (a.header.kind != 'f') bad(name, "should be floating point, not dtype " + shown(a.header.descr));
        if ((rows >= 0 && static_cast<Index>(a.rows) != rows) || (cols >= 0 && static_cast<Index>(a.cols) != cols)) {
            bad(name, "has shape " + std::to_string(a.rows) + " x " + std::to_string(a.cols) + ", expected " +
                          (rows >= 0 ? std::to_string(rows) : "any") + " x " +
                          (cols >= 0 ? std::to_string(cols) : "any"));
        }
        Matrix<S> out = npy_matrix<S>(a, where(name));
        if (!out.allFinite()) bad(name, "holds a value that is not finite");
        return out;
    }

    const model_contents& contents_;
    std::string prefix_;
    Index n_features_;
    mutable std::deque<std::string> names_;  // keeps the names NpySource views alive
};

}  // namespace kestrel::io::detail
