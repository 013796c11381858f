#include <algorithm>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include <catch.hpp>
#include <kestrel/core/detail/validation.hpp>
#include <kestrel/core/error.hpp>
#include <kestrel/core/params.hpp>
#include <kestrel/core/random.hpp>

using namespace kestrel;

TEST_CASE("every kestrel exception is catchable as kestrel::error and as its std exception", "[errors]") {
    static_assert(std::is_base_of_v<error, invalid_parameter> &&
                  std::is_base_of_v<std::invalid_argument, invalid_parameter>);
    static_assert(std::is_base_of_v<error, invalid_input> && std::is_base_of_v<std::invalid_argument, invalid_input>);
    static_assert(std::is_base_of_v<error, not_fitted> && std::is_base_of_v<std::logic_error, not_fitted>);
    static_assert(std::is_base_of_v<error, io_error> && std::is_base_of_v<std::runtime_error, io_error>);

    auto throws = [] { throw invalid_input("bad"); };
    CHECK_THROWS_AS(throws(), error);
    CHECK_THROWS_AS(throws(), std::invalid_argument);
    CHECK_THROWS_AS(throws(), std::exception);  // one std::exception base: not ambiguous
    try {
        throw io_error("file.npy: truncated");
    } catch (const error& e) {
        CHECK(std::string(e.what()) == "file.npy: truncated");
    }
}

TEST_CASE("require_param names the estimator, the parameter, its value and the rule", "[errors][params]") {
    CHECK_NOTHROW(require_param(true, "KMeans", "n_clusters", 0, "must be >= 1"));
    try {
        require_param(false, "KMeans", "n_clusters", 0, "must be >= 1");
        FAIL("no exception");
    } catch (const invalid_parameter& e) {
        CHECK(std::string(e.what()) == "KMeans: parameter n_clusters = 0 is invalid: it must be >= 1.");
    }
    CHECK_THROWS_WITH(require_param(false, "Lasso", "alpha", -0.5, "must be >= 0"),
                      "Lasso: parameter alpha = -0.5 is invalid: it must be >= 0.");
}

TEST_CASE("validation helpers reject bad input with actionable messages", "[errors][validation]") {
    Matrix<double> X(3, 2);
    X << 1, 2, 3, 4, 5, 6;
    CHECK_NOTHROW(detail::check_training_matrix(X, "Est"));

    X(1, 1) = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH(detail::check_finite(X, "Est"), Catch::Contains("NaN at row 1, column 1"));
    X(1, 1) = std::numeric_limits<double>::infinity();
    CHECK_THROWS_AS(detail::check_finite(X, "Est"), invalid_input);

    CHECK_THROWS_WITH(detail::check_not_empty(Matrix<double>(0, 3), "Est"), Catch::Contains("0 samples"));
    CHECK_THROWS_WITH(detail::check_not_empty(Matrix<double>(3, 0), "Est"), Catch::Contains("0 features"));
    CHECK_THROWS_WITH(detail::check_n_features(5, 4, "KMeans"), "X has 5 features, but KMeans was fitted with 4");
    CHECK_THROWS_AS(detail::check_fitted(false, "KMeans"), not_fitted);
    CHECK_THROWS_WITH(detail::check_same_length(3, 2, "Ridge", "y"), Catch::Contains("X has 3 samples, but y has 2"));

    Vector<double> w(3);
    w << 1, -1, 2;
    CHECK_THROWS_WITH(detail::checked_sample_weight<double>(w, 3, "Ridge"), Catch::Contains("negative"));
    CHECK_THROWS_AS(detail::checked_sample_weight<double>(Vector<double>::Zero(3), 3, "Ridge"), invalid_input);
    CHECK(detail::checked_sample_weight<double>(Vector<double>(), 3, "Ridge") == Vector<double>::Ones(3));
}

TEST_CASE("distinct_labels equals a sort and dedup for narrow and wide label ranges", "[validation]") {
    kestrel::random_engine rng(31);
    const auto reference = [](const Labels& a, const Labels& b) {
        std::vector<int> v(a.data(), a.data() + a.size());
        v.insert(v.end(), b.data(), b.data() + b.size());
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
        return v;
    };
    // Narrow ranges (a table of marks) and wide ones (sorted), negative labels, int's extremes.
    for (const long long span : {1LL, 5LL, 300LL, 100000LL, 4000000000LL}) {
        for (const Index n : {1, 7, 1000}) {
            Labels a(n), b(n / 2);
            for (auto* v : {&a, &b}) {
                for (Index i = 0; i < v->size(); ++i) {
                    const long long x = -span / 2 + static_cast<long long>(rng.uniform(0.0, 1.0) * static_cast<double>(span));
                    (*v)[i] = static_cast<int>(std::clamp<long long>(x, std::numeric_limits<int>::min(),
                                                                     std::numeric_limits<int>::max()));
                }
            }
            if (span > 1000000) {
                a[0] = std::numeric_limits<int>::min();
                a[n - 1] = std::numeric_limits<int>::max();
            }
            const Labels got = detail::distinct_labels(a, b);
            const std::vector<int> expected = reference(a, b);
            INFO("span = " << span << ", n = " << n);
            REQUIRE(std::vector<int>(got.data(), got.data() + got.size()) == expected);
        }
    }
    CHECK(detail::distinct_labels(Labels()).size() == 0);
}

TEST_CASE("unique_labels sorts, deduplicates and requires two classes", "[validation]") {
    Labels y(6);
    y << 9, 3, 7, 3, 9, 9;
    Labels classes = detail::unique_labels(y, "Est");
    REQUIRE(classes.size() == 3);
    CHECK(classes(0) == 3);
    CHECK(classes(1) == 7);
    CHECK(classes(2) == 9);
    const Eigen::VectorXi codes = detail::encode_labels(y, classes);
    CHECK(codes(0) == 2);
    CHECK(codes(1) == 0);
    CHECK(codes(2) == 1);
    CHECK_THROWS_WITH(detail::unique_labels(Labels::Constant(4, 1), "LogisticRegression"),
                      Catch::Contains("1 distinct class"));
}
