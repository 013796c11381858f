#pragma once
/// \file
/// io::export_cpp: a fitted model written as one self-contained C++17 header, for inference where
/// kestrel, Eigen and the standard library beyond `<array>`, `<cstdint>` and `<cmath>` are not
/// wanted (a controller, a microcontroller, a latency-bound service). The header compiles with
/// `-fno-exceptions -fno-rtti`; its fitted state is `constexpr` arrays (numbers as hexadecimal
/// floating literals, so every bit survives); inside `namespace <name>` it defines `scalar` (the
/// model's floating-point type), `n_features`, `n_classes` (classifiers), and
/// `predict(const std::array<scalar, n_features>&)` (an `int` label or a `scalar`), with
/// `predict_proba` and `decision_function` where the model has them (returning
/// `std::array<scalar, n_classes>` / `std::array<scalar, n_outputs>`).
///
/// The functions run the arithmetic of the model's predict_one in the same order, so compiled
/// for the same target as the program that holds the model, they give its predictions to the last
/// bit. The linear models' sums fuse each multiply-add exactly where the target has a fused
/// multiply-add (`__FMA__`, `__ARM_FEATURE_FMA`): a header compiled for another target rounds as
/// that target's kestrel would. Rows are read as they are: keep them finite (NaN is a missing
/// value where the model takes them).
///
/// Exported: decision trees, random forests and extra trees, HistGradientBoosting (with
/// categorical splits), LinearRegression, Ridge, Lasso, ElasticNet, LogisticRegression, LinearSVC,
/// LinearSVR, SVC, NuSVC, SVR, NuSVR, OneClassSVM, KMeans, MiniBatchKMeans, DummyClassifier, the
/// transformers StandardScaler, MinMaxScaler, MaxAbsScaler, RobustScaler and SimpleImputer (which
/// export `n_outputs` and `transform`), and Pipelines of those transformers then any of these
/// estimators (each step in a namespace of its own: `step0`, `step1`, ..., `estimator`).

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <limits>
#include <locale>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "../core/detail/linear_rows.hpp"
#include "../core/error.hpp"
#include "../core/types.hpp"
#include "../ensemble/detail/forest_base.hpp"
#include "../cluster/detail/lloyd.hpp"
#include "../ensemble/detail/hgb_base.hpp"
#include "../tree/detail/tree_base.hpp"
#include "../svm/detail/support_rows.hpp"
#include "../tree/detail/walk.hpp"

namespace kestrel {
namespace detail {

/// export_cpp's access to fitted state the estimators keep protected.
struct export_access {
    template <class E>
    static const auto& hgb_trees(const E& e) {
        return e.trees_;
    }
    template <class E>
    static const auto& hgb_packed(const E& e) {
        return e.packed_;
    }
    template <class E>
    static const auto& hgb_baseline(const E& e) {
        return e.baseline_;
    }
    template <class E>
    static const auto& hgb_known(const E& e) {
        return e.known_;
    }
    template <class E>
    static const auto& svm_kernel(const E& e) {
        return e.kernel_;
    }
    template <class E>
    static const auto& imputer_kept(const E& e) {
        return e.kept_features_;
    }
    template <class E>
    static const auto& pipeline_steps(const E& e) {
        return e.steps_;
    }
};

}  // namespace detail

namespace io {

/// Options of export_cpp.
struct ExportOptions {
    std::string name = "model";  ///< the namespace of the header's definitions (a C++ identifier)
};

namespace detail {

/// The text of an exported header, built piece by piece.
template <class T>
class cpp_writer {
public:
    explicit cpp_writer(std::ostringstream& out) : out_(out) {}

    /// x as a C++ literal of type T (or double) that holds its exact bits.
    template <class V>
    static std::string number(V x) {
        constexpr bool is_float = std::is_same_v<V, float>;
        if (std::isinf(x)) return std::string(x < 0 ? "-" : "") + (is_float ? "HUGE_VALF" : "HUGE_VAL");
        if (x != x) return is_float ? "NAN" : "static_cast<double>(NAN)";
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "%a", static_cast<double>(x));
        std::string text(buffer);
        for (char& c : text) {
            if (c == ',') c = '.';  // a locale's radix character: C++ wants '.'
        }
        return text + (is_float ? "f" : "");
    }

    /// `inline constexpr std::array<type, n> name = {values...};`, values written by `put`; the
    /// array starts a cache line, so that no node or leaf's outputs straddle two.
    template <class V, class A, class Put>
    void array(std::string_view type, std::string_view name, const std::vector<V, A>& values, Put&& put) {
        out_ << "alignas(64) inline constexpr std::array<" << type << ", " << (values.empty() ? 1 : values.size()) << "> " << name
             << " = {{";
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (i % 8 == 0) out_ << "\n    ";
            put(values[i]);
            out_ << (i + 1 < values.size() ? ", " : "");
        }
        if (values.empty()) out_ << "{}";
        out_ << "}};\n";
    }
    template <class V, class A>
    void numbers(std::string_view type, std::string_view name, const std::vector<V, A>& values) {
        array(type, name, values, [&](V v) { out_ << number(v); });
    }
    template <class V, class A>
    void integers(std::string_view type, std::string_view name, const std::vector<V, A>& values) {
        array(type, name, values, [&](V v) { out_ << static_cast<long long>(v); });
    }

