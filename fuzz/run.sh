#!/usr/bin/env bash
# Runs one fuzz target for SECONDS (default 600) on the stable toolchain,
# without a sanitizer, with the corpus in fuzz/corpus/<target>/ and crashes in
# fuzz/artifacts/<target>/ (neither is committed). Usage:
#   bash fuzz/run.sh <target> [seconds]
# Targets: frontmatter yaml_loaders markdown whole_build
set -euo pipefail
cd "$(dirname "$0")"
target=$1
seconds=${2:-600}
[ -d corpus ] || bash seed.sh
mkdir -p "corpus/$target" "artifacts/$target"
cargo fuzz build --sanitizer none -O -a --codegen-units 16 "$target"
exec "target/x86_64-unknown-linux-gnu/release/$target" "corpus/$target" \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="artifacts/$target/" -print_final_stats=1
