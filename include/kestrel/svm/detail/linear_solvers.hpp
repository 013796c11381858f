#pragma once
/// \file
/// The solvers of LinearSVC and LinearSVR, liblinear's algorithms on dense rows in double:
///
/// - solve_svc_dual: dual coordinate descent for the L2-regularised hinge and squared hinge
///   losses, with shrinking (Hsieh, Chang, Lin, Keerthi and Sundararajan, ICML 2008, Algorithm 3);
/// - solve_svr_dual: the same for the ε-insensitive and squared ε-insensitive losses (Ho and
///   Lin, JMLR 2012, Algorithm 4);
/// - solve_l1_squared_hinge: primal coordinate descent for the L1-regularised squared hinge loss,
///   a one-variable Newton step and an Armijo line search per coordinate (Yuan, Chang, Hsieh and
///   Lin, JMLR 2010; Fan et al., JMLR 2008, appendix);
/// - solve_trust_region_newton: the primal L2-regularised squared losses by trust-region Newton
///   steps from conjugate gradients (Lin, Weng and Keerthi, JMLR 2008);
/// - solve_crammer_singer: Crammer and Singer's multi-class dual by sequential coordinate
///   descent over the samples (Keerthi, Sundararajan, Chang, Hsieh and Lin, KDD 2008).
///
/// Each minimises ½‖w‖² (‖w‖₁ for the L1 solver) + Σᵢ Cᵢ·lossᵢ, Cᵢ already holding C, the class
/// weight and the sample weight, over the rows as given (the intercept, when there is one, is a
/// column of the rows, regularised like any weight), and returns its outer iterations, which
/// equal max_iter when it stopped there. Coordinates are visited in a random order from `rng`,
/// reshuffled every pass, so a fit is deterministic for a seed.

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <numeric>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "../../core/detail/parallel.hpp"
#include "../../core/progress.hpp"
#include "../../core/random.hpp"
#include "../../core/simd/rows.hpp"
#include "../../core/types.hpp"

namespace kestrel::svm::detail {

/// liblinear's iteration cap of the Crammer-Singer solver, which scikit-learn 1.2 keeps whatever
/// its max_iter.
inline constexpr int crammer_singer_max_iter = 100000;

/// The chosen rows of X in double, with a last column of value `bias` when bias > 0 (the
/// intercept as liblinear fits it: a feature of that value, penalised as the others).
template <class M>
Matrix<double> linear_design(const M& X, const std::vector<Index>& rows, double bias) {
    const Index d = X.cols();
    Matrix<double> out(static_cast<Index>(rows.size()), d + (bias > 0 ? 1 : 0));
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const Index i = static_cast<Index>(r);
        out.row(i).head(d) = X.row(rows[r]).template cast<double>();
        if (bias > 0) out(i, d) = bias;
    }
    return out;
}

namespace linear {

inline constexpr double infinity = std::numeric_limits<double>::infinity();

// The visiting order of n coordinates, and the prefix of it still active.
struct active_set {
    explicit active_set(Index n) : order(static_cast<std::size_t>(n)), size(n), total(n) {
        std::iota(order.begin(), order.end(), Index{0});
    }
    void shuffle(random_engine& rng) { rng.shuffle(order.begin(), order.begin() + size); }
    // Drops the coordinate at position s (it is swapped past the end of the active prefix).
    void drop(Index& s) {
        --size;
        std::swap(order[static_cast<std::size_t>(s)], order[static_cast<std::size_t>(size)]);
        --s;
    }
    [[nodiscard]] bool full() const noexcept { return size == total; }
    void restore() noexcept { size = total; }
    [[nodiscard]] Index operator[](Index s) const { return order[static_cast<std::size_t>(s)]; }

    std::vector<Index> order;
    Index size;
    Index total;
};

}  // namespace linear

