#pragma once
/// \file
/// kestrel::metrics: classification, regression, ranking and clustering scores, as sklearn.metrics.

#include "metrics/classification.hpp"
#include "metrics/cluster.hpp"
#include "metrics/ranking.hpp"
#include "metrics/regression.hpp"
