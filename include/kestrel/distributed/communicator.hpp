#pragma once
/// \file
/// The MPI layer under kestrel::distributed: sums reduced in a fixed order (so every rank gets the
/// same bits, run after run), broadcasts and gathers, and the agreement that turns an exception
/// on one rank into the same exception on every rank instead of a hang.

#include <mpi.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "../core/error.hpp"
#include "../core/types.hpp"

namespace kestrel::distributed {

/// A rank failed with an exception that is not one of kestrel's (std::bad_alloc, say): every rank
/// throws this, naming the failing rank and its message.
class rank_error : public std::runtime_error, public kestrel::error {
public:
    /// An exception carrying `message` as its what().
    explicit rank_error(const std::string& message) : std::runtime_error(message) {}
    /// The message given at construction.
    [[nodiscard]] const char* what() const noexcept override { return std::runtime_error::what(); }
};

namespace detail {

/// The MPI datatype of T (double, float, int or int64).
template <class T>
constexpr MPI_Datatype mpi_type() {
    if constexpr (std::is_same_v<T, double>) {
        return MPI_DOUBLE;
    } else if constexpr (std::is_same_v<T, float>) {
        return MPI_FLOAT;
    } else if constexpr (std::is_same_v<T, int>) {
        return MPI_INT;
    } else {
        static_assert(std::is_same_v<T, std::int64_t>, "reduced values are double, float, int or int64");
        return MPI_INT64_T;
    }
}

/// One communicator's rank and size, and the collectives the distributed estimators use. Every
/// collective must be reached by every rank in the same order; the estimators keep that by running
/// whatever may throw inside `agree`, which all ranks leave together, throwing or not.
class communicator {
public:
    /// The communicator `comm` (not owned); throws invalid_input when MPI is not initialised.
    explicit communicator(MPI_Comm comm) : comm_(comm) {
        int initialized = 0;
        MPI_Initialized(&initialized);
        if (initialized == 0) {
            throw invalid_input("kestrel::distributed: MPI is not initialised; call MPI_Init before fitting");
        }
        MPI_Comm_rank(comm_, &rank_);
        MPI_Comm_size(comm_, &size_);
    }

    /// The MPI communicator.
    [[nodiscard]] MPI_Comm get() const noexcept { return comm_; }
    /// This process's rank.
    [[nodiscard]] int rank() const noexcept { return rank_; }
    /// The number of ranks.
    [[nodiscard]] int size() const noexcept { return size_; }

    /// Runs `work` on this rank, then agrees with every other rank on whether any threw. If one
    /// did, every rank throws the exception of the lowest failing rank: the same type (kestrel's
    /// exceptions keep theirs, any other becomes rank_error) and the same message, prefixed by
    /// "rank r: " when more than one rank runs.
    template <class Work>
    void agree(Work&& work) const {
        int kind = ok;
        std::string message;
        try {
            std::forward<Work>(work)();
        } catch (const invalid_parameter& e) {
            kind = parameter, message = e.what();
        } catch (const invalid_input& e) {
            kind = input, message = e.what();
        } catch (const not_fitted& e) {
            kind = unfitted, message = e.what();
        } catch (const io_error& e) {
            kind = io, message = e.what();
        } catch (const rank_error& e) {
            kind = other, message = e.what();
        } catch (const std::exception& e) {
            kind = other, message = e.what();
        } catch (...) {
            kind = other, message = "unknown exception";
        }
        int failing = kind == ok ? size_ : rank_;
        MPI_Allreduce(MPI_IN_PLACE, &failing, 1, MPI_INT, MPI_MIN, comm_);
        if (failing == size_) return;
        int header[2] = {kind, static_cast<int>(message.size())};
        MPI_Bcast(header, 2, MPI_INT, failing, comm_);
        message.resize(static_cast<std::size_t>(header[1]));
        MPI_Bcast(message.data(), header[1], MPI_CHAR, failing, comm_);
        if (size_ > 1 && header[0] != parameter) message = "rank " + std::to_string(failing) + ": " + message;
        switch (header[0]) {
            case parameter:
                throw invalid_parameter(message);
            case input:
                throw invalid_input(message);
            case unfitted:
                throw not_fitted(message);
            case io:
                throw io_error(message);
            default:
                throw rank_error(message);
        }
    }

