#pragma once
/// \file
/// kestrel::preprocessing: scalers and encoders, as sklearn.preprocessing.

#include "preprocessing/label_encoder.hpp"
#include "preprocessing/max_abs_scaler.hpp"
#include "preprocessing/min_max_scaler.hpp"
#include "preprocessing/normalizer.hpp"
#include "preprocessing/one_hot_encoder.hpp"
#include "preprocessing/ordinal_encoder.hpp"
#include "preprocessing/polynomial_features.hpp"
#include "preprocessing/robust_scaler.hpp"
#include "preprocessing/standard_scaler.hpp"
