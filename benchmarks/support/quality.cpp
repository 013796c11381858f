#include "quality.hpp"

#include <algorithm>
#include <cmath>

#include <Eigen/Core>

namespace kestrel::bench {

double inertia(const Matrix<float>& X, const Matrix<float>& centers) {
    // ‖x − c‖² = ‖x‖² − 2x·c + ‖c‖², a block of rows at a time through Eigen's GEMM.
    constexpr Index block = 4096;
    const Eigen::RowVectorXf center_norms = centers.rowwise().squaredNorm().transpose();
    double total = 0;
    for (Index start = 0; start < X.rows(); start += block) {
        const Index rows = std::min(block, X.rows() - start);
        const auto Xb = X.middleRows(start, rows);
        Eigen::MatrixXf d = -2.0f * (Xb * centers.transpose());
        d.rowwise() += center_norms;
        const Eigen::VectorXf nearest = d.rowwise().minCoeff();
        total += (nearest + Xb.rowwise().squaredNorm()).cwiseMax(0.0f).cast<double>().sum();
    }
    return total;
}

Fit regression_fit(const Matrix<double>& X, const Vector<double>& y, const Vector<double>& coef, double intercept) {
    const Vector<double> residual = (y - X * coef).array() - intercept;
    const double ss_res = residual.squaredNorm();
    const double ss_tot = (y.array() - y.mean()).matrix().squaredNorm();
    return {1.0 - ss_res / ss_tot, ss_res / static_cast<double>(y.size())};
}

LassoQuality lasso_quality(const Matrix<double>& X, const Vector<double>& y, const Vector<double>& coef, double alpha,
                           double l1_ratio) {
    const double n = static_cast<double>(X.rows());
    const Eigen::RowVectorXd x_mean = X.colwise().mean();
    const Vector<double> yc = y.array() - y.mean();
    const Vector<double> residual = yc - X * coef + Vector<double>::Constant(y.size(), x_mean.dot(coef));
    const double l1 = n * alpha * l1_ratio, l2 = n * alpha * (1.0 - l1_ratio);
    const double r2 = residual.squaredNorm(), w2 = coef.squaredNorm();
    // Dual point: the residual θ = sR scaled so that ‖Xcᵀθ − s·l2·w‖∞ ≤ l1 (scikit-learn's gap).
    const Vector<double> correlation = X.transpose() * residual - x_mean.transpose() * residual.sum() - l2 * coef;
    const double scale = std::min(1.0, l1 / std::max(correlation.lpNorm<Eigen::Infinity>(), 1e-300));
    const double primal = 0.5 * r2 + l1 * coef.lpNorm<1>() + 0.5 * l2 * w2;
    const double gap = 0.5 * r2 * (1 + scale * scale) + l1 * coef.lpNorm<1>() - scale * residual.dot(yc) +
                       0.5 * l2 * (1 + scale * scale) * w2;
    return {primal / n, gap / n, static_cast<Index>((coef.array() != 0.0).count())};
}

LogisticQuality logistic_quality(const Matrix<double>& X, const Labels& y, const Vector<double>& coef, double intercept,
                                 double C) {
    const Vector<double> z = (X * coef).array() + intercept;
    double loss = 0;
    Index correct = 0;
    for (Index i = 0; i < z.size(); ++i) {
        const double margin = y(i) == 1 ? z(i) : -z(i);
        loss += margin > 0 ? std::log1p(std::exp(-margin)) : -margin + std::log1p(std::exp(margin));
        correct += margin > 0 ? 1 : 0;
    }
    return {C * loss + 0.5 * coef.squaredNorm(), static_cast<double>(correct) / static_cast<double>(z.size())};
}

}  // namespace kestrel::bench
