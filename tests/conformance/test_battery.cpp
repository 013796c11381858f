// The conformance battery over every kestrel estimator. A new estimator joins by adding one line
// to `all_estimators`; the "every estimator is listed" test fails until it does.
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "battery.hpp"

#include <kestrel/preprocessing/min_max_scaler.hpp>
#include <kestrel/preprocessing/one_hot_encoder.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>

namespace kc = kestrel::conformance;
using namespace kestrel;

template <>
struct kc::traits<preprocessing::StandardScaler<double>> {
    static preprocessing::StandardScaler<double>::Params alternative_params() { return {.with_mean = false}; }
};

template <>
struct kc::traits<preprocessing::MinMaxScaler<double>> {
    static preprocessing::MinMaxScaler<double>::Params alternative_params() {
        return {.feature_range_min = -1, .clip = true};
    }
    static preprocessing::MinMaxScaler<double>::Params invalid_params() { return {.feature_range_min = 2}; }
};

template <>
struct kc::traits<preprocessing::OneHotEncoder<double>> {
    static constexpr bool integer_features = true;
    static preprocessing::OneHotEncoder<double>::Params alternative_params() {
        return {.handle_unknown = preprocessing::HandleUnknown::ignore};
    }
};

using all_estimators = std::tuple<  //
    preprocessing::StandardScaler<double>,
    preprocessing::MinMaxScaler<double>,
    preprocessing::OneHotEncoder<double>>;

namespace {

template <class... E>
std::set<std::string> listed_names(std::tuple<E...>*) {
    return {std::string(E::name)...};
}

template <class... E>
void run_all(std::tuple<E...>*) {
    (kc::battery<E>(), ...);
}

}  // namespace

TEST_CASE("every estimator passes the conformance battery", "[conformance]") {
    run_all(static_cast<all_estimators*>(nullptr));
    kc::print_table();
}

TEST_CASE("every estimator a header defines is in the battery", "[conformance]") {
    // An estimator is a class template over a floating-point scalar with a nested Params.
    const std::regex estimator_class(R"(template <std::floating_point T = double>\s*class\s+([A-Z]\w*))");
    const std::set<std::string> listed = listed_names(static_cast<all_estimators*>(nullptr));
    std::set<std::string> defined;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(KESTREL_INCLUDE_DIR)) {
        if (entry.path().extension() != ".hpp") continue;
        std::ifstream in(entry.path());
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        for (std::sregex_iterator it(text.begin(), text.end(), estimator_class), end; it != end; ++it) {
            defined.insert((*it)[1]);
        }
    }
    REQUIRE(!defined.empty());
    for (const auto& name : defined) {
        INFO(name << " is defined under include/kestrel but missing from all_estimators in " << __FILE__);
        CHECK(listed.count(name) == 1);
    }
}
