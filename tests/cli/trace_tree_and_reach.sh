#!/usr/bin/env bash
# `fanzha trace`'s text tree and `fanzha reach`, as a user runs them, on a small hand-built case
# where drawing the flows in time order, indented by hop, puts a transfer under the wrong parent;
# then `reach` against the poison trace on a generated world. Usage: trace_tree_and_reach.sh FANZHA
set -euo pipefail
FANZHA=$(realpath "$1")
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
export FANZHA_NO_PROGRESS=1
fail() { echo "FAIL: $*" >&2; exit 1; }

# Two payments of one case, each passed on later: in time order T1 T2 T3 T4 T5 T6, T3 (A's money)
# would sit under T2 (B's).
cat > accounts.csv <<'CSV'
account,holder,institution,region,kind,opening_balance
A,a,,,personal,0
B,b,,,personal,0
C,c,,,personal,0
D,d,,,personal,0
SHOP,shop,,,merchant,0
CSV
cat > transfers.csv <<'CSV'
id,time,from,to,amount,channel,memo
T1,2020-02-08T10:00:00+08:00,V1,A,100.00,transfer,
T2,2020-02-08T10:01:00+08:00,V2,B,50.00,transfer,
T3,2020-02-08T10:02:00+08:00,A,C,100.00,transfer,
T4,2020-02-08T10:03:00+08:00,B,D,50.00,transfer,
T5,2020-02-08T10:04:00+08:00,C,,40.00,withdrawal,
T6,2020-02-08T10:05:00+08:00,D,SHOP,20.00,purchase,
CSV
echo '{"id":"K1","reported_at":"2020-02-08T12:00:00+08:00","loss":"150","transfers":["T1","T2"],"identifiers":[]}' > cases.jsonl
"$FANZHA" import --db k.db accounts.csv transfers.csv cases.jsonl >/dev/null

"$FANZHA" trace --db k.db --case K1 > tree.txt
python3 - <<'PY'
import re
lines = open("tree.txt").read().splitlines()
start = next(i for i, l in enumerate(lines) if l.startswith("Where the money went")) + 1
flows = []
for l in lines[start:]:
    if not l.strip():
        break
    m = re.match(r"^( *)(?:第 \d+ 跳 )?hop (\d+)  \S+ \S+  (T\d)  ", l)
    assert m, l
    flows.append((m.group(3), len(m.group(1)) // 2, int(m.group(2))))
# Depth-first under the real parents: T1 > T3 > T5, then T2 > T4 > T6.
assert flows == [("T1", 0, 1), ("T3", 1, 2), ("T5", 2, 2), ("T2", 0, 1), ("T4", 1, 2), ("T6", 2, 3)], flows
# The same hops as the summary: C holds and withdrew at hop 2, SHOP took D's money at hop 3.
text = "\n".join(lines)
assert re.search(r"^  C +60\.00  (?:第 2 跳 )?hop 2 ", text, re.M), text
assert re.search(r"^  C +(?:取现 )?withdrawal +40\.00  (?:第 2 跳 )?hop 2$", text, re.M), text
assert re.search(r"^  SHOP +(?:商户 )?merchant +20\.00  (?:第 3 跳 )?hop 3$", text, re.M), text
PY

# reach: JSON lines in the order asked, accounts sorted, CPU time; the table; errors.
"$FANZHA" reach --db k.db --case K1 --json > reach.jsonl
"$FANZHA" reach --db k.db --case K1 --max-hops 1 --json >> reach.jsonl
python3 - <<'PY'
import json
rows = [json.loads(l) for l in open("reach.jsonl")]
assert [list(r) for r in rows] == [["case", "accounts", "cpu_us"]] * 2, rows
assert rows[0]["case"] == "K1" and rows[0]["accounts"] == ["A", "B", "C", "D", "SHOP"], rows[0]
assert rows[1]["accounts"] == ["A", "B"], rows[1]
assert all(isinstance(r["cpu_us"], int) and r["cpu_us"] >= 0 for r in rows)
PY
"$FANZHA" reach --db k.db --case K1 > reach.txt
grep -Eq "^K1 +5 +[0-9]+$" reach.txt || fail "reach table: $(cat reach.txt)"
grep -Eq "^  SHOP +(第 3 跳 )?hop 3$" reach.txt || fail "reach lists accounts with hops: $(cat reach.txt)"
if "$FANZHA" reach --db k.db --case K1 --case NOPE --json > out.txt 2> err.txt; then fail "unknown case accepted"; fi
[ ! -s out.txt ] || fail "nothing is printed before every case is found"
grep -q "NOPE" err.txt && grep -q "错误" err.txt || fail "error in both languages: $(cat err.txt)"
"$FANZHA" reach --help | grep -q "Examples:" || fail "reach --help teaches by example"

# On a generated world: reach = the accounts the poison trace moves money to within 8 hops.
"$FANZHA" gen --out world --seed 3 --transfers 20000 --cases 20 >/dev/null
"$FANZHA" import --db w.db world/accounts.csv world/transfers.csv world/cases.jsonl >/dev/null
ARGS=()
for c in $(sed -n 's/^{"id":"\([^"]*\)".*/\1/p' world/cases.jsonl | head -5); do ARGS+=(--case "$c"); done
"$FANZHA" reach --db w.db --json "${ARGS[@]}" > world-reach.jsonl
for ((i = 1; i < ${#ARGS[@]}; i += 2)); do
  "$FANZHA" trace --db w.db --case "${ARGS[$i]}" --policy poison --json
done > world-poison.jsonl
python3 - <<'PY'
import json
reach = [json.loads(l) for l in open("world-reach.jsonl")]
poison = [json.loads(l) for l in open("world-poison.jsonl")]
assert len(reach) == len(poison) == 5
for r, p in zip(reach, poison):
    assert r["case"] == p["case"]
    expected = sorted({f["to"] for f in p["flows"] if f["to"] and f["hops"] <= 8})
    assert r["accounts"] == expected, (r["case"], len(r["accounts"]), len(expected))
    assert expected, "a case's money reaches accounts"
PY
echo "trace tree and reach: ok"