/// Dual coordinate descent for the L2-regularised hinge (`squared` false) or squared hinge loss:
/// min_α ½αᵀ(Q + D)α − Σα, 0 ≤ αᵢ ≤ Uᵢ, Qᵢⱼ = yᵢyⱼxᵢᵀxⱼ; hinge: D = 0, Uᵢ = Cᵢ; squared hinge:
/// Dᵢᵢ = 1/(2Cᵢ), Uᵢ = ∞. w = Σ yᵢαᵢxᵢ. Stops when the projected gradients over every sample
/// span at most tol.
inline int solve_svc_dual(const Matrix<double>& X, const Eigen::VectorXd& y, const Eigen::VectorXd& C, bool squared,
                          double tol, int max_iter, random_engine& rng, Eigen::VectorXd& w,
                          kestrel::detail::progress_reporter* progress = nullptr) {
    using linear::infinity;
    const Index n = X.rows();
    w.setZero(X.cols());
    Eigen::VectorXd alpha = Eigen::VectorXd::Zero(n);
    Eigen::VectorXd diag(n), upper(n), curvature(n);
    for (Index i = 0; i < n; ++i) {
        diag[i] = squared ? 0.5 / C[i] : 0.0;
        upper[i] = squared ? infinity : C[i];
        curvature[i] = diag[i] + X.row(i).squaredNorm();
    }
    linear::active_set active(n);
    // The span of the last pass's projected gradients: a sample at a bound whose gradient lies
    // beyond it is dropped until the next full pass (shrinking).
    double pg_max_old = infinity, pg_min_old = -infinity;
    int iter = 0;
    while (iter < max_iter) {
        double pg_max = -infinity, pg_min = infinity;
        active.shuffle(rng);
        for (Index s = 0; s < active.size; ++s) {
            const Index i = active[s];
            const double g = y[i] * X.row(i).dot(w) - 1.0 + alpha[i] * diag[i];
            double pg = 0;
            if (alpha[i] == 0) {
                if (g > pg_max_old) {
                    active.drop(s);
                    continue;
                }
                if (g < 0) pg = g;
            } else if (alpha[i] == upper[i]) {
                if (g < pg_min_old) {
                    active.drop(s);
                    continue;
                }
                if (g > 0) pg = g;
            } else {
                pg = g;
            }
            pg_max = std::max(pg_max, pg);
            pg_min = std::min(pg_min, pg);
            if (std::abs(pg) > 1e-12) {
                const double old = alpha[i];
                alpha[i] = std::min(std::max(old - g / curvature[i], 0.0), upper[i]);
                w += ((alpha[i] - old) * y[i]) * X.row(i).transpose();
            }
        }
        ++iter;
        if (progress != nullptr && progress->tick(pg_max - pg_min)) break;
        if (pg_max - pg_min <= tol) {
            if (active.full()) break;
            // Converged on the shrunk set: check once more over every sample.
            active.restore();
            pg_max_old = infinity;
            pg_min_old = -infinity;
            continue;
        }
        pg_max_old = pg_max <= 0 ? infinity : pg_max;
        pg_min_old = pg_min >= 0 ? -infinity : pg_min;
    }
    return iter;
}

