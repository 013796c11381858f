#pragma once
/// \file
/// save / load: fitted estimators and pipelines to and from model files.
///
/// A model file is an uncompressed .npz archive that NumPy opens as it is (`np.load(path)`):
/// - `kestrel/format` (int64, this is format 1), `kestrel/version` (the kestrel that wrote it),
///   `kestrel/estimator` (its class name, "LogisticRegression") and `kestrel/scalar`
///   ("float32" or "float64");
/// - `params/<name>` for each hyperparameter, under scikit-learn's name and spelling (an enum
///   as its string, None as an empty array);
/// - the fitted state under scikit-learn's attribute names (`n_features_in_`, `coef_`,
///   `intercept_`, `classes_`, `cluster_centers_`, ...), in the estimator's scalar type;
/// - a pipeline: `kestrel/estimator` "Pipeline", `steps` (the step names, as make_pipeline gives
///   them) and each step's members under `steps/<i>/`.
/// The archive's comment, the last 22 bytes of the file, is "kestrel crc32 " and eight hex
/// digits: the CRC-32 of every byte after the leading zip magic and before those digits, so a
/// changed or missing byte anywhere is refused before anything is parsed.

#include <concepts>
#include <cstdint>
#include <fstream>
#include <istream>
#include <limits>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "../core/concepts.hpp"
#include "../core/error.hpp"
#include "../core/print.hpp"
#include "../core/types.hpp"
#include "../core/version.hpp"
#include "detail/model_archive.hpp"
#include "detail/text.hpp"
#include "detail/zip.hpp"

namespace kestrel::pipeline {
template <estimator... Steps>
class Pipeline;
}  // namespace kestrel::pipeline

