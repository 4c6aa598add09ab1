#!/usr/bin/env bash
# Server figures (docs/PERFORMANCE.md "server"):
#  1. report -> freeze orders: POST a case (with its payment) and draft its freeze orders, timed
#     end to end over HTTP on a store;
#  2. the trace endpoint under load: wrk on loopback against GET /api/cases/{id}/trace.
# Usage: bench/serve_bench.sh [STORE.db] [CASE_ID]   (default: a fresh demo world, its first case)
# Needs: build/fanzha (or $FANZHA), wrk, curl. Checks every answer before it reports a time.
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
[[ -z "$CASE" ]] && CASE=$(sqlite3 "$DB" "SELECT id FROM cases WHERE id IN (SELECT case_id FROM case_transfers) ORDER BY id LIMIT 1")
PORT=${PORT:-18080}
echo "bench-centre-pw" | "$FANZHA" user add "bench$$" --role centre --db "$DB" >/dev/null
"$FANZHA" serve --db "$DB" --port "$PORT" --web /nonexistent >"$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null && break; sleep 0.5; done
TOKEN=$(curl -sf -X POST "http://127.0.0.1:$PORT/api/login" -d "{\"user\":\"bench$$\",\"password\":\"bench-centre-pw\"}" | sed 's/.*"token":"\([0-9a-f]*\)".*/\1/')
AUTH="Authorization: Bearer $TOKEN"

# 1. A new report whose payment is one of the stored case's transfers to a new victim account:
#    post it with that new transfer, then draft its orders.
SEED=$(sqlite3 "$DB" "SELECT t.to_account, t.time FROM case_transfers c JOIN transfers t ON t.id = c.transfer_id WHERE c.case_id = '$CASE' LIMIT 1")
TO=${SEED%%|*}; AT=${SEED##*|}
NEW="BENCH-$$"
BODY="{\"case\":{\"id\":\"$NEW\",\"reported_at\":\"2030-01-01T00:00:00+08:00\",\"transfers\":[\"$NEW-T\"]},\"transfers\":[{\"id\":\"$NEW-T\",\"time\":\"$(date -u -d @$((AT/1000)) +%Y-%m-%dT%H:%M:%SZ)\",\"from\":\"BENCHVICTIM$$\",\"to\":\"$TO\",\"amount\":\"1000\"}]}"
start=$(date +%s.%N)
curl -sf -X POST "http://127.0.0.1:$PORT/api/cases" -H "$AUTH" -d "$BODY" >"$WORK/post.json"
curl -sf -X POST "http://127.0.0.1:$PORT/api/cases/$NEW/freeze-orders" -H "$AUTH" -d '{"reason":"bench"}' >"$WORK/draft.json"
end=$(date +%s.%N)
grep -q '"created":true' "$WORK/post.json" || { echo "post failed: $(cat "$WORK/post.json")"; exit 1; }
grep -q '"orders":\[{' "$WORK/draft.json" || { echo "no orders drafted: $(cat "$WORK/draft.json")"; exit 1; }
echo "report with transfer -> orders drafted: $(echo "$end - $start" | bc) s wall ($(grep -o '"transfers":[0-9]*' <(curl -s "http://127.0.0.1:$PORT/api/health")) in the ledger)"
# Without new transfers (the payment already imported from the bank): no ledger rebuild.
NEW2="BENCH2-$$"
start=$(date +%s.%N)
curl -sf -X POST "http://127.0.0.1:$PORT/api/cases" -H "$AUTH" -d "{\"case\":{\"id\":\"$NEW2\",\"reported_at\":\"2030-01-01T00:00:00+08:00\",\"transfers\":[\"$NEW-T\"]}}" >/dev/null
curl -sf -X POST "http://127.0.0.1:$PORT/api/cases/$NEW2/freeze-orders" -H "$AUTH" -d '{"reason":"bench"}' >"$WORK/draft2.json"
end=$(date +%s.%N)
grep -q '"orders":\[{' "$WORK/draft2.json" || { echo "no orders drafted"; exit 1; }
echo "report (payment already stored) -> orders drafted: $(echo "$end - $start" | bc) s wall"

# 2. The trace endpoint under load.
URL="http://127.0.0.1:$PORT/api/cases/$CASE/trace?policy=fifo&reason=bench"
curl -sf -H "$AUTH" "$URL" | grep -q '"held"' || { echo "trace answer is wrong"; exit 1; }
wrk -t2 -c${CONNECTIONS:-8} -d${SECONDS_LOAD:-10}s --latency -H "$AUTH" "$URL" | tee "$WORK/wrk.txt"
if grep -q "Non-2xx" "$WORK/wrk.txt"; then echo "errors under load"; exit 1; fi
kill $SERVER; wait $SERVER 2>/dev/null || true
