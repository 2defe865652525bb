#!/usr/bin/env bash
# Renders the example site's key pages to PNG in headless Chromium, to look at
# what a reader sees: scripts/screenshots.sh [CONTENT_DIR] [OUT_DIR]
# Needs Debian's chromium (apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
content=${1:-content}
out=${2:-target/screenshots}
site=target/screenshot-site
rm -rf "$site"
cargo run --quiet --release -- build --content "$content" --output "$site" >/dev/null
mkdir -p "$out"
latest=$(ls "$site/reports" | grep -E '^[0-9]{4}-' | sort | tail -1)
pages=(
  "index.html"
  "dependencies/index.html"
  "risks/index.html"
  "reports/$latest/index.html"
  "teams/$(ls "$site/teams" | grep -v index.html | head -1)/index.html"
  "deliverables/$(ls "$site/deliverables" | head -1)/index.html"
)
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
for page in "${pages[@]}"; do
  name=$(echo "$page" | sed 's|/index.html||; s|/|_|g; s|index.html|dashboard|')
  for width in 1280 420; do
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync \
      --user-data-dir="$profile" --hide-scrollbars --window-size="$width,2600" \
      --screenshot="$out/$name-$width.png" "file://$PWD/$site/$page" 2>/dev/null
  done
  echo "$out/$name-1280.png  $out/$name-420.png"
done
