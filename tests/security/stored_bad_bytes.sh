#!/usr/bin/env bash
# Regression: strings already stored that are not UTF-8 (a store filled before the importers
# checked text, or edited by hand) made the freeze plan, order drafting and the order list answer
# 500 and `fanzha freeze list --json` abort (nlohmann's dump throws on them). Every answer now
# replaces such bytes with U+FFFD (core/json.h).
#
# Bad bytes are written straight into SQLite; then the commands and the server's routes that show
# those strings must answer, with valid JSON.
# Usage: stored_bad_bytes.sh PATH/TO/fanzha
set -euo pipefail
FANZHA=$(realpath "$1")
W=$(mktemp -d)
SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; rm -rf "$W"' EXIT
cd "$W"
export FANZHA_NO_PROGRESS=1
fail() { echo "FAIL: $*" >&2; [ -f serve.log ] && tail -5 serve.log >&2; exit 1; }
# Valid JSON (one document, or one per line), holding U+FFFD where the bad bytes were.
json_ok() {
  python3 - "$1" "$2" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()  # fails on bytes that are not UTF-8
docs = [json.loads(l) for l in text.splitlines() if l.strip()] if sys.argv[2] == "lines" else [json.loads(text)]
assert docs, "empty answer"
assert "\ufffd" in text, "the bad bytes are not shown as U+FFFD"
PY
}

"$FANZHA" gen --out world --seed 5 --transfers 20000 --cases 40 >/dev/null
"$FANZHA" import --db w.db world/accounts.csv world/transfers.csv world/cases.jsonl >/dev/null
CASE=$(sqlite3 w.db "SELECT case_id FROM case_transfers ORDER BY case_id LIMIT 1")
# "你好" in GBK, and a lone continuation byte: neither is UTF-8.
BAD="CAST(X'C4E3BAC3' AS TEXT) || 'x' || CAST(X'80' AS TEXT)"
sqlite3 w.db "UPDATE account_rows SET institution = $BAD, holder = $BAD;
              UPDATE transfer_rows SET memo = $BAD;
              UPDATE case_rows SET narrative = $BAD, category = $BAD, victim_name = $BAD;
              UPDATE case_identifier_rows SET raw = $BAD WHERE seq = 0;"

"$FANZHA" freeze plan --db w.db --case "$CASE" --json >plan.json || fail "freeze plan --json"
json_ok plan.json doc || fail "freeze plan --json: bad JSON"
"$FANZHA" freeze order --db w.db --case "$CASE" --json >orders.json || fail "freeze order --json"
json_ok orders.json doc || fail "freeze order --json: bad JSON"
sqlite3 w.db "UPDATE freeze_orders SET institution = $BAD, reason = $BAD"
"$FANZHA" freeze list --db w.db --json >list.json || fail "freeze list --json aborted"
json_ok list.json doc || fail "freeze list --json: bad JSON"
"$FANZHA" freeze list --db w.db >list.txt || fail "freeze list"
"$FANZHA" trace --db w.db --case "$CASE" --json >trace.json || fail "trace --json"
"$FANZHA" stats --db w.db --by category --json >stats.json || fail "stats --json"
json_ok stats.json doc || fail "stats --json: bad JSON"
"$FANZHA" report daily --db w.db --out daily.html >/dev/null || fail "report daily"

# The server's routes over the same strings.
echo "centre-pass-1" | "$FANZHA" user add centre1 --role centre --db w.db >/dev/null
echo "audit-pass-1" | "$FANZHA" user add aud1 --role auditor --db w.db >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$FANZHA" serve --db w.db --port "$PORT" --web /nonexistent >serve.log 2>&1 &
SERVER=$!
URL="http://127.0.0.1:$PORT"
for _ in $(seq 200); do curl -sf "$URL/api/health" >/dev/null && break; sleep 0.1; done
token() { curl -sf -X POST "$URL/api/login" -d "{\"user\":\"$1\",\"password\":\"$2\"}" | sed 's/.*"token":"\([0-9a-f]*\)".*/\1/'; }
AUTH="Authorization: Bearer $(token centre1 centre-pass-1)"
get() {  # METHOD PATH OUT [BODY]
  local code
  code=$(curl -s -o "$3" -w '%{http_code}' -X "$1" -H "$AUTH" "$URL$2" ${4:+-d "$4"})
  [ "$code" = 200 ] || [ "$code" = 201 ] || fail "$1 $2 answered $code: $(head -c 300 "$3")"
}
get GET "/api/cases/$CASE/freeze-plan?reason=regression" s_plan.json
json_ok s_plan.json doc || fail "freeze-plan: bad JSON"
get POST "/api/cases/$CASE/freeze-orders" s_orders.json '{"reason":"regression"}'
json_ok s_orders.json doc || fail "freeze-orders: bad JSON"
get GET "/api/freeze-orders?reason=regression" s_list.json
json_ok s_list.json doc || fail "order list: bad JSON"
get GET "/api/cases/$CASE?reason=regression" s_case.json
json_ok s_case.json doc || fail "case: bad JSON"
get GET "/api/cases?reason=regression" s_cases.json
# An audit entry holding bad bytes (written by hand) must not break the audit page.
sqlite3 w.db "UPDATE audit_log SET reason = $BAD WHERE id = (SELECT max(id) FROM audit_log)"
AUTH="Authorization: Bearer $(token aud1 audit-pass-1)"
get GET "/api/audit?reason=regression" s_audit.json
python3 -c "import json; json.load(open('s_audit.json', encoding='utf-8'))" || fail "audit: bad JSON"
"$FANZHA" audit list --db w.db --json >audit.json || fail "audit list --json"
json_ok audit.json lines || fail "audit list --json: bad JSON"
echo "stored bad bytes: every command and route answered with valid JSON"
