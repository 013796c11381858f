#!/bin/sh
# Compile-time budget of issue 13: compiles each probe under probes/ the way a new user would
# (one g++ command, compile and link) and prints a markdown table of user CPU seconds and peak
# memory, as GNU time reports them for the compiler and everything it runs, against the target.
# Probes run one after another so that they do not compete for the cores; each is compiled
# --repeat times and the smallest time and memory are kept (the machine may be shared).
#
# Usage: benchmarks/compile_time/run.sh [options]
#   --cxx COMPILER      default: g++
#   --flags "FLAGS"     default: "-std=c++20 -O2 -fopenmp"
#   --repeat N          compilations per probe, the minimum is reported; default 2
#   --pieces            also time probes/pieces/ (Eigen, xsimd, the standard headers, each module
#                       header, each data set): where an umbrella include's time goes
#   --only REGEX        only the probes whose row name matches REGEX (grep -E)
#   --compiled          the kestrel::compiled mode: compile src/instantiations_*.cpp once (timed,
#                       without a target), then every probe with -DKESTREL_SEPARATE_COMPILATION,
#                       linked with those objects
# Exits non-zero when a probe misses its target or fails to compile.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cxx=g++
flags="-std=c++20 -O2 -fopenmp"
repeat=2
pieces=0
only=.
compiled=0
while [ $# -gt 0 ]; do
    case "$1" in
        --cxx) cxx=$2; shift 2 ;;
        --flags) flags=$2; shift 2 ;;
        --repeat) repeat=$2; shift 2 ;;
        --pieces) pieces=1; shift ;;
        --only) only=$2; shift 2 ;;
        --compiled) compiled=1; shift ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ -x /usr/bin/time ] || { echo "run.sh: needs GNU time at /usr/bin/time (Debian package 'time')" >&2; exit 2; }

eigen=$(pkg-config --cflags-only-I eigen3 2>/dev/null || echo "-I/usr/include/eigen3")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

# time_probe ROW FILE EXTRA_FLAGS TARGET_S TARGET_MB: one table row.
time_probe() {
    row=$1 file=$2 extra=$3 target_s=$4 target_mb=$5
    echo "$row" | grep -Eq -- "$only" || return 0
    best_s="" best_kb=""
    i=0
    while [ "$i" -lt "$repeat" ]; do
        i=$((i + 1))
        # shellcheck disable=SC2086
        if ! /usr/bin/time -f '%U %M' -o "$work/time" \
            "$cxx" $flags $extra -I "$root/include" $eigen "$file" $link -o "$work/probe" 2>"$work/log"; then
            echo "| $row | error | error | | fail |"
            sed 's/^/    /' "$work/log" | head -20 >&2
            failed=1
            return 0
        fi
        read -r s kb <"$work/time"
        if [ -z "$best_s" ] || awk "BEGIN { exit !($s < $best_s) }"; then best_s=$s; fi
        if [ -z "$best_kb" ] || [ "$kb" -lt "$best_kb" ]; then best_kb=$kb; fi
    done
    mb=$((best_kb / 1024))
    verdict=""
    target=""
    if [ -n "$target_s" ]; then
        target="≤ $target_s s"
        verdict=pass
        awk "BEGIN { exit !($best_s > $target_s) }" && verdict=fail
        if [ -n "$target_mb" ]; then
            target="$target, ≤ $target_mb MB"
            [ "$mb" -gt "$target_mb" ] && verdict=fail
        fi
        [ "$verdict" = fail ] && failed=1
    fi
    echo "| $row | $best_s | $mb | $target | $verdict |"
}

mode=header-only
[ "$compiled" -eq 1 ] && mode="kestrel::compiled (-DKESTREL_SEPARATE_COMPILATION, linked with src/instantiations_*.cpp)"
echo "compiler: $("$cxx" --version | head -n 1); flags: $flags; $mode; best of $repeat"
echo "cpu: $(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores"
echo
echo "| probe | user s | peak MB | target | |"
echo "|---|---:|---:|---|---|"
link=""
if [ "$compiled" -eq 1 ]; then
    # Every probe links these, whatever --only selects.
    selected=$only
    only=.
    for scalar in double float; do
        time_probe "kestrel::compiled, $scalar half (once)" "$root/src/instantiations_$scalar.cpp" \
            "-DKESTREL_SEPARATE_COMPILATION -c" "" ""
        cp "$work/probe" "$work/instantiations_$scalar.o"
    done
    only=$selected
    flags="$flags -DKESTREL_SEPARATE_COMPILATION"
    link="$work/instantiations_double.o $work/instantiations_float.o"
fi
time_probe "kestrel.hpp, empty main" "$here/probes/kestrel_empty.cpp" "" 1.5 ""
# The ten estimators of the conformance battery, and LabelEncoder; float where its path
# instantiates kernels of its own (SIMD loops, decompositions, solvers) rather than the same
# Eigen expressions at another scalar.
for probe in linear_regression ridge lasso elastic_net logistic_regression kmeans minibatch_kmeans \
    standard_scaler min_max_scaler one_hot_encoder label_encoder; do
    time_probe "$probe" "$here/probes/$probe.cpp" "" 8 500
done
for probe in linear_regression ridge lasso elastic_net logistic_regression kmeans minibatch_kmeans; do
    time_probe "$probe (float)" "$here/probes/$probe.cpp" "-DPROBE_FLOAT" 8 500
done
time_probe "README usage" "$here/probes/readme_usage.cpp" "" 15 ""
if [ "$pieces" -eq 1 ]; then
    for file in "$here"/probes/pieces/*.cpp; do
        time_probe "piece: $(basename "$file" .cpp)" "$file" "" "" ""
    done
fi
exit "$failed"
