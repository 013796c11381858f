#pragma once
/// \file
/// kestrel::io: data interchange with NumPy (.npy), CSV and libsvm text files.

#include "io/csv.hpp"
#include "io/libsvm.hpp"
#include "io/npy.hpp"
