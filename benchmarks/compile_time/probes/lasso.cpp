// One Lasso fit and predict, through its own header.
#include <kestrel/linear_model/lasso.hpp>

#include "scalar.hpp"

int main() {
    const kestrel::Matrix<T> X = kestrel::Matrix<T>::Random(200, 5);
    const kestrel::Vector<T> y = X * kestrel::Vector<T>::LinSpaced(5, 1, 5);
    kestrel::linear_model::Lasso<T> model;
    model.fit(X, y);
    const kestrel::Vector<T> prediction = model.predict(X);
    return prediction.size() == y.size() ? 0 : 1;
}
