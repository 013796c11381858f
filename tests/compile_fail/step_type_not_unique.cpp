// A Pipeline step named by a type that is more than one of its steps is ambiguous: a compile
// error asks for the step's index instead.
#include <kestrel/linear_model/logistic_regression.hpp>
#include <kestrel/model_selection/grid_search.hpp>
#include <kestrel/pipeline/pipeline.hpp>
#include <kestrel/preprocessing/standard_scaler.hpp>

int main() {
    namespace ms = kestrel::model_selection;
    using LR = kestrel::linear_model::LogisticRegression<>;
    using Scaler = kestrel::preprocessing::StandardScaler<>;
    auto pipe = kestrel::pipeline::make_pipeline(Scaler(), Scaler(), LR());
#ifdef KESTREL_COMPILE_FAIL
    const auto grid =
        ms::param_grid(pipe.params(), ms::axis(ms::step<Scaler>(&Scaler::Params::with_std), {true, false}));
#else
    const auto grid = ms::param_grid(pipe.params(), ms::axis(ms::step<1>(&Scaler::Params::with_std), {true, false}));
#endif
    return grid.size() == 2 ? 0 : 1;
}
