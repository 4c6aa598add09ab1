#!/usr/bin/env bash
# The command line end to end, as a user runs it: generate a world, import it, trace a case, plan
# and draft its freeze orders, move one along its lifecycle, refuse bad input without storing any
# of it, and split the world by bank. Usage: end_to_end.sh PATH/TO/fanzha
set -euo pipefail
FANZHA=$(realpath "$1")
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
export FANZHA_NO_PROGRESS=1
fail() { echo "FAIL: $*" >&2; exit 1; }

"$FANZHA" gen --out world --seed 7 --transfers 20000 --cases 40 >/dev/null
"$FANZHA" import --db w.db world/accounts.csv world/transfers.csv world/cases.jsonl >/dev/null
"$FANZHA" stats --db w.db --json > stats.json
python3 - "$W" <<'PY'
import json, sys, csv
w = sys.argv[1]
stats = json.load(open(f"{w}/stats.json"))
rows = sum(1 for _ in open(f"{w}/world/transfers.csv")) - 1
cases = sum(1 for _ in open(f"{w}/world/cases.jsonl"))
assert stats["transfers"] == rows, (stats["transfers"], rows)
assert stats["cases"] == cases, (stats["cases"], cases)
assert stats["accounts"] > 0
# Cases are linked when they are imported, and stats counts the stored clusters.
assert stats["link"]["clusters"] >= 1 and stats["link"]["linked_cases"] >= 2, stats["link"]
PY

CASE=$(sed -n 's/^{"id":"\([^"]*\)".*/\1/p' world/cases.jsonl | head -1)
[ -n "$CASE" ] || fail "no case id in cases.jsonl"
for policy in fifo lifo haircut; do
  "$FANZHA" trace --db w.db --case "$CASE" --policy "$policy" --json > "trace-$policy.json"
  python3 - "trace-$policy.json" <<'PY'
import json, sys
from decimal import Decimal
t = json.load(open(sys.argv[1]))
total = sum(Decimal(h["amount"]) for h in t["held"]) + sum(Decimal(e["amount"]) for e in t["exits"]) + Decimal(t["dust"])
assert Decimal(t["seed"]) == total, ("conservation", t["seed"], total)
assert t["flows"], "a trace moves money"
PY
done
"$FANZHA" trace --db w.db --case "$CASE" > trace.txt
grep -q "Held now" trace.txt || fail "readable trace"

"$FANZHA" freeze plan --db w.db --case "$CASE" --json > plan.json
"$FANZHA" freeze order --db w.db --case "$CASE" --json > orders.json
"$FANZHA" freeze order --db w.db --case "$CASE" --json > orders-again.json
python3 - <<'PY'
import json
first = json.load(open("orders.json"))["orders"]
again = json.load(open("orders-again.json"))["orders"]
plan = json.load(open("plan.json"))
assert plan["accounts"], "the first generated case's money is still held: its plan cannot be empty"
assert len(first) == len(plan["accounts"])
assert [o["id"] for o in first] == [o["id"] for o in again], "idempotent per case and account"
assert not any(o["created"] for o in again)
PY
ORDER=$(python3 -c 'import json; print(json.load(open("orders.json"))["orders"][0]["id"])')
[ -n "$ORDER" ] || fail "no freeze order for case $CASE"
"$FANZHA" freeze move --db w.db --order "$ORDER" --to sent >/dev/null
if "$FANZHA" freeze move --db w.db --order "$ORDER" --to executed --amount -5 2>err.txt; then
  fail "a negative amount frozen"
