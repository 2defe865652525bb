#!/usr/bin/env bash
# Makes a starting corpus for each fuzz target from the example content
# (fuzz/corpus/ is not committed). Run from anywhere: bash fuzz/seed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
c=fuzz/corpus
mkdir -p "$c/frontmatter" "$c/yaml_loaders" "$c/markdown" "$c/whole_build"
n=0
for f in content/reports/*.md content/pages/*.md tests/fixtures/valid/*/content/reports/*.md; do
  n=$((n + 1))
  cp "$f" "$c/frontmatter/seed-$n"
  # The body only, for the Markdown renderer.
  awk 'f>=2{print} /^---$/{f++}' "$f" > "$c/markdown/seed-$n"
done
[ -f tests/xss/payloads.txt ] && cp tests/xss/payloads.txt "$c/markdown/seed-xss"
# yaml_loaders: the first byte picks the file of the harness's BASE folder.
seed() { # index file
  { printf "\\$(printf '%03o' "$1")"; cat "$2"; } > "$c/yaml_loaders/seed-$1-$(basename "$2")"
}
seed 0 content/program.yaml
seed 1 content/teams.yaml
for f in content/deliverables/*.yaml; do seed 2 "$f"; done
seed 4 content/milestones.yaml
seed 5 content/risks.yaml
seed 6 content/decisions.yaml
seed 7 content/stakeholders.yaml
for f in content/reports/*.md; do seed 8 "$f"; done
seed 9 content/pages/communication-plan.md
# whole_build: arbitrary bytes drive a structured generator.
for i in 1 2 3 4 5 6 7 8; do head -c $((i * 512)) /dev/urandom > "$c/whole_build/seed-$i"; done
echo "seeded $(find "$c" -type f | wc -l) inputs under $c/"
