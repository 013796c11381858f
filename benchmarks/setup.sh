#!/bin/sh
# Installs, when missing, what the benchmarks need beyond kestrel's own build dependencies:
# Google Benchmark, the reference implementations of benchmarks/README.md, scikit-learn for
# /usr/bin/python3, and an optimised BLAS (OpenBLAS) for NumPy and Armadillo, without which
# their references would run on Debian's unoptimised reference BLAS.
# Usage: sh benchmarks/setup.sh   (as root, or with sudo available)
set -eu
here=$(dirname "$0")
sh "$here/../cmake/install-deps.sh" libbenchmark-dev libarmadillo-dev libdlib-dev liblinear-dev libsvm-dev \
    libxgboost-dev python3-xgboost r-cran-ranger python3-sklearn python3-threadpoolctl libopenblas0-pthread
