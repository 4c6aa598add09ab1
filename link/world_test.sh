#!/usr/bin/env bash
# Linking on a generated world, through the binary as a user runs it:
#  1. gen -> import -> link --truth: quality against truth/cases.csv above floors, and far above the
#     baseline of exact raw strings;
#  2. the cases imported one file at a time (each import links its new cases into the stored
#     clusters) give the same clusters, in the store and in `fanzha link --json`, as one bulk relink.
# Usage: world_test.sh PATH/TO/fanzha
set -euo pipefail
FANZHA=$(realpath "$1")
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
export FANZHA_NO_PROGRESS=1

"$FANZHA" gen --out w --seed 3 --transfers 60000 --cases 300 >/dev/null
"$FANZHA" import --db bulk.db w/accounts.csv w/transfers.csv w/cases.jsonl >/dev/null
"$FANZHA" link --db bulk.db --truth w/truth/cases.csv --json > quality.json
"$FANZHA" link --db bulk.db --rebuild --json > bulk.json

# The cases in three files, imported in reverse order, one call each.
"$FANZHA" import --db inc.db w/accounts.csv w/transfers.csv >/dev/null
awk 'NR % 3 == 0' w/cases.jsonl > part0.jsonl
awk 'NR % 3 == 1' w/cases.jsonl > part1.jsonl
awk 'NR % 3 == 2' w/cases.jsonl > part2.jsonl
for p in part2 part1 part0; do
  "$FANZHA" import --db inc.db "$p.jsonl" > "import-$p.txt"
  grep -q "^linked " "import-$p.txt" || { echo "FAIL: import of $p did not link its cases" >&2; exit 1; }
done
"$FANZHA" link --db inc.db --json > inc.json 2> inc-stderr.txt
[ ! -s inc-stderr.txt ] || { echo "FAIL: a run after the imports had something left to link" >&2; cat inc-stderr.txt >&2; exit 1; }

python3 - <<'PY'
import json, sqlite3
q = json.load(open("quality.json"))
f, b = q["fanzha"], q["exact_raw_baseline"]
print(f"{q['cases']} cases: pair P {f['pair_precision']:.4f} R {f['pair_recall']:.4f} F1 {f['pair_f1']:.4f}; "
      f"B3 P {f['bcubed_precision']:.4f} R {f['bcubed_recall']:.4f} F1 {f['bcubed_f1']:.4f}; "
      f"baseline pair F1 {b['pair_f1']:.4f}, B3 F1 {b['bcubed_f1']:.4f}")
assert f["pair_f1"] >= 0.95 and f["bcubed_f1"] >= 0.95, "quality floor"
assert f["pair_precision"] >= 0.95 and f["bcubed_precision"] >= 0.95, "precision floor"
assert f["pair_f1"] > b["pair_f1"] + 0.3, "far above exact raw strings"

bulk = json.load(open("bulk.json"))["clusters"]
inc = json.load(open("inc.json"))["clusters"]
assert len(bulk) > 10, "a world with gangs"
assert [(c["id"], c["cases"]) for c in bulk] == [(c["id"], c["cases"]) for c in inc], "same clusters"
assert [[e["value"] for e in c["evidence"]] for c in bulk] == [[e["value"] for e in c["evidence"]] for c in inc], "same evidence"
def stored(path):
    db = sqlite3.connect(path)
    return sorted(db.execute("SELECT case_id, cluster, money FROM link_cases").fetchall())
a, b = stored("bulk.db"), stored("inc.db")
assert len(a) == q["cases"], (len(a), q["cases"])
assert a == b, "stored clusters differ"
print(f"one file at a time == bulk: {len(bulk)} clusters, {len(a)} stored rows")
PY