    std::ostringstream& out() { return out_; }

private:
    std::ostringstream& out_;
};

template <class T>
constexpr std::string_view scalar_name() {
    return std::is_same_v<T, float> ? "float" : "double";
}

/// The packed trees of a forest (or one tree) as one `nodes` array, one tree after another, with
/// `nan_left`, `roots`, `depths` and `outputs`, and the walks over them:
/// `leaf(t, x)` (tree t's leaf for x, an index into nodes) and `add_range`, sixteen trees side by
/// side, as packed_forest::add_outputs walks them.
template <class T>
void write_packed_trees(cpp_writer<T>& w, const std::vector<const tree::detail::packed_tree<T>*>& trees, Index width,
                        bool with_sum = true) {
    using packed = tree::detail::packed_tree<T>;
    std::ostringstream& o = w.out();
    // The trees one after another, each node's left child counted from the first tree's root.
    std::vector<typename packed::node> nodes;
    std::vector<std::uint8_t> nan_left;
    std::vector<std::int32_t> roots, depths;
    std::vector<double> outputs;
    for (const packed* t : trees) {
        if (nodes.size() + t->nodes.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
            throw invalid_input("export_cpp: the trees hold more nodes than a 32-bit index reaches");
        }
        const auto shift = static_cast<std::int32_t>(nodes.size());
        roots.push_back(shift);
        depths.push_back(static_cast<std::int32_t>(t->depth));
        for (typename packed::node n : t->nodes) {
            n.left += shift;
            nodes.push_back(n);
        }
        nan_left.insert(nan_left.end(), t->nan_left.begin(), t->nan_left.end());
        outputs.insert(outputs.end(), t->output.begin(), t->output.end());
    }
    o << "// A split sends x to nodes[left] when x[feature] <= threshold, else to nodes[left + 1]; a leaf\n"
         "// is its own left child with an infinite threshold. nan_left: 1 where NaN goes left (and at leaves).\n";
    o << "struct node {\n    " << (std::is_same_v<typename packed::threshold_type, float> ? "float" : "double")
      << " threshold;\n    std::uint32_t feature;\n    std::int32_t left;\n};\n";
    o << "inline constexpr int n_trees = " << trees.size() << ";\n";
    o << "inline constexpr int n_outputs_per_leaf = " << width << ";\n";
    w.array("node", "nodes", nodes, [&](const typename packed::node& n) {
        o << "{" << cpp_writer<T>::number(n.threshold) << ", " << n.feature << "u, " << n.left << "}";
    });
    w.integers("std::uint8_t", "nan_left", nan_left);
    w.integers("std::int32_t", "roots", roots);
    w.integers("std::int32_t", "depths", depths);
    w.numbers("double", "outputs", outputs);
    o << R"(
inline bool holds_nan(const std::array<scalar, n_features>& x) noexcept {
    bool nan = false;
    for (const scalar v : x) nan |= v != v;
    return nan;
}
// The node after `at` for row x, without a branch on the data (Nan: x may hold NaN).
template <bool Nan>
inline std::int32_t step(std::int32_t at, const std::array<scalar, n_features>& x) noexcept {
    const node& n = nodes[at];
    const scalar v = x[n.feature];
    std::int32_t right = static_cast<std::int32_t>(v > n.threshold);
    if constexpr (Nan) right |= static_cast<std::int32_t>(v != v) & static_cast<std::int32_t>(nan_left[at] ^ 1u);
    return n.left + right;
}
// Tree t's leaf for row x: depth steps (a leaf steps to itself).
inline std::int32_t leaf(int t, const std::array<scalar, n_features>& x) noexcept {
    std::int32_t at = roots[t];
    for (std::int32_t d = 0; d < depths[t]; ++d) at = step<true>(at, x);
    return at;
}
)";
    o << R"(// The deepest of trees [first, first + count).
constexpr std::int32_t deepest(int first, int count) noexcept {
    std::int32_t d = 0;
    for (int t = first; t < first + count; ++t) d = depths[t] > d ? depths[t] : d;
    return d;
}
// Trees [First, First + G) walked side by side for the deepest one's depth (their roots and depth
// known to the compiler), their leaves' outputs added to sum in tree order.
template <int First, int G, bool Nan>
inline void add_trees(const std::array<scalar, n_features>& x, double* sum) noexcept {
    constexpr std::int32_t depth = deepest(First, G);
    std::int32_t a[G];
    for (int g = 0; g < G; ++g) a[g] = roots[First + g];
    for (std::int32_t d = 0; d < depth; ++d) {
        for (int g = 0; g < G; ++g) a[g] = step<Nan>(a[g], x);
    }
    for (int g = 0; g < G; ++g) {
        const double* o = outputs.data() + static_cast<std::size_t>(a[g]) * n_outputs_per_leaf;
        for (int k = 0; k < n_outputs_per_leaf; ++k) sum[k] += o[k];
    }
}
// The outputs of trees [First, End) added to sum in tree order: sixteen trees side by side, then
// eight, then one at a time (a long range in halves, which keeps the templates shallow).
template <int First, int End, bool Nan>
inline void add_range(const std::array<scalar, n_features>& x, double* sum) noexcept {
    if constexpr (End - First > 256) {
        constexpr int middle = First + (End - First) / 32 * 16;
        add_range<First, middle, Nan>(x, sum);
        add_range<middle, End, Nan>(x, sum);
    } else if constexpr (First + 16 <= End) {
        add_trees<First, 16, Nan>(x, sum);
        add_range<First + 16, End, Nan>(x, sum);
    } else if constexpr (First + 8 <= End) {
        add_trees<First, 8, Nan>(x, sum);
        add_range<First + 8, End, Nan>(x, sum);
    } else if constexpr (First < End) {
        add_trees<First, 1, Nan>(x, sum);
        add_range<First + 1, End, Nan>(x, sum);
    }
}
)";
    if (!with_sum) return;
    o << R"(// The leaf values of every tree, added in tree order to sum.
inline void add_leaf_outputs(const std::array<scalar, n_features>& x, double* sum) noexcept {
    if (holds_nan(x)) {
        add_range<0, n_trees, true>(x, sum);
    } else {
        add_range<0, n_trees, false>(x, sum);
    }
}
)";
}

template <class T>
void write_prelude(std::ostringstream& o, std::string_view what, const ExportOptions& options, Index n_features) {
    o << "// " << what << ", exported by kestrel::io::export_cpp: predictions equal to the model's when compiled with\n"
      << "// the same compiler and floating-point flags. C++17; no dependency beyond <array>, <cstdint> and <cmath>.\n"
      << "#pragma once\n#include <array>\n#include <cmath>\n#include <cstdint>\n\nnamespace " << options.name << " {\n\n"
      << "using scalar = " << scalar_name<T>() << ";\n"
      << "inline constexpr int n_features = " << n_features << ";\n";
}

inline void check_name(const std::string& name) {
    bool ok = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
    for (const char c : name) {
        ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
    }
    if (!ok) {
        throw invalid_parameter("export_cpp: ExportOptions::name = \"" + name +
                                "\" is not a C++ identifier (letters, digits and _, not starting with a digit)");
    }
}

/// The labels of a classifier as `classes`, and the argmax helper over its outputs.
inline void write_classes(std::ostringstream& o, const Labels& classes) {
    o << "inline constexpr int n_classes = " << classes.size() << ";\n";
    o << "inline constexpr std::array<int, n_classes> classes = {{";
    for (Index k = 0; k < classes.size(); ++k) o << (k ? ", " : "") << classes[k];
    o << "}};\n";
}

}  // namespace detail

/// The text export_cpp writes for `model`.
template <class E>
[[nodiscard]] std::string export_cpp_source(const E& model, const ExportOptions& options = {});

/// Writes `model` (fitted) as a header at `path`: see the file's description. Throws not_fitted,
/// invalid_parameter for a name that is not an identifier, io_error when the file cannot be
/// written.
template <class E>
void export_cpp(const E& model, const std::string& path, const ExportOptions& options = {}) {
    const std::string text = export_cpp_source(model, options);
    std::ofstream file(path, std::ios::binary);
    file << text;
    file.close();
    if (!file) throw io_error("export_cpp: cannot write " + path);
}

}  // namespace io

