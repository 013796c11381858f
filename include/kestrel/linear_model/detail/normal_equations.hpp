#pragma once
/// \file
/// The centred, weighted normal equations of a least-squares problem, formed in one parallel
/// pass over X, and their solution: Cholesky when well conditioned, a complete orthogonal
/// decomposition (minimum norm, as LAPACK's gelsd) otherwise.

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/QR>

#include "../../core/detail/parallel.hpp"
#include "../../core/simd/gram.hpp"
#include "../../core/detail/validation.hpp"
#include "../../core/types.hpp"

namespace kestrel::linear_model::detail {

using kestrel::detail::row_major_ref;

/// Column-major dense matrix: Gram matrices, coordinate-descent copies of X.
template <class T>
using ColMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;

/// The fixed split of n rows into chunks for the linear models' sums: at least 4,096 rows a chunk,
/// at most 16 chunks, and no more than 32 MB of per-chunk partial results.
inline kestrel::detail::partition row_chunks(Index rows, Index bytes_per_partial) {
    constexpr Index min_rows = 4096, max_chunks = 16, partial_budget = Index{1} << 25;
    const Index count = std::clamp<Index>(rows / min_rows, 1, max_chunks);
    return {rows, std::min(count, std::max<Index>(1, partial_budget / std::max<Index>(bytes_per_partial, 1)))};
}

/// The centred, weighted sufficient statistics of a linear least-squares fit.
template <class T>
struct normal_equations {
    ColMatrix<T> gram;   ///< Σ wᵢ (xᵢ − x̄)(xᵢ − x̄)ᵀ, d × d, both triangles
    ColMatrix<T> xty;    ///< Σ wᵢ (xᵢ − x̄)(yᵢ − ȳ)ᵀ, d × targets
    Vector<T> yty;       ///< Σ wᵢ (yᵢ − ȳ)², per target
    Vector<T> x_offset;  ///< x̄ (weighted mean, or zero without an intercept)
    Vector<T> y_offset;  ///< ȳ, per target
};

/// The (weighted) column means of X, or zeros when `fit_intercept` is false.
template <class T, class M>
Vector<T> column_offsets(const M& X, const Vector<T>& w, bool fit_intercept) {
    if (!fit_intercept) return Vector<T>::Zero(X.cols());
    if (w.size() == 0) return (X.transpose() * Vector<T>::Ones(X.rows())) / static_cast<T>(X.rows());
    return (X.transpose() * w) / w.sum();
}

/// Σ wᵢ (xᵢ − s)(xᵢ − s)ᵀ and the other sums of the normal equations around fixed shifts s (of
/// X) and s' (of Y): what the rows of one process, or one rank of a distributed fit, contribute.
template <class T>
struct shifted_sums {
    ColMatrix<T> gram;  ///< Σ w (x − s)(x − s)ᵀ, d × d, the lower triangle only
    ColMatrix<T> xty;   ///< Σ w (x − s)(y − s')ᵀ, d × targets
    Vector<T> x_sum;    ///< Σ w (x − s)
    Vector<T> y_sum;    ///< Σ w (y − s'), per target
    Vector<T> yty;      ///< Σ w (y − s')², per target
    T weight = 0;       ///< Σ w

