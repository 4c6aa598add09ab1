#!/usr/bin/env bash
# Early warning on a generated world, end to end: gen -> import -> warn list build -> warn
# events.jsonl -> compare with truth/targets.csv. Every warned person must be a real target (a
# phone or account in targets.csv); the recall is printed and held above floors. Then an outcome
# is recorded and read back. Usage: world_test.sh PATH/TO/fanzha
set -euo pipefail
FANZHA=$(realpath "$1")
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
export FANZHA_NO_PROGRESS=1

"$FANZHA" gen --out w --seed 5 --transfers 20000 --cases 200 --events 20000 >/dev/null
"$FANZHA" import --db w.db w/accounts.csv w/transfers.csv w/cases.jsonl >/dev/null
"$FANZHA" warn --db w.db list build 2> build.txt
"$FANZHA" warn --db w.db w/events.jsonl > warnings.jsonl 2> summary.txt
cat summary.txt

python3 - <<'PY'
import csv, json
targets = list(csv.DictReader(open("w/truth/targets.csv")))
phones = {"+86" + t["phone"]: t for t in targets if t["phone"]}
accounts = {t["account"]: t for t in targets if t["account"]}
latest = {}
for line in open("warnings.jsonl"):
    w = json.loads(line)
    if w["id"] not in latest or w["revision"] > latest[w["id"]]["revision"]:
        latest[w["id"]] = w
people = {w["person"] for w in latest.values()}
false = sorted(p for p in people if p not in phones and p not in accounts)
warned = set()
for i, t in enumerate(targets):
    if "+86" + t["phone"] in people or t["account"] in people:
        warned.add(i)
paid = [i for i, t in enumerate(targets) if t["outcome"] == "paid"]
recall = len(warned) / len(targets)
paid_recall = sum(1 for i in paid if i in warned) / max(1, len(paid))
with_region = sum(1 for w in latest.values() if w["region"]) / max(1, len(latest))
print(f"{len(latest)} warnings for {len(people)} people; precision {1 - len(false) / max(1, len(people)):.4f}; "
      f"recall {recall:.4f} of {len(targets)} targets; {paid_recall:.4f} of {len(paid)} who paid; "
      f"{with_region:.3f} of warnings with a region")
assert not false, f"warned people who are not targets: {false[:5]}"
assert recall >= 0.7, recall
assert paid_recall >= 0.95, paid_recall
assert with_region >= 0.9, with_region
PY
ID=$(head -1 warnings.jsonl | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["id"])')
"$FANZHA" warn --db w.db outcome "$ID" dissuaded --saved 5000 >/dev/null
python3 - <<'PY'
import sqlite3
db = sqlite3.connect("w.db")
n = db.execute("SELECT COUNT(*) FROM warnings").fetchone()[0]
saved = db.execute("SELECT SUM(saved) FROM warning_outcomes").fetchone()[0]
assert n > 100 and saved == 500000, (n, saved)
PY
echo "warn on a generated world: ok"
