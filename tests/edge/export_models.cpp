// Fits one model of every exported kind, writes each with io::export_cpp into the directory
// argv[1], and writes check_all.hpp there: the rows (some with missing values), the model's own
// predictions on them (predict, predict_proba, decision_function: the batch methods, which
// predict_one equals), and the code that compares the exported functions with them, bit for bit.
// exported_headers.cpp includes it in a translation unit without kestrel.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <type_traits>

#include <kestrel/cluster.hpp>
#include <kestrel/datasets.hpp>
#include <kestrel/dummy.hpp>
#include <kestrel/ensemble.hpp>
#include <kestrel/io/export_cpp.hpp>
#include <kestrel/impute.hpp>
#include <kestrel/linear_model.hpp>
#include <kestrel/pipeline.hpp>
#include <kestrel/preprocessing.hpp>
#include <kestrel/svm.hpp>
#include <kestrel/tree.hpp>

using namespace kestrel;
namespace fs = std::filesystem;

namespace {

template <class V>
std::string literal(V v) {
    if constexpr (std::is_integral_v<V>) {
        return std::to_string(v);
    } else {
        return io::detail::cpp_writer<V>::number(v);
    }
}

// Whether the model gives probabilities (an SVC only when fitted with probability = true).
template <class E>
bool has_probabilities(const E& model) {
    if constexpr (requires { model.params().probability; }) {
        return model.params().probability;
    } else {
        return true;
    }
}

class emitter {
public:
    explicit emitter(fs::path dir) : dir_(std::move(dir)) {}

    // Exports `model` as <name>.hpp and adds the check of its functions on the rows of X.
    template <class E, class T = typename E::scalar_type>
    void add(const std::string& name, const E& model, const Matrix<T>& X) {
        io::export_cpp(model, (dir_ / (name + ".hpp")).string(), {.name = name});
        includes_ << "#include \"" << name << ".hpp\"\n";
        const Index n = X.rows(), d = X.cols();
        const std::string S = std::is_same_v<T, float> ? "float" : "double";
        checks_ << "    {  // " << name << "\n";
        checks_ << "        static constexpr std::array<std::array<" << S << ", " << d << ">, " << n << "> rows = {{";
        for (Index i = 0; i < n; ++i) {
            checks_ << (i ? ", " : "") << "{{";
            for (Index j = 0; j < d; ++j) checks_ << (j ? ", " : "") << literal(X(i, j));
            checks_ << "}}";
        }
        checks_ << "}};\n";
        if constexpr (requires { model.predict(X); }) {
            const auto predicted = model.predict(X);
            using P = std::remove_cvref_t<decltype(predicted[0])>;
            list("predicted", std::is_integral_v<P> ? "int" : S, predicted.data(), n);
            checks_ << "        for (int i = 0; i < " << n << "; ++i) {\n"
                    << "            failures += !same(" << name << "::predict(rows[i]), predicted[i], \"" << name
                    << " predict\", i);\n";
        } else {
            const Matrix<T> t = model.transform(X);
            list("transformed", S, t.data(), t.size());
            checks_ << "        for (int i = 0; i < " << n << "; ++i) {\n"
                    << "            const auto t = " << name << "::transform(rows[i]);\n"
                    << "            for (int k = 0; k < " << t.cols() << "; ++k) failures += !same(t[k], transformed[i * "
                    << t.cols() << " + k], \"" << name << " transform\", i);\n";
        }
        if constexpr (requires { model.predict_proba(X); }) {
            if (has_probabilities(model)) add_proba(name, model.predict_proba(X), S);
        }
        if constexpr (requires { model.decision_function(X); }) {
            const Matrix<T> f = model.decision_function(X);
            list_after_loop_ += listing("decision", S, f.data(), f.size());
            checks_ << "            const auto f = " << name << "::decision_function(rows[i]);\n"
                    << "            for (int k = 0; k < " << f.cols() << "; ++k) failures += !same(f[k], decision[i * "
                    << f.cols() << " + k], \"" << name << " decision_function\", i);\n";
        }
        checks_ << "        }\n";
        // The arrays the loop reads are declared before it.
        std::string text = checks_.str();
        const std::string loop = "        for (int i = 0; i < " + std::to_string(n) + "; ++i) {\n";
        const std::size_t at = text.rfind(loop);
        text.insert(at, list_after_loop_);
        list_after_loop_.clear();
        checks_.str(text);
        checks_.seekp(0, std::ios::end);
        checks_ << "        ++models;\n    }\n";
    }

