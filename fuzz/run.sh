#!/bin/bash
# Builds the libFuzzer targets with clang in build-fuzz and runs each for
# SECONDS (default 60), starting from its seed corpus in fuzz/corpus/<name>/
# (copied, so the run's new inputs stay out of the repository). Every seed,
# including the inputs of crashes found before (kept there as regressions),
# is run first. Exits non-zero on any crash, leak or timeout.
# Usage: fuzz/run.sh [SECONDS] [TARGET...]   (TARGET e.g. network_fuzz)
set -euo pipefail
seconds=${1:-60}
shift || true
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz
sanitize="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
all_targets=(csv_fuzz jsonl_fuzz names_fuzz request_fuzz network_fuzz checkpoint_fuzz profile_fuzz
             postings_fuzz protect_sites_fuzz protect_resources_fuzz protect_threat_fuzz
             share_envelope_fuzz)
[ $# -gt 0 ] && targets=("$@") || targets=("${all_targets[@]}")

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DVIGIL_FUZZ=ON -DVIGIL_BUILD_TESTS=OFF \
  -DVIGIL_BUILD_BENCH=OFF -DCMAKE_CXX_FLAGS="$sanitize" > "$build.log" 2>&1 ||
  { cat "$build.log"; exit 1; }
build_args=()
for target in "${targets[@]}"; do build_args+=(--target "$target"); done
cmake --build "$build" -j2 "${build_args[@]}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for target in "${targets[@]}"; do
  name=${target%_fuzz}
  mkdir -p "$work/$name"
  cp "$root/fuzz/corpus/$name"/* "$work/$name"/
  echo "== $target for ${seconds}s"
  (cd "$work" && "$build/fuzz/$target" "$work/$name" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 -artifact_prefix="$root/crash-$target-") ||
    status=1
done
exit $status
