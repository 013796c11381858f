// libFuzzer target: io::load of every estimator (in double, LogisticRegression in float too) and
// of a MinMaxScaler -> LogisticRegression pipeline, on arbitrary bytes. Build it with
// FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION, which skips the file's and the zip members' CRC-32
// comparisons so that mutated files reach the parsers. A model that loads is then used on a few
// rows of n_features_in() columns (predict, predict_proba, transform, partial_fit, as the class
// has them), so that the sanitizers see any loaded state that does not fit its shapes. Any
// outcome but a working model or an io_error from load (a crash, a sanitizer report, another
// exception, such as a loaded model refusing input of its own width) is a finding.
//
// Most mutations are made member by member (LLVMFuzzerCustomMutator): the archive is split into
// its .npy members, one member's bytes or name are mutated (libFuzzer's mutators, or one element
// set to an extreme value), replaced by another member's bytes, or the member is dropped, and the
// archive is written again with consistent offsets, sizes, CRC-32s and checksum, so that a finding
// also reproduces in a build that checks them. Half of these start from an input that loaded (see
// loadable()) instead of the one libFuzzer hands over. A quarter of the mutations are libFuzzer's
// own on the whole file, for the zip and checksum layers.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <iterator>
#include <limits>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <kestrel/cluster/kmeans.hpp>
#include <kestrel/cluster/minibatch_kmeans.hpp>
#include <kestrel/dummy/dummy_classifier.hpp>
#include <kestrel/ensemble/extra_trees_regressor.hpp>
#include <kestrel/ensemble/hist_gradient_boosting_classifier.hpp>
#include <kestrel/ensemble/hist_gradient_boosting_regressor.hpp>
#include <kestrel/ensemble/random_forest_classifier.hpp>
#include <kestrel/io/detail/zip.hpp>
#include <kestrel/impute/simple_imputer.hpp>
#include <kestrel/io/persistence.hpp>
#include <kestrel/linear_model/elastic_net.hpp>
#include <kestrel/linear_model/lasso.hpp>
#include <kestrel/linear_model/linear_regression.hpp>
#include <kestrel/linear_model/logistic_regression.hpp>
#include <kestrel/linear_model/ridge.hpp>
#include <kestrel/pipeline/pipeline.hpp>
#include <kestrel/preprocessing/min_max_scaler.hpp>
#include <kestrel/preprocessing/max_abs_scaler.hpp>
#include <kestrel/preprocessing/normalizer.hpp>
#include <kestrel/preprocessing/one_hot_encoder.hpp>
#include <kestrel/preprocessing/ordinal_encoder.hpp>
#include <kestrel/preprocessing/polynomial_features.hpp>
#include <kestrel/preprocessing/robust_scaler.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>
#include <kestrel/svm/linear_svc.hpp>
#include <kestrel/svm/linear_svr.hpp>
#include <kestrel/svm/nu_svc.hpp>
#include <kestrel/svm/nu_svr.hpp>
#include <kestrel/svm/one_class_svm.hpp>
#include <kestrel/svm/svc.hpp>
#include <kestrel/svm/svr.hpp>
#include <kestrel/tree/decision_tree_classifier.hpp>
#include <kestrel/tree/decision_tree_regressor.hpp>

extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size);

