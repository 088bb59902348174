#!/usr/bin/env bash
# Speed figures of the release binary (a measurement, not a test; README "Speed, measured").
#
# Instruction counts under callgrind repeat exactly from run to run on a busy machine, unlike
# wall time, so the targets are set in instructions. What it prints:
#   1. instructions (millions) of: `wgrec --version`; recommend, two interests, bundled
#      meeting; recommend, three interests, IETF 119-121 index; itinerary, four interests,
#      bundled meeting (the read commands with the index already built: the warm case);
#   2. index build time for one meeting (IETF 121, `wgrec index --force`, median of 5) and the
#      peak RSS of the bundled-meeting recommend (/usr/bin/time -v);
#   3. wgrec against the sqlite3 command-line tool answering an FTS5 bm25 query over the same
#      IETF 121 texts (scripts/fts_rows.py reads them from the snapshot as `wgrec index` does),
#      as whole processes in paired, interleaved runs: both medians and their ratio.
# Each line shows the target from issue 13 and OK or over.
#
# The IETF 119-121 data come from the offline datatracker mirror in ../shared/data/eval-mirror
# (or ../../shared; WGREC_SHARED=DIR names another), served on loopback for `wgrec fetch`.
# Everything is written in a fresh temporary home, removed at the end.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/instructions.sh [--quick] [--pairs N] [--no-mirror] [--profile]

Builds target/release/wgrec and prints its instruction counts (callgrind), index build time,
peak RSS and the sqlite3 FTS5 comparison, each against the targets of issue 13.

  --quick      11 sqlite3/wgrec pairs instead of 41, 3 index builds instead of 5
  --pairs N    number of paired sqlite3/wgrec runs (default 41)
  --no-mirror  skip the cases that need ../shared/data/eval-mirror (IETF 119-121 recommend,
               index build time, sqlite3 comparison); also done when the mirror is missing
  --profile    also write callgrind profiles of the recommend/itinerary cases to
               target/profile-case{2,3,4}.txt (inclusive and exclusive top functions)
  -h, --help   this text

Needs valgrind, sqlite3 (with FTS5), python3 and GNU time (/usr/bin/time; apt-get install time).
Environment: WGREC_SHARED=DIR  where data/eval-mirror lives (default ../shared or ../../shared)
EOF
}

PAIRS=41
BUILDS=5
MIRROR=1
PROFILE=0
while [ $# -gt 0 ]; do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --quick) PAIRS=11; BUILDS=3 ;;
    --pairs) PAIRS=${2:?--pairs needs a number}; shift ;;
    --no-mirror) MIRROR=0 ;;
    --profile) PROFILE=1 ;;
    *) echo "scripts/instructions.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
case $PAIRS in '' | *[!0-9]* | 0) echo "--pairs needs a positive number" >&2; exit 2 ;; esac

cd "$(dirname "$0")/.."
for tool in valgrind python3 cargo; do
  command -v "$tool" >/dev/null || { echo "scripts/instructions.sh needs $tool" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "scripts/instructions.sh needs GNU time (apt-get install time)" >&2; exit 1; }

SHARED=${WGREC_SHARED:-}
if [ -z "$SHARED" ]; then
  for d in ../shared ../../shared; do
    [ -d "$d/data/eval-mirror" ] && { SHARED=$d; break; }
  done
fi
if [ "$MIRROR" = 1 ] && { [ -z "$SHARED" ] || [ ! -d "$SHARED/data/eval-mirror" ]; }; then
  echo "note: no eval mirror (../shared/data/eval-mirror, ../../shared/data/eval-mirror or" \
    "WGREC_SHARED): skipping the IETF 119-121 case, the index build time and the sqlite3" \
    "comparison" >&2
  MIRROR=0
fi
if [ "$MIRROR" = 1 ] && ! command -v sqlite3 >/dev/null; then
  echo "scripts/instructions.sh needs sqlite3 for the comparison (apt-get install sqlite3)" >&2
  exit 1
fi

echo "building the release binary..." >&2
cargo build --release --locked --quiet --bin wgrec
BIN=$PWD/target/release/wgrec
REPO=$PWD

