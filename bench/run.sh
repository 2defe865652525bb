#!/usr/bin/env bash
# Build-time benchmark (not run by CI): generates synthetic programs of sizes
# S, M, L, XL with the peer harness's generator and reports the whole build
# time, each phase (load, analyze, render, which includes the guards' check and
# the writes, with the CPU time of charts, check and write) and peak memory.
#
#   bash bench/run.sh [SIZES...]        # default: S M L
#   GEN=../shared/bench/gen.py BENCH_DATA=/tmp/tpm-site-bench bash bench/run.sh XL
#
# Needs python3 and /usr/bin/time (Debian package `time`). Runs each size 3
# times into the same output folder and prints the median run; the machine
# is small and shared, so quote medians.
set -euo pipefail
cd "$(dirname "$0")/.."
gen=${GEN:-../shared/bench/gen.py}
data=${BENCH_DATA:-${TMPDIR:-/tmp}/tpm-site-bench}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(S M L)
cargo build --release --quiet
bin=target/release/tpm-site
printf '| size | items | reports | pages | wall (s) | load | analyze | render | charts (CPU s) | check | write | peak RSS (MB) |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n'
for size in "${sizes[@]}"; do
  dir="$data/$size"
  [ -d "$dir/content" ] || python3 "$gen" --size "$size" --seed 1 --out "$dir" >/dev/null
  runs=()
  for i in 1 2 3; do
    # Rebuilds into the same output, as a build after an edit does: the first
    # run writes over the spare an earlier run left (or a new tree), the next
    # ones over the spare of the one before. (Deleting the output before each
    # run would time ext4's deletion and inode allocation, not tpm-site.)
    out="$data/out-$size"
    log=$(mktemp)
    /usr/bin/time -v "$bin" build --timings --content "$dir/content" --output "$out" >"$log" 2>&1
    wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(grep 'Maximum resident set size' "$log" | awk '{print int($NF/1024)}')
    pages=$(grep -o 'Built [0-9]* pages' "$log" | awk '{print $2}')
    t=$(grep '^Timings:' "$log")
    phase() { sed -n "s/.*[ ,]$1 \([0-9.]*\) s.*/\1/p" <<<"$t"; }
    charts=$(sed -n 's/.*(charts: \([0-9.]*\) s.*/\1/p' <<<"$t")
    phases="$(phase load)|$(phase analyze)|$(phase render)|$charts|$(phase check)|$(phase write)"
    runs+=("$wall|$pages|$phases|$rss")
    rm -f "$log"
  done
  median=$(printf '%s\n' "${runs[@]}" | sort -t'|' -k1,1g | sed -n 2p)
  IFS='|' read -r wall pages load analyze render charts check write rss <<<"$median"
  items=$(find "$dir/content/deliverables" -name '*.yaml' -exec grep -c '^- id:' {} + | awk -F: '{s+=$NF} END {print s}')
  reports=$(ls "$dir/content/reports" | wc -l)
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$size" "$items" "$reports" "$pages" "$wall" "$load" "$analyze" "$render" "$charts" "$check" "$write" "$rss"
done

# tpm-site import of a 10,000-task MS Project XML and CSV (target: under 2 s).
bash bench/import.sh
