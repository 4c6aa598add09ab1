#!/usr/bin/env bash
# The reachability version of a trace (time-ascending paths of at most 8 hops from a case's seed
# payments, not continuing past exits: the `poison` policy's reach) as a recursive SQL query in
# PostgreSQL 15, side by side with `fanzha reach` on the same data and the same cases. Checks that
# both reach the same set of accounts for every case, then reports both times and their ratio.
#
#   bench/trace_vs_postgres.sh BUILD_DIR [WORLD_DIR] STORE [CASES]
#
# STORE is a fanzha store holding any world (generated, or imported from transfers.csv, bank
# statements and cases.jsonl of any origin). PostgreSQL is loaded with the ledger fanzha traces
# (trace_bench --export-pg), so both read the same normalised accounts, times and amounts. The
# cases are a deterministic sample of the store's cases whose payments are all known: CASES of
# them, evenly spaced over the case ids in id order. (WORLD_DIR, the older second argument, is
# accepted and not read.) The script starts its own PostgreSQL server (Debian's, as the postgres
# user when run as root, in a temporary folder, on a Unix socket only) and stops it at the end.
set -euo pipefail
if [ $# -ge 3 ] && [ -d "$2" ]; then set -- "$1" "${@:3}"; fi  # BUILD WORLD STORE [N] -> BUILD STORE [N]
BUILD=$(realpath "$1"); STORE=$(realpath "$2"); CASES=${3:-20}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGDIR=$(mktemp -d /tmp/fanzha-pg.XXXXXX)
if [ "$(id -u)" = 0 ]; then chown postgres "$PGDIR"; fi
chmod 755 "$PGDIR"
PORT=54329  # names the socket file in PGDIR only (no TCP)
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
cleanup() { as_pg "$PGBIN/pg_ctl -D $PGDIR/data -m fast stop" >/dev/null 2>&1 || true; rm -rf "$PGDIR"; }
trap cleanup EXIT

as_pg "$PGBIN/initdb -D $PGDIR/data -A trust -E UTF8 --no-locale" >/dev/null
as_pg "$PGBIN/pg_ctl -D $PGDIR/data -o '-k $PGDIR -p $PORT -c listen_addresses= -c shared_buffers=2GB -c work_mem=256MB' -l $PGDIR/log -w start" >/dev/null
PSQL=(psql -h "$PGDIR" -p "$PORT" -U postgres -X -q -v ON_ERROR_STOP=1)

mkdir -p "$PGDIR/export"
chmod 755 "$PGDIR/export"
"$BUILD/bench/trace_bench" --db "$STORE" --export-pg "$PGDIR/export" --export-cases "$CASES"
chmod 644 "$PGDIR"/export/*.tsv
"${PSQL[@]}" <<SQL
CREATE TABLE accounts (account text PRIMARY KEY, kind text);
CREATE TABLE transfers (id text PRIMARY KEY, time bigint, "from" text, "to" text, amount bigint);
CREATE TABLE case_seeds (case_id text, transfer_id text);
\copy accounts FROM '$PGDIR/export/accounts.tsv'
\copy transfers FROM '$PGDIR/export/transfers.tsv'
\copy case_seeds FROM '$PGDIR/export/cases.tsv'
CREATE INDEX transfers_by_payer ON transfers ("from", time, id COLLATE "C");
ANALYZE;
SQL

mapfile -t IDS < <(cut -f1 "$PGDIR/export/cases.tsv" | awk '!seen[$0]++')
[ "${#IDS[@]}" -gt 0 ] || { echo "no case with known payments in $STORE" >&2; exit 1; }
ARGS=(); for id in "${IDS[@]}"; do ARGS+=(--case "$id"); done
echo "fanzha reach of ${#IDS[@]} cases..."
"$BUILD/fanzha" reach --db "$STORE" --json "${ARGS[@]}" > "$PGDIR/fanzha.jsonl"

python3 - "$PGDIR" "$PORT" <<'PY'
import json, subprocess, sys, statistics
pgdir, port = sys.argv[1], sys.argv[2]
fanzha = [json.loads(l) for l in open(f"{pgdir}/fanzha.jsonl")]
query = """
WITH RECURSIVE reach(account, t, id, hop) AS (
  SELECT tr."to", tr.time, tr.id, 1 FROM transfers tr
  WHERE tr.id IN (SELECT transfer_id FROM case_seeds WHERE case_id = '%s') AND tr."to" IS NOT NULL
  UNION
  SELECT tr."to", tr.time, tr.id, r.hop + 1
  FROM reach r JOIN transfers tr
    ON tr."from" = r.account AND (tr.time, tr.id COLLATE "C") > (r.t, r.id COLLATE "C")
  WHERE r.hop < 8 AND tr."to" IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.account = r.account
                    AND a.kind IN ('merchant', 'platform', 'exchange'))
)
SELECT DISTINCT account FROM reach;"""
same, pg_ms, fz_us, sizes = 0, [], [], []
for f in fanzha:
    case = f["case"]
    sql = "\\timing on\n" + query % case.replace("'", "''")
    out = subprocess.run(["psql", "-h", pgdir, "-p", port, "-U", "postgres", "-X", "-At"],
                         input=sql, capture_output=True, text=True, check=True).stdout.splitlines()
    ms = float([l for l in out if l.startswith("Time:")][-1].split()[1])
    got = {l for l in out if l and not l.startswith("Time:") and l != "Timing is on."}
    mine = set(f["accounts"])
    pg_ms.append(ms)
    fz_us.append(max(f["cpu_us"], 1))
    sizes.append(len(mine))
    if got == mine:
        same += 1
    else:
        print(f"case {case}: PostgreSQL reaches {len(got)} accounts, fanzha {len(mine)}; "
              f"only PostgreSQL: {sorted(got - mine)[:5]} only fanzha: {sorted(mine - got)[:5]}")
n = len(fanzha)
ratios = sorted(p * 1000 / u for p, u in zip(pg_ms, fz_us))
print(f"cases: {n}; accounts reached per case: median {statistics.median(sizes):.0f}, max {max(sizes)}")
print(f"fanzha reach (CPU): {sum(fz_us) / 1000:.1f} ms for all, {sum(fz_us) / n / 1000:.2f} ms per case on average, median {statistics.median(fz_us) / 1000:.2f} ms")
print(f"PostgreSQL recursive query (psql timing): {sum(pg_ms):.1f} ms for all, {sum(pg_ms) / n:.1f} ms per case on average, median {statistics.median(pg_ms):.1f} ms")
print(f"ratio PostgreSQL / fanzha: {sum(pg_ms) * 1000 / sum(fz_us):.0f}x over all cases; per case min {ratios[0]:.0f}x, median {statistics.median(ratios):.0f}x, max {ratios[-1]:.0f}x")
print(f"same reach set: {same} of {n} cases")
sys.exit(0 if same == n else 1)
PY
