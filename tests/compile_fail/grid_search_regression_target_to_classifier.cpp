// GridSearchCV over a classifier takes integer labels: a regression target (a vector of doubles)
// fails at the call, with the concept the classifier's own fit requires (label_vector).
#include <kestrel/linear_model/logistic_regression.hpp>
#include <kestrel/model_selection/grid_search.hpp>

int main() {
    namespace ms = kestrel::model_selection;
    using LR = kestrel::linear_model::LogisticRegression<>;
    const kestrel::Matrix<double> X = kestrel::Matrix<double>::Random(10, 2);
#ifdef KESTREL_COMPILE_FAIL
    const kestrel::Vector<double> y = kestrel::Vector<double>::Ones(10);
#else
    const kestrel::Labels y = kestrel::Labels::LinSpaced(10, 0, 1);
#endif
    ms::GridSearchCV search(LR(), ms::param_grid(LR::Params{}, ms::axis(&LR::Params::C, {0.1, 1.0})), 2);
    search.fit(X, y);
    return search.is_fitted() ? 0 : 1;
}
