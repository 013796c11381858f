#pragma once
/// \file
/// kestrel's one parallel layer, and the only header that names OpenMP.
///
/// Rules every parallel loop in kestrel follows:
/// - Work is cut into a `partition` whose parts depend on the data's shape only, never on the
///   thread count; partial results are combined in part order, so a fit gives the same bits for
///   any `n_jobs`. Only work whose every output is computed alike wherever a part boundary falls
///   (an SVM kernel row's entries, the SMO scans' parts at whole registers) may be cut one part a
///   thread.
/// - A partition of one part runs inline: small inputs do not pay for waking a thread team.
/// - Inside a loop that is already parallel (folds of a cross-validation, say), an estimator runs
///   serially instead of oversubscribing the cores.
/// - An exception thrown by a task is carried out of the threads and rethrown by the caller.
/// Without OpenMP (`-fopenmp` off) everything runs serially with the same results.

#include <algorithm>
#include <cstddef>
#include <exception>
#include <utility>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include "../types.hpp"

namespace kestrel::detail {

/// Whether the caller already runs inside an active parallel region.
inline bool in_parallel_region() noexcept {
#if defined(_OPENMP)
    return omp_in_parallel() != 0;
#else
    return false;
#endif
}

/// Threads to use for `n_jobs`: 0 means every available core, a positive number that many; 1
/// inside a region that is already parallel (the nesting rule).
inline int resolve_n_jobs(int n_jobs) noexcept {
#if defined(_OPENMP)
    if (in_parallel_region()) return 1;
    return n_jobs <= 0 ? omp_get_max_threads() : n_jobs;
#else
    (void)n_jobs;
    return 1;
#endif
}

/// The processors the threads may run on (1 without OpenMP): a bound for work cut one part a
/// thread, which more threads than processors would only slow.
inline int processors() noexcept {
#if defined(_OPENMP)
    return std::max(omp_get_num_procs(), 1);
#else
    return 1;
#endif
}

/// Rows cut into `count()` contiguous parts of near-equal size. Each family chooses the count
/// from the data's shape (and the memory a part's partial result takes), never from the threads.
class partition {
public:
    partition(Index n_rows, Index count) noexcept
        : n_rows_(n_rows), count_(std::clamp<Index>(count, 1, std::max<Index>(n_rows, 1))) {}

    [[nodiscard]] Index rows() const noexcept { return n_rows_; }
    [[nodiscard]] Index count() const noexcept { return count_; }
    [[nodiscard]] Index begin(Index part) const noexcept { return part * n_rows_ / count_; }
    [[nodiscard]] Index end(Index part) const noexcept { return (part + 1) * n_rows_ / count_; }

private:
    Index n_rows_ = 0, count_ = 1;
};

/// Runs task(i) for every i in [0, n_tasks) on up to `n_threads` threads (dynamic scheduling:
/// tasks may differ in cost). A task must write only its own outputs. The first exception (by
/// task index) is rethrown once every task has run.
template <class Task>
void parallel_for(Index n_tasks, int n_threads, Task&& task) {
    const int threads = in_parallel_region() ? 1 : static_cast<int>(std::min<Index>(std::max(n_threads, 1), n_tasks));
    if (threads <= 1) {
        for (Index i = 0; i < n_tasks; ++i) task(i);
        return;
    }
    std::vector<std::exception_ptr> errors(static_cast<std::size_t>(n_tasks));
#if defined(_OPENMP)
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
#endif
    for (Index i = 0; i < n_tasks; ++i) {
        try {
            task(i);
        } catch (...) {
            errors[static_cast<std::size_t>(i)] = std::current_exception();
        }
    }
    for (const std::exception_ptr& error : errors) {
        if (error) std::rethrow_exception(error);
    }
}

/// Runs body(part, first_row, end_row) for every part of `parts` on up to `n_threads` threads.
template <class Body>
void parallel_for(const partition& parts, int n_threads, Body&& body) {
    parallel_for(parts.count(), n_threads, [&](Index p) { body(p, parts.begin(p), parts.end(p)); });
}

/// An ordered reduction: map(part, first_row, end_row) gives each part's partial result, in
/// parallel; combine(accumulated, partial) folds them in part order, serially, starting at `init`.
template <class R, class Map, class Combine>
R parallel_reduce(const partition& parts, int n_threads, R init, Map&& map, Combine&& combine) {
    struct slot {  // not std::vector<bool>: its packed bits cannot be written from several threads
        R value;
    };
    std::vector<slot> partial(static_cast<std::size_t>(parts.count()), slot{init});
    parallel_for(parts, n_threads, [&](Index p, Index begin, Index end) {
        partial[static_cast<std::size_t>(p)].value = map(p, begin, end);
    });
    R result = std::move(init);
    for (slot& s : partial) result = combine(std::move(result), std::move(s.value));
    return result;
}

}  // namespace kestrel::detail