/// Dual coordinate descent for L2-regularised ε-insensitive (`squared` false) or squared
/// ε-insensitive regression: min_β ½βᵀ(Q + Λ)β − yᵀβ + ε‖β‖₁, |βᵢ| ≤ Uᵢ, Qᵢⱼ = xᵢᵀxⱼ;
/// ε-insensitive: Λ = 0, Uᵢ = Cᵢ; squared: Λᵢᵢ = 1/(2Cᵢ), Uᵢ = ∞. w = Σ βᵢxᵢ. Stops when the
/// summed violation of the optimality conditions falls to tol times the first pass's.
inline int solve_svr_dual(const Matrix<double>& X, const Eigen::VectorXd& y, const Eigen::VectorXd& C, double epsilon,
                          bool squared, double tol, int max_iter, random_engine& rng, Eigen::VectorXd& w,
                          kestrel::detail::progress_reporter* progress = nullptr) {
    using linear::infinity;
    const Index n = X.rows();
    w.setZero(X.cols());
    Eigen::VectorXd beta = Eigen::VectorXd::Zero(n);
    Eigen::VectorXd lambda(n), upper(n), norms = X.rowwise().squaredNorm();
    for (Index i = 0; i < n; ++i) {
        lambda[i] = squared ? 0.5 / C[i] : 0.0;
        upper[i] = squared ? infinity : C[i];
    }
    linear::active_set active(n);
    double violation_max_old = infinity, violation_sum_first = 0;
    int iter = 0;
    while (iter < max_iter) {
        double violation_max = 0, violation_sum = 0;
        active.shuffle(rng);
        for (Index s = 0; s < active.size; ++s) {
            const Index i = active[s];
            const double g = X.row(i).dot(w) - y[i] + lambda[i] * beta[i];
            const double h = norms[i] + lambda[i];
            // The gradient's one-sided values at βᵢ: ε|β| adds +ε for β > 0, −ε for β < 0.
            const double gp = g + epsilon, gn = g - epsilon;
            double violation = 0;
            if (beta[i] == 0) {
                if (gp < 0) {
                    violation = -gp;
                } else if (gn > 0) {
                    violation = gn;
                } else if (gp > violation_max_old && gn < -violation_max_old) {
                    active.drop(s);
                    continue;
                }
            } else if (beta[i] >= upper[i]) {
                if (gp > 0) {
                    violation = gp;
                } else if (gp < -violation_max_old) {
                    active.drop(s);
                    continue;
                }
            } else if (beta[i] <= -upper[i]) {
                if (gn < 0) {
                    violation = -gn;
                } else if (gn > violation_max_old) {
                    active.drop(s);
                    continue;
                }
            } else {
                violation = beta[i] > 0 ? std::abs(gp) : std::abs(gn);
            }
            violation_max = std::max(violation_max, violation);
            violation_sum += violation;

            // The minimiser of the one-variable problem (a quadratic plus ε|β|).
            double step = 0;
            if (gp < h * beta[i]) {
                step = -gp / h;
            } else if (gn > h * beta[i]) {
                step = -gn / h;
            } else {
                step = -beta[i];
            }
            if (std::abs(step) < 1e-12) continue;
            const double old = beta[i];
            beta[i] = std::min(std::max(old + step, -upper[i]), upper[i]);
            if (beta[i] != old) w += (beta[i] - old) * X.row(i).transpose();
        }
        if (iter == 0) violation_sum_first = violation_sum;
        ++iter;
        if (progress != nullptr && progress->tick(violation_sum)) break;
        if (violation_sum <= tol * violation_sum_first) {
            if (active.full()) break;
            active.restore();
            violation_max_old = infinity;
            continue;
        }
        violation_max_old = violation_max;
    }
    return iter;
}

