// Model files: save / load of estimators and pipelines, the file's layout as NumPy reads it, and
// the refusal of every kind of bad file with an io_error that names what is wrong. (Every
// estimator's round trip in float and double is a check of the conformance battery.)
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch.hpp>
#include <kestrel/cluster/kmeans.hpp>
#include <kestrel/cluster/minibatch_kmeans.hpp>
#include <kestrel/datasets/iris.hpp>
#include <kestrel/impute/simple_imputer.hpp>
#include <kestrel/io/npz.hpp>
#include <kestrel/io/persistence.hpp>
#include <kestrel/linear_model/logistic_regression.hpp>
#include <kestrel/linear_model/ridge.hpp>
#include <kestrel/model_selection/grid_search.hpp>
#include <kestrel/pipeline/pipeline.hpp>
#include <kestrel/preprocessing/min_max_scaler.hpp>
#include <kestrel/preprocessing/one_hot_encoder.hpp>
#include <kestrel/preprocessing/ordinal_encoder.hpp>
#include <kestrel/preprocessing/polynomial_features.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>

using namespace kestrel;
using Catch::Matchers::Contains;
using Logistic = linear_model::LogisticRegression<double>;

namespace {

template <class E>
std::string saved(const E& model) {
    std::ostringstream out;
    io::save(model, out);
    return out.str();
}

template <class E>
E loaded(const std::string& bytes) {
    std::istringstream in(bytes);
    return io::load<E>(in);
}

const Logistic& iris_model() {
    static const Logistic model = [] {
        const auto data = datasets::load_iris();
        Logistic m({.C = 0.5, .class_weight = ClassWeight{{0, 2.0}}, .max_iter = 200});
        m.fit(data.X, data.y);
        return m;
    }();
    return model;
}

/// The members of a model file, name -> .npy bytes.
std::map<std::string, std::string> members_of(const std::string& bytes) {
    const io::detail::model_contents contents = io::detail::parse_model_file(bytes, "test");
    std::map<std::string, std::string> out;
    for (const auto& [name, member] : contents.members) out[name] = member.first;
    return out;
}

/// A model file of these members, with a valid checksum: what a careful forger writes.
std::string forged(const std::map<std::string, std::string>& members) {
    std::vector<io::detail::model_member> list;
    for (const auto& [name, bytes] : members) list.push_back({name, bytes});
    return io::detail::model_archive_bytes(list);
}

/// A .npy member of dtype `descr` and `shape` over the raw `data`.
std::string npy(std::string_view descr, std::string_view shape, const std::string& data) {
    return io::detail::npy_preamble(descr, shape, "test", "test") + data;
}
std::string npy_text(const std::string& s) {
    std::string data;
    for (const char c : s) data += std::string{c, '\0', '\0', '\0'};
    return npy("<U" + std::to_string(s.size()), "()", data);
}
template <class V>
std::string raw(V v) {
    std::string out(sizeof(V), '\0');
    std::memcpy(out.data(), &v, sizeof(V));
    return out;
}

/// The message of the io_error that `f` throws; fails the test when it throws none.
template <class F>
std::string io_message(F&& f) {
    try {
        f();
    } catch (const io_error& e) {
        return e.what();
    }
    FAIL("no io_error was thrown");
    return {};
}

/// The message of the io_error that loading `bytes` as E throws.
template <class E = Logistic>
std::string refusal(const std::string& bytes) {
    return io_message([&] { (void)loaded<E>(bytes); });
}

}  // namespace

