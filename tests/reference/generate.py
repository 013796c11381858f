"""Regenerates every fixture under tests/reference/ by running each gen_*.py in this folder.

Usage: /usr/bin/python3 tests/reference/generate.py

Results computed through BLAS or LAPACK (most fits, weighted scalers, silhouettes, k-means
transforms) can differ in their last bits from one host to another: commit regenerated cases with
the change that needs them, not as a side effect of running this script.
"""
import glob
import os
import runpy
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

for script in sorted(glob.glob(os.path.join(HERE, "gen_*.py"))):
    print("running", os.path.basename(script))
    runpy.run_path(script, run_name="__main__")