/// Primal coordinate descent for the L1-regularised squared hinge loss:
/// min_w ‖w‖₁ + Σ Cᵢ max(0, 1 − yᵢwᵀxᵢ)². Each coordinate takes the Newton step of its
/// one-variable problem, halved until the objective decreases by 1% of the step's predicted
/// decrease (at most 20 halvings). Stops when the summed violation of the optimality conditions
/// falls to tol times the first pass's.
inline int solve_l1_squared_hinge(const Matrix<double>& X, const Eigen::VectorXd& y, const Eigen::VectorXd& C,
                                  double tol, int max_iter, random_engine& rng, Eigen::VectorXd& w,
                          kestrel::detail::progress_reporter* progress = nullptr) {
    using linear::infinity;
    constexpr int max_halvings = 20;
    constexpr double sufficient = 0.01;
    const Index n = X.rows(), p = X.cols();
    // Columns of yᵢxᵢⱼ, one contiguous column per coordinate.
    Eigen::MatrixXd Z = X;
    Z.array().colwise() *= y.array();
    w.setZero(p);
    Eigen::VectorXd b = Eigen::VectorXd::Ones(n);  // 1 − yᵢwᵀxᵢ
    // Σᵢ Cᵢzᵢⱼ²: the loss's curvature along j bounds its change, so most steps are accepted
    // without a pass over the samples.
    Eigen::VectorXd bound(p);
    for (Index j = 0; j < p; ++j) bound[j] = (C.array() * Z.col(j).array().square()).sum();
    const double dn = static_cast<double>(n);

    linear::active_set active(p);
    double violation_max_old = infinity, violation_sum_first = 0;
    int iter = 0;
    while (iter < max_iter) {
        double violation_max = 0, violation_sum = 0;
        active.shuffle(rng);
        for (Index s = 0; s < active.size; ++s) {
            const Index j = active[s];
            const auto z = Z.col(j);
            double g_loss = 0, h = 0;
            for (Index i = 0; i < n; ++i) {
                if (b[i] > 0) {
                    const double cz = C[i] * z[i];
                    g_loss -= cz * b[i];
                    h += cz * z[i];
                }
            }
            g_loss *= 2;
            h = std::max(2 * h, 1e-12);
            const double gp = g_loss + 1, gn = g_loss - 1;
            double violation = 0;
            if (w[j] == 0) {
                if (gp < 0) {
                    violation = -gp;
                } else if (gn > 0) {
                    violation = gn;
                } else if (gp > violation_max_old / dn && gn < -violation_max_old / dn) {
                    active.drop(s);
                    continue;
                }
            } else {
                violation = w[j] > 0 ? std::abs(gp) : std::abs(gn);
            }
            violation_max = std::max(violation_max, violation);
            violation_sum += violation;

            double d = 0;
            if (gp < h * w[j]) {
                d = -gp / h;
            } else if (gn > h * w[j]) {
                d = -gn / h;
            } else {
                d = -w[j];
            }
            if (std::abs(d) < 1e-12) continue;

            // Armijo: F(w + d·eⱼ) − F(w) ≤ σ·Δ, Δ = |wⱼ + d| − |wⱼ| + ∇ⱼL·d, halving d (and Δ).
            double predicted = std::abs(w[j] + d) - std::abs(w[j]) + g_loss * d;
            double d_tried = 0;  // b holds 1 − yᵢxᵢᵀ(w + d_tried·eⱼ)
            double loss_old = 0;
            int halvings = 0;
            for (; halvings < max_halvings; ++halvings) {
                const double shift = d_tried - d;
                double decrease = std::abs(w[j] + d) - std::abs(w[j]) - sufficient * predicted;
                if (bound[j] * d * d + g_loss * d + decrease <= 0) {
                    b += shift * z;
                    break;
                }
                double loss_new = 0;
                for (Index i = 0; i < n; ++i) {
                    if (halvings == 0 && b[i] > 0) loss_old += C[i] * b[i] * b[i];
                    b[i] += shift * z[i];
                    if (b[i] > 0) loss_new += C[i] * b[i] * b[i];
                }
                decrease += loss_new - loss_old;
                if (decrease <= 0) break;
                d_tried = d;
                d *= 0.5;
                predicted *= 0.5;
            }
            w[j] += d;
            // After the last failed halving b belongs to another step: rebuild it.
            if (halvings >= max_halvings) b = Eigen::VectorXd::Ones(n) - Z * w;
        }
        if (iter == 0) violation_sum_first = violation_sum;
        ++iter;
        if (progress != nullptr && progress->tick(violation_sum)) break;
        if (violation_sum <= tol * violation_sum_first) {
            if (active.full()) break;
            active.restore();
            violation_max_old = infinity;
            continue;
        }
        violation_max_old = violation_max;
    }
    return iter;
}

