// One StandardScaler fit and transform, through its own header.
#include <kestrel/preprocessing/standard_scaler.hpp>

#include "scalar.hpp"

int main() {
    const kestrel::Matrix<T> X = kestrel::Matrix<T>::Random(200, 5);
    kestrel::preprocessing::StandardScaler<T> model;
    model.fit(X);
    const kestrel::Matrix<T> Z = model.transform(X);
    return Z.rows() == X.rows() ? 0 : 1;
}
