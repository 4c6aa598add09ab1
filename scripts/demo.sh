#!/usr/bin/env bash
# Sets everything up and runs fanzha's main job on its embedded default: installs the packages,
# builds, generates a demo world (with ground truth), imports it into a SQLite store, and shows the
# world's summary, the trace and freeze plan of a demo case, and the gangs found by linking.
set -euo pipefail
SERVE=yes
[[ " $* " == *" --no-serve "* ]] && SERVE=no
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The same configuration as scripts/test.sh, so that running one after the other rebuilds nothing.
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" >/dev/null
cmake --build build -j"$(nproc)" --target fanzha
F=build/fanzha
DB=demo/fanzha.db
rm -rf demo
"$F" gen --out demo --seed 2020
"$F" import --db "$DB" demo/accounts.csv demo/transfers.csv demo/cases.jsonl
# The bank statements repeat some mule transfers as the banks returned them (payer and payee side):
# shown in a store of their own, where the importer merges the two sides into one transfer.
echo; echo "== bank statements (银行流水), both sides merged"
"$F" import --db demo/statements.db demo/流水_*.csv
echo; echo "== the world"; "$F" stats --db "$DB"
# The demo case: of the ten largest losses, the one whose money is most still held (freeze plan).
CASE=$(for c in $("$F" case queue --db "$DB" --sort loss_desc --limit 10 --json |
                  python3 -c 'import json,sys; print(" ".join(c["id"] for c in json.load(sys.stdin)["cases"]))'); do
         "$F" freeze plan --db "$DB" --case "$c" --json 2>/dev/null |
           python3 -c 'import json,sys; p = json.load(sys.stdin); print(p["to_freeze"].replace(".", ""), p["case"])'
       done | sort -n | tail -1 | cut -d' ' -f2)
REGION=$("$F" case queue --db "$DB" --limit 100000 --json |
         python3 -c 'import json,sys; print(next(c["region"] for c in json.load(sys.stdin)["cases"] if c["id"] == sys.argv[1]))' "$CASE")
echo; echo "== where the money of case $CASE is now"; "$F" trace --db "$DB" --case "$CASE" > demo/trace.txt
head -40 demo/trace.txt
echo; echo "== what to freeze first"; "$F" freeze plan --db "$DB" --case "$CASE"
if "$F" link --help >/dev/null 2>&1; then
  echo; echo "== gangs: cases linked by shared phones, accounts, money and scripts"
  "$F" link --db "$DB" > demo/link.txt
  head -30 demo/link.txt
fi

# Work for the demo users: the case given to the investigator and opened, its stop-payments drafted
# and sent, so that the bank liaison of the first one's institution has orders to answer.
for u in "centre centre" "investigator investigator --region $REGION" "auditor auditor"; do
  set -- $u
  echo "demo-$1-pass" | "$F" user add "demo-$1" --role "${@:2}" --db "$DB" >/dev/null 2>&1 || true
done
"$F" case assign --db "$DB" --case "$CASE" --officer demo-investigator --note "演示：资金仍在账户中，尽快止付" >/dev/null
"$F" case note --db "$DB" --case "$CASE" --text "受害人报案后两小时内已完成资金查控" >/dev/null
"$F" case move --db "$DB" --case "$CASE" --to opened --document "演示立字〔2026〕1号" >/dev/null
"$F" freeze order --db "$DB" --case "$CASE" --kind stop_payment --document "演示止付〔2026〕1号" \
  --by demo-investigator --unit "$REGION" --json > demo/orders.json
INST=""
for id in $(python3 -c 'import json; print(" ".join(str(o["id"]) for o in json.load(open("demo/orders.json"))["orders"]))'); do
  "$F" freeze move --db "$DB" --order "$id" --to sent >/dev/null
done
INST=$(python3 -c 'import json; o = json.load(open("demo/orders.json"))["orders"]; print(o[0]["institution"] if o else "")')
[[ -n "$INST" ]] && { echo "demo-bank-pass" | "$F" user add demo-bank --role bank --institution "$INST" --db "$DB" >/dev/null 2>&1 || true; }
echo; echo "== case $CASE: given to demo-investigator, opened, stop-payments sent"
"$F" case queue --db "$DB" --officer demo-investigator
"$F" freeze list --db "$DB" --case "$CASE" 2>/dev/null | head -12 || true
echo
echo "Store: $DB. Try: $F case timeline --db $DB --case $CASE; $F profile --db $DB <account>; $F --help"

# Last: the server with the demo accounts (skip with --no-serve; CI and the test scripts never run this).
if [[ $SERVE == yes ]]; then
  echo
  echo "== the server: http://127.0.0.1:${PORT:-8080}/ (API description: /api/openapi.json)"
  echo "   demo accounts (user / password): demo-centre / demo-centre-pass, demo-investigator /"
  echo "   demo-investigator-pass (region $REGION, has case $CASE), demo-bank / demo-bank-pass"
  echo "   ($INST: stop-payments to answer), demo-auditor / demo-auditor-pass"
  exec "$F" serve --db "$DB" --port "${PORT:-8080}"
fi
