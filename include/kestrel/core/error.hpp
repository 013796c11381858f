#pragma once
/// \file
/// The exceptions kestrel throws. Each derives from `kestrel::error` and from the standard
/// exception it refines, so `catch (const kestrel::error&)`, `catch (const std::invalid_argument&)`
/// and `catch (const std::exception&)` all work, and none of them is ambiguous.

#include <stdexcept>
#include <string>

namespace kestrel {

/// Base of every kestrel exception. Not itself a std::exception (so that the concrete
/// exceptions below have exactly one std::exception base); `what()` forwards to it.
class error {
public:
    virtual ~error() = default;
    /// The message: what is wrong, naming the estimator, parameter or file and the offending value.
    [[nodiscard]] virtual const char* what() const noexcept = 0;

protected:
    error() = default;
    error(const error&) = default;
    error& operator=(const error&) = default;
};

/// A hyperparameter is out of its valid range, e.g. `n_clusters = 0`.
class invalid_parameter : public std::invalid_argument, public error {
public:
    /// An exception carrying `message` as its what().
    explicit invalid_parameter(const std::string& message) : std::invalid_argument(message) {}
    /// The message given at construction.
    [[nodiscard]] const char* what() const noexcept override { return std::invalid_argument::what(); }
};

/// The data handed to an estimator is unusable: wrong shape, NaN or infinity, no samples,
/// a wrong feature count at predict, one class only, a continuous target to a classifier.
class invalid_input : public std::invalid_argument, public error {
public:
    /// An exception carrying `message` as its what().
    explicit invalid_input(const std::string& message) : std::invalid_argument(message) {}
    /// The message given at construction.
    [[nodiscard]] const char* what() const noexcept override { return std::invalid_argument::what(); }
};

/// A method that needs a fitted estimator was called before `fit`.
class not_fitted : public std::logic_error, public error {
public:
    /// An exception carrying `message` as its what().
    explicit not_fitted(const std::string& message) : std::logic_error(message) {}
    /// The message given at construction.
    [[nodiscard]] const char* what() const noexcept override { return std::logic_error::what(); }
};

/// A file is missing, truncated, malformed or of a foreign format.
class io_error : public std::runtime_error, public error {
public:
    /// An exception carrying `message` as its what().
    explicit io_error(const std::string& message) : std::runtime_error(message) {}
    /// The message given at construction.
    [[nodiscard]] const char* what() const noexcept override { return std::runtime_error::what(); }
};

}  // namespace kestrel
