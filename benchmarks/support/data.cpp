#include "data.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include <kestrel/io/npy.hpp>

namespace kestrel::bench {

bool smoke() {
    const char* flag = std::getenv("KESTREL_BENCH_SMOKE");
    return flag != nullptr && std::string_view(flag) != "" && std::string_view(flag) != "0";
}

std::string data_dir() {
    const char* dir = std::getenv("KESTREL_BENCH_DATA");
    return dir != nullptr ? dir : KESTREL_BENCH_DATA_DIR;
}

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

template Matrix<float> load<float>(std::string_view);
template Matrix<double> load<double>(std::string_view);
template Vector<float> load_vector<float>(std::string_view);
template Vector<double> load_vector<double>(std::string_view);

Matrix<double> gaussian(Index rows, Index cols, random_engine& rng) {
    Matrix<double> m(rows, cols);
    for (Index i = 0; i < m.size(); ++i) m.data()[i] = rng.normal();
    return m;
}

}  // namespace kestrel::bench
