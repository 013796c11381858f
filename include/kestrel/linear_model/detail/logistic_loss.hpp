#pragma once
/// \file
/// The penalised logistic objective and its derivatives, evaluated over fixed row chunks in
/// parallel and reduced in chunk order, so the result does not depend on the thread count.

#include <algorithm>
#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "../../core/detail/memory.hpp"
#include "../../core/loss/binomial.hpp"
#include "../../core/loss/multinomial.hpp"
#include "../../core/simd/gram.hpp"
#include "../../core/simd/rows.hpp"
#include "../../core/types.hpp"
#include "normal_equations.hpp"

namespace kestrel::linear_model::detail {

/// f(w, b) = Σ swᵢ·lossᵢ + ½ l2 ‖w‖², the intercepts b unpenalised, with the half binomial loss
/// (one coefficient row, targets in {0, 1}) or the multinomial loss (K rows, targets 0..K−1).
/// Coefficients are packed row by row, each row its d weights then its intercept if fitted.
template <class T>
class logistic_objective {
public:
    logistic_objective(const row_major_ref<T>& X, Vector<T> target, Vector<T> sample_weight, Index n_rows_of_coef,
                       bool fit_intercept, double l2, int n_jobs)
        : X_(X), target_(std::move(target)), sw_(std::move(sample_weight)), K_(n_rows_of_coef),
          fit_intercept_(fit_intercept), l2_(l2), n_jobs_(n_jobs),
          chunks_(row_chunks(X.rows(), static_cast<Index>(sizeof(double)) * n_rows_of_coef * (X.cols() + 1))) {}

    /// Coefficients per row: d, plus one for the intercept.
    [[nodiscard]] Index row_size() const noexcept { return X_.cols() + (fit_intercept_ ? 1 : 0); }
    [[nodiscard]] Index size() const noexcept { return K_ * row_size(); }

    /// f at `coef`; writes ∇f to `grad`.
    double operator()(const Eigen::VectorXd& coef, Eigen::VectorXd& grad) const {
        const Matrix<T> W = weights(coef);
        const Vector<T> b = intercepts(coef);
        std::vector<double> loss(static_cast<std::size_t>(chunks_.count()), 0.0);
        std::vector<Eigen::MatrixXd> parts(static_cast<std::size_t>(chunks_.count()));
        kestrel::detail::parallel_for(chunks_.count(), kestrel::detail::resolve_n_jobs(n_jobs_), [&](Index c) {
            auto& part = parts[static_cast<std::size_t>(c)];
            part = Eigen::MatrixXd::Zero(K_, X_.cols() + 1);
            loss[static_cast<std::size_t>(c)] =
                K_ == 1 ? binomial_chunk(c, W, b, part) : multinomial_chunk(c, W, b, part);
        });
        double f = 0;
        Eigen::MatrixXd G = Eigen::MatrixXd::Zero(K_, X_.cols() + 1);
        for (std::size_t c = 0; c < parts.size(); ++c) {
            f += loss[c];
            G += parts[c];
        }
        const Eigen::MatrixXd Wd = W.template cast<double>();
        f += 0.5 * l2_ * Wd.squaredNorm();
        G.leftCols(X_.cols()) += l2_ * Wd;
        pack(G, grad);
        return f;
    }