/// ½‖w‖² + Σ Cᵢ·rᵢ(w)² for the primal trust-region solver, rᵢ the excess of sample i: the squared
/// hinge's max(0, 1 − yᵢwᵀxᵢ) (classification) or the tube's max(0, |wᵀxᵢ − yᵢ| − ε)
/// (regression). value(w) keeps the excesses at w; gradient(w) must follow a value(w) at the
/// same w and fixes the samples with an excess for hessian_times, the generalised Hessian
/// I + 2·Σ Cᵢxᵢxᵢᵀ over them. gradient(w) copies those samples' rows side by side (unless they
/// are all the samples), so that each Hessian product (one a conjugate-gradient step) reads them
/// once: xᵢ·s and the sum of 2Cᵢ(xᵢ·s)·xᵢ over a few rows at a time while they are in the
/// first-level cache, as liblinear's product over the same samples does in two reads. Every sum
/// runs over fixed parts of the rows, on all cores (LinearSVC and LinearSVR, as scikit-learn's,
/// take no n_jobs: OMP_NUM_THREADS limits them), added in the parts' order: the same bits for any
/// thread count.
class squared_loss_objective {
public:
    squared_loss_objective(const Matrix<double>& X, const Eigen::VectorXd& y, const Eigen::VectorXd& C, bool regression,
                           double epsilon)
        : X_(X), y_(y), C_(C), regression_(regression), epsilon_(epsilon), threads_(kestrel::detail::resolve_n_jobs(0)),
          excess_(X.rows()) {}

    [[nodiscard]] Index size() const noexcept { return X_.cols(); }

    double value(const Eigen::VectorXd& w) {
        const Index d = X_.cols();
        const double loss = kestrel::detail::parallel_reduce(
            parts_of(X_.rows()), threads_, 0.0,
            [&](Index, Index first, Index last) {
                double f[block_rows];
                double sum = 0;
                for (Index start = first; start < last; start += block_rows) {
                    const Index m = std::min(block_rows, last - start);
                    kestrel::detail::simd::rows_dot(X_.data() + start * d, d, m, d, w.data(), f);
                    for (Index k = 0; k < m; ++k) {
                        const Index i = start + k;
                        double e = 0;
                        if (regression_) {
                            const double r = f[k] - y_[i];
                            e = r > epsilon_ ? r - epsilon_ : (r < -epsilon_ ? r + epsilon_ : 0.0);
                        } else {
                            const double margin = y_[i] * f[k];
                            e = margin < 1 ? y_[i] * (margin - 1) : 0.0;
                        }
                        excess_[i] = e;
                        sum += C_[i] * e * e;
                    }
                }
                return sum;
            },
            std::plus<>());
        return 0.5 * w.squaredNorm() + loss;
    }

    // The excess is signed so that ∂(Cᵢrᵢ²)/∂w = 2Cᵢ·excessᵢ·xᵢ in both cases.
    Eigen::VectorXd gradient(const Eigen::VectorXd& w) {
        const Index d = X_.cols();
        active_.clear();
        for (Index i = 0; i < excess_.size(); ++i) {
            if (excess_[i] != 0) active_.push_back(i);
        }
        const auto n_active = static_cast<Index>(active_.size());
        // Every sample (as at w = 0): X itself. A subset: copied into a buffer that grows and is
        // reused (a fresh one each Newton step would cost its page faults again), left
        // uninitialised so that its pages are first touched by the copy, in parallel.
        const bool copy = n_active < X_.rows();
        const auto values = static_cast<std::size_t>(n_active * d);
        if (copy && capacity_ < values) {
            buffer_.reset(new double[values]);
            capacity_ = values;
        }
        rows_ = copy ? buffer_.get() : X_.data();
        n_rows_ = n_active;
        curvature_.resize(n_active);
        Eigen::VectorXd r(n_active);
        for (Index a = 0; a < n_active; ++a) {
            const Index i = active_[static_cast<std::size_t>(a)];
            curvature_[a] = 2 * C_[i];
            r[a] = curvature_[a] * excess_[i];
        }
        // w + Σ rᵢxᵢ, the parts' sums added to w in their order.
        return kestrel::detail::parallel_reduce(
            parts_of(n_active), threads_, Eigen::VectorXd(w),
            [&](Index, Index first, Index last) {
                if (copy) {
                    for (Index a = first; a < last; ++a) {
                        const double* x = X_.row(active_[static_cast<std::size_t>(a)]).data();
                        std::copy(x, x + d, buffer_.get() + a * d);
                    }
                }
                Eigen::VectorXd sum = Eigen::VectorXd::Zero(d);
                for (Index start = first; start < last; start += block_rows) {
                    kestrel::detail::simd::rows_axpy(rows_ + start * d, d, std::min(block_rows, last - start), d,
                                                     r.data() + start, sum.data());
                }
                return sum;
            },
            add_vectors);
    }

