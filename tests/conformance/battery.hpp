#pragma once
// kestrel's estimator conformance battery: scikit-learn's estimator checks, in C++, run over
// every estimator listed in test_battery.cpp. Each check records pass/fail for the printed table
// and reports failures through Catch2.

#include <algorithm>
#include <cmath>
#include <functional>
#include <iomanip>
#include <iostream>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>
#include <vector>

#include <catch.hpp>
#include <kestrel/core/concepts.hpp>
#include <kestrel/core/error.hpp>
#include <kestrel/core/print.hpp>
#include <kestrel/core/random.hpp>
#include <kestrel/io/persistence.hpp>

namespace kestrel::conformance {

/// Optional per-estimator knowledge: hyperparameters other than the defaults, and invalid ones.
/// Specialise for an estimator to enable the checks that need them.
template <class E>
struct traits {};

template <class E>
concept has_alternative_params = requires {
    { traits<E>::alternative_params() } -> std::same_as<typename E::Params>;
};
template <class E>
concept has_invalid_params = requires {
    { traits<E>::invalid_params() } -> std::same_as<typename E::Params>;
};

/// E over float, for the float-in, float-out check.
template <class E>
struct with_float;
template <template <class> class E, class T>
struct with_float<E<T>> {
    using type = E<float>;
};

/// Estimators that take categories (OneHotEncoder) declare `static constexpr bool integer_features = true;`
/// in their traits, and get the battery's data rounded to whole numbers.
template <class E>
concept needs_integer_features = requires {
    requires traits<E>::integer_features;
};

/// Estimators for which weighting is not the same as repeating rows declare why, e.g. random
/// mini-batches: `static constexpr const char* weights_not_repeats = "...";`. The checks show as xfail.
template <class E>
concept weights_not_repeats = requires {
    { traits<E>::weights_not_repeats } -> std::convertible_to<const char*>;
};

/// Classifiers that fit a single class on purpose (a baseline such as DummyClassifier) say why:
/// `static constexpr const char* one_class_fits = "...";`. The check is then not applicable.
template <class E>
concept one_class_fits = requires {
    { traits<E>::one_class_fits } -> std::convertible_to<const char*>;
};

/// Estimators with an explicit start (`fit_from(X, initial_centers, sample_weight)`), used for the
/// weight checks so that a random initialisation does not see different data.
template <class E>
concept has_fit_from = requires(E& e, const Matrix<scalar_of<E>>& X, const Vector<scalar_of<E>>& w) {
    e.fit_from(X, X, w);
    e.params().n_clusters;
};

/// Estimators that take NaN in X as a missing value declare `static constexpr bool allow_nan = true;`.
template <class E>
concept allows_nan = requires {
    requires E::allow_nan;
};

/// Estimators that take NaN as a category only in the features that held it at fit
/// (OrdinalEncoder), and as an unknown category elsewhere, say so:
/// `static constexpr const char* nan_unknown_at_predict = "...";`. NaN at predict may then be refused.
template <class E>
concept nan_unknown_at_predict = requires {
    { traits<E>::nan_unknown_at_predict } -> std::convertible_to<const char*>;
};

template <class E>
concept has_random_state = requires(typename E::Params p) {
    p.random_state;
};

template <class E>
concept weighted_supervised = supervised_estimator<E> &&
    requires(E& e, const Matrix<scalar_of<E>>& X, const typename E::target_type& y, const Vector<scalar_of<E>>& w) {
    e.fit(X, y, w);
};
template <class E>
concept weighted_unsupervised = unsupervised_estimator<E> && !supervised_estimator<E> &&
                                requires(E & e, const Matrix<scalar_of<E>>& X, const Vector<scalar_of<E>>& w) {
    e.fit(X, w);
};

/// The table the battery prints: estimator -> check -> "pass", "FAIL" or "xfail".
inline std::map<std::string, std::map<std::string, std::string>>& results() {
    static std::map<std::string, std::map<std::string, std::string>> table;
    return table;
}

inline void print_table() {
    std::vector<std::string> checks;
    for (const auto& [estimator, row] : results()) {
        for (const auto& [check, ok] : row) {
            if (std::find(checks.begin(), checks.end(), check) == checks.end()) checks.push_back(check);
        }
    }
    std::ostringstream out;
    out << "\nconformance battery (pass / FAIL / xfail: known and explained / - not applicable)\n| estimator |";
    for (const auto& c : checks) out << ' ' << c << " |";
    out << "\n|---|";
    for (std::size_t i = 0; i < checks.size(); ++i) out << "---|";
    out << '\n';
    for (const auto& [estimator, row] : results()) {
        out << "| " << estimator << " |";
        for (const auto& c : checks) {
            auto it = row.find(c);
            out << ' ' << (it == row.end() ? "-" : it->second) << " |";
        }
        out << '\n';
    }
    std::cout << out.str() << std::flush;
}

// ---------------------------------------------------------------------------------------------
// Data: three well separated blobs with arbitrary integer labels {-3, 7, 12}.

template <class T>
struct problem {
    Matrix<T> X;
    Labels classes_y;    // labels -3, 7, 12
    Vector<T> values_y;  // a noisy linear target
};

template <class T>
problem<T> make_problem(Index n = 90, Index d = 4, std::uint64_t seed = 5) {
    random_engine rng(seed);
    problem<T> p{Matrix<T>(n, d), Labels(n), Vector<T>(n)};
    const int labels[3] = {-3, 7, 12};
    for (Index i = 0; i < n; ++i) {
        const int k = static_cast<int>(i % 3);
        p.classes_y[i] = labels[k];
        T target = 0;
        for (Index j = 0; j < d; ++j) {
            p.X(i, j) = static_cast<T>(4.0 * ((k + j) % 3) + rng.normal());
            target += static_cast<T>(j + 1) * p.X(i, j);
        }
        p.values_y[i] = target + static_cast<T>(0.1 * rng.normal());
    }
    return p;
}

/// The battery's data for E: rounded when E takes whole-number categories.
template <class E, class T = scalar_of<E>>
problem<T> problem_for() {
    problem<T> p = make_problem<T>();
    if constexpr (needs_integer_features<E>) p.X = p.X.array().round().matrix();
    return p;
}

template <class E>
const auto& target_of(const problem<scalar_of<E>>& p) {
    if constexpr (std::same_as<typename E::target_type, Labels>) {
        return p.classes_y;
    } else {
        return p.values_y;
    }
}

/// Fits e on the problem, with targets when it is supervised.
template <class E, class M>
E& fit(E& e, const M& X, const problem<scalar_of<E>>& p) {
    if constexpr (supervised_estimator<E>) {
        return e.fit(X, target_of<E>(p).head(X.rows()));
    } else {
        return e.fit(X);
    }
}

/// What the estimator gives back for X, as a double matrix: predictions, else the transform.
template <class E, class M>
Matrix<double> output(const E& e, const M& X) {
    if constexpr (predictor<E>) {
        const auto out = e.predict(X);
        return Matrix<double>(out.template cast<double>());
    } else {
        return e.transform(X).template cast<double>();
    }
}

/// Runs one check, records it in the table and reports a failure to Catch2.
template <class F>
void run_check(const std::string& estimator, const std::string& check, F&& body) {
    bool ok = true;
    std::string why;
    try {
        ok = body();
    } catch (const std::exception& e) {
        ok = false;
        why = e.what();
    }
    results()[estimator][check] = ok ? "pass" : "FAIL";
    INFO(estimator << ": " << check << (why.empty() ? "" : " threw: " + why));
    CHECK(ok);
}

template <class F>
bool throws_with_message(F&& f) {
    try {
        f();
    } catch (const error& e) {
        return std::string(e.what()).size() > 10;
    }
    return false;
}

template <class Ex, class F>
bool throws_as(F&& f) {
    try {
        f();
    } catch (const Ex&) {
        return true;
    } catch (...) {
        return false;
    }
    return false;
}

/// Whether e's predict_proba can be called: always, except for the libsvm classifiers fitted
/// without `probability` (Platt scaling), where it throws as scikit-learn's is absent.
template <class E>
bool probabilities_available(const E& e) {
    if constexpr (requires { e.params().probability; }) {
        return e.params().probability;
    } else {
        return true;
    }
}

/// A default E that can give probabilities (`probability = true` where the Params have it).
template <class E>
E with_probabilities() {
    typename E::Params params{};
    if constexpr (requires { params.probability; }) params.probability = true;
    return E(params);
}

/// Fits E with `params`, saves it, loads it into a fresh object and compares: equal Params and
/// feature count, bit-identical outputs (predict or transform, predict_proba, decision_function),
/// and the loaded model saved again gives the same bytes (so every persisted array is equal).
/// Saving an unfitted E must throw not_fitted.
template <class E>
bool round_trip_holds(const problem<scalar_of<E>>& p, const typename E::Params& params = {}) {
    E e(params);
    fit(e, p.X, p);
    std::ostringstream file;
    io::save(e, file);
    const std::string bytes = file.str();
    std::istringstream in(bytes);
    const E loaded = io::load<E>(in);
    std::ostringstream again;
    io::save(loaded, again);
    bool ok = loaded.params() == e.params() && loaded.n_features_in() == e.n_features_in() && again.str() == bytes &&
              output(loaded, p.X) == output(e, p.X);
    if constexpr (requires { e.predict_proba(p.X); }) {
        if (probabilities_available(e)) ok = ok && loaded.predict_proba(p.X) == e.predict_proba(p.X);
    }
    if constexpr (requires { e.decision_function(p.X); }) {
        ok = ok && loaded.decision_function(p.X) == e.decision_function(p.X);
    }
    if constexpr (requires { e.transform(p.X); }) ok = ok && loaded.transform(p.X) == e.transform(p.X);
    return ok && throws_as<not_fitted>([&] {
               std::ostringstream out;
               io::save(E(params), out);
           });
}

// ---------------------------------------------------------------------------------------------

/// Every check that applies to E.
template <class E>
void battery() {
    using T = scalar_of<E>;
    static_assert(estimator<E>, "listed in the battery but not a kestrel::estimator");
    static_assert(std::default_initializable<E>);
    const std::string name(E::name);
    const auto p = problem_for<E>();

    run_check(name, "params round-trip", [&] {
        typename E::Params params{};
        if constexpr (has_alternative_params<E>) params = traits<E>::alternative_params();
        E e(params);
        bool ok = e.params() == params;
        E other;
        other.set_params(params);
        ok = ok && other.params() == params && !(E().params() != typename E::Params{});
        return ok;
    });

    run_check(name, "prints as scikit-learn's repr", [&] {
        const std::string plain = to_string(E());
        std::ostringstream out;
        out << E();
        bool ok = plain == name + "()" && out.str() == plain;
        if constexpr (has_alternative_params<E>) {
            const std::string changed = to_string(E(traits<E>::alternative_params()));
            ok = ok && changed.starts_with(name + "(") && changed.ends_with(")") &&
                 changed.find('=') != std::string::npos;
        }
        return ok;
    });

    run_check(name, "constructor only stores", [&] {
        if constexpr (has_invalid_params<E>) {
            E e(traits<E>::invalid_params());                                                // must not throw here ...
            return !e.is_fitted() && throws_as<invalid_parameter>([&] { fit(e, p.X, p); });  // ... but at fit
        } else {
            return !E().is_fitted();
        }
    });

    run_check(name, "fit returns *this", [&] {
        E e;
        return &fit(e, p.X, p) == &e && e.is_fitted();
    });

    run_check(name, "not_fitted before fit", [&] {
        const E e;
        return throws_as<not_fitted>([&] { output(e, p.X); });
    });

    run_check(name, "n_features_in", [&] {
        E e;
        fit(e, p.X, p);
        return e.n_features_in() == p.X.cols();
    });

    // Estimators that take NaN as a missing value (`static constexpr bool allow_nan = true`, the
    // trees) must accept it and refuse infinity; every other one refuses both.
    run_check(name, allows_nan<E> ? "inf rejected, NaN taken as missing at fit" : "NaN/inf rejected at fit", [&] {
        bool ok = true;
        for (T bad : {std::numeric_limits<T>::quiet_NaN(), std::numeric_limits<T>::infinity()}) {
            Matrix<T> X = p.X;
            X(3, 1) = bad;
            E e;
            if (allows_nan<E> && bad != bad) {
                fit(e, X, p);
                ok = ok && e.is_fitted();
            } else {
                ok = ok && throws_as<invalid_input>([&] { fit(e, X, p); });
            }
        }
        return ok;
    });

    run_check(name, allows_nan<E> ? "inf rejected, NaN taken as missing at predict" : "NaN/inf rejected at predict",
              [&] {
                  E e;
                  fit(e, p.X, p);
                  bool ok = true;
                  for (T bad : {std::numeric_limits<T>::quiet_NaN(), -std::numeric_limits<T>::infinity()}) {
                      Matrix<T> X = p.X.topRows(5);
                      X(2, 0) = bad;
                      if (allows_nan<E> && bad != bad) {
                          if constexpr (nan_unknown_at_predict<E>) continue;
                          ok = ok && output(e, X).rows() == 5;
                      } else {
                          ok = ok && throws_as<invalid_input>([&] { output(e, X); });
                      }
                  }
                  return ok;
              });

    run_check(name, "empty or misshapen input rejected", [&] {
        E e0, e1;
        const bool no_samples = throws_with_message([&] { fit(e0, Matrix<T>(0, p.X.cols()), p); });
        const bool no_features = throws_with_message([&] { fit(e1, Matrix<T>(p.X.rows(), 0), p); });
        E e;
        fit(e, p.X, p);
        const Matrix<T> wide = Matrix<T>::Ones(3, p.X.cols() + 1);
        bool wrong_width = false;
        try {
            output(e, wide);
        } catch (const invalid_input& ex) {
            wrong_width =
                std::string(ex.what()).find("X has " + std::to_string(wide.cols()) + " features") != std::string::npos;
        }
        return no_samples && no_features && wrong_width;
    });

    run_check(name, "refit is reproducible", [&] {
        E a, b;
        fit(a, p.X, p);
        fit(b, p.X, p);
        fit(a, p.X, p);  // a refitted object equals a fresh one
        return output(a, p.X) == output(b, p.X);
    });

    run_check(name, "invariant to batching", [&] {
        E e;
        fit(e, p.X, p);
        const Matrix<double> whole = output(e, p.X);
        Matrix<double> parts(whole.rows(), whole.cols());
        Index start = 0;
        for (Index size : {Index(1), Index(7), Index(30), p.X.rows() - 38}) {
            parts.middleRows(start, size) = output(e, p.X.middleRows(start, size));
            start += size;
        }
        return parts == whole;
    });

    run_check(name, "invariant to row order", [&] {
        E e;
        fit(e, p.X, p);
        const Matrix<double> whole = output(e, p.X);
        const Matrix<T> reversed = p.X.colwise().reverse();
        const Matrix<double> out = output(e, reversed);
        return out == Matrix<double>(whole.colwise().reverse());
    });

    run_check(name, "const methods thread-safe", [&] {
        E e;
        fit(e, p.X, p);
        const E& shared = e;
        const Matrix<double> expected = output(shared, p.X);
        std::vector<Matrix<double>> got(4);
        std::vector<std::thread> threads;
        for (std::size_t t = 0; t < got.size(); ++t) {
            threads.emplace_back([&, t] {
                for (int r = 0; r < 3; ++r) got[t] = output(shared, p.X);
            });
        }
        for (auto& th : threads) th.join();
        return std::all_of(got.begin(), got.end(), [&](const Matrix<double>& g) { return g == expected; });
    });

    run_check(name, "float in, float out", [&] {
        using F = typename with_float<E>::type;
        const auto pf = problem_for<E, float>();
        F e;
        fit(e, pf.X, pf);
        if constexpr (predictor<F>) {
            using Out = decltype(e.predict(pf.X));
            static_assert(std::same_as<Out, Labels> || std::same_as<Out, Vector<float>>);
        } else {
            static_assert(std::same_as<decltype(e.transform(pf.X)), Matrix<float>>);
        }
        return e.n_features_in() == pf.X.cols();
    });

    run_check(name, "save/load round trip (double)", [&] {
        if constexpr (has_alternative_params<E>) return round_trip_holds<E>(p, traits<E>::alternative_params());
        return round_trip_holds<E>(p);
    });

    run_check(name, "save/load round trip (float)", [&] {
        using F = typename with_float<E>::type;
        return round_trip_holds<F>(problem_for<E, float>());
    });

    run_check(name, "column-major and Map inputs equal row-major", [&] {
        const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> col_major = p.X;
        const Eigen::Map<const Matrix<T>> map(p.X.data(), p.X.rows(), p.X.cols());
        E a, b, c;
        fit(a, p.X, p);
        fit(b, col_major, p);
        fit(c, map, p);
        const Matrix<double> ref = output(a, p.X);
        return output(b, col_major) == ref && output(c, map) == ref && output(a, col_major) == ref;
    });

    if constexpr (classifier<E>) {
        run_check(name, "classes() are the original labels", [&] {
            E e;
            e.fit(p.X, p.classes_y);
            const Labels classes = e.classes();
            const Labels predicted = e.predict(p.X);
            bool ok = classes.size() == 3 && classes(0) == -3 && classes(1) == 7 && classes(2) == 12;
            for (Index i = 0; i < predicted.size(); ++i) {
                ok = ok && (predicted[i] == -3 || predicted[i] == 7 || predicted[i] == 12);
            }
            return ok;
        });
        if constexpr (!one_class_fits<E>) {
            run_check(name, "one class only rejected", [&] {
                E e;
                return throws_as<invalid_input>([&] { e.fit(p.X, Labels::Constant(p.X.rows(), 7)); });
            });
        }
        static_assert(
            !requires(E & e, const Matrix<T>& X, const Vector<T>& y) { e.fit(X, y); },
            "a classifier must not accept a continuous target");
    }
    if constexpr (probabilistic_classifier<E>) {
        // Platt's probabilities (the libsvm classifiers) come from cross-validated sigmoids, and
        // predict votes on the decision values, so their argmax may differ from predict, as in
        // scikit-learn: there only most rows must agree.
        constexpr bool platt = requires(const E& e) { e.params().probability; };
        run_check(name,
                  platt ? "predict_proba rows sum to 1, argmax = predict on >= 80% of rows"
                        : "predict_proba rows sum to 1, argmax = predict",
                  [&] {
                      E e = with_probabilities<E>();
                      e.fit(p.X, p.classes_y);
                      const Matrix<T> proba = e.predict_proba(p.X);
                      const Labels predicted = e.predict(p.X);
                      bool ok = proba.cols() == 3 && (proba.array() >= T(0)).all();
                      Index agree = 0;
                      for (Index i = 0; i < proba.rows(); ++i) {
                          Index best = 0;
                          proba.row(i).maxCoeff(&best);
                          ok = ok && std::abs(proba.row(i).sum() - T(1)) < T(1e-5);
                          agree += e.classes()(best) == predicted[i];
                      }
                      return ok && (platt ? 5 * agree >= 4 * proba.rows() : agree == proba.rows());
                  });
    }
    if constexpr (weights_not_repeats<E>) {
        for (const char* check : {"integer weights equal repeated rows", "zero weight equals dropping the row"}) {
            results()[name][check] = "xfail";
            WARN(name << ": " << check << " is not expected to hold: " << traits<E>::weights_not_repeats);
        }
    } else if constexpr (weighted_supervised<E> || weighted_unsupervised<E>) {
        // Both sides of each comparison start from the same centres when the estimator takes them.
        auto weighted_fit = [&](E& e, const Matrix<T>& X, const problem<T>& data, const Vector<T>& w) -> E& {
            if constexpr (weighted_supervised<E>) {
                return e.fit(X, target_of<E>(data).head(X.rows()), w);
            } else if constexpr (has_fit_from<E>) {
                return e.fit_from(X, p.X.topRows(e.params().n_clusters), w);
            } else {
                return e.fit(X, w);
            }
        };
        auto fit = [&](E& e, const Matrix<T>& X, const problem<T>& data) -> E& {
            if constexpr (has_fit_from<E>) {
                return e.fit_from(X, p.X.topRows(e.params().n_clusters), Vector<T>::Ones(X.rows()));
            } else {
                return conformance::fit(e, X, data);
            }
        };
        // Tolerance: weights change the summation order, so agree to rounding, not bitwise.
        auto close = [](const Matrix<double>& a, const Matrix<double>& b) {
            return a.rows() == b.rows() && a.cols() == b.cols() &&
                   ((a - b).cwiseAbs().maxCoeff() <= 1e-4 * std::max(1.0, b.cwiseAbs().maxCoeff()));
        };
        run_check(name, "integer weights equal repeated rows", [&] {
            const Index n = p.X.rows();
            Vector<T> w(n);
            std::vector<Index> rows;
            for (Index i = 0; i < n; ++i) {
                w[i] = static_cast<T>(1 + i % 3);
                for (int r = 0; r < 1 + i % 3; ++r) rows.push_back(i);
            }
            problem<T> repeated{Matrix<T>(static_cast<Index>(rows.size()), p.X.cols()),
                                Labels(static_cast<Index>(rows.size())), Vector<T>(static_cast<Index>(rows.size()))};
            for (std::size_t k = 0; k < rows.size(); ++k) {
                repeated.X.row(static_cast<Index>(k)) = p.X.row(rows[k]);
                repeated.classes_y[static_cast<Index>(k)] = p.classes_y[rows[k]];
                repeated.values_y[static_cast<Index>(k)] = p.values_y[rows[k]];
            }
            E a, b;
            weighted_fit(a, p.X, p, w);
            fit(b, repeated.X, repeated);
            return close(output(a, p.X), output(b, p.X));
        });
        run_check(name, "zero weight equals dropping the row", [&] {
            const Index n = p.X.rows();
            Vector<T> w = Vector<T>::Ones(n);
            w.tail(6).setZero();
            E a, b;
            weighted_fit(a, p.X, p, w);
            fit(b, p.X.topRows(n - 6), p);
            return close(output(a, p.X), output(b, p.X));
        });
    }
}

// The battery on every estimator of a tuple type (the list a test file names).
template <class... E>
void run_all(std::tuple<E...>*) {
    (battery<E>(), ...);
}

}  // namespace kestrel::conformance
