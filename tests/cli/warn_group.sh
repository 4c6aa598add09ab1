#!/usr/bin/env bash
# Early warning as a consumer group, as an operator runs it: events published to NATS JetStream by
# province (`fanzha warn publish`) on a 3-node cluster, screened by members (`fanzha warn --follow
# --nats`) that share the provinces. One member and one NATS server are killed (SIGKILL) while
# events still come, another member joins late, a watchlist entry is added while they run. The warnings the group writes must be those one process
# writes on the same events (the same people, scores and revisions), none written twice.
# Usage: warn_group.sh FANZHA   (exit 77 without nats-server)
set -euo pipefail
FANZHA=$(realpath "$1")
. "$(dirname "$(realpath "$0")")/nats_cluster.sh"
command -v nats-server >/dev/null || { echo "nats-server is not installed: skipped"; exit 77; }
W=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] && echo "kept $W" || rm -rf "$W"
}
trap cleanup EXIT
cd "$W"
export FANZHA_NO_PROGRESS=1
fail() { echo "FAIL: $*" >&2; exit 1; }

"$FANZHA" gen --out w --seed 7 --transfers 20000 --cases 200 --events 30000 >/dev/null
"$FANZHA" import --db group.db w/accounts.csv w/transfers.csv w/cases.jsonl >/dev/null
"$FANZHA" warn --db group.db list build 2>/dev/null
cp group.db single.db

# A listed phone no case names, and a call from it, added while the group runs.
LATE_PHONE=+8613900001111
python3 - <<'PY'
import json
lines = [l for l in open("w/events.jsonl") if l.strip()]
n = len(lines)
for i in range(6):
    open(f"part{i}.jsonl", "w").writelines(lines[i * n // 6:(i + 1) * n // 6])
last = json.loads(lines[-1])
call = {"id": "late-call-1", "time": last["time"], "kind": "call", "from": "+8613900001111",
        "to": "+8613800138000", "duration_s": 400}
open("late.jsonl", "w").write(json.dumps(call) + "\n")
PY
"$FANZHA" warn --db single.db list add --kind phone --value "$LATE_PHONE" --source test >/dev/null
cat part*.jsonl late.jsonl > all.jsonl
"$FANZHA" warn --db single.db --no-save all.jsonl > single.jsonl 2>/dev/null

# A 3-node JetStream cluster on loopback; the streams kept on all three (--replicas 3).
start_nats_cluster "$W"
publish() { "$FANZHA" warn publish --nats "$URL" --replicas 3 --db group.db "$@"; }
for _ in $(seq 300); do  # the cluster elects its leader, then the streams are made
  publish /dev/null >/dev/null 2>&1 && break
  sleep 0.1
done
publish /dev/null >/dev/null || fail "the cluster takes the streams"

# Without --follow a member would have nothing to wait for: it says so.
if "$FANZHA" warn --nats "$URL" --db group.db > nf.log 2>&1; then fail "--nats without --follow"; fi
grep -q "add --follow" nf.log && grep -q "请加上 --follow" nf.log || fail "says why: $(cat nf.log)"

member() {
  "$FANZHA" warn --follow --nats "$URL" --db group.db --name "$1" --takeover-seconds 2 \
    > "$1.jsonl" 2> "$1.err" &
  PIDS+=($!)
  eval "PID_$1=$!"
}
member a
member b
publish part0.jsonl > publish.txt
grep -q "published as" publish.txt || fail "publish says what it did: $(cat publish.txt)"
sleep 1
publish part1.jsonl >/dev/null
publish part2.jsonl >/dev/null
kill -9 "$PID_a"  # in the middle: what it fetched and did not acknowledge comes again
kill -9 "${NATS_PIDS[1]}"  # and a server of the cluster: the members reconnect to the others
publish part3.jsonl >/dev/null
sleep 1
member c
publish part4.jsonl >/dev/null
publish part5.jsonl >/dev/null
# Publishing a part again adds nothing (the message ids are the events').
publish part5.jsonl > again.txt
grep -q "(0 the stream had already)" again.txt && fail "a second publish is dropped: $(cat again.txt)"
"$FANZHA" warn --db group.db list add --kind phone --value "$LATE_PHONE" --source test >/dev/null
sleep 3  # every member reads the list again within 2 s
publish late.jsonl >/dev/null

# Quiet: every event screened once its member took the province over (2 s), the killed member's
# unacknowledged events came back (2 s) and the cluster moved the leaders off the killed server.
python3 - <<'PY'
import json, time
def load():
    out = []
    for name in "abc":
        out += [l for l in open(f"{name}.jsonl") if l.startswith("{")]
    return out
want = {(json.loads(l)["id"], json.loads(l)["revision"]) for l in open("single.jsonl")}
for _ in range(1500):
    got = {(json.loads(l)["id"], json.loads(l)["revision"]) for l in load()}
    if want <= got:
        break
    time.sleep(0.1)
PY
kill -TERM "$PID_b" "$PID_c"
wait "$PID_b" "$PID_c" || true
grep -q "events screened" b.err || fail "b ends with its figures: $(tail -3 b.err)"
grep -q "筛查事件" c.err || fail "in Chinese too: $(tail -3 c.err)"
grep -q "screens province" b.jsonl || fail "b says which provinces it screens"
again=$(cat b.err c.err | grep -o "[0-9]* read again" | awk '{n += $1} END {print n + 0}')
[ "$again" -gt 0 ] || fail "the killed member's provinces were taken over: $(tail -2 b.err c.err)"

python3 - <<'PY'
import json
def lines(names):
    out = []
    for n in names:
        out += [json.loads(l) for l in open(n) if l.startswith("{")]
    return out
single = lines(["single.jsonl"])
group = lines(["a.jsonl", "b.jsonl", "c.jsonl"])
keys = [(w["id"], w["revision"]) for w in group]
twice = len(keys) - len(set(keys))
assert twice == 0, f"{twice} warning lines written twice"
def final(ws):
    last = {}
    for w in ws:
        if w["id"] not in last or w["revision"] > last[w["id"]]["revision"]:
            last[w["id"]] = w
    return {i: (w["person"], w["score"], w["revision"], w["event_count"]) for i, w in last.items()}
s, g = final(single), final(group)
missing = sorted(set(s) - set(g))
extra = sorted(set(g) - set(s))
differ = sorted(i for i in set(s) & set(g) if s[i] != g[i])
if missing or extra or differ:
    for i in (missing + extra + differ)[:3]:
        print("single:", next((l for l in single if l["id"] == i), None))
        print("group:", [l for l in group if l["id"] == i][-1:])
assert not missing and not extra and not differ, (len(missing), len(extra), differ[:3], missing[:3], extra[:3])
late = [w for w in group if "+8613900001111" in " ".join(w["reasons"])]
assert late, "the entry added while the group ran warned"
print(f"group of 3 (one killed): {len(g)} warnings, {len(group)} lines, as one process writes them")
PY
echo "warn as a consumer group: ok"
