#pragma once
/// \file
/// What the benchmark cases of every module share (each module's own are in `<module>/cases.hpp`).
///
/// A full run reads the .npy files that benchmarks/generate_data.py wrote once (so the C++ and
/// the scikit-learn sides see identical inputs); a smoke run (KESTREL_BENCH_SMOKE=1) makes tiny
/// cases in-process, so that CI proves every binary runs without Python or data files.

#include <string>
#include <string_view>

#include <kestrel/core/random.hpp>
#include <kestrel/core/types.hpp>

namespace kestrel::bench {

/// True when KESTREL_BENCH_SMOKE is set to anything but "0" or "".
bool smoke();

/// Where the .npy files live: $KESTREL_BENCH_DATA, else benchmarks/data in the source tree.
std::string data_dir();

/// The array generate_data.py wrote as `<data_dir()>/<name>.npy`; throws naming the command that
/// writes it when it is missing. Defined for float and double.
template <class T>
Matrix<T> load(std::string_view name);

/// The same, for an array that holds a vector (any shape, read in order).
template <class T>
Vector<T> load_vector(std::string_view name);

/// rows × cols standard normal draws: the raw material of the smoke cases.
Matrix<double> gaussian(Index rows, Index cols, random_engine& rng);

}  // namespace kestrel::bench
