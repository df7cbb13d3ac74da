#!/usr/bin/env bash
# Vigil's main job on the embedded default: set up, generate a world, ingest
# it, and show what Vigil makes of it. Extra arguments go to `vigil demo`.
#   bash scripts/demo.sh --serve   also serves the workbench on the demo store
#                                  (http://127.0.0.1:8080/; Ctrl-C stops it)
set -euo pipefail
cd "$(dirname "$0")/.."
serve=0
args=()
for arg in "$@"; do
  if [ "$arg" = "--serve" ]; then serve=1; else args+=("$arg"); fi
done
bash scripts/setup.sh release vigil
# The workbench (web/dist); the demo still runs when it cannot be built.
if ! cmake --build build/release --target web > /dev/null; then
  echo "demo: the workbench could not be built (node and npm needed: scripts/setup.sh installs them)" >&2
fi
vigil=build/release/src/cli/vigil
if [ "$serve" -eq 0 ] || [ ! -f vigil-demo/vigil.db ]; then
  "$vigil" demo --dir vigil-demo "${args[@]+"${args[@]}"}"
fi
port="${VIGIL_PORT:-8080}"
echo
echo "== The analyst's workbench"
echo "URL:         http://127.0.0.1:${port}/"
echo "Credentials: vigil-demo/credentials (users demo-analyst and demo-admin)"
if [ "$serve" -eq 1 ]; then
  echo "Serving vigil-demo/vigil.db; Ctrl-C stops the server."
  exec "$vigil" serve --db vigil-demo/vigil.db --port "$port" --web-root web/dist
fi
echo "Start it:    bash scripts/demo.sh --serve"
echo "         or: $vigil serve --db vigil-demo/vigil.db --port ${port}"
