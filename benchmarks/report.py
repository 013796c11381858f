#!/usr/bin/python3
"""Writes benchmarks/RESULTS.md from one run's JSON: Google Benchmark's (the C++ binaries, with
--benchmark_repetitions and aggregates) and benchmarks/sklearn_bench.py's.

A row per case and variant, starting with the case id: kestrel's median, each reference's median
and the ratio reference / kestrel (above 1: kestrel is faster), the quality figures of every
implementation, and kestrel's throughput as a fraction of the machine's ceiling, measured in the
same run by the BM_ceiling/* benchmarks of each binary (benchmarks/support/ceilings.cpp).

The run's rows go into a section of their own ("## Run of <date>: <cases>"), with the run's context.
Rows of cases this run did not measure are kept from OUTPUT.md as it was, each in its earlier run's
section with that run's context, so that a run of one module (run.sh --module) leaves the others'
numbers in place; --replace drops them instead.
Usage: /usr/bin/python3 benchmarks/report.py RESULTS_DIR OUTPUT.md [--note TEXT] [--context KEY=VALUE ...]
       [--replace]
"""
import argparse
import datetime
import json
import pathlib
import re

# Each case's ceiling: the counter it is read from, the BM_ceiling/<name> benchmark that measures
# it in the run, and its nominal figure from the design document, measured on another host. A key
# "<case>/<kestrel's benchmark>" sets one row's ceiling, a key "<case>" every row of the case.
FLOAT_PEAK = ("FLOP/s", "fma_float", 447e9, "the float FMA peak")
DOUBLE_PEAK = ("FLOP/s", "fma_double", 225e9, "the double FMA peak")
# The boosting fits' histogram-building proxy (sample × feature updates a second, n·d a tree) against
# the read bandwidth in bytes a second: one byte (a uint8 bin) read an update.
HIST_READ = ("hist_updates/s", "read_B1", 77e9, "the read bandwidth")
# Least squares (L1, L4): the Gram matrix's n·d² FLOP a fit against the FMA peak of the fit's precision.
GRAM_DOUBLE = DOUBLE_PEAK[:3] + ("the double FMA peak (Gram n·d²)",)
GRAM_FLOAT = FLOAT_PEAK[:3] + ("the float FMA peak (Gram n·d²)",)
CEILINGS = {"K1": FLOAT_PEAK,
            "K2": ("bytes/s", "read_K2", 77e9, "the bandwidth of one read of X"),
            "L1": GRAM_DOUBLE, "L4": GRAM_DOUBLE,
            **{f"{case}/kestrel_{variant}_float": GRAM_FLOAT for case in ("L1", "L4")
               for variant in ("ols", "ridge", "gram")},
            **{f"{case}/kestrel_hessian": GRAM_DOUBLE for case in ("L3", "L5")},
            **{f"{case}/kestrel_hessian_float": GRAM_FLOAT for case in ("L3", "L5")},
            "S1/kestrel_double": DOUBLE_PEAK, "S1/kestrel_float": FLOAT_PEAK,
            "S1/kestrel_kernel_rows_double": DOUBLE_PEAK, "S1/kestrel_kernel_rows_float": FLOAT_PEAK,
            "S1L/kestrel_double": DOUBLE_PEAK, "S4/kestrel_double": DOUBLE_PEAK, "S4/kestrel_float": FLOAT_PEAK,
            "B1": HIST_READ, "B2": HIST_READ, "B3": HIST_READ}
