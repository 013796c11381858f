// The distributed module: K1's k-means, L3's logistic regression and B1's gradient boosting (20
// iterations) fitted by kestrel::distributed over the ranks of MPI_COMM_WORLD, one thread a rank
// (n_jobs = 1), each rank holding a contiguous share of the rows; beside them, on rank 0 alone while the other ranks sleep, the same fit on one
// rank (a communicator of rank 0 alone) and the single-process estimators with n_jobs 1 and 2, all
// taking turns, so that 1 and 2 ranks are compared within one run; and the cost of the reduction
// itself: communicator::sum and MPI_Allreduce from 8 B to 8 MiB and at the sizes the fits reduce.
//
// A plain MPI program, not Google Benchmark (its repetitions would have to agree across ranks).
// benchmarks/run.sh launches it twice:
//   mpirun -np 1 bench_distributed --out DIR/bench_distributed_np1.json   (the fits on 1 rank alone)
//   mpirun -np 2 bench_distributed --out DIR/bench_distributed_np2.json   (everything else)
// Each writes the JSON report.py reads (sklearn_bench.py's form: a median and counters a
// benchmark). Options: --repetitions N (5), --filter REGEX (over the benchmark names), --smoke (or
// KESTREL_BENCH_SMOKE=1: tiny data made in-process, one repetition).
//
// Each fit is timed from a barrier to its end on the slowest rank; one warm-up fit, then the
// median of the repetitions. The time a rank spends inside MPI during a fit, and the bytes each
// communicator::sum reduced, are measured through MPI's profiling interface (the MPI_* functions
// below wrap PMPI_*): in these fits every broadcast ends one communicator::sum, so the
// broadcasts' count and size are the reductions'.
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <kestrel/cluster/kmeans.hpp>
#include <kestrel/datasets.hpp>
#include <kestrel/distributed.hpp>
#include <kestrel/io/npy.hpp>
#include <kestrel/linear_model/detail/logistic_solver.hpp>
#include <kestrel/linear_model/logistic_regression.hpp>

#include "../support/data.hpp"
#include "../support/quality.hpp"

namespace {

/// What this rank did inside MPI while `on`: seconds, and the broadcasts (one per
/// communicator::sum) by size in bytes.
struct Meter {
    bool on = false;
    double seconds = 0;
    std::map<long long, long long> broadcasts;  ///< bytes -> count

    void start() {
        seconds = 0;
        broadcasts.clear();
        on = true;
    }
    [[nodiscard]] long long broadcast_bytes() const {
        long long total = 0;
        for (const auto& [bytes, count] : broadcasts) total += bytes * count;
        return total;
    }
    [[nodiscard]] long long broadcasts_of(long long bytes) const {
        const auto found = broadcasts.find(bytes);
        return found == broadcasts.end() ? 0 : found->second;
    }
};
Meter meter;

/// Adds the time of one MPI call to the meter, when it is on.
class MeteredCall {
public:
    MeteredCall() : start_(meter.on ? PMPI_Wtime() : 0.0) {}
    MeteredCall(const MeteredCall&) = delete;
    MeteredCall& operator=(const MeteredCall&) = delete;
    ~MeteredCall() {
        if (meter.on) meter.seconds += PMPI_Wtime() - start_;
    }

private:
    double start_;
};

}  // namespace

// MPI's profiling interface: these definitions take the place of the library's, and call its
// PMPI_* entry points. They are every call by which kestrel::distributed communicates during a fit.
extern "C" {
int MPI_Send(const void* buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm) {
    const MeteredCall call;
    return PMPI_Send(buf, count, type, dest, tag, comm);
}
int MPI_Recv(void* buf, int count, MPI_Datatype type, int source, int tag, MPI_Comm comm, MPI_Status* status) {
    const MeteredCall call;
    return PMPI_Recv(buf, count, type, source, tag, comm, status);
}
int MPI_Bcast(void* buf, int count, MPI_Datatype type, int root, MPI_Comm comm) {
    if (meter.on) {
        int size = 0;
        PMPI_Type_size(type, &size);
        ++meter.broadcasts[static_cast<long long>(count) * size];
    }
    const MeteredCall call;
    return PMPI_Bcast(buf, count, type, root, comm);
}
int MPI_Allreduce(const void* send, void* recv, int count, MPI_Datatype type, MPI_Op op, MPI_Comm comm) {
    const MeteredCall call;
    return PMPI_Allreduce(send, recv, count, type, op, comm);
}
int MPI_Allgather(const void* send, int send_count, MPI_Datatype send_type, void* recv, int recv_count,
                  MPI_Datatype recv_type, MPI_Comm comm) {
    const MeteredCall call;
    return PMPI_Allgather(send, send_count, send_type, recv, recv_count, recv_type, comm);
}
int MPI_Allgatherv(const void* send, int send_count, MPI_Datatype send_type, void* recv, const int recv_counts[],
                   const int displacements[], MPI_Datatype recv_type, MPI_Comm comm) {
    const MeteredCall call;
    return PMPI_Allgatherv(send, send_count, send_type, recv, recv_counts, displacements, recv_type, comm);
}
}

