// kestrel::clone requires an estimator; a type without Params, fit and friends is rejected.
#include <kestrel/core/concepts.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>

struct not_an_estimator {
    int value = 0;
};

int main() {
#ifdef KESTREL_COMPILE_FAIL
    not_an_estimator thing;
#else
    kestrel::preprocessing::StandardScaler<double> thing;
#endif
    auto copy = kestrel::clone(thing);
    (void)copy;
    return 0;
}
