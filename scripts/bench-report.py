#!/usr/bin/env python3
"""bench-report.py: turn the judged runs of the bench scenario into results.

    bench-report.py --csv OUT.csv [--table OUT.md] [--plot OUT.png] JSON...

Reads the "bench-cell" figures that mdbbench prints ("# info: bench-cell
key=value...", one per topology, cell and method) from the JSON that
judge.py wrote for each run, writes them as a CSV, prints the
ratio table (baseline/helper and helper/lowerbound at 1, 16 and 256 ranges
of 64 KiB, per IOMMU, with the IOTLB sync and entry counts per map+unmap),
also as Markdown with --table, and plots ns per map+unmap against the
number of ranges at 64 KiB (log-log, one line per method and topology) with
gnuplot with --plot.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile

FIELDS = ["topo", "method", "ranges", "size", "reps", "min_ns", "median_ns",
          "map_ns", "unmap_ns", "entries", "sync_map", "iotlb_sync",
          "flush_all", "dma_addr", "status"]
PAIR = re.compile(r"(\w+)=(\S+)")
IOMMUS = ["iommu-intel", "iommu-amd"]
TABLE_RANGES = [1, 16, 256]
PLOT_SIZE = 65536
PLOT_METHODS = ["helper", "baseline", "lowerbound"]
# a colour per topology, a line and point style per method
COLOR = {"iommu-intel": "#1f77b4", "iommu-amd": "#d62728",
         "direct": "#2ca02c", "switch": "#9467bd"}
STYLE = {"helper": "dashtype 1 pointtype 7",
         "baseline": "dashtype 2 pointtype 4",
         "lowerbound": "dashtype 3 pointtype 8"}


def read_cells(paths):
    rows = []
    for path in paths:
        with open(path) as f:
            run = json.load(f)
        for i in run["infos"]:
            if i["name"] != "bench-cell" or "method" not in i["kv"]:
                continue  # a cell skipped before any method ran
            rows.append({k: i["kv"].get(k, "") for k in FIELDS})
    return rows


def index(rows):
    return {(r["topo"], r["method"], int(r["ranges"]), int(r["size"])): r
            for r in rows if r["status"] == "ok"}


def fmt_ns(v):
    return f"{v / 1000:.1f}" if v is not None else "-"


def ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else "-"


def counts(r):
    if r is None:
        return "-"
    return f"{r['entries']} / {r['sync_map']} / {r['iotlb_sync']} / {r['flush_all']}"


def table(idx):
    head = ["IOMMU", "ranges", "baseline us", "helper us", "lowerbound us",
            "baseline/helper", "helper/lowerbound",
            "baseline: entries / sync_map / iotlb_sync / flush_all",
            "helper: entries / sync_map / iotlb_sync / flush_all",
            "lowerbound: entries / sync_map / iotlb_sync / flush_all"]
    out = [head]
    for topo in IOMMUS:
        for n in TABLE_RANGES:
            cell = {m: idx.get((topo, m, n, PLOT_SIZE)) for m in PLOT_METHODS}
            med = {m: int(c["median_ns"]) if c else None
                   for m, c in cell.items()}
            out.append([topo.replace("iommu-", ""), str(n),
                        fmt_ns(med["baseline"]), fmt_ns(med["helper"]),
                        fmt_ns(med["lowerbound"]),
                        ratio(med["baseline"], med["helper"]),
                        ratio(med["helper"], med["lowerbound"]),
                        counts(cell["baseline"]), counts(cell["helper"]),
                        counts(cell["lowerbound"])])
    return out


def print_table(rows, md):
    if md:
        lines = ["| " + " | ".join(rows[0]) + " |",
                 "|" + "|".join(" --- " for _ in rows[0]) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(lines) + "\n"
    short = [r[:7] for r in rows]
    width = [max(len(r[i]) for r in short) for i in range(7)]
    lines = ["  ".join(c.rjust(w) for c, w in zip(r, width)) for r in short]
    lines.append("")
    lines.append("per map+unmap: entries handed to the importer / "
                 "iotlb_sync_map / iotlb_sync / flush_iotlb_all calls")
    for r in rows[1:]:
        lines.append(f"  {r[0]:5} {r[1]:>4} ranges: baseline {r[7]};"
                     f" helper {r[8]}; lowerbound {r[9]}")
    return "\n".join(lines) + "\n"


def plot(idx, png):
    series = []
    with tempfile.TemporaryDirectory() as tmp:
        for topo in sorted({k[0] for k in idx}):
            for m in PLOT_METHODS:
                pts = sorted((k[2], int(r["median_ns"]))
                             for k, r in idx.items()
                             if k[0] == topo and k[1] == m and k[3] == PLOT_SIZE)
                if not pts:
                    continue
                path = os.path.join(tmp, f"{topo}-{m}.dat")
                with open(path, "w") as f:
                    f.writelines(f"{x} {y / 1000}\n" for x, y in pts)
                style = STYLE[m]
                color = COLOR.get(topo, "black")
                series.append(f"'{path}' using 1:2 with linespoints "
                              f"{style} linewidth 2 linecolor rgb '{color}' "
                              f"title '{m} ({topo})'")
        if not series:
            return False
        script = "\n".join([
            "set terminal pngcairo size 1100,700 noenhanced",
            f"set output '{png}'",
            "set logscale xy",
            "set xlabel 'ranges (64 KiB each, non-adjacent)'",
            "set ylabel 'median us per map+unmap (TCG guest)'",
            "set title 'dma-buf of BAR ranges mapped for edu'",
            "set xrange [0.8:1300]",
            "set key outside right",
            "set grid",
            "set xtics (1, 4, 16, 64, 256, 1024)",
            "plot " + ", \\\n     ".join(series),
        ])
        subprocess.run(["gnuplot"], input=script, text=True, check=True)
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", required=True)
    ap.add_argument("--table")
    ap.add_argument("--plot")
    ap.add_argument("logs", nargs="+")
    a = ap.parse_args()

    rows = read_cells(a.logs)
    if not rows:
        print("bench-report: no bench-cell lines in the logs", file=sys.stderr)
        return 1
    with open(a.csv, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        w.writerows(rows)
    idx = index(rows)
    t = table(idx)
    sys.stdout.write(print_table(t, False))
    if a.table:
        with open(a.table, "w") as f:
            f.write(print_table(t, True))
    if a.plot and not plot(idx, a.plot):
        print("bench-report: nothing to plot", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
