#!/usr/bin/env bash
# Installs everything Quaver's builds, tests and benchmarks need on Debian 12,
# as root. Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  cmake ninja-build g++ pkg-config python3 python3-numpy python3-scipy
  libhwy-dev doctest-dev libbenchmark-dev
  libfftw3-dev libkissfft-dev libreaderwriterqueue-dev libconcurrentqueue-dev libboost-dev libtbb-dev
  libsndfile1-dev emscripten chromium
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
if ((${#missing[@]})); then
  echo "==> apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if ((node_major < 20)); then
  echo "Quaver's JS tooling needs node >= 20 (found $(node --version))" >&2
  exit 1
fi

# npm ci is skipped when node_modules was installed from this very lock file.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ "$(cat node_modules/.quaver-lock-hash 2>/dev/null)" != "$lock_hash" ]]; then
  echo "==> npm ci"
  npm ci --no-audit --no-fund
  echo "$lock_hash" > node_modules/.quaver-lock-hash
fi
