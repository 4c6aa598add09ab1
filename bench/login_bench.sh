#!/usr/bin/env bash
# Logins under guessing (docs/SECURITY.md "Logins"): `fanzha serve` on a generated world, four
# users at work, and one address (127.0.0.2) sending RATE wrong logins a second; login_bench
# reports the workers' latency alone and under the guessing, and checks every answer.
# Usage: bench/login_bench.sh [LOGIN_BENCH_BINARY]
# FANZHA (build/fanzha), RATE (1000), SECONDS_EACH (10), TRANSFERS (20000), PORT (18392) and
# MAX_P99_MS (none) from the environment; any further login_bench options in EXTRA.
set -euo pipefail
FANZHA=${FANZHA:-build/fanzha}
BENCH=${1:-build/bench/login_bench}
PORT=${PORT:-18392}
WORK=$(mktemp -d)
SERVER=
trap '[[ -n "$SERVER" ]] && kill $SERVER 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
"$FANZHA" gen --out "$WORK/world" --transfers "${TRANSFERS:-20000}" --cases 40 >/dev/null
DB="$WORK/world.db"
"$FANZHA" import --db "$DB" "$WORK"/world/*.csv "$WORK"/world/cases.jsonl >/dev/null
CASE=$(head -1 "$WORK/world/cases.jsonl" | sed 's/.*"id":"\([^"]*\)".*/\1/')
for u in w1 w2 w3 w4; do echo "password-$u" | "$FANZHA" user add "$u" --role centre --db "$DB" >/dev/null; done
echo "password-li" | "$FANZHA" user add li --role investigator --region 330100 --db "$DB" >/dev/null
"$FANZHA" serve --db "$DB" --port "$PORT" --web /nonexistent >"$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null && break; sleep 0.2; done
ARGS=(--port "$PORT" --case "$CASE" --rate "${RATE:-1000}" --seconds "${SECONDS_EACH:-10}")
[[ -n "${MAX_P99_MS:-}" ]] && ARGS+=(--max-p99-ms "$MAX_P99_MS")
# shellcheck disable=SC2086
"$BENCH" "${ARGS[@]}" ${EXTRA:-}
