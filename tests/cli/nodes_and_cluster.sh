#!/usr/bin/env bash
# The deployment of docs/SCALE.md under faults, on loopback: 2 API nodes (`fanzha serve --nats`) on
# one PostgreSQL database, a 3-node NATS JetStream cluster, a bank node per bank, 2 screening
# members. Reports, stop-payments (sent at once) and events go through both nodes while one API node
# and one NATS server are killed (SIGKILL): every accepted report is stored once, every order is
# executed by its bank once, no warning line is written twice nor one that one process would not
# write, and the audit chain verifies.
# Usage: nodes_and_cluster.sh FANZHA, with FANZHA_TEST_POSTGRES naming the folder of the test run's
# PostgreSQL server (tests/support/postgres_server.sh). Exit 77 without nats-server.
set -euo pipefail
FANZHA=$(realpath "$1")
. "$(dirname "$(realpath "$0")")/nats_cluster.sh"
: "${FANZHA_TEST_POSTGRES:?the folder of a running test server (tests/support/postgres_server.sh)}"
command -v nats-server >/dev/null || { echo "nats-server is not installed: skipped"; exit 77; }
W=$(mktemp -d)
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
db="cluster_$$"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$bin/dropdb" -h "$FANZHA_TEST_POSTGRES" -U postgres --if-exists "$db" >/dev/null 2>&1 || true
  [ -n "${KEEP:-}" ] && echo "kept $W" || rm -rf "$W"
}
trap cleanup EXIT
cd "$W"
export FANZHA_NO_PROGRESS=1 FANZHA_LANG=en
fail() { echo "FAIL: $*" >&2; for f in a.log b.log; do [[ -f $f ]] && { echo "--- $f:" >&2; tail -15 "$f" >&2; }; done; exit 1; }

"$bin/createdb" -h "$FANZHA_TEST_POSTGRES" -U postgres "$db"
PG="postgresql:///$db?host=$FANZHA_TEST_POSTGRES&port=5432&user=postgres"
"$FANZHA" gen --out w --seed 11 --transfers 8000 --cases 24 --banks 4 --events 12000 >/dev/null
"$FANZHA" import --db "$PG" w/accounts.csv w/transfers.csv w/cases.jsonl >/dev/null
"$FANZHA" warn --db "$PG" list build 2>/dev/null
"$FANZHA" warn --db "$PG" list show > list.jsonl
"$FANZHA" warn --db "$PG" --watchlist list.jsonl --no-save w/events.jsonl > single.jsonl 2>/dev/null
echo "centre-pw-123" | "$FANZHA" user add chief --role centre --db "$PG" >/dev/null
"$FANZHA" bank split --world w --out banks >/dev/null

# The cluster.
start_nats_cluster "$W"

