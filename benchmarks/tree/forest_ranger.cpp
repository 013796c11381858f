// T2 and T3 reference: ranger (Debian's r-cran-ranger), the C++ random forest behind R, run by
// Rscript on tree/ranger_bench.R, one process a fit: the script reads the case's .npy files and
// times the ranger() call alone, which is the benchmark's (manual) time; R's start, loading
// ranger (about 1 s) and the data are not in it. num.trees = forest_trees(), mtry = ⌊√d⌋,
// min.node.size 1 (nodes split down to single samples), bootstrap with replacement, num.threads =
// the OpenMP threads, seed 0. ranger reports no node sample counts, so its rows have no
// sample_features/s; it does report its out-of-bag accuracy (T2) or R² (T3).
//   BM_T2/ranger_rf  classification (gini), accuracy on the held-out rows by majority vote
//   BM_T3/ranger_rf  regression (variance), R² on the held-out rows
// A smoke run skips them unless KESTREL_BENCH_RANGER_SMOKE=1: starting R with ranger costs more
// than the rest of the smoke run together. There, the in-process cases are written as .npy files
// to a temporary folder for the script.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"  // GCC bug 105329, in std::string's operator+
#endif

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unistd.h>

#include <kestrel/io/npy.hpp>

#include "../support/data.hpp"
#include "../support/harness.hpp"
#include "cases.hpp"

namespace kestrel::bench {
namespace {

namespace fs = std::filesystem;

bool ranger_in_smoke() {
    const char* flag = std::getenv("KESTREL_BENCH_RANGER_SMOKE");
    return flag != nullptr && std::string_view(flag) != "" && std::string_view(flag) != "0";
}

std::string quoted(const std::string& s) {
    std::string out = "'";
    for (const char ch : s) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return out + "'";
}

// The case's four .npy files: generate_data.py's, or for a smoke run the in-process case written
// once to a temporary folder (removed at exit).
struct Files {
    std::string X, y, X_test, y_test;
};

fs::path smoke_dir() {
    static const struct Dir {
        fs::path path = fs::temp_directory_path() / ("kestrel-bench-tree-" + std::to_string(::getpid()));
        Dir() { fs::create_directories(path); }
        ~Dir() {
            std::error_code ignored;
            fs::remove_all(path, ignored);
        }
    } dir;
    return dir.path;
}

template <class Case>
Files files(const std::string& id, const Case& c) {
    if (!smoke()) {
        const fs::path dir = data_dir();
        return {dir / (id + "_X.npy"), dir / (id + "_y.npy"), dir / (id + "_test_X.npy"), dir / (id + "_test_y.npy")};
    }
    const fs::path dir = smoke_dir();
    Files f{dir / (id + "_X.npy"), dir / (id + "_y.npy"), dir / (id + "_test_X.npy"), dir / (id + "_test_y.npy")};
    if (!fs::exists(f.y_test)) {
        io::save_npy(f.X, c.X);
        io::save_npy(f.y, c.y.template cast<double>().eval());
        io::save_npy(f.X_test, c.X_test);
        io::save_npy(f.y_test, c.y_test.template cast<double>().eval());
    }
    return f;
}

// One run of the script: its key=value lines.
std::map<std::string, double> run_ranger(const std::string& mode, const Files& f, Index d) {
    const std::string command = quoted(KESTREL_BENCH_RSCRIPT) + " " + quoted(KESTREL_BENCH_RANGER_SCRIPT) + " " +
                                mode + " " + quoted(f.X) + " " + quoted(f.y) + " " + quoted(f.X_test) + " " +
                                quoted(f.y_test) + " " + std::to_string(forest_trees()) + " " +
                                std::to_string(sqrt_features(d)) + " " + std::to_string(openmp_threads()) + " 0";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) throw std::runtime_error("cannot run " + command);
    std::map<std::string, double> out;
    std::array<char, 256> line{};
    while (std::fgets(line.data(), line.size(), pipe) != nullptr) {
        const std::string_view text(line.data());
        const auto eq = text.find('=');
        if (eq != std::string_view::npos) {
            out[std::string(text.substr(0, eq))] = std::strtod(line.data() + eq + 1, nullptr);
        }
    }
    const int status = ::pclose(pipe);
    if (status != 0 || !out.contains("seconds")) {
        throw std::runtime_error("ranger_bench.R failed (exit status " + std::to_string(WEXITSTATUS(status)) +
                                 "): " + command);
    }
    return out;
}

template <class Case>
void ranger_forest(benchmark::State& state, const std::string& id, const Case& c, bool classification) {
    const Files f = files(id, c);
    std::map<std::string, double> result;
    double seconds = 0;
    for (auto _ : state) {
        result = run_ranger(classification ? "classification" : "regression", f, c.X.cols());
        state.SetIterationTime(result["seconds"]);
        seconds += result["seconds"];
    }
    const std::string figure = classification ? "accuracy" : "r2";
    report_fit(state, {.seconds = seconds,
                       .n_trees = forest_trees(),
                       .threads = openmp_threads(),
                       .n_leaves = result["n_leaves"],
                       .quality = {{figure, result["test"]}, {"oob_" + figure, result["oob"]}}});
}

const bool registered = [] {
    if (smoke() && !ranger_in_smoke()) {
        std::fprintf(stderr,
                     "bench_tree: smoke run without ranger (BM_T2/ranger_rf, BM_T3/ranger_rf): starting R with "
                     "ranger takes about 1.3 s a fit; KESTREL_BENCH_RANGER_SMOKE=1 runs them\n");
        return false;
    }
    // One fit a repetition: each is a new R process.
    add_manual_time("BM_T2/ranger_rf", [](benchmark::State& s) { ranger_forest(s, "t1", t1(), true); })->Iterations(1);
    add_manual_time("BM_T3/ranger_rf", [](benchmark::State& s) { ranger_forest(s, "t3", t3(), false); })
        ->Iterations(1);
    return true;
}();

}  // namespace
}  // namespace kestrel::bench