namespace kestrel {
namespace detail {

struct persistence_access {
    template <class E, class Archive>
    static void persist(E& e, Archive& a) {
        e.persist(a);
    }
    template <class E>
    static Index& n_features_in(E& e) {
        return static_cast<typename E::base_type&>(e).n_features_in_;
    }
};

}  // namespace detail

namespace io {

/// The model file format this kestrel writes, and the only one it reads.
inline constexpr std::int64_t model_format_version = 1;

namespace detail {

template <class E>
struct is_pipeline : std::false_type {};
template <class... Steps>
struct is_pipeline<pipeline::Pipeline<Steps...>> : std::true_type {};

inline constexpr std::string_view checksum_prefix = "kestrel crc32 ";
inline constexpr std::size_t checksum_comment_size = 22;  // the prefix and eight hex digits

/// The checksum a model file ends with: the CRC-32 of every byte after the zip magic and before
/// the eight hex digits that hold it, as those digits.
inline std::string model_checksum(std::string_view file) {
    return hex32(crc32(0, file.substr(4, file.size() - 12))).substr(2);
}

/// The members of one estimator (not a pipeline): header, Params, fitted state.
template <class E>
void save_members(const E& model, model_saver& out) {
    using T = scalar_of<E>;
    if (!model.is_fitted()) {
        throw not_fitted(std::string("kestrel::io::save: this ") + std::string(E::name) +
                         " is not fitted: only a fitted estimator is saved (call fit first)");
    }
    out.value("kestrel/estimator", std::string(E::name));
    out.value("kestrel/scalar", std::string(scalar_name<T>()));
    typename E::Params params = model.params();
    model_saver params_out = out.nested("params/");
    E::Params::fields(params, [&](std::string_view name, const auto& field) { params_out.value(name, field); });
    E copy = model;  // persist() is written once for both directions, on a mutable object
    const Index d = kestrel::detail::persistence_access::n_features_in(copy);
    out.value("n_features_in_", d);
    model_saver state = out.with_features(d);
    kestrel::detail::persistence_access::persist(copy, state);
}

template <class E>
E load_members(const model_loader& in, const model_contents& contents) {
    using T = scalar_of<E>;
    std::string estimator, scalar;
    model_loader header = in;
    header.value("kestrel/estimator", estimator);
    if (estimator != E::name && !header.has("kestrel/scalar")) {
        fail("kestrel::io::load", contents.source,
             "the file holds a " + estimator + ", not the " + std::string(E::name) + " asked for");
    }
    header.value("kestrel/scalar", scalar);
    if (estimator != E::name || scalar != scalar_name<T>()) {
        fail("kestrel::io::load", contents.source,
             "the file holds a " + estimator + " of " + scalar + ", not the " + std::string(E::name) + " of " +
                 std::string(scalar_name<T>()) + " asked for");
    }
    typename E::Params params{};
    model_loader params_in = in.nested("params/");
    E::Params::fields(params, [&](std::string_view name, auto& field) {
        // A list parameter that came after a file was written (the trees' monotonic_cst) is
        // absent from it: its default, empty, stands.
        if constexpr (std::is_same_v<std::remove_cvref_t<decltype(field)>, std::vector<int>>) {
            if (!params_in.has(name)) return;
        }
        params_in.value(name, field);
    });
    try {
        params.validate();
    } catch (const invalid_parameter& e) {
        fail("kestrel::io::load", contents.source, std::string("the file's parameters are invalid: ") + e.what());
    }
    E model(params);
    Index d = 0;
    header.value("n_features_in_", d);
    header.require(d >= 1 && d <= std::numeric_limits<std::int32_t>::max(), "n_features_in_ must lie in [1, 2^31 - 1]");
    model_loader state = in.with_features(d);
    kestrel::detail::persistence_access::persist(model, state);
    kestrel::detail::persistence_access::n_features_in(model) = d;
    return model;
}

/// The number of columns a fitted pipeline step's transform gives.
template <class S>
Index output_width(const S& step) {
    if constexpr (requires { step.n_features_out(); }) {
        return step.n_features_out();
    } else if constexpr (requires { step.cluster_centers(); }) {
        return step.cluster_centers().rows();  // distances to each centre
    } else {
        return step.n_features_in();
    }
}

template <class E>
void save_model(const E& model, model_saver& out) {
    if constexpr (is_pipeline<E>::value) {
        out.value("kestrel/estimator", std::string("Pipeline"));
        out.strings("steps", E::step_names());
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (
                [&] {
                    model_saver step = out.nested("steps/" + std::to_string(I) + "/");
                    save_members(model.template step<I>(), step);
                }(),
                ...);
        }
        (std::make_index_sequence<E::size()>{});
    } else {
        save_members(model, out);
    }
}

template <class E>
E load_model(const model_loader& in, const model_contents& contents) {
    if constexpr (is_pipeline<E>::value) {
        std::string estimator;
        model_loader header = in;
        header.value("kestrel/estimator", estimator);
        if (estimator != "Pipeline") {
            fail("kestrel::io::load", contents.source, "the file holds a " + estimator + ", not a Pipeline");
        }
        std::vector<std::string> names;
        header.strings("steps", names);
        if (names.size() != E::size()) {
            fail("kestrel::io::load", contents.source,
                 "the file's pipeline has " + std::to_string(names.size()) + " steps, the one asked for " +
                     std::to_string(E::size()));
        }
        E model = [&]<std::size_t... I>(std::index_sequence<I...>) {
            return E(load_members<std::remove_cvref_t<decltype(std::declval<const E&>().template step<I>())>>(
                in.nested("steps/" + std::to_string(I) + "/"), contents)...);
        }
        (std::make_index_sequence<E::size()>{});
        // Each step must take as many columns as the one before gives.
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (
                [&] {
                    const Index out = output_width(model.template step<I>());
                    const Index width = model.template step<I + 1>().n_features_in();
                    if (out != width) {
                        fail("kestrel::io::load", contents.source,
                             "pipeline step " + std::to_string(I) + " gives " + std::to_string(out) +
                                 " columns, but step " + std::to_string(I + 1) + " was fitted with " +
                                 std::to_string(width));
                    }
                }(),
                ...);
        }
        (std::make_index_sequence<E::size() - 1>{});
        return model;
    } else {
        return load_members<E>(in, contents);
    }
}

/// A model file of `members`, in order: a stored zip, then the checksum comment.
inline std::string model_archive_bytes(const std::vector<model_member>& members) {
    std::ostringstream bytes(std::ios::binary);
    ZipWriter zip(bytes);
    for (const model_member& member : members) {
        zip.begin(member.name + ".npy", member.bytes.size());
        zip.write(member.bytes);
        zip.end();
    }
    zip.finish(std::string(checksum_prefix) + "00000000");
    std::string file = std::move(bytes).str();
    file.replace(file.size() - 8, 8, model_checksum(file));
    return file;
}

/// The whole model file of a fitted estimator or pipeline.
template <class E>
std::string model_file_bytes(const E& model) {
    std::vector<model_member> members;
    model_saver out(members, "", 0);
    out.value("kestrel/format", model_format_version);
    out.value("kestrel/version", std::string(kestrel::version));
    save_model(model, out);
    return model_archive_bytes(members);
}

/// Checks the magic and the checksum, then parses every member.
inline model_contents parse_model_file(std::string bytes, std::string source) {
    const auto refuse = [&](const std::string& what) { fail("kestrel::io::load", source, what); };
    if (bytes.size() >= 6 && bytes.compare(0, 6, "\x93NUMPY") == 0) {
        refuse("this is a .npy file, not a kestrel model file");
    }
    if (bytes.size() < 4 || bytes.compare(0, 4, "PK\x03\x04") != 0) {
        refuse("not a kestrel model file (it does not start with the zip magic PK\\3\\4)");
    }
    constexpr std::size_t record = 22;  // the end-of-central-directory record before the comment
    const std::size_t tail = record + checksum_comment_size;
    if (bytes.size() < 4 + tail || bytes.compare(bytes.size() - tail, 4, "PK\x05\x06") != 0 ||
        bytes.compare(bytes.size() - checksum_comment_size, checksum_prefix.size(), checksum_prefix) != 0) {
        refuse(
            "the file does not end with kestrel's checksum: it is truncated, or a zip / .npz archive that kestrel "
            "did not write");
    }
    [[maybe_unused]] const std::string recorded = bytes.substr(bytes.size() - 8);
    [[maybe_unused]] const std::string computed = model_checksum(bytes);
    // Fuzzing builds skip the comparison, so that mutated inputs reach the parsers behind it.
#if !defined(FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION)
    if (recorded != computed) {
        refuse("checksum mismatch (recorded " + shown(recorded) + ", computed " + shown(computed) +
               "): the file is corrupt, a byte of it has changed");
    }
#endif
    model_contents contents;
    contents.source = source;
    std::istringstream in(std::move(bytes), std::ios::binary);
    ZipReader zip(in, "kestrel::io::load", contents.source);
    for (const ZipEntry& entry : zip.entries()) {
        const std::string key = npz_key(entry.name);
        auto [at, inserted] = contents.members.try_emplace(key);
        if (!inserted) refuse("two members are named " + shown(key));
        at->second.first = zip.read(entry);
        const std::string member = contents.source + ", member " + shown(entry.name);
        at->second.second = parse_npy(at->second.first, {.reader = "kestrel::io::load", .name = member, .text = true});
    }
    return contents;
}

}  // namespace detail

