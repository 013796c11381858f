#pragma once
/// \file
/// kestrel::linear_model: linear regressors and logistic regression, as sklearn.linear_model.

#include "linear_model/elastic_net.hpp"
#include "linear_model/lasso.hpp"
#include "linear_model/linear_regression.hpp"
#include "linear_model/logistic_regression.hpp"
#include "linear_model/ridge.hpp"
