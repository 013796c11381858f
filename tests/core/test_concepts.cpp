#include <catch.hpp>
#include <kestrel/core/concepts.hpp>
#include <kestrel/core/dataset.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>

using namespace kestrel;

namespace {

// The smallest shapes of a classifier and a regressor, to pin down what the concepts demand.
template <std::floating_point T = double>
struct toy_classifier {
    using scalar_type = T;
    using target_type = Labels;
    struct Params {
        double C = 1;
        constexpr void validate() const { require_param(C > 0, "toy", "C", C, "must be > 0"); }
        friend constexpr bool operator==(const Params&, const Params&) = default;
    };
    toy_classifier() = default;
    explicit toy_classifier(Params p) : params_(p) {}
    const Params& params() const { return params_; }
    void set_params(Params p) { params_ = p; }
    bool is_fitted() const { return false; }
    toy_classifier& fit(const Matrix<T>&, const Labels&) { return *this; }
    Labels predict(const Matrix<T>& X) const { return Labels::Zero(X.rows()); }
    Matrix<T> predict_proba(const Matrix<T>& X) const { return Matrix<T>::Zero(X.rows(), 2); }
    Labels classes() const { return Labels::LinSpaced(2, 0, 1); }
    Params params_;
};

template <std::floating_point T = double>
struct toy_regressor {
    using scalar_type = T;
    using target_type = Vector<T>;
    struct Params {
        constexpr void validate() const {}
        friend constexpr bool operator==(const Params&, const Params&) = default;
    };
    toy_regressor() = default;
    explicit toy_regressor(Params) {}
    Params params() const { return {}; }
    void set_params(Params) {}
    bool is_fitted() const { return false; }
    toy_regressor& fit(const Matrix<T>&, const Vector<T>&) { return *this; }
    Vector<T> predict(const Matrix<T>& X) const { return Vector<T>::Zero(X.rows()); }
};

}  // namespace

TEST_CASE("the concepts sort estimators by what they can do", "[concepts]") {
    using Scaler = preprocessing::StandardScaler<>;
    static_assert(estimator<Scaler> && unsupervised_estimator<Scaler> && transformer<Scaler>);
    static_assert(!supervised_estimator<Scaler> && !predictor<Scaler> && !classifier<Scaler> && !clusterer<Scaler>);

    static_assert(classifier<toy_classifier<>> && probabilistic_classifier<toy_classifier<>>);
    static_assert(!regressor<toy_classifier<>> && !transformer<toy_classifier<>>);
    static_assert(regressor<toy_regressor<float>> && !classifier<toy_regressor<float>>);
    static_assert(!probabilistic_classifier<toy_regressor<>>);

    static_assert(!estimator<int> && !estimator<Matrix<double>>);
    static_assert(matrix_of<Matrix<float>, float> && !matrix_of<Matrix<float>, double>);
    static_assert(matrix_of<Eigen::Map<const Matrix<double>>, double>);
    static_assert(matrix_of<Eigen::MatrixXd, double>);  // column-major is accepted too
    static_assert(vector_of<Vector<double>, double> && !vector_of<Matrix<double>, double>);
    static_assert(vector_of<decltype(Vector<double>().head(3)), double>);  // a VectorBlock
    static_assert(label_vector<Labels> && label_vector<decltype(Labels().head(2))>);
    static_assert(!label_vector<Vector<double>> && !label_vector<Eigen::MatrixXi>);
    static_assert(vector_of<decltype(Vector<float>().segment(1, 2)), float>);
    static_assert(matrix_of<decltype(Matrix<double>().topRows(2)), double>);
    static_assert(matrix_of<decltype(Matrix<double>() * 2.0), double>);

    toy_classifier<> fitted_one({.C = 3});
    const auto fresh = clone(fitted_one);
    CHECK(fresh.params().C == 3);
}

TEST_CASE("Params::validate rejects bad values at run time, and accepts good ones in constant expressions",
          "[concepts][params]") {
    constexpr auto good = [] {
        toy_classifier<>::Params p{.C = 2};
        p.validate();
        return p;
    }();
    static_assert(good.C == 2);
    toy_classifier<>::Params bad{.C = -1};
    CHECK_THROWS_AS(bad.validate(), invalid_parameter);
}

TEST_CASE("Dataset reports its shape", "[dataset]") {
    Dataset<float, Labels> data{.X = Matrix<float>::Zero(5, 3), .y = Labels::Zero(5)};
    CHECK(data.n_samples() == 5);
    CHECK(data.n_features() == 3);
    CHECK(data.sample_weight.size() == 0);
}
