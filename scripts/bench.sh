#!/usr/bin/env bash
# Sets up, builds and runs Quaver's benchmarks side by side with their peers:
# natively (Google Benchmark), in node and in headless Chromium, then prints
# one table (bench/report.mjs) and writes bench/results/*.json.
# Usage: scripts/bench.sh [--quick]
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JOBS=${JOBS:-$(nproc)}
QUICK=0
[[ "${1:-}" == "--quick" ]] && QUICK=1
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs} QUAVER_BENCH_QUICK=$QUICK

bash scripts/setup.sh || exit 1
RESULTS=bench/results
mkdir -p "$RESULTS"
rm -f "$RESULTS"/*.json

echo "==> building native benchmarks (Release)"
cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DQUAVER_BUILD_TESTS=OFF \
  -DQUAVER_BUILD_EXAMPLES=OFF -DQUAVER_BUILD_BENCH=ON >/dev/null || exit 1
cmake --build build/bench -j "$JOBS" || exit 1

min_time=0.2
((QUICK)) && min_time=0.05
for exe in build/bench/bench/*; do
  [[ -x "$exe" ]] || continue
  name=$(basename "$exe")
  echo "==> native: $name"
  "$exe" --benchmark_min_time="$min_time" --benchmark_out="$RESULTS/native-$name.json" \
    --benchmark_out_format=json --benchmark_format=console 2>&1 | grep -v '^\*\*\*' || echo "   $name failed"
done

if [[ -f bindings/js/scripts/build-wasm.sh ]]; then
  echo "==> building WASM"
  bash bindings/js/scripts/build-wasm.sh || echo "   WASM build failed"
fi
for js in bench/js/*.bench.mjs; do
  [[ -f "$js" ]] || continue
  echo "==> node: $(basename "$js")"
  node "$js" --out "$RESULTS/node-$(basename "$js" .bench.mjs).json" || echo "   $js failed"
done
if [[ -f bench/web/run-chromium.mjs ]]; then
  echo "==> chromium"
  node bench/web/run-chromium.mjs --out "$RESULTS/chromium.json" || echo "   chromium bench failed"
fi

node bench/report.mjs "$RESULTS"
