#!/usr/bin/env bash
# Idempotent set-up: installs every Debian package Vigil needs (when one is
# missing), then configures and builds.
#   scripts/setup.sh release [TARGET...]  -> build/release (the demo, benchmarks)
#   scripts/setup.sh test      [TARGET...]  -> build/test    (Debug, -Werror, ASan + UBSan, tests)
# Without targets everything is built.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libsqlite3-dev sqlite3 libicu-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libsodium-dev libexpat1-dev libigraph-dev libglpk-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
  python3 python3-igraph python3-networkx python3-jellyfish time
  libcpp-httplib-dev wrk ccache
)

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
# The workbench (web/) is built with Node.js and npm and tested in Chromium.
# A machine may already have Node.js from elsewhere (it then brings its own
# npm): only what no command provides is installed from Debian.
command -v node > /dev/null || missing+=(nodejs)
command -v npm > /dev/null || missing+=(npm)
command -v chromium > /dev/null || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

mode="${1:-release}"
shift || true
targets=()
for target in "$@"; do targets+=(--target "$target"); done
case "$mode" in
  release) dir=build/release; flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  test)    dir=build/test;    flags=(-DCMAKE_BUILD_TYPE=Debug -DVIGIL_WERROR=ON -DVIGIL_SANITIZE=ON) ;;
  *) echo "usage: scripts/setup.sh [release|test]" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" -G Ninja "${flags[@]}" > /dev/null
cmake --build "$dir" -j2 "${targets[@]}"
