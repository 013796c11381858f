// cross_val_score of a classifier takes integer labels: a regression target (a vector of doubles)
// fails at the call, with the concept the classifier's own fit requires (label_vector).
#include <kestrel/linear_model/logistic_regression.hpp>
#include <kestrel/model_selection/cross_validation.hpp>

int main() {
    const kestrel::Matrix<double> X = kestrel::Matrix<double>::Random(10, 2);
#ifdef KESTREL_COMPILE_FAIL
    const kestrel::Vector<double> y = kestrel::Vector<double>::Ones(10);
#else
    const kestrel::Labels y = kestrel::Labels::LinSpaced(10, 0, 1);
#endif
    const auto scores =
        kestrel::model_selection::cross_val_score(kestrel::linear_model::LogisticRegression<>(), X, y, 2);
    return scores.size() == 2 ? 0 : 1;
}