fi
# The bank freezes what the account holds, which may be more than the trace held there: the
# limit is for the request, the answer is recorded as it is. The freeze's clock starts.
"$FANZHA" freeze move --db w.db --order "$ORDER" --to executed --amount 999999 --json > executed.json
python3 -c 'import json; o=json.load(open("executed.json")); assert o["frozen"]=="999999.00" and o["deadline"], o'
if "$FANZHA" freeze move --db w.db --order "$ORDER" --to released 2>err.txt; then fail "released by hand"; fi
grep -q "freeze release --order" err.txt || fail "a release is an order of its own: $(cat err.txt)"
grep -q "解冻" err.txt || fail "the refusal in Chinese too: $(cat err.txt)"
"$FANZHA" freeze renew --db w.db --order "$ORDER" --document 'renewal-1' >/dev/null
"$FANZHA" freeze due --db w.db --within 200d --json > due.json
python3 -c 'import json; d=json.load(open("due.json")); assert [o["id"] for o in d["orders"]]=='"[$ORDER]"' and d["orders"][0]["renewal_pending"]==1, d'
"$FANZHA" freeze release --db w.db --order "$ORDER" --document 'release-1' --json > release.json
python3 -c 'import json; r=json.load(open("release.json")); assert r["kind"]=="release" and r["releases"]=='"$ORDER"', r'

# Bad input: a clear error naming file, line and field; nothing from that file is stored.
printf 'id,time,from,to,amount,channel,memo\nX1,2020-02-08T10:00:00+08:00,A,B,10,transfer,\nX2,2020-02-08T10:01:00+08:00,A,B,12.345,transfer,\n' > bad.csv
if "$FANZHA" import --db w.db bad.csv 2>err.txt >/dev/null; then fail "bad input accepted"; fi
grep -q "bad.csv:3" err.txt || fail "error names file and line: $(cat err.txt)"
grep -q "amount" err.txt || fail "error names the field: $(cat err.txt)"
"$FANZHA" stats --db w.db --json > stats-after.json
python3 -c 'import json; a=json.load(open("stats.json")); b=json.load(open("stats-after.json")); assert a["transfers"]==b["transfers"], "nothing half-written"'
# A report from a file that is not UTF-8, not an object, or too deep is refused naming the file,
# in both languages, and stores nothing.
printf '{"case":{"id":"BAD1","narrative":"\xb9\xe3"}}' > bad-report.json
printf '[1,2]' > list-report.json
python3 -c 'print("{\"case\":" + "[" * 100 + "]" * 100 + "}")' > deep-report.json
for f in bad-report.json list-report.json deep-report.json; do
  if "$FANZHA" case add --db w.db "$f" 2>err.txt >/dev/null; then fail "$f accepted"; fi
  grep -q "error: $f: " err.txt || fail "the refusal names $f: $(cat err.txt)"
  grep -q "错误" err.txt || fail "the refusal is in Chinese too: $(cat err.txt)"
done
grep -q "not valid UTF-8 (byte 34)" <("$FANZHA" case add --db w.db bad-report.json 2>&1) ||
  fail "the bad byte is named"
# A report of 64 MiB on standard input is refused after its first 16 MiB, the rest unread.
set +o pipefail
head -c 67108864 /dev/zero | tr '\0' ' ' | "$FANZHA" case add --db w.db - 2>err.txt >/dev/null &&
  fail "a 64 MiB report accepted"
set -o pipefail
grep -q "more than 16777216 bytes" err.txt || fail "the size is refused: $(cat err.txt)"
"$FANZHA" stats --db w.db --json > stats-reports.json
python3 -c 'import json; a=json.load(open("stats.json")); b=json.load(open("stats-reports.json")); assert a["cases"]==b["cases"], "a refused report stored nothing"'
# Every imported file is in the audit log with its counts, and the failed import above left no
# entry (it stored nothing).
"$FANZHA" audit list --db w.db --json > audit.jsonl
python3 - <<'PY' || fail "imports audited: $(cat audit.jsonl)"
import json
entries = [json.loads(l) for l in open("audit.jsonl")]
imports = [e for e in entries if e["action"] == "import.file"]
assert [e["target"].split("/")[-1] for e in imports] == ["accounts.csv", "transfers.csv", "cases.jsonl"], imports
import os, pwd
me = pwd.getpwuid(os.geteuid()).pw_name  # changes made on the command line name who made them
assert all(e["user"] == me and e["role"] == "command-line" for e in imports), imports
import re
for e in imports:  # a first import adds every row it reads
    m = re.search(r": (\d+) rows, (\d+) added, 0 unchanged", e["detail"])
    assert m and int(m.group(1)) > 0 and m.group(1) == m.group(2), e
