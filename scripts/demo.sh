#!/usr/bin/env bash
# Vigil's main job on the embedded default: set up, generate a world, ingest
# it, and show what Vigil makes of it. Extra arguments go to `vigil demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh release vigil
exec build/release/src/cli/vigil demo --dir vigil-demo "$@"
