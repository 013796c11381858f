#!/usr/bin/python3
"""Writes benchmarks/RESULTS.md from one run's JSON: Google Benchmark's (the C++ binaries, with
--benchmark_repetitions and aggregates) and benchmarks/sklearn_bench.py's.

A row per case and variant, starting with the case id: kestrel's median, each reference's median
and the ratio reference / kestrel (above 1: kestrel is faster), the quality figures of every
implementation, and kestrel's throughput as a fraction of the machine's ceiling, measured in the
same run by the BM_ceiling/* benchmarks of each binary (benchmarks/support/ceilings.cpp).
Usage: /usr/bin/python3 benchmarks/report.py RESULTS_DIR OUTPUT.md [--note TEXT] [--context KEY=VALUE ...]
"""
import argparse
import json
import pathlib
import re

# Each case's ceiling: the counter it is read from, the BM_ceiling/<name> benchmark that measures
# it in the run, and its nominal figure from the design document, measured on another host.
CEILINGS = {"K1": ("FLOP/s", "fma_float", 447e9, "the float FMA peak"),
            "K2": ("bytes/s", "read_K2", 77e9, "the bandwidth of one read of X"),
            "L1": ("FLOP/s", "fma_double", 225e9, "the double FMA peak (Gram n·d²)")}
CEILING_NAMES = {"fma_float": "float FMA", "fma_double": "double FMA", "read_K2": "one read of K2's X"}

QUALITY = {"K": ("inertia", "n_iter"), "L1": ("r2", "mse"), "L2": ("objective", "dual_gap", "nonzeros", "n_iter"),
           "L3": ("objective", "accuracy", "n_iter")}

# (case, variant, kestrel's benchmark, the references' benchmarks); names after "BM_<case>/".
ROWS = [
    ("K1", "Lloyd", "kestrel_lloyd", ["arma_lloyd", "dlib_lloyd", "sklearn_lloyd"]),
    ("K1", "Elkan", "kestrel_elkan", ["sklearn_elkan", "sklearn_lloyd"]),
    ("K2", "Lloyd", "kestrel_lloyd", ["arma_lloyd", "dlib_lloyd", "sklearn_lloyd"]),
    ("K2", "Elkan", "kestrel_elkan", ["sklearn_elkan", "sklearn_lloyd"]),
    ("L1", "OLS", "kestrel_ols", ["arma_ols", "sklearn_ols"]),
    ("L1", "ridge α=1", "kestrel_ridge", ["arma_ridge", "sklearn_ridge"]),
    ("L2", "lasso, one α", "kestrel_single", ["xgboost_single", "sklearn_single"]),
    ("L2", "lasso, 20-α path", "kestrel_path", ["sklearn_path"]),
    ("L3", "lbfgs", "kestrel_lbfgs", ["liblinear_primal", "sklearn_lbfgs"]),
    ("L3", "newton-cholesky", "kestrel_newton", ["liblinear_primal", "sklearn_newton"]),
]


GB_FIELDS = {"name", "family_index", "per_family_instance_index", "run_name", "run_type", "repetitions",
             "repetition_index", "threads", "iterations", "real_time", "cpu_time", "time_unit", "aggregate_name",
             "aggregate_unit", "error_occurred", "error_message"}


def load_results(directory):
    """name -> {"seconds": median wall time of one fit, "counters": {...}, "binary": file stem}, each
    binary's ceilings as binary -> {name after "BM_ceiling/" -> entry}, and each file's context.
    A Google Benchmark entry is its median aggregate, or its single run when it ran once."""
    results, ceilings, contexts = {}, {}, []
    for path in sorted(pathlib.Path(directory).glob("*.json")):
        doc = json.loads(path.read_text())
        contexts.append(doc.get("context", {}))
        medians, single_runs = {}, {}
        for b in doc.get("benchmarks", []):
            if "median_s" in b:  # sklearn_bench.py
                medians[b["name"]] = {"seconds": b["median_s"], "counters": b["counters"], "binary": path.stem}
                continue
            if b.get("error_occurred"):
                continue
            entry = {"seconds": b["real_time"] * {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]],
                     "counters": {k: v for k, v in b.items() if k not in GB_FIELDS}, "binary": path.stem}
            # The name without the options Google Benchmark appends (/min_time:0.500, /real_time).
            name = re.sub(r"/(min_time:[^/]+|real_time)", "", b["run_name"])
            if b.get("aggregate_name") == "median":
                medians[name] = entry
            elif b.get("run_type") == "iteration":
                single_runs[name] = entry
        for name, entry in {**single_runs, **medians}.items():
            if name.startswith("BM_ceiling/"):
                ceilings.setdefault(path.stem, {})[name.removeprefix("BM_ceiling/")] = entry
            else:
                results[name] = entry
    return results, ceilings, contexts