# The logistic cases (L3, L5) are set against the work their solver did instead (evaluation_cell): the
# objective-and-gradient evaluations of a fit (`n_eval`), each one read of X (BM_ceiling/read_<case>, or
# read_<case>_float for the float variants), and for Newton its Hessians (`n_hess`), each one more read of X and
# n·d² FLOP (`hessian_FLOP`) at the FMA peak of the variant's precision.
EVALUATION_BOUNDS = ("L3", "L5")
# How the ceiling column reads, case by case, for the header.
CEILING_NOTES = [("K1", "the float FMA peak"), ("K2", "the bandwidth of one read of X"),
                 ("L1, L4", "the FMA peak of the variant's precision (Gram n·d²: of the whole fit, and of its Gram "
                            "pass alone, `kestrel_gram`)"),
                 ("L3, L5", "the fit's time as a multiple of a bound of the work its solver did, measured by an "
                            "untimed re-run of the solver: `n_eval` objective-and-gradient evaluations, each one read "
                            "of X (`BM_ceiling/read_L3`, `read_L3_float`, `read_L5`, `read_L5_float`: the double X or "
                            "its float copy), and for newton-cholesky `n_hess` Hessians, each one more read of X and "
                            "n·d² FLOP at the FMA peak of the variant's precision; the target is 1.3× at most. A "
                            "second ratio beside it takes the read from the fit's own X instead, read alternately "
                            "with the fit (five pairs, each read the faster of two back to back; medians "
                            "`paired_fit_s`, `read_X_s`): on a shared host it finds another bandwidth than the "
                            "ceiling's array, read earlier in the run. One Hessian alone (`kestrel_hessian`): "
                            "its n·d² FLOP against that FMA peak"),
                 ("S1, S1L", "the FMA peak of the variant's precision; a fit's kernel FLOP are estimated as "
                             "2·d per entry of the 2 kernel rows an SMO iteration asks for, cache hits "
                             "included, so an upper bound; the kernel rows' are counted"),
                 ("S4", "the FMA peak of the variant's precision (2·n·n_SV·d a call)"),
                 ("B1–B3", "the read bandwidth (`BM_ceiling/read_B1`, bytes/s) against `hist_updates/s`, a proxy "
                           "of the histogram-building throughput: n·d sample × feature updates a tree (one pass "
                           "over the binned data a tree) over the fit's time, each update reading one byte")]
CEILING_NAMES = {"fma_float": "float FMA", "fma_double": "double FMA", "read_K2": "one read of K2's X",
                 "read_B1": "one read of B1's X", "read_L3": "one read of L3's X",
                 "read_L3_float": "one read of L3's float X", "read_L5": "one read of L5's X",
                 "read_L5_float": "one read of L5's float X"}
# A throughput counter, its unit, and the counter of the BM_ceiling/* benchmark it is set against.
UNITS = {"FLOP/s": ("GFLOP/s", "FLOP/s"), "bytes/s": ("GB/s", "bytes/s"),
         "hist_updates/s": ("G updates/s", "bytes/s")}

QUALITY = {"K": ("inertia", "n_iter"), "L1": ("r2", "mse"), "L2": ("objective", "dual_gap", "nonzeros", "n_iter"),
           "L3": ("objective", "accuracy", "n_iter"), "L4": ("r2", "mse"), "L5": ("objective", "accuracy", "n_iter"),
           "S1": ("n_SV", "objective", "accuracy", "n_iter", "rows"),
           "S1L": ("n_SV", "objective", "accuracy", "n_iter"),
           "S2": ("objective", "accuracy", "n_iter"), "S3": ("n_SV", "accuracy", "n_iter"),
           "S4": ("max_abs_diff", "same_model_diff", "n_SV"),
           "T": ("accuracy", "train_accuracy", "oob_accuracy", "r2", "oob_r2", "depth", "n_leaves",
                 "sample_features/s", "threads"),
           "T4": ("accuracy", "rows", "threads"),
           "B": ("log_loss", "accuracy", "r2", "mse", "n_iter", "n_trees", "s_per_tree", "hist_updates/s", "threads"),
           "B4": ("log_loss", "accuracy", "rows", "threads"),
           "K1d": ("inertia", "n_iter", "max_rel_diff_1rank"),
           "L3d": ("objective", "accuracy", "n_iter", "n_eval", "n_hess", "max_rel_diff_1rank"),
           "MPI": ()}

# kestrel::distributed (benchmarks/distributed/bench_distributed.cpp): the fits over 2 MPI ranks set against
# the same fit on 1 rank and the single-process estimator, and the reduction alone (communicator::sum against
# MPI_Allreduce). Their ratios compare kestrel with itself, so ratio_chart.py leaves them out.
DISTRIBUTED = ("K1d", "L3d", "MPI")
# The reduction sizes bench_distributed times: powers of 4 from 8 B to 8 MiB, then the cases' own.
REDUCTION_SIZES = ["8B", "32B", "128B", "512B", "2KiB", "8KiB", "32KiB", "128KiB", "512KiB", "2MiB", "8MiB"]
REDUCTION_CASES = [("L3_evaluation", "L3's sums of an evaluation (d + 2 doubles)"),
                   ("K1_iteration", "K1's sums of an iteration (k·d + k + 1 doubles)"),
                   ("L3_hessian", "L3's Hessian ((d + 1)² doubles)")]


def spaced(size):
    """A size as the benchmark names spell it ("2KiB") as a reader would ("2 KiB")."""
    return re.sub(r"^(\d+)", r"\1 ", size)


