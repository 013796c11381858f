#pragma once
/// \file
/// Platt's probabilities for libsvm's classifiers: the generator libsvm's cross-validation
/// shuffles with (scikit-learn's build: a 32-bit Mersenne twister and Lemire's bounded
/// integers), the sigmoid fit to decision values (Platt 1999, with the Newton method and
/// targets of Lin, Lin and Weng, "A note on Platt's probabilistic outputs for support vector
/// machines", Machine Learning 68, 2007), and the coupling of pairwise probabilities into class
/// probabilities (Wu, Lin and Weng, "Probability estimates for multi-class classification by
/// pairwise coupling", JMLR 5, 2004, method 2).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <utility>

#include <Eigen/Core>

#include "../../core/detail/linear_rows.hpp"
#include "../../core/types.hpp"

namespace kestrel::svm::detail {

/// The seed scikit-learn hands libsvm for `random_state` = s: numpy's
/// RandomState(s).randint(2³¹ − 1), i.e. the first 31-bit draw ≤ 2³¹ − 2 of a Mersenne twister
/// seeded with s. Equal to scikit-learn's for s < 2³²; larger s fold their high half in.
inline std::uint32_t libsvm_seed(std::uint64_t random_state) {
    std::mt19937 engine(static_cast<std::uint32_t>(random_state ^ (random_state >> 32)));
    std::uint32_t value = 0;
    do {
        value = static_cast<std::uint32_t>(engine()) & 0x7fffffffU;
    } while (value > 2147483646U);
    return value;
}

/// libsvm's generator as scikit-learn builds it: reseeded at each training, bounded integers by
/// Lemire's multiply-and-reject.
class libsvm_random {
public:
    explicit libsvm_random(std::uint32_t seed) : seed_(seed), engine_(seed) {}
    void reseed() { engine_.seed(seed_); }
    /// Uniform in [0, range), range ≥ 1.
    Index bounded(int range) {
        const auto r = static_cast<std::uint32_t>(range);
        std::uint64_t m = std::uint64_t(static_cast<std::uint32_t>(engine_())) * r;
        auto low = static_cast<std::uint32_t>(m);
        if (low < r) {
            const std::uint32_t threshold = (0U - r) % r;
            while (low < threshold) {
                m = std::uint64_t(static_cast<std::uint32_t>(engine_())) * r;
                low = static_cast<std::uint32_t>(m);
            }
        }
        return static_cast<Index>(m >> 32);
    }

private:
    std::uint32_t seed_;
    std::mt19937 engine_;
};

/// P(first class | f) = 1 / (1 + exp(A f + B)), in the form that loses no digits on either side.
inline double sigmoid_predict(double decision, double A, double B) {
    const double z = kestrel::detail::multiply_add(decision, A, B);
    return z >= 0 ? std::exp(-z) / (1.0 + std::exp(-z)) : 1.0 / (1.0 + std::exp(z));
}

/// Fits A and B of sigmoid_predict to decision values and ±1 labels: Newton's method with a
/// backtracking line search on the cross-entropy against the regularised targets
/// (N₊ + 1)/(N₊ + 2) and 1/(N₋ + 2).
inline std::pair<double, double> sigmoid_train(const Eigen::VectorXd& decision, const Eigen::VectorXd& label) {
    const Index l = decision.size();
    double n_pos = 0, n_neg = 0;
    for (Index i = 0; i < l; ++i) (label[i] > 0 ? n_pos : n_neg) += 1;
    const double high = (n_pos + 1.0) / (n_pos + 2.0), low = 1.0 / (n_neg + 2.0);
    Eigen::VectorXd target(l);
    for (Index i = 0; i < l; ++i) target[i] = label[i] > 0 ? high : low;
    // Cross-entropy of (A, B), each term in the form without overflow.
    const auto loss = [&](double A, double B) {
        double sum = 0;
        for (Index i = 0; i < l; ++i) {
            const double z = decision[i] * A + B;
            sum += z >= 0 ? target[i] * z + std::log(1 + std::exp(-z)) : (target[i] - 1) * z + std::log(1 + std::exp(z));
        }
        return sum;
    };
    constexpr int max_iter = 100;
    constexpr double min_step = 1e-10, sigma = 1e-12, eps = 1e-5;
    double A = 0.0, B = std::log((n_neg + 1.0) / (n_pos + 1.0));
    double value = loss(A, B);
    for (int iter = 0; iter < max_iter; ++iter) {
        // Gradient and Hessian (plus σI, so that it is positive definite).
        double h11 = sigma, h22 = sigma, h21 = 0, g1 = 0, g2 = 0;
        for (Index i = 0; i < l; ++i) {
            const double z = decision[i] * A + B;
            double p, q;
            if (z >= 0) {
                p = std::exp(-z) / (1.0 + std::exp(-z));
                q = 1.0 / (1.0 + std::exp(-z));
            } else {
                p = 1.0 / (1.0 + std::exp(z));
                q = std::exp(z) / (1.0 + std::exp(z));
            }
            const double d2 = p * q, d1 = target[i] - p;
            h11 += decision[i] * decision[i] * d2;
            h22 += d2;
            h21 += decision[i] * d2;
            g1 += decision[i] * d1;
            g2 += d1;
        }
        if (std::abs(g1) < eps && std::abs(g2) < eps) break;
        const double det = h11 * h22 - h21 * h21;
        const double dA = -(h22 * g1 - h21 * g2) / det, dB = -(-h21 * g1 + h11 * g2) / det;
        const double descent = g1 * dA + g2 * dB;
        double step = 1;
        while (step >= min_step) {
            const double new_A = A + step * dA, new_B = B + step * dB;
            const double new_value = loss(new_A, new_B);
            if (new_value < value + 0.0001 * step * descent) {
                A = new_A;
                B = new_B;
                value = new_value;
                break;
            }
            step /= 2.0;
        }
        if (step < min_step) break;  // the line search found no decrease
    }
    return {A, B};
}

/// Class probabilities p from pairwise ones r (K × K, row-major: r[a·K + b] = P(a | a or b),
/// r[b·K + a] = 1 − r[a·K + b]): the minimiser of Σ_a Σ_{b≠a} (r(b, a) p_a − r(a, b) p_b)² over
/// the simplex, by the coordinate-wise fixed point of Wu, Lin and Weng's method 2 until every
/// (Qp)_t is within 0.005/K of pᵀQp (at most max(100, K) sweeps). Q (K × K) and Qp (K) are
/// working memory. Every multiply-add is kestrel::detail::multiply_add, so that the steps round
/// alike wherever they are compiled (io::export_cpp writes the same).
inline void couple_pairwise(const double* r, Index K, double* p, double* Q, double* Qp) noexcept {
    using kestrel::detail::multiply_add;
    for (Index t = 0; t < K; ++t) {
        p[t] = 1.0 / static_cast<double>(K);
        double diagonal = 0;
        for (Index j = 0; j < t; ++j) {
            diagonal = multiply_add(r[j * K + t], r[j * K + t], diagonal);
            Q[t * K + j] = Q[j * K + t];
        }
        for (Index j = t + 1; j < K; ++j) {
            diagonal = multiply_add(r[j * K + t], r[j * K + t], diagonal);
            Q[t * K + j] = -r[j * K + t] * r[t * K + j];
        }
        Q[t * K + t] = diagonal;
    }
    const Index max_iter = std::max<Index>(100, K);
    const double eps = 0.005 / static_cast<double>(K);
    for (Index iter = 0; iter < max_iter; ++iter) {
        double pQp = 0;
        for (Index t = 0; t < K; ++t) {
            double sum = 0;
            for (Index j = 0; j < K; ++j) sum = multiply_add(Q[t * K + j], p[j], sum);
            Qp[t] = sum;
            pQp = multiply_add(p[t], Qp[t], pQp);
        }
        double max_error = 0;
        for (Index t = 0; t < K; ++t) max_error = std::max(max_error, std::abs(Qp[t] - pQp));
        if (max_error < eps) break;
        for (Index t = 0; t < K; ++t) {
            const double q = Q[t * K + t];
            const double diff = (pQp - Qp[t]) / q;
            p[t] += diff;
            const double grown = 1 + diff;
            pQp = multiply_add(diff, multiply_add(diff, q, 2 * Qp[t]), pQp) / grown / grown;
            for (Index j = 0; j < K; ++j) {
                Qp[j] = multiply_add(diff, Q[t * K + j], Qp[j]) / grown;
                p[j] /= grown;
            }
        }
    }
}

}  // namespace kestrel::svm::detail
