#!/usr/bin/env bash
# A/B speed check (not run by CI): two tpm-site binaries build the same
# generated program alternately, A then B, PAIRS times, into outputs of their
# own (each rebuilding over its previous output, as a build after an edit
# does), and the median of the per-pair ratios B/A is printed. Pairing and
# alternating cancel most of a shared machine's drift.
#
#   bash bench/ab.sh OLD_BINARY NEW_BINARY SIZE [PAIRS]     # e.g. M 5
#
# Needs python3 and the peer harness's generator (GEN, default
# ../shared/bench/gen.py).
set -euo pipefail
a=$1 b=$2 size=$3 pairs=${4:-5}
gen=${GEN:-../shared/bench/gen.py}
data=${BENCH_DATA:-${TMPDIR:-/tmp}/tpm-site-bench}
dir="$data/$size"
[ -d "$dir/content" ] || python3 "$gen" --size "$size" --seed 1 --out "$dir" >/dev/null
secs() {
  local start end
  start=$(date +%s.%N)
  "$1" build --content "$dir/content" --output "$2" >/dev/null 2>&1
  end=$(date +%s.%N)
  python3 -c "print($end - $start)"
}
# One warm-up each (page cache, first output).
secs "$a" "$data/ab-a-$size" >/dev/null
secs "$b" "$data/ab-b-$size" >/dev/null
ratios=()
printf '| pair | A (s) | B (s) | B/A |\n|---|---|---|---|\n'
for i in $(seq 1 "$pairs"); do
  ta=$(secs "$a" "$data/ab-a-$size")
  tb=$(secs "$b" "$data/ab-b-$size")
  r=$(python3 -c "print($tb / $ta)")
  ratios+=("$r")
  printf '| %d | %.3f | %.3f | %.3f |\n' "$i" "$ta" "$tb" "$r"
done
median=$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}')
printf 'size %s, %d pairs: median B/A = %.3f\n' "$size" "$pairs" "$median"
