#!/usr/bin/python3
"""Draws every benchmark case's ratio, kestrel's time over each reference's, as an SVG bar chart.

One bar per row of RESULTS.md and reference, on a log scale with a line at 1: a bar to the left
of it is a comparison kestrel wins (0.5: kestrel takes half the reference's time), to the right
one it loses. Bars are coloured by the reference's library (scikit-learn, libsvm, liblinear,
XGBoost, Armadillo, dlib, ranger). The input is either a run's results folder (the JSON files
benchmarks/run.sh writes, read as benchmarks/report.py reads them) or a RESULTS.md, whose
"references (ratio)" cells hold each reference's time over kestrel's; a RESULTS.md holds every
case, each from the latest run that measured it.

With --link, the Markdown file named there gets (or keeps) one image line pointing at the chart,
just above its first run section; benchmarks/run.sh passes RESULTS.md after report.py rewrote it.
Standard library only.
Usage: /usr/bin/python3 benchmarks/support/ratio_chart.py (RESULTS_DIR | RESULTS.md) OUTPUT.svg
       [--title TEXT] [--link RESULTS.md]
"""
import argparse
import math
import os
import pathlib
import re
import sys

BENCHMARKS = pathlib.Path(__file__).resolve().parent.parent

# A reference benchmark's library, from its name's prefix, and the colour of its bars
# (Okabe and Ito's colour-blind safe palette).
LIBRARIES = [("sklearn", "scikit-learn", "#0072B2"), ("libsvm", "libsvm", "#E69F00"),
             ("liblinear", "liblinear", "#009E73"), ("xgboost", "XGBoost", "#D55E00"),
             ("arma", "Armadillo", "#CC79A7"), ("dlib", "dlib", "#56B4E9"), ("ranger", "ranger", "#999999")]
OTHER = ("other", "#555555")
IMAGE_ALT = "kestrel's time over each reference's, every case"


def library(reference):
    prefix = reference.split("_", 1)[0]
    for key, name, color in LIBRARIES:
        if prefix == key:
            return name, color
    return OTHER


def from_results_dir(directory):
    """[(case, variant, reference, kestrel seconds / reference seconds)] of a run's JSON files."""
    sys.path.insert(0, str(BENCHMARKS))
    import report  # noqa: E402  (benchmarks/report.py: the same reading and per-case timing)

    results, _, _ = report.load_results(directory)
    bars = []
    for case, variant, kestrel_name, references in report.ROWS:
        if case in report.DISTRIBUTED:  # kestrel against itself
            continue
        kestrel = results.get(f"BM_{case}/{kestrel_name}")
        if kestrel is None:
            continue
        for name in references:
            reference = results.get(f"BM_{case}/{name}")
            if reference is not None and report.timed(case, reference) > 0:
                bars.append((case, variant, name, report.timed(case, kestrel) / report.timed(case, reference)))
    return bars


REFERENCE_CELL = re.compile(r"^(\S+) .*\(([0-9.]+)×\)$")


def from_results_md(path):
    """The same from RESULTS.md's tables: each reference's "(R×)" is its time over kestrel's."""
    bars, seen = [], set()
    for line in pathlib.Path(path).read_text().splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) < 6 or not line.startswith("| ") or cells[1] == "case" or cells[1].startswith("---"):
            continue
        case, variant, references = cells[1], cells[2], cells[4]
        if (case, variant) in seen or case in distributed_cases():  # replaced by a later run; kestrel against itself
            continue
        seen.add((case, variant))
        for entry in references.split("<br>"):
            match = REFERENCE_CELL.match(entry.strip())
            if match and float(match.group(2)) > 0:
                bars.append((case, variant, match.group(1), 1.0 / float(match.group(2))))
    order = {case: i for i, case in enumerate(dict.fromkeys(case_order()))}
    bars.sort(key=lambda b: order.get(b[0], len(order)))  # stable: each case's rows keep their order
    return bars


def distributed_cases():
    """The cases whose ratios compare kestrel with itself (benchmarks/report.py's DISTRIBUTED)."""
    try:
        sys.path.insert(0, str(BENCHMARKS))
        import report  # noqa: E402
        return report.DISTRIBUTED
    except ImportError:
        return ()


