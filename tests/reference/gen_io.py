"""Fixtures for kestrel::io: small .npy and .npz files written by NumPy, CSV and libsvm files with
the values Python's own readers (csv + float, scikit-learn's load_svmlight_file) get from them.

Usage: /usr/bin/python3 tests/reference/gen_io.py
"""
import csv
import io
import os
import sys
import zipfile

import numpy as np
from sklearn.datasets import load_svmlight_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures import HERE, Case  # noqa: E402

OUT = os.path.join(HERE, "io")


def save(name, array, version=None):
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        np.lib.format.write_array(f, array, version=version)


def npy_fixtures():
    base = np.arange(12).reshape(3, 4) - 5  # negative, zero and positive values
    floats = base * 0.25  # exact in float32 and float64
    case = Case("io/npy", "the values of the .npy files in this folder")
    case.add("float_values", floats, "the 3x4 array in every f4/f8 fixture file")
    case.add("int_values", base, "the 3x4 array in every i4/i8 fixture file")
    for dtype in ("f4", "f8"):
        save(f"{dtype}_c.npy", floats.astype("<" + dtype))
        save(f"{dtype}_f.npy", np.asfortranarray(floats.astype("<" + dtype)))
        save(f"{dtype}_big.npy", np.asfortranarray(floats.astype(">" + dtype)))
    for dtype in ("i4", "i8"):
        save(f"{dtype}_c.npy", base.astype("<" + dtype))
        save(f"{dtype}_f.npy", np.asfortranarray(base.astype("<" + dtype)))
        save(f"{dtype}_big.npy", base.astype(">" + dtype))
    save("f8_v2.npy", floats.astype("<f8"), version=(2, 0))
    save("f8_v3.npy", floats.astype("<f8"), version=(3, 0))
    one_d = np.array([1.5, -2.0, 1e-300, 3.25e10, np.pi])
    case.add("1d_values", one_d, "the 1-D array in f8_1d.npy")
    save("f8_1d.npy", one_d)
    save("f8_0d.npy", np.array(2.5))
    save("f8_empty.npy", np.zeros((0, 3)))
    large = np.array([[2**40 + 1, -(2**33)], [7, 2**31]], dtype="<i8")
    case.add("i8_large_values", large.astype(np.float64), "i8_large.npy: needs 64 bits")
    save("i8_large.npy", large)
    save("f8_fraction.npy", np.array([[1.0, 2.5]]))
    save("u1_c.npy", np.abs(base).astype("u1"))
    save("f8_3d.npy", np.zeros((2, 2, 2)))
    case.save()


CSV_QUOTED = (
    'sepal length,"petal, width"  ,"say ""hi""", label\r\n'
    '5.1, 0.2,"3",0\r\n'
    '\r\n'
    '"4.9",+0.5,-1e-3 ,1\r\n'
    '6.0,"1.5e2",nan,2\r\n'
)
CSV_SEMICOLON = "10;1.5;2\n20;-2.5;4\n30;3.5;6\n"
LIBSVM = (
    "# a comment line\n"
    "+1 1:0.5 3:-1.25 # trailing comment\n"
    "-1 qid:3 2:4 4:1e-2\n"
    "\n"
    "+1\n"
    "-1 1:1 2:2 3:3 4:4\n"
)


def csv_values(text, delimiter, header):
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True))
    rows = [[cell.strip() for cell in row] for row in rows if row]
    names = rows[0] if header else []
    return names, np.array([[float(c) for c in row] for row in rows[1 if header else 0:]])


def text_fixtures():
    for name, text in (("quoted.csv", CSV_QUOTED), ("semicolon.csv", CSV_SEMICOLON), ("sparse.libsvm", LIBSVM)):
        with open(os.path.join(OUT, name), "w", newline="") as f:
            f.write(text)
    names, values = csv_values(CSV_QUOTED, ",", True)
    with Case("io/quoted_csv", "quoted.csv read by Python's csv module and float()") as case:
        case.add("values", values)
        case.add_text("names", names)
    _, values = csv_values(CSV_SEMICOLON, ";", False)
    with Case("io/semicolon_csv", "semicolon.csv read by Python's csv module and float()") as case:
        case.add("values", values)
    X, y = load_svmlight_file(os.path.join(OUT, "sparse.libsvm"), zero_based=False)
    with Case("io/sparse_libsvm", "sparse.libsvm by sklearn load_svmlight_file(zero_based=False)") as case:
        case.add("X", X.toarray())
        case.add("y", y)


def npz_fixtures():
    """Archives as np.savez and np.savez_compressed write them. npz_savez.npz holds the arrays of
    f8_c, f4_f, i4_big, i8_c, f8_1d, f8_0d and f8_empty.npy under those names, and text."""
    base = np.arange(12).reshape(3, 4) - 5
    floats = base * 0.25
    arrays = {
        "f8_c": floats.astype("<f8"),
        "f4_f": np.asfortranarray(floats.astype("<f4")),
        "i4_big": base.astype(">i4"),
        "i8_c": base.astype("<i8"),
        "f8_1d": np.array([1.5, -2.0, 1e-300, 3.25e10, np.pi]),
        "f8_0d": np.array(2.5),
        "f8_empty": np.zeros((0, 3)),
        "note": np.array("h\u00e9llo, w\u00f6rld \u2713 \U0001d11e"),  # 1-, 2-, 3- and 4-byte UTF-8
        "names": np.array(["sepal length", "", "petal, width"]),
        "names_big": np.array(["ab", "\u00e9"], dtype=">U2"),
        "codes": np.array([b"ab", b"c", b""]),
    }
    np.savez(os.path.join(OUT, "npz_savez.npz"), **arrays)
    np.savez_compressed(os.path.join(OUT, "npz_compressed.npz"), f8_c=arrays["f8_c"])
    # Python's zipfile writes the zip64 end records and extra fields only past 4 GiB or 65,535
    # members; with its limits lowered it writes them for a small archive too.
    limits = zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT
    zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = 0, 0
    try:
        np.savez(os.path.join(OUT, "npz_zip64.npz"), f8_c=arrays["f8_c"], i8_c=arrays["i8_c"])
    finally:
        zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = limits
    np.savez(os.path.join(OUT, "npz_u1.npz"), f8_c=arrays["f8_c"], u1=np.abs(base).astype("u1"))
    np.savez(os.path.join(OUT, "npz_text_2d.npz"), table=np.array([["a", "b"], ["c", "d"]]))


def main():
    os.makedirs(OUT, exist_ok=True)
    print(f"io fixtures with numpy {np.__version__}")
    npy_fixtures()
    text_fixtures()
    npz_fixtures()


if __name__ == "__main__":
    main()
