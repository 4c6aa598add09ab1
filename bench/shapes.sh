#!/usr/bin/env bash
# The benchmarks on several shapes of world (`fanzha gen --shape`), one block of figures per shape:
# import (CPU per transfer), reopening and the ledger's resident bytes per transfer, tracing every
# case with each policy (median / p99 CPU), Reach's CPU per case and, with PG=1, Reach side by side
# with PostgreSQL's recursive query (bench/trace_vs_postgres.sh). Every benchmark checks its
# answer before it reports; a failed check stops the script.
#
#   bench/shapes.sh BUILD_DIR WORK_DIR [TRANSFERS=10000000] [SHAPES="gen busy-mules wide deep"]
#
# Worlds and stores are kept in WORK_DIR as <shape>-<transfers>/ and <shape>-<transfers>.db and
# reused when present (a 10M world takes about 20 s to generate and minutes to import); delete
# them when done. Environment: POLICIES (default "fifo lifo haircut poison"), CHECK (cases checked
# against the full replay per policy, default 1), CASES (cases traced with lifo and haircut,
# default 2000; fifo traces every case), POISON_CASES (default 200: a poison trace lists every
# transfer out of every account reached, 0.2-1 s a case on 10M transfers), REACH_CASES (default
# 20), PG=1 to compare with PostgreSQL
# (PG_CASES cases, default 10; slow on busy shapes, where its query runs for minutes).
set -euo pipefail
BUILD=$(realpath "$1"); WORK=$2; N=${3:-10000000}; SHAPES=${4:-"gen busy-mules wide deep"}
POLICIES=${POLICIES:-"fifo lifo haircut poison"}; CHECK=${CHECK:-1}; REACH_CASES=${REACH_CASES:-20}
CASES=${CASES:-2000}; POISON_CASES=${POISON_CASES:-200}
HERE=$(dirname "$(realpath "$0")")
mkdir -p "$WORK"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average $(cut -d' ' -f1-3 /proc/loadavg)"
for shape in $SHAPES; do
  world="$WORK/$shape-$N"; db="$world.db"
  echo "== shape $shape, $N transfers"
  if [ ! -f "$world/cases.jsonl" ]; then
    "$BUILD/fanzha" gen --out "$world" --transfers "$N" --shape "$shape" | grep -E "accounts.csv|transfers.csv|cases.jsonl"
  fi
  if [ ! -f "$db" ]; then
    "$BUILD/bench/import_bench" --world "$world" "$db" | tail -1
  fi
  "$BUILD/bench/ledger_load_bench" --db "$db"
  for policy in $POLICIES; do
    case $policy in fifo) cases=1000000000 ;; poison) cases=$POISON_CASES ;; *) cases=$CASES ;; esac
    "$BUILD/bench/trace_bench" --db "$db" --policy "$policy" --check "$CHECK" --cases "$cases" | grep -E "^$policy:"
  done
  "$BUILD/bench/trace_bench" --db "$db" --check 0 --reach-out "$world.reach.tsv" --reach-cases "$REACH_CASES" |
    grep -E "^poison reach:"
  awk -F'\t' '{n[$1]++} END {for (c in n) print n[c]}' "$world.reach.tsv" | sort -n |
    awk '{v[NR] = $1} END {if (NR) printf "reach: %d cases, accounts reached per case: min %d, median %d, max %d\n", NR, v[1], v[int((NR + 1) / 2)], v[NR]}'
  if [ "${PG:-0}" = 1 ]; then
    bash "$HERE/trace_vs_postgres.sh" "$BUILD" "$world" "$db" "${PG_CASES:-10}" | grep -vE "^loading"
  fi
done
