#pragma once
// Reference numbers written by tests/reference/*.py (scikit-learn and friends), read back here.
//
// A case is one file tests/reference/<module>/<case>.npz (what np.savez writes) holding the case's
// named arrays, numbers as float64 and text as NumPy strings, and a text member "provenance" (the
// script that wrote it and the versions it ran with). kestrel::io reads it.

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <kestrel/core/types.hpp>
#include <kestrel/io/npz.hpp>

namespace kestrel::test {

inline std::string reference_path(const std::string& name) {
    std::string path = KESTREL_REFERENCE_DIR;
    path += '/';
    path += name;
    return path;
}

/// The case file tests/reference/<name>.npz, e.g. fixture_case("cluster/digits_lloyd"). Each
/// accessor returns a copy (so that `fixture_case(...).matrix(...)` is safe to keep) and throws
/// std::runtime_error naming the file and the member when the member is missing.
class FixtureCase {
public:
    explicit FixtureCase(const std::string& name) : path_(reference_path(name + ".npz")) {
        if (!std::filesystem::exists(path_)) {
            throw std::runtime_error("missing fixture " + path_ + ": run tests/reference/generate.py");
        }
        arrays_ = io::load_npz<double>(path_);
        texts_ = io::load_npz_strings(path_);
    }

    /// A numeric member as a matrix (1-D arrays are a column, scalars 1×1).
    [[nodiscard]] Matrix<double> matrix(const std::string& member) const { return find(arrays_, member); }

    /// A numeric member as a column vector (any shape, read row by row).
    [[nodiscard]] Vector<double> vector(const std::string& member) const {
        const Matrix<double>& m = find(arrays_, member);
        return Eigen::Map<const Vector<double>>(m.data(), m.size());
    }

    /// A numeric member of integers (labels) as a Labels vector.
    [[nodiscard]] Labels labels(const std::string& member) const {
        const Matrix<double>& m = find(arrays_, member);
        Labels out(m.size());
        for (Index i = 0; i < m.size(); ++i) out[i] = static_cast<int>(std::lround(m.data()[i]));
        return out;
    }

    /// A numeric member of one element as a number.
    [[nodiscard]] double scalar(const std::string& member) const {
        const Matrix<double>& m = find(arrays_, member);
        if (m.size() != 1) throw std::runtime_error("fixture " + path_ + ": member " + member + " is not one number");
        return m(0, 0);
    }

    /// A text member: a list of strings (one string for a NumPy 0-D string).
    [[nodiscard]] std::vector<std::string> strings(const std::string& member) const { return find(texts_, member); }

    /// A text member of one string.
    [[nodiscard]] std::string text(const std::string& member) const {
        const std::vector<std::string>& all = find(texts_, member);
        if (all.size() != 1) throw std::runtime_error("fixture " + path_ + ": member " + member + " is not one string");
        return all.front();
    }

private:
    template <class Value>
    const Value& find(const std::map<std::string, Value>& members, const std::string& member) const {
        const auto found = members.find(member);
        if (found == members.end()) {
            std::string have;
            for (const auto& [name, value] : arrays_) have += " " + name;
            for (const auto& [name, value] : texts_) have += " " + name;
            throw std::runtime_error("fixture " + path_ + " has no member " + member + " of that kind (it has:" + have +
                                     ")");
        }
        return found->second;
    }

    std::string path_;
    std::map<std::string, Matrix<double>> arrays_;
    std::map<std::string, std::vector<std::string>> texts_;
};

/// The case `name`, a path below tests/reference/ without ".npz" (e.g. "linear_model/ridge").
inline FixtureCase fixture_case(const std::string& name) { return FixtureCase(name); }

/// max |a − b| / max(|b|, floor) over all entries: the relative error that parity tests bound.
template <class A, class B>
double max_relative_error(const A& a, const B& b, double floor = 1e-300) {
    if (a.rows() != b.rows() || a.cols() != b.cols()) return INFINITY;
    double worst = 0;
    for (Index i = 0; i < a.rows(); ++i) {
        for (Index j = 0; j < a.cols(); ++j) {
            const double x = static_cast<double>(a(i, j));
            const double y = static_cast<double>(b(i, j));
            worst = std::max(worst, std::abs(x - y) / std::max(std::abs(y), floor));
        }
    }
    return worst;
}

/// As max_relative_error, for outputs that hold NaN (missing values): NaN matches only NaN, any
/// other pairing with NaN is an infinite error.
template <class A, class B>
double nan_aware_error(const A& a, const B& b, double floor = 1e-300) {
    if (a.rows() != b.rows() || a.cols() != b.cols()) return INFINITY;
    double worst = 0;
    for (Index i = 0; i < a.rows(); ++i) {
        for (Index j = 0; j < a.cols(); ++j) {
            const double x = static_cast<double>(a(i, j)), y = static_cast<double>(b(i, j));
            if (std::isnan(x) || std::isnan(y)) {
                if (std::isnan(x) != std::isnan(y)) return INFINITY;
                continue;
            }
            worst = std::max(worst, std::abs(x - y) / std::max(std::abs(y), floor));
        }
    }
    return worst;
}

/// max |a − b| over all entries (infinity on a shape mismatch).
template <class A, class B>
double max_abs_error(const A& a, const B& b) {
    if (a.rows() != b.rows() || a.cols() != b.cols()) return INFINITY;
    return (a.template cast<double>() - b.template cast<double>()).cwiseAbs().maxCoeff();
}

/// Equal sizes and entries (Eigen's == asserts on a size mismatch).
inline bool same(const Labels& a, const Labels& b) { return a.size() == b.size() && a == b; }

/// The bytes of the file at `path` (empty when it cannot be read).
inline std::string bytes_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace kestrel::test