    template <class T>
    void add_proba(const std::string& name, const Matrix<T>& p, const std::string& S) {
        list_after_loop_ += listing("proba", S, p.data(), p.size());
        checks_ << "            const auto p = " << name << "::predict_proba(rows[i]);\n"
                << "            for (int k = 0; k < " << p.cols() << "; ++k) failures += !same(p[k], proba[i * "
                << p.cols() << " + k], \"" << name << " predict_proba\", i);\n";
    }

    void write() const {
        std::ofstream out(dir_ / "check_all.hpp");
        out << "// Written by export_models: each exported model's functions against the model's own predictions.\n"
            << "#pragma once\n#include <array>\n#include <cstdio>\n#include <cstring>\n" << includes_.str()
            << R"(
template <class V>
bool same(V a, V b, const char* what, int row) {
    if (std::memcmp(&a, &b, sizeof(V)) == 0) return true;
    std::printf("%s differs at row %d\n", what, row);
    return false;
}
inline int check_all(int& models) {
    int failures = 0;
)" << checks_.str()
            << "    return failures;\n}\n";
    }

private:
    template <class V>
    std::string listing(const std::string& name, const std::string& type, const V* values, Index count) {
        std::ostringstream s;
        s << "        static constexpr std::array<" << type << ", " << count << "> " << name << " = {{";
        for (Index i = 0; i < count; ++i) s << (i ? ", " : "") << literal(values[i]);
        s << "}};\n";
        return s.str();
    }
    template <class V>
    void list(const std::string& name, const std::string& type, const V* values, Index count) {
        checks_ << listing(name, type, values, count);
    }