namespace {

using namespace kestrel;

// Only DummyClassifier's n_features_in_ is not bounded by the size of the file's arrays; wider
// models are loaded but not used.
constexpr Index widest = 4096;
constexpr Index rows = 5;

/// rows × d of small non-integral values, the same on every call.
template <class T>
Matrix<T> sample(Index d) {
    Matrix<T> X(rows, d);
    for (Index i = 0; i < rows; ++i) {
        for (Index j = 0; j < d; ++j) X(i, j) = static_cast<T>(0.75 * static_cast<double>((3 * i + 5 * j) % 7) - 2.1);
    }
    return X;
}

template <class E>
void use(const E& model) {
    using T = scalar_of<E>;
    const Index d = model.n_features_in();
    if (d > widest) return;
    const Matrix<T> X = sample<T>(d);
    if constexpr (requires { model.tree(); }) {  // the trees: every walk, and the paths
        (void)model.predict(X);
        (void)model.apply(X);
        (void)model.decision_path(X);
        (void)model.feature_importances();
        if constexpr (requires { model.predict_proba(X); }) (void)model.predict_proba(X);
    } else if constexpr (requires { model.estimators(); }) {  // the forests
        (void)model.predict(X);
        (void)model.apply(X);
        (void)model.feature_importances();
        if constexpr (requires { model.predict_proba(X); }) (void)model.predict_proba(X);
    } else if constexpr (requires { model.support_vectors(); }) {  // SVC, NuSVC, SVR, NuSVR, OneClassSVM
        (void)model.predict(X);
        if constexpr (requires { model.decision_function(X); }) (void)model.decision_function(X);
        if constexpr (requires { model.score_samples(X); }) (void)model.score_samples(X);
        if constexpr (requires { model.predict_proba(X); }) {
            if (model.params().probability) (void)model.predict_proba(X);
        }
        if (model.params().kernel == svm::Kernel::linear) (void)model.coef();
    } else if constexpr (requires { model.n_targets(); }) {  // the linear regressors
        (void)model.predict_matrix(X);
        if (model.n_targets() == 1) (void)model.predict(X);
    } else if constexpr (requires { model.predict_proba(X); }) {  // classifiers, the pipeline
        // A transform may overflow to infinity on extreme (finite) fitted values, as it may
        // after a fit on extreme data; such output is not handed on (the pipeline here has one
        // leading step).
        if constexpr (requires { model.template step<0>(); }) {
            if (!model.template step<0>().transform(X).allFinite()) return;
        }
        (void)model.predict(X);
        (void)model.predict_proba(X);
    } else if constexpr (requires { model.cluster_centers(); }) {  // k-means
        (void)model.predict(X);
        (void)model.transform(X);
        (void)model.score(X);
        if constexpr (requires(E & m) { m.partial_fit(X); }) {
            E copy = model;
            (void)copy.partial_fit(X).predict(X);
        }
    } else if constexpr (requires { model.powers(); }) {  // PolynomialFeatures
        // A valid model may ask for billions of columns; the fuzzer does not allocate them.
        if (model.n_output_features() > 4096) return;
        const Matrix<T> Z = model.transform(X);
        if (model.powers().rows() != Z.cols()) throw std::logic_error("powers() disagrees with transform");
    } else if constexpr (requires { model.has_missing(); }) {  // OrdinalEncoder
        // Known categories (NaN where a feature saw only NaN), then small integers and NaN that
        // may be unknown.
        Matrix<T> known(rows, d);
        for (Index j = 0; j < d; ++j) {
            const Labels& cats = model.categories()[static_cast<std::size_t>(j)];
            for (Index i = 0; i < rows; ++i) {
                known(i, j) =
                    cats.size() > 0 ? static_cast<T>(cats[i % cats.size()]) : std::numeric_limits<T>::quiet_NaN();
            }
        }
        (void)model.inverse_transform(model.transform(known));
        Matrix<T> small(rows, d);
        for (Index i = 0; i < rows; ++i) {
            for (Index j = 0; j < d; ++j) small(i, j) = static_cast<T>((i + j) % 4 - 1);
        }
        small(0, 0) = std::numeric_limits<T>::quiet_NaN();
        try {
            (void)model.inverse_transform(model.transform(small));
        } catch (const invalid_input&) {
            // An unknown category under handle_unknown = error, as documented.
            if (model.params().handle_unknown != preprocessing::OrdinalHandleUnknown::error) throw;
        }
    } else if constexpr (requires { model.categories(); }) {  // OneHotEncoder
        // Known categories of each feature, then small integers that may be unknown.
        Matrix<T> known(rows, d);
        for (Index j = 0; j < d; ++j) {
            const Labels& cats = model.categories()[static_cast<std::size_t>(j)];
            for (Index i = 0; i < rows; ++i) known(i, j) = static_cast<T>(cats[i % cats.size()]);
        }
        (void)model.inverse_transform(model.transform(known));
        Matrix<T> small(rows, d);
        for (Index i = 0; i < rows; ++i) {
            for (Index j = 0; j < d; ++j) small(i, j) = static_cast<T>((i + j) % 4 - 1);
        }
        try {
            (void)model.inverse_transform(model.transform(small));
        } catch (const invalid_input&) {
            // An unknown category under handle_unknown = error, as documented.
            if (model.params().handle_unknown != preprocessing::HandleUnknown::error) throw;
        }
    } else if constexpr (requires { model.predict(X); }) {  // LinearSVC, LinearSVR
        (void)model.predict(X);
        if constexpr (requires { model.decision_function(X); }) (void)model.decision_function(X);
    } else if constexpr (requires { model.statistics(); }) {  // SimpleImputer
        Matrix<T> holes = X;
        if (!model.params().missing_values) holes(1, 0) = std::numeric_limits<T>::quiet_NaN();
        const Matrix<T> Z = model.transform(holes);
        if (model.params().add_indicator) (void)model.inverse_transform(Z);
        (void)model.indicator_features();
    } else if constexpr (!requires { model.inverse_transform(X); }) {  // Normalizer
        (void)model.transform(X);
    } else {  // the scalers (infinite output is not handed on, as above)
        const Matrix<T> Z = model.transform(X);
        if (Z.allFinite()) (void)model.inverse_transform(Z);
        if constexpr (requires(E & m) { m.partial_fit(X); }) {
            E copy = model;
            (void)copy.partial_fit(X).transform(X);
        }
    }
}

/// Loads E from `bytes` and uses it; whether it loaded.
template <class E>
bool try_load(const std::string& bytes) {
    std::optional<E> model;
    try {
        std::istringstream in(bytes);
        model.emplace(io::load<E>(in));
    } catch (const io_error&) {
        return false;
    }
    use(*model);
    return true;
}

/// try_load of each type in turn; how many loaded.
template <class... E>
int try_each(const std::string& bytes) {
    int loaded = 0;
    ((loaded += try_load<E>(bytes) ? 1 : 0), ...);
    return loaded;
}

/// Inputs that loaded as some model: the seeds, and the mutations that kept a file loadable.
/// Half of the member-wise mutations start from one of them rather than from the input, as most
/// of the corpus is files that fail to load (each adds the coverage of one refusal), and a file
/// that loads with an extreme value in one member adds no coverage to keep it by.
std::vector<std::string>& loadable() {
    static std::vector<std::string> inputs;
    return inputs;
}
constexpr std::size_t loadable_kept = 512;

using Members = std::vector<std::pair<std::string, std::string>>;  // name, bytes

/// The members of a zip archive that kestrel reads; nothing when it reads none.
std::optional<Members> split(const std::string& bytes) {
    try {
        std::istringstream in(bytes, std::ios::binary);
        io::detail::ZipReader zip(in, "fuzz_model", "input");
        Members members;
        for (const io::detail::ZipEntry& entry : zip.entries()) members.emplace_back(entry.name, zip.read(entry));
        return members;
    } catch (const io_error&) {
        return std::nullopt;
    }
}

/// A model file of `members` as kestrel writes one: stored zip, checksum comment.
std::string join(const Members& members) {
    std::ostringstream out(std::ios::binary);
    io::detail::ZipWriter zip(out);
    for (const auto& [name, bytes] : members) {
        zip.begin(name, bytes.size());
        zip.write(bytes);
        zip.end();
    }
    zip.finish(std::string(io::detail::checksum_prefix) + "00000000");
    std::string file = std::move(out).str();
    file.replace(file.size() - 8, 8, io::detail::model_checksum(file));
    return file;
}

/// `s` mutated by libFuzzer's mutators, to at most `max_size` bytes.
std::string mutated(std::string s, std::size_t max_size) {
    const std::size_t size = s.size();
    s.resize(std::max(max_size, size));
    s.resize(LLVMFuzzerMutate(reinterpret_cast<std::uint8_t*>(s.data()), size, max_size));
    return s;
}

/// Where a .npy member's data starts, after its header; nothing when it has no readable header.
std::optional<std::size_t> data_start(const std::string& npy) {
    if (npy.size() < 12 || npy.compare(0, 6, "\x93NUMPY") != 0) return std::nullopt;
    const auto byte = [&](std::size_t i) { return static_cast<std::size_t>(static_cast<unsigned char>(npy[i])); };
    const bool v1 = byte(6) == 1;
    const std::size_t length = v1 ? byte(8) | byte(9) << 8 : byte(8) | byte(9) << 8 | byte(10) << 16 | byte(11) << 24;
    const std::size_t start = (v1 ? 10 : 12) + length;
    if (start > npy.size()) return std::nullopt;
    return start;
}

/// One element of a numeric member's data set to a value that sizes, counts, indices and
/// floating-point checks have to survive: 0, ±1, the type's extremes, NaN, infinity.
void interesting_value(std::string& npy, std::minstd_rand& rng) {
    const std::optional<std::size_t> start = data_start(npy);
    if (!start) return;
    const std::string_view header = std::string_view(npy).substr(0, *start);
    const bool floating = header.find("'<f") != std::string_view::npos;
    const std::size_t width = header.find("4'") != std::string_view::npos ? 4 : 8;
    const std::size_t count = (npy.size() - *start) / width;
    if (count == 0) return;
    constexpr double inf = std::numeric_limits<double>::infinity();
    const double doubles[] = {
        0.0, -0.0, 1.0, -1.0, 1e308, -1e308, 5e-324, 3.5e38, inf, -inf, std::numeric_limits<double>::quiet_NaN()};
    constexpr float inf_f = std::numeric_limits<float>::infinity();
    const float floats[] = {0.0F,     -0.0F,  1.0F,  -1.0F,  3.4e38F,
                            -3.4e38F, 1e-45F, inf_f, -inf_f, std::numeric_limits<float>::quiet_NaN()};
    constexpr std::int64_t one = 1, max64 = std::numeric_limits<std::int64_t>::max();
    const std::int64_t integers[] = {0,         1,         -1,        2,         3,         one << 16, (one << 31) - 1,
                                     one << 31, one << 32, one << 40, one << 62, max64 - 1, max64,     -max64 - 1};
    char value[8];
    if (floating && width == 8) {
        const double v = doubles[rng() % std::size(doubles)];
        std::memcpy(value, &v, 8);
    } else if (floating) {
        const float v = floats[rng() % std::size(floats)];
        std::memcpy(value, &v, 4);
    } else if (width == 8) {
        const std::int64_t v = integers[rng() % std::size(integers)];
        std::memcpy(value, &v, 8);
    } else {
        const auto v = static_cast<std::int32_t>(integers[rng() % std::size(integers)]);
        std::memcpy(value, &v, 4);
    }
    npy.replace(*start + width * (rng() % count), width, value, width);
}

}  // namespace

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned int seed) {
    std::minstd_rand rng(seed);
    std::optional<Members> members;
    if (rng() % 4 != 0) {
        const std::vector<std::string>& kept = loadable();
        members = !kept.empty() && rng() % 2 == 0 ? split(kept[rng() % kept.size()])
                                                  : split(std::string(reinterpret_cast<const char*>(data), size));
    }
    if (!members || members->empty()) return LLVMFuzzerMutate(data, size, max_size);
    const std::size_t n = members->size(), i = rng() % n;
    auto& [name, bytes] = (*members)[i];
    switch (rng() % 8) {
        case 0:  // another member's bytes: a dtype, shape or kind that does not belong here
            bytes = (*members)[rng() % n].second;
            break;
        case 1:  // a missing member
            members->erase(members->begin() + static_cast<std::ptrdiff_t>(i));
            break;
        case 2:  // a renamed member (possibly to another member's name)
            name = rng() % 2 ? (*members)[rng() % n].first : mutated(name, name.size() + 8);
            break;
        case 3:
        case 4:
            interesting_value(bytes, rng);
            break;
        default:  // a member's bytes mutated: header fields, shape, dtype, values
            bytes = mutated(bytes, bytes.size() + 64);
            break;
    }
    const std::string file = join(*members);
    if (file.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
    std::memcpy(data, file.data(), file.size());
    return file.size();
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    // clang 14 does not take StandardScaler as a pipeline step (its fit(X) is not found).
    const int loaded =
        try_each<linear_model::LinearRegression<double>, linear_model::Ridge<double>, linear_model::Lasso<double>,
                 linear_model::ElasticNet<double>, linear_model::LogisticRegression<double>,
                 linear_model::LogisticRegression<float>, cluster::KMeans<double>, cluster::MiniBatchKMeans<double>,
                 preprocessing::StandardScaler<double>, preprocessing::MinMaxScaler<double>,
                 preprocessing::OneHotEncoder<double>, impute::SimpleImputer<double>,
                 preprocessing::RobustScaler<double>, preprocessing::MaxAbsScaler<double>,
                 preprocessing::Normalizer<double>, preprocessing::PolynomialFeatures<double>,
                 preprocessing::OrdinalEncoder<double>, dummy::DummyClassifier<double>, svm::SVC<double>,
                 svm::NuSVC<double>, svm::SVR<double>, svm::NuSVR<double>, svm::OneClassSVM<double>,
                 svm::LinearSVC<double>, svm::LinearSVR<double>, tree::DecisionTreeClassifier<double>,
                 tree::DecisionTreeRegressor<double>, ensemble::RandomForestClassifier<double>,
                 ensemble::ExtraTreesRegressor<float>, ensemble::HistGradientBoostingClassifier<double>,
                 ensemble::HistGradientBoostingRegressor<float>,
                 pipeline::Pipeline<preprocessing::MinMaxScaler<double>, linear_model::LogisticRegression<double>>>(
            bytes);
    if (loaded > 0) {
        std::vector<std::string>& kept = loadable();
        if (kept.size() < loadable_kept) {
            kept.push_back(bytes);
        } else {
            kept[std::hash<std::string>{}(bytes) % loadable_kept] = bytes;
        }
    }
    return 0;
}