    [[nodiscard]] Eigen::VectorXd hessian_times(const Eigen::VectorXd& s) const {
        const Index d = X_.cols();
        return kestrel::detail::parallel_reduce(
            parts_of(n_rows_), threads_, Eigen::VectorXd(s),
            [&](Index, Index first, Index last) {
                double z[block_rows];
                Eigen::VectorXd sum = Eigen::VectorXd::Zero(d);
                for (Index start = first; start < last; start += block_rows) {
                    const Index m = std::min(block_rows, last - start);
                    const double* rows = rows_ + start * d;
                    kestrel::detail::simd::rows_dot(rows, d, m, d, s.data(), z);
                    for (Index k = 0; k < m; ++k) z[k] *= curvature_[start + k];
                    kestrel::detail::simd::rows_axpy(rows, d, m, d, z, sum.data());
                }
                return sum;
            },
            add_vectors);
    }

private:
    // Rows a Hessian product takes at a time: 32 rows of up to about 150 features (38 KB) stay in
    // a 48 KB first-level cache between their dot products and their sum.
    static constexpr Index block_rows = 32;

    // Fixed parts of n rows: up to 16 of at least 4096 rows, whatever the thread count.
    static kestrel::detail::partition parts_of(Index n) { return {n, std::clamp<Index>(n / 4096, 1, 16)}; }

    // The fold of parallel_reduce over the parts' vector sums.
    static Eigen::VectorXd add_vectors(Eigen::VectorXd total, const Eigen::VectorXd& part) {
        total += part;
        return total;
    }

    const Matrix<double>& X_;
    const Eigen::VectorXd& y_;
    const Eigen::VectorXd& C_;
    bool regression_;
    double epsilon_;
    int threads_ = 1;
    Eigen::VectorXd excess_;
    std::vector<Index> active_;     // the samples with an excess at the last gradient's w
    const double* rows_ = nullptr;  // their rows, side by side: n_rows_ rows of d values
    Index n_rows_ = 0;
    std::unique_ptr<double[]> buffer_;  // the copy, when they are a subset
    std::size_t capacity_ = 0;          // values the buffer holds
    Eigen::VectorXd curvature_;         // their 2Cᵢ
};

namespace linear {

// Steihaug's conjugate gradients on H·s = −g inside ‖s‖ ≤ radius, to a residual of 0.1‖g‖;
// r is the residual −g − H·s at the end.
template <class Objective>
void truncated_newton_step(const Objective& objective, double radius, const Eigen::VectorXd& g, Eigen::VectorXd& s,
                           Eigen::VectorXd& r) {
    s.setZero(g.size());
    r = -g;
    Eigen::VectorXd d = r;
    const double stop = 0.1 * g.norm();
    double rr = r.squaredNorm();
    while (r.norm() > stop) {
        const Eigen::VectorXd Hd = objective.hessian_times(d);
        const double step = rr / d.dot(Hd);
        s += step * d;
        if (s.norm() > radius) {
            // Back to the previous point, then along d to the boundary: τ ≥ 0 with ‖s + τd‖ = radius.
            s -= step * d;
            const double sd = s.dot(d), ss = s.squaredNorm(), dd = d.squaredNorm(), r2 = radius * radius;
            const double root = std::sqrt(sd * sd + dd * (r2 - ss));
            const double tau = sd >= 0 ? (r2 - ss) / (sd + root) : (root - sd) / dd;
            s += tau * d;
            r -= tau * Hd;
            return;
        }
        r -= step * Hd;
        const double rr_new = r.squaredNorm();
        d = r + (rr_new / rr) * d;
        rr = rr_new;
    }
}

}  // namespace linear

