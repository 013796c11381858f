#pragma once
/// \file
/// kestrel::impute: filling in missing values, as sklearn.impute.

#include "impute/simple_imputer.hpp"
