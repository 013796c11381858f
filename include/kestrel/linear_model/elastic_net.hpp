#pragma once
/// \file
/// ElasticNet: least squares with a mixed L1 and L2 penalty, by coordinate descent.

#include <algorithm>
#include <concepts>
#include <functional>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/dataset.hpp"
#include "../core/params.hpp"
#include "../core/types.hpp"
#include "detail/coordinate_descent.hpp"
#include "options.hpp"

namespace kestrel::linear_model {

/// ElasticNet's hyperparameters, in scikit-learn's order.
struct ElasticNetParams {
    /// The estimator's name, as scikit-learn spells it: in messages, printing and model files.
    static constexpr std::string_view name = "ElasticNet";
    double alpha = 1.0;                         ///< penalty strength, ≥ 0
    double l1_ratio = 0.5;                      ///< L1 share of the penalty, in [0, 1]
    bool fit_intercept = true;                  ///< centre X and y and fit b
    Precompute precompute = Precompute::auto_;  ///< descend on XᵀX instead of X
    int max_iter = 1000;                        ///< passes over the coordinates, ≥ 1
    double tol = 1e-4;                          ///< duality-gap tolerance, relative to ‖y − ȳ‖²
    bool warm_start = false;                    ///< start from the previous fit's coefficients
    bool positive = false;                      ///< constrain the coefficients to be ≥ 0
    int n_jobs = 0;                             ///< threads forming XᵀX; 0 = all cores
    friend constexpr bool operator==(const ElasticNetParams&, const ElasticNetParams&) = default;
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static constexpr void fields(Self& p, F&& field) {
        field("alpha", p.alpha);
        field("l1_ratio", p.l1_ratio);
        field("fit_intercept", p.fit_intercept);
        field("precompute", p.precompute);
        field("max_iter", p.max_iter);
        field("tol", p.tol);
        field("warm_start", p.warm_start);
        field("positive", p.positive);
        field("n_jobs", p.n_jobs);
    }
    /// Throws invalid_parameter naming the first field out of its range; constexpr, so a constant
    /// Params with a bad value does not compile.
    constexpr void validate() const {
        require_param(alpha >= 0, name, "alpha", alpha, "must be >= 0");
        require_param(l1_ratio >= 0 && l1_ratio <= 1, name, "l1_ratio", l1_ratio, "must be in [0, 1]");
        require_param(max_iter >= 1, name, "max_iter", max_iter, "must be >= 1");
        require_param(tol >= 0, name, "tol", tol, "must be >= 0");
    }
};

/// Elastic-net least squares, as scikit-learn's `ElasticNet`: minimises
/// (1/2n) Σ wᵢ (yᵢ − xᵢ·w − b)² + α·l1_ratio‖w‖₁ + ½α(1 − l1_ratio)‖w‖², sample weights
/// rescaled to sum to n. Same solver, stopping rule and `precompute` default as Lasso (which is
/// l1_ratio = 1). Throws invalid_parameter for α < 0, l1_ratio outside [0, 1], max_iter < 1,
/// tol < 0; invalid_input on NaN/inf, empty X or mismatched lengths.
template <std::floating_point T = double>
class ElasticNet : public detail::coordinate_descent_regressor<ElasticNet<T>, T, ElasticNetParams> {
    using base = detail::coordinate_descent_regressor<ElasticNet<T>, T, ElasticNetParams>;

public:
    /// The class's name in messages, in its printed repr and in model files.
    static constexpr std::string_view name = ElasticNetParams::name;
    using base::base;
    using base::fit;
};

/// Options of enet_path and lasso_path, as scikit-learn's, and `fit_intercept`, which scikit-learn's
/// paths do not have.
struct PathParams {
    double l1_ratio = 0.5;                      ///< L1 share of the penalty, in [0, 1] (lasso_path: 1)
    Precompute precompute = Precompute::auto_;  ///< descend on XᵀX (formed once) instead of X
    int max_iter = 1000;                        ///< passes per alpha, ≥ 1
    double tol = 1e-4;                          ///< gap tolerance relative to ‖y‖², y centred if fit_intercept
    bool positive = false;                      ///< constrain the coefficients to be ≥ 0
    int n_jobs = 0;                             ///< threads forming XᵀX; 0 = all cores
    bool fit_intercept = false;                 ///< centre X and y inside the path; intercepts per alpha
    friend constexpr bool operator==(const PathParams&, const PathParams&) = default;
    /// Throws invalid_parameter naming the first field out of its range; constexpr, so a constant
    /// Params with a bad value does not compile.
    constexpr void validate() const {
        require_param(l1_ratio >= 0 && l1_ratio <= 1, "enet_path", "l1_ratio", l1_ratio, "must be in [0, 1]");
        require_param(max_iter >= 1, "enet_path", "max_iter", max_iter, "must be >= 1");
        require_param(tol >= 0, "enet_path", "tol", tol, "must be >= 0");
    }
};

/// Solutions along a path of penalties, as scikit-learn's enet_path returns them.
template <class T>
struct ElasticNetPath {
    Vector<T> alphas;         ///< the penalties, largest first
    Matrix<T> coefs;          ///< features × alphas
    Vector<T> dual_gaps;      ///< per alpha, in the scale of the (1/2n) objective
    std::vector<int> n_iter;  ///< coordinate-descent passes per alpha
    Vector<T> intercepts;     ///< per alpha: ȳ − x̄·coef with fit_intercept, else zeros
};

/// The elastic net at each of `alphas` (sorted largest first), as scikit-learn's `enet_path`:
/// on X and y as given, each fit warm-started from the last, the Gram matrix formed once when
/// `precompute` asks for it (auto: n > d). With `fit_intercept`, the path of centred X and y,
/// which scikit-learn's LassoCV and ElasticNetCV fit on a centred copy, without the copy: the
/// centring happens inside the pass that forms the Gram matrix (or in the copy that the descent
/// on X makes anyway), and `intercepts` holds ȳ − x̄·coef per alpha. Throws
/// invalid_parameter for a bad option or a negative alpha; invalid_input as ElasticNet::fit.
template <class M, class V>
requires matrix_of<M, typename M::Scalar> && vector_of<V, typename M::Scalar> ElasticNetPath<typename M::Scalar>
enet_path(const M& X, const V& y, const Vector<typename M::Scalar>& alphas, const PathParams& params = {}) {
    using T = typename M::Scalar;
    params.validate();
    for (Index a = 0; a < alphas.size(); ++a) {
        require_param(alphas[a] >= 0, "enet_path", "alphas", static_cast<double>(alphas[a]), "must all be >= 0");
    }
    // X's values are checked by the path, through its normal equations when it forms them.
    kestrel::detail::validate_data_but_x_values<T>("enet_path", X, y, Vector<T>());
    const detail::row_major_ref<T> Xr(X);
    ElasticNetPath<T> path;
    path.alphas = alphas;
    std::sort(path.alphas.data(), path.alphas.data() + path.alphas.size(), std::greater<T>());
    const bool gram =
        params.precompute == Precompute::true_ || (params.precompute == Precompute::auto_ && Xr.rows() > Xr.cols());
    auto solved =
        detail::coordinate_descent_path<T>(Xr, Vector<T>(y), path.alphas, params.l1_ratio, params.fit_intercept, gram,
                                           params.max_iter, static_cast<T>(params.tol), params.positive, params.n_jobs);
    path.coefs = std::move(solved.coefs);
    path.intercepts = std::move(solved.intercepts);
    path.dual_gaps = std::move(solved.dual_gaps);
    path.n_iter = std::move(solved.n_iter);
    return path;
}

/// enet_path with l1_ratio = 1, as scikit-learn's `lasso_path`.
template <class M, class V>
requires matrix_of<M, typename M::Scalar> && vector_of<V, typename M::Scalar> ElasticNetPath<typename M::Scalar>
lasso_path(const M& X, const V& y, const Vector<typename M::Scalar>& alphas, PathParams params = {.l1_ratio = 1.0}) {
    params.l1_ratio = 1.0;
    return enet_path(X, y, alphas, params);
}

}  // namespace kestrel::linear_model