def case_order():
    """The cases in benchmarks/report.py's order (K, L, S, T, B), when it can be read."""
    try:
        sys.path.insert(0, str(BENCHMARKS))
        import report  # noqa: E402
        return [case for case, *_ in report.ROWS]
    except ImportError:
        return []


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def fmt_ratio(r):
    return f"{r:.2f}×" if r >= 0.1 else f"{r:.3f}×" if r >= 0.01 else f"{r:.2g}×"


def nice_bound(r, up):
    """The nearest 1, 2 or 5 times a power of ten below r (above it when `up`)."""
    steps = [m * 10.0 ** d for d in range(-6, 7) for m in (1, 2, 5)]
    return min(s for s in steps if s >= r) if up else max(s for s in steps if s <= r)


def chart(bars, title, subtitle):
    """The SVG text: one group of bars per case and variant, the case's label on its first bar."""
    row, gap, left, label_w, ref_w, plot_w, right = 15, 7, 16, 250, 150, 430, 30
    x0 = left + label_w + ref_w
    header, legend_h = 74, 30
    groups = []
    for case, variant, reference, ratio in bars:
        if not groups or groups[-1][0] != (case, variant):
            groups.append(((case, variant), []))
        groups[-1][1].append((reference, ratio))
    height = header + legend_h + sum(len(g[1]) * row + gap for g in groups) + 44
    width = x0 + plot_w + right

    # Room on either side for the figure written at a bar's end.
    ratios = [r for *_, r in bars]
    lo = nice_bound(min(0.5, min(ratios)), up=False)
    hi = nice_bound(max(2.0, max(ratios)), up=True)
    room = 62  # pixels for "0.00066×"
    while math.log10(min(ratios) / lo) / math.log10(hi / lo) * plot_w < room:
        lo = nice_bound(lo * 0.99, up=False)
    while math.log10(hi / max(ratios)) / math.log10(hi / lo) * plot_w < room:
        hi = nice_bound(hi * 1.01, up=True)
    ticks = [m * 10.0 ** d for d in range(-6, 7) for m in (1, 2, 5) if lo <= m * 10.0 ** d <= hi]
    per_decade = plot_w / math.log10(hi / lo)

    def px(r):
        return x0 + math.log10(r / lo) / math.log10(hi / lo) * plot_w

    top = header + legend_h
    bottom = height - 44
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">',
           '<rect width="100%" height="100%" fill="#FFFFFF"/>',
           f'<text x="{left}" y="26" font-size="17" font-weight="bold" fill="#222222">{escape(title)}</text>',
           f'<text x="{left}" y="47" font-size="12" fill="#555555">{escape(subtitle)}</text>',
           f'<text x="{left}" y="64" font-size="12" fill="#555555">Log scale. Left of the line at 1: kestrel takes '
           'less time than the reference; 0.5 = half its time.</text>']
    # Legend: the libraries that appear.
    x = left
    present = []
    for _, _, reference, _ in bars:
        name, color = library(reference)
        if (name, color) not in present:
            present.append((name, color))
    for name, color in present:
        out.append(f'<rect x="{x}" y="{header + 6}" width="12" height="12" fill="{color}"/>'
                   f'<text x="{x + 17}" y="{header + 16}" font-size="12" fill="#222222">{escape(name)}</text>')
        x += 30 + 7.2 * len(name)
    # Decades (darker) and their 2s and 5s; the 2s and 5s are labelled when there is room.
    out.append('<g shape-rendering="crispEdges">')
    for r in ticks:
        decade = math.isclose(math.log10(r), round(math.log10(r)))
        out.append(f'<line x1="{px(r):.1f}" y1="{top}" x2="{px(r):.1f}" y2="{bottom}" '
                   f'stroke="{"#BBBBBB" if decade else "#E4E4E4"}" stroke-width="1"/>')
    out.append('</g><g font-size="11" fill="#444444" text-anchor="middle">')
    for r in ticks:
        decade = math.isclose(math.log10(r), round(math.log10(r)))
        if decade or per_decade >= 160 or (per_decade >= 110 and r in (0.5, 2.0)):
            out.append(f'<text x="{px(r):.1f}" y="{bottom + 16}">{r:g}×</text>')
    out.append(f'</g><text x="{x0 + plot_w / 2:.1f}" y="{bottom + 34}" font-size="12" fill="#222222" '
               'text-anchor="middle">kestrel time ÷ reference time</text>')
    # Bars, grouped.
    y = top + gap / 2
    for i, ((case, variant), refs) in enumerate(groups):
        if i % 2 == 0:
            out.append(f'<rect x="{left}" y="{y - gap / 2:.1f}" width="{width - left - right / 2}" '
                       f'height="{len(refs) * row + gap}" fill="#F6F6F6"/>')
        out.append(f'<text x="{left + 4}" y="{y + 11:.1f}" font-size="12" fill="#222222"><tspan font-weight="bold">'
                   f'{escape(case)}</tspan> {escape(variant)}</text>')
        for j, (reference, ratio) in enumerate(refs):
            name, color = library(reference)
            yy = y + j * row
            a, b = sorted((px(1.0), px(ratio)))
            out.append(f'<text x="{x0 - 8}" y="{yy + 11:.1f}" font-size="11" fill="#555555" '
                       f'text-anchor="end">{escape(reference)}</text>')
            out.append(f'<rect x="{a:.1f}" y="{yy + 2:.1f}" width="{max(b - a, 1):.1f}" height="{row - 4}" '
                       f'fill="{color}"><title>{escape(f"{case} {variant}: {reference} {fmt_ratio(ratio)}")}'
                       '</title></rect>')
            text_x, anchor = (a - 4, "end") if ratio < 1 else (b + 4, "start")
            out.append(f'<text x="{text_x:.1f}" y="{yy + 11:.1f}" font-size="10.5" fill="#333333" '
                       f'text-anchor="{anchor}">{fmt_ratio(ratio)}</text>')
        y += len(refs) * row + gap
    out.append(f'<line x1="{px(1.0):.1f}" y1="{top - 4}" x2="{px(1.0):.1f}" y2="{bottom}" stroke="#222222" '
               'stroke-width="1.5"/>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def link(markdown, svg):
    """Puts one image line for `svg` above the first "## " heading of `markdown` (once)."""
    path = pathlib.Path(markdown)
    target = os.path.relpath(pathlib.Path(svg).resolve(), path.resolve().parent)
    image = f"![{IMAGE_ALT}]({target})"
    lines = [line for line in path.read_text().splitlines() if not line.startswith(f"![{IMAGE_ALT}]")]
    at = next((i for i, line in enumerate(lines) if line.startswith("## ")), len(lines))
    start = at
    while start > 0 and lines[start - 1] == "":
        start -= 1
    lines[start:at] = ["", image, ""]
    path.write_text("\n".join(lines).rstrip("\n") + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="a run's results folder (JSON files) or a RESULTS.md")
    parser.add_argument("output", help="the SVG file to write")
    parser.add_argument("--title", default="kestrel's time against each reference's, every benchmark case")
    parser.add_argument("--link", metavar="MARKDOWN", help="add the chart's image line to this file")
    args = parser.parse_args()
    source = pathlib.Path(args.source)
    if source.is_dir():
        bars = from_results_dir(source)
        subtitle = f"From the run in {source.name}/: medians, per iteration (K), per row (T4, B4), per fit otherwise."
    else:
        bars = from_results_md(source)
        # The runs whose sections hold a charted case.
        dates = [date for date, cases in re.findall(r"^## Run of (.*?): (.*)$", source.read_text(), flags=re.M)
                 if set(cases.split(", ")) - set(distributed_cases())]
        runs = f"runs of {dates[-1]} to {dates[0]}" if len(dates) > 1 else f"the run of {dates[0]}" if dates else ""
        subtitle = f"From {source.name} ({runs}): medians, per iteration (K), per row (T4, B4), per fit otherwise."
    if not bars:  # e.g. a smoke run on a machine without any reference installed
        print(f"ratio_chart.py: no case with both kestrel and a reference in {source}: no chart written")
        return 0
    pathlib.Path(args.output).write_text(chart(bars, args.title, subtitle))
    if args.link:
        link(args.link, args.output)
    wins = sum(1 for *_, r in bars if r < 1)
    print(f"wrote {args.output}: {len(bars)} comparisons, kestrel faster in {wins}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
