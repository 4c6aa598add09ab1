#!/usr/bin/env bash
# Server figures (docs/PERFORMANCE.md "server"):
#  1. report -> freeze orders: POST a case (with its payment) and draft its freeze orders, timed
#     end to end over HTTP on a store;
#  2. the trace endpoint under load: wrk on loopback against GET /api/cases/{id}/trace.
# Usage: bench/serve_bench.sh [STORE] [CASE_ID]   (default: a fresh demo world, its first case)
# STORE is a SQLite file or a PostgreSQL database (postgresql://...), as `--db` takes it.
# Needs: build/fanzha (or $FANZHA), wrk, curl, sqlite3 or psql. Checks every answer before it
# reports a time. REPORTS (5), CONNECTIONS (8), SECONDS_LOAD (10), PORT (18080) from the environment.
set -euo pipefail
FANZHA=${FANZHA:-build/fanzha}
DB=${1:-}
CASE=${2:-}
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
if [[ -z "$DB" ]]; then
  "$FANZHA" gen --out "$WORK/world" >/dev/null
  DB="$WORK/world.db"
  "$FANZHA" import --db "$DB" "$WORK"/world/*.csv "$WORK"/world/cases.jsonl >/dev/null
fi
q() {  # q SQL: the rows, columns separated by '|', from either store
  if [[ "$DB" == postgres*://* ]]; then psql "$DB" -Atq -c "$1"; else sqlite3 "$DB" "$1"; fi
}
[[ -z "$CASE" ]] && CASE=$(q "SELECT id FROM cases WHERE id IN (SELECT case_id FROM case_transfers) AND id NOT LIKE 'BENCH%' ORDER BY id LIMIT 1")
PORT=${PORT:-18080}
echo "bench-centre-pw" | "$FANZHA" user add "bench$$" --role centre --db "$DB" >/dev/null
"$FANZHA" serve --db "$DB" --port "$PORT" --web /nonexistent >"$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null && break; sleep 0.5; done
TOKEN=$(curl -sf -X POST "http://127.0.0.1:$PORT/api/login" -d "{\"user\":\"bench$$\",\"password\":\"bench-centre-pw\"}" | sed 's/.*"token":"\([0-9a-f]*\)".*/\1/')
AUTH="Authorization: Bearer $TOKEN"

