#!/usr/bin/env bash
# CPU cycles and instructions per real forward transform in node (perf stat,
# difference of two runs of cycles-driver.mjs, so start-up and JIT warm-up
# cancel out): Quaver's SIMD128 build against pffft-wasm's SIMD build.
# Usage: bench/js/fft/cycles.sh [n...]   (default n: 256 1024 4096)
# QUAVER_FFT_WASM_DIR=<dir>: time the builds there instead (no build step).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
[[ -n ${QUAVER_FFT_WASM_DIR:-} ]] || bash "$HERE/build.sh"
sizes=("$@")
[[ $# -gt 0 ]] || sizes=(256 1024 4096)
count() {  # <impl> <n> <iterations> -> "cycles instructions"
  perf stat -x, -e cycles,instructions node "$HERE/cycles-driver.mjs" "$1" "$2" "$3" 2>&1 >/dev/null | cut -d, -f1 | tr '\n' ' '
}
printf '%6s %12s %12s %12s %12s %13s\n' n quaver_cyc pffft_cyc quaver_ins pffft_ins pffft/quaver
for n in "${sizes[@]}"; do
  lo=$((10000000 / n)) hi=$((110000000 / n))
  declare -A cyc ins
  for impl in quaver pffft; do
    read -r c1 i1 <<<"$(count $impl "$n" $lo)"
    read -r c2 i2 <<<"$(count $impl "$n" $hi)"
    cyc[$impl]=$(((c2 - c1) / (hi - lo)))
    ins[$impl]=$(((i2 - i1) / (hi - lo)))
  done
  printf '%6d %12d %12d %12d %12d %13s\n' "$n" "${cyc[quaver]}" "${cyc[pffft]}" "${ins[quaver]}" "${ins[pffft]}" \
    "$(python3 -c "print(f'{${cyc[pffft]} / ${cyc[quaver]}:.2f}')")"
done
