#!/bin/sh
# Builds the libFuzzer targets with clang++-14 (address and undefined-behaviour sanitizers) and
# runs each for SECONDS seconds (default 60) from the seed corpus in tests/fuzz/corpus/<target>.
# New inputs go to BUILD/corpus/<target>, so the seeds in the repository stay as they are; an
# input that crashes, trips a sanitizer, runs out of memory or takes over 10 s is written to
# BUILD/<target>-crash-*, -oom-* or -timeout-*. Before each target fuzzes, it replays the inputs of
# tests/fuzz/findings/<target> (see the README there), each of which must now run clean. Every
# target runs even after a finding.
# Usage: tests/fuzz/run.sh [BUILD_DIR] [SECONDS]      (exit status non-zero on any finding)
# Needs clang-14 and libFuzzer's runtime (Debian 12: clang-14 libclang-rt-14-dev).
#
# fuzz_model's seeds (tests/fuzz/corpus/model, one model file per estimator) are written by
# make_model_corpus; after a change to the model file format, regenerate them with
#   cmake --build BUILD_DIR --target make_model_corpus && BUILD_DIR/make_model_corpus tests/fuzz/corpus/model
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-"$here/../../build/fuzz"}
seconds=${2:-60}
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=Debug > /dev/null
cmake --build "$build"
failed=""
for target in npy npz csv libsvm model; do
    # Model files are a few KB (the largest seed is under 9 KB); the other seeds are under 4 KB.
    case $target in
        model) max_len=16384 ;;
        *) max_len=4096 ;;
    esac
    # Earlier findings first: each must now run clean.
    for input in "$here/findings/$target"/*; do
        [ -f "$input" ] || continue
        if ! "$build/fuzz_$target" -timeout=10 "$input" > "$build/$target-replay.log" 2>&1; then
            echo "fuzz_$target fails on findings/$target/$(basename "$input"):" \
                "$(grep -m 1 -E 'SUMMARY|what\(\)' "$build/$target-replay.log" || true)"
            failed="$failed fuzz_$target(findings/$target/$(basename "$input"))"
        fi
    done
    mkdir -p "$build/corpus/$target"
    echo "== fuzz_$target for $seconds s"
    "$build/fuzz_$target" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -print_final_stats=1 \
        -dict="$here/dictionaries/$target.dict" -artifact_prefix="$build/$target-" \
        "$build/corpus/$target" "$here/corpus/$target" || failed="$failed fuzz_$target"
done
if [ -n "$failed" ]; then
    echo "findings in:$failed (inputs found now: $build/<target>-crash-*, -oom-*, -timeout-*)" >&2
    exit 1
fi
