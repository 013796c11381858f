#pragma once
/// \file
/// Thread counts for estimators that take `n_jobs`. Without OpenMP everything runs serially.

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace kestrel::detail {

/// Threads to use for `n_jobs`: 0 means every available core, a positive number that many.
inline int resolve_n_jobs(int n_jobs) noexcept {
#if defined(_OPENMP)
    return n_jobs <= 0 ? omp_get_max_threads() : n_jobs;
#else
    (void)n_jobs;
    return 1;
#endif
}

}  // namespace kestrel::detail
