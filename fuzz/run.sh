#!/bin/bash
# Builds the libFuzzer targets with clang in build-fuzz and runs each for
# SECONDS (default 60) from a small seed corpus. Exits non-zero on any crash,
# leak or timeout. Usage: fuzz/run.sh [SECONDS]
set -euo pipefail
seconds=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz
sanitize="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DVIGIL_FUZZ=ON -DVIGIL_BUILD_TESTS=OFF \
  -DVIGIL_BUILD_BENCH=OFF -DCMAKE_CXX_FLAGS="$sanitize" > "$build.log" 2>&1 ||
  { cat "$build.log"; exit 1; }
cmake --build "$build" -j2 --target csv_fuzz jsonl_fuzz names_fuzz request_fuzz

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Seeds: the first byte picks the input kind (0 persons, 2 comms, 5 reports).
mkdir -p "$work/csv" "$work/jsonl" "$work/names" "$work/request"
printf '\x02time,src,dst,kind,duration_s,device,cell,x_a\n2014-06-30T21:08:00Z,msisdn:+447700900001,handle:telegram:abc,call,42,imei:490154203237518,C1,"q ""x"""\n' > "$work/csv/comms"
printf '\x00person_id,name,aliases,birth_date,nationality,status\r\nP1,"Ali\nHassan",A|B,1985-07,ES,subject\r\n' > "$work/csv/persons"
printf '\x05report_id,time,person_id,name,source,category,text\nR1,2016-01-01T00:00:00+01:00,,Ali,police,contact,"a,b"\n' > "$work/csv/reports"
printf '\x00{"person_id":"P1","name":"Ali","aliases":["A","\\u0628"],"x_n":1}\n\n{"person_id":"P2","name":null}\n' > "$work/jsonl/persons"
printf '\x02{"time":"2014-06-30T21:08:00Z","src":"ip:2001:db8::1","dst":"email:a@b.org","duration_s":7}\n' > "$work/jsonl/comms"

printf 'Mohamed Ali Hassan' > "$work/names/latin"
printf '\xd0\x90\xd0\xb1\xd0\xb4\xd1\x83\xd0\xbb\xd0\xbb\xd0\xb0' > "$work/names/cyrillic"
printf 'KOUACHI/CHERIF' > "$work/names/travel"
# Requests: selector byte (bit 0 POST, bit 1 body parameters), target, '\n', body.
printf '\x00P1?seeds=P1,msisdn%%3A%%2B447700900123&limit=5&temporal=true&from=2024-01-01\n' > "$work/request/query"
printf '\x03P1\n{"names":[{"name":"Ali","query_id":"q1"}],"threshold":0.8,"limit":3,"purpose":"x"}' > "$work/request/body"
printf '\x03P1?a=%%zz\n{"q":"\xc3\x28","seeds":["P1",2]}' > "$work/request/bad"

status=0
for target in csv_fuzz jsonl_fuzz names_fuzz request_fuzz; do
  corpus=$work/${target%_fuzz}
  echo "== $target for ${seconds}s"
  (cd "$work" && "$build/fuzz/$target" "$corpus" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 -artifact_prefix="$root/crash-$target-") ||
    status=1
done
exit $status
