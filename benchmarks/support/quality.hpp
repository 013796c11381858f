#pragma once
/// \file
/// Quality figures reported beside every time, computed the same way for kestrel and for each
/// reference from the model it fitted, so that a speed-up is never bought with a worse model.

#include <utility>

#include <kestrel/core/types.hpp>

namespace kestrel::bench {

/// Sum of squared distances from each row of X to its nearest centre.
double inertia(const Matrix<float>& X, const Matrix<float>& centers);

/// Coefficient of determination and mean squared error of y ≈ X·coef + intercept.
struct Fit {
    double r2;
    double mse;
};
Fit regression_fit(const Matrix<double>& X, const Vector<double>& y, const Vector<double>& coef, double intercept);

/// Elastic-net objective ‖y − Xw − b‖²/(2n) + α·l1_ratio‖w‖₁ + ½α(1 − l1_ratio)‖w‖² (the lasso
/// at l1_ratio 1) and its duality gap (same scaling), the intercept taken at its optimum for w,
/// that is on centred X and y.
struct LassoQuality {
    double objective;
    double duality_gap;
    Index nonzeros;
};
LassoQuality lasso_quality(const Matrix<double>& X, const Vector<double>& y, const Vector<double>& coef, double alpha,
                           double l1_ratio = 1.0);

/// Penalised logistic loss C·Σ log(1 + exp(−ỹ(x·w + b))) + ½‖w‖² (ỹ = ±1, intercept not
/// penalised) and training accuracy, for labels 0/1.
struct LogisticQuality {
    double objective;
    double accuracy;
};
LogisticQuality logistic_quality(const Matrix<double>& X, const Labels& y, const Vector<double>& coef, double intercept,
                                 double C);

}  // namespace kestrel::bench
