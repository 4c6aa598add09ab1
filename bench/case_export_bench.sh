#!/usr/bin/env bash
# The evidence package's export (bench/case_export_bench.cc) on several shapes of world: for each
# shape a world of TRANSFERS is generated and imported (kept in WORK_DIR and reused), copied, and a
# case with FLOWS transfers in its poison trace, in a gang of GANG cases, is exported RUNS times.
#
#   bench/case_export_bench.sh BUILD_DIR WORK_DIR [TRANSFERS=1000000] [SHAPES="gen deep busy-mules"]
#
# Environment: FLOWS (default 1000), GANG (default 50), RUNS (default 5).
set -euo pipefail
BUILD=$(realpath "$1"); WORK=$2; N=${3:-1000000}; SHAPES=${4:-"gen deep busy-mules"}
FLOWS=${FLOWS:-1000}; GANG=${GANG:-50}; RUNS=${RUNS:-5}
mkdir -p "$WORK"
export FANZHA_NO_PROGRESS=1
echo "machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for shape in $SHAPES; do
  world="$WORK/$shape-$N"; db="$world.db"
  echo "== shape $shape, $N transfers"
  [ -f "$world/cases.jsonl" ] || "$BUILD/fanzha" gen --out "$world" --transfers "$N" --shape "$shape" >/dev/null
  [ -f "$db" ] || "$BUILD/fanzha" import --db "$db" "$world/accounts.csv" "$world/transfers.csv" \
    "$world/cases.jsonl" >/dev/null
  cp "$db" "$WORK/copy.db"  # the benchmark adds the gang's reports to the store it is given
  "$BUILD/bench/case_export_bench" --db "$WORK/copy.db" --work "$WORK/packages" --flows "$FLOWS" \
    --gang "$GANG" --runs "$RUNS"
  rm -rf "$WORK/copy.db" "$WORK/copy.db"-* "$WORK/packages"
done
