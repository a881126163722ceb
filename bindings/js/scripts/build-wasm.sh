#!/usr/bin/env bash
# Builds the three WASM flavours of quaver-dsp into bindings/js/dist/ from
# every bindings/embind/*.cpp, with Debian's Emscripten (3.1.6):
#
#   quaver-threads-simd.{js,wasm,worker.js}  pthreads + SIMD128 (needs cross-origin isolation)
#   quaver-simd.{js,wasm}                    SIMD128, one thread
#   quaver-baseline.{js,wasm}                neither (old engines)
#
# Memory never grows: growing a WASM memory replaces its buffer and would
# invalidate every JS view (rings, worklets) of the heap. So the heap size is
# a budget fixed at build time, QUAVER_WASM_MEMORY_MB (default 64 MiB) for all
# three builds. It cannot be chosen at instantiation instead: the threaded
# build imports its shared memory, but Emscripten 3.1.6 declares the import's
# maximum equal to the build's size, so a bigger memory fails to link.
#
# A build is skipped when a hash of its inputs (sources, headers, flags,
# compiler version) matches the one stored beside its outputs.
# Usage: build-wasm.sh [--force]
# QUAVER_WASM_INCLUDE=<dir> compiles against another copy of include/ (e.g. a
# snapshot of a commit) instead of the working tree's.
set -euo pipefail
SCRIPT=$(realpath "$0")
cd "$(dirname "$SCRIPT")/../../.."
ROOT=$PWD
DIST=$ROOT/bindings/js/dist
WORK=$ROOT/build/npm-wasm
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
FORCE=0
[[ ${1:-} == --force ]] && FORCE=1

command -v em++ >/dev/null || { echo "build-wasm.sh: em++ not found (apt-get install emscripten)" >&2; exit 1; }

# Highway's headers only: -I/usr/include would drag the host's libc headers in.
mkdir -p "$WORK/hwy-include" "$DIST"
# One build at a time: tests and benchmarks that run this script concurrently
# wait here, then find the outputs up to date, instead of writing them twice.
exec 9>"$WORK/.lock"
flock 9
ln -sfn /usr/include/hwy "$WORK/hwy-include/hwy"
# Emscripten emits CommonJS (its pthread worker too) while the package is
# "type": "module": this marker makes node read dist/*.js as CommonJS.
echo '{ "type": "commonjs" }' > "$DIST/package.json"

BUILD_MEMORY=$((${QUAVER_WASM_MEMORY_MB:-64} * 1024 * 1024))
POOL_SIZE='Module["pthreadPoolSize"]||4'   # createQuaver({ threads }) sets it

INCLUDE=${QUAVER_WASM_INCLUDE:-$ROOT/include}
SOURCES=("$ROOT"/bindings/embind/*.cpp)
COMMON=(-std=c++20 -O3 --bind -I"$INCLUDE" -I"$WORK/hwy-include"
  -DQUAVER_ENABLE_ASSERTS=0 -DNDEBUG
  -sMODULARIZE=1 -sENVIRONMENT=web,worker,node -sALLOW_MEMORY_GROWTH=0
  -sINITIAL_MEMORY=$BUILD_MEMORY -sALLOW_TABLE_GROWTH=1 -sINCOMING_MODULE_JS_API=print,printErr,locateFile,wasmBinary,instantiateWasm,onAbort,pthreadPoolSize,mainScriptUrlOrBlob,noExitRuntime
  -sEXPORTED_RUNTIME_METHODS=[] -sTEXTDECODER=2
  -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0 -Wno-unused-command-line-argument)

# C++ exceptions: native WASM exception handling (-fwasm-exceptions: no cost
# until a throw, +5-8% code size) in the two SIMD builds, so that a pool job's
# or an STFT's exception rejects its promise with its message. Every engine
# with SIMD128 except Chrome/Edge 91-94 also has it. The baseline build, for
# old engines, has none: there a throw aborts, and the pool refuses 'fail'.
# (Emscripten's JS-based -fexceptions would work everywhere but costs twice
# the size and a JS call around every call that may throw.)
declare -A FLAGS=(
  [threads-simd]="-pthread -msimd128 -fwasm-exceptions -sPTHREAD_POOL_SIZE=$POOL_SIZE -sPTHREAD_POOL_SIZE_STRICT=2 -sEXPORT_NAME=createQuaverThreadsSimd"
  [simd]="-msimd128 -fwasm-exceptions -sEXPORT_NAME=createQuaverSimd"
  [baseline]="-sEXPORT_NAME=createQuaverBaseline"
)

inputs_hash() {  # <flavour>
  {
    em++ --version | head -1
    echo "${COMMON[*]} ${FLAGS[$1]}"
    cat "$SCRIPT" "$ROOT/bindings/js/scripts/build-cjs.mjs"
    find "$ROOT/bindings/embind" "$INCLUDE" -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \) | LC_ALL=C sort | xargs cat
  } | sha256sum | cut -d' ' -f1
}

build() {  # <flavour>
  local f=$1 out="$DIST/quaver-$1.js" stamp="$WORK/quaver-$1.hash" hash
  hash=$(inputs_hash "$f")
  if ((!FORCE)) && [[ -f $out && -f ${out%.js}.wasm && "$(cat "$stamp" 2>/dev/null)" == "$hash" ]]; then
    echo "build-wasm: quaver-$f is up to date"
    return 0
  fi
  local start=$SECONDS
  # shellcheck disable=SC2086
  em++ "${COMMON[@]}" ${FLAGS[$f]} "${SOURCES[@]}" -o "$out"
  # The browser imports an ES module; the same factory with an export line.
  # (Node and the pthread workers load the CommonJS file.)
  local name=${FLAGS[$f]##*EXPORT_NAME=}
  { cat "$out"; echo; echo "export default ${name%% *};"; } > "${out%.js}.mjs"
  echo "$hash" > "$stamp"
  echo "build-wasm: quaver-$f built in $((SECONDS - start)) s"
}

# The CommonJS twin of the plain-JS ring (instant, always rebuilt).
node "$ROOT/bindings/js/scripts/build-cjs.mjs"

pids=()
for f in threads-simd simd baseline; do
  build "$f" &
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
((status == 0)) || { echo "build-wasm: FAILED" >&2; exit 1; }
