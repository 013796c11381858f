#!/usr/bin/env bash
# Builds the bench preset and runs every benchmark: kestrel and the C++ references side by side in
# each bench_<module> binary, then scikit-learn (benchmarks/sklearn_bench.py) on the same .npy
# data, and rewrites benchmarks/RESULTS.md from the medians of 5 repetitions (--repetitions N) and
# benchmarks/ratios.svg, the chart of every case's ratio that RESULTS.md shows
# (benchmarks/support/ratio_chart.py).
#
#   benchmarks/run.sh            full run (generates benchmarks/data once; over an hour, most of it
#                                the svm module's S2 dual solvers)
#   benchmarks/run.sh --smoke    tiny in-process cases, one run each: proves every binary runs
#                                (what CI runs); leaves RESULTS.md alone, draws the chart of the
#                                smoke run's ratios into the results folder; built at -O1 (a third
#                                less compile time, nothing is timed) into build/bench-smoke
#   benchmarks/run.sh --module distributed
#                                kestrel::distributed's fits (bench_distributed, built when MPI is
#                                found) under mpirun on 1 and then 2 ranks, and the reductions' cost
#   benchmarks/run.sh --module edge
#                                bench_latency alone: one-row latencies (its table is printed and kept
#                                as bench_latency.txt in the results folder, not in RESULTS.md)
#   options: --filter REGEX (benchmark names), --module NAME (one module: its binary bench_NAME
#            and its scikit-learn cases; RESULTS.md keeps the other modules' rows), --large (also
#            the opt-in slow cases, S1-large), --build-dir DIR (the bench preset configured into
#            DIR instead of build/bench), --no-build, --note TEXT (a line for RESULTS.md),
#            --repetitions N (instead of 5: the tree module's full-size forests take minutes a fit
#            in scikit-learn and ranger)
# The reference packages come from benchmarks/setup.sh; missing ones are skipped.
# CMAKE_BUILD_PARALLEL_LEVEL limits the build's jobs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=""
smoke=0 filter="." do_build=1 notes=() module="" repetitions=5
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) smoke=1 ;;
        --filter) filter="$2"; shift ;;
        --module) module="$2"; shift ;;
        --large) export KESTREL_BENCH_LARGE=1 ;;
        --build-dir) build=$(realpath -m "$2"); shift ;;
        --no-build) do_build=0 ;;
        --note) notes+=(--note "$2"); shift ;;
        --repetitions) repetitions="$2"; shift ;;
        *) echo "usage: $0 [--smoke] [--filter REGEX] [--module NAME] [--large] [--build-dir DIR] [--no-build]" \
                "[--note TEXT] [--repetitions N]" >&2; exit 2 ;;
    esac
    shift
done

cd "$root"
configure_args=()
if [ "$smoke" = 1 ]; then
    [ -n "$build" ] || build="$root/build/bench-smoke"
    configure_args+=("-DCMAKE_CXX_FLAGS_RELEASE=-O1 -march=native -DNDEBUG")
fi
[ -n "$build" ] || build="$root/build/bench"
if [ "$do_build" = 1 ]; then
    target=kestrel_benchmarks
    [ -n "$module" ] && target="bench_$module"
    [ "$module" = edge ] && target=bench_latency
    cmake --preset bench -B "$build" "${configure_args[@]}" >/dev/null
    cmake --build "$build" --target "$target"
fi
binaries=$(find "$build/benchmarks" -maxdepth 1 -type f -name "bench_${module:-*}" -perm -u+x \
    ! -name bench_distributed ! -name bench_latency | sort)
# bench_latency times one row at a time and prints its table (not Google Benchmark's flags either).
latency=""
if [ -z "$module" ] || [ "$module" = edge ]; then
    [ -x "$build/benchmarks/bench_latency" ] && latency="$build/benchmarks/bench_latency"
