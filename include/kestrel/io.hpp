#pragma once
/// \file
/// kestrel::io: data interchange with NumPy (.npy, .npz), CSV and libsvm text files.

#include "io/csv.hpp"
#include "io/libsvm.hpp"
#include "io/npy.hpp"
#include "io/npz.hpp"
#include "io/persistence.hpp"