# (case, variant, kestrel's benchmark, the references' benchmarks); names after "BM_<case>/".
ROWS = [
    ("K1", "Lloyd", "kestrel_lloyd", ["arma_lloyd", "dlib_lloyd", "sklearn_lloyd"]),
    ("K1", "Elkan", "kestrel_elkan", ["sklearn_elkan", "sklearn_lloyd"]),
    ("K2", "Lloyd", "kestrel_lloyd", ["arma_lloyd", "dlib_lloyd", "sklearn_lloyd"]),
    ("K2", "Elkan", "kestrel_elkan", ["sklearn_elkan", "sklearn_lloyd"]),
    ("L1", "OLS", "kestrel_ols", ["arma_ols", "sklearn_ols"]),
    ("L1", "OLS, float", "kestrel_ols_float", ["sklearn_ols_float"]),
    ("L1", "ridge α=1", "kestrel_ridge", ["arma_ridge", "sklearn_ridge"]),
    ("L1", "ridge α=1, float", "kestrel_ridge_float", ["sklearn_ridge_float"]),
    ("L1", "Gram pass of a fit alone", "kestrel_gram", []),
    ("L1", "Gram pass of a fit alone, float", "kestrel_gram_float", []),
    ("L2", "lasso, one α", "kestrel_single", ["xgboost_single", "sklearn_single"]),
    ("L2", "lasso, one α, float", "kestrel_single_float", ["xgboost_single", "sklearn_single_float"]),
    ("L2", "lasso, 20-α path", "kestrel_path", ["sklearn_path"]),
    ("L2", "lasso, 20-α path, float", "kestrel_path_float", ["sklearn_path_float"]),
    ("L2", "lasso, 20-α path, centred by the path", "kestrel_path_intercept", ["sklearn_path"]),
    ("L2", "lasso, 20-α path, centred by the path, float", "kestrel_path_intercept_float", ["sklearn_path_float"]),
    ("L2", "elastic net l1_ratio 0.5, one α", "kestrel_enet_single", ["sklearn_enet_single"]),
    ("L2", "elastic net l1_ratio 0.5, one α, float", "kestrel_enet_single_float", ["sklearn_enet_single_float"]),
    ("L2", "elastic net l1_ratio 0.5, 20-α path, centred by the path", "kestrel_enet_path", ["sklearn_enet_path"]),
    ("L2", "elastic net l1_ratio 0.5, 20-α path, centred by the path, float", "kestrel_enet_path_float",
     ["sklearn_enet_path_float"]),
    ("L3", "lbfgs", "kestrel_lbfgs", ["liblinear_primal", "sklearn_lbfgs"]),
    ("L3", "lbfgs, float", "kestrel_lbfgs_float", ["sklearn_lbfgs_float"]),
    ("L3", "newton-cholesky", "kestrel_newton", ["liblinear_primal", "sklearn_newton"]),
    ("L3", "newton-cholesky, float", "kestrel_newton_float", ["sklearn_newton"]),
    ("L3", "one Newton Hessian XᵀDX", "kestrel_hessian", []),
    ("L3", "one Newton Hessian XᵀDX, float", "kestrel_hessian_float", []),
    ("L4", "OLS, scaled and shifted columns", "kestrel_ols", ["arma_ols", "sklearn_ols"]),
    ("L4", "OLS, scaled and shifted columns, float", "kestrel_ols_float", ["sklearn_ols_float"]),
    ("L4", "ridge α=1, scaled and shifted columns", "kestrel_ridge", ["arma_ridge", "sklearn_ridge"]),
    ("L4", "ridge α=1, scaled and shifted columns, float", "kestrel_ridge_float", ["sklearn_ridge_float"]),
    ("L4", "Gram pass of a fit alone, scaled and shifted columns", "kestrel_gram", []),
    ("L4", "Gram pass of a fit alone, scaled and shifted columns, float", "kestrel_gram_float", []),
    ("L5", "lbfgs, well-conditioned", "kestrel_lbfgs", ["liblinear_primal", "sklearn_lbfgs"]),
    ("L5", "lbfgs, well-conditioned, float", "kestrel_lbfgs_float", ["sklearn_lbfgs_float"]),
    ("L5", "newton-cholesky, well-conditioned", "kestrel_newton", ["liblinear_primal", "sklearn_newton"]),
    ("L5", "newton-cholesky, well-conditioned, float", "kestrel_newton_float", ["sklearn_newton"]),
    ("S1", "RBF SVC, double", "kestrel_double", ["libsvm_svc", "sklearn_svc"]),
    ("S1", "RBF SVC, float", "kestrel_float", ["libsvm_svc", "sklearn_svc"]),
    ("S1", "kernel rows, double", "kestrel_kernel_rows_double", []),
    ("S1", "kernel rows, float", "kestrel_kernel_rows_float", []),
    ("S1L", "RBF SVC, n=100k, double (opt-in)", "kestrel_double", ["sklearn_svc"]),
    ("S2", "squared hinge, dual", "kestrel_dual", ["liblinear_s1", "sklearn_dual"]),
    ("S2", "squared hinge, primal", "kestrel_primal", ["liblinear_s2", "sklearn_primal"]),
    ("S2", "hinge, dual", "kestrel_hinge", ["liblinear_s3", "sklearn_hinge"]),
    ("S3", "RBF SVC, 10 classes, double", "kestrel_double", ["libsvm_svc", "sklearn_svc"]),
    ("S4", "decision_function, double", "kestrel_double", ["libsvm_predict", "sklearn_predict"]),
    ("S4", "decision_function, float", "kestrel_float", ["libsvm_predict", "sklearn_predict"]),
    ("T1", "tree, exact, depth 10", "kestrel_exact_depth10", ["xgboost_exact_depth10", "sklearn_depth10"]),
    ("T1", "tree, exact, unlimited depth", "kestrel_exact_unlimited", ["xgboost_exact_unlimited", "sklearn_unlimited"]),
    ("T1", "tree, 256 bins, depth 10", "kestrel_hist_depth10", ["xgboost_hist_depth10", "sklearn_depth10"]),
    ("T1", "tree, 256 bins, unlimited depth", "kestrel_hist_unlimited", ["xgboost_hist_unlimited", "sklearn_unlimited"]),
    ("T2", "forest, 100 trees, exact", "kestrel_exact", ["sklearn_rf", "ranger_rf", "xgboost_rf"]),
    ("T2", "forest, 100 trees, 256 bins", "kestrel_hist", ["sklearn_rf", "ranger_rf", "xgboost_rf"]),
    ("T3", "regression forest, exact", "kestrel_exact", ["sklearn_rf", "ranger_rf"]),
    ("T3", "regression forest, 256 bins", "kestrel_hist", ["sklearn_rf", "ranger_rf"]),
    ("T4", "predict 1M rows, per row", "kestrel_batch", ["xgboost_batch", "sklearn_batch"]),
    ("T4", "predict one row a call, per row", "kestrel_one_row", ["xgboost_one_row", "sklearn_one_row"]),
    ("T4", "predict_one, per row", "kestrel_predict_one", ["xgboost_one_row", "sklearn_one_row"]),
    ("T4", "one row a call, 100 trees of depth <= 10", "kestrel_one_row_depth10", []),
    ("T4", "predict_one, 100 trees of depth <= 10 (target 2 µs)", "kestrel_predict_one_depth10", []),
    ("B1", "boosting, 2 classes, 100 iterations", "kestrel_fit", ["xgboost_fit", "sklearn_fit"]),
    ("B1", "binning + 1 tree (max_iter 1)", "kestrel_one_tree", ["xgboost_one_tree", "sklearn_one_tree"]),
    ("B2", "boosting, squared error, 100 iterations", "kestrel_fit", ["xgboost_fit", "sklearn_fit"]),
    ("B3", "boosting, 10 classes, 100 iterations", "kestrel_fit", ["xgboost_fit", "sklearn_fit"]),
    ("B4", "predict_proba 1M rows, per row", "kestrel_predict", ["xgboost_predict", "sklearn_predict"]),
    *(("K1d" if algo == "lloyd" else "L3d", f"{name} over 2 ranks × 1 thread", f"{algo}_2ranks",
       [f"{algo}_1rank", f"{algo}_single_njobs1", f"{algo}_single_njobs2", f"{algo}_np1"])
      for algo, name in (("lloyd", "Lloyd"), ("lbfgs", "lbfgs"), ("newton", "newton-cholesky"))),
    *(("MPI", f"communicator::sum of {spaced(size)}, 2 ranks", f"sum_{size}", [f"allreduce_{size}"])
      for size in REDUCTION_SIZES),
    *(("MPI", f"communicator::sum of {what}, 2 ranks", f"sum_{name}", [f"allreduce_{name}"])
      for name, what in REDUCTION_CASES),
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
            # The name without the options Google Benchmark appends (/min_time:0.500, /repeats:1,
            # /iterations:1, /real_time, /manual_time).
            name = re.sub(r"/(min_time:[^/]+|repeats:[^/]+|iterations:[^/]+|real_time|manual_time)", "", b["run_name"])
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


def fmt_frac(fraction):
    """A fraction of a ceiling in per cent: whole per cents from 10%, two figures below."""
    return f"{fraction:.0%}" if fraction >= 0.1 else f"{fraction * 100:.2g}%"


def fmt_value(value):
    if float(value).is_integer() and abs(value) < 1e6:
        return str(int(value))
    return f"{value:.6g}"


def timed(case, result):
    """The compared time: per iteration for the k-means cases, per row predicted for T4 (whose
    implementations predict different numbers of rows one at a time), per fit otherwise."""
    if case.startswith("K"):
        return result["seconds"] / max(result["counters"].get("n_iter", 1), 1)
    if case in ("T4", "B4"):
        return result["seconds"] / max(result["counters"].get("rows", 1), 1)
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


def ceiling_of(case, kestrel_name):
    """The ceiling of a row: its own, else its case's, else None."""
    return CEILINGS.get(f"{case}/{kestrel_name}", CEILINGS.get(case))


def ceiling_cell(case, kestrel_name, kestrel, ceilings):
    """kestrel's throughput against the ceiling measured in the run (against the nominal figure
    when the run has none), and for a bandwidth-bound case its time as a multiple of one read of X."""
    counter, name, nominal, _ = ceiling_of(case, kestrel_name)
    if counter not in kestrel["counters"]:
        return "–"
    throughput = kestrel["counters"][counter]
    unit, ceiling_counter = UNITS[counter]
    measured = measured_ceiling(ceilings, kestrel["binary"], name)
    if measured is not None and ceiling_counter not in measured["counters"]:
        measured = None
    # A throughput set against a ceiling of another unit names the ceiling's.
    ceiling_unit = f" {UNITS[ceiling_counter][0]}" if ceiling_counter != counter else ""
    nominal_frac = f"{fmt_frac(throughput / nominal)} of {fmt_rate(nominal)}{ceiling_unit} nominal"
    if measured:
        peak = measured["counters"][ceiling_counter]
        cells = [f"{fmt_rate(throughput)} {unit} = {fmt_frac(throughput / peak)} of {fmt_rate(peak)}{ceiling_unit} "
                 f"measured ({nominal_frac})"]
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


def evaluation_cell(case, kestrel_name, kestrel, ceilings):
    """A logistic fit's time as a multiple of the bound of its solver's work (EVALUATION_BOUNDS): `n_eval` reads
    of X, and for Newton `n_hess` Hessians of one read of X and `hessian_FLOP` each, at the read time and FMA peak
    measured in the run (the nominal ones, X_bytes at the nominal bandwidth, when the run has none)."""
    counters = kestrel["counters"]
    if "n_eval" not in counters:
        return "–"
    precision = "float" if kestrel_name.endswith("_float") else "double"
    read = measured_ceiling(ceilings, kestrel["binary"], f"read_{case}" + ("_float" if precision == "float" else ""))
    if read is not None and "bytes/s" in read["counters"]:
        t_read = read["seconds"]
        read_text = f"{fmt_time(t_read)} measured"
    else:
        t_read = counters["X_bytes"] / CEILINGS["K2"][2]
        read_text = f"{fmt_time(t_read)} at {fmt_rate(CEILINGS['K2'][2])} GB/s nominal"
    fit = timed(case, kestrel)
    n_eval = counters["n_eval"]
    # The read of X measured alternately with the fit on the fit's own X (`read_X_s`, `paired_fit_s`: medians of
    # five pairs), when the run has it, beside the ratio at the read ceiling, which the target is judged by.
    paired = "read_X_s" in counters and "paired_fit_s" in counters
    peak = measured_ceiling(ceilings, kestrel["binary"], f"fma_{precision}")
    if peak is not None and "FLOP/s" in peak["counters"]:
        flops = peak["counters"]["FLOP/s"]
        peak_text = f"{fmt_rate(flops)} GFLOP/s measured"
    else:
        flops = (FLOAT_PEAK if precision == "float" else DOUBLE_PEAK)[2]
        peak_text = f"{fmt_rate(flops)} GFLOP/s nominal"
    n_hess = counters.get("n_hess", 0)

    def bound(read_s):
        return n_eval * read_s + n_hess * (read_s + counters.get("hessian_FLOP", 0) / flops)
    if n_hess == 0:
        cell = (f"{fmt_time(fit)} = {fit / bound(t_read):.2f}× ({fmt_value(n_eval)} evaluations × one read of X, "
                f"{read_text})")
    else:
        cell = (f"{fmt_time(fit)} = {fit / bound(t_read):.2f}× ({fmt_value(n_eval)} evaluations × one read of X + "
                f"{fmt_value(n_hess)} Hessians × (one read of X + n·d² FLOP at the {precision} FMA peak) = "
                f"{fmt_time(bound(t_read))}; one read {read_text}, peak {peak_text})")
    if paired:
        cell += (f"; {counters['paired_fit_s'] / bound(counters['read_X_s']):.2f}× with the read of its own X "
                 f"alternated with the fit ({fmt_time(counters['paired_fit_s'])}, one read "
                 f"{fmt_time(counters['read_X_s'])})")
    return cell


def fmt_bytes(count):
    """A size in bytes to three figures: B, kB, MB (powers of 1000)."""
    if count >= 1e6:
        return f"{count / 1e6:.3g} MB"
    if count >= 1e3:
        return f"{count / 1e3:.3g} kB"
    return f"{count:.0f} B"


def reduction_cell(case, kestrel):
    """A distributed fit's reductions: the bytes its sums reduce (from the sizes the library reduces), the time
    its ranks spent inside MPI (the least and the most of the ranks, measured through MPI's profiling interface),
    and the same sums timed alone (communicator::sum back to back, BM_MPI/*); for the reductions themselves
    (case MPI), bytes over time."""
    c = kestrel["counters"]
    if case == "MPI":
        return f"{fmt_rate(c['bytes/s'])} GB/s ({fmt_bytes(c['bytes'])} / {fmt_time(kestrel['seconds'])})"
    if case == "K1d":
        per, unit, fit = c["s_per_iter"], "an iteration", "iter"
        cells = [f"{c['reduced_bytes_per_iter'] / 8:.0f} doubles = {fmt_bytes(c['reduced_bytes_per_iter'])} reduced "
                 f"an iteration"]
    else:
        per, unit, fit = kestrel["seconds"], "a fit", "fit"
        text = f"{c['reduced_bytes_per_eval'] / 8:.0f} doubles = {fmt_bytes(c['reduced_bytes_per_eval'])} an evaluation"
        if "reduced_bytes_per_hessian" in c:
            text += (f", {c['reduced_bytes_per_hessian'] / 8:.0f} = {fmt_bytes(c['reduced_bytes_per_hessian'])} "
                     f"a Hessian")
        if "reduced_bytes_per_iter" in c:
            text += f": {fmt_bytes(c['reduced_bytes_per_iter'])} an iteration"
        cells = [text]
    if f"mpi_max_s_per_{fit}" in c:
        low, high = c[f"mpi_min_s_per_{fit}"], c[f"mpi_max_s_per_{fit}"]
        cells.append(f"inside MPI {fmt_time(low)}–{fmt_time(high)} {unit} ({fmt_frac(low / per)}–{fmt_frac(high / per)}; "
                     f"{fmt_bytes(c[f'broadcast_bytes_per_{fit}'])} broadcast {unit})")
    if f"sum_alone_s_per_{fit}" in c:
        alone = c[f"sum_alone_s_per_{fit}"]
        cells.append(f"the same sums alone {fmt_time(alone)} {unit} ({fmt_frac(alone / per)})")
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
        cells_quality.append(f"{name}: {figures}" if figures else name)
        if name == kestrel_name:
            continue
        ratio = f" ({timed(case, result) / timed(case, kestrel):.2f}×)" if kestrel else ""
        cells_ref.append(f"{name} {fmt_time(timed(case, result))}{ratio}")
    if kestrel is None and not cells_ref:
        return None
    has_ceiling = kestrel and ceiling_of(case, kestrel_name)
    if kestrel and case in DISTRIBUTED:
        ceiling = reduction_cell(case, kestrel)
    elif kestrel and case in EVALUATION_BOUNDS and not kestrel_name.startswith("kestrel_hessian"):
        ceiling = evaluation_cell(case, kestrel_name, kestrel, ceilings)
    else:
        ceiling = ceiling_cell(case, kestrel_name, kestrel, ceilings) if has_ceiling else "–"
    kestrel_cell = fmt_time(timed(case, kestrel)) if kestrel else "not built"
    return (f"| {case} | {variant} | {kestrel_cell} | {'<br>'.join(cells_ref) or '–'} | "
            f"{'<br>'.join(cells_quality)} | {ceiling} |")


TABLE_HEADER = ["| case | variant | kestrel | references (ratio) | quality | kestrel vs ceiling |",
                "|---|---|---|---|---|---|"]
SECTION = re.compile(r"^## Run of (.*?): ")


def earlier_sections(path):
    """The run sections of an earlier RESULTS.md, each {"date", "bullets", "rows", "other"}; a file
    written before sections existed is one section, dated by its "- date:" line."""
    if not path.exists():
        return []
    sections, current = [], None
    for line in path.read_text().splitlines():
        if line.startswith("## "):
            match = SECTION.match(line)
            current = {"date": match.group(1) if match else line[3:], "bullets": [], "rows": [], "other": None,
                       "by_hand": line.endswith("(by hand)")}
            sections.append(current)
        elif line.startswith("- ") and (current is None or not current["rows"]):
            if current is None:
                current = {"date": None, "bullets": [], "rows": [], "other": None}
                sections.append(current)
            current["bullets"].append(line)
            if current["date"] is None and line.startswith("- date: "):
                current["date"] = line.removeprefix("- date: ")
        elif current is None:
            continue  # the title and the paragraph above the sections
        elif line.startswith("| ") and line not in TABLE_HEADER:
            current["rows"].append(line)
        elif line.startswith("Other benchmarks in this run:"):
            current["other"] = line
        elif line and not line.startswith("|") and not current["rows"]:
            current["bullets"].append(line)  # a note that runs over more than one line
    return sections


def row_case(line):
    return line.split("|")[1].strip()


def section_lines(date, bullets, rows, other, by_hand=False):
    cases = list(dict.fromkeys(row_case(r) for r in rows))
    lines = [f"## Run of {date}: {', '.join(cases) or 'no case'}{' (by hand)' if by_hand else ''}", ""] + bullets
    lines += [""] + TABLE_HEADER + rows
    if other:
        lines += ["", other]
    return lines + [""]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("output")
    parser.add_argument("--note", action="append", default=[], help="a line for the header")
    parser.add_argument("--context", action="append", default=[], help="KEY=VALUE for the header")
    parser.add_argument("--replace", action="store_true", help="drop the rows of earlier runs")
    args = parser.parse_args()
    results, ceilings, contexts = load_results(args.results)
    output = pathlib.Path(args.output)

    lines = ["# kestrel benchmark results", "",
             "Written by `benchmarks/run.sh` from runs of the benchmark binaries and "
             "`benchmarks/sklearn_bench.py` (protocol: benchmarks/README.md), one section a run, newest first; "
             "a run of some modules only (`run.sh --module`) replaces the rows of its cases and leaves the "
             "others in their earlier run's section, beside that run's context. Times are medians of the "
             "repetitions; k-means times are per iteration (every implementation runs the case's 30 "
             "iterations from the same initial centres; Armadillo and dlib, slow, only the first few, see "
             "`n_iter`; Elkan's GFLOP/s count the distances Lloyd would compute), T4's and B4's per row predicted, the "
             "others per fit or per call (T2 and T3: of the whole forest, B1–B3 of all the boosting iterations; "
             "`s_per_tree` divides it by the trees; "
             "`sample_features/s`, the node-splitting throughput, is Σ over a fit's internal nodes of its "
             "samples × the features a split examines, over the fit's time). The ratio in brackets is the reference's time over kestrel's: above 1, kestrel is faster. "
             "Quality figures are computed by one formula for every implementation "
             "(`benchmarks/support/quality.cpp`, and `benchmarks/svm/cases.cpp` for the S-cases, "
             "`benchmarks/ensemble/cases.cpp` for the B-cases' held-out log loss, accuracy, R² and MSE). The ceiling "
             "column is kestrel's throughput as a fraction of this machine's ceiling, measured in the same run, "
             "on the same threads, by the `BM_ceiling/*` benchmarks of kestrel's binary "
             "(`benchmarks/support/ceilings.cpp`; medians like the rest): "
             + "; ".join(f"{c}: {d}" for c, d in CEILING_NOTES) + ". "
             "K2's target is one iteration within 2× of one read of X, so its row also gives kestrel's time "
             "per iteration as a multiple of the measured time of that read. In brackets, the fraction of "
             "the design document's nominal ceilings (float / double FMA peak "
             f"{fmt_rate(FLOAT_PEAK[2])} / {fmt_rate(DOUBLE_PEAK[2])} GFLOP/s, read bandwidth "
             f"{fmt_rate(CEILINGS['K2'][2])} GB/s), which were measured on a different host; a run without "
             "`BM_ceiling/*` (filtered out) falls back to them and says so. "
             "K1d and L3d are kestrel::distributed's fits of K1's and L3's data over 2 MPI ranks of this machine, "
             "one thread a rank, each rank holding a contiguous half of the rows (`bench_distributed`): their "
             "references are the same fit on 1 rank (`_1rank`: rank 0 alone, the other rank asleep) and the "
             "single-process estimator with n_jobs 1 and 2, which take turns with the 2-rank fit in the same "
             "launch, and the fit in a launch of its own on 1 rank (`_np1`, `mpirun -np 1`), so the ratio in "
             "brackets is the 2-rank fit's speed-up over each; `max_rel_diff_1rank` is the largest difference of "
             "the fitted centres (or coefficients and intercept) from the 1-rank fit's, relative to their largest "
             "magnitude. Their last column gives "
             "the bytes the fit reduces, the time its ranks spent inside MPI (the least and the most of the ranks, "
             "which includes waiting for the slower one; measured through MPI's profiling interface) and the same "
             "sums timed alone. MPI: one communicator::sum over 2 ranks, back to back (the median per call), with "
             "MPI_Allreduce of the same size as its reference, and the size over the time.", ""]
    bullets = []
    for context in contexts:
        if "executable" in context:
            bullets.append(f"- `{pathlib.Path(context['executable']).name}`: {context.get('date', '')}, "
                           f"{context.get('num_cpus')} CPUs at {context.get('mhz_per_cpu')} MHz, load average "
                           f"{', '.join(f'{x:.2f}' for x in context.get('load_avg', []))} at its start")
        elif "mpi_library" in context:
            bullets.append(f"- `bench_distributed` on {context['ranks']} rank(s) × {context['threads_per_rank']} "
                           f"thread ({context['mpi_library']}; {context['rows']}): {context['date']}, load average "
                           f"{', '.join(f'{x:.2f}' for x in context.get('load_avg', []))} at its start")
        elif "sklearn" in context:
            blas = ", ".join(f"{b.get('internal_api')} {b.get('version')} {b.get('architecture')} kernel, "
                             f"{b.get('num_threads')} threads" for b in context.get("blas", []))
            bullets.append(f"- scikit-learn {context['sklearn']}, NumPy {context['numpy']}, "
                           f"Python {context['python']} ({blas}): {context['date']}")
    for binary, found in sorted(ceilings.items()):
        figures = ", ".join(ceiling_figure(name, entry) for name, entry in found.items())
        bullets.append(f"- ceilings measured by `{binary}`: {figures}")
    distributed_only = all(name.split("/")[0].removeprefix("BM_") in DISTRIBUTED for name in results)
    if not ceilings and not distributed_only:
        bullets.append("- ceilings: no `BM_ceiling/*` in this run; the ceiling column uses the nominal figures")
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    for item in args.context:
        key, _, value = item.partition("=")
        bullets.append(f"- {key}: {value}")
        if key == "date":
            date = value
    for note in args.note:
        bullets.append(f"- {note}")
    rows = [line for spec in ROWS if (line := row(*spec, results, ceilings))]
    listed = {f"BM_{case}/{name}" for case, _, k, refs in ROWS for name in [k] + refs}
    others = sorted(set(results) - listed)
    other = None
    if others:
        other = "Other benchmarks in this run: " + ", ".join(f"`{n}` {fmt_time(results[n]['seconds'])}"
                                                              for n in others)
    lines += section_lines(date, bullets, rows, other)

    # Earlier runs' rows of the cases this run did not measure.
    measured = {row_case(r) for r in rows}
    known = {case for case, *_ in ROWS}
    for section in [] if args.replace else earlier_sections(output):
        # A section written by hand ("(by hand)" in its title) keeps its rows of cases no binary
        # reports (E1, B1d) until a run measures the same case.
        by_hand = section.get("by_hand", False)
        kept = [r for r in section["rows"] if row_case(r) not in measured and (by_hand or row_case(r) in known)]
        if not kept:
            continue
        other = section["other"]
        if other and any(name in results for name in re.findall(r"`(BM_[^`]+)`", other)):
            other = None
        lines += section_lines(section["date"] or "an earlier date", section["bullets"], kept, other, by_hand)
    output.write_text("\n".join(lines).rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
