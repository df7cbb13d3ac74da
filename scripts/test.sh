#!/usr/bin/env bash
# Builds everything (Debug, warnings as errors, AddressSanitizer + UBSan:
# every test binary and the vigil binary the CLI and crash tests run) and
# runs every test through ctest; a sanitizer report fails its test. Also runs
# each libFuzzer target for a bounded time (VIGIL_FUZZ_SECONDS, default 20).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
FUZZ_SECONDS="${VIGIL_FUZZ_SECONDS:-20}" bash fuzz/run.sh "${VIGIL_FUZZ_SECONDS:-20}"
cd build/test
ctest --output-on-failure -j2 --timeout 600