TEST_CASE("a saved model loads from a file and from a stream and predicts bit-identically", "[persistence]") {
    const auto data = datasets::load_iris();
    const Logistic& model = iris_model();
    const std::string path = std::string(KESTREL_TEST_BINARY_DIR) + "/iris_logistic.kestrel";
    io::save(model, path);
    const std::string bytes = saved(model);
    std::ifstream file(path, std::ios::binary);
    const std::string on_disk((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    CHECK(on_disk == bytes);

    const Logistic from_file = io::load<Logistic>(path);
    const Logistic from_stream = loaded<Logistic>(bytes);
    for (const Logistic* m : {&from_file, &from_stream}) {
        CHECK(m->params() == model.params());
        CHECK(m->predict_proba(data.X) == model.predict_proba(data.X));
        CHECK(m->predict(data.X) == model.predict(data.X));
        CHECK(m->coef() == model.coef());
        CHECK(m->intercept() == model.intercept());
        CHECK(m->classes() == model.classes());
        CHECK(m->n_iter() == model.n_iter());
    }
    std::filesystem::remove(path);
}

TEST_CASE("a model file is a .npz under scikit-learn's names, in the model's scalar", "[persistence]") {
    const auto data = datasets::load_iris();
    const std::map<std::string, std::string> members = members_of(saved(iris_model()));
    const auto header = [&](const std::string& name) {
        REQUIRE(members.count(name) == 1);
        return io::detail::parse_npy(members.at(name), {.reader = "test", .name = name, .text = true}).header;
    };
    CHECK(header("kestrel/format").descr == "<i8");
    CHECK(header("kestrel/estimator").kind == 'U');
    CHECK(header("params/C").descr == "<f8");
    CHECK(header("params/fit_intercept").descr == "|b1");
    CHECK(header("params/solver").kind == 'U');
    CHECK(header("params/class_weight").shape == std::vector<std::uint64_t>{1, 2});
    CHECK(header("coef_").shape == std::vector<std::uint64_t>{3, 4});
    CHECK(header("intercept_").shape == std::vector<std::uint64_t>{3});
    CHECK(header("classes_").descr == "<i8");

    linear_model::Ridge<float> ridge;
    ridge.fit(data.X.cast<float>().eval(), data.X.col(0).cast<float>().eval());
    const std::map<std::string, std::string> float_members = members_of(saved(ridge));
    CHECK(io::detail::parse_npy(float_members.at("coef_"), {.reader = "test", .name = "coef_"}).header.descr == "<f4");
    CHECK(refusal<linear_model::Ridge<double>>(saved(ridge)) ==
          "kestrel::io::load: <stream>: the file holds a Ridge of float32, not the Ridge of float64 asked for");
}

TEST_CASE("a pipeline saves its steps in order and loads only as the same pipeline", "[persistence]") {
    const auto data = datasets::load_iris();
    auto model = pipeline::make_pipeline(preprocessing::StandardScaler<>(), preprocessing::StandardScaler<>(),
                                         Logistic({.C = 2.0}));
    model.fit(data.X, data.y);
    const std::string bytes = saved(model);
    const auto back = loaded<decltype(model)>(bytes);
    CHECK(back.predict_proba(data.X) == model.predict_proba(data.X));
    CHECK(back.params() == model.params());

    const std::map<std::string, std::string> members = members_of(bytes);
    const io::detail::NpySource where{.reader = "test", .name = "steps", .text = true};
    CHECK(io::detail::npy_strings(io::detail::parse_npy(members.at("steps"), where), where) ==
          std::vector<std::string>{"standardscaler-1", "standardscaler-2", "logisticregression"});
    CHECK(members.count("steps/2/coef_") == 1);

    using Other =
        pipeline::Pipeline<preprocessing::MinMaxScaler<double>, preprocessing::StandardScaler<double>, Logistic>;
    CHECK_THAT(refusal<Other>(bytes), Contains("holds a StandardScaler of float64, not the MinMaxScaler"));
    using Shorter = pipeline::Pipeline<preprocessing::StandardScaler<double>, Logistic>;
    CHECK_THAT(refusal<Shorter>(bytes), Contains("pipeline has 3 steps, the one asked for 2"));
    CHECK_THAT(refusal<Logistic>(bytes), Contains("holds a Pipeline"));
}

TEST_CASE("GridSearchCV's best estimator saves and loads", "[persistence]") {
    const auto data = datasets::load_iris();
    using Params = Logistic::Params;
    const auto candidates = model_selection::param_grid(Params{}, model_selection::axis(&Params::C, {0.01, 1.0}));
    model_selection::GridSearchCV search(Logistic(), candidates, 3);
    search.fit(data.X, data.y);
    const Logistic back = loaded<Logistic>(saved(search.best_estimator()));
    CHECK(back.params() == search.best_estimator().params());
    CHECK(back.predict_proba(data.X) == search.predict_proba(data.X));
}

TEST_CASE("saving needs a fitted model and a writable place", "[persistence]") {
    std::ostringstream out;
    CHECK_THROWS_AS(io::save(Logistic(), out), not_fitted);
    CHECK(out.str().empty());
    CHECK_THROWS_AS(io::save(iris_model(), std::string("/nonexistent-directory/model.kestrel")), io_error);
    CHECK_THROWS_AS(io::load<Logistic>(std::string("/nonexistent-directory/model.kestrel")), io_error);
}

TEST_CASE("every truncation and every flipped bit of a model file is refused", "[persistence]") {
    const std::string bytes = saved(iris_model());
    for (std::size_t size = 0; size < bytes.size(); ++size) {
        INFO("truncated to " << size << " bytes");
        CHECK_THROWS_AS(loaded<Logistic>(bytes.substr(0, size)), io_error);
    }
    std::size_t refused = 0;
    for (std::size_t bit = 0; bit < 8 * bytes.size(); ++bit) {
        std::string flipped = bytes;
        flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
        try {
            (void)loaded<Logistic>(flipped);
        } catch (const io_error&) {
            ++refused;
        }
    }
    CHECK(refused == 8 * bytes.size());
    CHECK_THAT(refusal(bytes + "x"), Contains("does not end with kestrel's checksum"));
}

TEST_CASE("files that are not kestrel models are refused with what they are", "[persistence]") {
    std::string bytes = saved(iris_model());
    std::string wrong_magic = bytes;
    wrong_magic.replace(0, 4, "PK\x05\x06");
    CHECK_THAT(refusal(wrong_magic), Contains("does not start with the zip magic"));
    CHECK_THAT(refusal(""), Contains("not a kestrel model file"));

    const std::string dir = std::string(KESTREL_TEST_BINARY_DIR);
    io::save_npy(dir + "/persistence_plain.npy", Matrix<double>::Ones(2, 2));
    io::save_npz<double>(dir + "/persistence_plain.npz", {{"coef_", Matrix<double>::Ones(2, 2)}});
    CHECK_THAT(io_message([&] { (void)io::load<Logistic>(dir + "/persistence_plain.npy"); }),
               Contains(".npy file, not a kestrel model file"));
    CHECK_THAT(io_message([&] { (void)io::load<Logistic>(dir + "/persistence_plain.npz"); }),
               Contains("does not end with kestrel's checksum"));

    // A bad checksum is reported as such.
    bytes[bytes.size() - 1] = bytes[bytes.size() - 1] == '0' ? '1' : '0';
    CHECK_THAT(refusal(bytes), Contains("checksum mismatch"));
}

TEST_CASE("a forged file with a valid checksum is still checked member by member", "[persistence]") {
    const std::map<std::string, std::string> good = members_of(saved(iris_model()));
    const auto with = [&](const std::string& name, const std::string& npy_bytes) {
        std::map<std::string, std::string> members = good;
        members[name] = npy_bytes;
        return forged(members);
    };
    const auto without = [&](const std::string& name) {
        std::map<std::string, std::string> members = good;
        members.erase(name);
        return forged(members);
    };
    REQUIRE(loaded<Logistic>(forged(good)).predict_proba(datasets::load_iris().X) ==
            iris_model().predict_proba(datasets::load_iris().X));

    SECTION("format versions") {
        const std::string newer = with("kestrel/format", npy("<i8", "()", raw<std::int64_t>(2)));
        CHECK_THAT(refusal(newer), Contains("model format 2, written by kestrel 0.2.0") && Contains("reads format 1"));
        CHECK_THAT(refusal(with("kestrel/format", npy("<i8", "()", raw<std::int64_t>(0)))), Contains("model format 0"));
    }
    SECTION("another estimator or scalar") {
        CHECK(refusal<linear_model::Ridge<double>>(forged(good)) ==
              "kestrel::io::load: <stream>: the file holds a LogisticRegression of float64, not the Ridge of "
              "float64 asked for");
        CHECK_THAT(refusal<linear_model::LogisticRegression<float>>(forged(good)),
                   Contains("not the LogisticRegression of float32"));
    }
    SECTION("parameters") {
        CHECK_THAT(refusal(with("params/solver", npy_text("sag"))),
                   Contains("\"params/solver\" holds \"sag\", which is none of its values (lbfgs, newton-cholesky)"));
        CHECK_THAT(refusal(with("params/C", npy("<f8", "()", raw(-1.0)))),
                   Contains("parameters are invalid") && Contains("C = -1"));
        CHECK_THAT(refusal(with("params/C", npy("<f8", "()", raw(std::numeric_limits<double>::quiet_NaN())))),
                   Contains("\"params/C\" is not finite"));
        CHECK_THAT(refusal(with("params/fit_intercept", npy("<i8", "()", raw<std::int64_t>(1)))),
                   Contains("\"params/fit_intercept\" should be a bool"));
        CHECK_THAT(refusal(with("params/fit_intercept", npy("|b1", "()", std::string(1, '\x02')))),
                   Contains("not 0 or 1"));
        CHECK_THAT(refusal(with("params/max_iter", npy("<i8", "()", raw<std::int64_t>(std::int64_t{1} << 40)))),
                   Contains("out of the range of its type"));
        CHECK_THAT(refusal(with("params/class_weight", npy_text("heavy"))),
                   Contains("the only named class weight is \"balanced\""));
        CHECK_THAT(refusal(with("params/class_weight", npy("<f8", "(1, 2)", raw(0.5) + raw(1.0)))),
                   Contains("a label that is not an integer"));
        CHECK_THAT(refusal(with("params/class_weight", npy("<f8", "(1, 2)", raw(0.0) + raw(-1.0)))),
                   Contains("invalid class weight"));
    }
    SECTION("fitted arrays") {
        std::string nan_coef = good.at("coef_");
        const double nan = std::numeric_limits<double>::quiet_NaN();
        std::memcpy(nan_coef.data() + nan_coef.size() - sizeof(double), &nan, sizeof(double));
        CHECK_THAT(refusal(with("coef_", nan_coef)), Contains("\"coef_\" holds a value that is not finite"));
        CHECK_THAT(refusal(with("coef_", npy("<f8", "(2, 4)", std::string(64, '\0')))),
                   Contains("\"coef_\" has shape 2 x 4, expected 3 x 4"));
        CHECK_THAT(refusal(with("coef_", npy("<i8", "(3, 4)", std::string(96, '\0')))),
                   Contains("should be floating point"));
        CHECK_THAT(refusal(with("intercept_", npy("<f8", "(3, 1)", std::string(24, '\0')))),
                   Contains("\"intercept_\" should be 1-D"));
        CHECK_THAT(refusal(with("coef_", npy("<f8", "(12,)", std::string(96, '\0')))),
                   Contains("\"coef_\" should be 2-D"));
        CHECK_THAT(refusal(without("coef_")), Contains("\"coef_\" is missing"));
        CHECK_THAT(refusal(with("classes_", npy("<i8", "(3,)",
                                                raw<std::int64_t>(2) + raw<std::int64_t>(1) + raw<std::int64_t>(3)))),
                   Contains("should be sorted and distinct"));
        CHECK_THAT(refusal(with("classes_", npy("<i8", "(1,)", raw<std::int64_t>(2)))),
                   Contains("at least two classes"));
        CHECK_THAT(refusal(with("n_features_in_", npy("<i8", "()", raw<std::int64_t>(0)))),
                   Contains("n_features_in_ must lie in [1, 2^31 - 1]"));
        CHECK_THAT(refusal(with("n_features_in_", npy("<i8", "()", raw<std::int64_t>(5)))),
                   Contains("\"coef_\" has shape 3 x 4, expected 3 x 5"));
    }
    SECTION("lengths and shapes that the bytes do not hold") {
        // A dimension of 2^63 - 1, a negative one, and a shape larger than the data.
        CHECK_THAT(refusal(with("coef_", npy("<f8", "(9223372036854775807, 4)", std::string(96, '\0')))),
                   Contains("exceeds 2^31 - 1"));
        CHECK_THROWS_AS(loaded<Logistic>(with("coef_", npy("<f8", "(-3, 4)", std::string(96, '\0')))), io_error);
        CHECK_THAT(refusal(with("coef_", npy("<f8", "(3, 4)", std::string(40, '\0')))),
                   Contains("the file is truncated"));
        // A zip member whose recorded size runs past the file, behind a valid checksum.
        std::string bytes = forged(good);
        const std::size_t directory = bytes.find("PK\x01\x02");
        REQUIRE(directory != std::string::npos);
        const std::uint32_t huge = 0xfffffff0;
        std::memcpy(bytes.data() + directory + 20, &huge, 4);
        std::memcpy(bytes.data() + directory + 24, &huge, 4);
        bytes.replace(bytes.size() - 8, 8, io::detail::model_checksum(bytes));
        CHECK_THROWS_AS(loaded<Logistic>(bytes), io_error);
    }
}

TEST_CASE("a forged k-means file cannot label outside its clusters", "[persistence]") {
    const auto data = datasets::load_iris();
    cluster::KMeans<double> model({.n_clusters = 3});
    model.fit(data.X);
    std::map<std::string, std::string> members = members_of(saved(model));
    members["labels_"] = npy("<i8", "(2,)", raw<std::int64_t>(0) + raw<std::int64_t>(3));
    CHECK_THAT(refusal<cluster::KMeans<double>>(forged(members)), Contains("labels_ must lie in [0, n_clusters)"));
    members = members_of(saved(model));
    members["params/n_clusters"] = npy("<i8", "()", raw<std::int64_t>(4));
    CHECK_THAT(refusal<cluster::KMeans<double>>(forged(members)),
               Contains("\"cluster_centers_\" has shape 3 x 4, expected 4 x 4"));
}

TEST_CASE("a SimpleImputer keeps its dropped features and indicators, and a forged one is refused", "[persistence]") {
    using Imputer = impute::SimpleImputer<double>;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    Matrix<double> X = datasets::load_iris().X.topRows(20);
    X(3, 0) = nan;
    X.col(2).setConstant(nan);
    const Imputer model({.strategy = impute::Strategy::median, .add_indicator = true});
    const Imputer fitted = Imputer(model).fit(X);
    const std::string bytes = saved(fitted);
    const Imputer back = loaded<Imputer>(bytes);
    CHECK(std::isnan(back.statistics()[2]));
    CHECK(back.indicator_features() == Eigen::Vector2i(0, 2));
    CHECK(back.transform(X) == fitted.transform(X));
    CHECK(back.inverse_transform(back.transform(X)).array().isNaN().count() == 21);
    CHECK(!back.params().missing_values.has_value());
    std::map<std::string, std::string> members = members_of(bytes);
    CHECK(members.count("params/missing_values") == 1);  // None: an empty array
    members["_empty_features"] = npy("<i8", "(1,)", raw<std::int64_t>(7));
    CHECK_THAT(refusal<Imputer>(forged(members)), Contains("_empty_features must lie in [0, n_features_in_)"));
    members = members_of(bytes);
    members["indicator_features_"] = npy("<i8", "(1,)", raw<std::int64_t>(0));
    CHECK_THAT(refusal<Imputer>(forged(members)),
               Contains("every feature in _empty_features must be in indicator_features_"));
    members = members_of(bytes);
    members["statistics_"] = npy("<f8", "(4,)", raw(1.0) + raw(nan) + raw(0.0) + raw(2.0));
    CHECK_THAT(refusal<Imputer>(forged(members)), Contains("holds a value that is not finite"));
}

TEST_CASE("PolynomialFeatures and OrdinalEncoder keep their state, and forged ones are refused", "[persistence]") {
    using Poly = preprocessing::PolynomialFeatures<double>;
    using Ordinal = preprocessing::OrdinalEncoder<double>;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const Matrix<double> X = datasets::load_iris().X.topRows(20);
    const Poly poly = Poly({.min_degree = 2, .degree = 3, .include_bias = false}).fit(X);
    const std::string poly_bytes = saved(poly);
    const Poly poly_back = loaded<Poly>(poly_bytes);
    CHECK(poly_back.n_output_features() == poly.n_output_features());
    CHECK(poly_back.powers() == poly.powers());
    CHECK(poly_back.transform(X) == poly.transform(X));
    std::map<std::string, std::string> members = members_of(poly_bytes);
    members["params/degree"] = npy("<i8", "()", raw<std::int64_t>(100000000));
    CHECK_THAT(refusal<Poly>(forged(members)), Contains("more output features than kestrel counts"));
    members = members_of(poly_bytes);
    members["params/min_degree"] = npy("<i8", "()", raw<std::int64_t>(4));
    CHECK_THAT(refusal<Poly>(forged(members)), Contains("degree"));

    Matrix<double> C = (X * 2).array().round().matrix();
    C(4, 1) = nan;
    const Ordinal ordinal =
        Ordinal({.handle_unknown = preprocessing::OrdinalHandleUnknown::use_encoded_value, .encoded_missing_value = -1})
            .fit(C);
    const std::string bytes = saved(ordinal);
    const Ordinal back = loaded<Ordinal>(bytes);
    CHECK(back.categories() == ordinal.categories());
    CHECK(back.has_missing() == std::vector<bool>{false, true, false, false});
    CHECK(!back.params().unknown_value.has_value());  // NaN
    CHECK(back.params().encoded_missing_value == -1);
    const Matrix<double> codes = back.transform(C);
    CHECK(codes(4, 1) == -1);
    CHECK(back.inverse_transform(codes).topRows(4) == C.topRows(4));
    members = members_of(bytes);
    members["has_missing_"] =
        npy("<i8", "(4,)", raw<std::int64_t>(0) + raw<std::int64_t>(2) + raw<std::int64_t>(0) + raw<std::int64_t>(0));
    CHECK_THAT(refusal<Ordinal>(forged(members)), Contains("has_missing_ holds a value that is not 0 or 1"));
    members = members_of(bytes);
    members["params/encoded_missing_value"] = npy("<i8", "()", raw<std::int64_t>(0));
    CHECK_THAT(refusal<Ordinal>(forged(members)), Contains("encoded_missing_value is the code of a category"));
    members = members_of(bytes);
    members["categories_/0"] = npy("<i8", "(2,)", raw<std::int64_t>(3) + raw<std::int64_t>(1));
    CHECK_THAT(refusal<Ordinal>(forged(members)), Contains("should be sorted and distinct"));
}

TEST_CASE("the fuzzer's findings are refused at load", "[persistence]") {
    // tests/fuzz/findings/model: seeds with one member changed, with valid checksums.
    const std::string dir = std::string(KESTREL_REFERENCE_DIR) + "/../fuzz/findings/model/";
    using Encoder = preprocessing::OneHotEncoder<double>;
    using MiniBatch = cluster::MiniBatchKMeans<double>;
    using Scaler = preprocessing::MinMaxScaler<double>;
    using Pipe = pipeline::Pipeline<Scaler, Logistic>;
    CHECK_THAT(io_message([&] { (void)io::load<Encoder>(dir + "one_hot_encoder-n_features_in-2pow62"); }),
               Contains("n_features_in_ must lie in [1, 2^31 - 1]"));
    CHECK_THAT(io_message([&] { (void)io::load<Encoder>(dir + "one_hot_encoder-n_features_in-2pow40"); }),
               Contains("n_features_in_ must lie in [1, 2^31 - 1]"));
    CHECK_THAT(io_message([&] { (void)io::load<MiniBatch>(dir + "minibatch_kmeans-n_since_last_reassign-max"); }),
               Contains("_n_since_last_reassign is out of range"));
    CHECK_THAT(io_message([&] { (void)io::load<MiniBatch>(dir + "minibatch_kmeans-batch_size-max"); }),
               Contains("_batch_size must lie in [1, batch_size]"));
    // A huge params/init_size is a valid parameter; its bound on _init_size must not overflow.
    CHECK(io::load<MiniBatch>(dir + "minibatch_kmeans-params-init_size-max").params().init_size ==
          std::numeric_limits<Index>::max());
    CHECK_THAT(io_message([&] { (void)io::load<MiniBatch>(dir + "minibatch_kmeans-n_steps-max"); }),
               Contains("n_steps_ is out of range"));
    CHECK_THAT(io_message([&] { (void)io::load<Scaler>(dir + "min_max_scaler-n_samples_seen-max"); }),
               Contains("n_samples_seen_ is out of range"));
    CHECK_THAT(io_message([&] { (void)io::load<Pipe>(dir + "pipeline-step-widths-differ"); }),
               Contains("pipeline step 0 gives 4 columns, but step 1 was fitted with 2"));
}
