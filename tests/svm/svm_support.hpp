// What several SVM tests use. The SVM tests compile as one translation unit (tests/CMakeLists.txt),
// so what they share is defined once, here.
#pragma once

#include <string>
#include <vector>

#include "fixtures.hpp"

namespace kestrel::test {

/// |a − b| relative to |b|, entries below 1e-2 in size compared absolutely to 1e-2 (dual
/// coefficients and decision values are O(1); a relative error of a value near 0 says nothing).
template <class A, class B>
double parity(const A& a, const B& b) {
    return max_relative_error(a.template cast<double>(), b, 1e-2);
}

/// |a − b| relative to |b|, entries below 1 in size compared absolutely (the linear SVMs'
/// coefficients and decision values are O(1)).
template <class A, class B>
double coef_parity(const A& a, const B& b) {
    return max_relative_error(a.template cast<double>(), b, 1.0);
}

/// The kernels gen_svm.py fits every kernel SVM with.
inline const std::vector<std::string> svm_kernels{"linear", "poly", "rbf", "sigmoid"};

}  // namespace kestrel::test
