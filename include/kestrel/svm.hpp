#pragma once
/// \file
/// kestrel::svm: support vector machines, as sklearn.svm: SVC, NuSVC, SVR, NuSVR and OneClassSVM
/// with kernels (libsvm's solver), LinearSVC and LinearSVR (liblinear's solvers).

#include "svm/linear_svc.hpp"
#include "svm/linear_svr.hpp"
#include "svm/nu_svc.hpp"
#include "svm/nu_svr.hpp"
#include "svm/one_class_svm.hpp"
#include "svm/svc.hpp"
#include "svm/svr.hpp"
