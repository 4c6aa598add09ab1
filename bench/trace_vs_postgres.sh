#!/usr/bin/env bash
# The reachability version of a trace (time-ascending paths of at most 8 hops from a case's seed
# payments: the `poison` policy's reach) as a recursive SQL query in PostgreSQL 15, side by side
# with fanzha on the same data. Checks that both reach the same set of accounts, then reports both
# times.
#
#   bench/trace_vs_postgres.sh BUILD_DIR WORLD_DIR STORE [CASES]
#
# WORLD_DIR is a world from `fanzha gen`, STORE the fanzha store it was imported into. The script
# starts its own PostgreSQL server (Debian's, as the postgres user, in a temporary folder, on a
# Unix socket only) and stops it at the end.
set -euo pipefail
BUILD=$(realpath "$1"); WORLD=$(realpath "$2"); STORE=$(realpath "$3"); CASES=${4:-20}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGDIR=$(mktemp -d /tmp/fanzha-pg.XXXXXX)
if [ "$(id -u)" = 0 ]; then chown postgres "$PGDIR"; fi
chmod 755 "$PGDIR"
PORT=54329
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
cleanup() { as_pg "$PGBIN/pg_ctl -D $PGDIR/data -m fast stop" >/dev/null 2>&1 || true; rm -rf "$PGDIR"; }
trap cleanup EXIT

as_pg "$PGBIN/initdb -D $PGDIR/data -A trust -E UTF8 --no-locale" >/dev/null
as_pg "$PGBIN/pg_ctl -D $PGDIR/data -o '-k $PGDIR -p $PORT -c listen_addresses= -c shared_buffers=2GB -c work_mem=256MB' -l $PGDIR/log -w start" >/dev/null
PSQL=(psql -h "$PGDIR" -p "$PORT" -U postgres -X -q -v ON_ERROR_STOP=1)

echo "loading $(($(wc -l < "$WORLD/transfers.csv") - 1)) transfers into PostgreSQL..."
"${PSQL[@]}" <<SQL
CREATE TABLE accounts (account text PRIMARY KEY, holder text, institution text, region text, kind text, opening_balance numeric);
CREATE TABLE transfers (id text PRIMARY KEY, time timestamptz, "from" text, "to" text, amount numeric, channel text, memo text);
\copy accounts FROM '$WORLD/accounts.csv' WITH (FORMAT csv, HEADER true)
\copy transfers FROM '$WORLD/transfers.csv' WITH (FORMAT csv, HEADER true)
CREATE INDEX transfers_by_payer ON transfers ("from", time, id COLLATE "C");
ANALYZE;
SQL

echo "fanzha: poison reach of the first $CASES cases..."
"$BUILD/bench/trace_bench" --db "$STORE" --check 0 --reach-out "$PGDIR/fanzha.tsv" --reach-cases "$CASES" | tail -1

python3 - "$WORLD" "$PGDIR" "$PORT" "$CASES" <<'PY'
import json, subprocess, sys, time, collections
world, pgdir, port, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
fanzha = collections.defaultdict(set)
for line in open(f"{pgdir}/fanzha.tsv"):
    case, account = line.rstrip("\n").split("\t")
    fanzha[case].add(account)
cases = [json.loads(l) for l in open(f"{world}/cases.jsonl")]
cases = [c for c in cases if c.get("transfers")][: n]
query = """
WITH RECURSIVE reach(account, t, id, hop) AS (
  SELECT tr."to", tr.time, tr.id, 1 FROM transfers tr WHERE tr.id = ANY('{%s}'::text[])
  UNION
  SELECT tr."to", tr.time, tr.id, r.hop + 1
  FROM reach r JOIN transfers tr
    ON tr."from" = r.account AND (tr.time, tr.id COLLATE "C") > (r.t, r.id COLLATE "C")
  WHERE r.hop < 8 AND tr."to" IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.account = r.account
                    AND a.kind IN ('merchant', 'platform', 'exchange'))
)
SELECT DISTINCT account FROM reach;"""
total_pg, same = 0.0, 0
for c in cases:
    sql = "\\timing on\n" + query % ",".join(c["transfers"])
    out = subprocess.run(["psql", "-h", pgdir, "-p", port, "-U", "postgres", "-X", "-At"],
                         input=sql, capture_output=True, text=True, check=True).stdout.splitlines()
    ms = float([l for l in out if l.startswith("Time:")][-1].split()[1])
    got = {l for l in out if l and not l.startswith("Time:") and l != "Timing is on."}
    total_pg += ms
    if got == fanzha[c["id"]]:
        same += 1
    else:
        print(f"case {c['id']}: PostgreSQL reaches {len(got)} accounts, fanzha {len(fanzha[c['id']])}; "
              f"only PostgreSQL: {sorted(got - fanzha[c['id']])[:5]} only fanzha: {sorted(fanzha[c['id']] - got)[:5]}")
print(f"PostgreSQL recursive query: {len(cases)} cases in {total_pg:.1f} ms ({total_pg / len(cases):.1f} ms per case)")
print(f"same reach set: {same} of {len(cases)} cases")
sys.exit(0 if same == len(cases) else 1)
PY
