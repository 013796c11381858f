// kestrel's demo: standardise a small data set and print what the scaler learned.
#include <iostream>

#include <kestrel/core.hpp>
#include <kestrel/preprocessing.hpp>

int main() {
    kestrel::Matrix<double> X(4, 2);
    X << 1.0, 200.0,  //
        2.0, 180.0,   //
        3.0, 260.0,   //
        4.0, 240.0;
    kestrel::preprocessing::StandardScaler<> scaler;
    const kestrel::Matrix<double> Z = scaler.fit_transform(X);
    std::cout << "mean:  " << scaler.mean().transpose() << '\n'
              << "scale: " << scaler.scale().transpose() << '\n'
              << "standardised:\n"
              << Z << '\n';
}
