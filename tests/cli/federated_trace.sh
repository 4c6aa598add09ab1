#!/usr/bin/env bash
# The federated trace as a user runs it: a generated world split by institution (`fanzha bank
# split`), each bank's share in its own store behind `fanzha bank serve` on a nats-server started
# here, the platform holding only the account registry, the reports and the victims' payments.
# `fanzha trace --via-banks` must give, case by case and policy by policy, the JSON `fanzha trace`
# gives on a store of every transfer, and --stop-payments must send stop-payments the banks
# execute. Usage: federated_trace.sh FANZHA   (exit 77 without nats-server)
set -euo pipefail
FANZHA=$(realpath "$1")
command -v nats-server >/dev/null || { echo "nats-server is not installed: skipped"; exit 77; }
W=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT
cd "$W"
export FANZHA_NO_PROGRESS=1
fail() { echo "FAIL: $*" >&2; exit 1; }

"$FANZHA" gen --out world --transfers 20000 --cases 30 --banks 6 --seed 11 >/dev/null
"$FANZHA" import --db all.db world/accounts.csv world/transfers.csv world/cases.jsonl >/dev/null
"$FANZHA" bank split --world world --out banks > split.txt
grep -q "platform/" split.txt || fail "the split names the platform's share"
"$FANZHA" import --db platform.db banks/platform/accounts.csv banks/platform/transfers.csv \
  banks/platform/cases.jsonl >/dev/null

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL="nats://127.0.0.1:$PORT"

# A bank node that cannot reach NATS gives up after --nats-wait, saying why in both languages.
if "$FANZHA" bank serve --institution X --db lone.db --nats "$URL" --nats-wait 1 > lone.log 2>&1; then
  fail "a bank node with no NATS server to reach exits with an error"
fi
grep -q "waiting for NATS JetStream" lone.log || fail "it says it waits: $(cat lone.log)"
grep -q "正在等待 NATS JetStream" lone.log || fail "in Chinese too: $(cat lone.log)"

# One bank node per bank folder, its institution read from its own accounts.csv. They start before
# the nats-server does: each waits for it.
for dir in banks/*/; do
  token=$(basename "$dir")
  [ "$token" = platform ] && continue
  institution=$(python3 -c 'import csv,sys; r=csv.DictReader(open(sys.argv[1], encoding="utf-8")); print(next(r)["institution"])' "$dir/accounts.csv")
  "$FANZHA" import --db "$dir/bank.db" "$dir/accounts.csv" "$dir/transfers.csv" >/dev/null
  "$FANZHA" bank serve --institution "$institution" --db "$dir/bank.db" --nats "$URL" \
    > "$dir/node.log" 2>&1 &
  PIDS+=($!)
done
sleep 1
nats-server -js -sd "$W/js" -a 127.0.0.1 -p "$PORT" > nats.log 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do (echo > "/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
for _ in $(seq 50); do
  [ "$(cat banks/*/node.log | grep -c 'taking requests')" -ge "$(ls -d banks/*/ | grep -vc platform)" ] && break
  sleep 0.2
done
grep -q "waiting for NATS JetStream" banks/*/node.log || fail "the nodes waited for the server"

CASES=$(python3 -c 'import json; print(" ".join(json.loads(l)["id"] for l in list(open("world/cases.jsonl"))[:6]))')
n=0
for c in $CASES; do
  for policy in fifo haircut; do
    "$FANZHA" trace --db all.db --case "$c" --policy "$policy" --json > central.json
    until=$(python3 -c 'import json; print(json.load(open("central.json"))["until"])')
    "$FANZHA" trace --db platform.db --case "$c" --policy "$policy" --until "$until" --via-banks \
      --nats "$URL" --document '公(杭)查字[2020]001号' --bank-deadline 20s --json \
      > federated.json 2> progress.txt || fail "$c $policy: $(cat progress.txt)"
    python3 - "$c" "$policy" <<'PY' || fail "$c $1 differs"
import json, sys
central = json.load(open("central.json"))
fed = json.load(open("federated.json"))
assert fed.pop("complete") is True, fed["gaps"]
assert fed.pop("gaps") == []
progress = fed.pop("progress")
assert fed == central, (sys.argv[1], sys.argv[2])
assert progress["asked"] >= 0 and progress["hops_known"] >= 0
PY
    grep -q "round 1:" progress.txt || fail "progress is shown round by round"
    n=$((n + 1))
  done
done
[ "$n" -ge 10 ] || fail "only $n walks"

# The text answer says it is complete; --stop-payments sends orders the banks execute.
c=$(echo "$CASES" | awk '{print $1}')
"$FANZHA" trace --db platform.db --case "$c" --via-banks --nats "$URL" \
  --document '公(杭)查字[2020]002号' --stop-payments > tree.txt 2> progress.txt
grep -q "^Complete: every account the money reached has its statement." tree.txt ||
  fail "the tree says whether it is complete: $(tail -5 tree.txt)"
grep -q "stop-payment .* sent to" progress.txt || fail "no stop-payment was sent: $(cat progress.txt)"
for _ in $(seq 100); do
  "$FANZHA" freeze list --db platform.db --json > orders.json
  python3 -c 'import json,sys; o=json.load(open("orders.json")); o=o if isinstance(o,list) else o["orders"]; sys.exit(0 if o and all(x["status"] in ("executed","rejected") for x in o) else 1)' && break
  # the trace has ended: a server with --nats would carry the answers; here one more walk does
  "$FANZHA" trace --db platform.db --case "$c" --via-banks --nats "$URL" \
    --document '公(杭)查字[2020]002号' --bank-deadline 1s --json > /dev/null 2>&1 || true
done
python3 - "$c" <<'PY'
import json, sys
o = json.load(open("orders.json"))
o = o if isinstance(o, list) else o["orders"]
assert o, "no orders"
assert all(x["kind"] == "stop_payment" and x["case"] == sys.argv[1] for x in o), o
assert any(x["status"] == "executed" for x in o), [x["status"] for x in o]
PY
"$FANZHA" audit list --db platform.db --json > audit.jsonl
grep -q '"statement.ask"' audit.jsonl || fail "statement queries are audited"
grep -q '"freeze.draft"' audit.jsonl || fail "the stop-payments are audited"
echo "ok: $n federated traces equal the central ones; stop-payments executed"