fi
# bench_distributed is an MPI program: launched by mpirun below, not with Google Benchmark's flags.
distributed=""
if [ -z "$module" ] || [ "$module" = distributed ]; then
    [ -x "$build/benchmarks/bench_distributed" ] && distributed="$build/benchmarks/bench_distributed"
fi
if [ -z "$binaries" ] && [ -z "$distributed" ] && [ -z "$latency" ]; then
    echo "no bench_${module:-*} binary in $build/benchmarks" >&2
    exit 1
fi

# Python with scikit-learn, when this machine has it (a smoke run goes on without); the distributed
# module has no scikit-learn side.
python=/usr/bin/python3
have_sklearn=0
if [ "$module" != distributed ] && [ -x "$python" ] && "$python" -c 'import sklearn, threadpoolctl' 2>/dev/null; then
    have_sklearn=1
fi

# BLAS for NumPy and Armadillo: the environment's OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are cleared
# so that OpenBLAS picks its kernel for this CPU; OpenBLAS 0.3.21 does not know every new CPU and
# then falls back to a pre-AVX kernel, several times slower, in which case the AVX-512 one is named.
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
blas_note="BLAS: kernel chosen by OpenBLAS"
if [ "$have_sklearn" = 1 ] && grep -qw avx512f /proc/cpuinfo; then
    arch=$("$python" -c 'import numpy, threadpoolctl
info = threadpoolctl.threadpool_info()
print(next((i.get("architecture") or "" for i in info if i.get("internal_api") == "openblas"), ""))')
    case "$arch" in
        ""|SkylakeX|Cooperlake|SapphireRapids) ;;
        *) export OPENBLAS_CORETYPE=SkylakeX
           blas_note="BLAS: OpenBLAS detected '$arch' on this AVX-512 CPU;"
           blas_note+=" OPENBLAS_CORETYPE=SkylakeX set for every run" ;;
    esac
fi

if [ "$smoke" = 1 ]; then
    export KESTREL_BENCH_SMOKE=1
    out="$build/results-smoke"
    bench_args=(--benchmark_min_time=0.01 --benchmark_repetitions=1)
else
    if [ "$module" = edge ]; then
        :  # latency_models fits its own rows at build time
    elif [ -n "$module" ]; then
        "$python" "$root/benchmarks/generate_data.py" --module "$module"
    else
        "$python" "$root/benchmarks/generate_data.py"
    fi
    out="$build/results"
    bench_args=(--benchmark_repetitions="$repetitions" --benchmark_report_aggregates_only=true)
fi
rm -rf "$out"
mkdir -p "$out"
# Where a binary leaves data for sklearn_bench.py (kestrel's S4 decision values).
export KESTREL_BENCH_OUT="$out"

start=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for binary in $binaries; do
    name=$(basename "$binary")
    echo "== $name"
    # The machine's ceilings always run, so that every result is set against this run's.
    "$binary" "${bench_args[@]}" --benchmark_filter="($filter)|^BM_ceiling/" \
        --benchmark_out="$out/$name.json" --benchmark_out_format=json
done
if [ -n "$distributed" ]; then
    # The fits on one rank alone, then everything on two ranks, one thread a rank, each rank free
    # to run on either core (--bind-to none: the two-rank launch also times rank 0 alone with
    # 2 threads while the other rank sleeps).
    # --oversubscribe and --allow-run-as-root: Open MPI's, so that it runs where CI runs (as root,
    # on machines with fewer slots than ranks).
    mpiexec=$(sed -n 's/^MPIEXEC_EXECUTABLE:[A-Z]*=//p' "$build/CMakeCache.txt")
    [ -x "$mpiexec" ] || mpiexec=$(command -v mpiexec || command -v mpirun)
    mpi_args=()
    if "$mpiexec" --allow-run-as-root --version 2>&1 | grep -qE "Open MPI|OpenRTE|open-mpi.org"; then
        mpi_args=(--oversubscribe --allow-run-as-root --bind-to none)
    fi
    distributed_args=(--filter "$filter")
    [ "$smoke" = 1 ] && distributed_args+=(--smoke)
    [ "$smoke" = 1 ] || distributed_args+=(--repetitions "$repetitions")
    for ranks in 1 2; do
        echo "== bench_distributed on $ranks rank(s)"
        "$mpiexec" -np "$ranks" "${mpi_args[@]}" "$distributed" "${distributed_args[@]}" \
            --out "$out/bench_distributed_np$ranks.json"
    done