/// Trust-region Newton for a twice-differentiable convex objective (squared_loss_objective), from
/// w = 0: steps by truncated_newton_step, accepted when the actual decrease is above 10⁻⁴ of the
/// predicted one, the radius scaled by how well the quadratic model predicted. Stops when
/// ‖∇f‖ ≤ tol·‖∇f(0)‖, or when neither decrease is measurable. Returns the accepted steps.
template <class Objective>
int solve_trust_region_newton(Objective& objective, double tol, int max_iter, Eigen::VectorXd& w,
                              kestrel::detail::progress_reporter* progress = nullptr) {
    constexpr double accept = 1e-4, poor = 0.25, good = 0.75;      // ratios of actual to predicted
    constexpr double shrink = 0.25, halve = 0.5, expand = 4.0;     // radius factors
    const Index n = objective.size();
    w.setZero(n);
    double f = objective.value(w);
    Eigen::VectorXd g = objective.gradient(w);
    const double g_norm_first = g.norm();
    if (g_norm_first <= tol * g_norm_first) return 0;
    double radius = g_norm_first;
    Eigen::VectorXd s(n), r(n);
    int iter = 1;
    while (iter <= max_iter) {
        linear::truncated_newton_step(objective, radius, g, s, r);
        const Eigen::VectorXd w_new = w + s;
        const double gs = g.dot(s);
        const double predicted = -0.5 * (gs - s.dot(r));
        const double f_new = objective.value(w_new);
        const double actual = f - f_new;
        const double s_norm = s.norm();
        if (iter == 1) radius = std::min(radius, s_norm);
        // The step length at which a quadratic through f, g·s and f_new would be least.
        const double excess = f_new - f - gs;
        const double scale = excess <= 0 ? expand : std::max(shrink, -0.5 * (gs / excess));
        if (actual < accept * predicted) {
            radius = std::min(std::max(scale, shrink) * s_norm, halve * radius);
        } else if (actual < poor * predicted) {
            radius = std::max(shrink * radius, std::min(scale * s_norm, halve * radius));
        } else if (actual < good * predicted) {
            radius = std::max(shrink * radius, std::min(scale * s_norm, expand * radius));
        } else {
            radius = std::max(radius, std::min(scale * s_norm, expand * radius));
        }
        if (actual > accept * predicted) {
            ++iter;
            w = w_new;
            f = f_new;
            g = objective.gradient(w);
            if (g.norm() <= tol * g_norm_first) break;
            if (progress != nullptr && progress->tick(f)) break;
        }
        if (f < -1.0e32) break;
        if (actual == 0 && predicted <= 0) break;
        if (std::abs(actual) <= 1.0e-12 * std::abs(f) && std::abs(predicted) <= 1.0e-12 * std::abs(f)) break;
    }
    return iter - 1;
}

namespace linear {

// The minimiser of Σₘ (½a·αₘ² + Bₘαₘ) over the first `count` entries, subject to αₘ ≤ boundₘ
// (C for the sample's own class at position `own`, 0 for the others) and Σₘ αₘ = −(C when the
// own class is not among them, else 0). KKT: αₘ = min(boundₘ, (β − Bₘ)/a) for the β that meets
// the sum, found by sorting Dₘ = Bₘ + a·boundₘ in decreasing order.
inline void crammer_singer_subproblem(const Eigen::VectorXd& B, Index count, Index own, double a, double c,
                                      std::vector<double>& sorted, Eigen::VectorXd& alpha) {
    sorted.assign(B.data(), B.data() + count);
    if (own < count) sorted[static_cast<std::size_t>(own)] += a * c;
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    double beta = sorted[0] - a * c;
    Index r = 1;
    for (; r < count && beta < static_cast<double>(r) * sorted[static_cast<std::size_t>(r)]; ++r) {
        beta += sorted[static_cast<std::size_t>(r)];
    }
    beta /= static_cast<double>(r);
    for (Index m = 0; m < count; ++m) alpha[m] = std::min(m == own ? c : 0.0, (beta - B[m]) / a);
}

}  // namespace linear

