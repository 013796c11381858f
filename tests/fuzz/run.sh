#!/bin/sh
# Builds the libFuzzer targets with clang++-14 (address and undefined-behaviour sanitizers) and
# runs each for SECONDS seconds (default 60) from the seed corpus in tests/fuzz/corpus/<reader>.
# New inputs go to BUILD/corpus/<reader>, so the seeds in the repository stay as they are.
# Usage: tests/fuzz/run.sh [BUILD_DIR] [SECONDS]      (exit status non-zero on any finding)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-"$here/../../build/fuzz"}
seconds=${2:-60}
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=Debug > /dev/null
cmake --build "$build"
for reader in npy npz csv libsvm; do
    mkdir -p "$build/corpus/$reader"
    echo "== fuzz_$reader for $seconds s"
    "$build/fuzz_$reader" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
        -dict="$here/dictionaries/$reader.dict" -artifact_prefix="$build/$reader-" \
        "$build/corpus/$reader" "$here/corpus/$reader"
done
