// A pipeline ending in a classifier takes integer labels: a regression target (a vector of doubles)
// fails at the call, with the concept the classifier's own fit requires (label_vector).
#include <kestrel/linear_model/logistic_regression.hpp>
#include <kestrel/pipeline/pipeline.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>

int main() {
    using kestrel::linear_model::LogisticRegression;
    using kestrel::preprocessing::StandardScaler;
    const kestrel::Matrix<double> X = kestrel::Matrix<double>::Random(8, 2);
#ifdef KESTREL_COMPILE_FAIL
    const kestrel::Vector<double> y = kestrel::Vector<double>::Ones(8);
#else
    const kestrel::Labels y = kestrel::Labels::LinSpaced(8, 0, 1);
#endif
    auto pipe = kestrel::pipeline::make_pipeline(StandardScaler<>(), LogisticRegression<>());
    pipe.fit(X, y);
    return pipe.is_fitted() ? 0 : 1;
}
