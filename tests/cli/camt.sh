#!/usr/bin/env bash
# ISO 20022 statements through the command line: a mule card's camt.053 and the payee bank's
# camt.054 imported in one call (merged, pending entry skipped, dollars kept apart from yuan), the
# same again (unchanged), --json, a hostile file refused in both languages, the help.
# Usage: camt.sh PATH/TO/fanzha REPOSITORY_ROOT
set -euo pipefail
FANZHA=$(realpath "$1")
DATA=$(realpath "$2")/import/testdata/camt
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
export FANZHA_NO_PROGRESS=1
fail() { echo "FAIL: $*" >&2; exit 1; }

"$FANZHA" import --db c.db "$DATA/made_cny_camt053_v08.xml" "$DATA/made_payee_camt054_v02.xml" > out.txt
grep -q "made_cny_camt053_v08.xml (statement camt.053.001.08): 12 rows, 11 added, 0 unchanged, 0 merged, 0 rejected, 1 skipped (not booked)" out.txt \
  || fail "the report names the message and the skipped entry: $(cat out.txt)"
grep -q "made_payee_camt054_v02.xml (statement camt.054.001.02): 1 rows, 0 added, 0 unchanged, 1 merged" out.txt \
  || fail "the payee's notification merges: $(cat out.txt)"
"$FANZHA" import --db c.db --json "$DATA/made_cny_camt053_v08.xml" > again.json
python3 - <<'PY'
import json
doc = json.load(open("again.json"))
f = doc["files"][0]
assert doc["ok"] and f["format"] == "camt.053.001.08", doc
assert f["unchanged"] == 11 and f["added"] == 0 and f["skipped"] == 1, f
PY
"$FANZHA" stats --db c.db --json > stats.json
python3 - <<'PY'
import json
s = json.load(open("stats.json"))
assert s["transfers"] == 11, s
assert s["transfers_in_other_currencies"] == {"USD": 1}, s
# 50000 + 3000 (batch) + 1500.50 (reversal) + 20000 + 200 + 1000 + 300 + 66: yuan only
assert s["transfer_volume"] == "76066.50", s["transfer_volume"]
PY
if "$FANZHA" import --db c.db "$DATA/made_xxe_camt053_v02.xml" 2>err.txt >/dev/null; then fail "a DOCTYPE accepted"; fi
grep -q "made_xxe_camt053_v02.xml:2: a DOCTYPE (DTD) is not allowed" err.txt || fail "English: $(cat err.txt)"
grep -q "不允许 DOCTYPE" err.txt || fail "Chinese: $(cat err.txt)"
if grep -q "root:" err.txt; then fail "a file's content leaked into the message"; fi
"$FANZHA" import --help > help.txt
grep -q "camt.053" help.txt && grep -q "only booked entries" help.txt || fail "the help explains ISO 20022"
echo "camt: ok"
