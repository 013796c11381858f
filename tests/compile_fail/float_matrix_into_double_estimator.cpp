// A float matrix handed to a double estimator is a compile error, never a silent conversion.
#include <kestrel/core/types.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>

int main() {
    kestrel::preprocessing::StandardScaler<double> scaler;
#ifdef KESTREL_COMPILE_FAIL
    kestrel::Matrix<float> X = kestrel::Matrix<float>::Ones(4, 2);
#else
    kestrel::Matrix<double> X = kestrel::Matrix<double>::Ones(4, 2);
#endif
    scaler.fit(X);
    return 0;
}
