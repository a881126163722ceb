#!/usr/bin/env bash
# Builds and runs a small consumer of Quaver three ways: find_package after
# cmake --install, add_subdirectory, and a plain compiler call with -I include.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/build/consumers
rm -rf "$OUT" && mkdir -p "$OUT"

echo "-- find_package(quaver) after cmake --install"
cmake -S "$ROOT" -B "$OUT/quaver" -G Ninja -DQUAVER_BUILD_TESTS=OFF -DQUAVER_BUILD_BENCH=OFF \
  -DQUAVER_BUILD_EXAMPLES=OFF -DCMAKE_INSTALL_PREFIX="$OUT/prefix" >/dev/null
cmake --install "$OUT/quaver" >/dev/null
cmake -S tests/consumers/find_package -B "$OUT/fp" -G Ninja -DCMAKE_PREFIX_PATH="$OUT/prefix" >/dev/null
cmake --build "$OUT/fp" >/dev/null
"$OUT/fp/consumer"

echo "-- add_subdirectory(quaver)"
cmake -S tests/consumers/add_subdirectory -B "$OUT/as" -G Ninja -DQUAVER_SOURCE_DIR="$ROOT" >/dev/null
cmake --build "$OUT/as" >/dev/null
"$OUT/as/consumer"

echo "-- c++ -std=c++20 -I include"
${CXX:-c++} -std=c++20 -O2 -I include tests/consumers/main.cpp -o "$OUT/plain" -lhwy -pthread
"$OUT/plain"
echo "consumers: 3 passed, 0 failed"