WORK=$(mktemp -d)
SERVER=
cleanup() {
  if [ -n "$SERVER" ]; then
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# An isolated user: the bundled meeting's index goes to $XDG_CACHE_HOME/wgrec, nothing of the
# caller's home is read or written. BUNDLED is a home with no snapshot (the bundled meeting).
export HOME=$WORK/user XDG_CACHE_HOME=$WORK/user/.cache
unset WGREC_BASE_URL
mkdir -p "$HOME" "$WORK/bundled"
chmod 700 "$HOME"
BUNDLED=$WORK/bundled

if [ "$MIRROR" = 1 ]; then
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$SHARED/data/eval-mirror" \
    >"$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do
    python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/')" \
      2>/dev/null && break
    sleep 0.1
  done
  echo "fetching IETF 119-121 from the mirror on 127.0.0.1:$PORT..." >&2
  # M121: IETF 121 alone (index build time, sqlite3 comparison); M3: IETF 119-121.
  M121=$WORK/m121
  M3=$WORK/m119-121
  fetch() {
    "$BIN" -q --home "$1" fetch --meeting "$2" --base-url "http://127.0.0.1:$PORT" \
      --rate 1000 --concurrency 4 >/dev/null
  }
  fetch "$M121" 121
  cp -a "$M121" "$M3"
  fetch "$M3" 119
  fetch "$M3" 120
  "$BIN" -q --home "$M121" index
  "$BIN" -q --home "$M3" index
  kill "$SERVER"
  wait "$SERVER" 2>/dev/null || true
  SERVER=
fi

# Warm-up: builds the bundled meeting's index in the cache, so the cases measure the warm path.
WGREC_HOME=$BUNDLED "$BIN" -q recommend --interest privacy >/dev/null

RECOMMEND2=(recommend --interest privacy --interest "routing security")
RECOMMEND3=(recommend --meeting 121 --interest privacy --interest "routing security"
  --interest "digital identity")
ITINERARY4=(itinerary --interest privacy --interest "routing security"
  --interest "digital identity" --interest AI)

# instructions HOME CMD...: instructions counted by callgrind for one run, printed in millions.
instructions() {
  local home=$1
  shift
  WGREC_HOME=$home valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    --log-file="$WORK/valgrind.log" "$@" >/dev/null 2>"$WORK/stderr.log" || {
    echo "failed: $*" >&2
    cat "$WORK/stderr.log" "$WORK/valgrind.log" >&2
    exit 1
  }
  awk '/Collected :/ {printf "%.2f", $NF / 1e6; found = 1} END {exit !found}' \
    "$WORK/valgrind.log"
}

# verdict VALUE TARGET: OK when VALUE <= TARGET.
verdict() {
  awk -v v="$1" -v t="$2" 'BEGIN {print (v + 0 <= t + 0) ? "OK" : "over"}'
}

line() {
  printf '%-62s %9s %-3s target <= %-5s %s\n' "$1" "$2" "$3" "$4" "$(verdict "$2" "$4")"
}

echo
echo "wgrec $("$BIN" --version | awk '{print $2}') at $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src Cargo.toml Cargo.lock build.rs 2>/dev/null || echo '+changes'), $(date -u +%Y-%m-%d)"
echo
echo "instructions (callgrind, millions)"
line "(1) wgrec --version" "$(instructions "$BUNDLED" "$BIN" --version)" M 0.4
line "(2) recommend, 2 interests, bundled IETF 115" \
  "$(instructions "$BUNDLED" "$BIN" "${RECOMMEND2[@]}")" M 8
if [ "$MIRROR" = 1 ]; then
  line "(3) recommend --meeting 121, 3 interests, IETF 119-121 index" \
    "$(instructions "$M3" "$BIN" "${RECOMMEND3[@]}")" M 15
else
  echo "(3) recommend --meeting 121, 3 interests: skipped (no eval mirror)"
fi
line "(4) itinerary, 4 interests, bundled IETF 115" \
  "$(instructions "$BUNDLED" "$BIN" "${ITINERARY4[@]}")" M 12

echo
echo "time and memory"
RSS=$(WGREC_HOME=$BUNDLED /usr/bin/time -v "$BIN" "${RECOMMEND2[@]}" 2>&1 >/dev/null |
  awk -F: '/Maximum resident set size/ {printf "%.1f", $2 / 1024}')
line "peak RSS, case (2)" "$RSS" MB 30
if [ "$MIRROR" = 1 ]; then
  BUILD=$(python3 - "$BIN" "$M121" "$BUILDS" <<'PY'
import statistics, subprocess, sys, time
bin, home, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
runs = []
for _ in range(n):
    t = time.perf_counter()
    subprocess.run([bin, "-q", "--home", home, "index", "--force"], check=True,
                   stdout=subprocess.DEVNULL)
    runs.append(time.perf_counter() - t)
print(f"{statistics.median(runs):.3f}")
PY
  )
  line "index build, IETF 121 (index --force, median of $BUILDS)" "$BUILD" s 0.3
else
  echo "index build, IETF 121: skipped (no eval mirror)"
fi

if [ "$MIRROR" = 1 ]; then
  # The same texts wgrec indexes for IETF 121, one row per session, in an FTS5 table with an
  # English stemmer like wgrec's prose fields.
  python3 scripts/fts_rows.py "$M121/snapshot" 121 >"$WORK/rows.json"
  sqlite3 "$WORK/fts.db" <<SQL
CREATE VIRTUAL TABLE t USING fts5(key UNINDEXED, acronym, group_name, session_name, area_name,
  charter, agenda, note, tokenize = 'porter unicode61');
INSERT INTO t SELECT value ->> '\$.key', value ->> '\$.acronym', value ->> '\$.group_name',
  value ->> '\$.session_name', value ->> '\$.area_name', value ->> '\$.charter',
  value ->> '\$.agenda', value ->> '\$.note'
FROM json_each(readfile('$WORK/rows.json'));
SQL
  echo
  echo "wgrec against sqlite3 FTS5, IETF 121 ($(sqlite3 "$WORK/fts.db" 'SELECT count(*) FROM t') sessions), $PAIRS paired runs"
  python3 - "$BIN" "$M121" "$WORK/fts.db" "$PAIRS" <<'PY'
import os, statistics, subprocess, sys, time
bin, home, db, pairs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
query = ("SELECT key, acronym, group_name, snippet(t, -1, '[', ']', '...', 24) FROM t "
         "WHERE t MATCH 'privacy OR \"routing security\"' ORDER BY bm25(t) LIMIT 10")
sqlite = ["sqlite3", db, query]
wgrec = [bin, "recommend", "--meeting", "121", "--interest", "privacy",
         "--interest", "routing security"]
env = dict(os.environ, WGREC_HOME=home)

def run(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - t

for cmd in (sqlite, wgrec):  # warm the page cache
    run(cmd)
out = {"sqlite": [], "wgrec": []}
for i in range(pairs):
    order = [("sqlite", sqlite), ("wgrec", wgrec)]
    if i % 2:
        order.reverse()
    for name, cmd in order:
        out[name].append(run(cmd))
s = statistics.median(out["sqlite"]) * 1000
w = statistics.median(out["wgrec"]) * 1000
print(f"{'sqlite3 FTS5 bm25 query, median':<62} {s:9.2f} ms")
print(f"{'wgrec recommend --meeting 121, 2 interests, median':<62} {w:9.2f} ms")
ratio = w / s
print(f"{'ratio wgrec / sqlite3':<62} {ratio:9.2f}     target <= 1.0   "
      f"{'OK' if ratio <= 1.0 else 'over'}")
PY
fi

if [ "$PROFILE" = 1 ]; then
  command -v callgrind_annotate >/dev/null || { echo "--profile needs callgrind_annotate" >&2; exit 1; }
  profile() {
    local n=$1 home=$2
    shift 2
    local out=$WORK/callgrind.$n
    WGREC_HOME=$home valgrind --tool=callgrind --callgrind-out-file="$out" \
      --log-file="$WORK/valgrind.log" "$@" >/dev/null 2>&1
    # Whole reports first: `| head` would stop callgrind_annotate with SIGPIPE (pipefail).
    callgrind_annotate --inclusive=yes "$out" >"$out.inclusive"
    callgrind_annotate "$out" >"$out.exclusive"
    {
      echo "== case ($n): ${*#"$BIN"} =="
      echo "== inclusive =="
      head -n 90 "$out.inclusive"
      echo
      echo "== exclusive =="
      head -n 70 "$out.exclusive"
    } >"$REPO/target/profile-case$n.txt"
    echo "wrote target/profile-case$n.txt" >&2
  }
  profile 2 "$BUNDLED" "$BIN" "${RECOMMEND2[@]}"
  [ "$MIRROR" = 1 ] && profile 3 "$M3" "$BIN" "${RECOMMEND3[@]}"
  profile 4 "$BUNDLED" "$BIN" "${ITINERARY4[@]}"
fi
