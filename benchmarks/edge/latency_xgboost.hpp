#pragma once
// XGBoost's one-row latency through its C API (latency_xgboost.cpp; built when XGBoost is found).
#include "latency_data.hpp"

namespace kestrel::bench {

void xgboost_latency(const latency_data& data);

}  // namespace kestrel::bench
