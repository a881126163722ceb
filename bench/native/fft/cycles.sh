#!/usr/bin/env bash
# CPU cycles and instructions per transform (perf stat, difference of two
# runs of fft_cycles), Quaver against FFTW, complex and real forward.
# Usage: bench/native/fft/cycles.sh <build-dir> [n...]   (default n: 256 1024 4096)
set -euo pipefail
exe=$1/bench/native/fft/fft_cycles
shift
sizes=("${@:-256 1024 4096}")
[[ $# -gt 0 ]] || sizes=(256 1024 4096)
count() {  # <impl> <kind> <n> <iterations> -> "cycles instructions"
  perf stat -x, -e cycles,instructions "$exe" "$1" "$2" "$3" "$4" 2>&1 >/dev/null | cut -d, -f1 | tr '\n' ' '
}
printf '%-8s %6s %12s %12s %12s %12s %8s\n' kind n quaver_cyc fftw_cyc quaver_ins fftw_ins fftw/quaver
for kind in c r; do
  for n in "${sizes[@]}"; do
    lo=$((20000000 / n)) hi=$((220000000 / n))
    declare -A cyc ins
    for impl in quaver fftw; do
      read -r c1 i1 <<<"$(count $impl $kind "$n" $lo)"
      read -r c2 i2 <<<"$(count $impl $kind "$n" $hi)"
      cyc[$impl]=$(((c2 - c1) / (hi - lo)))
      ins[$impl]=$(((i2 - i1) / (hi - lo)))
    done
    printf '%-8s %6d %12d %12d %12d %12d %8s\n' "$([[ $kind == c ]] && echo complex || echo real)" "$n" \
      "${cyc[quaver]}" "${cyc[fftw]}" "${ins[quaver]}" "${ins[fftw]}" \
      "$(python3 -c "print(f'{${cyc[fftw]} / ${cyc[quaver]}:.2f}')")"
  done
done
