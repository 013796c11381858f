"""Writes the reference cases tests/support/fixtures.hpp reads.

A case is one file, tests/reference/<module>/<case>.npz, as np.savez writes it: the case's named
arrays, and a text member "provenance" naming the script that wrote it, the versions of Python,
NumPy, SciPy and scikit-learn it ran with, and what the arrays are. Numbers are stored as float64
(scalars 0-D, vectors 1-D, tables 2-D), text as NumPy unicode arrays.

Every generator script in this folder writes its cases through `Case`, and `generate.py` runs them
all. Run with Debian's interpreter, which has scikit-learn: /usr/bin/python3 tests/reference/generate.py
"""
import os
import platform
import sys

import numpy as np
import scipy
import sklearn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
VERSIONS = (
    f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, scipy {scipy.__version__}, "
    f"python {platform.python_version()}"
)
_written = set()


class Case:
    """One case file. Use as

        with Case("cluster/digits_lloyd", "KMeans(...) on digits") as case:
            case.add("labels", km.labels_)
            case.add("transform_head", km.transform(X[:5]), "transform of the first 5 rows")

    which writes tests/reference/cluster/digits_lloyd.npz when the block ends without an error
    (or call `save()`). `note` says what the whole case is; a member's note what that array is.
    """

    def __init__(self, name, note=""):
        self.name = name
        self.note = note
        self.arrays = {}
        self.notes = []
        # The generator script whose code creates the case (directly or through its helpers).
        self.script = os.path.relpath(sys._getframe(1).f_globals["__file__"], ROOT)

    def add(self, member, value, note=""):
        """Store `value` (a number, or a 1-D or 2-D array of numbers) as float64."""
        a = np.asarray(value, dtype=np.float64)
        if a.ndim > 2:
            raise ValueError(f"{self.name}/{member}: only up to 2-D arrays are stored")
        self._put(member, a, note)

    def add_text(self, member, text, note=""):
        """Store a string (0-D) or a list of strings (1-D) as a NumPy unicode array."""
        a = np.array(text, dtype=np.str_)
        if a.ndim > 1:
            raise ValueError(f"{self.name}/{member}: text is a string or a list of strings")
        self._put(member, a, note)

    def save(self):
        if self.name in _written:
            raise ValueError(f"case {self.name} is written twice")
        _written.add(self.name)
        lines = [f"written by {self.script} with {VERSIONS}"]
        if self.note:
            lines.append(self.note)
        lines += [f"{member}: {note}" for member, note in self.notes]
        path = os.path.join(HERE, self.name + ".npz")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        np.savez(path, provenance=np.array("\n".join(lines)), **self.arrays)

    def _put(self, member, array, note):
        if member in self.arrays or member in ("provenance", "file"):  # np.savez's own argument is `file`
            raise ValueError(f"{self.name}: member {member} is written twice or reserved")
        self.arrays[member] = array
        if note:
            self.notes.append((member, note))

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if kind is None:
            self.save()
