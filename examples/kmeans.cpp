// Clusters iris and digits with KMeans (Lloyd and Elkan) and MiniBatchKMeans and prints each
// clustering's inertia, silhouette coefficient and adjusted Rand index against the true classes;
// then clusters iris by its two petal measurements alone and draws the clusters, their centres
// and the cell of the plane each centre claims in kmeans.svg.
//
//   kmeans [DIR]    (writes DIR/kmeans.svg; default: the working directory)

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include <kestrel/cluster.hpp>
#include <kestrel/datasets/digits.hpp>
#include <kestrel/datasets/iris.hpp>
#include <kestrel/metrics/classification.hpp>
#include <kestrel/metrics/cluster.hpp>

#include "support/svg.hpp"

namespace {

template <class Model>
void report(const char* data, const char* model_name, Model& model,
            const kestrel::Dataset<double, kestrel::Labels>& d) {
    model.fit(d.X);
    std::printf("%-7s %-16s %12.2f %6d %11.4f %9.4f\n", data, model_name, static_cast<double>(model.inertia()),
                model.n_iter(), kestrel::metrics::silhouette_score(d.X, model.labels()),
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

int main(int argc, char** argv) {
    const std::string dir = argc > 1 ? std::string(argv[1]) + "/" : "";
    const auto iris = kestrel::datasets::load_iris<double>();

    std::printf("%-7s %-16s %12s %6s %11s %9s\n", "data", "model", "inertia", "n_iter", "silhouette", "ARI");
    cluster("iris", iris, 3);
    cluster("digits", kestrel::datasets::load_digits<double>(), 10);

    // Iris by petal length and width (columns 2 and 3).
    const kestrel::Matrix<double> petals = iris.X.rightCols(2);
    kestrel::cluster::KMeans<double> model({.n_clusters = 3, .n_init = 10, .random_state = 0});
    model.fit(petals);
    const kestrel::Matrix<double>& centres = model.cluster_centers();
    // Number the clusters by their centres' petal length, so that colours read from small to large.
    std::vector<int> order(3);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return centres(a, 0) < centres(b, 0); });
    std::vector<int> rank(3);
    for (int r = 0; r < 3; ++r) rank[static_cast<std::size_t>(order[static_cast<std::size_t>(r)])] = r;
    kestrel::Labels clusters(model.labels().size());
    for (kestrel::Index i = 0; i < clusters.size(); ++i)
        clusters[i] = rank[static_cast<std::size_t>(model.labels()[i])];

    const double silhouette = kestrel::metrics::silhouette_score(petals, clusters);
    const double ari = kestrel::metrics::adjusted_rand_score(iris.y, clusters);
    std::printf("\niris petals: %s\n  inertia %.3f, %d iterations, silhouette %.4f, adjusted Rand index %.4f\n",
                kestrel::to_string(model).c_str(), model.inertia(), model.n_iter(), silhouette, ari);
    for (int r = 0; r < 3; ++r) {
        const int k = order[static_cast<std::size_t>(r)];
        std::printf("  cluster %d: centre (%.3f, %.3f), %ld flowers\n", r, centres(k, 0), centres(k, 1),
                    static_cast<long>((clusters.array() == r).count()));
    }
    const kestrel::Matrix<int> table = kestrel::metrics::confusion_matrix(iris.y, clusters);
    std::printf("  species x cluster counts:\n");
    for (kestrel::Index s = 0; s < table.rows(); ++s) {
        std::printf("    %-11s", iris.target_names[static_cast<std::size_t>(s)].c_str());
        for (kestrel::Index c = 0; c < table.cols(); ++c) std::printf(" %4d", table(s, c));
        std::printf("\n");
    }

    std::ostringstream subtitle;
    subtitle.precision(3);
    subtitle << kestrel::to_string(model) << ": inertia " << model.inertia() << ", silhouette " << silhouette
             << ", adjusted Rand index " << ari;
    svg::Plot plot({.title = "k-means on iris petals",
                    .subtitle = subtitle.str(),
                    .x_label = iris.feature_names[2],
                    .y_label = iris.feature_names[3]});
    std::vector<double> xs(petals.col(0).begin(), petals.col(0).end());
    std::vector<double> ys(petals.col(1).begin(), petals.col(1).end());
    plot.fit_limits(xs, ys);
    // Each cluster's cell (the points nearest its centre), lightly shaded: predict on a grid.
    constexpr int nx = 480, ny = 360;
    kestrel::Matrix<double> grid(nx * ny, 2);
    for (int i = 0; i < ny; ++i) {
        for (int j = 0; j < nx; ++j) {
            grid(i * nx + j, 0) = plot.x_min() + (j + 0.5) * (plot.x_max() - plot.x_min()) / nx;
            grid(i * nx + j, 1) = plot.y_min() + (i + 0.5) * (plot.y_max() - plot.y_min()) / ny;
        }
    }
    const kestrel::Labels cells = model.predict(grid);
    std::vector<int> cell_ranks(static_cast<std::size_t>(cells.size()));
    for (kestrel::Index i = 0; i < cells.size(); ++i) {
        cell_ranks[static_cast<std::size_t>(i)] = rank[static_cast<std::size_t>(cells[i])];
    }
    plot.label_grid(cell_ranks, nx, ny,
                    [](int r) { return svg::lighten(svg::color(static_cast<std::size_t>(r)), 0.86); });
    for (kestrel::Index i = 0; i < petals.rows(); ++i) {
        plot.point(petals(i, 0), petals(i, 1), svg::color(static_cast<std::size_t>(clusters[i])), 4.2);
    }
    for (int r = 0; r < 3; ++r) {
        const int k = order[static_cast<std::size_t>(r)];
        plot.centre(centres(k, 0), centres(k, 1), svg::color(static_cast<std::size_t>(r)));
        plot.legend(svg::color(static_cast<std::size_t>(r)),
                    "cluster " + std::to_string(r) + " (" + std::to_string((clusters.array() == r).count()) + ")");
    }
    plot.legend("#FFFFFF", "centre", svg::Plot::Mark::cross);
    const std::string path = dir + "kmeans.svg";
    if (!plot.save(path)) {
        std::fprintf(stderr, "cannot write %s\n", path.c_str());
        return 1;
    }
    std::printf("wrote %s\n", path.c_str());
}