namespace io {
namespace detail {

/// The walks of packed trees named by their ids (a boosted model's class whose trees are not all
/// packed), written after write_packed_trees' definitions.
inline constexpr std::string_view walk_by_ids = R"(// Trees ids[0..G) walked side by side for the deepest one's depth: their leaves in at.
template <int G, bool Nan>
inline void walk_trees(const int* ids, const std::array<scalar, n_features>& x, std::int32_t* at) noexcept {
    std::int32_t a[G];
    std::int32_t depth = 0;
    for (int g = 0; g < G; ++g) {
        a[g] = roots[ids[g]];
        depth = depths[ids[g]] > depth ? depths[ids[g]] : depth;
    }
    for (std::int32_t d = 0; d < depth; ++d) {
        for (int g = 0; g < G; ++g) a[g] = step<Nan>(a[g], x);
    }
    for (int g = 0; g < G; ++g) at[g] = a[g];
}
// Trees ids[0..count): sixteen side by side, then eight, then one at a time.
template <bool Nan>
inline void walk_group(const int* ids, int count, const std::array<scalar, n_features>& x, std::int32_t* at) noexcept {
    int g = 0;
    for (; g + 16 <= count; g += 16) walk_trees<16, Nan>(ids + g, x, at + g);
    for (; g + 8 <= count; g += 8) walk_trees<8, Nan>(ids + g, x, at + g);
    for (; g < count; ++g) walk_trees<1, Nan>(ids + g, x, at + g);
}
inline void walk_group(const int* ids, int count, const std::array<scalar, n_features>& x, std::int32_t* at,
                       bool nan) noexcept {
    if (nan) {
        walk_group<true>(ids, count, x, at);
    } else {
        walk_group<false>(ids, count, x, at);
    }
}
)";

/// HistGradientBoosting: the baseline, then per tree its leaf value, summed in tree order for
/// tree k of each iteration; trees without categorical splits walk packed, the others as
/// hgb::tree_nodes::leaf_raw walks.
template <class T, class E>
void write_boosting(cpp_writer<T>& w, const E& model, bool classifier) {
    std::ostringstream& o = w.out();
    using kestrel::detail::export_access;
    const auto& trees = export_access::hgb_trees(model);
    const auto& packed = export_access::hgb_packed(model);
    const auto& known = export_access::hgb_known(model);
    const std::vector<double>& baseline = export_access::hgb_baseline(model);
    const Index K = model.n_trees_per_iteration();
    std::vector<const tree::detail::packed_tree<T>*> plain;
    std::vector<int> kind, index;
    // The trees with categorical splits, as leaf_raw reads them.
    std::vector<int> g_root, g_feature, g_left, g_right, g_bitset;
    std::vector<unsigned> g_flags;  // 1: leaf, 2: categorical, 4: missing values go left
    std::vector<double> g_threshold, g_value;
    std::vector<std::uint32_t> g_bitsets;
    // Tree k of each iteration side by side in the packed arrays; run_first[k] and run_count[k]
    // name them when all of them are packed (run_count -1 otherwise).
    kind.resize(trees.size());
    index.resize(trees.size());
    std::vector<int> run_first, run_count;
    const auto stride = static_cast<std::size_t>(K);
    for (std::size_t k = 0; k < stride; ++k) {
        run_first.push_back(static_cast<int>(plain.size()));
        int count = 0;
        for (std::size_t t = k; t < trees.size(); t += stride) {
            if (packed[t].nodes.empty()) {
                count = -1;
                continue;
            }
            kind[t] = 0;
            index[t] = static_cast<int>(plain.size());
            plain.push_back(&packed[t]);
            if (count >= 0) ++count;
        }
        run_count.push_back(count);
    }
    const bool all_runs = std::find(run_count.begin(), run_count.end(), -1) == run_count.end();
    for (std::size_t t = 0; t < trees.size(); ++t) {
        if (!packed[t].nodes.empty()) continue;
        const auto& n = trees[t];
        kind[t] = 1;
        index[t] = static_cast<int>(g_root.size());
        const int first = static_cast<int>(g_feature.size());
        const int first_bitset = static_cast<int>(g_bitsets.size() / 8);
        g_root.push_back(first);
        for (int i = 0; i < n.size(); ++i) {
            const auto s = static_cast<std::size_t>(i);
            g_feature.push_back(n.feature[s]);
            g_left.push_back(first + n.left[s]);
            g_right.push_back(first + n.right[s]);
            g_bitset.push_back(n.bitset[s] < 0 ? -1 : first_bitset + n.bitset[s]);
            g_flags.push_back((n.is_leaf[s] ? 1u : 0u) | (n.categorical[s] ? 2u : 0u) | (n.missing_left[s] ? 4u : 0u));
            g_threshold.push_back(n.threshold[s]);
            g_value.push_back(n.value[s]);
        }
        for (const auto& b : n.raw_bitsets) g_bitsets.insert(g_bitsets.end(), b.begin(), b.end());
    }
    std::vector<std::uint32_t> known_words;
    for (const auto& b : known) known_words.insert(known_words.end(), b.begin(), b.end());
    write_packed_trees<T>(w, plain, 1, false);
    o << "inline constexpr int n_trees_total = " << trees.size() << ";\n";
    o << "inline constexpr int trees_per_iteration = " << K << ";\n";
    w.numbers("double", "baseline", baseline);
    w.integers("int", "run_first", run_first);
    w.integers("int", "run_count", run_count);
    w.integers("int", "tree_kind", kind);
    w.integers("int", "tree_index", index);
    w.integers("int", "g_root", g_root);
    w.integers("int", "g_feature", g_feature);
    w.integers("int", "g_left", g_left);
    w.integers("int", "g_right", g_right);
    w.integers("int", "g_bitset", g_bitset);
    w.integers("unsigned", "g_flags", g_flags);
    w.numbers("double", "g_threshold", g_threshold);
    w.numbers("double", "g_value", g_value);
    w.integers("std::uint32_t", "g_bitsets", g_bitsets);
    w.integers("std::uint32_t", "known_categories", known_words);
    // Trees of a class whose run is broken by categorical ones are walked by their ids.
    if (!all_runs) o << "\n" << walk_by_ids;
    o << R"(
inline bool in_bitset(const std::uint32_t* words, unsigned v) noexcept { return (words[v >> 5] >> (v & 31)) & 1u; }
// The leaf value of tree t (of all n_trees_total) for row x.
inline double tree_value(int t, const std::array<scalar, n_features>& x) noexcept {
    if (tree_kind[t] == 0) {
        const int p = tree_index[t];
        return outputs[leaf(p, x)];
    }
    int node = g_root[tree_index[t]];
    while (!(g_flags[node] & 1u)) {
        const double v = static_cast<double>(x[g_feature[node]]);
        bool go_left;
        if (g_flags[node] & 2u) {
            const bool valid = v == v && v >= 0 && v < 256 && v == std::floor(v) &&
                               in_bitset(known_categories.data() + 8 * g_feature[node], static_cast<unsigned>(v));
            go_left = valid ? in_bitset(g_bitsets.data() + 8 * g_bitset[node], static_cast<unsigned>(v))
                            : (g_flags[node] & 4u) != 0;
        } else if (v != v) {
            go_left = (g_flags[node] & 4u) != 0;
        } else {
            go_left = v <= g_threshold[node];
        }
        node = go_left ? g_left[node] : g_right[node];
    }
    return g_value[node];
}
// The raw score of tree K of each iteration when all of them are packed (side by side from
// run_first[K]): the baseline, then the trees' values in order.
template <int K>
inline double raw_run(const std::array<scalar, n_features>& x, bool nan) noexcept {
    double r = baseline[K];
    if (nan) {
        add_range<run_first[K], run_first[K] + run_count[K], true>(x, &r);
    } else {
        add_range<run_first[K], run_first[K] + run_count[K], false>(x, &r);
    }
    return r;
}
// The raw score of tree k of each iteration: the baseline, then the trees' values in order (the
// trees without categorical splits walked sixteen at a time).
inline double raw(int k, const std::array<scalar, n_features>& x) noexcept {
    const bool nan = holds_nan(x);
    switch (k) {
)";
    // Every k with all its trees packed has its case; when all have, the last k is the default
    // (and the walk by tree kind below is not written).
    for (std::size_t k = 0; k < run_count.size(); ++k) {
        if (run_count[k] < 0) continue;
        if (all_runs && k + 1 == run_count.size()) o << "    default:\n";
        o << "    case " << k << ":\n        return raw_run<" << k << ">(x, nan);\n";
    }
    if (all_runs) {
        o << "    }\n}\n";
    } else {
        o << R"(    default:
        break;
    }
    double r = baseline[k];
    int ids[16] = {};
    std::int32_t at[16] = {};
    int count = 0;
    const auto flush = [&]() {
        walk_group(ids, count, x, at, nan);
        for (int g = 0; g < count; ++g) r += outputs[at[g]];
        count = 0;
    };
    for (int t = k; t < n_trees_total; t += trees_per_iteration) {
        if (tree_kind[t] == 0) {
            ids[count++] = tree_index[t];
            if (count == 16) flush();
        } else {
            flush();
            r += tree_value(t, x);
        }
    }
    flush();
    return r;
}
)";
    }
    o << R"(inline constexpr int n_outputs = trees_per_iteration;