/// Crammer and Singer's multi-class SVM by its dual: min_α ½Σₘ‖wₘ‖² + Σᵢ Σ_{m≠yᵢ} αᵢᵐ,
/// αᵢᵐ ≤ Cᵢ·[m = yᵢ], Σₘ αᵢᵐ = 0, wₘ = Σᵢ αᵢᵐxᵢ; each step solves one sample's K variables
/// exactly. Classes at their bound whose gradient is below the sample's smallest free gradient
/// are shrunk, with a shrinking tolerance halved from max(10·tol, 1) to tol. W (K × p) gets one
/// row per class. Stops when the largest gap between a sample's gradients is below tol after a
/// pass over every sample.
inline int solve_crammer_singer(const Matrix<double>& X, const Eigen::VectorXi& label, Index K,
                                const Eigen::VectorXd& C, double tol, int max_iter, random_engine& rng,
                                Matrix<double>& W, kestrel::detail::progress_reporter* progress = nullptr) {
    using linear::infinity;
    const Index n = X.rows(), p = X.cols();
    W.setZero(K, p);
    Matrix<double> alpha = Matrix<double>::Zero(n, K);
    // Each sample's classes, the active ones first, and where its own class sits among them.
    Eigen::Matrix<Index, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> classes(n, K);
    std::vector<Index> n_active(static_cast<std::size_t>(n), K), own(static_cast<std::size_t>(n));
    for (Index i = 0; i < n; ++i) {
        for (Index m = 0; m < K; ++m) classes(i, m) = m;
        own[static_cast<std::size_t>(i)] = label[i];
    }
    const Eigen::VectorXd norms = X.rowwise().squaredNorm();
    linear::active_set active(n);
    double shrink_tol = std::max(10 * tol, 1.0);
    bool from_all = true;
    Eigen::VectorXd G(K), B(K), alpha_new(K), scores(K);
    std::vector<double> sorted;
    int iter = 0;
    while (iter < max_iter) {
        double gap_max = -infinity;
        active.shuffle(rng);
        for (Index s = 0; s < active.size; ++s) {
            const Index i = active[s];
            const double a = norms[i];
            if (!(a > 0)) continue;
            Index& count = n_active[static_cast<std::size_t>(i)];
            Index& y = own[static_cast<std::size_t>(i)];
            const auto cls = classes.row(i);
            const auto bound = [&](Index m) { return m == y ? C[i] : 0.0; };
            scores.noalias() = W * X.row(i).transpose();
            for (Index m = 0; m < count; ++m) G[m] = scores[cls[m]] + (m == y ? 0.0 : 1.0);

            double g_min = infinity, g_max = -infinity;
            for (Index m = 0; m < count; ++m) {
                if (alpha(i, cls[m]) < bound(m)) g_min = std::min(g_min, G[m]);
                g_max = std::max(g_max, G[m]);
            }
            for (Index m = 0; m < count;) {
                if (alpha(i, cls[m]) == bound(m) && G[m] < g_min) {
                    --count;
                    std::swap(classes(i, m), classes(i, count));
                    std::swap(G[m], G[count]);
                    if (y == m) {
                        y = count;
                    } else if (y == count) {
                        y = m;
                    }
                } else {
                    ++m;
                }
            }
            if (count <= 1) {
                active.drop(s);
                continue;
            }
            if (g_max - g_min <= 1e-12) continue;
            gap_max = std::max(gap_max, g_max - g_min);

            for (Index m = 0; m < count; ++m) B[m] = G[m] - a * alpha(i, classes(i, m));
            linear::crammer_singer_subproblem(B, count, y, a, C[i], sorted, alpha_new);
            for (Index m = 0; m < count; ++m) {
                const Index c = classes(i, m);
                const double change = alpha_new[m] - alpha(i, c);
                alpha(i, c) = alpha_new[m];
                if (change != 0) W.row(c) += change * X.row(i);
            }
        }
        ++iter;
        if (progress != nullptr && progress->tick(gap_max)) break;
        if (gap_max < shrink_tol) {
            if (gap_max < tol && from_all) break;
            active.restore();
            std::fill(n_active.begin(), n_active.end(), K);
            shrink_tol = std::max(shrink_tol / 2, tol);
            from_all = true;
        } else {
            from_all = false;
        }
    }
    return iter;
}

}  // namespace kestrel::svm::detail