    /// The Hessian of a binary objective (K = 1) at `coef`: Xᵀ diag(h) X + l2·I over the weights,
    /// h = sw·p(1−p), bordered by the intercept's row and column (Xᵀh and Σh). One read of X:
    /// each block of rows gives its z = Xw and h, then its share of XᵀDX (core/simd/gram.hpp).
    [[nodiscard]] Eigen::MatrixXd binomial_hessian(const Eigen::VectorXd& coef) const {
        using accumulator = kestrel::detail::simd::gram_accumulator<T>;
        constexpr Index block = accumulator::block_rows;
        const Index n = X_.rows(), d = X_.cols(), ld = X_.outerStride();
        const Matrix<T> W = weights(coef);
        const T b = intercepts(coef)[0];
        const Vector<T> no_shift = Vector<T>::Zero(d);
        const kestrel::detail::partition chunks = row_chunks(n, static_cast<Index>(sizeof(T)) * (d + 2) * (d + 2));
        struct partial {
            ColMatrix<T> gram;
            Vector<T> border;
            T h_sum = 0;
        };
        std::vector<partial> parts(static_cast<std::size_t>(chunks.count()));
        kestrel::detail::parallel_for(chunks, kestrel::detail::resolve_n_jobs(n_jobs_), [&](Index c, Index first,
                                                                                           Index last) {
            partial& part = parts[static_cast<std::size_t>(c)];
            // √h rides along as an extra column when the padding has room: the tiles then give the
            // border Σ h x too.
            const bool fused = accumulator::fits_in_padding(d, 1);
            accumulator acc(d, fused ? 1 : 0);
            part.border = Vector<T>::Zero(d);
            Vector<T> z(block), root_h(block);
            const T* extras[1] = {root_h.data()};
            for (Index start = first; start < last; start += block) {
                const Index m = std::min(block, last - start);
                const T* Xb = X_.data() + start * ld;
                kestrel::detail::simd::rows_dot(Xb, ld, m, d, W.data(), z.data());
                auto h = z.head(m).array();
                h = (T(1) + (-(h + b)).exp()).inverse();  // p
                h = sw_.segment(start, m).array() * h * (T(1) - h);
                part.h_sum += h.sum();
                root_h.head(m) = h.sqrt().matrix();
                acc.pack(Xb, ld, m, no_shift.data(), root_h.data(), fused ? extras : nullptr);
                const Index next = std::min(block, last - start - m);
                acc.update(next > 0 ? Xb + m * ld : nullptr, static_cast<std::size_t>(next * ld) * sizeof(T));
                if (!fused) acc.weighted_column_sums(root_h.data(), part.border.data());
            }
            acc.lower_triangle(part.gram);
            if (fused) {
                for (Index j = 0; j < d; ++j) part.border[j] = acc.at(d, j);
            }
        });
        for (std::size_t c = 1; c < parts.size(); ++c) {
            parts[0].gram += parts[c].gram;
            parts[0].border += parts[c].border;
            parts[0].h_sum += parts[c].h_sum;
        }
        Eigen::MatrixXd H(row_size(), row_size());
        H.topLeftCorner(d, d) = parts[0].gram.template cast<double>();
        H.topLeftCorner(d, d).template triangularView<Eigen::StrictlyUpper>() =
            H.topLeftCorner(d, d).transpose();
        H.topLeftCorner(d, d).diagonal().array() += l2_;
        if (fit_intercept_) {
            H.col(d).head(d) = parts[0].border.template cast<double>();
            H.row(d).head(d) = H.col(d).head(d).transpose();
            H(d, d) = static_cast<double>(parts[0].h_sum);
        }
        return H;
    }

    /// The K × d weights of packed coefficients.
    [[nodiscard]] Matrix<T> weights(const Eigen::VectorXd& coef) const {
        Matrix<T> W(K_, X_.cols());
        for (Index k = 0; k < K_; ++k)
            W.row(k) = coef.segment(k * row_size(), X_.cols()).transpose().template cast<T>();
        return W;
    }
    /// The K intercepts of packed coefficients (zeros when not fitted).
    [[nodiscard]] Vector<T> intercepts(const Eigen::VectorXd& coef) const {
        Vector<T> b = Vector<T>::Zero(K_);
        if (fit_intercept_) {
            for (Index k = 0; k < K_; ++k) b[k] = static_cast<T>(coef[k * row_size() + X_.cols()]);
        }
        return b;
    }

private:
    static constexpr Index block_rows = 256;

    // Packs a K × (d + 1) gradient (last column: intercepts) into the coefficient layout.
    void pack(const Eigen::MatrixXd& G, Eigen::VectorXd& grad) const {
        grad.resize(size());
        for (Index k = 0; k < K_; ++k) {
            grad.segment(k * row_size(), X_.cols()) = G.row(k).head(X_.cols()).transpose();
            if (fit_intercept_) grad[k * row_size() + X_.cols()] = G(k, X_.cols());
        }
    }