inline std::array<scalar, n_outputs> decision_function(const std::array<scalar, n_features>& x) noexcept {
    std::array<scalar, n_outputs> out;
    for (int k = 0; k < n_outputs; ++k) out[k] = static_cast<scalar>(raw(k, x));
    return out;
}
)";
    if (classifier) {
        if constexpr (requires { model.classes(); }) write_classes(o, model.classes());
        o << R"(
inline std::array<scalar, n_classes> predict_proba(const std::array<scalar, n_features>& x) noexcept {
    std::array<scalar, n_classes> p;
    if (trees_per_iteration == 1) {
        const double q = 1 / (1 + std::exp(-raw(0, x)));
        p[0] = static_cast<scalar>(1 - q);
        p[1] = static_cast<scalar>(q);
        return p;
    }
    double r[n_classes];
    for (int k = 0; k < n_classes; ++k) r[k] = raw(k, x);
    double top = r[0];
    for (int k = 1; k < n_classes; ++k) top = r[k] > top ? r[k] : top;
    double sum = 0;
    for (int k = 0; k < n_classes; ++k) sum += std::exp(r[k] - top);
    for (int k = 0; k < n_classes; ++k) p[k] = static_cast<scalar>(std::exp(r[k] - top) / sum);
    return p;
}
inline int predict(const std::array<scalar, n_features>& x) noexcept {
    const std::array<scalar, n_classes> p = predict_proba(x);
    int best = 0;
    for (int k = 1; k < n_classes; ++k) best = p[k] > p[best] ? k : best;
    return classes[best];
}
)";
    } else {
        const bool poisson = model.params().loss == ensemble::Loss::poisson;
        o << "\ninline scalar predict(const std::array<scalar, n_features>& x) noexcept {\n"
          << (poisson ? "    return static_cast<scalar>(std::exp(raw(0, x)));\n" : "    return static_cast<scalar>(raw(0, x));\n")
          << "}\n";
    }
}

/// The linear models: one fixed-order sum per output (kestrel::detail::dot_in_order), then the
/// intercept; LogisticRegression's probabilities as its proba_of_scores.
template <class T, class E>
void write_linear(cpp_writer<T>& w, const E& model) {
    std::ostringstream& o = w.out();
    constexpr bool classifier = requires { model.classes(); };
    std::vector<T> coef, intercept;
    if constexpr (classifier) {
        const Matrix<T>& c = model.coef();
        coef.assign(c.data(), c.data() + c.size());
        const Vector<T>& b = model.intercept();
        intercept.assign(b.data(), b.data() + b.size());
    } else {
        const Vector<T> c = model.coef();  // throws for a model of several targets
        coef.assign(c.data(), c.data() + c.size());
        intercept.push_back(static_cast<T>(model.intercept()));
    }
    const auto S = std::string(scalar_name<T>());
    o << "inline constexpr int n_outputs = " << intercept.size() << ";\n";
    w.numbers(S, "coef", coef);
    w.numbers(S, "intercept", intercept);
    o << R"(
// Output k's score: the products added in feature order from 0 (fused where the target has a
// fused multiply-add), then the intercept.
inline scalar score(int k, const std::array<scalar, n_features>& x) noexcept {
    scalar acc = 0;
    for (int j = 0; j < n_features; ++j) {
#if defined(__FMA__) || defined(__ARM_FEATURE_FMA)
        acc = std::fma(x[j], coef[k * n_features + j], acc);
#else
        acc = acc + x[j] * coef[k * n_features + j];
#endif
    }
    return acc + intercept[k];
}
)";
    if constexpr (!classifier) {
        o << "inline scalar predict(const std::array<scalar, n_features>& x) noexcept { return score(0, x); }\n";
    } else {
        write_classes(o, model.classes());
        o << R"(
inline std::array<scalar, n_outputs> decision_function(const std::array<scalar, n_features>& x) noexcept {
    std::array<scalar, n_outputs> out;
    for (int k = 0; k < n_outputs; ++k) out[k] = score(k, x);
    return out;
}
inline int predict(const std::array<scalar, n_features>& x) noexcept {
    if (n_outputs == 1) return classes[score(0, x) > scalar(0) ? 1 : 0];
    int best = 0;
    scalar top = 0;
    for (int k = 0; k < n_outputs; ++k) {
        const scalar s = score(k, x);
        if (k == 0 || s > top) {
            top = s;
            best = k;
        }
    }
    return classes[best];
}
)";
        if constexpr (requires { model.predict_proba(Matrix<T>()); }) {
            const bool ovr = model.params().solver == decltype(model.params().solver)::newton_cholesky && model.classes().size() > 2;
            o << "inline constexpr bool one_vs_rest = " << (ovr ? "true" : "false") << ";\n";
            o << R"(inline scalar sigmoid(scalar z) noexcept { return scalar(1) / (scalar(1) + std::exp(-z)); }
inline std::array<scalar, n_classes> predict_proba(const std::array<scalar, n_features>& x) noexcept {
    std::array<scalar, n_classes> p;
    if (n_outputs == 1) {
        p[1] = sigmoid(score(0, x));
        p[0] = scalar(1) - p[1];
        return p;
    }
    scalar s[n_classes];
    for (int k = 0; k < n_classes; ++k) s[k] = score(k, x);
    scalar top = s[0];
    for (int k = 1; k < n_classes; ++k) top = s[k] > top ? s[k] : top;
    scalar sum = 0;
    for (int k = 0; k < n_classes; ++k) sum += p[k] = one_vs_rest ? sigmoid(s[k]) : std::exp(s[k] - top);
    for (int k = 0; k < n_classes; ++k) p[k] /= sum;
    return p;
}
)";
        }
    }
}

