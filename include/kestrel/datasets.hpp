#pragma once
/// \file
/// kestrel::datasets: the embedded toy datasets and the synthetic generators, as sklearn.datasets.

#include "datasets/breast_cancer.hpp"
#include "datasets/diabetes.hpp"
#include "datasets/digits.hpp"
#include "datasets/generators.hpp"
#include "datasets/iris.hpp"
#include "datasets/wine.hpp"
