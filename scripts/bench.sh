#!/usr/bin/env bash
# Sets up, builds and runs Quaver's benchmarks side by side with their peers:
# natively (Google Benchmark), in node and in headless Chromium, then prints
# one table (bench/report.mjs) and writes bench/results/*.json.
# Usage: scripts/bench.sh [--quick]
#   --quick (or QUAVER_BENCH_QUICK=1): fewer sizes and shorter runs, a first look.
#   QUAVER_BENCH_BUILD_DIR: the native build folder (default build/bench);
#   QUAVER_BENCH_RESULTS: the results folder (default bench/results).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JOBS=${JOBS:-$(nproc)}
QUICK=0
[[ "${1:-}" == "--quick" || "${QUAVER_BENCH_QUICK:-0}" == 1 ]] && QUICK=1
BUILD=${QUAVER_BENCH_BUILD_DIR:-build/bench}
START=$SECONDS
elapsed() { echo "   ($((SECONDS - START)) s so far)"; }
# Benchmarks of concurrent runs on one machine never overlap.
LOCK=()
command -v flock >/dev/null && LOCK=(flock /tmp/quaver-bench.lock)
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs} QUAVER_BENCH_QUICK=$QUICK

bash scripts/setup.sh || exit 1
RESULTS=${QUAVER_BENCH_RESULTS:-bench/results}
mkdir -p "$RESULTS"
rm -f "$RESULTS"/*.json

echo "==> building native benchmarks (Release)"
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DQUAVER_BUILD_TESTS=OFF \
  -DQUAVER_BUILD_EXAMPLES=OFF -DQUAVER_BUILD_BENCH=ON >/dev/null || exit 1
cmake --build "$BUILD" -j "$JOBS" || exit 1
elapsed

min_time=0.2
((QUICK)) && min_time=0.05
# The Google Benchmark suites are the *_bench programs; the other tools there
# (fft_cycles, pool_throughput_pairs) are run by hand (bench/RESULTS.md).
for exe in "$BUILD"/bench/*_bench; do
  [[ -x "$exe" && -f "$exe" ]] || continue
  name=$(basename "$exe")
  filter=()
  # Quick: the sizes the chart shows (bench/chart.mjs), not every size.
  ((QUICK)) && filter=(--benchmark_filter='^(fft_(real|complex)/[a-z_]+/(256|1024|4096)|[^f].*|fft_real_plan.*)$')
  echo "==> native: $name"
  "${LOCK[@]}" "$exe" --benchmark_min_time="$min_time" "${filter[@]}" --benchmark_out="$RESULTS/native-$name.json" \
    --benchmark_out_format=json --benchmark_format=console 2>&1 | grep -v '^\*\*\*' || echo "   $name failed"
  elapsed
done

if [[ -f bindings/js/scripts/build-wasm.sh ]]; then
  echo "==> building WASM"
  bash bindings/js/scripts/build-wasm.sh || echo "   WASM build failed"
fi
for js in bench/js/*.bench.mjs; do
  [[ -f "$js" ]] || continue
  echo "==> node: $(basename "$js")"
  "${LOCK[@]}" node "$js" --out "$RESULTS/node-$(basename "$js" .bench.mjs).json" || echo "   $js failed"
  elapsed
done
if [[ -f bench/web/run-chromium.mjs ]]; then
  echo "==> chromium"
  "${LOCK[@]}" node bench/web/run-chromium.mjs --out "$RESULTS/chromium.json" || echo "   chromium bench failed"
  elapsed
fi

node bench/report.mjs "$RESULTS"
echo "==> done in $((SECONDS - START)) s"
