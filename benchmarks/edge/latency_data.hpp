#pragma once
// The rows of the one-row latency benchmark: 20,000 training rows and 10,000 held-out rows of 28
// features, two classes (make_classification, 14 informative and 7 redundant features).
#include <kestrel/datasets/make_classification.hpp>

namespace kestrel::bench {

/// The training rows of the RBF SVC (the first ones): about 1,000 become support vectors.
inline constexpr Index svc_rows = 2800;

struct latency_data {
    Matrix<double> X_train, X_test;
    Labels y_train, y_test;
};

inline latency_data make_latency_data() {
    const auto c = datasets::make_classification<double>(
        {.n_samples = 30000, .n_features = 28, .n_informative = 14, .n_redundant = 7, .random_state = 40});
    return {c.X.topRows(20000), c.X.bottomRows(10000), c.y.head(20000), c.y.tail(10000)};
}

}  // namespace kestrel::bench
