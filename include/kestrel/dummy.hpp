#pragma once
/// \file
/// kestrel::dummy: baselines that ignore the features, as sklearn.dummy.

#include "dummy/dummy_classifier.hpp"
