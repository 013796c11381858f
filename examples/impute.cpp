// Missing values: the diabetes data with one value in six knocked out at random (seeded), filled
// by SimpleImputer with each strategy, then scaled and fitted by Ridge in a Pipeline; held-out R²
// and mean squared error of each, against the model fitted on the complete data. Then a
// pipeline with add_indicator, which also tells the model where the values were missing, and
// HistGradientBoostingRegressor, which takes NaN as it is.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>

#include <kestrel/core/random.hpp>
#include <kestrel/datasets/diabetes.hpp>
#include <kestrel/ensemble/hist_gradient_boosting_regressor.hpp>
#include <kestrel/impute/simple_imputer.hpp>
#include <kestrel/linear_model/ridge.hpp>
#include <kestrel/metrics/regression.hpp>
#include <kestrel/model_selection/train_test_split.hpp>
#include <kestrel/pipeline/pipeline.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>

using namespace kestrel;

namespace {

template <class Model>
void evaluate(const char* label, Model& model, const Matrix<double>& X_train, const Vector<double>& y_train,
              const Matrix<double>& X_test, const Vector<double>& y_test) {
    model.fit(X_train, y_train);
    const Vector<double> predicted = model.predict(X_test);
    std::printf("  %-40s R2 %.4f  MSE %8.1f\n", label, metrics::r2_score(y_test, predicted),
                metrics::mean_squared_error(y_test, predicted));
}

}  // namespace

int main() {
    const auto data = datasets::load_diabetes();
    auto [X_train, X_test, y_train, y_test] =
        model_selection::train_test_split(data.X, data.y, {.test_size = 0.25, .random_state = 3});

    // One value in six replaced by NaN, in the training and the held-out rows alike.
    random_engine rng(11);
    const auto knock_out = [&](Matrix<double> X) {
        for (Index i = 0; i < X.rows(); ++i) {
            for (Index j = 0; j < X.cols(); ++j) {
                if (rng.uniform() < 1.0 / 6) X(i, j) = std::numeric_limits<double>::quiet_NaN();
            }
        }
        return X;
    };
    const Matrix<double> X_train_missing = knock_out(X_train), X_test_missing = knock_out(X_test);
    std::printf("diabetes: %ld training rows, %ld held out, %ld features; %.1f %% of the values missing\n",
                static_cast<long>(X_train.rows()), static_cast<long>(X_test.rows()), static_cast<long>(X_train.cols()),
                100.0 * static_cast<double>(X_train_missing.array().isNaN().count()) /
                    static_cast<double>(X_train_missing.size()));

    using Imputer = impute::SimpleImputer<double>;
    using Scaler = preprocessing::StandardScaler<double>;
    using Ridge = linear_model::Ridge<double>;

    std::cout << "Ridge(alpha=0.1) behind StandardScaler:\n";
    auto complete = pipeline::make_pipeline(Scaler(), Ridge({.alpha = 0.1}));
    evaluate("complete data", complete, X_train, y_train, X_test, y_test);
    for (const auto strategy : {impute::Strategy::mean, impute::Strategy::median, impute::Strategy::most_frequent,
                                impute::Strategy::constant}) {
        auto model = pipeline::make_pipeline(Imputer({.strategy = strategy}), Scaler(), Ridge({.alpha = 0.1}));
        model.fit(X_train_missing, y_train);
        evaluate(to_string(model.step<0>()).c_str(), model, X_train_missing, y_train, X_test_missing, y_test);
    }
    auto flagged = pipeline::make_pipeline(Imputer({.add_indicator = true}), Scaler(), Ridge({.alpha = 0.1}));
    evaluate("mean, with indicators", flagged, X_train_missing, y_train, X_test_missing, y_test);
    std::cout << "  " << flagged << '\n';
    const Imputer& imputer = flagged.step<0>();
    std::cout << "  the means it fills in:";
    for (Index j = 0; j < imputer.statistics().size(); ++j) std::printf(" %.4f", imputer.statistics()[j]);
    std::cout << "\n  features with an indicator column:";
    for (Index j = 0; j < imputer.indicator_features().size(); ++j) std::cout << ' ' << imputer.indicator_features()[j];
    std::cout << '\n';

    std::cout << "HistGradientBoostingRegressor, NaN taken as it is:\n";
    ensemble::HistGradientBoostingRegressor<double> boosted({.max_iter = 60, .max_leaf_nodes = 8});
    evaluate("missing values", boosted, X_train_missing, y_train, X_test_missing, y_test);
    return 0;
}