/// The libsvm models (SVC, NuSVC, SVR, NuSVR, OneClassSVM): the support vectors, their squared
/// norms and coefficients, and the steps of svm::detail::for_each_kernel_value and the models'
/// per-row kernels (pairs, votes, Platt's coupling) written out.
template <class T, class E>
void write_libsvm(cpp_writer<T>& w, const E& model) {
    std::ostringstream& o = w.out();
    const auto& kernel = kestrel::detail::export_access::svm_kernel(model);
    const auto S = std::string(scalar_name<T>());
    const Matrix<T>& sv = model.support_vectors();
    const Vector<T> norms = svm::detail::support_norms(sv);
    const Matrix<T>& dual = model.dual_coef();
    const Labels& support = model.support();
    const bool precomputed = kernel.kernel == svm::Kernel::precomputed;
    o << "inline constexpr int n_support_vectors = " << support.size() << ";\n";
    o << "inline constexpr int kernel_kind = " << static_cast<int>(kernel.kernel) << ";  // ";
    switch (kernel.kernel) {
        case svm::Kernel::linear: o << "linear\n"; break;
        case svm::Kernel::poly: o << "poly\n"; break;
        case svm::Kernel::rbf: o << "rbf\n"; break;
        case svm::Kernel::sigmoid: o << "sigmoid\n"; break;
        case svm::Kernel::precomputed: o << "precomputed: a row is the kernel with the training samples\n"; break;
    }
    o << "inline constexpr int kernel_linear = " << static_cast<int>(svm::Kernel::linear)
      << ", kernel_poly = " << static_cast<int>(svm::Kernel::poly) << ", kernel_rbf = " << static_cast<int>(svm::Kernel::rbf)
      << ", kernel_sigmoid = " << static_cast<int>(svm::Kernel::sigmoid)
      << ", kernel_precomputed = " << static_cast<int>(svm::Kernel::precomputed) << ";\n";
    o << "inline constexpr int degree = " << kernel.degree << ";\n";
    o << "inline constexpr scalar gamma = " << cpp_writer<T>::number(static_cast<T>(kernel.gamma)) << ";\n";
    o << "inline constexpr scalar coef0 = " << cpp_writer<T>::number(static_cast<T>(kernel.coef0)) << ";\n";
    w.numbers(S, "support_vectors", std::vector<T>(sv.data(), sv.data() + sv.size()));
    w.numbers(S, "support_norms", std::vector<T>(norms.data(), norms.data() + norms.size()));
    w.integers("int", "support", std::vector<int>(support.data(), support.data() + (precomputed ? support.size() : 0)));
    o << "inline constexpr int dual_rows = " << dual.rows() << ";\n";
    w.numbers(S, "dual_coef", std::vector<T>(dual.data(), dual.data() + dual.size()));
    const Vector<T>& b = model.intercept();
    w.numbers(S, "intercept", std::vector<T>(b.data(), b.data() + b.size()));
    o << R"(
// acc + x * w, fused where the target has a fused multiply-add.
inline scalar multiply_add(scalar x, scalar w, scalar acc) noexcept {
#if defined(__FMA__) || defined(__ARM_FEATURE_FMA)
    return std::fma(x, w, acc);
#else
    return acc + x * w;
#endif
}
inline double multiply_add_double(double x, double w, double acc) noexcept {
#if defined(__FMA__) || defined(__ARM_FEATURE_FMA)
    return std::fma(x, w, acc);
#else
    return acc + x * w;
#endif
}
inline scalar integer_power(scalar base, int n) noexcept {
    scalar result = 1;
    for (scalar power = base; n > 0; n /= 2, power *= power) {
        if (n % 2 == 1) result *= power;
    }
    return result;
}
inline scalar kernel_of_dot(scalar dot, scalar x_norm, scalar sv_norm) noexcept {
    switch (kernel_kind) {
        case kernel_poly: return integer_power(multiply_add(gamma, dot, coef0), degree);
        case kernel_rbf: return std::exp(-gamma * multiply_add(scalar(-2), dot, x_norm + sv_norm));
        case kernel_sigmoid: return std::tanh(multiply_add(gamma, dot, coef0));
        default: return dot;
    }
}
// f(s, kernel value of x and support vector s) for each s in order; four sums side by side.
template <class F>
inline void for_each_kernel_value(const std::array<scalar, n_features>& x, F&& f) noexcept {
    if constexpr (kernel_kind == kernel_precomputed) {
        for (int s = 0; s < n_support_vectors; ++s) f(s, x[support[s]]);
        return;
    }
    constexpr int d = n_features;
    scalar x_norm = 0;
    if (kernel_kind == kernel_rbf) {
        for (int j = 0; j < d; ++j) x_norm = multiply_add(x[j], x[j], x_norm);
    }
    constexpr int grouped = n_support_vectors - n_support_vectors % 4;
    for (int s = 0; s < grouped; s += 4) {
        const scalar* r = support_vectors.data() + static_cast<std::size_t>(s) * d;
        scalar a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        for (int j = 0; j < d; ++j) {
            const scalar v = x[j];
            a0 = multiply_add(v, r[j], a0);
            a1 = multiply_add(v, r[d + j], a1);
            a2 = multiply_add(v, r[2 * d + j], a2);
            a3 = multiply_add(v, r[3 * d + j], a3);
        }
        f(s, kernel_of_dot(a0, x_norm, support_norms[s]));
        f(s + 1, kernel_of_dot(a1, x_norm, support_norms[s + 1]));
        f(s + 2, kernel_of_dot(a2, x_norm, support_norms[s + 2]));
        f(s + 3, kernel_of_dot(a3, x_norm, support_norms[s + 3]));
    }
    for (int s = grouped; s < n_support_vectors; ++s) {
        const scalar* r = support_vectors.data() + static_cast<std::size_t>(s) * d;
        scalar dot = 0;
        for (int j = 0; j < d; ++j) dot = multiply_add(x[j], r[j], dot);
        f(s, kernel_of_dot(dot, x_norm, support_norms[s]));
    }
}
)";
    if constexpr (requires { model.classes(); }) {
        const Index K = model.classes().size();
        write_classes(o, model.classes());
        o << "inline constexpr int n_pairs = " << K * (K - 1) / 2 << ";\n";
        std::vector<int> sv_class;
        for (Index k = 0; k < K; ++k) sv_class.insert(sv_class.end(), static_cast<std::size_t>(model.n_support()[k]), static_cast<int>(k));
        w.integers("int", "support_class", sv_class);
        const bool ovo = model.params().decision_function_shape == decltype(model.params().decision_function_shape)::ovo;
        o << "inline constexpr bool break_ties = " << (model.params().break_ties ? "true" : "false") << ";\n";
        o << "inline constexpr bool pairs_out = " << (K == 2 || ovo ? "true" : "false")
          << ";  // decision_function: the pairs' values (else one per class)\n";
        o << "inline constexpr int n_outputs = " << (K == 2 ? 1 : ovo ? K * (K - 1) / 2 : K) << ";\n";
        o << R"(
inline constexpr int pair_index(int a, int b) noexcept { return a * (2 * n_classes - a - 1) / 2 + (b - a - 1); }
// Each pair's decision value (positive for the pair's first class; for two classes the one
// value, positive for classes[1]).
inline void pair_values(const std::array<scalar, n_features>& x, scalar* pairs) noexcept {
    for (int p = 0; p < n_pairs; ++p) pairs[p] = 0;
    for_each_kernel_value(x, [&](int s, scalar k) {
        const int c = support_class[s];
        for (int r = 0; r < n_classes - 1; ++r) {
            const int o = r < c ? r : r + 1;
            const int p = c < o ? pair_index(c, o) : pair_index(o, c);
            pairs[p] = multiply_add(dual_coef[r * n_support_vectors + s], k, pairs[p]);
        }
    });
    for (int p = 0; p < n_pairs; ++p) pairs[p] += intercept[p];
}
// The votes plus the confidences squashed into (-1/3, 1/3).
inline void ovr(const scalar* pairs, scalar* out) noexcept {
    scalar confidence[n_classes];
    for (int k = 0; k < n_classes; ++k) out[k] = confidence[k] = 0;
    int p = 0;
    for (int a = 0; a < n_classes; ++a) {
        for (int b = a + 1; b < n_classes; ++b, ++p) {
            const scalar value = pairs[p];
            confidence[a] += value;
            confidence[b] -= value;
            out[value < scalar(0) ? b : a] += scalar(1);
        }
    }
    for (int k = 0; k < n_classes; ++k) out[k] += confidence[k] / (scalar(3) * (std::abs(confidence[k]) + scalar(1)));
}
inline std::array<scalar, n_outputs> decision_function(const std::array<scalar, n_features>& x) noexcept {
    std::array<scalar, n_outputs> out;
    if (pairs_out) {
        pair_values(x, out.data());
    } else {
        scalar pairs[n_pairs];
        pair_values(x, pairs);
        ovr(pairs, out.data());
    }
    return out;
}
inline int predict(const std::array<scalar, n_features>& x) noexcept {
    scalar pairs[n_pairs];
    pair_values(x, pairs);
    if (n_classes == 2) return classes[-pairs[0] > scalar(0) ? 0 : 1];
    scalar score[n_classes];
    if (break_ties) {
        ovr(pairs, score);
    } else {
        for (int k = 0; k < n_classes; ++k) score[k] = 0;
        int p = 0;
        for (int a = 0; a < n_classes; ++a) {
            for (int b = a + 1; b < n_classes; ++b, ++p) score[pairs[p] > scalar(0) ? a : b] += scalar(1);
        }
    }
    int best = 0;
    for (int k = 1; k < n_classes; ++k) best = score[k] > score[best] ? k : best;
    return classes[best];
}
)";
        if (model.params().probability) {
            const Vector<T>& A = model.probA();
            const Vector<T>& B = model.probB();
            w.numbers(S, "probA", std::vector<T>(A.data(), A.data() + A.size()));
            w.numbers(S, "probB", std::vector<T>(B.data(), B.data() + B.size()));
            o << R"(
// Platt's sigmoid of each pair, coupled by Wu, Lin and Weng's method 2 as libsvm couples them.
inline std::array<scalar, n_classes> predict_proba(const std::array<scalar, n_features>& x) noexcept {
    constexpr int K = n_classes;
    scalar pairs[n_pairs];
    pair_values(x, pairs);
    double r[K * K], Q[K * K], Qp[K], p[K];
    const double min_prob = 1e-7;
    int q = 0;
    for (int a = 0; a < K; ++a) {
        for (int b = a + 1; b < K; ++b, ++q) {
            const double value = K == 2 ? -static_cast<double>(pairs[0]) : static_cast<double>(pairs[q]);
            const double z = multiply_add_double(value, static_cast<double>(probA[q]), static_cast<double>(probB[q]));
            const double s = z >= 0 ? std::exp(-z) / (1.0 + std::exp(-z)) : 1.0 / (1.0 + std::exp(z));
            r[a * K + b] = s < min_prob ? min_prob : (1 - min_prob < s ? 1 - min_prob : s);
            r[b * K + a] = 1 - r[a * K + b];
        }
    }
    for (int t = 0; t < K; ++t) {
        p[t] = 1.0 / static_cast<double>(K);
        double diagonal = 0;
        for (int j = 0; j < t; ++j) {
            diagonal = multiply_add_double(r[j * K + t], r[j * K + t], diagonal);
            Q[t * K + j] = Q[j * K + t];
        }
        for (int j = t + 1; j < K; ++j) {
            diagonal = multiply_add_double(r[j * K + t], r[j * K + t], diagonal);
            Q[t * K + j] = -r[j * K + t] * r[t * K + j];
        }
        Q[t * K + t] = diagonal;
    }
    const int max_iter = K > 100 ? K : 100;
    const double eps = 0.005 / static_cast<double>(K);
    for (int iter = 0; iter < max_iter; ++iter) {
        double pQp = 0;
        for (int t = 0; t < K; ++t) {
            double sum = 0;
            for (int j = 0; j < K; ++j) sum = multiply_add_double(Q[t * K + j], p[j], sum);
            Qp[t] = sum;
            pQp = multiply_add_double(p[t], Qp[t], pQp);
        }
        double max_error = 0;
        for (int t = 0; t < K; ++t) {
            const double e = std::abs(Qp[t] - pQp);
            max_error = max_error < e ? e : max_error;
        }
        if (max_error < eps) break;
        for (int t = 0; t < K; ++t) {
            const double qt = Q[t * K + t];
            const double diff = (pQp - Qp[t]) / qt;
            p[t] += diff;
            const double grown = 1 + diff;
            pQp = multiply_add_double(diff, multiply_add_double(diff, qt, 2 * Qp[t]), pQp) / grown / grown;
            for (int j = 0; j < K; ++j) {
                Qp[j] = multiply_add_double(diff, Q[t * K + j], Qp[j]) / grown;
                p[j] /= grown;
            }
        }
    }
    std::array<scalar, n_classes> out;
    for (int k = 0; k < K; ++k) out[k] = static_cast<scalar>(p[k]);
    return out;
}
)";
        }
    } else {
        o << R"(
// The coefficients' sum over the support vectors, in order, then the intercept.
inline scalar decision_value(const std::array<scalar, n_features>& x) noexcept {
    scalar acc = 0;
    for_each_kernel_value(x, [&](int s, scalar k) { acc = multiply_add(dual_coef[s], k, acc); });
    return acc + intercept[0];
}
)";
        if constexpr (requires { model.offset(); }) {
            o << R"(inline constexpr int n_outputs = 1;
inline std::array<scalar, 1> decision_function(const std::array<scalar, n_features>& x) noexcept {
    return {{decision_value(x)}};
}
// +1 for an inlier, -1 for an outlier.
inline int predict(const std::array<scalar, n_features>& x) noexcept { return decision_value(x) > scalar(0) ? 1 : -1; }
)";
        } else {
            o << "inline scalar predict(const std::array<scalar, n_features>& x) noexcept { return decision_value(x); }\n";
        }
    }
}

}  // namespace detail

