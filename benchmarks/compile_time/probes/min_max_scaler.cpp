// One MinMaxScaler fit and transform, through its own header.
#include <kestrel/preprocessing/min_max_scaler.hpp>

#include "scalar.hpp"

int main() {
    const kestrel::Matrix<T> X = kestrel::Matrix<T>::Random(200, 5);
    kestrel::preprocessing::MinMaxScaler<T> model;
    model.fit(X);
    const kestrel::Matrix<T> Z = model.transform(X);
    return Z.rows() == X.rows() ? 0 : 1;
}
