#pragma once
/// \file
/// The kernels of kestrel::svm (scikit-learn's `kernel`, `degree`, `gamma`, `coef0`), and their
/// evaluation on blocks of rows: a matrix product of the rows, then the kernel function applied
/// to the whole block.

#include <cmath>
#include <concepts>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "../core/error.hpp"
#include "../core/params.hpp"
#include "../core/types.hpp"

namespace kestrel::svm {

/// scikit-learn's `kernel` of the libsvm estimators.
enum class Kernel {
    linear,       ///< ⟨x, x'⟩
    poly,         ///< (γ⟨x, x'⟩ + coef0)^degree
    rbf,          ///< exp(−γ‖x − x'‖²)
    sigmoid,      ///< tanh(γ⟨x, x'⟩ + coef0)
    precomputed,  ///< X is the kernel matrix itself
};
/// scikit-learn's spellings of Kernel's values.
constexpr enum_table<Kernel, 5> enum_names(Kernel) {
    return {{{Kernel::linear, "linear"},
             {Kernel::poly, "poly"},
             {Kernel::rbf, "rbf"},
             {Kernel::sigmoid, "sigmoid"},
             {Kernel::precomputed, "precomputed"}}};
}

/// The named choices of `gamma`: 'scale' and 'auto'.
enum class GammaOption {
    scale,  ///< 1 / (n_features · Var(X)), the variance over every entry of X (1 when it is 0)
    auto_,  ///< 1 / n_features
};
/// scikit-learn's spellings of GammaOption's values.
constexpr enum_table<GammaOption, 2> enum_names(GammaOption) {
    return {{{GammaOption::scale, "scale"}, {GammaOption::auto_, "auto"}}};
}

/// scikit-learn's `gamma`: `Gamma::scale`, `Gamma::auto_`, or a positive number
/// (`.gamma = 0.5` converts).
class Gamma {
public:
    static const Gamma scale;  ///< 'scale': 1 / (n_features · X.var())
    static const Gamma auto_;  ///< 'auto': 1 / n_features

    /// A number; fit refuses γ ≤ 0.
    constexpr Gamma(double value) noexcept : option_(GammaOption::scale), value_(value), is_number_(true) {}
    /// 'scale' or 'auto'.
    constexpr Gamma(GammaOption option) noexcept : option_(option) {}

    /// Whether γ was given as a number (rather than scale or auto_).
    [[nodiscard]] constexpr bool is_number() const noexcept { return is_number_; }
    /// The number (meaningful when is_number()).
    [[nodiscard]] constexpr double value() const noexcept { return value_; }
    /// The named choice (meaningful when !is_number()).
    [[nodiscard]] constexpr GammaOption option() const noexcept { return option_; }

    /// γ for training data X, as scikit-learn resolves it at fit.
    template <class Derived>
    [[nodiscard]] double resolve(const Eigen::MatrixBase<Derived>& X) const {
        if (is_number_) return value_;
        const double d = static_cast<double>(X.cols());
        if (option_ == GammaOption::auto_) return 1.0 / d;
        const auto values = X.template cast<double>().array();
        const double mean = values.mean();
        const double variance = (values - mean).square().mean();
        return variance == 0 ? 1.0 : 1.0 / (d * variance);
    }

    /// Passes gamma to `field(name, member)` as scikit-learn holds it, for printing and model
    /// files: the name ("scale", "auto") or the number. kestrel::io has no member type that is
    /// "a name or a number", so a loader that finds a number where the name was expected (it
    /// throws io_error) is asked again for a number.
    template <class F>
    static void field(std::string_view name, Gamma& gamma, F& field) {
        if (gamma.is_number()) {
            double value = gamma.value();
            field(name, value);
            gamma = Gamma(value);
            return;
        }
        GammaOption option = gamma.option();
        try {
            field(name, option);
            gamma = Gamma(option);
        } catch (const io_error&) {
            double value = 0;
            field(name, value);
            gamma = Gamma(value);
        }
    }

    friend constexpr bool operator==(const Gamma&, const Gamma&) = default;

private:
    GammaOption option_ = GammaOption::scale;
    double value_ = 0;
    bool is_number_ = false;
};

inline constexpr Gamma Gamma::scale{GammaOption::scale};
inline constexpr Gamma Gamma::auto_{GammaOption::auto_};

namespace detail {

/// A kernel with its γ resolved for the training data.
struct kernel_function {
    Kernel kernel = Kernel::rbf;
    int degree = 3;
    double gamma = 1;
    double coef0 = 0;