fi
if [ -n "$latency" ]; then
    echo "== bench_latency (one row at a time)"
    "$latency" | tee "$out/bench_latency.txt"
fi
if [ "$module" = edge ]; then
    echo "wrote $out/bench_latency.txt (RESULTS.md is left as it is)"
    exit 0
fi
if [ "$have_sklearn" = 1 ]; then
    echo "== scikit-learn"
    sk_args=(--filter "$filter" --out "$out/sklearn.json")
    [ "$smoke" = 1 ] && sk_args+=(--smoke)
    [ -n "$module" ] && sk_args+=(--module "$module")
    [ "$smoke" = 1 ] || sk_args+=(--repetitions "$repetitions")
    "$python" "$root/benchmarks/sklearn_bench.py" "${sk_args[@]}"
elif [ "$module" != distributed ]; then
    echo "== scikit-learn: skipped (/usr/bin/python3 without sklearn and threadpoolctl)"
fi
elapsed=$(( $(date +%s) - start ))

# Google Benchmark exits 0 even when a benchmark failed (missing data, an exception in a fit).
mapfile -t failed < <(grep -l '"error_occurred": true' "$out"/bench_*.json || true)
if [ "${#failed[@]}" -gt 0 ]; then
    grep -h -A1 '"error_occurred": true' "${failed[@]}" | grep error_message >&2
    echo "benchmarks failed in: ${failed[*]}" >&2
    exit 1
fi
count=$(cat "$out"/*.json | grep -c '"run_name"\|"median_s"' || true)
echo "all benchmarks ran ($count results) in ${elapsed} s"

if [ "$smoke" = 1 ]; then
    if [ -x "$python" ]; then
        "$python" "$root/benchmarks/support/ratio_chart.py" "$out" "$out/ratios.svg" --title "Smoke run (tiny data)"
    fi
    exit 0
fi
if awk -v load="${load_before%% *}" 'BEGIN { exit !(load > 1.0) }'; then
    notes+=(--note "The machine was shared during this run (load average $load_before before it):
compare the ratios, which come from one run, rather than absolute times.")
fi
# BLAS matters to the references and Armadillo, not to the distributed module's fits.
blas_notes=(--note "$blas_note")
[ "$module" = distributed ] && blas_notes=()
compiler=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")
flags=$(sed -n 's/^CMAKE_CXX_FLAGS_RELEASE:[A-Z]*=//p' "$build/CMakeCache.txt")
openmp=$(sed -n 's/^OpenMP_CXX_FLAGS:[A-Z]*=//p' "$build/CMakeCache.txt")
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
grep -qw avx512f /proc/cpuinfo && cpu+=", AVX-512" || cpu+=", no AVX-512"
"$python" "$root/benchmarks/report.py" "$out" "$root/benchmarks/RESULTS.md" \
    --context "date=$(date -u '+%Y-%m-%d %H:%M UTC')" \
    --context "compiler=$("$compiler" --version | head -1)" \
    --context "flags=$flags $openmp (preset bench)" \
    --context "machine=$(nproc) cores, $cpu" \
    --context "load average before the run=$load_before; whole run ${elapsed} s" \
    "${blas_notes[@]}" \
    "${notes[@]}"
"$python" "$root/benchmarks/support/ratio_chart.py" "$root/benchmarks/RESULTS.md" "$root/benchmarks/ratios.svg" \
    --link "$root/benchmarks/RESULTS.md"
echo "wrote $root/benchmarks/RESULTS.md"
