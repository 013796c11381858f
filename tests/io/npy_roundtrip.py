"""The NumPy side of tests/io/npy_roundtrip_numpy.cpp.

  npy_roundtrip.py write DIR   writes py_<dtype>_<order>.npy (float32/float64/int32/int64, C and
                               Fortran order, little- and big-endian) and py_<dtype>_1d.npy
  npy_roundtrip.py check DIR   loads kestrel_<dtype>.npy and kestrel_<dtype>_1d.npy written by
                               kestrel and exits non-zero unless dtype, shape and values are right

Both sides use the pattern value(i, j) = (i * COLS + j) * STEP + OFFSET, exact in every dtype.
"""
import os
import sys

import numpy as np

ROWS, COLS = 5, 3
DTYPES = {"f4": (0.375, -2.5), "f8": (0.375, -2.5), "i4": (1, -7), "i8": (2**33, -7)}


def pattern(dtype, shape):
    step, offset = DTYPES[dtype]
    values = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    if dtype == "i8":
        return (values.astype(np.int64) * step + offset).astype("<i8")
    return (values * step + offset).astype("<" + dtype)


def write(directory):
    for dtype in DTYPES:
        for order in ("C", "F"):
            for endian in ("<", ">"):
                a = np.asarray(pattern(dtype, (ROWS, COLS)), dtype=endian + dtype, order=order)
                name = f"py_{dtype}_{order}_{'big' if endian == '>' else 'little'}.npy"
                np.save(os.path.join(directory, name), a)
        np.save(os.path.join(directory, f"py_{dtype}_1d.npy"), pattern(dtype, (ROWS,)))


def check(directory):
    failures = []
    for dtype in DTYPES:
        for suffix, shape in (("", (ROWS, COLS)), ("_1d", (ROWS,))):
            name = f"kestrel_{dtype}{suffix}.npy"
            a = np.load(os.path.join(directory, name), allow_pickle=False)
            expected = pattern(dtype, shape)
            if a.dtype != np.dtype("<" + dtype) or a.shape != shape or not np.array_equal(a, expected):
                failures.append(f"{name}: got dtype {a.dtype}, shape {a.shape}, values {a.ravel().tolist()}")
    for failure in failures:
        print(failure)
    return 1 if failures else 0


if __name__ == "__main__":
    command, directory = sys.argv[1], sys.argv[2]
    sys.exit(write(directory) or 0 if command == "write" else check(directory))
