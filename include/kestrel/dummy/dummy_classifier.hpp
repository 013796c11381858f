#pragma once
/// \file
/// DummyClassifier: predictions that ignore the features, a baseline to compare classifiers with.

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <Eigen/Core>

#include "../core/concepts.hpp"
#include "../core/detail/estimator_base.hpp"
#include "../core/params.hpp"
#include "../core/random.hpp"
#include "../core/types.hpp"

namespace kestrel::dummy {

/// scikit-learn's `strategy` of DummyClassifier.
enum class Strategy {
    most_frequent,  ///< always the most frequent class; predict_proba one-hot on it
    prior,          ///< always the most frequent class; predict_proba the class priors
    stratified,     ///< random classes drawn from the priors (one-hot probabilities)
    uniform,        ///< random classes drawn uniformly; predict_proba 1 / n_classes
    constant,       ///< always `constant`, which must be a training class
};
/// scikit-learn's spellings of Strategy's values.
constexpr enum_table<Strategy, 5> enum_names(Strategy) {
    return {{{Strategy::most_frequent, "most_frequent"},
             {Strategy::prior, "prior"},
             {Strategy::stratified, "stratified"},
             {Strategy::uniform, "uniform"},
             {Strategy::constant, "constant"}}};
}

/// DummyClassifier's hyperparameters, in scikit-learn's order.
struct DummyClassifierParams {
    /// The estimator's name, as scikit-learn spells it: in messages, printing and model files.
    static constexpr std::string_view name = "DummyClassifier";
    Strategy strategy = Strategy::prior;                ///< how predictions are made (see Strategy)
    std::uint64_t random_state = default_random_state;  ///< the stream of stratified and uniform
    std::optional<int> constant;                        ///< the label predicted by Strategy::constant
    friend constexpr bool operator==(const DummyClassifierParams&, const DummyClassifierParams&) = default;
    /// Calls field(name, member) on each hyperparameter, in order (model files, printing).
    template <class Self, class F>
    static constexpr void fields(Self& p, F&& field) {
        field("strategy", p.strategy);
        field("random_state", p.random_state);
        field("constant", p.constant);
    }
    /// Throws invalid_parameter naming the first field out of its range; constexpr, so a constant
    /// Params with a bad value does not compile.
    constexpr void validate() const {
        require_param(strategy != Strategy::constant || constant.has_value(), name, "constant", "None",
                      "must be set when strategy is constant");
    }
};

/// A classifier that ignores X, as scikit-learn 1.2's `DummyClassifier`: the class priors are the
/// (weighted) class frequencies of y; `most_frequent` and `prior` predict the most frequent class
/// (the smallest label among ties), `constant` the given label, `stratified` and `uniform` draw
/// labels at random (the same draws on every call, from `random_state`). Throws
/// invalid_parameter for strategy constant without a constant; invalid_input for a constant that
/// is not a training class, a one-class-free y, NaN/inf in X, mismatched lengths.
template <std::floating_point T = double>
class DummyClassifier : public estimator_base<DummyClassifier<T>, T, DummyClassifierParams>,
                        public classifier_mixin<DummyClassifier<T>, T> {
    using base = estimator_base<DummyClassifier<T>, T, DummyClassifierParams>;

public:
    /// The class's name in messages, in its printed repr and in model files.
    static constexpr std::string_view name = DummyClassifierParams::name;
    using base::base;
    using base::fit;

    /// Records the classes of y and their (weighted) frequencies.
    template <matrix_of<T> M, label_vector L, vector_of<T> W>
    DummyClassifier& fit(const M& X, const L& y, const W& sample_weight) {
        this->n_features_in_ = 0;
        const sample_weights<T> w = this->validate_data(X, y, sample_weight);
        classes_ = kestrel::detail::unique_labels(y, name, 1);
        const Eigen::VectorXi codes = kestrel::detail::encode_labels(y, classes_);
        Eigen::VectorXd counts = Eigen::VectorXd::Zero(classes_.size());
        for (Index i = 0; i < codes.size(); ++i) counts[codes[i]] += static_cast<double>(w[i]);
        class_prior_ = (counts / counts.sum()).template cast<T>();
        class_prior_.maxCoeff(&most_frequent_);
        const auto& p = this->params_;
        if (p.strategy == Strategy::constant) {
            const int* begin = classes_.data();
            const int* end = begin + classes_.size();
            const int* found = std::find(begin, end, *p.constant);
            if (found == end) {
                throw invalid_input(std::string(name) + ": the constant target value " + std::to_string(*p.constant) +
                                    " must be present in the training data");
            }
            constant_ = found - begin;
        }
        this->n_features_in_ = X.cols();
        return *this;
    }

    /// One label per row of X, by the strategy.
    template <matrix_of<T> M>
    [[nodiscard]] Labels predict(const M& X) const {
        if (this->params_.strategy == Strategy::uniform) {
            this->validate_predict(X);
            random_engine rng(this->params_.random_state);
            Labels out(X.rows());
            for (Index i = 0; i < X.rows(); ++i) out[i] = classes_[rng.index_below(classes_.size())];
            return out;
        }
        const Matrix<T> proba = predict_proba(X);
        Labels out(X.rows());
        for (Index i = 0; i < X.rows(); ++i) {
            Index k = 0;
            proba.row(i).maxCoeff(&k);
            out[i] = classes_[k];
        }
        return out;
    }

    /// Class probabilities by the strategy, one column per entry of classes().
    template <matrix_of<T> M>
    [[nodiscard]] Matrix<T> predict_proba(const M& X) const {
        this->validate_predict(X);
        const Index n = X.rows(), K = classes_.size();
        Matrix<T> proba = Matrix<T>::Zero(n, K);
        random_engine rng(this->params_.random_state);
        switch (this->params_.strategy) {
            case Strategy::most_frequent:
                proba.col(most_frequent_).setOnes();
                break;
            case Strategy::prior:
                proba.rowwise() = class_prior_.transpose();
                break;
            case Strategy::constant:
                proba.col(constant_).setOnes();
                break;
            case Strategy::uniform:
                proba.setConstant(T(1) / static_cast<T>(K));
                break;
            case Strategy::stratified:
                for (Index i = 0; i < n; ++i) {
                    const double u = rng.uniform();
                    double cumulative = 0;
                    Index k = 0;
                    while (k + 1 < K && (cumulative += static_cast<double>(class_prior_[k])) <= u) ++k;
                    proba(i, k) = T(1);
                }
                break;
        }
        return proba;
    }

    /// The distinct training labels, sorted.
    [[nodiscard]] const Labels& classes() const { return this->fitted(classes_); }
    /// Each class's (weighted) frequency in the training labels.
    [[nodiscard]] const Vector<T>& class_prior() const { return this->fitted(class_prior_); }

private:
    friend struct kestrel::detail::one_row_access;

    // One row is the first row of a batch: the random strategies draw the batch's first value
    // (predict and predict_proba restart the generator from random_state on every call).
    void proba_row(const T*, T* out) const noexcept {
        const Index K = classes_.size();
        for (Index k = 0; k < K; ++k) out[k] = T(0);
        switch (this->params_.strategy) {
            case Strategy::most_frequent:
                out[most_frequent_] = T(1);
                break;
            case Strategy::prior:
                for (Index k = 0; k < K; ++k) out[k] = class_prior_[k];
                break;
            case Strategy::constant:
                out[constant_] = T(1);
                break;
            case Strategy::uniform:
                for (Index k = 0; k < K; ++k) out[k] = T(1) / static_cast<T>(K);
                break;
            case Strategy::stratified: {
                random_engine rng(this->params_.random_state);
                const double u = rng.uniform();
                double cumulative = 0;
                Index k = 0;
                while (k + 1 < K && (cumulative += static_cast<double>(class_prior_[k])) <= u) ++k;
                out[k] = T(1);
                break;
            }
        }
    }
    [[nodiscard]] int predict_row(const T* x) const noexcept {
        const Index K = classes_.size();
        if (this->params_.strategy == Strategy::uniform) {
            random_engine rng(this->params_.random_state);
            return classes_[rng.index_below(K)];
        }
        if (this->params_.strategy == Strategy::stratified) {
            T p[row_classes];
            proba_row(x, p);
            Index k = 0;
            while (p[k] != T(1)) ++k;
            return classes_[k];
        }
        // The first largest probability, as predict's argmax.
        if (this->params_.strategy == Strategy::prior) {
            Index best = 0;
            for (Index k = 1; k < K; ++k) {
                if (class_prior_[k] > class_prior_[best]) best = k;
            }
            return classes_[best];
        }
        return classes_[this->params_.strategy == Strategy::constant ? constant_ : most_frequent_];
    }
    /// Classes up to which predict_one of the stratified strategy keeps a row on the stack.
    static constexpr Index row_classes = 256;
    void check_one_row_model() const {
        if (this->params_.strategy == Strategy::stratified && classes_.size() > row_classes) {
            throw invalid_input(std::string(name) + ": predict_one of the stratified strategy takes up to " +
                                std::to_string(row_classes) + " classes; call predict with one row");
        }
    }
    friend struct kestrel::detail::persistence_access;

    template <class Archive>
    void persist(Archive& a) {
        a.labels("classes_", classes_);
        const Index K = classes_.size();
        a.vector("class_prior_", class_prior_, K);
        a.value("_most_frequent", most_frequent_);
        a.value("_constant_index", constant_);
        a.require(K >= 1, "classes_ is empty");
        a.require(most_frequent_ >= 0 && most_frequent_ < K && constant_ >= 0 && constant_ < K,
                  "a class index lies outside classes_");
        a.require((class_prior_.array() >= T(0)).all(), "class_prior_ holds a negative prior");
    }

    Labels classes_;
    Vector<T> class_prior_;
    Index most_frequent_ = 0;
    Index constant_ = 0;
};

}  // namespace kestrel::dummy
