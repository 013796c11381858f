#pragma once
/// \file
/// kestrel::model_selection: train/test splits, cross-validation splitters, cross-validation with
/// scorers, and the grid and randomized hyperparameter searches, as sklearn.model_selection.

#include "model_selection/cross_validation.hpp"
#include "model_selection/grid_search.hpp"
#include "model_selection/kfold.hpp"
#include "model_selection/randomized_search.hpp"
#include "model_selection/scoring.hpp"
#include "model_selection/stratified_kfold.hpp"
#include "model_selection/train_test_split.hpp"
