#!/usr/bin/env python3
"""Markdown table of convolution_bench JSON output: CPU ns per block of B
frames (minimum over all repetitions of all runs given) for Quaver and the
FFTW peer, FFTW / Quaver of those minima and of the medians (with
--benchmark_enable_random_interleaving=true the repetitions of both are
spread over the same stretch of time), and with several runs the lowest and
highest per-run ratio of minima. Above 1: Quaver is faster.

Usage: ratios.py run.json [run2.json ...]
  run.json: convolution_bench --benchmark_repetitions=N --benchmark_format=json
  --benchmark_out=<file> (any --benchmark_filter that keeps quaver and fftw).
"""
import json
import statistics
import sys

UNIT_NS = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}

runs = []        # per file: (impl, B, L) -> [CPU ns per block]
partitions = {}  # (B, L) -> the peer's P
quaver_tail = {}  # (B, L) -> (head partitions, tail partitions) when Quaver has a tail
dearest = {}  # (impl, B, L) -> [dearest_block_ns of each repetition]
for name in sys.argv[1:]:
    times = {}
    for b in json.load(open(name))["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        _, impl, block, length = b["run_name"].split("/")
        shape = (int(block), int(length))
        times.setdefault((impl,) + shape, []).append(b["cpu_time"] * UNIT_NS[b["time_unit"]])
        if "dearest_block_ns" in b:
            dearest.setdefault((impl,) + shape, []).append(float(b["dearest_block_ns"]))
        if impl == "fftw":
            partitions[shape] = int(b["partitions"])
        elif int(b.get("tail_partitions", 0)):
            quaver_tail[shape] = (int(b["partitions"]), int(b["tail_partitions"]))
    runs.append(times)

several = len(runs) > 1
header = ["B", "L", "partitions (fftw)", "quaver partitions", "quaver ns/block", "fftw ns/block", "fftw/quaver (min)",
          "fftw/quaver (median)", "dearest block quaver / fftw ns (median)"]
if several:
    header.append("per-run fftw/quaver (min)")
print("| " + " | ".join(header) + " |")
print("|" + "---|" * len(header))
for block, length in sorted(partitions, key=lambda s: (s[1] != 48000, s)):
    key_q, key_f = ("quaver", block, length), ("fftw", block, length)
    if not all(key_q in r and key_f in r for r in runs):
        continue
    q = [t for r in runs for t in r[key_q]]
    f = [t for r in runs for t in r[key_f]]
    head_tail = quaver_tail.get((block, length))
    stages = f"{head_tail[0]} + {head_tail[1]} of 16 B" if head_tail else "same"
    row = [str(block), str(length), str(partitions[(block, length)]), stages, f"{min(q):.0f}", f"{min(f):.0f}",
           f"{min(f) / min(q):.2f}", f"{statistics.median(f) / statistics.median(q):.2f}"]
    dq, df = dearest.get(key_q), dearest.get(key_f)
    row.append(f"{statistics.median(dq):.0f} / {statistics.median(df):.0f}" if dq and df else "-")
    if several:
        per_run = [min(r[key_f]) / min(r[key_q]) for r in runs]
        row.append(f"{min(per_run):.2f}-{max(per_run):.2f}")
    print("| " + " | ".join(row) + " |")
