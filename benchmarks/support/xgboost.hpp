#pragma once
// XGBoost's C API (Debian's libxgboost-dev) as the reference benchmarks use it: owned handles, a
// DMatrix from float rows, a booster fitted for some rounds, in-place prediction from dense rows.
// Included only by the <module>_xgboost.cpp files, which are built when XGBoost is found.
#include <cstdint>
#include <limits>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <xgboost/c_api.h>

#include <kestrel/core/types.hpp>

#include "harness.hpp"

namespace kestrel::bench::xgb {

inline void check(int status) {
    if (status != 0) throw std::runtime_error(XGBGetLastError());
}

struct FreeDMatrix {
    void operator()(void* m) const { XGDMatrixFree(m); }
};
struct FreeBooster {
    void operator()(void* b) const { XGBoosterFree(b); }
};
using DMatrix = std::unique_ptr<void, FreeDMatrix>;
using Booster = std::unique_ptr<void, FreeBooster>;
using Params = std::vector<std::pair<std::string, std::string>>;

/// The rows of X (NaN missing) with their labels, on all OpenMP threads.
inline DMatrix dmatrix(const Matrix<float>& X, const Vector<float>& labels) {
    DMatrixHandle handle = nullptr;
    check(XGDMatrixCreateFromMat_omp(X.data(), static_cast<bst_ulong>(X.rows()), static_cast<bst_ulong>(X.cols()),
                                     std::numeric_limits<float>::quiet_NaN(), &handle, openmp_threads()));
    DMatrix m(handle);
    check(XGDMatrixSetFloatInfo(handle, "label", labels.data(), static_cast<bst_ulong>(labels.size())));
    return m;
}

/// `rounds` rounds of boosting from a new booster on `data`: the fit.
inline Booster fit(DMatrixHandle data, const Params& params, int rounds) {
    DMatrixHandle handles[] = {data};
    BoosterHandle handle = nullptr;
    check(XGBoosterCreate(handles, 1, &handle));
    Booster booster(handle);
    for (const auto& [key, value] : params) check(XGBoosterSetParam(handle, key.c_str(), value.c_str()));
    for (int round = 0; round < rounds; ++round) check(XGBoosterUpdateOneIter(handle, round, data));
    return booster;
}

/// The model's output for n rows of d floats at `rows`, in one in-place call: n × classes
/// probabilities for multi:softprob, one column (probability of class 1, or the prediction)
/// otherwise.
inline Matrix<float> predict(BoosterHandle booster, const float* rows, Index n, Index d) {
    std::ostringstream array;
    array << R"({"data": [)" << reinterpret_cast<std::uintptr_t>(rows) << R"(, true], "shape": [)" << n << ", " << d
          << R"(], "typestr": "<f4", "version": 3})";
    static const char* config =
        R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false,)"
        R"( "cache_id": 0, "missing": NaN})";
    const bst_ulong* shape = nullptr;
    bst_ulong dims = 0;
    const float* result = nullptr;
    check(XGBoosterPredictFromDense(booster, array.str().c_str(), config, nullptr, &shape, &dims, &result));
    const Index columns = dims == 2 ? static_cast<Index>(shape[1]) : 1;
    return Eigen::Map<const Matrix<float>>(result, n, columns);
}

}  // namespace kestrel::bench::xgb
