#!/usr/bin/env bash
# Load benchmark for `wgrec serve` (a measurement, not a test): wrk against a release build on
# loopback, /api/recommend with three interests, 64 connections for 20 s. Prints requests/s,
# p50/p99 latency, errors and the server's peak RSS; README "Serving" reports the figures.
#
# Two runs: the same three interests every time (what a crowd asking the popular question
# costs: after the first request the ranked list comes from the per-index cache), and a run
# where nearly every request is a different question (each one ranked afresh).
#
#   scripts/load.sh                     # defaults below; needs wrk (apt-get install wrk)
#   DURATION=60s CONNECTIONS=128 scripts/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
command -v wrk >/dev/null || { echo "scripts/load.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
command -v curl >/dev/null || { echo "scripts/load.sh needs curl" >&2; exit 1; }

cargo build --release --quiet
BIN=$PWD/target/release/wgrec
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# A fresh home: the bundled IETF 115 meeting, its index built at start-up.
WGREC_HOME="$WORK" "$BIN" -q serve --listen "127.0.0.1:$PORT" &
PID=$!
trap 'kill -TERM $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 300); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null

URL="http://127.0.0.1:$PORT/api/recommend?interest=privacy&interest=routing+security&interest=digital+identity"
curl -fsS "$URL" >/dev/null

# wrk's Lua hook: a different question on nearly every request (three of 30 topics, a top-N).
cat > "$WORK/varied.lua" <<'LUA'
local topics = {"privacy", "routing+security", "digital+identity", "encryption", "dns",
  "human+rights", "post-quantum", "iot", "messaging", "censorship", "email", "web+security",
  "measurement", "congestion", "video", "satellite", "energy", "quic", "tls", "certificates",
  "anonymity", "tracking", "network+management", "automation", "multicast", "ipv6",
  "time+synchronization", "sustainability", "interoperability", "identity"}
local n = 0
request = function()
  n = n + 1
  local a = topics[(n % 30) + 1]
  local b = topics[(math.floor(n / 30) % 30) + 1]
  local c = topics[(math.floor(n / 900) % 30) + 1]
  local top = (n % 7) + 5
  return wrk.format("GET", "/api/recommend?interest=" .. a .. "&interest=" .. b ..
    "&interest=" .. c .. "&top=" .. top)
end
LUA

report() {
  local name=$1 out=$2
  local rps p50 p99 sock non2xx
  rps=$(awk '/^Requests\/sec/ {print $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  sock=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$out")
  printf '%-28s %10s req/s   p50 %-9s p99 %-9s errors %s\n' "$name" "$rps" "$p50" "$p99" \
    "$(( ${sock:-0} + ${non2xx:-0} ))"
}

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, server pid $PID, $(nproc) cores" >&2
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$URL" > "$WORK/same.txt"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/varied.lua" \
  "http://127.0.0.1:$PORT" > "$WORK/varied.txt"
[ "${VERBOSE:-0}" = 1 ] && cat "$WORK/same.txt" "$WORK/varied.txt" >&2
report "same three interests" "$WORK/same.txt"
report "a new question each time" "$WORK/varied.txt"
echo "server peak RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$PID/status)"
