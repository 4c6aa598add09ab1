#!/usr/bin/env bash
# The work on cases from the command line, as an officer runs it: the queue with its filters and
# sorts, assignment (to a user who may work the case, else refused), notes, a file stored and given
# back byte for byte with its SHA-256 checked, and the timeline holding all of it; every change
# audited. Usage: case_work.sh FANZHA
set -euo pipefail
FANZHA=$(realpath "$1")
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
export FANZHA_NO_PROGRESS=1
fail() { echo "FAIL: $*" >&2; exit 1; }
f() { "$FANZHA" "$@"; }

f gen --out w --seed 3 --transfers 3000 --cases 12 >/dev/null
f import --db s.db w/accounts.csv w/transfers.csv w/cases.jsonl >/dev/null
CASE=$(head -1 w/cases.jsonl | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
f user add li --role centre --db s.db <<< "pw-li-123456" >/dev/null
f user add far --role investigator --region 650100 --db s.db <<< "pw-far-123456" >/dev/null

# The queue: every case, a page at a time, sorted as asked.
total=$(f case queue --db s.db --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
[ "$total" = 12 ] || fail "the queue holds $total cases, not 12"
f case queue --db s.db --sort loss_desc --limit 3 --json | python3 -c '
import json, sys
page = json.load(sys.stdin)
losses = [float(c["loss"]) for c in page["cases"]]
assert len(losses) == 3 and losses == sorted(losses, reverse=True), losses
assert all(c["stage"] == "reported" and c["officer"] == "" for c in page["cases"])
' || fail "loss_desc does not put the largest loss first"

# Assignment: to a user who may work the case; someone of another region is refused, saying so.
f case assign --db s.db --case "$CASE" --officer li | grep -q "已指派给 li" || fail "no assignment"
if f case assign --db s.db --case "$CASE" --officer far 2> err.txt; then fail "far works 650100 only"; fi
grep -q "officer" err.txt || fail "the refusal does not name --officer: $(cat err.txt)"
# The language follows the user's choice: --lang (before or after the command), else the locale.
f --lang en case assign --db s.db --case "$CASE" --officer far 2> err.txt && fail "far again"
grep -q "^fanzha: error: " err.txt && ! grep -q "错误" err.txt || fail "--lang en is not English only: $(cat err.txt)"
f case assign --lang zh-CN --db s.db --case "$CASE" --officer far 2> err.txt && fail "far again"
grep -q "^fanzha: 错误：" err.txt && ! grep -q "error:" err.txt || fail "--lang zh-CN is not Chinese only: $(cat err.txt)"
FANZHA_LANG= LANG=en_US.UTF-8 f case assign --db s.db --case "$CASE" --officer far 2> err.txt && fail "far again"
! grep -q "错误" err.txt || fail "an English locale is answered in Chinese: $(cat err.txt)"
FANZHA_LANG= LANG=zh_CN.UTF-8 f case queue --db s.db --limit 1 | grep -q "^共 .* 起，显示 1 起$" ||
  fail "a Chinese locale is not answered in Chinese"
if f case queue --db s.db --lang fr 2> err.txt; then fail "--lang fr accepted"; fi
grep -q "zh-CN, en or both" err.txt || fail "--lang fr does not say the choices: $(cat err.txt)"
[ "$(f case queue --db s.db --officer li --json | python3 -c 'import json,sys; print([c["id"] for c in json.load(sys.stdin)["cases"]])')" = "['$CASE']" ] ||
  fail "--officer li does not find the case given to li"
[ "$(f case queue --db s.db --officer none --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')" = 11 ] ||
  fail "--officer none does not leave out the assigned case"

# A note and a file; the file comes back byte for byte, and a changed file is refused.
f case note --db s.db --case "$CASE" --text "回访受害人，补充转账截图" >/dev/null
printf '%%PDF-1.4\0binary\xff' > 立案决定书.pdf
f case attach --db s.db --case "$CASE" --file 立案决定书.pdf --kind 法律文书 --json > a.json
python3 -c 'import json; a = json.load(open("a.json")); assert a["kind"] == "legal_document" and a["bytes"] == 16, a'
f case attachment --db s.db --case "$CASE" --seq 1 --out back.pdf >/dev/null
cmp -s 立案决定书.pdf back.pdf || fail "the file did not come back byte for byte"
if f case attachment --db s.db --case "$CASE" --seq 1 --out back.pdf 2>/dev/null; then
  fail "an existing file was replaced"
fi

# The timeline holds the report, the assignment, the note and the file, oldest first.
f case timeline --db s.db --case "$CASE" --json | python3 -c '
import json, sys
t = json.load(sys.stdin)
kinds = [e["kind"] for e in t["events"]]
for k in ("report", "assignment", "note", "attachment"):
    assert k in kinds, (k, kinds)
assert kinds[0] == "report", kinds
' || fail "the timeline misses an event"

# Every change is in the audit log, under the operating-system user.
f audit list --db s.db --json | python3 -c '
import json, sys
actions = [json.loads(line)["action"] for line in sys.stdin if line.strip()]
for a in ("case.assign", "case.note", "case.attach"):
    assert a in actions, (a, actions)
' || fail "a change is not audited"
# What a user should act on now: the list the dashboard's bell shows, for a stored user only.
f notifications --db s.db --user li --json | python3 -c '
import json, sys
n = json.load(sys.stdin)
assert n["count"] == len(n["notices"]), n
' || fail "notifications --json is not the list"
if f notifications --db s.db --user nobody 2> err.txt; then fail "an unknown user has notifications"; fi
grep -q "nobody" err.txt || fail "the unknown user is not named: $(cat err.txt)"
echo "case work from the command line: ok"
