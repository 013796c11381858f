// The headers io::export_cpp wrote (export_models), compiled here as C++17 with -fno-exceptions
// and -fno-rtti, without kestrel or Eigen on the include path: each model's predict,
// predict_proba and decision_function against the model's own predictions, bit for bit.
#include <cstdio>

#include "check_all.hpp"

int main() {
    int models = 0;
    const int failures = check_all(models);
    std::printf("%d exported models checked: %d values differ\n", models, failures);
    return failures == 0 && models > 0 ? 0 : 1;
}
