#!/usr/bin/env bash
# Builds the worker pool for WASM with Emscripten, into build/pool-wasm/:
#   pool-threads.{js,wasm}   bindings/embind/pool.cpp, pthreads + SIMD128 + C++ exceptions
#   pool-single.{js,wasm}    the same without threads (jobs run cooperatively)
#   pool_*_test.js           the native doctest suites of tests/sched, compiled to WASM
# Each output is rebuilt only when a hash of its inputs changes.
# Usage: tests/wasm/pool/build.sh [--force]
set -euo pipefail
cd "$(dirname "$(realpath "$0")")/../../.."
ROOT=$PWD
OUT=$ROOT/build/pool-wasm
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
FORCE=0
[[ ${1:-} == --force ]] && FORCE=1
command -v em++ >/dev/null || { echo "pool build: em++ not found (apt-get install emscripten)" >&2; exit 1; }

# node --test runs test files in parallel, and two of them build this: one at a time.
mkdir -p "$OUT"
exec 9>"$OUT/.lock"
flock 9

# Only the headers of Highway and doctest: -I/usr/include would bring in the host's libc.
mkdir -p "$OUT/include"
ln -sfn /usr/include/hwy "$OUT/include/hwy"
ln -sfn /usr/include/doctest "$OUT/include/doctest"
echo '{ "type": "commonjs" }' > "$OUT/package.json"

COMMON=(-std=c++20 -O2 -fexceptions -I"$ROOT/include" -I"$OUT/include" -I"$ROOT/tests"
  -sALLOW_MEMORY_GROWTH=0 -sINITIAL_MEMORY=134217728 -sENVIRONMENT=node,worker,web
  -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0 -Wno-unused-command-line-argument -Wno-pthreads-mem-growth)
MODULE=(--bind -sMODULARIZE=1 -sEXPORTED_RUNTIME_METHODS=[]
  -sINCOMING_MODULE_JS_API=wasmBinary,locateFile,pthreadPoolSize,print,printErr)
THREADS=(-pthread -msimd128)

build() {  # <output> <flags...> -- <sources...>
  local out=$1; shift
  local hash stamp="$OUT/$(basename "$out").hash"
  local sources=()
  for a in "$@"; do [[ -f $a ]] && sources+=("$a"); done
  hash=$({ em++ --version | sed -n 1p; echo "$*"; cat "${sources[@]}";
    find "$ROOT/include/quaver/sched" "$ROOT/include/quaver/core" "$ROOT/include/quaver/ring" -type f | LC_ALL=C sort | xargs cat; } | sha256sum | cut -d' ' -f1)
  if ((!FORCE)) && [[ -f $out && "$(cat "$stamp" 2>/dev/null)" == "$hash" ]]; then return 0; fi
  local start=$SECONDS
  em++ "$@" -o "$out"
  echo "$hash" > "$stamp"
  echo "pool build: $(basename "$out") in $((SECONDS - start)) s"
}

TESTS=(-sEXIT_RUNTIME=1)
SUPPORT=("$ROOT/tests/support/doctest_main.cpp" "$ROOT/tests/support/alloc_counter.cpp")
pids=()
build "$OUT/pool-threads.js" "${COMMON[@]}" "${MODULE[@]}" "${THREADS[@]}" -sEXPORT_NAME=createPoolThreads \
  '-sPTHREAD_POOL_SIZE=Module["pthreadPoolSize"]||4' -sPTHREAD_POOL_SIZE_STRICT=2 "$ROOT/bindings/embind/pool.cpp" & pids+=($!)
build "$OUT/pool-single.js" "${COMMON[@]}" "${MODULE[@]}" -sEXPORT_NAME=createPoolSingle \
  "$ROOT/bindings/embind/pool.cpp" & pids+=($!)
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
pids=()
# The C++ suites: the inline one without threads, the threaded ones with a
# pthread pool large enough for their workers, submitters and retired workers.
build "$OUT/pool_inline_test.js" "${COMMON[@]}" "${TESTS[@]}" "$ROOT/tests/sched/pool_inline_test.cpp" "${SUPPORT[@]}" & pids+=($!)
build "$OUT/pool_threads_test.js" "${COMMON[@]}" "${TESTS[@]}" "${THREADS[@]}" -sPTHREAD_POOL_SIZE=16 \
  "$ROOT/tests/sched/pool_threads_test.cpp" "${SUPPORT[@]}" & pids+=($!)
for p in "${pids[@]}"; do wait "$p" || status=1; done
build "$OUT/pool_stress_test.js" "${COMMON[@]}" "${TESTS[@]}" "${THREADS[@]}" -sPTHREAD_POOL_SIZE=8 \
  "$ROOT/tests/sched/pool_stress_test.cpp" "${SUPPORT[@]}" || status=1
((status == 0)) || { echo "pool build: FAILED" >&2; exit 1; }
