#!/usr/bin/env bash
# Sets everything up and runs fanzha's main job on its embedded default: installs the packages,
# builds, generates a demo world (with ground truth), imports it into a SQLite store, and shows the
# world's summary, the trace and freeze plan of a demo case, and the gangs found by linking.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target fanzha
F=build/fanzha
DB=demo/fanzha.db
rm -rf demo
"$F" gen --out demo --seed 2020
"$F" import --db "$DB" demo/accounts.csv demo/transfers.csv demo/cases.jsonl demo/流水_*.csv
echo; echo "== the world"; "$F" stats --db "$DB"
CASE=$(sed -n 's/^{"id":"\([^"]*\)".*/\1/p' demo/cases.jsonl | head -1)
echo; echo "== where the money of case $CASE is now"; "$F" trace --db "$DB" --case "$CASE" | head -40
echo; echo "== what to freeze first"; "$F" freeze plan --db "$DB" --case "$CASE"
if "$F" link --help >/dev/null 2>&1; then
  echo; echo "== gangs: cases linked by shared phones, accounts, money and scripts"
  "$F" link --db "$DB" | head -30
fi
echo
echo "Store: $DB. Try: $F trace --db $DB --case $CASE --json | head -c 600; $F --help"
