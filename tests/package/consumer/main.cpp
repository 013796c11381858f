#include <cmath>
#include <iostream>

#include <kestrel/core.hpp>
#include <kestrel/preprocessing.hpp>

int main() {
    kestrel::Matrix<double> X(3, 2);
    X << 1, 10, 2, 20, 3, 30;
    kestrel::preprocessing::StandardScaler<> scaler;
    const kestrel::Matrix<double> Z = scaler.fit_transform(X);
    std::cout << "scaled first row: " << Z.row(0) << '\n';
    return (std::abs(Z.col(0).sum()) < 1e-12 && scaler.mean()(1) == 20.0) ? 0 : 1;
}