namespace detail {

/// The entries of a vector, for cpp_writer::numbers.
template <class T>
std::vector<T> entries(const Vector<T>& v) {
    return std::vector<T>(v.data(), v.data() + v.size());
}

/// `acc + x * w`, fused where the target fuses, as kestrel::detail::multiply_add.
inline void write_multiply_add(std::ostringstream& o) {
    o << R"(inline scalar multiply_add(scalar x, scalar w, scalar acc) noexcept {
#if defined(__FMA__) || defined(__ARM_FEATURE_FMA)
    return std::fma(x, w, acc);
#else
    return acc + x * w;
#endif
}
)";
}

/// The transformers a pipeline may start with (StandardScaler, MinMaxScaler, MaxAbsScaler,
/// RobustScaler, SimpleImputer): `n_outputs` and `transform`, the steps of their transform_row.
template <class T, class E>
void write_imputer(cpp_writer<T>& w, const E& model);
template <class T, class E>
void write_min_max(cpp_writer<T>& w, const E& model);
template <class T, class E>
void write_scaling(cpp_writer<T>& w, const E& model);

template <class T, class E>
void write_transformer(cpp_writer<T>& w, const E& model) {
    constexpr std::string_view name = E::name;
    if constexpr (name == "SimpleImputer") {
        write_imputer(w, model);
    } else if constexpr (name == "MinMaxScaler") {
        write_min_max(w, model);
    } else {
        write_scaling(w, model);
    }
}