def fmt_time(seconds):
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds * 1e6:.3g} µs"


def fmt_rate(value):
    """GFLOP/s or GB/s to three figures."""
    giga = value / 1e9
    return f"{giga:.0f}" if giga >= 100 else f"{giga:.3g}"


def fmt_value(value):
    if float(value).is_integer() and abs(value) < 1e6:
        return str(int(value))
    return f"{value:.6g}"


def timed(case, result):
    """The compared time: per iteration for the k-means cases, per fit otherwise."""
    if case.startswith("K"):
        return result["seconds"] / max(result["counters"].get("n_iter", 1), 1)
    return result["seconds"]


def measured_ceiling(ceilings, binary, name):
    """BM_ceiling/<name> of kestrel's own binary, else of another binary of the run, else None."""
    if name in ceilings.get(binary, {}):
        return ceilings[binary][name]
    return next((found[name] for found in ceilings.values() if name in found), None)


def ceiling_figure(name, entry):
    """One measured ceiling for the header: its rate, and for a read the time it took."""
    label = CEILING_NAMES.get(name, name)
    if "bytes/s" in entry["counters"]:
        return f"{label} {fmt_rate(entry['counters']['bytes/s'])} GB/s ({fmt_time(entry['seconds'])})"
    return f"{label} {fmt_rate(entry['counters'].get('FLOP/s', 0))} GFLOP/s"


def ceiling_cell(case, kestrel, ceilings):
    """kestrel's throughput against the ceiling measured in the run (against the nominal figure
    when the run has none), and for a bandwidth-bound case its time as a multiple of one read of X."""
    counter, name, nominal, _ = CEILINGS[case]
    if counter not in kestrel["counters"]:
        return "–"
    throughput = kestrel["counters"][counter]
    unit = "GB/s" if counter == "bytes/s" else "GFLOP/s"
    measured = measured_ceiling(ceilings, kestrel["binary"], name)
    if measured is not None and counter not in measured["counters"]:
        measured = None
    nominal_frac = f"{throughput / nominal:.0%} of {fmt_rate(nominal)} nominal"
    if measured:
        peak = measured["counters"][counter]
        cells = [f"{fmt_rate(throughput)} {unit} = {throughput / peak:.0%} of {fmt_rate(peak)} measured "
                 f"({nominal_frac})"]
    else:
        cells = [f"{fmt_rate(throughput)} {unit} = {nominal_frac} (no ceiling measured in this run)"]
    if counter == "bytes/s":
        per_iter = timed(case, kestrel)
        if measured:
            read = measured["seconds"]
            cells.append(f"{fmt_time(per_iter)} = {per_iter / read:.1f}× one read of X ({fmt_time(read)} measured)")
        else:
            read = throughput * per_iter / nominal
            cells.append(f"{fmt_time(per_iter)} = {per_iter / read:.1f}× one read of X "
                         f"({fmt_time(read)} at {fmt_rate(nominal)} GB/s nominal)")
    return "<br>".join(cells)