    // One read of the chunk's rows: a few rows at a time, z = Xw, the loss and its derivative r,
    // then g += Xᵀr over the same rows while they are still in the first-level cache. The next
    // few rows are prefetched as each few begin, so that memory keeps reading while the loss and
    // Xᵀr are computed (rows_dot reads eight or sixteen rows side by side, which the hardware
    // prefetcher follows less well than one stream). Measured on rows of 100 with AVX-512, on a
    // host whose bandwidth moved by half from run to run: from 15% less time an evaluation to 4%
    // more, 5% less in the median of twelve comparisons.
    double binomial_chunk(Index c, const Matrix<T>& W, const Vector<T>& b, Eigen::MatrixXd& part) const {
        namespace simd = kestrel::detail::simd;
        constexpr Index rows = 32;
        const Index d = X_.cols(), ld = X_.outerStride();
        Vector<T> z(rows), r(rows), g(d);
        const T* w = W.data();
        double loss = 0;
        for (Index start = chunks_.begin(c); start < chunks_.end(c); start += block_rows) {
            const Index end = std::min(start + block_rows, chunks_.end(c));
            g.setZero();
            T r_sum = 0;
            for (Index first = start; first < end; first += rows) {
                const Index m = std::min(rows, end - first);
                const T* Xb = X_.data() + first * ld;
                prefetch_rows(first + rows, std::min(first + 2 * rows, chunks_.end(c)));
                simd::rows_dot(Xb, ld, m, d, w, z.data());
                z.head(m).array() += b[0];
                loss += static_cast<double>(kestrel::detail::loss::binomial_loss_gradient(
                    z.data(), target_.data() + first, sw_.data() + first, r.data(), m));
                simd::rows_axpy(Xb, ld, m, d, r.data(), g.data());
                r_sum += r.head(m).sum();
            }
            part.row(0).head(d) += g.transpose().template cast<double>();
            part(0, d) += static_cast<double>(r_sum);
        }
        return loss;
    }

    // Prefetches the cache lines of rows [first, last) of X (none when first ≥ last); the lines
    // are counted from the first row's line, on addresses as integers, which never step past X.
    void prefetch_rows(Index first, Index last) const noexcept {
        if (first >= last) return;
        const Index ld = X_.outerStride();
        const auto begin = reinterpret_cast<std::uintptr_t>(X_.data() + first * ld);
        const auto end = reinterpret_cast<std::uintptr_t>(X_.data() + (last - 1) * ld + X_.cols());
        for (std::uintptr_t line = begin & ~std::uintptr_t{63}; line < end; line += 64)
            kestrel::detail::prefetch(reinterpret_cast<const void*>(line));
    }

    double multinomial_chunk(Index c, const Matrix<T>& W, const Vector<T>& b, Eigen::MatrixXd& part) const {
        const Index d = X_.cols();
        Matrix<T> Z(block_rows, K_);
        Matrix<T> G(K_, d);
        double loss = 0;
        for (Index start = chunks_.begin(c); start < chunks_.end(c); start += block_rows) {
            const Index m = std::min(block_rows, chunks_.end(c) - start);
            const auto Xb = X_.middleRows(start, m);
            auto Zm = Z.topRows(m);
            Zm.noalias() = Xb * W.transpose();
            Zm.rowwise() += b.transpose();
            for (Index i = 0; i < m; ++i) {
                const auto label = static_cast<Index>(target_[start + i]);
                loss += static_cast<double>(
                    kestrel::detail::loss::multinomial_loss_gradient(Zm.row(i), label, sw_[start + i]));
            }
            G.noalias() = Zm.transpose() * Xb;
            part.leftCols(d) += G.template cast<double>();
            part.col(d) += Zm.colwise().sum().transpose().template cast<double>();
        }
        return loss;
    }

    const row_major_ref<T>& X_;
    Vector<T> target_;
    Vector<T> sw_;
    Index K_;
    bool fit_intercept_;
    double l2_;
    int n_jobs_;
    kestrel::detail::partition chunks_;
};

}  // namespace kestrel::linear_model::detail
