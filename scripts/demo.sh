#!/usr/bin/env bash
# Sets everything up and runs fanzha's main job on its embedded default: installs the packages,
# builds, generates a demo world (with ground truth), imports it into a SQLite store, and shows the
# world's summary, the trace and freeze plan of a demo case, and the gangs found by linking.
set -euo pipefail
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
CASE=$(sed -n 's/^{"id":"\([^"]*\)".*/\1/p' demo/cases.jsonl | head -1)
echo; echo "== where the money of case $CASE is now"; "$F" trace --db "$DB" --case "$CASE" > demo/trace.txt
head -40 demo/trace.txt
echo; echo "== what to freeze first"; "$F" freeze plan --db "$DB" --case "$CASE"
if "$F" link --help >/dev/null 2>&1; then
  echo; echo "== gangs: cases linked by shared phones, accounts, money and scripts"
  "$F" link --db "$DB" > demo/link.txt
  head -30 demo/link.txt
fi
echo
echo "Store: $DB. Try: $F trace --db $DB --case $CASE --json | head -c 600; $F --help"

# Last: the server with demo accounts (skip with --no-serve; CI and the test scripts never run this).
if [[ " $* " != *" --no-serve "* ]]; then
  REGION=$(sed -n 's/.*"region":"\([0-9]*\)".*/\1/p' demo/cases.jsonl | head -1)
  for u in "centre centre" "investigator investigator --region $REGION" "auditor auditor"; do
    set -- $u
    echo "demo-$1-pass" | "$F" user add "demo-$1" --role "${@:2}" --db "$DB" >/dev/null 2>&1 || true
  done
  INST=$(sqlite3 "$DB" "SELECT institution FROM accounts WHERE institution <> '' LIMIT 1" 2>/dev/null || true)
  [[ -n "$INST" ]] && { echo "demo-bank-pass" | "$F" user add demo-bank --role bank --institution "$INST" --db "$DB" >/dev/null 2>&1 || true; }
  echo
  echo "== the server: http://127.0.0.1:${PORT:-8080}/ (API description: /api/openapi.json)"
  echo "   demo accounts (user / password): demo-centre / demo-centre-pass, demo-investigator /"
  echo "   demo-investigator-pass (region $REGION), demo-bank / demo-bank-pass ($INST), demo-auditor / demo-auditor-pass"
  exec "$F" serve --db "$DB" --port "${PORT:-8080}"
fi
