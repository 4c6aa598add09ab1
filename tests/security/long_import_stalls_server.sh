#!/usr/bin/env bash
# Regression: a `fanzha import` whose write transaction lasted 14 s beside a running `fanzha serve`
# made every audited request wait 10 s and then fail with "database is locked". Imports now write
# in short batches, hidden until one short final commit (store.h "Imports").
#
# A real server and a real import in a second process: while the import runs, logins and audited
# reads and writes (a case posted) must keep answering 200, quickly; the import must still be
# all-or-nothing (nothing of it visible until it finishes; a killed import leaves nothing and is
# removed at the next open).
# Usage: long_import_stalls_server.sh PATH/TO/fanzha [TRANSFERS]
set -euo pipefail
FANZHA=$(realpath "$1")
N=${2:-300000}
W=$(mktemp -d)
SERVER=
IMPORT=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; [ -n "$IMPORT" ] && kill -9 $IMPORT 2>/dev/null; rm -rf "$W"' EXIT
cd "$W"
export FANZHA_NO_PROGRESS=1
fail() { echo "FAIL: $*" >&2; [ -f serve.log ] && tail -5 serve.log >&2; exit 1; }

"$FANZHA" gen --out world --seed 11 --transfers "$N" --cases 200 >/dev/null
"$FANZHA" import --db w.db world/accounts.csv >/dev/null
echo "centre-pass-1" | "$FANZHA" user add centre1 --role centre --db w.db >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$FANZHA" serve --db w.db --port "$PORT" --web /nonexistent >serve.log 2>&1 &
SERVER=$!
URL="http://127.0.0.1:$PORT"
for _ in $(seq 200); do curl -sf "$URL/api/health" >/dev/null && break; sleep 0.1; done
curl -sf "$URL/api/health" >/dev/null || fail "server did not start"

# One request: prints "<http code> <seconds>".
login() {
  curl -s -o login.json -w '%{http_code} %{time_total}\n' --max-time 30 -X POST "$URL/api/login" \
    -d '{"user":"centre1","password":"centre-pass-1"}'
}
read -r code _ < <(login)
[ "$code" = 200 ] || fail "login before the import: $code"
TOKEN=$(sed 's/.*"token":"\([0-9a-f]*\)".*/\1/' login.json)
AUTH="Authorization: Bearer $TOKEN"

"$FANZHA" import --db w.db world/transfers.csv world/cases.jsonl >import.log 2>&1 &
IMPORT=$!
: >times
i=0
hidden_checked=0
while kill -0 "$IMPORT" 2>/dev/null; do
  i=$((i + 1))
  login >>times
  curl -s -o list.json -w '%{http_code} %{time_total}\n' --max-time 30 -H "$AUTH" \
    "$URL/api/cases?reason=regression" >>times
  curl -s -o post.json -w '%{http_code} %{time_total}\n' --max-time 30 -H "$AUTH" -X POST \
    "$URL/api/cases" -d "{\"case\":{\"id\":\"BESIDE-$i\",\"reported_at\":\"2020-03-01T10:00:00+08:00\",\"region\":\"330100\"},\"reason\":\"regression\"}" >>times
  # While the import runs, none of its transfers is visible (all-or-nothing).
  if [ $hidden_checked = 0 ] && kill -0 "$IMPORT" 2>/dev/null; then
    seen=$(sqlite3 -cmd '.timeout 5000' w.db "SELECT COUNT(*) FROM transfers")
    pending=$(sqlite3 -cmd '.timeout 5000' w.db "SELECT COUNT(*) FROM pending_imports")
    if [ "$pending" = 1 ] && kill -0 "$IMPORT" 2>/dev/null; then
      [ "$seen" = 0 ] || fail "$seen transfers of an unfinished import are visible"
      hidden_checked=1
    fi
  fi
done
wait "$IMPORT" || fail "the import failed: $(cat import.log)"
IMPORT=
requests=$(wc -l <times)
[ "$requests" -ge 6 ] || fail "only $requests requests during the import (make it bigger)"
bad=$(awk '$1 != 200 && $1 != 201' times | wc -l)
[ "$bad" = 0 ] || fail "$bad of $requests requests during the import failed: $(awk '$1 != 200 && $1 != 201' times | head -3)"
slowest=$(sort -k2 -n times | tail -1 | cut -d' ' -f2)
python3 -c "import sys; sys.exit(0 if float('$slowest') < 3.0 else 1)" || fail "slowest request took $slowest s"
[ $hidden_checked = 1 ] || echo "note: the import finished before its rows could be seen hidden"
rows=$(($(wc -l <world/transfers.csv) - 1))
[ "$(sqlite3 w.db 'SELECT COUNT(*) FROM transfers')" = "$rows" ] || fail "not every transfer is visible after the import"
echo "import of $rows transfers beside the server: $requests requests answered, slowest $slowest s"

# A killed import: hidden while it lies there, removed by the next open.
before=$(sqlite3 w.db "SELECT COUNT(*) FROM transfers")
python3 - <<'PY'
import csv
with open("world/transfers.csv") as f, open("more.csv", "w") as out:
    r = csv.reader(f); w = csv.writer(out, lineterminator="\n")
    w.writerow(next(r))
    for row in r:
        row[0] = "X" + row[0]
        w.writerow(row)
PY
"$FANZHA" import --db w.db more.csv >/dev/null 2>&1 &
IMPORT=$!
for _ in $(seq 300); do
  [ "$(sqlite3 -cmd '.timeout 5000' w.db 'SELECT COUNT(*) FROM transfer_rows')" -gt "$((before + 50000))" ] && break
  sleep 0.05
done
kill -9 "$IMPORT"
wait "$IMPORT" 2>/dev/null || true
IMPORT=
[ "$(sqlite3 w.db 'SELECT COUNT(*) FROM transfers')" = "$before" ] || fail "a killed import's rows are visible"
[ "$(sqlite3 w.db 'SELECT COUNT(*) FROM transfer_rows')" -gt "$before" ] || fail "the kill came after the import ended"
"$FANZHA" stats --db w.db >/dev/null  # opening the store removes the dead import's rows
[ "$(sqlite3 w.db 'SELECT COUNT(*) FROM transfer_rows')" = "$before" ] || fail "a killed import's rows were not removed"
[ "$(sqlite3 w.db 'SELECT COUNT(*) FROM pending_imports')" = 0 ] || fail "a killed import is still pending"
read -r code _ < <(login)
[ "$code" = 200 ] || fail "login after the killed import: $code"
echo "killed import: hidden, then removed at the next open"
