#pragma once
/// \file
/// LabelEncoder: map class labels of any ordered type to the codes 0 .. n_classes−1.

#include <algorithm>
#include <concepts>
#include <ostream>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "../core/detail/validation.hpp"
#include "../core/error.hpp"
#include "../core/types.hpp"

namespace kestrel::preprocessing {

/// Encodes labels as scikit-learn's `LabelEncoder`: `classes()` holds the distinct labels sorted
/// by `<` (bytewise for std::string, as NumPy sorts str), and a label's code is its position there.
/// `L` is any totally ordered, copyable type: `int` (the default) or `std::string` are the usual.
/// For `int`, `classes()` and `inverse_transform` give `Labels` and Eigen vectors are accepted;
/// for other types they give `std::vector<L>`. Not an estimator in kestrel's sense (it encodes
/// targets, not a matrix of features).
template <class L = int>
requires std::totally_ordered<L> && std::copyable<L>
class LabelEncoder {
public:
    /// The type of the labels encoded.
    using label_type = L;
    /// What `classes()` and `inverse_transform` return: `Labels` for int, `std::vector<L>` otherwise.
    using container_type = std::conditional_t<std::same_as<L, int>, Labels, std::vector<L>>;
    /// scikit-learn's class name.
    static constexpr std::string_view name = "LabelEncoder";

    /// Whether fit has run.
    [[nodiscard]] bool is_fitted() const noexcept { return fitted_; }

    /// Records the sorted distinct labels of y (y may be empty).
    LabelEncoder& fit(std::span<const L> y) {
        classes_.assign(y.begin(), y.end());
        std::sort(classes_.begin(), classes_.end());
        classes_.erase(std::unique(classes_.begin(), classes_.end()), classes_.end());
        fitted_ = true;
        return *this;
    }

    /// Records the sorted distinct labels of integer labels y (y may be empty).
    LabelEncoder& fit(const Labels& y) requires std::same_as<L, int> {
        return fit(std::span<const int>(y.data(), static_cast<std::size_t>(y.size())));
    }

    /// Each label's position in `classes()`. Throws not_fitted, and invalid_input naming the
    /// labels not seen in fit.
    [[nodiscard]] Labels transform(std::span<const L> y) const {
        detail::check_fitted(fitted_, name);
        Labels codes(static_cast<Index>(y.size()));
        std::vector<L> unseen;
        for (std::size_t i = 0; i < y.size(); ++i) {
            const auto it = std::lower_bound(classes_.begin(), classes_.end(), y[i]);
            if (it == classes_.end() || *it != y[i]) {
                unseen.push_back(y[i]);
                continue;
            }
            codes[static_cast<Index>(i)] = static_cast<int>(it - classes_.begin());
        }
        if (!unseen.empty()) throw_unseen(std::move(unseen));
        return codes;
    }

    /// Each integer label's position in `classes()`. Throws not_fitted, and invalid_input naming
    /// the labels not seen in fit.
    [[nodiscard]] Labels transform(const Labels& y) const requires std::same_as<L, int> {
        return transform(std::span<const int>(y.data(), static_cast<std::size_t>(y.size())));
    }

    /// fit(y), then the codes of y.
    [[nodiscard]] Labels fit_transform(std::span<const L> y) { return fit(y).transform(y); }

    /// fit(y), then the codes of y, for integer labels.
    [[nodiscard]] Labels fit_transform(const Labels& y) requires std::same_as<L, int> { return fit(y).transform(y); }

    /// The labels with the given codes. Throws not_fitted, and invalid_input for a code outside
    /// 0 .. n_classes−1.
    [[nodiscard]] container_type inverse_transform(const Eigen::Ref<const Labels>& codes) const {
        detail::check_fitted(fitted_, name);
        const Index n_classes = static_cast<Index>(classes_.size());
        container_type labels(static_cast<std::size_t>(codes.size()));
        for (Index i = 0; i < codes.size(); ++i) {
            if (codes[i] < 0 || codes[i] >= n_classes) {
                throw invalid_input(detail::prefixed(name, "y contains previously unseen labels: [" +
                                                               std::to_string(codes[i]) + "]; codes run from 0 to " +
                                                               std::to_string(n_classes - 1)));
            }
            labels[static_cast<std::size_t>(i)] = classes_[static_cast<std::size_t>(codes[i])];
        }
        return labels;
    }

    /// The distinct labels seen in fit, sorted.
    [[nodiscard]] container_type classes() const {
        detail::check_fitted(fitted_, name);
        if constexpr (std::same_as<L, int>) {
            return Eigen::Map<const Labels>(classes_.data(), static_cast<Index>(classes_.size()));
        } else {
            return classes_;
        }
    }

private:
    [[noreturn]] static void throw_unseen(std::vector<L> unseen) {
        std::sort(unseen.begin(), unseen.end());
        unseen.erase(std::unique(unseen.begin(), unseen.end()), unseen.end());
        std::ostringstream message;
        message << name << ": y contains previously unseen labels: [";
        for (std::size_t i = 0; i < unseen.size(); ++i) {
            if (i > 0) message << ", ";
            if constexpr (std::convertible_to<const L&, std::string_view>) {
                message << '\'' << std::string_view(unseen[i]) << '\'';
            } else if constexpr (requires(std::ostream & out, const L& label) { out << label; }) {
                message << unseen[i];
            } else {
                message << '?';
            }
        }
        message << ']';
        throw invalid_input(message.str());
    }

    std::vector<L> classes_;
    bool fitted_ = false;
};

}  // namespace kestrel::preprocessing
