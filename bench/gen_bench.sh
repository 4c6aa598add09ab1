#!/bin/sh
# Times `fanzha gen --transfers N` and reports transfers/s, after checking what it wrote (row count
# of transfers.csv matches the summary). Usage: bench/gen_bench.sh [BUILD_DIR] [N]
set -eu
build=${1:-build}
n=${2:-10000000}
out=$(mktemp -d /tmp/fanzha_gen_bench.XXXXXX)
trap 'rm -rf "$out"' EXIT
start=$(date +%s.%N)
"$build/fanzha" gen --out "$out/w" --transfers "$n" > "$out/summary.txt"
end=$(date +%s.%N)
rows=$(($(wc -l < "$out/w/transfers.csv") - 1))
grep -q "transfers.csv .*[^0-9]$rows transfers" "$out/summary.txt" || { echo "row count mismatch" >&2; exit 1; }
awk -v s="$start" -v e="$end" -v r="$rows" -v n="$n" \
  'BEGIN { t = e - s; printf "gen --transfers %d: %d rows in %.1f s, %.0f transfers/s\n", n, r, t, r / t }'
