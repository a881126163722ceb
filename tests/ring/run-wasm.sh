#!/usr/bin/env bash
# Builds the ring tests with Emscripten (wasm32: 32-bit size_t, no
# std::atomic_ref in its libc++, i32 atomics) and runs them in node; the
# two-thread tests run on real WASM threads (pthreads over SharedArrayBuffer).
# Usage: tests/ring/run-wasm.sh [build-dir]   (default build/wasm-ring-tests)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=${1:-build/wasm-ring-tests}
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
mkdir -p "$OUT/include"
# Emscripten writes CommonJS; the repository's package.json says "module".
echo '{ "type": "commonjs" }' > "$OUT/package.json"
# doctest's header alone on the include path (never all of /usr/include).
ln -sfn /usr/include/doctest "$OUT/include/doctest"
common=(-std=c++20 -O2 -fexceptions -DQUAVER_ENABLE_ASSERTS=1 -I"$ROOT/include" -I"$ROOT/tests" -I"$OUT/include"
        "$ROOT/tests/support/doctest_main.cpp" "$ROOT/tests/support/alloc_counter.cpp")
status=0
for t in spsc_ring_test ringbuf_js_view_test audio_ring_test mpmc_queue_test; do
  em++ "${common[@]}" -sALLOW_MEMORY_GROWTH "$ROOT/tests/ring/$t.cpp" -o "$OUT/$t.js"
  node --no-experimental-fetch "$OUT/$t.js" -nc -m || status=1
done
for t in spsc_ring_threads_test audio_ring_threads_test mpmc_queue_threads_test; do
  em++ "${common[@]}" -pthread -sPROXY_TO_PTHREAD -sPTHREAD_POOL_SIZE=6 -sEXIT_RUNTIME -sINITIAL_MEMORY=256MB "$ROOT/tests/ring/$t.cpp" -o "$OUT/$t.js"
  node --no-experimental-fetch "$OUT/$t.js" -nc -m || status=1
done
exit $status