# 1. Reports that bring new transfers: a new victim pays the stored case's first payee (a mule
#    with its whole history in the ledger), which passes money on to a new account a minute later.
#    Each is posted, then its freeze orders drafted; the ledger is rebuilt in the background, so
#    the time is that of the store insert, the trace over the pending transfers and the drafting.
SEED=$(q "SELECT t.to_account, t.time FROM case_transfers c JOIN transfers t ON t.id = c.transfer_id WHERE c.case_id = '$CASE' LIMIT 1")
TO=${SEED%%|*}; AT=${SEED##*|}
iso() { date -u -d @$(($1 / 1000)) +%Y-%m-%dT%H:%M:%SZ; }
REPORTS=${REPORTS:-5}
: >"$WORK/times"; : >"$WORK/post_times"; : >"$WORK/draft_times"
for i in $(seq "$REPORTS"); do
  NEW="BENCH-$$-$i"
  BODY="{\"case\":{\"id\":\"$NEW\",\"reported_at\":\"2030-01-01T00:00:00+08:00\",\"transfers\":[\"$NEW-T1\"]},\"transfers\":[
    {\"id\":\"$NEW-T1\",\"time\":\"$(iso "$AT")\",\"from\":\"BENCHVICTIM$$-$i\",\"to\":\"$TO\",\"amount\":\"1000\"},
    {\"id\":\"$NEW-T2\",\"time\":\"$(iso $((AT + 60000)))\",\"from\":\"$TO\",\"to\":\"BENCHMULE$$-$i\",\"amount\":\"600\"}]}"
  start=$(date +%s%N)
  curl -sf -w '%{time_total}\n' -o "$WORK/post.json" -X POST "http://127.0.0.1:$PORT/api/cases" -H "$AUTH" -d "$BODY" >>"$WORK/post_times"
  curl -sf -w '%{time_total}\n' -o "$WORK/draft.json" -X POST "http://127.0.0.1:$PORT/api/cases/$NEW/freeze-orders" -H "$AUTH" -d '{"reason":"bench"}' >>"$WORK/draft_times"
  end=$(date +%s%N)
  grep -q '"created":true' "$WORK/post.json" || { echo "post failed: $(cat "$WORK/post.json")"; exit 1; }
  grep -q '"orders":\[{' "$WORK/draft.json" || { echo "no orders drafted: $(cat "$WORK/draft.json")"; exit 1; }
  echo $(((end - start) / 1000000)) >>"$WORK/times"
done
median() { sort -n "$1" | sed -n "$(((REPORTS + 1) / 2))p"; }
echo "report with 2 new transfers -> orders drafted, $REPORTS reports: median $(median "$WORK/times") ms, max $(sort -n "$WORK/times" | tail -1) ms wall (median of the calls: POST case $(median "$WORK/post_times") s, POST freeze-orders $(median "$WORK/draft_times") s; $(curl -s "http://127.0.0.1:$PORT/api/health"))"

# The answer over pending transfers must be the answer of the rebuilt ledger.
TRACE="http://127.0.0.1:$PORT/api/cases/$NEW/trace?policy=fifo&reason=bench"
curl -sf -H "$AUTH" "$TRACE" >"$WORK/pending.json"
for _ in $(seq 1200); do curl -s "http://127.0.0.1:$PORT/api/health" | grep -q '"transfers_pending":0' && break; sleep 0.5; done
curl -s "http://127.0.0.1:$PORT/api/health" | grep -q '"transfers_pending":0' || { echo "the ledger was not rebuilt"; exit 1; }
curl -sf -H "$AUTH" "$TRACE" >"$WORK/rebuilt.json"
cmp -s "$WORK/pending.json" "$WORK/rebuilt.json" || { echo "trace over pending transfers differs from the rebuilt ledger's"; diff <(tr , '\n' <"$WORK/pending.json") <(tr , '\n' <"$WORK/rebuilt.json") | head; exit 1; }
echo "trace over pending transfers = trace on the rebuilt ledger ($(wc -c <"$WORK/rebuilt.json") bytes)"

# Without new transfers (the payment already imported from the bank).
NEW2="BENCH2-$$"
start=$(date +%s%N)
curl -sf -X POST "http://127.0.0.1:$PORT/api/cases" -H "$AUTH" -d "{\"case\":{\"id\":\"$NEW2\",\"reported_at\":\"2030-01-01T00:00:00+08:00\",\"transfers\":[\"$NEW-T1\"]}}" >/dev/null
curl -sf -X POST "http://127.0.0.1:$PORT/api/cases/$NEW2/freeze-orders" -H "$AUTH" -d '{"reason":"bench"}' >"$WORK/draft2.json"
end=$(date +%s%N)
grep -q '"orders":\[{' "$WORK/draft2.json" || { echo "no orders drafted"; exit 1; }
echo "report (payment already stored) -> orders drafted: $(((end - start) / 1000000)) ms wall"

# 2. The trace endpoint under load.
URL="http://127.0.0.1:$PORT/api/cases/$CASE/trace?policy=fifo&reason=bench"
curl -sf -H "$AUTH" "$URL" | grep -q '"held"' || { echo "trace answer is wrong"; exit 1; }
wrk -t2 -c${CONNECTIONS:-8} -d${SECONDS_LOAD:-10}s --latency -H "$AUTH" "$URL" | tee "$WORK/wrk.txt"
if grep -q "Non-2xx" "$WORK/wrk.txt"; then echo "errors under load"; exit 1; fi
kill $SERVER; wait $SERVER 2>/dev/null || true
