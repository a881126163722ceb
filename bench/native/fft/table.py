#!/usr/bin/env python3
"""Markdown table of fft_bench JSON output: CPU ns per transform, the minimum
over repetitions (on a loaded machine the minimum is the least disturbed),
and the ratios FFTW / Quaver and KissFFT / Quaver from the same run.

Usage: table.py after.json [before.json]
  after.json, before.json: fft_bench --benchmark_repetitions=N --benchmark_format=json
  --benchmark_out=<file>; with before.json, Quaver's earlier figures and
  FFTW / Quaver of that run are added.
"""
import json
import sys


def load(path):
    best = {}
    for b in json.load(open(path))["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        kernel, impl, n = b["run_name"].split("/")
        key = (kernel, impl, int(n))
        best[key] = min(best.get(key, float("inf")), b["cpu_time"])
    return best


after = load(sys.argv[1])
before = load(sys.argv[2]) if len(sys.argv) > 2 else None
head = ["kernel", "n"]
head += ["quaver before", "quaver"] if before else ["quaver"]
head += ["fftw", "kissfft"]
head += ["fftw/quaver before", "fftw/quaver"] if before else ["fftw/quaver"]
head += ["kissfft/quaver"]
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for kernel in ("fft_complex", "fft_real"):
    for n in sorted({k[2] for k in after if k[0] == kernel}):
        q, f, k = (after[(kernel, impl, n)] for impl in ("quaver", "fftw", "kissfft"))
        row = [kernel.split("_")[1], str(n)]
        row += [f"{before[(kernel, 'quaver', n)]:.0f}", f"{q:.0f}"] if before else [f"{q:.0f}"]
        row += [f"{f:.0f}", f"{k:.0f}"]
        if before:
            row.append(f"{before[(kernel, 'fftw', n)] / before[(kernel, 'quaver', n)]:.2f}")
        row += [f"{f / q:.2f}", f"{k / q:.2f}"]
        print("| " + " | ".join(row) + " |")
