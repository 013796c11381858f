// One KMeans fit and predict, through its own header.
#include <kestrel/cluster/kmeans.hpp>

#include "scalar.hpp"

int main() {
    const kestrel::Matrix<T> X = kestrel::Matrix<T>::Random(200, 5);
    kestrel::cluster::KMeans<T> model({.n_clusters = 3});
    model.fit(X);
    const kestrel::Labels labels = model.predict(X);
    return labels.size() == X.rows() ? 0 : 1;
}
