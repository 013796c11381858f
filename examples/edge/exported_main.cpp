// Inference at the edge, step 2: the header edge_inference wrote, used with nothing else: no
// kestrel, no Eigen (this file compiles as C++17 with -fno-exceptions -fno-rtti). Its lines
// match edge_inference's.
#include <array>
#include <cstdio>

#include "iris_forest.hpp"

int main() {
    // Rows 0, 60 and 120 of iris.
    const std::array<std::array<double, iris_forest::n_features>, 3> rows = {{
        {{5.1, 3.5, 1.4, 0.2}},
        {{5.0, 2.0, 3.5, 1.0}},
        {{6.9, 3.2, 5.7, 2.3}},
    }};
    const int index[3] = {0, 60, 120};
    for (int r = 0; r < 3; ++r) {
        const std::array<double, iris_forest::n_classes> p = iris_forest::predict_proba(rows[r]);
        std::printf("row %d: class %d, probabilities %g %g %g\n", index[r], iris_forest::predict(rows[r]), p[0], p[1],
                    p[2]);
    }
}