# A bank node per bank, its share of the world in a store of its own.
for dir in banks/*/; do
  [ "$(basename "$dir")" = platform ] && continue
  institution=$(python3 -c 'import csv,sys; print(next(csv.DictReader(open(sys.argv[1], encoding="utf-8")))["institution"])' "$dir/accounts.csv")
  "$FANZHA" import --db "$dir/bank.db" "$dir/accounts.csv" "$dir/transfers.csv" >/dev/null
  "$FANZHA" bank serve --institution "$institution" --db "$dir/bank.db" --nats "$URL" \
    --nats-replicas 3 > "$dir/node.log" 2>&1 &
  PIDS+=($!)
done

start() {  # start NAME: an API node with the interchange; its port in $NAME.port
  local port; port=$(free_port)
  "$FANZHA" serve --db "$PG" --port "$port" --web /nonexistent --nats "$URL" --nats-replicas 3 \
    > "$1.log" 2>&1 &
  PIDS+=($!)
  echo $! > "$1.pid"; echo "$port" > "$1.port"
  for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && return; sleep 0.1; done
  fail "node $1 did not start"
}
start a; start b
A="http://127.0.0.1:$(cat a.port)"; B="http://127.0.0.1:$(cat b.port)"
member() {
  "$FANZHA" warn --follow --nats "$URL" --db "$PG" --name "$1" --takeover-seconds 2 --replicas 3 \
    > "$1.jsonl" 2> "$1.err" &
  PIDS+=($!)
}
member m1; member m2

TOKEN=$(curl -sf -X POST "$A/api/login" -d '{"user":"chief","password":"centre-pw-123"}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
AUTH="Authorization: Bearer $TOKEN"
stop_payments() {  # stop_payments NODE CASE: drafts and sends the case's stop-payments; the status
  curl -s -m 60 -o "sp-$2.json" -w '%{http_code}' -X POST "$1/api/cases/$2/freeze-orders" -H "$AUTH" \
    -d '{"policy":"fifo","reason":"fault test","kind":"stop_payment","document":"公(杭)查字[2020]009号","send":true}' || true
}
report() {  # report NODE ID: a new case paying a stored mule; the status
  curl -s -m 60 -o /dev/null -w '%{http_code}' -X POST "$1/api/cases" -H "$AUTH" -d "{\"case\":{\"id\":\"$2\",\"reported_at\":\"2030-01-01T00:00:00+08:00\",\"transfers\":[\"$2-T1\"]},\"transfers\":[
    {\"id\":\"$2-T1\",\"time\":\"2020-03-01T10:00:00+08:00\",\"from\":\"VICTIM-$2\",\"to\":\"MULE-$2\",\"amount\":\"1000\"}]}" || true
}

# Load through both nodes; at the middle, node A and a NATS server die.
CASES=$(python3 -c 'import json; print(" ".join(json.loads(l)["id"] for l in open("w/cases.jsonl")))')
python3 - <<'PY'
lines = [l for l in open("w/events.jsonl") if l.strip()]
h = len(lines) // 2
open("ev1.jsonl", "w").writelines(lines[:h]); open("ev2.jsonl", "w").writelines(lines[h:])
PY
"$FANZHA" warn publish --nats "$URL" --replicas 3 ev1.jsonl >/dev/null
i=0 LOAD=()
for c in $CASES; do
  i=$((i + 1))
  node=$A; (( i % 2 )) && node=$B
  ( echo "$c $(stop_payments "$node" "$c")" >> orders.txt ) &
  LOAD+=($!)
  ( echo "R$i $(report "$node" "R$i")" >> reports.txt ) &
  LOAD+=($!)
  (( i == 12 )) && kill -9 "$(cat a.pid)" "${NATS_PIDS[1]}"
  sleep 0.1
done
wait "${LOAD[@]}" 2>/dev/null || true
# The cluster moves the leaders off the dead server (tens of seconds on 2 busy cores): a publisher
# tries again for 30 s, then is run again (the message ids make that harmless).
for try in 1 2 3 4; do
  "$FANZHA" warn publish --nats "$URL" --replicas 3 ev2.jsonl > publish2.txt 2>&1 && break
  (( try < 4 )) || fail "the events cannot be published: $(cat publish2.txt)"
done

# Reports: every accepted one stored, once.
for id in $(awk '$2 == 201 {print $1}' reports.txt); do
  curl -sf -H "$AUTH" "$B/api/cases/$id" >/dev/null || fail "accepted report $id is lost"
done
[[ $(psql "$PG" -Atq -c "SELECT COUNT(*) - COUNT(DISTINCT id) FROM cases") == 0 ]] || fail "a case stored twice"
accepted=$(awk '$2 == 201' reports.txt | wc -l)
(( accepted >= 12 )) || fail "only $accepted reports accepted: $(cat reports.txt)"

# Orders: those sent reach their banks through node B and the two servers left; each executed once.
sent=$(awk '$2 == 201' orders.txt | wc -l)
(( sent >= 12 )) || fail "only $sent cases' stop-payments accepted: $(cat orders.txt)"
for _ in $(seq 600); do
  curl -sf -H "$AUTH" "$B/api/freeze-orders" > orders.json
  python3 -c 'import json,sys; o=json.load(open("orders.json"))["orders"]; sys.exit(0 if o and all(x["status"] in ("executed","rejected") for x in o if x["status"] != "planned") else 1)' && break
  sleep 0.2
done
python3 - "$PG" <<'PY' || fail "orders: see above"
import json, subprocess, sys
orders = [o for o in json.load(open("orders.json"))["orders"] if o["status"] != "planned"]
assert orders, "no orders sent"
waiting = [o["id"] for o in orders if o["status"] not in ("executed", "rejected")]
assert not waiting, f"{len(waiting)} orders never answered: {waiting[:3]}"
assert any(o["status"] == "executed" for o in orders), "none executed"
print(f"{len(orders)} stop-payments answered by the banks "
      f"({sum(o['status'] == 'executed' for o in orders)} executed)")
PY
# Each order once: one per (case, account, kind) on the platform, one hold per executed order in the
# banks' books.
[[ $(psql "$PG" -Atq -c "SELECT COUNT(*) - COUNT(DISTINCT (case_id, account, kind)) FROM freeze_orders") == 0 ]] ||
  fail "an order drafted twice"
python3 - <<'PY' || fail "the banks' holds are not the executed orders"
import glob, json, sqlite3
executed = {str(o["id"]) for o in json.load(open("orders.json"))["orders"] if o["status"] == "executed"}
holds = []
for db in glob.glob("banks/*/bank.db"):
    holds += [r[0] for r in sqlite3.connect(db).execute("SELECT order_ref FROM bank_holds")]
assert len(holds) == len(set(holds)), "a hold twice"
assert len(holds) == len(executed), (len(holds), len(executed))
PY

# Warnings: no line twice. (That the members give exactly one process's warnings through a NATS
# server's death is warn_group.sh's test; here, on two busy cores, the cluster may still be moving
# the leaders of the members' consumers when the time is up: how far they got is printed.)
python3 - <<'PY' || fail "the members' warnings"
import json, time
def lines(names):
    return [json.loads(l) for n in names for l in open(n) if l.startswith("{")]
want = {(w["id"], w["revision"]) for w in lines(["single.jsonl"])}
for _ in range(300):
    got = lines(["m1.jsonl", "m2.jsonl"])
    if want <= {(w["id"], w["revision"]) for w in got}:
        break
    time.sleep(0.2)
keys = [(w["id"], w["revision"]) for w in got]
assert keys, "no warnings"
assert len(keys) == len(set(keys)), f"{len(keys) - len(set(keys))} lines twice"
assert set(keys) <= want, f"{len(set(keys) - want)} lines one process does not write"
print(f"{len(keys)} warning lines from 2 members, none twice, {len(set(keys) & want)} of the "
      f"{len(want)} one process writes")
PY
"$FANZHA" audit verify --db "$PG" > verify.txt 2>&1 || fail "the audit chain does not verify: $(cat verify.txt)"
echo "nodes and cluster under faults: $accepted reports, $sent cases' stop-payments; $(tail -1 verify.txt)"
