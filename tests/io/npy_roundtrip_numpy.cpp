// load_npy / save_npy against NumPy itself: /usr/bin/python3 writes .npy files of every dtype,
// order and byte order for kestrel to read, then reads back the files kestrel wrote
// (tests/io/npy_roundtrip.py). Exit code 0: passed; 1: failed; 77: skipped, because
// /usr/bin/python3 or its numpy is missing (CTest's SKIP_RETURN_CODE).
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include <unistd.h>

#include <kestrel/io/npy.hpp>

#ifndef KESTREL_NPY_ROUNDTRIP_SCRIPT
#error "define KESTREL_NPY_ROUNDTRIP_SCRIPT as the path of tests/io/npy_roundtrip.py"
#endif

namespace {

constexpr kestrel::Index rows = 5, cols = 3;
int failures = 0;

// The pattern npy_roundtrip.py writes and checks: value(i, j) = (i * cols + j) * step + offset.
template <class T>
kestrel::Matrix<T> pattern(kestrel::Index n_rows, kestrel::Index n_cols) {
    kestrel::Matrix<T> m(n_rows, n_cols);
    for (kestrel::Index k = 0; k < m.size(); ++k) {
        if constexpr (std::is_floating_point_v<T>) {
            m.data()[k] = static_cast<T>(static_cast<double>(k) * 0.375 - 2.5);
        } else if constexpr (sizeof(T) == 8) {
            m.data()[k] = static_cast<T>(k) * (std::int64_t{1} << 33) - 7;
        } else {
            m.data()[k] = static_cast<T>(k) - 7;
        }
    }
    return m;
}

void expect(bool ok, const std::string& what) {
    if (!ok) {
        std::cerr << "FAILED: " << what << "\n";
        ++failures;
    }
}

int run_python(const std::string& command, const std::string& dir) {
    const std::string line = "/usr/bin/python3 '" KESTREL_NPY_ROUNDTRIP_SCRIPT "' " + command + " '" + dir + "'";
    return std::system(line.c_str());
}

template <class T>
void read_numpy_files(const std::string& dir, const std::string& dtype) {
    for (const char* order : {"C", "F"}) {
        for (const char* endian : {"little", "big"}) {
            const std::string file = dir + "/py_" + dtype + "_" + order + "_" + endian + ".npy";
            try {
                expect(kestrel::io::load_npy<T>(file) == pattern<T>(rows, cols), "values of " + file);
            } catch (const std::exception& e) {
                expect(false, file + ": " + e.what());
            }
        }
    }
    const std::string file = dir + "/py_" + dtype + "_1d.npy";
    try {
        expect(kestrel::io::load_npy_vector<T>(file) == pattern<T>(rows, 1), "values of " + file);
    } catch (const std::exception& e) {
        expect(false, file + ": " + e.what());
    }
}

template <class T>
void write_kestrel_files(const std::string& dir, const std::string& dtype) {
    kestrel::io::save_npy(dir + "/kestrel_" + dtype + ".npy", pattern<T>(rows, cols));
    const Eigen::Matrix<T, Eigen::Dynamic, 1> vector = pattern<T>(rows, 1);
    kestrel::io::save_npy(dir + "/kestrel_" + dtype + "_1d.npy", vector);
}

}  // namespace

int main() {
    if (std::system("/usr/bin/python3 -c 'import numpy' > /dev/null 2>&1") != 0) {
        std::cout << "SKIPPED: /usr/bin/python3 with numpy is not available\n";
        return 77;
    }
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("kestrel_npy_roundtrip_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    expect(run_python("write", dir.string()) == 0, "npy_roundtrip.py write");
    read_numpy_files<float>(dir.string(), "f4");
    read_numpy_files<double>(dir.string(), "f8");
    read_numpy_files<std::int32_t>(dir.string(), "i4");
    read_numpy_files<std::int64_t>(dir.string(), "i8");
    write_kestrel_files<float>(dir.string(), "f4");
    write_kestrel_files<double>(dir.string(), "f8");
    write_kestrel_files<std::int32_t>(dir.string(), "i4");
    write_kestrel_files<std::int64_t>(dir.string(), "i8");
    expect(run_python("check", dir.string()) == 0, "npy_roundtrip.py check (NumPy reading kestrel's files)");
    std::filesystem::remove_all(dir);
    std::cout << (failures == 0 ? "PASSED" : "FAILED") << ": NumPy round trip of float32, float64, int32, int64 "
              << "(C and Fortran order, little- and big-endian)\n";
    return failures == 0 ? 0 : 1;
}
