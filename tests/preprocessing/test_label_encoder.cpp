#include <catch.hpp>
#include <fixtures.hpp>
#include <kestrel/preprocessing/label_encoder.hpp>

#include <string>
#include <vector>

using namespace kestrel;
using kestrel::preprocessing::LabelEncoder;
using kestrel::test::fixture_case;

TEST_CASE("LabelEncoder over int equals scikit-learn", "[label_encoder]") {
    const Labels y = fixture_case("preprocessing/label_int").labels("y");
    LabelEncoder<> encoder;
    const Labels codes = encoder.fit_transform(y);
    CHECK(encoder.classes() == fixture_case("preprocessing/label_int").labels("classes"));
    CHECK(codes == fixture_case("preprocessing/label_int").labels("codes"));
    CHECK(encoder.inverse_transform(codes) == y);
    const std::vector<int> as_vector(y.data(), y.data() + y.size());
    CHECK(encoder.transform(as_vector) == codes);
}

TEST_CASE("LabelEncoder over std::string equals scikit-learn", "[label_encoder]") {
    const std::vector<std::string> y = fixture_case("preprocessing/label_str").strings("y");
    LabelEncoder<std::string> encoder;
    encoder.fit(y);
    CHECK(encoder.classes() == fixture_case("preprocessing/label_str").strings("classes"));
    const Labels codes = encoder.transform(y);
    CHECK(codes == fixture_case("preprocessing/label_str").labels("codes"));
    CHECK(encoder.inverse_transform(codes) == y);
}

TEST_CASE("LabelEncoder rejects unseen labels and codes, and use before fit", "[label_encoder]") {
    LabelEncoder<std::string> words;
    CHECK_THROWS_AS(words.transform(std::vector<std::string>{"a"}), not_fitted);
    words.fit(std::vector<std::string>{"b", "a", "b"});
    CHECK_THROWS_WITH(words.transform(std::vector<std::string>{"a", "zz", "c", "zz"}),
                      "LabelEncoder: y contains previously unseen labels: ['c', 'zz']");
    Labels bad(2);
    bad << 1, 2;
    CHECK_THROWS_AS(words.inverse_transform(bad), invalid_input);
    LabelEncoder<> numbers;
    Labels y(3);
    y << 4, -1, 4;
    numbers.fit(y);
    Labels unseen(1);
    unseen << 7;
    CHECK_THROWS_WITH(numbers.transform(unseen), "LabelEncoder: y contains previously unseen labels: [7]");
    bad << -1, 0;
    CHECK_THROWS_AS(numbers.inverse_transform(bad), invalid_input);
}
