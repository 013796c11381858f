// A Pipeline step named by an index past the last step, or by a type that is not one of the
// steps, is a compile error saying so when the axis meets the Pipeline's Params.
#include <kestrel/linear_model/logistic_regression.hpp>
#include <kestrel/model_selection/grid_search.hpp>
#include <kestrel/pipeline/pipeline.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>

int main() {
    namespace ms = kestrel::model_selection;
    using LR = kestrel::linear_model::LogisticRegression<>;
    auto pipe = kestrel::pipeline::make_pipeline(kestrel::preprocessing::StandardScaler<>(), LR());
#ifdef KESTREL_COMPILE_FAIL
    const auto grid = ms::param_grid(pipe.params(), ms::axis(ms::step<2>(&LR::Params::C), {0.1, 1.0}));
#else
    const auto grid = ms::param_grid(pipe.params(), ms::axis(ms::step<1>(&LR::Params::C), {0.1, 1.0}));
#endif
    return grid.size() == 2 ? 0 : 1;
}
