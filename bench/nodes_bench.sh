#!/usr/bin/env bash
# Report intake on one PostgreSQL store through 1 API node and through 2 (docs/SCALE.md): wrk posts
# reports for SECONDS_LOAD, each a new case with two new transfers paying a mule of a stored case,
# CONNECTIONS in all (split over the nodes); any answer but 2xx fails the run. Prints reports/s and
# each node's p50 and p99.
# Usage: bench/nodes_bench.sh STORE   STORE: a PostgreSQL URI with a world imported (fanzha import).
# FANZHA (build/fanzha), CONNECTIONS (8), SECONDS_LOAD (10) from the environment. Needs wrk, curl,
# psql, python3.
set -euo pipefail
FANZHA=$(realpath "${FANZHA:-build/fanzha}")
PG=${1:?a PostgreSQL URI}
CONNECTIONS=${CONNECTIONS:-8}
SECONDS_LOAD=${SECONDS_LOAD:-10}
W=$(mktemp -d)
PIDS=()
trap 'kill ${PIDS[@]} 2>/dev/null || true; rm -rf "$W"' EXIT
export FANZHA_NO_PROGRESS=1
echo "bench-nodes-pw" | "$FANZHA" user add "nodes$$" --role centre --db "$PG" >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start() {  # start: one more node; its URL appended to $W/urls
  local port; port=$(free_port)
  "$FANZHA" serve --db "$PG" --port "$port" --web /nonexistent >"$W/node$port.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.1; done
  echo "http://127.0.0.1:$port" >>"$W/urls"
}
CASE=$(psql "$PG" -Atq -c "SELECT case_id FROM case_transfers ORDER BY case_id LIMIT 1")
SEED=$(psql "$PG" -Atq -c "SELECT a.account, t.time FROM case_transfers c JOIN transfers t ON t.id = c.transfer_id JOIN accounts a ON a.id = t.to_account WHERE c.case_id = '$CASE' LIMIT 1")
TO=${SEED%%|*}; AT=${SEED##*|}
iso() { date -u -d @$(($1 / 1000)) +%Y-%m-%dT%H:%M:%SZ; }
T1=$(iso "$AT"); T2=$(iso $((AT + 60000)))

# Each request a new case: ids from the wrk thread and a counter.
cat >"$W/report.lua" <<LUA
local n = 0
local tag = tostring(math.random(1, 1000000000))
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  local id = "NB-" .. tag .. "-" .. n
  local body = '{"case":{"id":"' .. id .. '","reported_at":"2030-01-01T00:00:00+08:00","transfers":["' .. id .. '-T1"]},"transfers":[' ..
    '{"id":"' .. id .. '-T1","time":"$T1","from":"V-' .. id .. '","to":"$TO","amount":"1000"},' ..
    '{"id":"' .. id .. '-T2","time":"$T2","from":"$TO","to":"M-' .. id .. '","amount":"600"}]}'
  return wrk.format(nil, "/api/cases", nil, body)
end
LUA

run() {  # run NODES: SECONDS of reports through that many nodes, CONNECTIONS in all
  : >"$W/urls"
  for _ in $(seq "$1"); do start; done
  mapfile -t urls <"$W/urls"
  local token
  token=$(curl -sf -X POST "${urls[0]}/api/login" -d "{\"user\":\"nodes$$\",\"password\":\"bench-nodes-pw\"}" |
          python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  local per=$((CONNECTIONS / $1)) k=0
  for url in "${urls[@]}"; do
    k=$((k + 1))
    wrk -t1 -c"$per" -d"${SECONDS_LOAD}s" --latency -s "$W/report.lua" -H "Authorization: Bearer $token" "$url" >"$W/wrk$k.txt" &
  done
  wait $(jobs -p | grep -v -F -x -f <(printf '%s\n' "${PIDS[@]}")) 2>/dev/null || true
  if grep -q "Non-2xx" "$W"/wrk*.txt; then echo "reports refused: $(grep -h Non-2xx "$W"/wrk*.txt)"; exit 1; fi
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {s += $2} END {printf "%.0f", s}' "$W"/wrk*.txt)
  p50=$(awk '$1 == "50%" {print $2}' "$W"/wrk*.txt | paste -sd/)
  p99=$(awk '$1 == "99%" {print $2}' "$W"/wrk*.txt | paste -sd/)
  echo "$1 node(s), $CONNECTIONS connections: $rps reports/s, each with 2 new transfers (per node p50 $p50, p99 $p99)"
  rm -f "$W"/wrk*.txt
  kill "${PIDS[@]}" 2>/dev/null || true
  wait "${PIDS[@]}" 2>/dev/null || true
  PIDS=()
}
run 1
run 2
