#!/usr/bin/env bash
# Builds everything (Debug, warnings as errors) and runs every test through
# ctest; then runs each libFuzzer target for a bounded time.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
FUZZ_SECONDS="${VIGIL_FUZZ_SECONDS:-20}" bash fuzz/run.sh "${VIGIL_FUZZ_SECONDS:-20}"
cd build/test
ctest --output-on-failure -j2 --timeout 600