/// Writes a fitted estimator or pipeline to `out` as a model file (see the file comment).
/// Throws not_fitted for an estimator that is not fitted, io_error when the stream fails.
template <class E>
void save(const E& model, std::ostream& out) {
    const std::string bytes = detail::model_file_bytes(model);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw io_error("kestrel::io::save: writing the model to the stream failed");
}

/// Writes a fitted estimator or pipeline to the file `path`, replacing it.
template <class E>
void save(const E& model, const std::string& path) {
    const std::string bytes = detail::model_file_bytes(model);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) detail::fail("kestrel::io::save", path, "cannot open the file for writing");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) detail::fail("kestrel::io::save", path, "writing the file failed");
}

namespace detail {

template <class E>
E load_bytes(std::string bytes, std::string source) {
    const model_contents contents = parse_model_file(std::move(bytes), std::move(source));
    model_loader in(contents, "", 0);
    std::int64_t format = 0;
    std::string version;
    in.value("kestrel/format", format);
    in.value("kestrel/version", version);
    if (format != model_format_version) {
        fail("kestrel::io::load", contents.source,
             "the file is in model format " + std::to_string(format) + ", written by kestrel " + version +
                 "; this kestrel (" + kestrel::version + ") reads format " + std::to_string(model_format_version));
    }
    return load_model<E>(in, contents);
}

}  // namespace detail

/// Reads a model of type E (an estimator or pipeline, with its scalar) from the file `path`.
/// Throws io_error, naming what is wrong, for a missing, truncated or corrupt file, a file of
/// another estimator, scalar or format version, and any member whose dtype, shape or values
/// the estimator cannot hold.
template <class E>
E load(const std::string& path) {
    return detail::load_bytes<E>(detail::read_file(path, "kestrel::io::load"), path);
}

/// As load(path), reading `in` to its end.
template <class E>
E load(std::istream& in) {
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw io_error("kestrel::io::load: <stream>: reading the stream failed");
    return detail::load_bytes<E>(std::move(bytes), "<stream>");
}

}  // namespace io
}  // namespace kestrel
