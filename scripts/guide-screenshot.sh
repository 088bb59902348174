#!/usr/bin/env bash
# Renders the policy guide as HTML and takes A4-sized (794x1123 px) screenshots in headless
# Chromium, to check by eye that it is legible on screen and in print:
#   scripts/guide-screenshot.sh HOME [MEETING [SINCE]]
# Writes target/guide.html, target/guide.png (screen), target/guide-print.png (the print styles
# applied, first page: title and "at a glance") and target/guide.pdf (Chromium's print to A4).
set -euo pipefail
home=$1; meeting=${2:-}; since=${3:-}
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=${WGREC_BIN:-$repo/target/debug/wgrec}
out=$repo/target; mkdir -p "$out"
args=(--home "$home" -q guide --format html)
[ -n "$meeting" ] && args+=(--meeting "$meeting")
[ -n "$since" ] && args+=(--since "$since")
"$bin" "${args[@]}" >"$out/guide.html"
# Print styles shown on screen, with the page margins of @page, for a screenshot of page one.
sed -e 's/@media print {/@media all {/' -e 's#</style>#body{margin:53px !important;}</style>#' \
  "$out/guide.html" >"$out/guide-print.html"
profile=$(mktemp -d); trap 'rm -rf "$profile"' EXIT
chrome=(chromium --headless --no-sandbox --disable-gpu --disable-background-networking
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile"
  --hide-scrollbars)
"${chrome[@]}" --window-size=794,1123 --screenshot="$out/guide.png" "file://$out/guide.html" 2>/dev/null
"${chrome[@]}" --window-size=794,1123 --screenshot="$out/guide-print.png" "file://$out/guide-print.html" 2>/dev/null
"${chrome[@]}" --no-pdf-header-footer --print-to-pdf="$out/guide.pdf" "file://$out/guide.html" 2>/dev/null
ls -l "$out"/guide.html "$out"/guide.png "$out"/guide-print.png "$out"/guide.pdf
