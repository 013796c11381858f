#pragma once
/// \file
/// kestrel's one warning path, scikit-learn's `warnings.warn` for a C++ application.
///
/// A fit that stops at `max_iter` before its tolerance is met still returns a usable model (its
/// `converged()` is false), and says so here, as scikit-learn's `ConvergenceWarning` does. By
/// default each warning is one line on stderr, written once per estimator and category; the
/// application chooses otherwise with `set_warning_handler`:
/// ```cpp
/// kestrel::set_warning_handler(kestrel::warning_handlers::ignore);  // silence every warning
/// kestrel::set_warning_handler(kestrel::warning_handlers::raise);   // throw kestrel::warning_error
/// kestrel::set_warning_handler([&](const kestrel::warning& w) { log(w.estimator, w.message); });
/// kestrel::set_warning_handler({});                                  // back to the default
/// ```
/// A handler is called on the thread that raised the warning: the one that called `fit`, or a
/// worker thread when models are fitted in parallel (cross-validation and searches with
/// n_jobs ≠ 1), so a handler of your own must be safe to call from several threads at once (the
/// ready-made ones are). Setting a handler is safe while other threads fit.

#include <functional>
#include <iostream>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "error.hpp"

namespace kestrel {

/// What a warning is about (scikit-learn's warning classes).
enum class warning_category {
    convergence,  ///< an iterative solver stopped at max_iter before its tolerance (ConvergenceWarning)
    fit_stopped,  ///< a progress callback ended a fit before its own stopping rule
    data,         ///< the data is usable but probably not what was meant (fewer distinct points than clusters)
};

/// The name scikit-learn gives the category's warning class, e.g. "ConvergenceWarning".
[[nodiscard]] constexpr std::string_view to_string(warning_category category) noexcept {
    switch (category) {
        case warning_category::convergence:
            return "ConvergenceWarning";
        case warning_category::fit_stopped:
            return "FitStoppedWarning";
        case warning_category::data:
            return "DataWarning";
    }
    return "Warning";
}

/// One warning: its category, the estimator that raised it and a message a user can act on.
struct warning {
    warning_category category;   ///< what the warning is about
    std::string_view estimator;  ///< the class name of the estimator that raised it, e.g. "Lasso"
    std::string message;         ///< what happened and what to do about it
};

/// A warning turned into an exception by `warning_handlers::raise`.
class warning_error : public std::runtime_error, public error {
public:
    /// A warning of `category` whose full line is `message`.
    warning_error(warning_category category, const std::string& message)
        : std::runtime_error(message), category_(category) {}
    [[nodiscard]] const char* what() const noexcept override { return std::runtime_error::what(); }
    /// The category of the warning that was raised.
    [[nodiscard]] warning_category category() const noexcept { return category_; }

private:
    warning_category category_;
};

/// Receives every warning; an empty handler means the default (`warning_handlers::print_once`).
using warning_handler = std::function<void(const warning&)>;

namespace detail {
struct warning_state {
    std::mutex mutex;
    warning_handler handler;
    std::set<std::pair<std::string, warning_category>> printed;
};
inline warning_state& warnings() {
    static warning_state state;
    return state;
}
/// The line the default handler writes: "kestrel: ConvergenceWarning: Lasso: <message>".
inline std::string format_warning(const warning& w) {
    return "kestrel: " + std::string(to_string(w.category)) + ": " + std::string(w.estimator) + ": " + w.message;
}
}  // namespace detail

/// Ready-made handlers.
namespace warning_handlers {
/// The default: one line on stderr, the first time an estimator raises a category (later ones of
/// the same estimator and category are dropped, as Python's default warning filter does).
inline void print_once(const warning& w) {
    // Called with the state's mutex held by kestrel::warn.
    auto& printed = detail::warnings().printed;
    if (printed.emplace(std::string(w.estimator), w.category).second) std::cerr << detail::format_warning(w) << '\n';
}
/// Every warning dropped.
inline void ignore(const warning&) {}
/// Every warning thrown as a kestrel::warning_error (Python's `-W error`).
[[noreturn]] inline void raise(const warning& w) { throw warning_error(w.category, detail::format_warning(w)); }
}  // namespace warning_handlers

/// Installs `handler` for every later warning and returns the one it replaces (empty = default).
inline warning_handler set_warning_handler(warning_handler handler) {
    auto& state = detail::warnings();
    const std::lock_guard lock(state.mutex);
    std::swap(state.handler, handler);
    state.printed.clear();
    return handler;
}

/// Raises a warning through the installed handler (which may throw warning_error).
inline void warn(warning_category category, std::string_view estimator, std::string message) {
    const warning w{category, estimator, std::move(message)};
    auto& state = detail::warnings();
    warning_handler handler;
    {
        const std::lock_guard lock(state.mutex);
        if (!state.handler) {
            warning_handlers::print_once(w);
            return;
        }
        handler = state.handler;
    }
    handler(w);  // outside the lock: a handler may fit a model, or set another handler
}

/// Installs a handler for the lifetime of a scope and puts the previous one back after it.
class scoped_warning_handler {
public:
    /// Installs `handler` until this object is destroyed.
    explicit scoped_warning_handler(warning_handler handler) : previous_(set_warning_handler(std::move(handler))) {}
    scoped_warning_handler(const scoped_warning_handler&) = delete;
    scoped_warning_handler& operator=(const scoped_warning_handler&) = delete;
    ~scoped_warning_handler() { set_warning_handler(std::move(previous_)); }

private:
    warning_handler previous_;
};

}  // namespace kestrel
