#pragma once
/// \file
/// kestrel's core: types, Dataset, concepts, errors, parameter checks, the random engine, the
/// warning path and progress callbacks.

#include "core/concepts.hpp"
#include "core/dataset.hpp"
#include "core/error.hpp"
#include "core/params.hpp"
#include "core/progress.hpp"
#include "core/random.hpp"
#include "core/types.hpp"
#include "core/warnings.hpp"
#include "core/weights.hpp"
