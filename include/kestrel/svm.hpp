#pragma once
/// \file
/// kestrel::svm: support vector machines with kernels, as sklearn.svm (libsvm's solver).

#include "svm/svc.hpp"
#include "svm/svr.hpp"
