#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ in turn (one at a time, one job: CPU is shared), each
# with a corpus seeded from real files: the datatracker responses in ../shared/data, the bundled
# IETF 115 snapshot, the mock fixtures, the profiles example and the vocabulary.
#
#   scripts/fuzz.sh                 # every target, 1,000,000 runs each
#   RUNS=200000 scripts/fuzz.sh robots agenda
#
# Needs the nightly toolchain and `cargo install cargo-fuzz`. Not part of `cargo test` or CI.
# Crashes land in fuzz/artifacts/<target>/; keep each as a regression test after fixing it.
# Built without a sanitizer (safe Rust; libFuzzer still catches panics, stack overflows and
# timeouts) for speed. Prints, per target, the executions done (libFuzzer's "stat::number_of_executed_units").
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
shared="$root/../shared"
[ -d "$shared" ] || shared="$root/../../shared"
runs=${RUNS:-1000000}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(agenda about_page document_text profiles vocabulary robots)

seed() {
  local target=$1 dir="fuzz/corpus/$1"
  mkdir -p "$dir"
  local n=0
  add() { while IFS= read -r -d '' f; do
      # At most 200 seeds per target, none over 1 MiB (libFuzzer's -max_len caps inputs anyway).
      [ "$n" -lt 200 ] || return 0
      [ "$(stat -c %s "$f")" -le 1048576 ] || continue
      cp "$f" "$dir/seed-$(sha1sum "$f" | cut -c1-16)"; n=$((n + 1))
    done; }
  case $target in
    agenda)
      find "$shared/data" fixtures -type f \( -name agenda-data -o -name 'agenda*.json' \) -print0 | add ;;
    about_page)
      find fixtures "$shared/data/eval-mirror/group" -type f -path '*about*' -print0 | add ;;
    document_text)
      find fixtures/mock "$shared/data/eval-mirror/meeting" -type f -path '*materials*' -print0 | add
      find "$shared/data/raw" -type f \( -name '*.md' -o -name '*.html' -o -name '*.txt' \) -print0 | add ;;
    profiles)
      find fixtures -type f -name 'profiles*.toml' -print0 | add ;;
    vocabulary)
      find vocabulary -type f -name '*.toml' -print0 | add ;;
    robots)
      printf 'User-agent: *\nDisallow: /group/\nAllow: /group/quic/\nCrawl-delay: 2\n\nUser-agent: wgrec\nDisallow: /meeting/*/materials/*.pdf$\n' > "$dir/seed-robots-1"
      printf 'User-agent: wgrec/1.0\nDisallow: /\nCrawl-delay: 1e300\n' > "$dir/seed-robots-2"
      find "$shared/data/raw" -type f -name 'robots*' -print0 | add ;;
  esac
}

for t in "${targets[@]}"; do
  seed "$t"
  log="fuzz/fuzz-$t.log"
  echo "== $t: $(ls "fuzz/corpus/$t" | wc -l) seeds, $runs runs"
  (cd fuzz && cargo +nightly fuzz run --sanitizer none "$t" "corpus/$t" -- \
      -runs="$runs" -jobs=1 -workers=1 -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1) >"$log" 2>&1 || { echo "$t: FAILED (see $log)"; tail -30 "$log"; exit 1; }
  echo "$t: $(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1)"
done
