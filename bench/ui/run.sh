#!/bin/bash
# The workbench's figures in headless Chromium (bench/ui/bench.mjs): subject
# page ready on the demo world and on a 20,000-person world, a 5,000-node /
# 50,000-tie network view drawn and panned, the 100,000-event timeline's
# zoom. Needs the Release vigil (cmake --build build/release --target vigil
# web), web/node_modules (npm ci) and /usr/bin/chromium. Run it alone, inside
# vbuild: `vbuild bash bench/ui/run.sh`.
#
# Usage: [WORK=DIR] [RUNS=N] [ONLY=demo,big,network,timeline] [DIST=DIR] bench/ui/run.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VIGIL=${VIGIL:-$ROOT/build/release/src/cli/vigil}
WORK=${WORK:-/tmp/vigil-ui-bench}
RUNS=${RUNS:-5}
ONLY=${ONLY:-demo,big,network,timeline}
DIST=${DIST:-$ROOT/web/dist}
if [ ! -x "$VIGIL" ]; then
  echo "bench/ui: $VIGIL missing (cmake --build build/release --target vigil web)" >&2
  exit 1
fi
if [ ! -f "$DIST/index.html" ]; then
  echo "bench/ui: web/dist missing (cmake --build build/release --target web)" >&2
  exit 1
fi
echo "bench/ui: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $("${VIGIL}" --version 2>/dev/null | head -1 || true)"
exec node "$ROOT/bench/ui/bench.mjs" --vigil "$VIGIL" --dist "$DIST" --work "$WORK" --runs "$RUNS" --only "$ONLY"
