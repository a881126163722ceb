#!/usr/bin/env bash
# CPU cycles, instructions and f32x4 adds/subtracts per real forward
# transform in node (perf stat counting only the timed loop of
# cycles-driver.mjs, after its warm-up; the fewest cycles of 3 runs):
# Quaver's SIMD128 build against pffft-wasm's SIMD build, on the same noise.
# Usage: bench/js/fft/cycles.sh [n...]   (default n: 256 1024 4096)
# QUAVER_FFT_WASM_DIR=<dir>: time the builds there instead (no build step).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
[[ -n ${QUAVER_FFT_WASM_DIR:-} ]] || bash "$HERE/build.sh"
sizes=("$@")
[[ $# -gt 0 ]] || sizes=(256 1024 4096)
fifos=$(mktemp -d)
trap 'rm -rf "$fifos"' EXIT
mkfifo "$fifos/ctl" "$fifos/ack"
count() {  # <impl> <n> <iterations> -> "cycles instructions add_sub_flops"
  PERF_CTL_FIFO=$fifos/ctl PERF_ACK_FIFO=$fifos/ack \
    perf stat -x, --delay=-1 --control "fifo:$fifos/ctl,$fifos/ack" \
    -e cycles,instructions,fp_ret_sse_avx_ops.add_sub_flops node "$HERE/cycles-driver.mjs" "$1" "$2" "$3" 2>&1 >/dev/null |
    grep -v '^Events' | cut -d, -f1 | tr '\n' ' '
}
printf '%6s %11s %11s %11s %11s %11s %11s %13s\n' n quaver_cyc pffft_cyc quaver_ins pffft_ins quaver_add pffft_add pffft/quaver
for n in "${sizes[@]}"; do
  iterations=$((100000000 / n))
  declare -A cyc ins add
  for impl in quaver pffft; do
    cyc[$impl]=
    for _ in 1 2 3; do
      read -r c i a <<<"$(count $impl "$n" $iterations)"
      if [[ -z ${cyc[$impl]} || $((c / iterations)) -lt ${cyc[$impl]} ]]; then
        cyc[$impl]=$((c / iterations)) ins[$impl]=$((i / iterations)) add[$impl]=$((a / iterations / 4))
      fi
    done
  done
  printf '%6d %11d %11d %11d %11d %11d %11d %13s\n' "$n" "${cyc[quaver]}" "${cyc[pffft]}" "${ins[quaver]}" "${ins[pffft]}" \
    "${add[quaver]}" "${add[pffft]}" "$(python3 -c "print(f'{${cyc[pffft]} / ${cyc[quaver]}:.2f}')")"
done
