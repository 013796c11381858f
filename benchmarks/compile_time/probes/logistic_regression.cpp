// One LogisticRegression fit and predict, through its own header.
#include <kestrel/linear_model/logistic_regression.hpp>

#include "scalar.hpp"

int main() {
    const kestrel::Matrix<T> X = kestrel::Matrix<T>::Random(200, 5);
    const kestrel::Labels y = (X.col(0).array() > T(0)).cast<int>();
    kestrel::linear_model::LogisticRegression<T> model;
    model.fit(X, y);
    const kestrel::Labels prediction = model.predict(X);
    return prediction.size() == y.size() ? 0 : 1;
}
