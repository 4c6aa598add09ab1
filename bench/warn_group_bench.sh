#!/usr/bin/env bash
# Early warning through NATS JetStream (docs/WARN.md, docs/SCALE.md), side by side with one process
# on the same events of a generated world:
#   one process     fanzha warn --no-save events.jsonl: events/s
#   publish         fanzha warn publish: events/s onto the stream, messages per event
#   1 and 2 members the backlog screened by a group (--until-idle): events/s
#   latency         events published at RATE/s while 2 members screen: stream-to-store p50/p99
# Each group run has a nats-server of its own (a new stream, new durable consumers) and warnings
# saved to a copy of the store; every run's warnings must be those of the one process.
# Usage: bench/warn_group_bench.sh FANZHA [EVENTS [RATE [SECONDS]]]   (defaults 200000 20000 10)
set -euo pipefail
FANZHA=$(realpath "${1:?path to fanzha}")
EVENTS=${2:-200000}
RATE=${3:-20000}
SECONDS_LOAD=${4:-10}
command -v nats-server >/dev/null || { echo "nats-server is not installed: skipped"; exit 77; }
W=$(mktemp -d)
PIDS=()
trap 'kill ${PIDS[@]} 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$W"' EXIT
cd "$W"
export FANZHA_NO_PROGRESS=1
now_ms() { date +%s%3N; }

"$FANZHA" gen --out w --seed 9 --transfers 20000 --cases 300 --events "$EVENTS" >/dev/null
"$FANZHA" import --db base.db w/accounts.csv w/transfers.csv w/cases.jsonl >/dev/null
"$FANZHA" warn --db base.db list build 2>/dev/null
t0=$(now_ms)
"$FANZHA" warn --db base.db --no-save w/events.jsonl > single.jsonl 2>/dev/null
t1=$(now_ms)
python3 - "$EVENTS" "$((t1 - t0))" <<'PY'
import sys
n, ms = int(sys.argv[1]), max(1, int(sys.argv[2]))
print(f"one process: {n} events in {ms} ms, {n * 1000 // ms} events/s")
PY

nats_start() {  # a new nats-server; sets URL
  local port; port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  URL="nats://127.0.0.1:$port"
  rm -rf "$W/js"
  nats-server -js -sd "$W/js" -a 127.0.0.1 -p "$port" > nats.log 2>&1 &
  NATS_PID=$!
  PIDS+=($NATS_PID)
  for _ in $(seq 100); do "$FANZHA" warn publish --nats "$URL" /dev/null >/dev/null 2>&1 && return; sleep 0.1; done
  echo "nats-server did not start" >&2; exit 1
}

# group K: K members screen the published backlog; prints events/s and checks the warnings.
group() {
  local k=$1 i
  nats_start
  cp base.db "g$k.db"
  t0=$(now_ms)
  "$FANZHA" warn publish --nats "$URL" --db "g$k.db" w/events.jsonl > publish.txt
  t1=$(now_ms)
  python3 - "$EVENTS" "$((t1 - t0))" publish.txt <<'PY'
import re, sys
n, ms = int(sys.argv[1]), max(1, int(sys.argv[2]))
messages = int(re.search(r"as (\d+) messages", open(sys.argv[3]).read()).group(1))
print(f"publish: {n} events as {messages} messages in {ms} ms, {n * 1000 // ms} events/s, "
      f"{ms * 1000 / n:.1f} us per event")
PY
  local members=()
  for i in $(seq "$k"); do
    "$FANZHA" warn --follow --nats "$URL" --db "g$k.db" --name "m$i" --until-idle 2 \
      > "g$k-m$i.jsonl" 2> "g$k-m$i.err" &
    members+=($!)
  done
  wait "${members[@]}"
  python3 - "$k" single.jsonl g$k-m*.jsonl <<'PY'
import json, re, sys, glob
k = int(sys.argv[1])
def final(files):
    last, keys = {}, []
    for f in files:
        for l in open(f):
            if not l.startswith("{"): continue
            w = json.loads(l)
            keys.append((w["id"], w["revision"]))
            if w["id"] not in last or w["revision"] > last[w["id"]]["revision"]:
                last[w["id"]] = w
    return {i: (w["score"], w["revision"]) for i, w in last.items()}, keys
single, _ = final([sys.argv[2]])
group, keys = final(sys.argv[3:])
assert len(keys) == len(set(keys)), "a warning line written twice"
assert group == single, f"the group's warnings differ from one process's ({len(group)} vs {len(single)})"
events, took = 0, 0
for f in glob.glob(f"g{k}-m*.err"):
    t = open(f).read()
    events += int(re.search(r"(\d+) events screened", t).group(1))
    took = max(took, int(re.search(r"screening took (\d+) ms", t).group(1)))
print(f"{k} member(s): {events} messages screened in {took} ms, "
      f"{events * 1000 // max(1, took)} messages/s; {len(group)} warnings as one process writes them")
PY
  kill "$NATS_PID" 2>/dev/null || true
}
group 1
group 2

# Latency: RATE events/s published while 2 members screen.
nats_start
cp base.db lat.db
for i in 1 2; do
  "$FANZHA" warn --follow --nats "$URL" --db lat.db --name "l$i" --until-idle 3 \
    > "lat-$i.jsonl" 2> "lat-$i.err" &
  PIDS+=($!)
done
sleep 2
python3 - "$RATE" "$SECONDS_LOAD" <<'PY' | "$FANZHA" warn publish --nats "$URL" --db lat.db - >/dev/null
import sys, time
rate, seconds = int(sys.argv[1]), int(sys.argv[2])
lines = [l for l in open("w/events.jsonl") if l.strip()][: rate * seconds]
start = time.time()
for i in range(0, len(lines), max(1, rate // 100)):
    due = start + i / rate
    if due > time.time(): time.sleep(due - time.time())
    sys.stdout.write("".join(lines[i:i + max(1, rate // 100)])); sys.stdout.flush()
PY
wait "${PIDS[@]: -2}"
for i in 1 2; do
  sed -n 's/.*from the stream to the store \(p50 [0-9]* ms, p99 [0-9]* ms, max [0-9]* ms\).*/\1/p' "lat-$i.err" |
    sed "s/^/latency at $RATE events\/s, member $i of 2: /"
done
