#pragma once
/// \file
/// kestrel's core: types, Dataset, concepts, errors, parameter checks and the random engine.

#include "core/concepts.hpp"
#include "core/dataset.hpp"
#include "core/error.hpp"
#include "core/params.hpp"
#include "core/random.hpp"
#include "core/types.hpp"
#include "core/weights.hpp"
