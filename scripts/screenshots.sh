#!/usr/bin/env bash
# Renders the example site's key pages to PNG in headless Chromium, to look at
# what a reader sees: scripts/screenshots.sh [CONTENT_DIR] [OUT_DIR]
# Also writes the top strip of the newest report alone to docs/top-strip.png
# (the picture in README; commit it when the strip changes on purpose).
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

# The top strip alone: a copy of the newest report with one more stylesheet
# that hides everything else (the page's CSP allows only same-origin styles).
report_dir="$site/reports/$latest"
sed 's|</head>|<link rel="stylesheet" href="top-strip-shot.css"></head>|' \
  "$report_dir/index.html" > "$report_dir/top-strip-shot.html"
cat > "$report_dir/top-strip-shot.css" <<'CSS'
body > :not(main), main > :not(.top-strip) { display: none !important; }
main#main { padding-top: 12px; }
CSS
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars --window-size="1280,${STRIP_HEIGHT:-372}" \
  --screenshot="docs/top-strip.png" "file://$PWD/$report_dir/top-strip-shot.html" 2>/dev/null
echo "docs/top-strip.png"
