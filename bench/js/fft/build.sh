#!/usr/bin/env bash
# Builds build/fft-wasm/quaver-fft-{simd,portable}.{js,wasm}: Quaver's FFT as
# plain C exports (quaver_fft_wasm.cpp), for bench/js/fft.bench.mjs and the
# WASM FFT test. "simd" is SIMD128 (-msimd128, Highway's WASM target),
# "portable" has no -msimd128 (Highway's scalar/EMU128 path). A build is
# skipped when its sources are older than its output.
# Usage: bench/js/fft/build.sh [--force]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
OUT=$ROOT/build/fft-wasm
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
command -v em++ >/dev/null || { echo "build.sh: em++ not found (apt-get install emscripten)" >&2; exit 1; }
mkdir -p "$OUT/hwy-include"
exec 9>"$OUT/.lock"
flock 9  # the benchmark and the test may both ask for a build
ln -sfn /usr/include/hwy "$OUT/hwy-include/hwy"
# Emscripten emits CommonJS; the repository root is "type": "module".
echo '{ "type": "commonjs" }' > "$OUT/package.json"
# Only the headers the FFT needs: the dispatch hub compiles every kernel file
# it finds, and the FFT module has no use for the others.
rm -rf "$OUT/include"
mkdir -p "$OUT/include/quaver/dsp"
cp -r "$ROOT/include/quaver/core" "$OUT/include/quaver/"
cp -r "$ROOT/include/quaver/dsp/detail" "$ROOT"/include/quaver/dsp/fft*.h* "$OUT/include/quaver/dsp/"

sources=("$HERE/quaver_fft_wasm.cpp" "$HERE/build.sh" "$HERE/relaxed.py" "$ROOT"/include/quaver/dsp/fft*.h* "$ROOT"/include/quaver/dsp/detail/*)
build() {  # <flavour> <flags...>
  local flavour=$1; shift
  local js=$OUT/quaver-fft-$flavour.js
  if [[ ${FORCE:-0} != 1 && -f $js ]]; then
    local stale=0
    for s in "${sources[@]}"; do [[ $s -nt $js ]] && stale=1; done
    ((stale)) || return 0
  fi
  echo "building $js"
  em++ -std=c++20 -O3 "$@" -DNDEBUG -I"$OUT/include" -I"$OUT/hwy-include" "$HERE/quaver_fft_wasm.cpp" \
    -sMODULARIZE=1 -sEXPORT_NAME=createQuaverFft -sENVIRONMENT=node -sALLOW_MEMORY_GROWTH=1 \
    -sEXPORTED_FUNCTIONS=_malloc,_free -sEXPORTED_RUNTIME_METHODS=UTF8ToString \
    -o "$js.tmp.js"
  if [[ $flavour == relaxed ]]; then
    python3 "$HERE/relaxed.py" "$js.tmp.wasm" "$OUT/quaver-fft-$flavour.wasm"
    rm -f "$js.tmp.wasm"
  else
    mv "$js.tmp.wasm" "$OUT/quaver-fft-$flavour.wasm"
  fi
  sed "s/quaver-fft-$flavour.js.tmp.wasm/quaver-fft-$flavour.wasm/g" "$js.tmp.js" > "$js"
  rm -f "$js.tmp.js"
}
[[ ${1:-} == --force ]] && FORCE=1
build simd -msimd128
build relaxed -msimd128 -mrelaxed-simd
build portable
