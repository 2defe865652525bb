#!/usr/bin/env bash
# Import benchmark (not run by CI): a generated 10,000-task plan as MS Project
# XML and as CSV (bench/import_gen.py), imported with the release binary
# three times each into a new folder; prints the median wall time and peak
# memory. Target: under 2 s each.
#
#   bash bench/import.sh [TASKS]        # default 10000
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
data=${BENCH_DATA:-${TMPDIR:-/tmp}/tpm-site-bench}/import-$n
mkdir -p "$data"
[ -f "$data/plan.xml" ] || python3 bench/import_gen.py "$n" "$data"
cargo build --release --quiet
bin=target/release/tpm-site
printf '| source | tasks | wall (s) | peak RSS (MB) |\n|---|---|---|---|\n'
for src in plan.xml plan.csv; do
  runs=()
  for i in 1 2 3; do
    rm -rf "$data/content"
    log=$(mktemp)
    /usr/bin/time -v "$bin" import "$data/$src" --content "$data/content" --start 2027-01-04 --as-of 2027-02-01 >"$log" 2>&1
    wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(grep 'Maximum resident set size' "$log" | awk '{print int($NF/1024)}')
    runs+=("$wall|$rss")
    rm -f "$log"
  done
  median=$(printf '%s\n' "${runs[@]}" | sort -t'|' -k1,1g | sed -n 2p)
  IFS='|' read -r wall rss <<<"$median"
  printf '| %s | %s | %s | %s |\n' "$src" "$n" "$wall" "$rss"
done
