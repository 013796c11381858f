#pragma once
/// \file
/// The synthetic data generators: make_blobs, make_classification, make_regression.

#include "make_blobs.hpp"
#include "make_classification.hpp"
#include "make_regression.hpp"
