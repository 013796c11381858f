#pragma once
/// \file
/// Limited-memory BFGS for smooth unconstrained minimisation, following the iterates of L-BFGS-B
/// 3.0 without bounds (Byrd, Lu, Nocedal and Zhu 1995; Morales and Nocedal 2011), which
/// scikit-learn's logistic regression runs through SciPy: the same memory, first step, line search
/// (Moré and Thuente 1994, MINPACK-2's dcsrch) and stopping tests, so both stop at the same iterate.

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>

#include "../../core/types.hpp"

#include <Eigen/Core>

#include "../../core/progress.hpp"

namespace kestrel::linear_model::detail {

/// Stopping rules of minimize_lbfgs, named as SciPy's options.
struct lbfgs_settings {
    int max_iter = 100;                   ///< iterations (accepted steps)
    double gtol = 1e-5;                   ///< stop when max |gradient| ≤ gtol
    double ftol = 2.220446049250313e-09;  ///< stop when the relative decrease of f is ≤ ftol
    int max_linesearch = 20;              ///< function evaluations per line search
    int memory = 10;                      ///< correction pairs kept
    kestrel::detail::progress_reporter* progress = nullptr;  ///< told of each iteration's f; may stop the run
};

struct lbfgs_result {
    int n_iter = 0;
    bool converged = false;
    int n_evaluations = 0;  ///< objective-and-gradient evaluations (Newton: Hessians not counted)
    int n_hessians = 0;     ///< Hessian evaluations (Newton only)
    bool finite_start = true;  ///< whether the objective and gradient at the start were finite
};

/// MINPACK-2's dcstep: a safeguarded cubic or quadratic step that keeps an interval of
/// uncertainty [stx, sty] around a point satisfying the strong Wolfe conditions.
struct step_interval {
    double stx = 0, fx = 0, dx = 0;
    double sty = 0, fy = 0, dy = 0;
    bool bracketed = false;

    void step(double& stp, double fp, double dp, double stmin, double stmax) {
        const double sgnd = dp * (dx / std::abs(dx));
        double stpf = 0;
        if (fp > fx) {
            const double theta = 3 * (fx - fp) / (stp - stx) + dx + dp;
            const double s = std::max({std::abs(theta), std::abs(dx), std::abs(dp)});
            double gamma = s * std::sqrt((theta / s) * (theta / s) - (dx / s) * (dp / s));
            if (stp < stx) gamma = -gamma;
            const double p = (gamma - dx) + theta, q = ((gamma - dx) + gamma) + dp;
            const double stpc = stx + p / q * (stp - stx);
            const double stpq = stx + ((dx / ((fx - fp) / (stp - stx) + dx)) / 2) * (stp - stx);
            stpf = std::abs(stpc - stx) < std::abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2;
            bracketed = true;
        } else if (sgnd < 0) {
            const double theta = 3 * (fx - fp) / (stp - stx) + dx + dp;
            const double s = std::max({std::abs(theta), std::abs(dx), std::abs(dp)});
            double gamma = s * std::sqrt((theta / s) * (theta / s) - (dx / s) * (dp / s));
            if (stp > stx) gamma = -gamma;
            const double p = (gamma - dp) + theta, q = ((gamma - dp) + gamma) + dx;
            const double stpc = stp + p / q * (stx - stp);
            const double stpq = stp + (dp / (dp - dx)) * (stx - stp);
            stpf = std::abs(stpc - stp) > std::abs(stpq - stp) ? stpc : stpq;
            bracketed = true;
        } else if (std::abs(dp) < std::abs(dx)) {
            const double theta = 3 * (fx - fp) / (stp - stx) + dx + dp;
            const double s = std::max({std::abs(theta), std::abs(dx), std::abs(dp)});
            double gamma = s * std::sqrt(std::max(0.0, (theta / s) * (theta / s) - (dx / s) * (dp / s)));
            if (stp > stx) gamma = -gamma;
            const double p = (gamma - dp) + theta, q = (gamma + (dx - dp)) + gamma;
            const double r = p / q;
            double stpc = stp > stx ? stmax : stmin;
            if (r < 0 && gamma != 0) stpc = stp + r * (stx - stp);
            const double stpq = stp + (dp / (dp - dx)) * (stx - stp);
            if (bracketed) {
                stpf = std::abs(stpc - stp) < std::abs(stpq - stp) ? stpc : stpq;
                stpf = stp > stx ? std::min(stp + 0.66 * (sty - stp), stpf) : std::max(stp + 0.66 * (sty - stp), stpf);
            } else {
                stpf = std::abs(stpc - stp) > std::abs(stpq - stp) ? stpc : stpq;
                stpf = std::clamp(stpf, stmin, stmax);
            }
        } else if (bracketed) {
            const double theta = 3 * (fp - fy) / (sty - stp) + dy + dp;
            const double s = std::max({std::abs(theta), std::abs(dy), std::abs(dp)});
            double gamma = s * std::sqrt((theta / s) * (theta / s) - (dy / s) * (dp / s));
            if (stp > sty) gamma = -gamma;
            const double p = (gamma - dp) + theta, q = ((gamma - dp) + gamma) + dy;
            stpf = stp + p / q * (sty - stp);
        } else {
            stpf = stp > stx ? stmax : stmin;
        }
        if (fp > fx) {
            sty = stp;
            fy = fp;
            dy = dp;
        } else {
            if (sgnd < 0) {
                sty = stx;
                fy = fx;
                dy = dx;
            }
            stx = stp;
            fx = fp;
            dx = dp;
        }
        stp = stpf;
    }
};

/// MINPACK-2's dcsrch with L-BFGS-B's constants (ftol 1e-3, gtol 0.9, xtol 0.1): finds a step
/// satisfying the strong Wolfe conditions. Feed it f and f' at each trial step; it answers
/// whether to stop and, if not, the next trial step.
class wolfe_search {
public:
    wolfe_search(double f0, double g0, double stp, double stpmax)
        : finit_(f0), ginit_(g0), gtest_(ftol * g0), stpmax_(stpmax), width_(stpmax), width1_(stpmax / 0.5),
          stmax_(stp + 4.0 * stp) {
        interval_.fx = interval_.fy = f0;
        interval_.dx = interval_.dy = g0;
    }

