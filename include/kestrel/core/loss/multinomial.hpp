#pragma once
/// \file
/// The multinomial (softmax cross-entropy) loss of one row of raw predictions and its gradient,
/// as scikit-learn's `HalfMultinomialLoss`.

#include <cmath>

#include "../types.hpp"

namespace kestrel::detail::loss {

/// For raw predictions z (the K classes of one row, an Eigen row or vector view), class `label`
/// and weight w: returns w·(log Σₖ e^zₖ − z_label) and overwrites z with w·(softmax(z) − e_label),
/// the derivative of that loss. Both are taken on z − max z, so no e^z overflows.
template <class Row>
typename Row::Scalar multinomial_loss_gradient(Row z, Index label, typename Row::Scalar w) {
    using T = typename Row::Scalar;
    const T top = z.maxCoeff();
    const T shifted_label = z[label] - top;
    z.array() = (z.array() - top).exp();
    const T total = z.sum();
    const T loss = w * (std::log(total) - shifted_label);
    z /= total;
    z[label] -= T(1);
    z *= w;
    return loss;
}

}  // namespace kestrel::detail::loss
