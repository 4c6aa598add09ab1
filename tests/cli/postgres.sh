#!/usr/bin/env bash
# The same world in a SQLite file and in a PostgreSQL database gives the same answers, command by
# command, as a user runs them with `--db postgresql://...`: import, stats, trace (every policy),
# reach, link, freeze plan and orders. Usage: postgres.sh FANZHA, with FANZHA_TEST_POSTGRES naming
# the folder of the test run's PostgreSQL server (tests/support/postgres_server.sh).
set -euo pipefail
FANZHA=$(realpath "$1")
: "${FANZHA_TEST_POSTGRES:?the folder of a running test server (tests/support/postgres_server.sh)}"
W=$(mktemp -d)
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
db="cli_$$"
trap '"$bin/dropdb" -h "$FANZHA_TEST_POSTGRES" -U postgres --if-exists "$db" >/dev/null 2>&1; rm -rf "$W"' EXIT
cd "$W"
export FANZHA_NO_PROGRESS=1 FANZHA_LANG=en
fail() { echo "FAIL: $*" >&2; exit 1; }

"$bin/createdb" -h "$FANZHA_TEST_POSTGRES" -U postgres "$db"
PG="postgresql:///$db?host=$FANZHA_TEST_POSTGRES&port=5432&user=postgres"

"$FANZHA" gen --out w --seed 11 --transfers 6000 --cases 12 >/dev/null
for store in w.db "$PG"; do
  "$FANZHA" import --db "$store" w/accounts.csv w/transfers.csv w/cases.jsonl >/dev/null
done
# Importing the same files again changes nothing, on both.
"$FANZHA" import --db "$PG" w/transfers.csv > again.txt
grep -q "unchanged" again.txt || fail "a second import is not all unchanged: $(cat again.txt)"

untimed() {  # untimed FILE: without the clock's readings a JSON answer holds (*_us, *_ms, *d_at)
  python3 - "$1" <<'PY'
import json, sys
path = sys.argv[1]
def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items()
                if not (k.endswith("_us") or k.endswith("_ms") or k in ("created_at", "updated_at"))}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v
try:
    doc = json.load(open(path))
except ValueError:
    sys.exit(0)  # text: compared as it is
json.dump(strip(doc), open(path, "w"), sort_keys=True, ensure_ascii=False)
PY
}
same() {  # same NAME ARGS...: the command's output on both stores
  "$FANZHA" "$@" --db w.db > "sqlite.$1.out" 2>&1 || fail "$* on SQLite: $(cat "sqlite.$1.out")"
  "$FANZHA" "$@" --db "$PG" > "pg.$1.out" 2>&1 || fail "$* on PostgreSQL: $(cat "pg.$1.out")"
  for f in "sqlite.$1.out" "pg.$1.out"; do untimed "$f"; done
  diff -u "sqlite.$1.out" "pg.$1.out" > diff.txt || fail "$* differs on PostgreSQL: $(head -40 diff.txt)"
}
same stats --json
cases=$(python3 -c "import json; print(' '.join([json.loads(l)['id'] for l in open('w/cases.jsonl')][:5]))")
n=0
for c in $cases; do
  for policy in fifo lifo haircut poison; do same trace --case "$c" --policy "$policy" --json; done
  same reach --case "$c" --json
  same freeze plan --case "$c"
  n=$((n + 1))
done
same link --json
c1=${cases%% *}
same freeze order --case "$c1"
same freeze list --json
echo "postgres.sh: $n cases, stats, trace (4 policies), reach, link and freeze: the same on SQLite and PostgreSQL"
