#!/usr/bin/env python3
"""Markdown table of fft_bench JSON output, Quaver against FFTW only: CPU ns
per transform (minimum over repetitions) and FFTW / Quaver of the minima and
of the medians, which with --benchmark_enable_random_interleaving=true come
from repetitions spread over the same stretch of time.

Usage: ratios.py run.json
  run.json: fft_bench --benchmark_repetitions=N --benchmark_format=json
  --benchmark_out=<file> (any --benchmark_filter that keeps quaver and fftw).
"""
import json
import statistics
import sys

times = {}
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    if b.get("run_type") != "iteration":
        continue
    kernel, impl, n = b["run_name"].split("/")
    times.setdefault((kernel, impl, int(n)), []).append(b["cpu_time"])

print("| kernel | n | quaver min | fftw min | fftw/quaver (min) | fftw/quaver (median) |")
print("|---|---|---|---|---|---|")
for kernel in ("fft_complex", "fft_real"):
    for n in sorted({k[2] for k in times if k[0] == kernel}):
        q, f = times.get((kernel, "quaver", n)), times.get((kernel, "fftw", n))
        if not q or not f:
            continue
        row = [kernel.split("_")[1], str(n), f"{min(q):.0f}", f"{min(f):.0f}",
               f"{min(f) / min(q):.2f}", f"{statistics.median(f) / statistics.median(q):.2f}"]
        print("| " + " | ".join(row) + " |")
