#!/usr/bin/env bash
# Runs the same recommend, search and itinerary commands (every output format, a profiles run
# and two refusals) with two wgrec binaries on the bundled meeting and compares stdout, stderr
# and exit codes byte for byte. For refactoring commits that must change no output:
#   scripts/same-output.sh OLD_BINARY NEW_BINARY
set -euo pipefail
old=$(realpath "$1"); new=$(realpath "$2")
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export WGREC_NOW=2022-11-01T00:00:00Z NO_COLOR=1
run() { # bin outdir
  local bin=$1 out=$2 n=0
  mkdir -p "$out/home"
  while IFS= read -r args; do
    n=$((n + 1))
    (cd "$out" && eval "\"$bin\" --home home $args" >"$n.out" 2>"$n.err"; echo $? >"$n.code") || true
  done <<CASES
recommend --interest privacy --interest "routing security"
recommend --interest privacy --interest "routing security" --format json
recommend --interest "digital identity" --interest "human rights" --top 8 --format markdown
recommend --interest privacy --format csv --day 2022-11-08
search "route origin"
search "quic AND multipath" --format json
itinerary --interest privacy --interest "human rights" --from 2022-11-07 --to 2022-11-10 --max-per-day 3 --gap 10 --must hrpc --name "Minister A. Example"
itinerary --interest "routing security" --day 2022-11-08 --format ics
itinerary --interest "routing security" --format json
itinerary --interest "routing security" --format table --tz America/New_York
itinerary --profiles "$repo/fixtures/profiles.example.toml" --out itineraries
recommend --interest ""
recommend --interest x --exclude-group zzz
CASES
  rm -rf "$out/home"
}
run "$old" "$work/old"; run "$new" "$work/new"
if diff -r "$work/old" "$work/new"; then
  echo "same output: $(ls "$work/old"/*.out | wc -l) commands, stdout, stderr, exit codes and files"
else
  echo "outputs differ" >&2; exit 1
fi