    /// Replaces values[0..n) on every rank by their sum over the ranks, added in one fixed order
    /// (a binomial tree towards rank 0, then a broadcast): the same bits on every rank and in every
    /// run with this many ranks, which MPI_Allreduce does not promise.
    template <class V>
    void sum(V* values, Index n) const {
        if (size_ == 1 || n == 0) return;
        const int count = static_cast<int>(n);
        std::vector<V> received(static_cast<std::size_t>(n));
        for (int step = 1; step < size_; step *= 2) {
            if (rank_ % (2 * step) == step) {
                MPI_Send(values, count, mpi_type<V>(), rank_ - step, tag, comm_);
                break;
            }
            if (rank_ % (2 * step) == 0 && rank_ + step < size_) {
                MPI_Recv(received.data(), count, mpi_type<V>(), rank_ + step, tag, comm_, MPI_STATUS_IGNORE);
                for (Index i = 0; i < n; ++i) values[i] += received[static_cast<std::size_t>(i)];
            }
        }
        MPI_Bcast(values, count, mpi_type<V>(), 0, comm_);
    }
    /// sum() over a dense Eigen object, in place.
    template <class Derived>
    void sum(Eigen::PlainObjectBase<Derived>& values) const {
        sum(values.data(), values.size());
    }
    /// The sum of one value over the ranks.
    template <class V>
    [[nodiscard]] V total(V value) const {
        sum(&value, 1);
        return value;
    }

    /// The largest of one value over the ranks.
    template <class V>
    [[nodiscard]] V max(V value) const {
        MPI_Allreduce(MPI_IN_PLACE, &value, 1, mpi_type<V>(), MPI_MAX, comm_);
        return value;
    }
    /// Whether `value` holds on every rank.
    [[nodiscard]] bool all(bool value) const {
        int v = value ? 1 : 0;
        MPI_Allreduce(MPI_IN_PLACE, &v, 1, MPI_INT, MPI_MIN, comm_);
        return v == 1;
    }

    /// values[0..n) from rank `root` to every rank.
    template <class V>
    void broadcast(V* values, Index n, int root) const {
        if (size_ > 1 && n > 0) MPI_Bcast(values, static_cast<int>(n), mpi_type<V>(), root, comm_);
    }

    /// One value from each rank, in rank order, on every rank.
    template <class V>
    [[nodiscard]] std::vector<V> gather(V value) const {
        std::vector<V> out(static_cast<std::size_t>(size_));
        MPI_Allgather(&value, 1, mpi_type<V>(), out.data(), 1, mpi_type<V>(), comm_);
        return out;
    }

    /// Every rank's `values` (any length, possibly none), concatenated in rank order, on every rank.
    /// Throws invalid_input on every rank when the values of all ranks number more than MPI's
    /// counts hold (2³¹ − 1).
    template <class V>
    [[nodiscard]] std::vector<V> gather(const std::vector<V>& values) const {
        const std::vector<std::int64_t> sizes = gather(static_cast<std::int64_t>(values.size()));
        std::int64_t all = 0;
        for (const std::int64_t s : sizes) all += s;
        if (all > std::numeric_limits<int>::max()) {
            throw invalid_input("kestrel::distributed: " + std::to_string(all) +
                                " values to gather from every rank, more than one MPI call moves (2^31 - 1)");
        }
        std::vector<int> counts(sizes.begin(), sizes.end());
        std::vector<int> offsets(counts.size(), 0);
        for (std::size_t r = 1; r < counts.size(); ++r) offsets[r] = offsets[r - 1] + counts[r - 1];
        std::vector<V> out(static_cast<std::size_t>(offsets.back() + counts.back()));
        MPI_Allgatherv(values.data(), static_cast<int>(values.size()), mpi_type<V>(), out.data(), counts.data(),
                       offsets.data(), mpi_type<V>(), comm_);
        return out;
    }

private:
    enum : int { ok, parameter, input, unfitted, io, other };
    static constexpr int tag = 7411;

    MPI_Comm comm_;
    int rank_ = 0;
    int size_ = 1;
};

/// Where this rank's rows sit among all ranks' rows: the global index of its first row and the
/// global count (rows of lower ranks come first).
struct row_layout {
    Index first = 0;  ///< global index of this rank's first row
    Index local = 0;  ///< rows on this rank
    Index total = 0;  ///< rows on all ranks
};

/// The row layout of `local` rows on each rank.
inline row_layout layout_of(const communicator& comm, Index local) {
    const std::vector<std::int64_t> counts = comm.gather(static_cast<std::int64_t>(local));
    row_layout out{0, local, 0};
    for (int r = 0; r < comm.size(); ++r) {
        if (r < comm.rank()) out.first += static_cast<Index>(counts[static_cast<std::size_t>(r)]);
        out.total += static_cast<Index>(counts[static_cast<std::size_t>(r)]);
    }
    return out;
}

}  // namespace detail
}  // namespace kestrel::distributed