    /// Turns a block of inner products ⟨xᵢ, x'ⱼ⟩ into kernel values in place. `row_norms`
    /// (‖xᵢ‖², one per row) and `col_norms` (‖x'ⱼ‖², one per column) are read by rbf only,
    /// which takes ‖x − x'‖² = ‖x‖² + ‖x'‖² − 2⟨x, x'⟩ as libsvm does.
    template <class Block, class RowNorms, class ColNorms>
    void apply(Block&& dots, const RowNorms& row_norms, const ColNorms& col_norms) const {
        using S = typename std::decay_t<Block>::Scalar;
        const S g = static_cast<S>(gamma), c = static_cast<S>(coef0);
        switch (kernel) {
            case Kernel::linear:
            case Kernel::precomputed:
                break;
            case Kernel::poly:
                dots = (g * dots.array() + c).unaryExpr([this](S v) { return integer_power(v, degree); }).matrix();
                break;
            case Kernel::rbf:
                for (Index i = 0; i < dots.rows(); ++i) {
                    dots.row(i) = (-g * ((S(-2) * dots.row(i).array() + col_norms.transpose().array()) + row_norms[i]))
                                      .exp()
                                      .matrix();
                }
                break;
            case Kernel::sigmoid:
                dots = (g * dots.array() + c).tanh().matrix();
                break;
        }
    }

    /// Turns the inner products ⟨x, x'ⱼ⟩ of one row x with rows x'ⱼ into kernel values in place,
    /// in the order of operations of operator() (‖x‖² + ‖x'ⱼ‖² − 2⟨x, x'ⱼ⟩ for rbf), vectorised.
    /// The training kernel cache takes rbf's rows through smo_kernels::rbf_values instead, over
    /// whole registers.
    template <class V, class Norms>
    void apply_row(V& dots, typename V::Scalar row_norm, const Norms& col_norms) const {
        using S = typename V::Scalar;
        const S g = static_cast<S>(gamma), c = static_cast<S>(coef0);
        switch (kernel) {
            case Kernel::linear:
            case Kernel::precomputed:
                break;
            case Kernel::poly:
                dots = (g * dots.array() + c).unaryExpr([this](S v) { return integer_power(v, degree); }).matrix();
                break;
            case Kernel::rbf:
                dots = (-g * ((row_norm + col_norms.array()) - S(2) * dots.array())).exp().matrix();
                break;
            case Kernel::sigmoid:
                dots = (g * dots.array() + c).tanh().matrix();
                break;
        }
    }

    /// The kernel of one pair from its inner product and squared norms.
    template <std::floating_point S>
    [[nodiscard]] S operator()(S dot, S norm_a, S norm_b) const {
        const S g = static_cast<S>(gamma), c = static_cast<S>(coef0);
        switch (kernel) {
            case Kernel::poly:
                return integer_power(g * dot + c, degree);
            case Kernel::rbf:
                return std::exp(-g * (norm_a + norm_b - S(2) * dot));
            case Kernel::sigmoid:
                return std::tanh(g * dot + c);
            default:
                return dot;
        }
    }

    /// xⁿ by repeated squaring, as libsvm's powi (std::pow is slower and rounds differently).
    template <std::floating_point S>
    static S integer_power(S base, int n) {
        S result = 1;
        for (S power = base; n > 0; n /= 2, power *= power) {
            if (n % 2 == 1) result *= power;
        }
        return result;
    }
};

/// The training rows `rows` of X as a kernel cache reads them: the rows themselves, or with
/// Kernel::precomputed (X the kernel matrix) its rows and columns `rows`.
template <class T>
[[nodiscard]] Matrix<T> gather_rows(const kernel_function& k, const Matrix<T>& X, const std::vector<Index>& rows) {
    const Index l = static_cast<Index>(rows.size());
    const bool precomputed = k.kernel == Kernel::precomputed;
    Matrix<T> out(l, precomputed ? l : X.cols());
    for (Index t = 0; t < l; ++t) {
        const Index i = rows[static_cast<std::size_t>(t)];
        if (precomputed) {
            for (Index u = 0; u < l; ++u) out(t, u) = X(i, rows[static_cast<std::size_t>(u)]);
        } else {
            out.row(t) = X.row(i);
        }
    }
    return out;
}

/// Kernel values between the rows of A and the rows of B (|A| × |B|), ‖·‖² of A's and B's rows
/// given for rbf.
template <class MA, class MB, class VA, class VB>
[[nodiscard]] auto kernel_block(const kernel_function& k, const MA& A, const MB& B, const VA& norms_a,
                                const VB& norms_b) {
    using S = typename MA::Scalar;
    Matrix<S> out = A * B.transpose();
    k.apply(out, norms_a, norms_b);
    return out;
}

}  // namespace detail
}  // namespace kestrel::svm
