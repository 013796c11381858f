// A bare-metal Cortex-M4 program around one header written by io::export_cpp: it shows that an
// exported model builds for a microcontroller (C++17, no exceptions, no RTTI, newlib with the
// nosys stubs, no C++ runtime library) and gives the linked image's size. tests/edge/cortex_m4.sh
// builds it once per model, with
//   -DMODEL_HEADER=\"forest_classifier_float.hpp\" -DMODEL=forest_classifier_float
// and -DMODEL_PREDICT_PROBA=1 for a classifier with probabilities (then predict_proba is called as
// well). Without MODEL_HEADER it builds the same program with no model, the baseline the model's
// cost is read against.
//
// The row is read from a volatile array (a debugger or a host link would fill it in), so that
// nothing is folded at compile time, and each result goes to a volatile, so that no call is
// dropped. Only header-only parts of the standard library are used: the exported header's
// <array>, <cmath> and <cstdint>.
#ifdef MODEL_HEADER
#include MODEL_HEADER

namespace {

using row_type = std::array<MODEL::scalar, MODEL::n_features>;
using result_type = decltype(MODEL::predict(row_type{}));

volatile MODEL::scalar input[MODEL::n_features];
volatile result_type predicted;
#if MODEL_PREDICT_PROBA
volatile MODEL::scalar probability[MODEL::n_classes];
#endif

}  // namespace

int main() {
    row_type row;
    for (int j = 0; j < MODEL::n_features; ++j) row[j] = input[j];
    predicted = MODEL::predict(row);
#if MODEL_PREDICT_PROBA
    const auto p = MODEL::predict_proba(row);
    for (int k = 0; k < MODEL::n_classes; ++k) probability[k] = p[k];
#endif
    return 0;
}

#else  // the baseline: start-up code and the C library's stubs, no model

namespace {
volatile int input;
volatile int predicted;
}  // namespace

int main() {
    predicted = input;
    return 0;
}

#endif