def row(case, variant, kestrel_name, reference_names, results, ceilings):
    kestrel = results.get(f"BM_{case}/{kestrel_name}")
    quality_keys = QUALITY.get(case, QUALITY.get(case[0]))
    cells_ref, cells_quality = [], []
    for name in [kestrel_name] + reference_names:
        result = results.get(f"BM_{case}/{name}")
        if result is None:
            continue
        figures = ", ".join(f"{k} {fmt_value(result['counters'][k])}" for k in quality_keys if k in result["counters"])
        cells_quality.append(f"{name}: {figures}")
        if name == kestrel_name:
            continue
        ratio = f" ({timed(case, result) / timed(case, kestrel):.2f}×)" if kestrel else ""
        cells_ref.append(f"{name} {fmt_time(timed(case, result))}{ratio}")
    if kestrel is None and not cells_ref:
        return None
    ceiling = ceiling_cell(case, kestrel, ceilings) if kestrel and case in CEILINGS else "–"
    kestrel_cell = fmt_time(timed(case, kestrel)) if kestrel else "not built"
    return (f"| {case} | {variant} | {kestrel_cell} | {'<br>'.join(cells_ref) or '–'} | "
            f"{'<br>'.join(cells_quality)} | {ceiling} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("output")
    parser.add_argument("--note", action="append", default=[], help="a line for the header")
    parser.add_argument("--context", action="append", default=[], help="KEY=VALUE for the header")
    args = parser.parse_args()
    results, ceilings, contexts = load_results(args.results)

    lines = ["# kestrel benchmark results", "",
             "Written by `benchmarks/run.sh` from one run of every benchmark binary and "
             "`benchmarks/sklearn_bench.py` (protocol: benchmarks/README.md). Times are medians of the "
             "repetitions; k-means times are per iteration (every implementation runs the case's 30 "
             "iterations from the same initial centres; Armadillo and dlib, slow, only the first few, see "
             "`n_iter`; Elkan's GFLOP/s count the distances Lloyd would compute), the others per fit. "
             "The ratio in brackets is the reference's time over kestrel's: above 1, kestrel is faster. "
             "Quality figures are computed by one formula for every implementation "
             "(`benchmarks/support/quality.cpp`). The ceiling column is kestrel's throughput as a fraction "
             "of this machine's ceiling, measured in the same run, on the same threads, by the `BM_ceiling/*` "
             "benchmarks of kestrel's binary (`benchmarks/support/ceilings.cpp`; medians like the rest): "
             + "; ".join(f"{c}: {d}" for c, (_, _, _, d) in CEILINGS.items()) + ". "
             "K2's target is one iteration within 2× of one read of X, so its row also gives kestrel's time "
             "per iteration as a multiple of the measured time of that read. In brackets, the fraction of "
             "the design document's nominal ceilings (float / double FMA peak "
             f"{fmt_rate(CEILINGS['K1'][2])} / {fmt_rate(CEILINGS['L1'][2])} GFLOP/s, read bandwidth "
             f"{fmt_rate(CEILINGS['K2'][2])} GB/s), which were measured on a different host; a run without "
             "`BM_ceiling/*` (filtered out) falls back to them and says so.", ""]
    for context in contexts:
        if "executable" in context:
            lines.append(f"- `{pathlib.Path(context['executable']).name}`: {context.get('date', '')}, "
                         f"{context.get('num_cpus')} CPUs at {context.get('mhz_per_cpu')} MHz, load average "
                         f"{', '.join(f'{x:.2f}' for x in context.get('load_avg', []))} at its start")
        elif "sklearn" in context:
            blas = ", ".join(f"{b.get('internal_api')} {b.get('version')} {b.get('architecture')} kernel, "
                             f"{b.get('num_threads')} threads" for b in context.get("blas", []))
            lines.append(f"- scikit-learn {context['sklearn']}, NumPy {context['numpy']}, Python {context['python']}"
                         f" ({blas}): {context['date']}")
    for binary, found in sorted(ceilings.items()):
        figures = ", ".join(ceiling_figure(name, entry) for name, entry in found.items())
        lines.append(f"- ceilings measured by `{binary}`: {figures}")
    if not ceilings:
        lines.append("- ceilings: no `BM_ceiling/*` in this run; the ceiling column uses the nominal figures")
    for item in args.context:
        key, _, value = item.partition("=")
        lines.append(f"- {key}: {value}")
    for note in args.note:
        lines.append(f"- {note}")
    lines += ["", "| case | variant | kestrel | references (ratio) | quality | kestrel vs ceiling |",
              "|---|---|---|---|---|---|"]
    for spec in ROWS:
        line = row(*spec, results, ceilings)
        if line:
            lines.append(line)
    listed = {f"BM_{case}/{name}" for case, _, k, refs in ROWS for name in [k] + refs}
    others = sorted(set(results) - listed)
    if others:
        listing = ", ".join(f"`{n}` {fmt_time(results[n]['seconds'])}" for n in others)
        lines += ["", f"Other benchmarks in this run: {listing}"]
    pathlib.Path(args.output).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