template <class T, class E>
void write_imputer(cpp_writer<T>& w, const E& model) {
    std::ostringstream& o = w.out();
    const auto S = std::string(scalar_name<T>());
    const Labels& kept = kestrel::detail::export_access::imputer_kept(model);
    const Labels& indicators = model.indicator_features();
    const auto& marker = model.params().missing_values;
    o << "inline constexpr int n_outputs = " << kept.size() + indicators.size() << ";\n";
    o << "inline constexpr int n_kept = " << kept.size() << ";\n";
    o << "inline constexpr int n_indicators = " << indicators.size() << ";\n";
    w.integers("int", "kept", std::vector<int>(kept.data(), kept.data() + kept.size()));
    w.integers("int", "indicators", std::vector<int>(indicators.data(), indicators.data() + indicators.size()));
    w.numbers(S, "statistics", entries(model.statistics()));
    o << "inline bool missing(scalar v) noexcept { return "
      << (marker ? "v == " + cpp_writer<T>::number(static_cast<T>(*marker)) : std::string("v != v")) << "; }\n";
    o << R"(inline std::array<scalar, n_outputs> transform(const std::array<scalar, n_features>& x) noexcept {
    std::array<scalar, n_outputs> out{};
    for (int k = 0; k < n_kept; ++k) {
        const scalar v = x[kept[k]];
        out[k] = missing(v) ? statistics[kept[k]] : v;
    }
    for (int f = 0; f < n_indicators; ++f) out[n_kept + f] = missing(x[indicators[f]]) ? scalar(1) : scalar(0);
    return out;
}
)";
}

template <class T, class E>
void write_min_max(cpp_writer<T>& w, const E& model) {
    std::ostringstream& o = w.out();
    const auto S = std::string(scalar_name<T>());
    o << "inline constexpr int n_outputs = " << model.n_features_in() << ";\n";
    const auto& p = model.params();
    w.numbers(S, "scale", entries(model.scale()));
    w.numbers(S, "offset", entries(model.min()));
    o << "inline constexpr bool clip = " << (p.clip ? "true" : "false") << ";\n";
    o << "inline constexpr scalar low = " << cpp_writer<T>::number(static_cast<T>(p.feature_range_min)) << ";\n";
    o << "inline constexpr scalar high = " << cpp_writer<T>::number(static_cast<T>(p.feature_range_max)) << ";\n";
    write_multiply_add(o);
    o << R"(inline std::array<scalar, n_outputs> transform(const std::array<scalar, n_features>& x) noexcept {
    std::array<scalar, n_outputs> out{};
    for (int j = 0; j < n_features; ++j) {
        scalar v = multiply_add(x[j], scale[j], offset[j]);
        if (clip) {
            v = v < low ? low : v;
            v = high < v ? high : v;
        }
        out[j] = v;
    }
    return out;
}
)";
}

template <class T, class E>
void write_scaling(cpp_writer<T>& w, const E& model) {
    std::ostringstream& o = w.out();
    const auto S = std::string(scalar_name<T>());
    constexpr std::string_view name = E::name;
    o << "inline constexpr int n_outputs = " << model.n_features_in() << ";\n";
    bool center = false, scale = true;
    Vector<T> centers, scales;
    if constexpr (name == "StandardScaler") {
        center = model.params().with_mean;
        scale = model.params().with_std;
        if (center) centers = model.mean();
        if (scale) scales = model.scale();
    } else if constexpr (name == "RobustScaler") {
        center = model.params().with_centering;
        scale = model.params().with_scaling;
        if (center) centers = model.center();
        if (scale) scales = model.scale();
    } else {
        static_assert(name == "MaxAbsScaler", "export_cpp: this transformer has no exported form yet");
        scales = model.scale();
    }
    w.numbers(S, "centers", entries(centers));
    w.numbers(S, "scales", entries(scales));
    o << "inline constexpr bool center = " << (center ? "true" : "false") << ";\n";
    o << "inline constexpr bool scale = " << (scale ? "true" : "false") << ";\n";
    o << R"(inline std::array<scalar, n_outputs> transform(const std::array<scalar, n_features>& x) noexcept {
    std::array<scalar, n_outputs> out{};
    for (int j = 0; j < n_features; ++j) {
        scalar v = x[j];
        if (center) v -= centers[j];
        if (scale) v /= scales[j];
        out[j] = v;
    }
    return out;
}
)";
}

/// KMeans and MiniBatchKMeans: the centres shifted by their mean and their half squared norms
/// (computed here as cluster::detail::nearest_center_row computes them), then each centre's score
/// by multiply_add in feature order, the first minimum kept.
template <class T, class E>
void write_kmeans(cpp_writer<T>& w, const E& model) {
    std::ostringstream& o = w.out();
    const Matrix<T>& centers = model.cluster_centers();
    const Index k = centers.rows(), d = centers.cols();
    std::vector<T> shift(static_cast<std::size_t>(d)), shifted, half_norms;
    cluster::detail::center_shift(centers, shift.data());
    for (Index j = 0; j < k; ++j) {
        T norm = 0;
        for (Index f = 0; f < d; ++f) {
            const T v = centers(j, f) - shift[static_cast<std::size_t>(f)];
            shifted.push_back(v);
            norm = kestrel::detail::multiply_add(v, v, norm);
        }
        half_norms.push_back(norm / 2);
    }
    const auto S = std::string(scalar_name<T>());
    o << "inline constexpr int n_clusters = " << k << ";\n";
    w.numbers(S, "shift", shift);
    w.numbers(S, "centers", shifted);
    w.numbers(S, "half_norms", half_norms);
    write_multiply_add(o);
    o << R"(// The nearest centre.
inline int predict(const std::array<scalar, n_features>& x) noexcept {
    scalar best = HUGE_VAL;
    int best_index = 0;
    for (int j = 0; j < n_clusters; ++j) {
        scalar score = half_norms[j];
        for (int f = 0; f < n_features; ++f) score = multiply_add(shift[f] - x[f], centers[j * n_features + f], score);
        if (score < best) {
            best = score;
            best_index = j;
        }
    }
    return best_index;
}
)";
}

/// DummyClassifier: its answer, the same for every row (the random strategies' first draw, as
/// predict_one gives it).
template <class T, class E>
void write_dummy(cpp_writer<T>& w, const E& model) {
    std::ostringstream& o = w.out();
    const Matrix<T> row = Matrix<T>::Zero(1, model.n_features_in());
    const Vector<T> p = model.predict_proba(row).row(0).transpose();
    write_classes(o, model.classes());
    w.numbers(std::string(scalar_name<T>()), "probabilities", std::vector<T>(p.data(), p.data() + p.size()));
    o << "inline constexpr int label = " << model.predict(row)[0] << ";\n";
    o << R"(inline int predict(const std::array<scalar, n_features>&) noexcept { return label; }
inline std::array<scalar, n_classes> predict_proba(const std::array<scalar, n_features>&) noexcept {
    return probabilities;
}
)";
}

template <class T, class E>
void write_model(cpp_writer<T>& w, const E& model);

