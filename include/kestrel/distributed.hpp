#pragma once
/// \file
/// kestrel::distributed: estimators fitted over the rows of every rank of an MPI communicator,
/// each holding the same model on every rank: as the single-process estimator fitted on all rows,
/// or for the forests, trees each grown over the rows of one rank. HistGradientBoosting grows
/// every tree over every rank's rows from histograms summed over the ranks.
/// Link the CMake target kestrel::distributed (configure with -DKESTREL_WITH_MPI=ON); the rest of
/// kestrel never needs MPI. Read a rank's rows of one file with io::load_npy(path, first_row, n_rows).

#include "distributed/communicator.hpp"
#include "distributed/forest.hpp"
#include "distributed/hist_gradient_boosting.hpp"
#include "distributed/kmeans.hpp"
#include "distributed/linear_regression.hpp"
#include "distributed/logistic_regression.hpp"
#include "distributed/standard_scaler.hpp"
