#!/usr/bin/env bash
# The federated trace on a generated world split over bank nodes (bench/federated_bench.cc).
#
#   bench/federated_bench.sh BUILD DIR [TRANSFERS] [BANKS] [DELAY_MS]
#
# Prepares in DIR, skipping what is already there (each step writes beside its target and renames
# it when done, so an interrupted step is done again):
#   world/            fanzha gen --transfers TRANSFERS (10,000,000) --banks BANKS (20)
#   all.db            every transfer: the central trace the federated one must equal
#   banks/<token>/    fanzha bank split: each bank's accounts and transfers, and its bank.db
#   banks/platform/   the platform's share: the account registry, the reports, their payments
#   platform.db       the platform's store (never written by the benchmark: it works on copies)
# then starts a nats-server (DIR/js, emptied first, a free loopback port) and one `fanzha bank
# serve --delay DELAY_MS` (200) per bank, runs `federated_bench timing`, then `federated_bench
# equal` (in-process desks, no NATS), and stops everything it started.
#
# Environment: SHAPE (gen) and SEED (3) of the world, CASES (transfers/5,000, at least 20),
# POLICY (fifo), CROSSING (6: institutions a timed case's money crosses), TIMING_CASES (5),
# EQUAL_CASES (every case), CASE (that case alone), ONLY (prepare | timing | equal: that part
# alone, after preparing).
# Exit status: 1 when a walk differs from the central trace, is incomplete or too slow to check.
set -euo pipefail
BUILD=$(realpath "$1")
DIR=$2
TRANSFERS=${3:-10000000}
BANKS=${4:-20}
DELAY_MS=${5:-200}
FANZHA=$BUILD/fanzha
BENCH=$BUILD/bench/federated_bench
SHAPE=${SHAPE:-gen}
SEED=${SEED:-3}
CASES=${CASES:-$((TRANSFERS / 5000 > 20 ? TRANSFERS / 5000 : 20))}
POLICY=${POLICY:-fifo}
CROSSING=${CROSSING:-6}
TIMING_CASES=${TIMING_CASES:-5}
ONLY=${ONLY:-}
export FANZHA_NO_PROGRESS=1
renice -n 5 -p $$ >/dev/null  # a heavy job on a shared machine: everything started here is niced
mkdir -p "$DIR"
DIR=$(realpath "$DIR")
log() { echo "federated_bench.sh: $*" >&2; }
step() {  # step NAME COMMAND...: runs it and says how long it took
  local name=$1 start
  shift
  start=$(date +%s)
  log "$name ..."
  "$@"
  log "$name: $(($(date +%s) - start)) s"
}
import_into() {  # import_into DB FILES...: into DB.tmp, renamed to DB (with its audit files) when whole
  local db=$1
  shift
  rm -f "$db.tmp" "$db".tmp[-.]*
  "$FANZHA" import --db "$db.tmp" "$@" >/dev/null
  rm -f "$db.tmp-imports.lock"
  mv "$db.tmp.audit-key" "$db.audit-key"  # the key of the audit chain the import started
  mv "$db.tmp.audit-heads" "$db.audit-heads"
  mv "$db.tmp" "$db"
}

# ---- preparing ----------------------------------------------------------------------------------
if [ ! -f "$DIR/world/cases.jsonl" ]; then
  rm -rf "$DIR/world.tmp"
  step "gen $TRANSFERS transfers, $BANKS banks, $CASES cases, shape $SHAPE" \
    "$FANZHA" gen --out "$DIR/world.tmp" --transfers "$TRANSFERS" --banks "$BANKS" \
    --cases "$CASES" --shape "$SHAPE" --seed "$SEED" >/dev/null
  mv "$DIR/world.tmp" "$DIR/world"
fi
W=$DIR/world
[ -f "$DIR/all.db" ] ||
  step "all.db (every transfer)" import_into "$DIR/all.db" "$W/accounts.csv" "$W/transfers.csv" \
    "$W/cases.jsonl"
if [ ! -f "$DIR/banks/platform/cases.jsonl" ]; then
  rm -rf "$DIR/banks.tmp"
  step "bank split" "$FANZHA" bank split --world "$W" --out "$DIR/banks.tmp" >"$DIR/split.txt"
  mv "$DIR/banks.tmp" "$DIR/banks"
fi
BANK_DIRS=()
for d in "$DIR"/banks/*/; do
  d=${d%/}
  [ "$(basename "$d")" = platform ] && continue
  BANK_DIRS+=("$d")
  [ -f "$d/bank.db" ] ||
    step "$(basename "$d")/bank.db" import_into "$d/bank.db" "$d/accounts.csv" "$d/transfers.csv"
done
P=$DIR/banks/platform
[ -f "$DIR/platform.db" ] ||
  step "platform.db" import_into "$DIR/platform.db" "$P/accounts.csv" "$P/transfers.csv" \
    "$P/cases.jsonl"
[ "$ONLY" = prepare ] && exit 0

# ---- timing: bank nodes on a nats-server --------------------------------------------------------
status=0
if [ -z "$ONLY" ] || [ "$ONLY" = timing ]; then
  command -v nats-server >/dev/null || { log "nats-server is not installed"; exit 77; }
  PIDS=()
  stop_all() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    PIDS=()
  }
  trap stop_all EXIT
  rm -rf "$DIR/js"
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  nats-server -js -sd "$DIR/js" -a 127.0.0.1 -p "$PORT" >"$DIR/nats.log" 2>&1 &
  PIDS+=($!)
  URL="nats://127.0.0.1:$PORT"
  for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
  seed=0
  for d in "${BANK_DIRS[@]}"; do
    institution=$(python3 -c 'import csv,sys; r=csv.DictReader(open(sys.argv[1], encoding="utf-8")); print(next(r)["institution"])' "$d/accounts.csv")
    seed=$((seed + 1))
    "$FANZHA" bank serve --institution "$institution" --db "$d/bank.db" --nats "$URL" \
      --delay "${DELAY_MS}ms" --seed "$seed" >"$d/node.log" 2>&1 &
    PIDS+=($!)
  done
  # Each node opens its store and binds its consumer before the first request: wait for them.
  sleep $((2 + ${#BANK_DIRS[@]} / 10))
  for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null || { log "a bank node died (see */node.log)"; exit 1; }; done
  "$BENCH" timing --all "$DIR/all.db" --platform "$DIR/platform.db" --nats "$URL" \
    --crossing "$CROSSING" --cases "$TIMING_CASES" --policy "$POLICY" --work "$DIR/run" \
    ${CASE:+--case "$CASE"} ||
    status=1
  stop_all
  trap - EXIT
fi

# ---- equal: every case, in-process desks ---------------------------------------------------------
if [ -z "$ONLY" ] || [ "$ONLY" = equal ]; then
  "$BENCH" equal --all "$DIR/all.db" --platform "$DIR/platform.db" --banks "$DIR/banks" \
    --policy "$POLICY" ${EQUAL_CASES:+--cases "$EQUAL_CASES"} ${CASE:+--case "$CASE"} \
    --work "$DIR/run" || status=1
fi
exit $status
