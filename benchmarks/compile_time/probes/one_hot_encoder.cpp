// One OneHotEncoder fit and transform, through its own header.
#include <kestrel/preprocessing/one_hot_encoder.hpp>

#include "scalar.hpp"

int main() {
    const kestrel::Matrix<T> X = (kestrel::Matrix<T>::Random(200, 5).array() * T(3)).round().matrix();
    kestrel::preprocessing::OneHotEncoder<T> model;
    model.fit(X);
    const kestrel::Matrix<T> Z = model.transform(X);
    return Z.rows() == X.rows() ? 0 : 1;
}
