#pragma once
/// \file
/// kestrel::pipeline: Pipeline and make_pipeline, as sklearn.pipeline.

#include "pipeline/pipeline.hpp"