namespace kestrel::bench {
namespace {

namespace fs = std::filesystem;
using Counters = std::vector<std::pair<std::string, double>>;

struct World {
    MPI_Comm comm = MPI_COMM_WORLD;
    int rank = 0;
    int size = 1;
};

double reduce(double value, MPI_Op op, MPI_Comm comm) {
    MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_DOUBLE, op, comm);
    return value;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t m = values.size() / 2;
    return values.size() % 2 == 1 ? values[m] : 0.5 * (values[m - 1] + values[m]);
}

/// This rank's contiguous share of n rows: [first, first + count).
struct Share {
    Index first = 0;
    Index count = 0;
};
Share share_of(Index n, const World& w) {
    const Index first = n * w.rank / w.size;
    return {first, n * (w.rank + 1) / w.size - first};
}

/// The number of rows of a .npy file, from its header's shape.
Index npy_rows(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::string header(4096, '\0');
    in.read(header.data(), static_cast<std::streamsize>(header.size()));
    header.resize(static_cast<std::size_t>(in.gcount()));
    std::smatch match;
    if (!std::regex_search(header, match, std::regex(R"('shape':\s*\((\d+))"))) {
        throw std::runtime_error(path.string() + ": no shape in its header");
    }
    return std::stoll(match[1].str());
}

/// Rows of generate_data.py's file `name`: all of them (`share` null), or a rank's share, read
/// from the file alone (io::load_npy's row range).
template <class T>
Matrix<T> load_rows(std::string_view name, const Share* share = nullptr) {
    const fs::path path = fs::path(data_dir()) / (std::string(name) + ".npy");
    if (!fs::exists(path)) {
        throw std::runtime_error(path.string() +
                                 " is missing: run /usr/bin/python3 benchmarks/generate_data.py "
                                 "--module distributed");
    }
    if (share == nullptr) return io::load_npy<T>(path.string());
    return io::load_npy<T>(path.string(), share->first, share->count);
}

/// One benchmark's line of the JSON: its median time and counters.
struct Result {
    std::string name;
    double median_s = 0;
    Counters counters;
};

/// The repetitions of one fit (or one reduction) on every rank.
struct Sample {
    double seconds = 0;  ///< the slowest rank's
    double mpi_min = 0;  ///< inside MPI, the rank that spent least there
    double mpi_max = 0;  ///< and the rank that spent most
    Meter broadcasts{};  ///< rank 0's broadcasts
};

struct Variant {
    std::string name;
    std::function<void()> fit;
    bool alone = false;  ///< run by rank 0 alone, the other ranks asleep
    std::vector<Sample> samples{};