/// A Pipeline of transformers then an estimator: each step in a namespace of its own (step0,
/// step1, ..., estimator), and the pipeline's functions sending the row through them.
template <class T, class E>
void write_pipeline(cpp_writer<T>& w, const E& model) {
    std::ostringstream& o = w.out();
    const auto& steps = kestrel::detail::export_access::pipeline_steps(model);
    constexpr std::size_t n = std::tuple_size_v<std::remove_cvref_t<decltype(steps)>>;
    const auto open = [&](const std::string& space, const std::string& width) {
        o << "\nnamespace " << space << " {\nusing scalar = " << scalar_name<T>() << ";\ninline constexpr int n_features = "
          << width << ";\n";
    };
    o << "inline constexpr int pipeline_features = n_features;\n";
    std::string input = "pipeline_features";
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((open("step" + std::to_string(I), input),
          write_transformer(w, std::get<I>(steps)), o << "}  // namespace step" << I << "\n",
          input = "step" + std::to_string(I) + "::n_outputs"),
         ...);
    }
    (std::make_index_sequence<n - 1>{});
    const auto& last = std::get<n - 1>(steps);
    open("estimator", input);
    write_model(w, last);
    o << "}  // namespace estimator\n\n";
    o << "// The row as the estimator reads it: through every step's transform in turn.\n"
      << "inline auto transformed(const std::array<scalar, n_features>& x) noexcept {\n    return ";
    for (std::size_t i = n - 1; i-- > 0;) o << "step" << i << "::transform(";
    o << "x" << std::string(n - 1, ')') << ";\n}\n";
    const Matrix<T> probe = Matrix<T>::Zero(1, last.n_features_in());
    o << "inline auto predict(const std::array<scalar, n_features>& x) noexcept { return estimator::predict(transformed(x)); }\n";
    if constexpr (requires { last.classes(); }) {
        o << "inline constexpr int n_classes = estimator::n_classes;\nusing estimator::classes;\n";
    }
    if constexpr (requires { last.predict_proba(probe); }) {
        bool probabilities = true;
        if constexpr (requires { last.params().probability; }) probabilities = last.params().probability;
        if (probabilities) {
            o << "inline auto predict_proba(const std::array<scalar, n_features>& x) noexcept {\n"
                 "    return estimator::predict_proba(transformed(x));\n}\n";
        }
    }
    if constexpr (requires { last.decision_function(probe); }) {
        o << "inline auto decision_function(const std::array<scalar, n_features>& x) noexcept {\n"
             "    return estimator::decision_function(transformed(x));\n}\n";
    }
}

/// The definitions of `model` in the current namespace, after `scalar` and `n_features`.
template <class T, class E>
void write_model(cpp_writer<T>& w, const E& model) {
    std::ostringstream& o = w.out();
    constexpr bool classifier = requires { model.classes(); };

    if constexpr (requires { model.tree(); model.get_depth(); }) {
        // A decision tree: its packed walk; a classifier's label from its leaf's largest weighted count.
        const tree::Tree& t = model.tree();
        const tree::detail::packed_tree<T> packed(t, classifier);
        detail::write_packed_trees<T>(w, {&packed}, packed.width);
        if constexpr (classifier) {
            detail::write_classes(o, model.classes());
            std::vector<int> best(packed.original.size(), 0);  // per packed place
            for (std::size_t k = 0; k < best.size(); ++k) {
                Index b = 0;
                t.value.row(packed.original[k]).maxCoeff(&b);
                best[k] = static_cast<int>(b);
            }
            w.integers("int", "leaf_class", best);
            o << R"(static_assert(leaf_class.size() == nodes.size(), "a class for every node");
inline int predict(const std::array<scalar, n_features>& x) noexcept { return classes[leaf_class[leaf(0, x)]]; }
inline std::array<scalar, n_classes> predict_proba(const std::array<scalar, n_features>& x) noexcept {
    const double* o = outputs.data() + static_cast<std::size_t>(leaf(0, x)) * n_classes;
    std::array<scalar, n_classes> p;
    for (int k = 0; k < n_classes; ++k) p[k] = static_cast<scalar>(o[k]);
    return p;
}
)";
        } else {
            o << "\ninline scalar predict(const std::array<scalar, n_features>& x) noexcept {\n"
                 "    return static_cast<scalar>(outputs[leaf(0, x)]);\n}\n";
        }
    } else if constexpr (requires { model.estimators(); model.oob_score(); }) {
        // A forest: the mean of its trees' leaf outputs, summed in double in tree order.
        std::vector<tree::detail::packed_tree<T>> packed;
        for (const auto& e : model.estimators()) packed.emplace_back(e.tree(), classifier);
        std::vector<const tree::detail::packed_tree<T>*> pointers;
        for (const auto& p : packed) pointers.push_back(&p);
        Index width = 1;
        if constexpr (classifier) width = model.classes().size();
        detail::write_packed_trees<T>(w, pointers, width);
        o << R"(
// The mean of the trees' outputs, in double.
inline void mean(const std::array<scalar, n_features>& x, double* out) noexcept {
    for (int k = 0; k < n_outputs_per_leaf; ++k) out[k] = 0;
    add_leaf_outputs(x, out);
    const double scale = 1.0 / static_cast<double>(n_trees);
    for (int k = 0; k < n_outputs_per_leaf; ++k) out[k] *= scale;
}
)";
        if constexpr (classifier) {
            detail::write_classes(o, model.classes());
            o << R"(
inline std::array<scalar, n_classes> predict_proba(const std::array<scalar, n_features>& x) noexcept {
    double m[n_classes];
    mean(x, m);
    std::array<scalar, n_classes> p;
    for (int k = 0; k < n_classes; ++k) p[k] = static_cast<scalar>(m[k]);
    return p;
}
inline int predict(const std::array<scalar, n_features>& x) noexcept {
    double m[n_classes];
    mean(x, m);
    int best = 0;
    for (int k = 1; k < n_classes; ++k) best = m[k] > m[best] ? k : best;
    return classes[best];
}
)";
        } else {
            o << R"(
inline scalar predict(const std::array<scalar, n_features>& x) noexcept {
    double m[1];
    mean(x, m);
    return static_cast<scalar>(m[0]);
}
)";
        }
    } else if constexpr (requires { model.n_trees_per_iteration(); model.bin_thresholds(); }) {
        detail::write_boosting(w, model, classifier);
    } else if constexpr (requires { model.coef(); model.intercept(); } && !requires { model.support_vectors(); }) {
        detail::write_linear(w, model);
    } else if constexpr (requires { model.support_vectors(); model.dual_coef(); }) {
        detail::write_libsvm(w, model);
    } else if constexpr (requires { model.cluster_centers(); }) {
        detail::write_kmeans(w, model);
    } else if constexpr (E::name == "DummyClassifier") {
        detail::write_dummy(w, model);
    } else if constexpr (E::name == "Pipeline") {
        detail::write_pipeline(w, model);
    } else if constexpr (requires { model.transform(Matrix<T>()); }) {
        detail::write_transformer(w, model);
    } else {
        static_assert(sizeof(E) == 0, "export_cpp: this estimator has no exported form yet");
    }
}

}  // namespace detail

template <class E>
std::string export_cpp_source(const E& model, const ExportOptions& options) {
    detail::check_name(options.name);
    using T = typename E::scalar_type;
    const Index d = model.n_features_in();  // throws not_fitted
    std::ostringstream o;
    o.imbue(std::locale::classic());  // integers without a locale's digit grouping
    detail::cpp_writer<T> w(o);
    const std::string what = std::string(E::name) + "<" + std::string(detail::scalar_name<T>()) + ">";
    detail::write_prelude<T>(o, what, options, d);
    detail::write_model(w, model);
    o << "\n}  // namespace " << options.name << "\n";
    return o.str();
}

}  // namespace io
}  // namespace kestrel