assert not any(e["target"].endswith("bad.csv") for e in entries), entries
PY
# The audit log: verify prints the head to keep elsewhere; with it, entries removed from the end
# of the log are caught (a chain on its own cannot tell), as they are by the heads `fanzha user add`
# published to w.db.audit-heads.
echo "pw-for-li-2020" | "$FANZHA" user add li --role centre --db w.db >/dev/null
echo "pw-for-wu-2020" | "$FANZHA" user add wu --role auditor --db w.db >/dev/null
HEAD=$("$FANZHA" audit verify --db w.db | sed -n 's/^head: \([0-9]*:[0-9a-f]*\).*/\1/p')
[ -n "$HEAD" ] || fail "audit verify prints the head"
"$FANZHA" audit verify --db w.db --anchor "$HEAD" >/dev/null || fail "an intact log verifies against its head"
sqlite3 w.db "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)"
if "$FANZHA" audit verify --db w.db >/dev/null 2>err.txt; then fail "truncation not caught by the heads published beside the store"; fi
grep -q "removed from its end" err.txt || fail "the refusal says what happened: $(cat err.txt)"
if "$FANZHA" audit verify --db w.db --anchor "$HEAD" 2>err.txt; then fail "truncation not caught"; fi
grep -q "removed from its end" err.txt || fail "the refusal says what happened: $(cat err.txt)"
# The world split as the banks hold it: each bank's folder is the store of a bank node to be.
"$FANZHA" bank split --world world --out banks > split.txt || fail "bank split"
grep -q "^已将 world 按机构拆分到 banks：" split.txt || fail "the summary in Chinese: $(cat split.txt)"
ICBC=_e4b8ade59bbde5b7a5e59586e993b6e8a18c  # 中国工商银行's token
read -r accounts transfers _ < <(grep "(${ICBC}/)" split.txt) || fail "no folder for 中国工商银行"
"$FANZHA" import --db icbc.db "banks/$ICBC/accounts.csv" "banks/$ICBC/transfers.csv" >/dev/null
"$FANZHA" stats --db icbc.db --json > icbc.json
python3 -c 'import json,sys; s=json.load(open("icbc.json")); assert s["transfers"] == int(sys.argv[1]), s' \
  "$transfers" || fail "the bank's store holds the $transfers transfers the summary says"
cmp world/cases.jsonl banks/platform/cases.jsonl || fail "the platform keeps the reports"
if "$FANZHA" bank split --world nowhere --out banks2 2>err.txt; then fail "split of no world"; fi
grep -q "nowhere/accounts.csv" err.txt || fail "the refusal names the file: $(cat err.txt)"
# A --db that names no file is an error naming it, not a new empty store; --create makes one.
if "$FANZHA" trace --db typo.db --case "$CASE" 2>typo.txt; then fail "a missing store is an error"; fi
grep -q "typo.db" typo.txt && grep -q -- "--create" typo.txt || fail "the error names the file and --create: $(cat typo.txt)"
grep -q "此处没有数据库" typo.txt || fail "in Chinese too: $(cat typo.txt)"
[ ! -e typo.db ] && [ ! -e typo.db.audit-key ] || fail "nothing is made beside a missing store"
if "$FANZHA" freeze move --db typo.db --order 1 --to sent 2>/dev/null; then fail "a change to a missing store is an error"; fi
[ ! -e typo.db.audit-key ] || fail "no audit key is made beside a missing store"
"$FANZHA" stats --db fresh.db --create --json >/dev/null || fail "--create makes an empty store"
[ -s fresh.db ] || fail "the new store is there"
echo "end to end: ok"
