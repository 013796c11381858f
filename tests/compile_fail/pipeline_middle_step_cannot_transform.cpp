// Every pipeline step but the last must be a transformer: a classifier in the middle is rejected.
#include <kestrel/linear_model/logistic_regression.hpp>
#include <kestrel/pipeline/pipeline.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>

int main() {
    using kestrel::linear_model::LogisticRegression;
    using kestrel::preprocessing::StandardScaler;
#ifdef KESTREL_COMPILE_FAIL
    auto pipe = kestrel::pipeline::make_pipeline(LogisticRegression<>(), StandardScaler<>());
#else
    auto pipe = kestrel::pipeline::make_pipeline(StandardScaler<>(), LogisticRegression<>());
#endif
    return pipe.is_fitted() ? 1 : 0;
}