    fs::path dir_;
    std::ostringstream includes_, checks_;
    std::string list_after_loop_;
};

// 400 rows of 6 features; a NaN in feature 2 of one row in 9 when `missing`.
template <class T>
struct data {
    Matrix<T> X;
    Labels y3, y2;
    Vector<T> target;
};
template <class T>
data<T> make(bool missing) {
    const auto c = datasets::make_classification<T>(
        {.n_samples = 400, .n_features = 6, .n_informative = 4, .n_classes = 3, .random_state = 17});
    data<T> out{c.X, c.y, Labels(400), Vector<T>(400)};
    for (Index i = 0; i < 400; ++i) {
        if (missing && i % 9 == 0) out.X(i, 2) = std::numeric_limits<T>::quiet_NaN();
        out.y2[i] = c.y[i] == 2 ? 1 : 0;
        out.target[i] = T(2) * c.X(i, 0) - c.X(i, 3) + T(0.5) * static_cast<T>(c.y[i]);
    }
    return out;
}

template <class T>
void add_family(emitter& e, const std::string& suffix) {
    const data<T> m = make<T>(true), f = make<T>(false);
    const Matrix<T> rows_m = m.X.topRows(60), rows_f = f.X.topRows(60);
    e.add("tree_classifier_" + suffix, tree::DecisionTreeClassifier<T>({.max_depth = 7}).fit(m.X, m.y3), rows_m);
    e.add("tree_regressor_" + suffix, tree::DecisionTreeRegressor<T>({.max_depth = 9}).fit(m.X, m.target), rows_m);
    e.add("forest_classifier_" + suffix,
          ensemble::RandomForestClassifier<T>({.n_estimators = 25, .max_depth = 8, .n_jobs = 1}).fit(m.X, m.y3), rows_m);
    e.add("forest_regressor_" + suffix,
          ensemble::RandomForestRegressor<T>({.n_estimators = 20, .n_jobs = 1}).fit(m.X, m.target), rows_m);
    e.add("extra_trees_" + suffix, ensemble::ExtraTreesClassifier<T>({.n_estimators = 10, .n_jobs = 1}).fit(f.X, f.y2),
          rows_f);
    ensemble::HistGradientBoostingClassifierParams hc;
    hc.max_iter = 20;
    e.add("boosting_binary_" + suffix, ensemble::HistGradientBoostingClassifier<T>(hc).fit(m.X, m.y2), rows_m);
    e.add("boosting_three_" + suffix, ensemble::HistGradientBoostingClassifier<T>(hc).fit(m.X, m.y3), rows_m);
    Matrix<T> categorical = m.X;
    for (Index i = 0; i < categorical.rows(); ++i) categorical(i, 5) = std::floor(std::abs(categorical(i, 5)) * 3);
    hc.categorical_features = {5};
    e.add("boosting_categorical_" + suffix, ensemble::HistGradientBoostingClassifier<T>(hc).fit(categorical, m.y3),
          Matrix<T>(categorical.topRows(60)));
    ensemble::HistGradientBoostingRegressorParams hr;
    hr.max_iter = 20;
    hr.loss = ensemble::Loss::poisson;
    e.add("boosting_poisson_" + suffix,
          ensemble::HistGradientBoostingRegressor<T>(hr).fit(m.X, m.target.array().abs().matrix()), rows_m);
    e.add("linear_regression_" + suffix, linear_model::LinearRegression<T>().fit(f.X, f.target), rows_f);
    e.add("ridge_" + suffix, linear_model::Ridge<T>({.alpha = 2.0}).fit(f.X, f.target), rows_f);
    e.add("lasso_" + suffix, linear_model::Lasso<T>({.alpha = 0.05}).fit(f.X, f.target), rows_f);
    e.add("logistic_binary_" + suffix, linear_model::LogisticRegression<T>().fit(f.X, f.y2), rows_f);
    e.add("logistic_three_" + suffix, linear_model::LogisticRegression<T>().fit(f.X, f.y3), rows_f);
    e.add("logistic_ovr_" + suffix,
          linear_model::LogisticRegression<T>({.solver = linear_model::Solver::newton_cholesky}).fit(f.X, f.y3), rows_f);
    e.add("linear_svc_" + suffix, svm::LinearSVC<T>({.max_iter = 5000}).fit(f.X, f.y3), rows_f);
    e.add("linear_svr_" + suffix, svm::LinearSVR<T>({.max_iter = 5000}).fit(f.X, f.target), rows_f);
    e.add("svc_rbf_" + suffix, svm::SVC<T>({.probability = true, .random_state = 2}).fit(f.X, f.y3), rows_f);
    e.add("svc_poly_binary_" + suffix,
          svm::SVC<T>({.kernel = svm::Kernel::poly, .gamma = 0.2, .coef0 = 1.0, .probability = true}).fit(f.X, f.y2),
          rows_f);
    e.add("nu_svc_ovo_" + suffix,
          svm::NuSVC<T>({.nu = 0.3, .kernel = svm::Kernel::linear,
                         .decision_function_shape = svm::DecisionFunctionShape::ovo})
              .fit(f.X, f.y3),
          rows_f);
    e.add("svc_break_ties_" + suffix, svm::SVC<T>({.break_ties = true}).fit(f.X, f.y3), rows_f);
    e.add("svr_rbf_" + suffix, svm::SVR<T>({.C = 3.0}).fit(f.X, f.target), rows_f);
    e.add("nu_svr_sigmoid_" + suffix,
          svm::NuSVR<T>({.nu = 0.4, .kernel = svm::Kernel::sigmoid, .gamma = 0.05}).fit(f.X, f.target), rows_f);
    e.add("one_class_svm_" + suffix, svm::OneClassSVM<T>({.nu = 0.2}).fit(f.X), rows_f);
    e.add("kmeans_" + suffix, cluster::KMeans<T>({.n_clusters = 6, .n_init = 1, .random_state = 3}).fit(f.X), rows_f);
    e.add("minibatch_kmeans_" + suffix, cluster::MiniBatchKMeans<T>({.n_clusters = 3, .random_state = 3}).fit(f.X),
          rows_f);
    e.add("dummy_prior_" + suffix, dummy::DummyClassifier<T>().fit(f.X, f.y3), rows_f);
    e.add("dummy_stratified_" + suffix,
          dummy::DummyClassifier<T>({.strategy = dummy::Strategy::stratified, .random_state = 5}).fit(f.X, f.y3),
          Matrix<T>(rows_f.topRows(1)));
    using pipeline::make_pipeline;
    ensemble::HistGradientBoostingClassifierParams boosting;
    boosting.max_iter = 10;
    e.add("scaled_logistic_" + suffix,
          make_pipeline(preprocessing::StandardScaler<T>(), linear_model::LogisticRegression<T>()).fit(f.X, f.y3), rows_f);
    e.add("imputed_boosting_" + suffix,
          make_pipeline(impute::SimpleImputer<T>({.add_indicator = true}),
                        ensemble::HistGradientBoostingClassifier<T>(boosting))
              .fit(m.X, m.y3),
          rows_m);
    e.add("minmax_svc_" + suffix,
          make_pipeline(preprocessing::MinMaxScaler<T>({.clip = true}), svm::SVC<T>({.probability = true})).fit(f.X, f.y3),
          rows_f);
    e.add("robust_maxabs_ridge_" + suffix,
          make_pipeline(preprocessing::RobustScaler<T>(), preprocessing::MaxAbsScaler<T>(), linear_model::Ridge<T>())
              .fit(f.X, f.target),
          rows_f);
    e.add("imputer_" + suffix, impute::SimpleImputer<T>({.strategy = impute::Strategy::median}).fit(m.X), rows_m);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: export_models DIR\n");
        return 2;
    }
    fs::create_directories(argv[1]);
    emitter e(argv[1]);
    add_family<double>(e, "double");
    add_family<float>(e, "float");
    e.write();
    return 0;
}
