#pragma once
/// \file
/// kestrel::preprocessing: scalers and encoders, as sklearn.preprocessing.

#include "preprocessing/label_encoder.hpp"
#include "preprocessing/min_max_scaler.hpp"
#include "preprocessing/one_hot_encoder.hpp"
#include "preprocessing/standard_scaler.hpp"
