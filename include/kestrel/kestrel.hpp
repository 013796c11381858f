#pragma once
/// \file
/// Everything kestrel offers, for applications. kestrel's own headers never include this one:
/// include a module (`kestrel/cluster.hpp`) or an estimator (`kestrel/cluster/kmeans.hpp`) to
/// compile less.

#include "cluster.hpp"
#include "core.hpp"
#include "datasets.hpp"
#include "dummy.hpp"
#include "ensemble.hpp"
#include "impute.hpp"
#include "io.hpp"
#include "linear_model.hpp"
#include "metrics.hpp"
#include "model_selection.hpp"
#include "pipeline.hpp"
#include "preprocessing.hpp"
#include "svm.hpp"
#include "tree.hpp"