    /// True when `stp` (evaluated as f, g) is accepted; otherwise updates `stp` to the next trial.
    bool accept(double& stp, double f, double g) {
        const double ftest = finit_ + stp * gtest_;
        if (stage_ == 1 && f <= ftest && g >= 0) stage_ = 2;
        auto& I = interval_;
        if (I.bracketed && (stp <= stmin_ || stp >= stmax_)) return true;
        if (I.bracketed && stmax_ - stmin_ <= xtol * stmax_) return true;
        if (stp == stpmax_ && f <= ftest && g <= gtest_) return true;
        if (stp == 0 && (f > ftest || g >= gtest_)) return true;
        if (f <= ftest && std::abs(g) <= gtol * (-ginit_)) return true;
        if (stage_ == 1 && f <= I.fx && f > ftest) {
            // The modified function ψ(α) = f(α) − f(0) − α·ftest-slope while in the first stage.
            step_interval M{
                I.stx, I.fx - I.stx * gtest_, I.dx - gtest_, I.sty, I.fy - I.sty * gtest_, I.dy - gtest_, I.bracketed};
            M.step(stp, f - stp * gtest_, g - gtest_, stmin_, stmax_);
            I = {M.stx, M.fx + M.stx * gtest_, M.dx + gtest_, M.sty, M.fy + M.sty * gtest_, M.dy + gtest_, M.bracketed};
        } else {
            I.step(stp, f, g, stmin_, stmax_);
        }
        if (I.bracketed) {
            if (std::abs(I.sty - I.stx) >= 0.66 * width1_) stp = I.stx + 0.5 * (I.sty - I.stx);
            width1_ = width_;
            width_ = std::abs(I.sty - I.stx);
            stmin_ = std::min(I.stx, I.sty);
            stmax_ = std::max(I.stx, I.sty);
        } else {
            stmin_ = stp + 1.1 * (stp - I.stx);
            stmax_ = stp + 4.0 * (stp - I.stx);
        }
        stp = std::clamp(stp, 0.0, stpmax_);
        if ((I.bracketed && (stp <= stmin_ || stp >= stmax_)) || (I.bracketed && stmax_ - stmin_ <= xtol * stmax_)) {
            stp = I.stx;
        }
        return false;
    }

private:
    static constexpr double ftol = 1e-3, gtol = 0.9, xtol = 0.1;
    double finit_, ginit_, gtest_, stpmax_, width_, width1_;
    double stmin_ = 0, stmax_;
    int stage_ = 1;
    step_interval interval_;
};

/// Minimises f from x (updated in place). `objective(x, g)` returns f(x) and writes ∇f(x) to g.
/// A non-finite f or ∇f at the start ends the run there (finite_start false). Stops, as SciPy's L-BFGS-B does, after max_iter iterations (not converged), when
/// max|∇f| ≤ gtol, or when (f_prev − f) ≤ ftol·max(|f_prev|, |f|, 1); a line search that fails
/// twice in a row (once more after dropping the memory) ends the run unconverged.
template <class Objective>
lbfgs_result minimize_lbfgs(Objective&& objective, Eigen::VectorXd& x, const lbfgs_settings& settings) {
    using Eigen::VectorXd;
    constexpr double stpmax = 1e10;
    const double eps = std::numeric_limits<double>::epsilon();
    lbfgs_result result;
    VectorXd g(x.size());
    double f = objective(x, g);
    result.n_evaluations = 1;
    if (!std::isfinite(f) || !g.allFinite()) {
        result.finite_start = false;
        return result;
    }
    if (g.lpNorm<Eigen::Infinity>() <= settings.gtol) {
        result.converged = true;
        return result;
    }
    std::deque<VectorXd> S, Y;
    std::deque<double> rho;
    VectorXd d(x.size()), x0(x.size()), g0(x.size()), alpha_buffer(settings.memory);
    bool first_step = true;
    while (true) {
        // Two-loop recursion for d = −H g, with H₀ = (sᵀy / yᵀy) I from the newest pair.
        d = g;
        const auto m = static_cast<Index>(S.size());
        for (Index i = m - 1; i >= 0; --i) {
            alpha_buffer[i] = rho[i] * S[i].dot(d);
            d -= alpha_buffer[i] * Y[i];
        }
        if (m > 0) d *= 1.0 / (rho[m - 1] * Y[m - 1].squaredNorm());
        for (Index i = 0; i < m; ++i) d += (alpha_buffer[i] - rho[i] * Y[i].dot(d)) * S[i];
        d = -d;

        const double gd0 = g.dot(d);
        const double f0 = f;
        x0 = x;
        g0 = g;
        bool searched = false;
        if (gd0 < 0) {
            double stp = first_step ? std::min(1.0 / d.norm(), stpmax) : 1.0;
            wolfe_search search(f0, gd0, stp, stpmax);
            for (int evaluation = 1;; ++evaluation) {
                x = x0 + stp * d;
                f = objective(x, g);
                ++result.n_evaluations;
                if (search.accept(stp, f, g.dot(d))) {
                    searched = true;
                    break;
                }
                if (evaluation >= settings.max_linesearch) break;
            }
        }
        if (!searched) {
            x = x0;
            g = g0;
            f = f0;
            if (S.empty()) return result;
            S.clear();
            Y.clear();
            rho.clear();
            continue;
        }
        first_step = false;
        ++result.n_iter;
        if (settings.progress != nullptr && settings.progress->tick(f)) return result;
        if (result.n_iter >= settings.max_iter) return result;
        if (g.lpNorm<Eigen::Infinity>() <= settings.gtol ||
            f0 - f <= settings.ftol * std::max({std::abs(f0), std::abs(f), 1.0})) {
            result.converged = true;
            return result;
        }
        VectorXd s = x - x0, y = g - g0;
        const double sy = s.dot(y);
        // L-BFGS-B skips a pair whose curvature sᵀy is not clearly positive.
        if (sy > eps * -(g0.dot(s))) {
            if (static_cast<int>(S.size()) == settings.memory) {
                S.pop_front();
                Y.pop_front();
                rho.pop_front();
            }
            S.push_back(std::move(s));
            Y.push_back(std::move(y));
            rho.push_back(1.0 / sy);
        }
    }
}

}  // namespace kestrel::linear_model::detail
