#pragma once
/// \file
/// The checks of one rank's rows (its shard) that every distributed fit makes: the same feature
/// count on every rank, finite values, weights, at least one sample over all ranks. Each failure
/// is thrown on every rank.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "../../core/detail/validation.hpp"
#include "../../core/error.hpp"
#include "../../core/types.hpp"
#include "../communicator.hpp"

namespace kestrel::distributed::detail {

using kestrel::detail::prefixed;
using kestrel::detail::row_major_ref;

/// Checks that every rank's X has the same number of columns, and at least one; the same message
/// on every rank otherwise (every rank knows every width, so none waits for another).
inline void check_widths(const communicator& comm, Index d, std::string_view estimator) {
    const std::vector<std::int64_t> widths = comm.gather(static_cast<std::int64_t>(d));
    for (int r = 1; r < comm.size(); ++r) {
        if (widths[static_cast<std::size_t>(r)] != widths[0]) {
            throw invalid_input(prefixed(estimator, "X has " + std::to_string(widths[static_cast<std::size_t>(r)]) +
                                                        " features on rank " + std::to_string(r) + " but " +
                                                        std::to_string(widths[0]) +
                                                        " on rank 0; every rank's rows need the same features"));
        }
    }
    if (widths[0] == 0) throw invalid_input(prefixed(estimator, "X has no features (0 columns) on every rank"));
}

/// Reads every rank's rows for NaN and infinity; the lowest rank holding one throws invalid_input
/// on every rank, naming the value's row on that rank and among all ranks' rows (rows of lower
/// ranks first), and its column.
template <class M>
void check_finite_rows(const communicator& comm, const M& X, std::string_view estimator) {
    const row_layout layout = layout_of(comm, X.rows());
    comm.agree([&] {
        if (X.rows() == 0 || kestrel::detail::all_finite(X)) return;
        for (Index i = 0; i < X.rows(); ++i) {
            for (Index j = 0; j < X.cols(); ++j) {
                const auto v = X(i, j);
                if (std::isfinite(v)) continue;
                throw invalid_input(prefixed(
                    estimator, std::string("X contains ") + (std::isnan(v) ? "NaN" : "infinity") + " at row " +
                                   std::to_string(i) + ", column " + std::to_string(j) + " of this rank's rows (row " +
                                   std::to_string(layout.first + i) +
                                   " of all ranks' rows); remove or impute non-finite values first"));
            }
        }
    });
}

/// Checks this rank's rows and returns where they sit among all ranks' rows: the same width on
/// every rank, finite values (when `values`; see check_finite_rows), and at least one row over all
/// ranks (a rank may hold none).
template <class M>
row_layout check_shard(const communicator& comm, const M& X, std::string_view estimator, bool values = true) {
    check_widths(comm, X.cols(), estimator);
    if (values) check_finite_rows(comm, X, estimator);
    const row_layout layout = layout_of(comm, X.rows());
    if (layout.total == 0) throw invalid_input(prefixed(estimator, "X has no samples (0 rows) on every rank"));
    return layout;
}

/// Checks a per-row array (a target, weights) of this rank: one entry per local row.
inline void check_rows_of(const communicator& comm, Index n_rows, Index length, std::string_view estimator,
                          std::string_view name) {
    comm.agree([&] { kestrel::detail::check_same_length(n_rows, length, estimator, name); });
}

/// This rank's sample weights, checked (one per row, finite, non-negative; empty: all 1), and
/// not all zero over all ranks.
template <class T, class W>
Vector<T> shard_weights(const communicator& comm, const W& sample_weight, Index n_rows, std::string_view estimator) {
    Vector<T> w;
    comm.agree([&] {
        if (sample_weight.size() == 0) {
            w = Vector<T>::Ones(n_rows);
            return;
        }
        kestrel::detail::check_same_length(n_rows, sample_weight.size(), estimator, "sample_weight");
        w = sample_weight;
        for (Index i = 0; i < n_rows; ++i) {
            if (!std::isfinite(static_cast<double>(w[i])) || w[i] < 0) {
                throw invalid_input(prefixed(estimator, "sample_weight[" + std::to_string(i) +
                                                            "] is negative, NaN or infinite; weights must be finite "
                                                            "and >= 0"));
            }
        }
    });
    if (!(comm.total(w.template cast<double>().sum()) > 0)) {
        throw invalid_input(prefixed(estimator, "sample_weight sums to zero over all ranks; at least one sample must "
                                                "weigh more than zero"));
    }
    return w;
}

/// The sorted distinct labels of every rank's y (at least two, else invalid_input on every rank).
inline Labels all_classes(const communicator& comm, const Labels& y, std::string_view estimator) {
    const Labels local = y.size() > 0 ? kestrel::detail::distinct_labels(y) : Labels();
    std::vector<int> all = comm.gather(std::vector<int>(local.data(), local.data() + local.size()));
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    return kestrel::detail::unique_labels(Eigen::Map<const Labels>(all.data(), static_cast<Index>(all.size())),
                                          estimator);
}

/// The rank that holds the lowest global rows: the first rank with any.
inline int first_rank_with_rows(const communicator& comm, Index n_rows) {
    const std::vector<std::int64_t> rows = comm.gather(static_cast<std::int64_t>(n_rows));
    for (int r = 0; r < comm.size(); ++r) {
        if (rows[static_cast<std::size_t>(r)] > 0) return r;
    }
    return 0;
}

}  // namespace kestrel::distributed::detail