    shifted_sums(Index d, Index t)
        : gram(ColMatrix<T>::Zero(d, d)), xty(ColMatrix<T>::Zero(d, t)), x_sum(Vector<T>::Zero(d)),
          y_sum(Vector<T>::Zero(t)), yty(Vector<T>::Zero(t)) {}
    void add(const shifted_sums& other) {
        gram += other.gram;
        xty += other.xty;
        x_sum += other.x_sum;
        y_sum += other.y_sum;
        yty += other.yty;
        weight += other.weight;
    }
    /// Calls f(pointer, count) on each array in a fixed order (flattening for a reduction).
    template <class F>
    void each_array(F&& f) {
        f(gram.data(), gram.size());
        f(xty.data(), xty.size());
        f(x_sum.data(), x_sum.size());
        f(y_sum.data(), y_sum.size());
        f(yty.data(), yty.size());
        f(&weight, Index{1});
    }
};

/// The shifts the normal equations are summed around: the mean of the first rows (at most 1,024)
/// of X and of Y when fitting an intercept, zeros otherwise.
template <class T, class S = T>
std::pair<Vector<T>, Vector<T>> normal_shifts(const row_major_ref<S>& X, const Eigen::Ref<const ColMatrix<T>>& Y,
                                              bool fit_intercept) {
    std::pair<Vector<T>, Vector<T>> out{Vector<T>::Zero(X.cols()), Vector<T>::Zero(Y.cols())};
    const Index head = std::min<Index>(X.rows(), 1024);
    if (fit_intercept && head > 0) {
        out.first = X.topRows(head).template cast<T>().colwise().mean().transpose();
        out.second = Y.topRows(head).colwise().mean().transpose();
    }
    return out;
}

/// The shifted sums of rows xᵢ, targets yᵢ (one column per target) and weights wᵢ (empty: all
/// 1) in one pass over X. Each chunk of rows accumulates Σ w (x − s)(x − s)ᵀ (the packed,
/// register-tiled product of core/simd/gram.hpp) with the other sums while its rows are in
/// cache; the chunks are added in chunk order, so the sums do not depend on the thread count.
/// When √w and √w (y − s') fit in the padding of the Gram's last panel, they ride along as extra
/// columns and the tiles give Σ w (x − s), Xᵀy and the y sums too; otherwise those come from the
/// packed block afterwards.
///
/// X may hold S = float for T = double: the sums of float data in double precision.
template <class T, class S = T>
shifted_sums<T> shifted_normal_sums(const row_major_ref<S>& X, const Eigen::Ref<const ColMatrix<T>>& Y,
                                    const Vector<T>& w, const Vector<T>& x_shift, const Vector<T>& y_shift,
                                    int n_jobs) {
    const Index n = X.rows(), d = X.cols(), t = Y.cols();
    const bool weighted = w.size() > 0;
    if (n == 0) return shifted_sums<T>(d, t);
    const kestrel::detail::partition chunks = row_chunks(n, static_cast<Index>(sizeof(T)) * (d + t + 2) * (d + t + 2));
    std::vector<shifted_sums<T>> parts(static_cast<std::size_t>(chunks.count()), shifted_sums<T>(0, t));
    kestrel::detail::parallel_for(
        chunks, kestrel::detail::resolve_n_jobs(n_jobs), [&](Index c, Index first, Index last) {
            using accumulator = kestrel::detail::simd::gram_accumulator<T>;
            constexpr Index block = accumulator::block_rows;
            shifted_sums<T>& p = parts[static_cast<std::size_t>(c)];
            const bool fused = accumulator::fits_in_padding(d, 1 + t);
            accumulator acc(d, fused ? 1 + t : 0);
            p.xty = ColMatrix<T>::Zero(d, t);
            p.x_sum = Vector<T>::Zero(d);
            Vector<T> root_w(block), yc(block);
            ColMatrix<T> ys(fused ? block : 0, fused ? t : 0);
            std::vector<const T*> extras;
            if (fused) {
                extras.push_back(root_w.data());
                for (Index j = 0; j < t; ++j) extras.push_back(ys.col(j).data());
            }
            const Index stride = X.outerStride();
            for (Index start = first; start < last; start += block) {
                const Index m = std::min(block, last - start);
                auto rw = root_w.head(m);
                if (weighted) {
                    rw = w.segment(start, m).cwiseSqrt();
                    p.weight += w.segment(start, m).sum();
                } else {
                    rw.setOnes();
                    p.weight += static_cast<T>(m);
                }
                if (fused) {
                    for (Index j = 0; j < t; ++j) {
                        ys.col(j).head(m) = ((Y.col(j).segment(start, m).array() - y_shift[j]) * rw.array()).matrix();
                    }
                }
                acc.pack(X.data() + start * stride, stride, m, x_shift.data(), weighted ? rw.data() : nullptr,
                         fused ? extras.data() : nullptr);
                // While this block is multiplied, the next one is fetched.
                const Index next = std::min(block, last - start - m);
                acc.update(next > 0 ? X.data() + (start + m) * stride : nullptr,
                           static_cast<std::size_t>(next * stride) * sizeof(S));
                if (fused) continue;
                acc.weighted_column_sums(rw.data(), p.x_sum.data());
                for (Index j = 0; j < t; ++j) {
                    auto ym = yc.head(m);
                    ym = (Y.col(j).segment(start, m).array() - y_shift[j]) * rw.array();
                    acc.weighted_column_sums(ym.data(), p.xty.col(j).data());
                    p.y_sum[j] += ym.dot(rw);
                    p.yty[j] += ym.squaredNorm();
                }
            }
            acc.lower_triangle(p.gram);
            if (fused) {  // the extra columns' rows of the lower triangle: a = d (√w), d + 1 + j (targets)
                for (Index c = 0; c < d; ++c) {
                    p.x_sum[c] = acc.at(d, c);
                    for (Index j = 0; j < t; ++j) p.xty(c, j) = acc.at(d + 1 + j, c);
                }
                for (Index j = 0; j < t; ++j) {
                    p.y_sum[j] = acc.at(d + 1 + j, d);
                    p.yty[j] = acc.at(d + 1 + j, d + 1 + j);
                }
            }
        });
    for (std::size_t c = 1; c < parts.size(); ++c) parts[0].add(parts[c]);
    return std::move(parts[0]);
}

/// The centred normal equations from sums around the shifts (x_shift, y_shift):
/// Σ w (x − x̄)(y − ȳ)ᵀ = Σ w (x − s)(y − s')ᵀ − (Σ w (x − s))(Σ w (y − s'))ᵀ / Σ w, and so on.
template <class T>
normal_equations<T> centre_normal_sums(shifted_sums<T> sums, const Vector<T>& x_shift, const Vector<T>& y_shift,
                                       bool fit_intercept) {
    const Index d = sums.gram.rows(), t = sums.xty.cols();
    normal_equations<T> ne{std::move(sums.gram), std::move(sums.xty), std::move(sums.yty), {}, {}};
    if (fit_intercept) {
        const T weight = sums.weight;
        ne.gram.template selfadjointView<Eigen::Lower>().rankUpdate(sums.x_sum, T(-1) / weight);
        ne.xty.noalias() -= sums.x_sum * sums.y_sum.transpose() / weight;
        ne.yty -= sums.y_sum.cwiseAbs2() / weight;
        ne.x_offset = x_shift + sums.x_sum / weight;
        ne.y_offset = y_shift + sums.y_sum / weight;
    } else {
        ne.x_offset = Vector<T>::Zero(d);
        ne.y_offset = Vector<T>::Zero(t);
    }
    ne.gram.template triangularView<Eigen::StrictlyUpper>() = ne.gram.transpose();
    return ne;
}

/// Forms the normal equations of rows xᵢ, targets yᵢ (one column per target) and weights wᵢ
/// (empty: all 1) in one pass: the shifted sums around the mean of the first rows, which keeps
/// the final centring free of cancellation when the data sit far from the origin; the mean
/// itself comes out of the same pass.
///
/// X may hold S = float for T = double: the normal equations of float data in double precision.
template <class T, class S = T>
normal_equations<T> centred_normal_equations(const row_major_ref<S>& X, const Eigen::Ref<const ColMatrix<T>>& Y,
                                             const Vector<T>& w, bool fit_intercept, int n_jobs) {
    const auto [x_shift, y_shift] = normal_shifts<T, S>(X, Y, fit_intercept);
    return centre_normal_sums<T>(shifted_normal_sums<T, S>(X, Y, w, x_shift, y_shift, n_jobs), x_shift, y_shift,
                                 fit_intercept);
}

/// Reads X for its first NaN or infinity (throwing kestrel::invalid_input for `estimator`) when
/// its normal equations are not finite, which a NaN or an infinity in X always makes them: the fits
/// that form them need no separate read of X to check it.
template <class T, class S>
void check_finite_through(const normal_equations<T>& ne, const row_major_ref<S>& X, std::string_view estimator) {
    if (!(ne.gram.allFinite() && ne.xty.allFinite())) kestrel::detail::check_finite(X, estimator);
}

/// √wᵢ (xᵢ − x̄) as a column-major matrix: the design a rank-revealing or coordinate-descent
/// solver works on.
template <class T>
ColMatrix<T> centred_design(const row_major_ref<T>& X, const Vector<T>& x_offset, const Vector<T>& w) {
    ColMatrix<T> A(X.rows(), X.cols());
    // A transposing copy, a few rows at a time so that reads and writes both stay in cache.
    constexpr Index block = 64;
    const Index n_blocks = (X.rows() + block - 1) / block;
    kestrel::detail::parallel_for(n_blocks, kestrel::detail::resolve_n_jobs(0), [&](Index b) {
        const Index start = b * block, m = std::min(block, X.rows() - start);
        A.middleRows(start, m) = X.middleRows(start, m).rowwise() - x_offset.transpose();
        if (w.size() > 0) A.middleRows(start, m).array().colwise() *= w.segment(start, m).cwiseSqrt().array();
    });
    return A;
}

/// √wᵢ (yᵢ − ȳ), one column per target.
template <class T>
ColMatrix<T> centred_targets(const Eigen::Ref<const ColMatrix<T>>& Y, const Vector<T>& y_offset, const Vector<T>& w) {
    ColMatrix<T> B = Y.rowwise() - y_offset.transpose();
    if (w.size() > 0) B.array().colwise() *= w.cwiseSqrt().array();
    return B;
}

/// Solves (G + αI) W = R by Cholesky; false when G + αI is singular or its condition number
/// exceeds 1/√ε, beyond which the normal equations (whose error grows as cond(G)·ε) would fall
/// short of a least-squares solver's accuracy (cond(X)·ε = √cond(G)·ε).
template <class T>
bool solve_by_cholesky(ColMatrix<T> G, const ColMatrix<T>& R, T alpha, ColMatrix<T>& W) {
    G.diagonal().array() += alpha;
    const Eigen::LLT<ColMatrix<T>> llt(G);
    if (llt.info() != Eigen::Success || !(llt.rcond() > std::sqrt(std::numeric_limits<T>::epsilon()))) return false;
    W = llt.solve(R);
    return true;
}

/// Whether the first rows of float data (at most 1,024) already show its normal equations too ill
/// conditioned for Cholesky in float: whether their columns' (weighted) sums of squared deviations
/// from the mean (from zero without an intercept), each plus α scaled to the rows' share of the
/// weight, spread wider than 1/√ε_float. The condition number of the normal equations is at least
/// that spread (its largest and smallest eigenvalues bound its diagonal), so such data fails float's
/// test (solve_by_cholesky<float>) whenever the rows stand for the rest; a float fit then forms the
/// normal equations in double at once, instead of in float first. Columns constant on those rows
/// (or NaN there) say nothing and are left out. One read of the rows, in double.
inline bool float_normal_equations_spread_too_wide(const row_major_ref<float>& X, const Vector<double>& w,
                                                   bool fit_intercept, double alpha) {
    const Index head = std::min<Index>(X.rows(), 1024), d = X.cols();
    const Vector<double> rw = w.size() > 0 ? Vector<double>(w.head(head)) : Vector<double>::Ones(head);
    const double weight = rw.sum();
    if (!(weight > 0)) return false;
    const double share = w.size() > 0 ? weight / w.sum() : static_cast<double>(head) / static_cast<double>(X.rows());
    Vector<double> mean = Vector<double>::Zero(d), squares = Vector<double>::Zero(d);
    if (fit_intercept) {
        for (Index i = 0; i < head; ++i) mean += rw[i] * X.row(i).transpose().template cast<double>();
        mean /= weight;
    }
    for (Index i = 0; i < head; ++i) {
        squares.array() += rw[i] * (X.row(i).transpose().template cast<double>() - mean).array().square();
    }
    double low = 0, high = 0;
    bool any = false;
    for (Index j = 0; j < d; ++j) {
        if (!(squares[j] > 0)) continue;
        const double value = squares[j] + alpha * share;
        low = any ? std::min(low, value) : value;
        high = any ? std::max(high, value) : value;
        any = true;
    }
    return any && high > low / std::sqrt(static_cast<double>(std::numeric_limits<float>::epsilon()));
}

/// The minimum-norm minimiser of ‖A W − B‖² + α‖W‖² (α ≥ 0) by a complete orthogonal decomposition,
/// singular values below max(rows, cols)·ε of the largest treated as zero.
template <class T>
ColMatrix<T> minimum_norm_solution(const ColMatrix<T>& A, const ColMatrix<T>& B, T alpha) {
    ColMatrix<T> As = A, Bs = B;
    if (alpha > 0) {
        const Index n = A.rows(), d = A.cols();
        As.resize(n + d, d);
        As << A, ColMatrix<T>::Identity(d, d) * std::sqrt(alpha);
        Bs.resize(n + d, B.cols());
        Bs << B, ColMatrix<T>::Zero(d, B.cols());
    }
    Eigen::CompleteOrthogonalDecomposition<ColMatrix<T>> cod;
    cod.setThreshold(static_cast<T>(std::max(As.rows(), As.cols())) * std::numeric_limits<T>::epsilon());
    cod.compute(As);
    return cod.solve(Bs);
}

/// A fitted linear least-squares model: one coefficient row and one intercept per target.
template <class T>
struct linear_fit {
    Matrix<T> coef;       ///< targets × features
    Vector<T> intercept;  ///< per target
};

/// Minimises Σ wᵢ ‖yᵢ − W xᵢ − b‖² + α‖W‖² (b free when fit_intercept): the closed form of
/// LinearRegression (α = 0) and Ridge. With at least as many samples as features it solves the
/// d × d normal equations by Cholesky; with more features than samples the n × n kernel system
/// (XXᵀ + αI) c = y, W = Xᵀc; either falls back to the minimum-norm solution of the centred,
/// weighted design when the system is singular or ill conditioned. Float data too ill conditioned
/// for float's normal equations has them formed in double from its rows: at once when the column
/// spread of its first rows shows it (float_normal_equations_spread_too_wide), else after the float
/// attempt fails. With `unchecked_x_of` (an estimator's name), X's values are not yet known to be
/// finite: a NaN or an infinity makes the normal equations non-finite, and only then is X read for
/// it (kestrel::invalid_input naming where it is), which saves a read of X.
template <class T>
linear_fit<T> fit_least_squares(const row_major_ref<T>& X, const Eigen::Ref<const ColMatrix<T>>& Y, const Vector<T>& w,
                                bool fit_intercept, T alpha, int n_jobs, std::string_view unchecked_x_of) {
    const Index n = X.rows(), d = X.cols();
    // A system too ill-conditioned for float's normal equations is solved in double instead: the
    // minimum-norm fallback in float would treat as zero the singular values below n·ε_float of
    // the largest, 2% of it at 200,000 rows, and drop the directions real data need.
    const auto in_double = [&] {
        const Matrix<double> Xd = X.template cast<double>();
        const linear_fit<double> fit = fit_least_squares<double>(Xd, Y.template cast<double>(), w.template cast<double>(),
                                                                 fit_intercept, static_cast<double>(alpha), n_jobs, {});
        return linear_fit<T>{fit.coef.template cast<T>(), fit.intercept.template cast<T>()};
    };
    // The same normal equations in double, from the float rows: no copy of X.
    [[maybe_unused]] const auto via_double_normal_equations = [&]() -> linear_fit<T> {
        if constexpr (std::is_same_v<T, float>) {
            normal_equations<double> nd = centred_normal_equations<double, float>(
                X, Y.template cast<double>(), w.template cast<double>(), fit_intercept, n_jobs);
            if (!unchecked_x_of.empty()) check_finite_through(nd, X, unchecked_x_of);
            ColMatrix<double> Wd;
            if (!solve_by_cholesky<double>(std::move(nd.gram), nd.xty, static_cast<double>(alpha), Wd)) {
                return in_double();
            }
            const Matrix<double> coef = Wd.transpose();
            const Vector<double> intercept = nd.y_offset - coef * nd.x_offset;
            return {coef.template cast<T>(), intercept.template cast<T>()};
        } else {
            return in_double();  // not reached: double systems have no wider precision to go to
        }
    };
    ColMatrix<T> W;
    Vector<T> x_offset, y_offset;
    if (d <= n) {
        if constexpr (std::is_same_v<T, float>) {
            if (float_normal_equations_spread_too_wide(X, w.template cast<double>(), fit_intercept,
                                                       static_cast<double>(alpha))) {
                return via_double_normal_equations();
            }
        }
        normal_equations<T> ne = centred_normal_equations<T>(X, Y, w, fit_intercept, n_jobs);
        if (!unchecked_x_of.empty()) check_finite_through(ne, X, unchecked_x_of);
        x_offset = std::move(ne.x_offset);
        y_offset = std::move(ne.y_offset);
        if (!solve_by_cholesky<T>(std::move(ne.gram), ne.xty, alpha, W)) {
            if constexpr (std::is_same_v<T, float>) return via_double_normal_equations();
            W = minimum_norm_solution<T>(centred_design<T>(X, x_offset, w), centred_targets<T>(Y, y_offset, w), alpha);
        }
    } else {
        if (!unchecked_x_of.empty()) kestrel::detail::check_finite(X, unchecked_x_of);
        x_offset = column_offsets<T>(X, w, fit_intercept);
        y_offset = column_offsets<T>(Y, w, fit_intercept);
        const ColMatrix<T> A = centred_design<T>(X, x_offset, w);
        const ColMatrix<T> B = centred_targets<T>(Y, y_offset, w);
        ColMatrix<T> dual;
        if (solve_by_cholesky<T>(A * A.transpose(), B, alpha, dual)) {
            W = A.transpose() * dual;
        } else {
            if constexpr (std::is_same_v<T, float>) return in_double();
            W = minimum_norm_solution<T>(A, B, alpha);
        }
    }
    linear_fit<T> fit;
    fit.coef = W.transpose();
    fit.intercept = y_offset - fit.coef * x_offset;
    return fit;
}

#if defined(KESTREL_SEPARATE_COMPILATION)
// An application that links kestrel::compiled (src/instantiations_*.cpp) compiles these solvers,
// and the decompositions under them, once instead of in every file that fits a linear model:
// Eigen's CompleteOrthogonalDecomposition alone takes about ten seconds of -O2 a scalar.
extern template normal_equations<float> centred_normal_equations<float>(const row_major_ref<float>&,
                                                                        const Eigen::Ref<const ColMatrix<float>>&,
                                                                        const Vector<float>&, bool, int);
extern template normal_equations<double> centred_normal_equations<double>(const row_major_ref<double>&,
                                                                          const Eigen::Ref<const ColMatrix<double>>&,
                                                                          const Vector<double>&, bool, int);
extern template ColMatrix<float> centred_design<float>(const row_major_ref<float>&, const Vector<float>&,
                                                       const Vector<float>&);
extern template ColMatrix<double> centred_design<double>(const row_major_ref<double>&, const Vector<double>&,
                                                         const Vector<double>&);
extern template ColMatrix<float> centred_targets<float>(const Eigen::Ref<const ColMatrix<float>>&, const Vector<float>&,
                                                        const Vector<float>&);
extern template ColMatrix<double> centred_targets<double>(const Eigen::Ref<const ColMatrix<double>>&,
                                                          const Vector<double>&, const Vector<double>&);
extern template linear_fit<float> fit_least_squares<float>(const row_major_ref<float>&,
                                                           const Eigen::Ref<const ColMatrix<float>>&,
                                                           const Vector<float>&, bool, float, int,
                                                           std::string_view);
extern template linear_fit<double> fit_least_squares<double>(const row_major_ref<double>&,
                                                             const Eigen::Ref<const ColMatrix<double>>&,
                                                             const Vector<double>&, bool, double, int,
                                                             std::string_view);
#endif

}  // namespace kestrel::linear_model::detail
