#include "harness.hpp"

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace kestrel::bench {

int openmp_threads() {
#if defined(_OPENMP)
    return omp_get_max_threads();
#else
    return 1;
#endif
}

}  // namespace kestrel::bench
