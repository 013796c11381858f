#pragma once
// Reference numbers written by tests/reference/*.py (scikit-learn and friends), read back here.
//
// A fixture is a text file under tests/reference/: '#' lines are comments (provenance), then a
// line "shape ROWS COLS", then ROWS lines of COLS numbers printed with 17 significant digits.

#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <kestrel/core/types.hpp>

namespace kestrel::test {

inline std::string reference_path(const std::string& name) { return std::string(KESTREL_REFERENCE_DIR) + "/" + name; }

/// The fixture `name` (a path below tests/reference/, e.g. "linear_model/ridge_coef.txt").
inline Matrix<double> fixture(const std::string& name) {
    const std::string path = reference_path(name);
    std::ifstream in(path);
    if (!in) throw std::runtime_error("missing fixture " + path + ": run tests/reference/generate.py");
    std::string line;
    Index rows = -1, cols = -1;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream head(line);
        std::string word;
        head >> word >> rows >> cols;
        if (word != "shape" || rows < 0 || cols < 0) throw std::runtime_error("bad fixture header in " + path);
        break;
    }
    Matrix<double> m(rows, cols);
    for (Index i = 0; i < rows; ++i) {
        for (Index j = 0; j < cols; ++j) {
            std::string token;
            if (!(in >> token)) throw std::runtime_error("truncated fixture " + path);
            m(i, j) = std::stod(token);  // stod reads nan/inf too
        }
    }
    return m;
}

/// A fixture as a column vector (any shape, read row by row).
inline Vector<double> fixture_vector(const std::string& name) {
    const Matrix<double> m = fixture(name);
    return Eigen::Map<const Vector<double>>(m.data(), m.size());
}

/// A fixture of integers (labels) as a Labels vector.
inline Labels fixture_labels(const std::string& name) {
    const Vector<double> v = fixture_vector(name);
    Labels out(v.size());
    for (Index i = 0; i < v.size(); ++i) out[i] = static_cast<int>(std::lround(v[i]));
    return out;
}

/// A 1×1 fixture as a number.
inline double fixture_scalar(const std::string& name) {
    const Matrix<double> m = fixture(name);
    if (m.size() != 1) throw std::runtime_error("fixture " + name + " is not a single number");
    return m(0, 0);
}

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

/// max |a − b| over all entries (infinity on a shape mismatch).
template <class A, class B>
double max_abs_error(const A& a, const B& b) {
    if (a.rows() != b.rows() || a.cols() != b.cols()) return INFINITY;
    return (a.template cast<double>() - b.template cast<double>()).cwiseAbs().maxCoeff();
}

}  // namespace kestrel::test