    [[nodiscard]] double median_of(double Sample::*field) const {
        std::vector<double> values;
        for (const Sample& s : samples) values.push_back(s.*field);
        return median(values);
    }
    [[nodiscard]] double best() const {
        double out = samples.front().seconds;
        for (const Sample& s : samples) out = std::min(out, s.seconds);
        return out;
    }
};

/// Rank 0 waits here for the other ranks (at once: they are there); they wait for rank 0 asleep,
/// looking every millisecond, so that a fit of rank 0 alone has every core. Every rank calls it.
void wait_for_rank0(MPI_Comm comm) {
    MPI_Request request = MPI_REQUEST_NULL;
    MPI_Ibarrier(comm, &request);
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    if (rank == 0) {
        MPI_Wait(&request, MPI_STATUS_IGNORE);
        return;
    }
    for (int done = 0; MPI_Test(&request, &done, MPI_STATUS_IGNORE) == MPI_SUCCESS && done == 0;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

/// Runs a variant once: on every rank, or on rank 0 alone. Returns this rank's time.
double run_once(const Variant& v, MPI_Comm comm, bool metered) {
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    meter.start();
    meter.on = metered;
    double seconds = 0;
    if (!v.alone || rank == 0) {
        const double start = MPI_Wtime();
        v.fit();
        seconds = MPI_Wtime() - start;
    }
    meter.on = false;
    if (v.alone) wait_for_rank0(comm);
    return seconds;
}

/// One timed run of a variant, from a barrier; `metered`: with the time inside MPI and the
/// broadcasts counted (about 0.1 µs an MPI call), which the reductions' own timing leaves out.
Sample time_once(const Variant& v, MPI_Comm comm, bool metered) {
    MPI_Barrier(comm);
    const double seconds = run_once(v, comm, metered);
    Sample s;
    s.seconds = reduce(seconds, MPI_MAX, comm);
    s.mpi_min = reduce(meter.seconds, MPI_MIN, comm);
    s.mpi_max = reduce(meter.seconds, MPI_MAX, comm);
    s.broadcasts = meter;
    return s;
}

/// One warm-up run of each variant, then `repetitions` rounds in which the variants take turns.
void time_variants(std::vector<Variant>& variants, int repetitions, MPI_Comm comm, bool metered = true) {
    for (Variant& v : variants) {
        MPI_Barrier(comm);
        run_once(v, comm, false);
    }
    for (int r = 0; r < repetitions; ++r) {
        for (Variant& v : variants) v.samples.push_back(time_once(v, comm, metered));
    }
}

struct Options {
    bool smoke = false;
    int repetitions = 5;
    std::regex filter{"."};
    fs::path out;
};

bool wanted(const Options& o, const std::string& name) { return std::regex_search(name, o.filter); }

/// The largest difference between two fitted arrays, relative to the largest magnitude of the
/// first.
double max_rel_diff(const Matrix<double>& reference, const Matrix<double>& other) {
    if (reference.rows() != other.rows() || reference.cols() != other.cols()) return INFINITY;
    const double scale = std::max(reference.cwiseAbs().maxCoeff(), 1e-300);
    return (reference - other).cwiseAbs().maxCoeff() / scale;
}

// ---------------------------------------------------------------------------------------------
// The reduction alone: communicator::sum (a binomial tree to rank 0, then a broadcast) and
// MPI_Allreduce, of n doubles, back to back.

struct Reduction {
    std::string name;  ///< "8B", ..., "8MiB", or the case whose size it is
    Index doubles = 0;
};

std::string size_name(long long bytes) {
    if (bytes >= (1LL << 20)) return std::to_string(bytes >> 20) + "MiB";
    if (bytes >= (1LL << 10)) return std::to_string(bytes >> 10) + "KiB";
    return std::to_string(bytes) + "B";
}

/// Seconds per call of each reduction size (communicator::sum), measured on every rank.
using SumCost = std::map<Index, double>;

SumCost time_reductions(const World& w, const Options& o, const std::vector<Reduction>& sizes,
                        std::vector<Result>& results) {
    const distributed::detail::communicator comm(w.comm);
    SumCost cost;
    for (const Reduction& r : sizes) {
        const std::string sum_name = "BM_MPI/sum_" + r.name, allreduce_name = "BM_MPI/allreduce_" + r.name;
        if (!wanted(o, sum_name) && !wanted(o, allreduce_name)) continue;
        const double bytes = 8.0 * static_cast<double>(r.doubles);
        // As many calls a repetition as reduce 64 MiB, from 10 to 10,000 (7 to 30 ms here), of zeros:
        // a sum of zeros stays finite however often it is repeated.
        const int calls = o.smoke ? 3 : static_cast<int>(std::clamp(64.0 * (1 << 20) / bytes, 10.0, 10000.0));
        std::vector<double> values(static_cast<std::size_t>(r.doubles), 0.0);
        const auto sum = [&] {
            for (int c = 0; c < calls; ++c) comm.sum(values.data(), r.doubles);
        };
        const auto allreduce = [&] {
            for (int c = 0; c < calls; ++c) {
                MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(r.doubles), MPI_DOUBLE, MPI_SUM, w.comm);
            }
        };
        std::vector<Variant> variants{{sum_name, sum}, {allreduce_name, allreduce}};
        time_variants(variants, o.smoke ? 1 : std::max(o.repetitions, 7), w.comm, /*metered=*/false);
        for (const Variant& v : variants) {
            const double per_call = v.median_of(&Sample::seconds) / calls;
            results.push_back({v.name,
                               per_call,
                               {{"bytes", bytes},
                                {"bytes/s", bytes / per_call},
                                {"best_s", v.best() / calls},
                                {"calls", calls},
                                {"ranks", w.size}}});
        }
        cost[r.doubles] = results[results.size() - 2].median_s;
    }
    return cost;
}

/// MPI counters of a fit on more than one rank: the medians of its time inside MPI (the least and
/// the most any rank spent) and the bytes it broadcast (every sum's), divided by `per`.
void add_mpi_counters(Counters& c, const Variant& v, double per, const std::string& unit) {
    c.emplace_back("mpi_min_s_per_" + unit, v.median_of(&Sample::mpi_min) / per);
    c.emplace_back("mpi_max_s_per_" + unit, v.median_of(&Sample::mpi_max) / per);
    c.emplace_back("broadcast_bytes_per_" + unit,
                   static_cast<double>(v.samples.front().broadcasts.broadcast_bytes()) / per);
    c.emplace_back("broadcasts_per_" + unit, [&] {
        double n = 0;
        for (const auto& [bytes, count] : v.samples.front().broadcasts.broadcasts) n += static_cast<double>(count);
        return n / per;
    }());
}

// ---------------------------------------------------------------------------------------------
// The variants of a case: on a launch of p > 1 ranks, the fit over the p ranks, then on rank 0
// alone the fit on one rank (a communicator of rank 0 alone) and the single-process estimator with
// n_jobs 1 and 2; on a launch of one rank, the fit on that rank alone.

/// The names of a case's variants, after "BM_<case>/<prefix>".
struct Names {
    std::string spread, one_rank, single1, single2;
};
Names names_of(const std::string& prefix, int ranks) {
    if (ranks == 1) return {"", prefix + "np1", "", ""};
    return {prefix + std::to_string(ranks) + "ranks", prefix + "1rank", prefix + "single_njobs1",
            prefix + "single_njobs2"};
}

/// Which of a case's variants the filter keeps.
struct Wanted {
    bool spread, one_rank, single1, single2;
    [[nodiscard]] bool any() const { return spread || one_rank || single1 || single2; }
};
Wanted wanted_of(const Options& o, const std::string& id, const Names& n) {
    const auto keep = [&](const std::string& name) { return !name.empty() && wanted(o, "BM_" + id + "/" + name); };
    return {keep(n.spread), keep(n.one_rank), keep(n.single1), keep(n.single2)};
}

// ---------------------------------------------------------------------------------------------
// K1: Lloyd from the case's initial centres, 30 iterations (tol = 0), float.

struct KMeansData {
    Matrix<float> all;    ///< every row, on rank 0 only
    Matrix<float> share;  ///< this rank's rows
    Matrix<float> initial_centers;
    int n_iter = 30;
    Index n = 0;  ///< rows on every rank
};

// The full case from generate_data.py's files, or as cluster/cases.cpp's smoke K1 (the same draws
// on every rank); rank 0 keeps every row, each rank its share.
KMeansData k1_data(const World& w, bool smoke) {
    KMeansData s;
    if (!smoke) {
        s.n = npy_rows(fs::path(data_dir()) / "k1_X.npy");
        const Share share = share_of(s.n, w);
        if (w.rank == 0) {
            s.all = load_rows<float>("k1_X");
            s.share = s.all.middleRows(share.first, share.count);
        } else {
            s.share = load_rows<float>("k1_X", &share);
        }
        s.initial_centers = load<float>("k1_init");
        return s;
    }
    const Index n = 2000, d = 50, k = 20;
    random_engine rng(1);
    Matrix<double> centres(k, d);
    for (Index i = 0; i < centres.size(); ++i) centres.data()[i] = rng.uniform(-10.0, 10.0);
    Matrix<double> X = 4.0 * gaussian(n, d, rng);
    for (Index i = 0; i < n; ++i) X.row(i) += centres.row(rng.index_below(k));
    s.all = X.cast<float>();
    s.initial_centers.resize(k, d);
    const auto rows = rng.sample_without_replacement(n, k);
    for (Index j = 0; j < k; ++j) s.initial_centers.row(j) = s.all.row(rows[static_cast<std::size_t>(j)]);
    const Share share = share_of(n, w);
    s.share = s.all.middleRows(share.first, share.count);
    if (w.rank != 0) s.all.resize(0, 0);
    s.n_iter = 5;
    s.n = n;
    return s;
}

void run_k1(const World& w, const Options& o, const SumCost& sum_cost, std::vector<Result>& results) {
    const Names names = names_of("lloyd_", w.size);
    const Wanted want = wanted_of(o, "K1d", names);
    if (!want.any()) return;
    const KMeansData data = k1_data(w, o.smoke);
    const Index k = data.initial_centers.rows(), d = data.initial_centers.cols();
    cluster::KMeansParams<float> params{.n_clusters = static_cast<int>(k),
                                        .n_init = 1,
                                        .max_iter = data.n_iter,
                                        .tol = 0,
                                        .algorithm = cluster::Algorithm::lloyd,
                                        .n_jobs = 1};
    distributed::KMeans<float> spread(w.comm, params);
    distributed::KMeans<float> one_rank(w.size == 1 ? w.comm : MPI_COMM_SELF, params);
    cluster::KMeans<float> single1(params);
    params.n_jobs = 2;
    cluster::KMeans<float> single2(params);

    std::vector<Variant> variants;
    std::vector<const cluster::KMeans<float>*> models;
    const auto add = [&](bool keep, const std::string& name, bool alone, const cluster::KMeans<float>& model,
                         std::function<void()> fit) {
        if (!keep) return;
        variants.push_back({"BM_K1d/" + name, std::move(fit), alone});
        models.push_back(&model);
    };
    add(want.spread, names.spread, false, spread, [&] { spread.fit_from(data.share, data.initial_centers); });
    add(want.one_rank, names.one_rank, true, one_rank, [&] { one_rank.fit_from(data.all, data.initial_centers); });
    add(want.single1, names.single1, true, single1, [&] { single1.fit_from(data.all, data.initial_centers); });
    add(want.single2, names.single2, true, single2, [&] { single2.fit_from(data.all, data.initial_centers); });
    time_variants(variants, o.repetitions, w.comm);

    const double reduced_bytes = 8.0 * static_cast<double>(k * d + k + 1);
    // The figures are rank 0's (the other ranks hold no model of the fits rank 0 ran alone).
    const bool compare = want.one_rank && w.size > 1 && w.rank == 0;
    for (std::size_t i = 0; i < variants.size(); ++i) {
        const Variant& v = variants[i];
        if (v.alone && w.rank != 0) continue;
        const cluster::KMeans<float>& model = *models[i];
        // The inertia over every row: rank 0's alone, or each rank's share summed.
        const double inertia_all = v.alone ? inertia(data.all, model.cluster_centers())
                                           : reduce(inertia(data.share, model.cluster_centers()), MPI_SUM, w.comm);
        const double n_iter = model.n_iter();
        const double fit_s = v.median_of(&Sample::seconds);
        const bool is_distributed = &model == &spread || &model == &one_rank;
        Counters c{{"ranks", &model == &spread ? w.size : 1},
                   {"threads", is_distributed ? 1 : model.params().n_jobs},
                   {"n_iter", n_iter},
                   {"inertia", inertia_all},
                   {"fit_s", fit_s},
                   {"best_s", v.best()},
                   {"s_per_iter", fit_s / n_iter},
                   {"rows", static_cast<double>(data.n)},
                   {"reduced_bytes_per_iter", reduced_bytes}};
        if (&model == &spread) {
            add_mpi_counters(c, v, n_iter, "iter");
            if (sum_cost.contains(k * d + k + 1)) c.emplace_back("sum_alone_s_per_iter", sum_cost.at(k * d + k + 1));
        }
        if (compare && &model != &one_rank) {
            c.emplace_back("max_rel_diff_1rank", max_rel_diff(one_rank.cluster_centers().cast<double>(),
                                                              model.cluster_centers().cast<double>()));
        }
        results.push_back({v.name, fit_s, std::move(c)});
    }
}

// ---------------------------------------------------------------------------------------------
// L3: binary logistic regression, C = 1, tol 1e-4, max_iter 100, lbfgs and newton-cholesky, double.

struct LogisticData {
    Matrix<double> all;  ///< every row, on rank 0 only
    Labels y_all;
    Matrix<double> share;  ///< this rank's rows
    Labels y_share;
    Index n = 0;  ///< rows on every rank
};

Labels labels_of(const Matrix<double>& y) { return Eigen::Map<const Vector<double>>(y.data(), y.size()).cast<int>(); }

// The full case from generate_data.py's files, or as linear_model/cases.cpp's smoke L3 (the same
// draws on every rank); rank 0 keeps every row, each rank its share.
LogisticData l3_data(const World& w, bool smoke) {
    LogisticData s;
    if (!smoke) {
        s.n = npy_rows(fs::path(data_dir()) / "l3_X.npy");
        const Share share = share_of(s.n, w);
        if (w.rank == 0) {
            s.all = load_rows<double>("l3_X");
            s.y_all = labels_of(load_rows<double>("l3_y"));
            s.share = s.all.middleRows(share.first, share.count);
            s.y_share = s.y_all.segment(share.first, share.count);
        } else {
            s.share = load_rows<double>("l3_X", &share);
            s.y_share = labels_of(load_rows<double>("l3_y", &share));
        }
        return s;
    }
    const Index n = 2000, d = 20;
    random_engine rng(5);
    s.all = gaussian(n, d, rng);
    Vector<double> truth = Vector<double>::Zero(d);
    for (const Index j : rng.sample_without_replacement(d, 10)) truth(j) = rng.uniform(-10.0, 10.0);
    const Vector<double> margin = s.all * truth + 3.0 * gaussian(n, 1, rng).col(0);
    s.y_all = (margin.array() > 0.0).cast<int>();
    const Share share = share_of(n, w);
    s.share = s.all.middleRows(share.first, share.count);
    s.y_share = s.y_all.segment(share.first, share.count);
    if (w.rank != 0) {
        s.all.resize(0, 0);
        s.y_all.resize(0);
    }
    s.n = n;
    return s;
}

/// The solver's run inside a single-process fit on all rows, repeated untimed to count its
/// evaluations and Hessians (as linear_model/bench_logistic_regression.cpp does for L3).
linear_model::detail::lbfgs_result solver_run(const Matrix<double>& X, const Labels& y,
                                              const linear_model::LogisticRegressionParams& params) {
    namespace detail = linear_model::detail;
    const bool newton = params.solver == linear_model::Solver::newton_cholesky;
    const kestrel::detail::row_major_ref<double> Xr(X);
    const Vector<double> target = (y.array() == 1).cast<double>();
    Vector<double> weight = Vector<double>::Ones(X.rows());
    double strength = 1.0 / params.C;
    if (newton) {
        const double total = weight.sum();
        weight /= total;
        strength /= total;
    }
    const detail::logistic_objective<double> objective(Xr, target, std::move(weight), 1, params.fit_intercept, strength,
                                                       1);
    Eigen::VectorXd packed = Eigen::VectorXd::Zero(objective.size());
    return detail::solve_logistic(objective, packed, newton, params.max_iter, params.tol, nullptr);
}

/// A logistic model's coefficients and intercept, in one row.
Matrix<double> packed(const linear_model::LogisticRegression<double>& model) {
    Matrix<double> out(1, model.coef().cols() + 1);
    out.leftCols(model.coef().cols()) = model.coef();
    out(0, model.coef().cols()) = model.intercept()(0);
    return out;
}

void run_l3(const World& w, const Options& o, const SumCost& sum_cost, std::vector<Result>& results) {
    using linear_model::Solver;
    const std::vector<std::pair<std::string, Solver>> solvers{{"lbfgs", Solver::lbfgs},
                                                              {"newton", Solver::newton_cholesky}};
    bool any = false;
    for (const auto& [solver_name, solver] : solvers)
        any = any || wanted_of(o, "L3d", names_of(solver_name + "_", w.size)).any();
    if (!any) return;
    const LogisticData data = l3_data(w, o.smoke);
    const Index d = data.share.cols(), size = d + 1;  // the coefficients and the intercept
    for (const auto& [solver_name, solver] : solvers) {
        const Names names = names_of(solver_name + "_", w.size);
        const Wanted want = wanted_of(o, "L3d", names);
        if (!want.any()) continue;
        linear_model::LogisticRegressionParams params{
            .tol = 1e-4, .C = 1.0, .solver = solver, .max_iter = 100, .n_jobs = 1};
        distributed::LogisticRegression<double> spread(w.comm, params);
        distributed::LogisticRegression<double> one_rank(w.size == 1 ? w.comm : MPI_COMM_SELF, params);
        linear_model::LogisticRegression<double> single1(params);
        params.n_jobs = 2;
        linear_model::LogisticRegression<double> single2(params);
        params.n_jobs = 1;

        std::vector<Variant> variants;
        std::vector<const linear_model::LogisticRegression<double>*> models;
        const auto add = [&](bool keep, const std::string& name, bool alone,
                             const linear_model::LogisticRegression<double>& model, std::function<void()> fit) {
            if (!keep) return;
            variants.push_back({"BM_L3d/" + name, std::move(fit), alone});
            models.push_back(&model);
        };
        add(want.spread, names.spread, false, spread, [&] { spread.fit(data.share, data.y_share); });
        add(want.one_rank, names.one_rank, true, one_rank, [&] { one_rank.fit(data.all, data.y_all); });
        add(want.single1, names.single1, true, single1, [&] { single1.fit(data.all, data.y_all); });
        add(want.single2, names.single2, true, single2, [&] { single2.fit(data.all, data.y_all); });
        time_variants(variants, o.repetitions, w.comm);

        // The solver's work: on rank 0 alone, an untimed re-run on all rows; over the ranks, the
        // sums the fit reduced, by their size.
        const bool newton = solver == Solver::newton_cholesky;
        const long long eval_bytes = 8 * (size + 1), hessian_bytes = 8 * size * size;
        linear_model::detail::lbfgs_result rerun{};
        if (w.rank == 0) rerun = solver_run(data.all, data.y_all, params);
        // The figures are rank 0's (the other ranks hold no model of the fits rank 0 ran alone).
        const bool compare = want.one_rank && w.size > 1 && w.rank == 0;
        for (std::size_t i = 0; i < variants.size(); ++i) {
            const Variant& v = variants[i];
            if (v.alone && w.rank != 0) continue;
            const linear_model::LogisticRegression<double>& model = *models[i];
            const Vector<double> coef = model.coef().row(0).transpose();
            const double intercept = model.intercept()(0);
            // The objective and accuracy over every row: rank 0's alone, or each rank's loss and
            // hits summed.
            LogisticQuality quality{0, 0};
            if (v.alone) {
                quality = logistic_quality(data.all, data.y_all, coef, intercept, params.C);
            } else {
                const LogisticQuality local = logistic_quality(data.share, data.y_share, coef, intercept, params.C);
                const double penalty = 0.5 * coef.squaredNorm();
                quality.objective = reduce(local.objective - penalty, MPI_SUM, w.comm) + penalty;
                quality.accuracy = reduce(local.accuracy * static_cast<double>(data.share.rows()), MPI_SUM, w.comm) /
                                   static_cast<double>(data.n);
            }
            const double n_iter = model.n_iter();
            double n_eval = 0, n_hess = 0;
            if (&model == &spread && w.size > 1) {
                n_eval = static_cast<double>(v.samples.front().broadcasts.broadcasts_of(eval_bytes));
                n_hess = static_cast<double>(v.samples.front().broadcasts.broadcasts_of(hessian_bytes));
            } else if (rerun.n_iter == model.n_iter()) {
                n_eval = rerun.n_evaluations;
                n_hess = rerun.n_hessians;
            }
            const double fit_s = v.median_of(&Sample::seconds);
            const bool is_distributed = &model == &spread || &model == &one_rank;
            Counters c{{"ranks", &model == &spread ? w.size : 1},
                       {"threads", is_distributed ? 1 : model.params().n_jobs},
                       {"n_iter", n_iter},
                       {"objective", quality.objective},
                       {"accuracy", quality.accuracy},
                       {"fit_s", fit_s},
                       {"best_s", v.best()},
                       {"s_per_iter", fit_s / n_iter},
                       {"rows", static_cast<double>(data.n)},
                       {"reduced_bytes_per_eval", static_cast<double>(eval_bytes)}};
            if (newton) c.emplace_back("reduced_bytes_per_hessian", static_cast<double>(hessian_bytes));
            if (n_eval > 0) {
                c.emplace_back("n_eval", n_eval);
                c.emplace_back("s_per_eval", fit_s / n_eval);
                if (newton) c.emplace_back("n_hess", n_hess);
                c.emplace_back(
                    "reduced_bytes_per_iter",
                    (n_eval * static_cast<double>(eval_bytes) + n_hess * static_cast<double>(hessian_bytes)) / n_iter);
            }
            if (&model == &spread) {
                add_mpi_counters(c, v, 1.0, "fit");
                if (sum_cost.contains(size + 1) && (!newton || sum_cost.contains(size * size))) {
                    c.emplace_back("sum_alone_s_per_fit",
                                   n_eval * sum_cost.at(size + 1) + (newton ? n_hess * sum_cost.at(size * size) : 0.0));
                }
            }
            if (compare && &model != &one_rank) {
                c.emplace_back("max_rel_diff_1rank", max_rel_diff(packed(one_rank), packed(model)));
            }
            results.push_back({v.name, fit_s, std::move(c)});
        }
    }
}

// ---------------------------------------------------------------------------------------------
// B1: histogram gradient boosting, two classes, 20 iterations (smoke 5), no early stopping, float.

struct BoostingData {
    Matrix<float> all;  ///< every row, on rank 0 only
    Labels y_all;
    Matrix<float> share;  ///< this rank's rows
    Labels y_share;
    Matrix<float> test;  ///< held-out rows, on rank 0 only
    Labels y_test;
    Index n = 0;  ///< rows on every rank
    int n_iter = 20;
};

Labels labels_of(const Matrix<float>& y) { return Eigen::Map<const Vector<float>>(y.data(), y.size()).cast<int>(); }

// The full case from generate_data.py's files, or 2,000 rows of 28 features made in-process (the
// same draw on every rank); rank 0 keeps every row and the held-out rows, each rank its share.
BoostingData b1_data(const World& w, bool smoke) {
    BoostingData s;
    if (!smoke) {
        s.n = npy_rows(fs::path(data_dir()) / "b1_X.npy");
        const Share share = share_of(s.n, w);
        if (w.rank == 0) {
            s.all = load_rows<float>("b1_X");
            s.y_all = labels_of(load_rows<float>("b1_y"));
            s.share = s.all.middleRows(share.first, share.count);
            s.y_share = s.y_all.segment(share.first, share.count);
            s.test = load_rows<float>("b1_test_X");
            s.y_test = labels_of(load_rows<float>("b1_test_y"));
        } else {
            s.share = load_rows<float>("b1_X", &share);
            s.y_share = labels_of(load_rows<float>("b1_y", &share));
        }
        return s;
    }
    const auto c = datasets::make_classification<float>(
        {.n_samples = 2500, .n_features = 28, .n_informative = 14, .n_redundant = 7, .random_state = 30});
    s.n = 2000;
    s.all = c.X.topRows(s.n);
    s.y_all = c.y.head(s.n);
    s.test = c.X.bottomRows(500);
    s.y_test = c.y.tail(500);
    const Share share = share_of(s.n, w);
    s.share = s.all.middleRows(share.first, share.count);
    s.y_share = s.y_all.segment(share.first, share.count);
    if (w.rank != 0) {
        s.all.resize(0, 0);
        s.y_all.resize(0);
    }
    s.n_iter = 5;
    return s;
}

void run_b1(const World& w, const Options& o, std::vector<Result>& results) {
    const Names names = names_of("fit_", w.size);
    const Wanted want = wanted_of(o, "B1d", names);
    if (!want.any()) return;
    const BoostingData data = b1_data(w, o.smoke);
    using Model = ensemble::HistGradientBoostingClassifier<float>;
    ensemble::HistGradientBoostingClassifierParams params;
    params.max_iter = data.n_iter;
    params.early_stopping = false;
    params.n_jobs = 1;
    distributed::HistGradientBoostingClassifier<float> spread(w.comm, params);
    distributed::HistGradientBoostingClassifier<float> one_rank(w.size == 1 ? w.comm : MPI_COMM_SELF, params);
    Model single1(params);
    params.n_jobs = 2;
    Model single2(params);

    std::vector<Variant> variants;
    std::vector<const Model*> models;
    const auto add = [&](bool keep, const std::string& name, bool alone, const Model& model, std::function<void()> fit) {
        if (!keep) return;
        variants.push_back({"BM_B1d/" + name, std::move(fit), alone});
        models.push_back(&model);
    };
    add(want.spread, names.spread, false, spread, [&] { spread.fit(data.share, data.y_share); });
    add(want.one_rank, names.one_rank, true, one_rank, [&] { one_rank.fit(data.all, data.y_all); });
    add(want.single1, names.single1, true, single1, [&] { single1.fit(data.all, data.y_all); });
    add(want.single2, names.single2, true, single2, [&] { single2.fit(data.all, data.y_all); });
    time_variants(variants, o.repetitions, w.comm);

    // The figures are rank 0's: the held-out rows' accuracy and log loss (every rank holds the
    // same model of the fit over the ranks).
    if (w.rank != 0) return;
    const bool compare = want.one_rank && w.size > 1;
    for (std::size_t i = 0; i < variants.size(); ++i) {
        const Variant& v = variants[i];
        const Model& model = *models[i];
        const Matrix<float> proba = model.predict_proba(data.test);
        double loss = 0, hits = 0;
        for (Index r = 0; r < data.test.rows(); ++r) {
            const int k = data.y_test[r];
            loss -= std::log(std::max(static_cast<double>(proba(r, k)), 1e-15));
            hits += proba(r, k) >= proba(r, 1 - k) ? 1 : 0;
        }
        const auto held_out = static_cast<double>(data.test.rows());
        const double n_trees = model.n_iter();
        const double fit_s = v.median_of(&Sample::seconds);
        const bool is_distributed = &model == &spread || &model == &one_rank;
        Counters c{{"ranks", &model == &spread ? w.size : 1},
                   {"threads", is_distributed ? 1 : model.params().n_jobs},
                   {"n_iter", model.n_iter()},
                   {"log_loss", loss / held_out},
                   {"accuracy", hits / held_out},
                   {"fit_s", fit_s},
                   {"best_s", v.best()},
                   {"s_per_tree", fit_s / n_trees},
                   {"rows", static_cast<double>(data.n)}};
        if (&model == &spread) add_mpi_counters(c, v, n_trees, "tree");
        if (compare && &model != &one_rank) {
            c.emplace_back("max_rel_diff_1rank", max_rel_diff(one_rank.predict_proba(data.test).cast<double>(),
                                                              proba.cast<double>()));
        }
        results.push_back({v.name, fit_s, std::move(c)});
    }
}

// ---------------------------------------------------------------------------------------------

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (const char ch : text) {
        if (ch == '"' || ch == '\\') {
            out += '\\';
            out += ch;
        } else if (static_cast<unsigned char>(ch) < 0x20) {
            out += ' ';
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

std::string json_number(double value) {
    if (!std::isfinite(value)) return "null";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    return buffer;
}

std::string mpi_library() {
    char version[MPI_MAX_LIBRARY_VERSION_STRING];
    int length = 0;
    MPI_Get_library_version(version, &length);
    std::string text(version, static_cast<std::size_t>(length));
    text = text.substr(0, text.find_first_of(",\n"));
    return text;
}

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S+00:00", std::gmtime(&now));
    return buffer;
}

std::string load_average() {
    std::ifstream in("/proc/loadavg");
    double one = 0, five = 0, fifteen = 0;
    in >> one >> five >> fifteen;
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "[%.2f, %.2f, %.2f]", one, five, fifteen);
    return buffer;
}

void write_json(const fs::path& path, const World& w, const Options& o, const std::string& started,
                const std::string& load, const std::vector<Result>& results) {
    std::ofstream out(path);
    out << "{\n \"context\": {\"mpi_library\": " << json_string(mpi_library()) << ", \"ranks\": " << w.size
        << ", \"threads_per_rank\": 1, \"date\": " << json_string(started) << ", \"load_avg\": " << load
        << ", \"smoke\": " << (o.smoke ? "true" : "false") << ", \"rows\": "
        << json_string(w.size == 1 ? "the rank reads every row"
                                   : "rank 0 reads every row, which it also fits alone; the other ranks read their "
                                     "rows alone")
        << "},\n \"benchmarks\": [";
    for (std::size_t i = 0; i < results.size(); ++i) {
        const Result& r = results[i];
        out << (i ? ",\n" : "\n") << "  {\"name\": " << json_string(r.name)
            << ", \"median_s\": " << json_number(r.median_s) << ", \"counters\": {";
        for (std::size_t j = 0; j < r.counters.size(); ++j) {
            out << (j ? ", " : "") << json_string(r.counters[j].first) << ": " << json_number(r.counters[j].second);
        }
        out << "}}";
    }
    out << "\n ]\n}\n";
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

void print(const std::vector<Result>& results) {
    for (const Result& r : results) {
        std::printf("%-34s %12.6g s", r.name.c_str(), r.median_s);
        for (const auto& [key, value] : r.counters) std::printf("  %s=%.6g", key.c_str(), value);
        std::printf("\n");
    }
    std::fflush(stdout);
}

Options parse(int argc, char** argv) {
    Options o;
    o.smoke = smoke();
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--smoke") {
            o.smoke = true;
        } else if (arg == "--repetitions") {
            o.repetitions = std::max(1, std::stoi(value()));
        } else if (arg == "--filter") {
            o.filter = std::regex(value());
        } else if (arg == "--out") {
            o.out = value();
        } else {
            throw std::invalid_argument("unknown option " + arg +
                                        " (usage: bench_distributed [--smoke] [--repetitions N] [--filter REGEX] "
                                        "[--out FILE.json])");
        }
    }
    if (o.smoke) o.repetitions = 1;
    return o;
}

int run(int argc, char** argv) {
    World w;
    MPI_Comm_rank(w.comm, &w.rank);
    MPI_Comm_size(w.comm, &w.size);
    const Options o = parse(argc, argv);
    const std::string started = utc_now(), load = load_average();
    std::vector<Result> results;

    // The reductions first (on one rank communicator::sum returns at once): the powers of 4 from
    // 8 B to 8 MiB, and the sizes the cases reduce.
    SumCost sum_cost;
    if (w.size > 1) {
        std::vector<Reduction> sizes;
        for (Index doubles = 1; doubles <= (1 << 20); doubles *= 4) sizes.push_back({size_name(8 * doubles), doubles});
        const Index k = o.smoke ? 20 : 100, k1_d = 50, l3_d = o.smoke ? 20 : 100;
        sizes.push_back({"K1_iteration", k * k1_d + k + 1});
        sizes.push_back({"L3_evaluation", l3_d + 2});
        sizes.push_back({"L3_hessian", (l3_d + 1) * (l3_d + 1)});
        sum_cost = time_reductions(w, o, sizes, results);
    }
    run_k1(w, o, sum_cost, results);
    run_l3(w, o, sum_cost, results);
    run_b1(w, o, results);

    if (w.rank == 0) {
        print(results);
        if (!o.out.empty()) write_json(o.out, w, o, started, load, results);
    }
    return 0;
}

}  // namespace
}  // namespace kestrel::bench

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    int status = 0;
    try {
        status = kestrel::bench::run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_distributed: %s\n", e.what());
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    MPI_Finalize();
    return status;
}
