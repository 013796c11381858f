// Clusters iris and digits with KMeans (Lloyd and Elkan) and MiniBatchKMeans, and prints each
// clustering's inertia and its adjusted Rand index against the true classes.

#include <cstdio>
#include <string>

#include <kestrel/cluster.hpp>
#include <kestrel/datasets/digits.hpp>
#include <kestrel/datasets/iris.hpp>
#include <kestrel/metrics/cluster.hpp>

namespace {

template <class Model>
void report(const char* data, const char* model_name, Model& model,
            const kestrel::Dataset<double, kestrel::Labels>& d) {
    model.fit(d.X);
    std::printf("%-7s %-16s inertia %12.2f   iterations %3d   ARI vs classes %.4f\n", data, model_name,
                static_cast<double>(model.inertia()), model.n_iter(),
                kestrel::metrics::adjusted_rand_score(d.y, model.labels()));
}

void cluster(const char* data, const kestrel::Dataset<double, kestrel::Labels>& d, int k) {
    using kestrel::cluster::Algorithm;
    kestrel::cluster::KMeans<double> lloyd({.n_clusters = k, .n_init = 10, .random_state = 0});
    kestrel::cluster::KMeans<double> elkan(
        {.n_clusters = k, .n_init = 10, .random_state = 0, .algorithm = Algorithm::elkan});
    kestrel::cluster::MiniBatchKMeans<double> minibatch({.n_clusters = k, .random_state = 0, .n_init = 3});
    report(data, "KMeans lloyd", lloyd, d);
    report(data, "KMeans elkan", elkan, d);
    report(data, "MiniBatchKMeans", minibatch, d);
}

}  // namespace

int main() {
    cluster("iris", kestrel::datasets::load_iris<double>(), 3);
    cluster("digits", kestrel::datasets::load_digits<double>(), 10);
}
