#!/usr/bin/env bash
# Speed at the floor, measured (issue 13). Builds the release binary and prints:
#  - instruction counts (valgrind --tool=callgrind; repeatable on a shared machine, unlike wall
#    time) of `--version`, recommend (2 interests, bundled IETF 115), recommend (3 interests on
#    an IETF 119-121 index fetched from ../shared/data/eval-mirror), itinerary (4 interests,
#    bundled);
#  - wall time of an index build for one meeting and the peak RSS of recommend;
#  - recommend against an sqlite3 FTS5 bm25 query over the same IETF 121 texts, as whole
#    processes in paired, interleaved runs: the medians and their ratio.
# Usage: scripts/instructions.sh [RUNS]   (RUNS paired runs for the sqlite3 comparison, default 40)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
runs=${1:-40}
mirror="$repo/../shared/data/eval-mirror"
for tool in valgrind sqlite3 python3; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done
cargo build --release --locked -q
bin="$repo/target/release/wgrec"
work="$repo/target/speed"
rm -rf "$work"; mkdir -p "$work/bundled" "$work/eval" "$work/one"
export WGREC_NOW=2022-11-08T10:00:00Z NO_COLOR=1

# The three-meeting index, from the offline mirror on a loopback port.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$mirror" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.1; done
for m in 119 120 121; do
  "$bin" --home "$work/eval" -q fetch --meeting "$m" --base-url "http://127.0.0.1:$port" --rate 50 >/dev/null
done
"$bin" --home "$work/one" -q fetch --meeting 121 --base-url "http://127.0.0.1:$port" --rate 50 >/dev/null
kill $server; trap - EXIT
"$bin" --home "$work/eval" -q index
"$bin" --home "$work/bundled" -q recommend --interest warmup >/dev/null || true

instructions() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
row() { printf '%-62s %12s\n' "$1" "$2"; }
echo "instructions (callgrind)"
row "wgrec --version" "$(instructions "$bin" --version)"
row "recommend, 2 interests, bundled IETF 115" \
  "$(instructions "$bin" --home "$work/bundled" -q recommend --interest privacy --interest "routing security")"
row "recommend, 3 interests, IETF 119-121 index, --meeting 121" \
  "$(instructions "$bin" --home "$work/eval" -q recommend --meeting 121 --interest privacy --interest "routing security" --interest "post-quantum cryptography")"
row "itinerary, 4 interests, bundled IETF 115" \
  "$(instructions "$bin" --home "$work/bundled" -q itinerary --interest privacy --interest "routing security" --interest "human rights" --interest "digital identity")"

echo
echo "wall time and memory"
python3 - "$bin" "$work" <<'PY'
import subprocess, sys, time, statistics
bin, work = sys.argv[1], sys.argv[2]
t = []
for _ in range(5):
    a = time.perf_counter()
    subprocess.run([bin, "--home", f"{work}/one", "-q", "index", "--force"], check=True)
    t.append(time.perf_counter() - a)
print(f"{'index build, one meeting (IETF 121; median of 5, s)':<62} {statistics.median(t):12.3f}")
PY
rss=$( { /usr/bin/time -v "$bin" --home "$work/bundled" -q recommend --interest privacy --interest "routing security" >/dev/null; } 2>&1 |
  sed -n 's/.*Maximum resident set size (kbytes): //p')
row "peak RSS of recommend, bundled (MB)" "$((rss / 1024))"

echo
echo "recommend against sqlite3 FTS5 (IETF 121, two interests, whole processes)"
python3 - "$bin" "$work" "$runs" <<'PY'
import html.parser, json, os, re, sqlite3, statistics, subprocess, sys, time
bin, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
snap = f"{work}/eval/snapshot"

class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.parts = []; self.skip = 0
    def handle_starttag(self, tag, a):
        if tag in ("script", "style"): self.skip += 1
    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip: self.skip -= 1
    def handle_data(self, d):
        if not self.skip: self.parts.append(d)

def text_of(path):
    try:
        raw = open(path, encoding="utf-8", errors="replace").read()
    except FileNotFoundError:
        return ""
    p = Text(); p.feed(raw); return " ".join(" ".join(p.parts).split())

agenda = json.load(open(f"{snap}/api/meeting/121/agenda-data"))
rows = []
for s in agenda.get("schedule", []):
    acr = s.get("acronym") or (s.get("group") or {}).get("acronym")
    if not acr: continue
    about = text_of(f"{snap}/group/{acr}/about/index.html") or text_of(f"{snap}/group/{acr}/about")
    doc = ""
    url = (s.get("agenda") or {}).get("url") if isinstance(s.get("agenda"), dict) else s.get("agenda")
    if url:
        rel = re.sub(r"^https?://[^/]+/", "", url)
        for cand in (f"{snap}/{rel}", f"{snap}/{rel}/index.html"):
            if os.path.isfile(cand): doc = text_of(cand); break
    rows.append((acr, s.get("name") or "", about, doc))
db = f"{work}/fts.db"
if os.path.exists(db): os.remove(db)
sql = ["CREATE VIRTUAL TABLE docs USING fts5(acronym, name, charter, agenda, tokenize='porter');"]
con = sqlite3.connect(":memory:")  # only for quoting
q = lambda v: "'" + v.replace("'", "''") + "'"
sql += [f"INSERT INTO docs VALUES ({q(a)},{q(n)},{q(c)},{q(d)});" for a, n, c, d in rows]
subprocess.run(["sqlite3", db], input="\n".join(sql), text=True, check=True)
query = ("SELECT acronym, bm25(docs, 4.0, 3.0, 1.0, 1.2) AS s FROM docs "
         "WHERE docs MATCH 'privacy OR \"routing security\"' ORDER BY s LIMIT 10;")
print(f"{len(rows)} rows in the FTS5 table")
w_cmd = [bin, "--home", f"{work}/eval", "-q", "recommend", "--meeting", "121",
         "--interest", "privacy", "--interest", "routing security"]
s_cmd = ["sqlite3", db, query]
tw, ts = [], []
for i in range(runs):
    pair = [(w_cmd, tw), (s_cmd, ts)]
    if i % 2: pair.reverse()  # interleave which goes first
    for cmd, out in pair:
        a = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
        out.append(time.perf_counter() - a)
mw, ms = statistics.median(tw), statistics.median(ts)
print(f"{'wgrec recommend, median (ms)':<62} {mw*1000:12.2f}")
print(f"{'sqlite3 FTS5 bm25 query, median (ms)':<62} {ms*1000:12.2f}")
print(f"{'ratio of medians (wgrec / sqlite3; target <= 1.0)':<62} {mw/ms:12.2f}")
PY
