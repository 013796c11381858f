"""Writes reference arrays in the text format tests/support/fixtures.hpp reads.

Every generator script in this folder imports `write` from here, and `generate.py` runs them all.
Run with Debian's interpreter, which has scikit-learn: /usr/bin/python3 tests/reference/generate.py
"""
import os
import platform

import numpy as np
import scipy
import sklearn

HERE = os.path.dirname(os.path.abspath(__file__))
PROVENANCE = (
    f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, scipy {scipy.__version__}, "
    f"python {platform.python_version()}"
)


def write(name, array, note=""):
    """Write `array` (scalar, 1-D or 2-D) to tests/reference/<name> with 17 significant digits."""
    a = np.asarray(array, dtype=np.float64)
    if a.ndim == 0:
        a = a.reshape(1, 1)
    elif a.ndim == 1:
        a = a.reshape(-1, 1)
    elif a.ndim != 2:
        raise ValueError(f"{name}: only up to 2-D arrays are stored")
    path = os.path.join(HERE, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(f"# {PROVENANCE}\n")
        if note:
            f.write(f"# {note}\n")
        f.write(f"shape {a.shape[0]} {a.shape[1]}\n")
        for row in a:
            f.write(" ".join(repr(float(v)) if np.isfinite(v) else str(v) for v in row) + "\n")
