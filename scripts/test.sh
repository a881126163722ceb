#!/usr/bin/env bash
# Sets up and runs every Quaver test: native (Release), ThreadSanitizer
# (concurrent tests), AddressSanitizer + UBSan (the rest), the three CMake
# consumer projects, the WASM build, node tests and headless-Chromium tests.
# Usage: scripts/test.sh [stage...]   (default: all stages)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JOBS=${JOBS:-$(nproc)}
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}

bash scripts/setup.sh || { echo "setup failed" >&2; exit 1; }

cmake_build() {  # <dir> <cmake args...>
  local dir=$1; shift
  cmake -S "$ROOT" -B "$dir" -G Ninja "$@" >/dev/null && cmake --build "$dir" -j "$JOBS"
}

stage_native() {
  cmake_build build/release -DCMAKE_BUILD_TYPE=Release -DQUAVER_ENABLE_ASSERTS=ON \
    -DQUAVER_BUILD_BENCH=OFF -DQUAVER_BUILD_EXAMPLES=ON &&
    ctest --test-dir build/release --output-on-failure -j "$JOBS"
}

stage_tsan() {
  # setarch -R: GCC 12's TSan cannot map its shadow with the kernel's
  # high-entropy ASLR.
  cmake_build build/tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DQUAVER_SANITIZE=thread \
    -DQUAVER_TEST_ONLY_LABEL=concurrent -DQUAVER_BUILD_BENCH=OFF -DQUAVER_BUILD_EXAMPLES=OFF &&
    TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
      setarch "$(uname -m)" -R ctest --test-dir build/tsan --output-on-failure -j "$JOBS"
}

stage_asan() {
  cmake_build build/asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
    -DQUAVER_SANITIZE=address,undefined -DQUAVER_TEST_EXCLUDE_LABEL=concurrent \
    -DQUAVER_BUILD_BENCH=OFF -DQUAVER_BUILD_EXAMPLES=OFF &&
    ASAN_OPTIONS="detect_leaks=1" UBSAN_OPTIONS="print_stacktrace=1" \
      ctest --test-dir build/asan --output-on-failure -j "$JOBS"
}

stage_consumers() {
  bash tests/consumers/run.sh
}

stage_wasm() {
  bash bindings/js/scripts/build-wasm.sh
}

stage_node() {
  node --test tests/js/
}

stage_browser() {
  node --test tests/browser/
}

ALL_STAGES=(native tsan asan consumers wasm node browser)
STAGES=("$@")
((${#STAGES[@]})) || STAGES=("${ALL_STAGES[@]}")

passed=0
failed=0
failed_names=()
for s in "${STAGES[@]}"; do
  case $s in
    wasm) [[ -f bindings/js/scripts/build-wasm.sh ]] || { echo "==> $s: nothing to build yet"; continue; } ;;
    node) compgen -G "tests/js/*.test.*" >/dev/null || { echo "==> $s: no tests yet"; continue; } ;;
    browser) compgen -G "tests/browser/*.test.*" >/dev/null || { echo "==> $s: no tests yet"; continue; } ;;
  esac
  echo "==> stage $s"
  start=$SECONDS
  if "stage_$s"; then
    passed=$((passed + 1)); echo "==> stage $s passed in $((SECONDS - start)) s"
  else
    failed=$((failed + 1)); failed_names+=("$s"); echo "==> stage $s FAILED after $((SECONDS - start)) s"
  fi
done

((failed)) && echo "failed stages: ${failed_names[*]}"
echo "stages: $passed passed, $failed failed"
((failed == 0))
