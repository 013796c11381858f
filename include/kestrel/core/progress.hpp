#pragma once
/// \file
/// Progress and cancellation of long fits.
///
/// Every iterative or long fit (the linear solvers, k-means, the SVMs, forests, gradient
/// boosting, grid search) calls the estimator's progress callback once an iteration (an epoch,
/// a tree, a boosting round, a candidate fold) with the iteration count, the current objective or
/// score and the time since the fit began. Returning `progress_action::stop` ends the fit at
/// that point with a fitted, usable model: `cancelled()` is true, `converged()` (where the
/// estimator has it) is false, and a `warning_category::fit_stopped` warning says so.
/// ```cpp
/// model.set_progress_callback([](const kestrel::progress& p) {
///     std::cerr << p.estimator << " iteration " << p.iteration << " " << p.value_name << " " << p.value << '\n';
///     return p.elapsed.count() < 60 ? kestrel::progress_action::proceed : kestrel::progress_action::stop;
/// });
/// ```
/// Without a callback a fit pays one branch an iteration and reads no clock. The callback runs
/// on the thread that called `fit`, or, where the work runs in parallel (forests' trees, the
/// SVMs' class pairs, a search's folds), on a worker thread under a lock, one call at a time. It
/// is not saved with the model; a copy of the estimator holds a copy of it.

#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <mutex>
#include <string_view>

#include "types.hpp"

namespace kestrel {

/// What a progress callback returns.
enum class progress_action {
    proceed,  ///< go on fitting
    stop,     ///< end the fit now, keeping what is fitted so far
};

/// One report of a fit's progress.
struct progress {
    std::string_view estimator;  ///< the estimator's class name, e.g. "LogisticRegression"
    Index iteration = 0;         ///< iterations completed so far in this fit (counted from 1)
    Index max_iterations = 0;    ///< the most this fit can take (e.g. max_iter × problems); 0 if unknown
    double value = std::numeric_limits<double>::quiet_NaN();  ///< the current objective or score; NaN if none
    std::string_view value_name;                              ///< what `value` is: "loss", "inertia", ...
    std::chrono::duration<double> elapsed{};                  ///< seconds since the fit began
};

/// Receives a fit's progress; its answer decides whether the fit goes on.
using progress_callback = std::function<progress_action(const progress&)>;

namespace detail {

/// A fit's side of the progress callback: counts iterations, times them and remembers a stop.
/// Inactive (no callback) it does nothing but answer `tick` with false.
class progress_reporter {
public:
    progress_reporter() = default;
    progress_reporter(const progress_callback* callback, std::string_view estimator, Index max_iterations,
                      std::string_view value_name)
        : callback_(callback != nullptr && *callback ? callback : nullptr),
          report_{estimator, 0, max_iterations, std::numeric_limits<double>::quiet_NaN(), value_name, {}} {
        if (callback_ != nullptr) start_ = std::chrono::steady_clock::now();
    }
    progress_reporter(const progress_reporter&) = delete;
    progress_reporter& operator=(const progress_reporter&) = delete;

    /// Whether a callback listens (a fit may skip computing a value nobody reads).
    [[nodiscard]] bool active() const noexcept { return callback_ != nullptr; }
    /// Whether the callback has asked to stop.
    [[nodiscard]] bool stopped() const noexcept { return stopped_.load(std::memory_order_relaxed); }
    /// Iterations reported so far.
    [[nodiscard]] Index iterations() const noexcept { return report_.iteration; }

    /// Reports one more completed iteration with its objective or score; returns true when the
    /// fit must stop (now, or already earlier).
    bool tick(double value = std::numeric_limits<double>::quiet_NaN()) {
        if (callback_ == nullptr) return false;
        return report(value);
    }
    /// As tick, from inside a parallel loop: the calls are serialised by a lock.
    bool tick_shared(double value = std::numeric_limits<double>::quiet_NaN()) {
        if (callback_ == nullptr) return false;
        const std::lock_guard lock(mutex_);
        return report(value);
    }

private:
    bool report(double value) {
        if (stopped()) return true;
        ++report_.iteration;
        report_.value = value;
        report_.elapsed = std::chrono::steady_clock::now() - start_;
        const bool stop = (*callback_)(report_) == progress_action::stop;
        stopped_.store(stop, std::memory_order_relaxed);
        return stop;
    }

    const progress_callback* callback_ = nullptr;
    progress report_{};
    std::chrono::steady_clock::time_point start_{};
    std::atomic<bool> stopped_{false};
    std::mutex mutex_;
};

}  // namespace detail
}  // namespace kestrel
