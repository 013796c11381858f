#pragma once
/// \file
/// kestrel::preprocessing: scalers and encoders, as sklearn.preprocessing.

#include "preprocessing/standard_scaler.hpp"
