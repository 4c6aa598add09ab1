#!/usr/bin/env bash
# Two `fanzha serve` nodes on one PostgreSQL database, as a centre runs them behind a balancer: a
# token one node issued works on the other; a report posted to one is traced on the other with the
# same answer within a second (the other node learns of its transfers from the store's feed, not
# by reloading); reports posted to both at once, one node killed with kill -9 in the middle: every
# accepted report is there, none twice, and the audit log is one unbroken chain.
# Usage: two_nodes.sh FANZHA, with FANZHA_TEST_POSTGRES naming the folder of the test run's
# PostgreSQL server (tests/support/postgres_server.sh).
set -euo pipefail
FANZHA=$(realpath "$1")
: "${FANZHA_TEST_POSTGRES:?the folder of a running test server (tests/support/postgres_server.sh)}"
W=$(mktemp -d)
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
db="nodes_$$"
A_PID= B_PID=
cleanup() {
  kill -9 $A_PID $B_PID 2>/dev/null || true
  "$bin/dropdb" -h "$FANZHA_TEST_POSTGRES" -U postgres --if-exists "$db" >/dev/null 2>&1 || true
  rm -rf "$W"
}
trap cleanup EXIT
cd "$W"
export FANZHA_NO_PROGRESS=1 FANZHA_LANG=en
fail() { echo "FAIL: $*" >&2; for n in a b; do [[ -f $n.log ]] && { echo "--- node $n:" >&2; tail -20 $n.log >&2; }; done; exit 1; }

"$bin/createdb" -h "$FANZHA_TEST_POSTGRES" -U postgres "$db"
PG="postgresql:///$db?host=$FANZHA_TEST_POSTGRES&port=5432&user=postgres"
"$FANZHA" gen --out w --seed 3 --transfers 5000 --cases 8 >/dev/null
"$FANZHA" import --db "$PG" w/accounts.csv w/transfers.csv w/cases.jsonl >/dev/null
echo "centre-pw-123" | "$FANZHA" user add chief --role centre --db "$PG" >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start() {  # start NAME: a node; its port in $NAME.port
  local port; port=$(free_port)
  "$FANZHA" serve --db "$PG" --port "$port" --web /nonexistent > "$1.log" 2>&1 &
  echo $! > "$1.pid"; echo "$port" > "$1.port"
  for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && return; sleep 0.1; done
  fail "node $1 did not start"
}
start a; start b
A="http://127.0.0.1:$(cat a.port)"; B="http://127.0.0.1:$(cat b.port)"
A_PID=$(cat a.pid); B_PID=$(cat b.pid)

# A token from node A is good on node B.
TOKEN=$(curl -sf -X POST "$A/api/login" -d '{"user":"chief","password":"centre-pw-123"}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
AUTH="Authorization: Bearer $TOKEN"
CASE=$(python3 -c "import json; print(json.loads(open('w/cases.jsonl').readline())['id'])")
curl -sf -H "$AUTH" "$B/api/cases/$CASE" >/dev/null || fail "node A's token is refused by node B"

# A report posted to node A, paying a mule of the stored case, traced on node B.
MULE=$(psql "$PG" -Atq -c "SELECT a.account, t.time FROM case_transfers c JOIN transfers t ON t.id = c.transfer_id JOIN accounts a ON a.id = t.to_account WHERE c.case_id = '$CASE' LIMIT 1")
TO=${MULE%%|*}; AT=${MULE##*|}
iso() { date -u -d @$(($1 / 1000)) +%Y-%m-%dT%H:%M:%SZ; }
report() {  # report NODE ID: posts a case with two new transfers; prints the HTTP status
  curl -s -m 30 -o /dev/null -w '%{http_code}' -X POST "$1/api/cases" -H "$AUTH" -d "{\"case\":{\"id\":\"$2\",\"reported_at\":\"2030-01-01T00:00:00+08:00\",\"transfers\":[\"$2-T1\"]},\"transfers\":[
    {\"id\":\"$2-T1\",\"time\":\"$(iso "$AT")\",\"from\":\"VICTIM-$2\",\"to\":\"$TO\",\"amount\":\"1000\"},
    {\"id\":\"$2-T2\",\"time\":\"$(iso $((AT + 60000)))\",\"from\":\"$TO\",\"to\":\"MULE-$2\",\"amount\":\"600\"}]}" || true
}
[[ $(report "$A" NEW1) == 201 ]] || fail "node A did not take the report"
posted=$(date +%s%N)
TRACE="api/cases/NEW1/trace?policy=fifo&reason=two-nodes"
curl -sf -H "$AUTH" "$A/$TRACE" > a.json || fail "node A cannot trace its report"
answer() { sed -e 's/"ledger_version":[0-9]*,\{0,1\}//' "$1"; }  # the same on both nodes otherwise
answer a.json > a.answer
same=0 tries=0 seen=0
for _ in $(seq 150); do
  tries=$((tries + 1))
  curl -sf -H "$AUTH" "$B/$TRACE" > b.json || true
  seen=$(( ($(date +%s%N) - posted) / 1000000 ))  # when node B gave this answer
  if answer b.json > b.answer && cmp -s a.answer b.answer; then same=1; break; fi
  sleep 0.02
done
(( same )) || fail "node B does not trace node A's report the same way: $(diff a.answer b.answer | head -c 600)"
grep -q "NEW1-T1" a.answer || fail "node A's trace does not start from the report's payment"
(( seen < 1000 )) || fail "node B traced node A's report the same way only after $seen ms ($tries tries)"
echo "node B traced node A's report with the same answer $seen ms after it was posted"

# Reports to both nodes at once; node A killed in the middle.
posts=()
for i in $(seq 1 30); do
  node=$A; (( i % 2 )) && node=$B
  ( code=$(report "$node" "LOAD$i"); echo "LOAD$i $code" >> posts.txt ) &
  posts+=($!)
  (( i == 15 )) && { kill -9 "$A_PID"; }
done
wait "${posts[@]}" 2>/dev/null || true
accepted=$(awk '$2 == 201 {print $1}' posts.txt)
n=0
for id in $accepted; do
  curl -sf -H "$AUTH" "$B/api/cases/$id" >/dev/null || fail "accepted report $id is lost"
  n=$((n + 1))
done
dup=$(psql "$PG" -Atq -c "SELECT COUNT(*) - COUNT(DISTINCT id) FROM cases")
[[ "$dup" == 0 ]] || fail "$dup cases stored twice"
"$FANZHA" audit verify --db "$PG" > verify.txt 2>&1 || fail "the audit chain does not verify: $(cat verify.txt)"
echo "30 reports to two nodes, node A killed: $n accepted, all stored once; $(tail -1 verify.txt)"
