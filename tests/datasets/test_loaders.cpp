// The embedded datasets against fixtures written from scikit-learn's loaders by
// tests/reference/gen_datasets.py: shapes, names, exact column sums, rows, targets and a hash of
// every float64 bit of X and y.
#include <bit>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/datasets.hpp>

namespace {

using kestrel::Index;
using kestrel::test::fixture_case;

// FNV-1a 64 over the little-endian bytes of each value as float64, as gen_datasets.py hashes.
template <class Values>
std::uint64_t fnv1a64(const Values& values) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (Index i = 0; i < values.size(); ++i) {
        const auto bits = std::bit_cast<std::uint64_t>(static_cast<double>(values.data()[i]));
        for (int byte = 0; byte < 8; ++byte) {
            h ^= (bits >> (8 * byte)) & 0xffU;
            h *= 0x100000001b3ULL;
        }
    }
    return h;
}

std::uint64_t hash_fixture(const kestrel::Vector<double>& halves, Index which) {
    return (static_cast<std::uint64_t>(halves[2 * which]) << 32) | static_cast<std::uint64_t>(halves[2 * which + 1]);
}

struct Names {
    std::vector<std::string> features, targets;
};

Names names_fixture(const std::string& set) {
    const auto expected = fixture_case("datasets/" + set);
    return {expected.strings("feature_names"), expected.strings("target_names")};
}

// Exactly rounded sum (the fixture is math.fsum's): Neumaier-compensated sum in long double is
// within an ulp, and the data's sums are far from ties.
template <class Column>
double accurate_sum(const Column& column) {
    long double sum = 0, compensation = 0;
    for (Index i = 0; i < column.size(); ++i) {
        const long double v = column[i];
        const long double t = sum + v;
        compensation += std::abs(sum) >= std::abs(v) ? (sum - t) + v : (v - t) + sum;
        sum = t;
    }
    return static_cast<double>(sum + compensation);
}

template <class Data>
void check_against_scikit_learn(const Data& data, const std::string& set) {
    const auto expected = fixture_case("datasets/" + set);
    const auto shape = expected.vector("shape");
    REQUIRE(data.n_samples() == static_cast<Index>(shape[0]));
    REQUIRE(data.n_features() == static_cast<Index>(shape[1]));
    REQUIRE(data.y.size() == data.n_samples());
    CHECK(data.sample_weight.size() == 0);

    const auto hashes = expected.vector("hash");
    CHECK(fnv1a64(data.X) == hash_fixture(hashes, 0));
    CHECK(fnv1a64(data.y) == hash_fixture(hashes, 1));

    const auto sums = expected.vector("column_sums");
    for (Index j = 0; j < data.n_features(); ++j) CHECK(accurate_sum(data.X.col(j)) == sums[j]);

    const auto rows = expected.matrix("rows");
    const Index n = data.n_samples();
    CHECK(kestrel::test::max_abs_error(data.X.row(0), rows.row(0)) == 0);
    CHECK(kestrel::test::max_abs_error(data.X.row(1), rows.row(1)) == 0);
    CHECK(kestrel::test::max_abs_error(data.X.row(2), rows.row(2)) == 0);
    CHECK(kestrel::test::max_abs_error(data.X.row(n - 1), rows.row(3)) == 0);

    const auto target = expected.vector("target");
    CHECK(kestrel::test::max_abs_error(data.y.template cast<double>(), target) == 0);

    const Names names = names_fixture(set);
    CHECK(data.feature_names == names.features);
    CHECK(data.target_names == names.targets);
}

// As float, each value is the double's nearest float.
template <class Data, class Reference>
void check_float_conversion(const Data& data, const Reference& reference) {
    REQUIRE(data.X.rows() == reference.X.rows());
    REQUIRE(data.X.cols() == reference.X.cols());
    CHECK((data.X.array() == reference.X.template cast<float>().array()).all());
    CHECK(data.feature_names == reference.feature_names);
}

}  // namespace

TEST_CASE("load_iris equals scikit-learn's", "[datasets]") {
    check_against_scikit_learn(kestrel::datasets::load_iris(), "iris");
    check_float_conversion(kestrel::datasets::load_iris<float>(), kestrel::datasets::load_iris());
    static_assert(std::is_same_v<decltype(kestrel::datasets::load_iris()), kestrel::Dataset<double, kestrel::Labels>>);
}

TEST_CASE("load_wine equals scikit-learn's", "[datasets]") {
    check_against_scikit_learn(kestrel::datasets::load_wine(), "wine");
    check_float_conversion(kestrel::datasets::load_wine<float>(), kestrel::datasets::load_wine());
}

TEST_CASE("load_breast_cancer equals scikit-learn's", "[datasets]") {
    check_against_scikit_learn(kestrel::datasets::load_breast_cancer(), "breast_cancer");
    check_float_conversion(kestrel::datasets::load_breast_cancer<float>(), kestrel::datasets::load_breast_cancer());
}

TEST_CASE("load_diabetes equals scikit-learn's scaled data", "[datasets]") {
    const auto data = kestrel::datasets::load_diabetes();
    static_assert(std::is_same_v<decltype(data), const kestrel::Dataset<double, kestrel::Vector<double>>>);
    check_against_scikit_learn(data, "diabetes");
    CHECK(data.target_names.empty());
    const auto single = kestrel::datasets::load_diabetes<float>();
    check_float_conversion(single, data);
    CHECK((single.y.array() == data.y.cast<float>().array()).all());
}

TEST_CASE("load_digits equals scikit-learn's", "[datasets]") {
    check_against_scikit_learn(kestrel::datasets::load_digits(), "digits");
    check_float_conversion(kestrel::datasets::load_digits<float>(), kestrel::datasets::load_digits());
}
