// k-means over the ranks of an MPI job: rank 0 writes 120,000 points of 8 clusters to one .npy
// file, every rank reads only its own rows of it, and distributed::KMeans clusters all of them,
// reducing the per-cluster sums each iteration. Every rank ends with the same centres; rank 0
// prints them beside the single-process KMeans fitted on the whole file, to show they agree.
//
//   mpirun -np 2 distributed_kmeans [DIR]    (writes DIR/blobs.npy; default: the working directory)

#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include <kestrel/cluster.hpp>
#include <kestrel/datasets.hpp>
#include <kestrel/distributed.hpp>
#include <kestrel/io/npy.hpp>

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    const std::string path = (argc > 1 ? std::string(argv[1]) + "/" : std::string()) + "blobs.npy";
    const kestrel::Index n = 120'000;

    int status = 0;
    try {
        if (rank == 0) {
            const auto blobs = kestrel::datasets::make_blobs<double>(
                {.n_samples = n, .n_features = 4, .centers = kestrel::Index{8}, .cluster_std = {1.5}, .random_state = 7});
            kestrel::io::save_npy(path, blobs.X);
        }
        MPI_Barrier(MPI_COMM_WORLD);

        // This rank's rows: an even share, read from the file alone.
        const kestrel::Index first = n * rank / size, last = n * (rank + 1) / size;
        const kestrel::Matrix<double> X = kestrel::io::load_npy<double>(path, first, last - first);

        kestrel::distributed::KMeans<double> model(MPI_COMM_WORLD, {.n_clusters = 8, .n_init = 3, .random_state = 0});
        const double start = MPI_Wtime();
        model.fit(X);
        const double seconds = MPI_Wtime() - start;
        std::printf("rank %d: rows [%ld, %ld), %ld of them in cluster 0\n", rank, static_cast<long>(first),
                    static_cast<long>(last), static_cast<long>((model.labels().array() == 0).count()));
        MPI_Barrier(MPI_COMM_WORLD);

        if (rank == 0) {
            kestrel::cluster::KMeans<double> one({.n_clusters = 8, .n_init = 3, .random_state = 0});
            one.fit(kestrel::io::load_npy<double>(path));
            std::printf("\n%d ranks: inertia %.6f in %d iterations (%.3f s); one process: inertia %.6f in %d iterations\n",
                        size, model.inertia(), model.n_iter(), seconds, one.inertia(), one.n_iter());
            std::printf("largest centre difference from the single-process fit: %.2e\n\n",
                        (model.cluster_centers() - one.cluster_centers()).cwiseAbs().maxCoeff());
            std::printf("%-8s %10s %10s %10s %10s\n", "centre", "x0", "x1", "x2", "x3");
            for (kestrel::Index j = 0; j < model.cluster_centers().rows(); ++j) {
                std::printf("%-8ld", static_cast<long>(j));
                for (kestrel::Index f = 0; f < 4; ++f) std::printf(" %10.4f", model.cluster_centers()(j, f));
                std::printf("\n");
            }
        }
    } catch (const kestrel::error& e) {
        // Every rank throws the same exception: each can report and leave.
        if (rank == 0) std::fprintf(stderr, "distributed_kmeans: %s\n", e.what());
        status = 1;
    }
    MPI_Finalize();
    return status;
}
