#include "cases.hpp"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string_view>

#include <kestrel/core/random.hpp>
#include <kestrel/io/npy.hpp>

namespace kestrel::bench {

namespace {

template <class T>
Matrix<T> load(std::string_view name) {
    const std::filesystem::path path = std::filesystem::path(data_dir()) / (std::string(name) + ".npy");
    if (!std::filesystem::exists(path)) {
        throw std::runtime_error(path.string() + " is missing: run /usr/bin/python3 benchmarks/generate_data.py");
    }
    return io::load_npy<T>(path.string());
}

template <class T>
Vector<T> load_vector(std::string_view name) {
    const Matrix<T> m = load<T>(name);
    return Eigen::Map<const Vector<T>>(m.data(), m.size());
}

// Smoke data: the shapes of the full cases at a size that runs in milliseconds.
Matrix<double> gaussian(Index rows, Index cols, random_engine& rng) {
    Matrix<double> m(rows, cols);
    for (Index i = 0; i < m.size(); ++i) m.data()[i] = rng.normal();
    return m;
}

KMeansCase smoke_blobs(Index n, Index d, Index k, std::uint64_t seed) {
    random_engine rng(seed);
    Matrix<double> centres(k, d);
    for (Index i = 0; i < centres.size(); ++i) centres.data()[i] = rng.uniform(-10.0, 10.0);
    Matrix<double> X = 4.0 * gaussian(n, d, rng);
    for (Index i = 0; i < n; ++i) X.row(i) += centres.row(rng.index_below(k));
    KMeansCase c;
    c.X = X.cast<float>();
    c.initial_centers.resize(k, d);
    const auto rows = rng.sample_without_replacement(n, k);
    for (Index j = 0; j < k; ++j) c.initial_centers.row(j) = c.X.row(rows[static_cast<std::size_t>(j)]);
    c.n_iter = 5;
    return c;
}

Vector<double> sparse_truth(Index d, Index nnz, random_engine& rng) {
    Vector<double> w = Vector<double>::Zero(d);
    for (const Index j : rng.sample_without_replacement(d, nnz)) w(j) = rng.uniform(-10.0, 10.0);
    return w;
}

}  // namespace

bool smoke() {
    const char* flag = std::getenv("KESTREL_BENCH_SMOKE");
    return flag != nullptr && std::string_view(flag) != "" && std::string_view(flag) != "0";
}

std::string data_dir() {
    const char* dir = std::getenv("KESTREL_BENCH_DATA");
    return dir != nullptr ? dir : KESTREL_BENCH_DATA_DIR;
}

const KMeansCase& k1() {
    static const KMeansCase c = [] {
        if (smoke()) return smoke_blobs(2000, 50, 20, 1);
        return KMeansCase{load<float>("k1_X"), load<float>("k1_init"), 30};
    }();
    return c;
}

const KMeansCase& k2() {
    static const KMeansCase c = [] {
        if (smoke()) return smoke_blobs(20000, 16, 8, 2);
        return KMeansCase{load<float>("k2_X"), load<float>("k2_init"), 30};
    }();
    return c;
}

const RegressionCase& l1() {
    static const RegressionCase c = [] {
        if (!smoke()) return RegressionCase{load<double>("l1_X"), load_vector<double>("l1_y")};
        random_engine rng(3);
        RegressionCase s{gaussian(2000, 20, rng), {}};
        s.y = (s.X * sparse_truth(20, 20, rng)).array() + 3.0 + gaussian(2000, 1, rng).col(0).array();
        return s;
    }();
    return c;
}

const LassoCase& l2() {
    static const LassoCase c = [] {
        LassoCase s;
        if (!smoke()) {
            s.X = load<double>("l2_X");
            s.y = load_vector<double>("l2_y");
            s.alpha = load_vector<double>("l2_alpha")(0);
            s.path = load_vector<double>("l2_path");
            return s;
        }
        random_engine rng(4);
        s.X = gaussian(1000, 100, rng);
        s.y = (s.X * sparse_truth(100, 10, rng)).array() + gaussian(1000, 1, rng).col(0).array();
        s.alpha = 0.1;
        s.path.resize(5);
        for (Index i = 0; i < s.path.size(); ++i) s.path(i) = 2.0 * std::pow(10.0, -0.5 * static_cast<double>(i));
        return s;
    }();
    return c;
}

const LogisticCase& l3() {
    static const LogisticCase c = [] {
        LogisticCase s;
        if (!smoke()) {
            s.X = load<double>("l3_X");
            s.y = load_vector<double>("l3_y").cast<int>();
            return s;
        }
        random_engine rng(5);
        s.X = gaussian(2000, 20, rng);
        const Vector<double> margin = s.X * sparse_truth(20, 10, rng) + 3.0 * gaussian(2000, 1, rng).col(0);
        s.y = (margin.array() > 0.0).cast<int>();
        return s;
    }();
    return c;
}

}  // namespace kestrel::bench
